//! SOPs, policies and guides, with co-edited bodies.

use super::record::{check_len, record, require_text};
use super::values::{Date, string_enum};

string_enum! {
    pub enum DocKind { Sop = "sop", Policy = "policy", Guide = "guide" }
}

record! {
    pub struct Doc ("docs" in Docs) {
        pub title: String,
        pub kind: DocKind,
        /// Co-edited body (Automerge text, merged character by character).
        #[serde(with = "text_serde")]
        pub body: autosurgeon::Text,
        pub owner: Option<String>,
        pub review_date: Option<Date>,
    }
    validate(d) {
        require_text("title", &d.title)?;
        check_len("body", d.body.as_str(), 2_000_000)
    }
}

/// JSON form of Automerge text: a plain string.
pub mod text_serde {
    use autosurgeon::Text;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(text: &Text, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(text.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        Ok(Text::with_value(String::deserialize(d)?))
    }
}
