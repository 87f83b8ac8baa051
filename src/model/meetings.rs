//! Meetings, their agenda, notes and action items (which become tasks).

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, record, require_text};
use super::values::{Date, Stamp};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct AgendaItem {
    pub text: String,
    pub order: i64,
}

/// Something agreed in a meeting; `task` links the task created from it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct ActionItem {
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    pub task: Option<String>,
}

record! {
    pub struct Meeting ("meetings" in Meetings) {
        pub title: String,
        pub starts_at: Stamp,
        pub duration_minutes: i64,
        pub location: Option<String>,
        pub attendees: Vec<String>,
        pub agenda: BTreeMap<String, AgendaItem>,
        /// Co-edited notes (Automerge text).
        #[serde(with = "super::docs::text_serde")]
        pub notes: Text,
        pub action_items: BTreeMap<String, ActionItem>,
    }
    validate(m) {
        require_text("meeting title", &m.title)?;
        if m.duration_minutes < 0 {
            return Err(ValidationError::new("duration", "must be 0 or more minutes"));
        }
        for a in m.action_items.values() {
            require_text("action item", &a.text)?;
        }
        Ok(())
    }
}

super::field_write::nested_fields!(AgendaItem { text, order });
super::field_write::nested_fields!(ActionItem {
    text,
    owner,
    due,
    task
});
