//! SOPs, policies and guides: a record per document (title, category,
//! owner, review cycle) in the Docs area, and its Markdown body in a
//! document of its own (`body_doc`, see `store::bodies`), co-edited
//! character by character and loaded only when it is opened.

use super::record::{ValidationError, record, require_text};
use super::values::{Date, Stamp, string_enum};

string_enum! {
    pub enum DocKind { Sop = "sop", Policy = "policy", Guide = "guide" }
}

impl DocKind {
    /// "SOP", "Policy", "Guide": for lists and headings.
    pub fn title(self) -> &'static str {
        match self {
            DocKind::Sop => "SOP",
            DocKind::Policy => "Policy",
            DocKind::Guide | DocKind::Unknown => "Guide",
        }
    }
}

record! {
    pub struct Doc ("docs" in Docs) {
        pub title: String,
        pub category: DocKind,
        /// The member who keeps it up to date.
        pub owner: Option<String>,
        /// The id of the document holding the body (set when created).
        pub body_doc: String,
        /// When the body was last edited, and by whom.
        pub body_edited_at: Option<Stamp>,
        pub body_edited_by: Option<String>,
        /// How often it is reviewed, in months (none: never due).
        pub review_months: Option<i64>,
        pub last_reviewed: Option<Date>,
        /// When the next review is due: the last review (or creation) plus
        /// the cycle.
        pub review_date: Option<Date>,
    }
    validate(d) {
        require_text("title", &d.title)?;
        match d.review_months {
            Some(m) if !(1..=120).contains(&m) => Err(ValidationError::new(
                "review every",
                "must be between 1 and 120 months (e.g. 12m or 1y)",
            )),
            _ => Ok(()),
        }
    }
}

impl Doc {
    /// Open and due for review on `today` (or overdue).
    pub fn review_due(&self, today: Date) -> bool {
        self.deleted_at.is_none() && self.review_date.is_some_and(|d| d <= today)
    }
}

/// The next review after `from` for a cycle of `months`.
pub fn next_review(from: Date, months: Option<i64>) -> Option<Date> {
    months
        .and_then(|m| u32::try_from(m).ok())
        .map(|m| from.add_months(m))
}

/// Reads a review cycle as typed: `12m`, `18 months`, `1y`, `2 years` or
/// a plain number of months; empty or `none` for no cycle.
pub fn parse_review_cycle(text: &str) -> Result<Option<i64>, ValidationError> {
    let t = text.trim().to_lowercase();
    if t.is_empty() || t == "none" || t == "never" {
        return Ok(None);
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let unit = t[digits.len()..].trim();
    let bad = || {
        ValidationError::new(
            "review every",
            format!("{text:?} is not a review cycle; type months or years, e.g. 12m or 1y"),
        )
    };
    let n: i64 = digits.parse().map_err(|_| bad())?;
    let months = match unit {
        "" | "m" | "mo" | "month" | "months" => n,
        "y" | "yr" | "year" | "years" => n * 12,
        _ => return Err(bad()),
    };
    if !(1..=120).contains(&months) {
        return Err(bad());
    }
    Ok(Some(months))
}

super::schema::describe! {
    Doc, label: "document", title: "Docs", name: title,
    fields {
        title: "Title", Text, required, column;
        category: "Category", Choice(DocKind::NAMES), column;
        owner: "Owner", Person, column;
        review_months: "Review every (months)", Int;
        last_reviewed: "Last reviewed", Date;
        review_date: "Next review", Date, column;
    }
    after_edit(doc, before, at) {
        // A review (or a new cycle) sets when the next one is due.
        if doc.last_reviewed != before.last_reviewed || doc.review_months != before.review_months {
            let from = doc.last_reviewed.unwrap_or(at.local_date());
            doc.review_date = next_review(from, doc.review_months);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_cycles_read_as_people_type_them() {
        assert_eq!(parse_review_cycle("12m").unwrap(), Some(12));
        assert_eq!(parse_review_cycle("1y").unwrap(), Some(12));
        assert_eq!(parse_review_cycle("2 years").unwrap(), Some(24));
        assert_eq!(parse_review_cycle("6").unwrap(), Some(6));
        assert_eq!(parse_review_cycle("").unwrap(), None);
        assert!(parse_review_cycle("soon").is_err());
        assert!(parse_review_cycle("0m").is_err());
    }

    #[test]
    fn a_review_sets_the_next_one_a_cycle_later() {
        use super::super::schema::Described;
        let before = Doc {
            title: "Fire safety".into(),
            review_months: Some(12),
            ..Default::default()
        };
        let mut after = before.clone();
        after.last_reviewed = Date::new(2026, 2, 28);
        after.after_edit(&before, Stamp::now());
        assert_eq!(after.review_date, Date::new(2027, 2, 28));
        assert!(after.review_due(Date::new(2027, 3, 1).unwrap()));
        assert!(!after.review_due(Date::new(2027, 2, 27).unwrap()));
    }
}
