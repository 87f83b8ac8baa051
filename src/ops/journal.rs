//! This device's journal of its own actions (`journal.json` in the data
//! directory, never synced): what undo and redo revert, and the one
//! two-document action in flight, so a crash between its two commits is
//! finished on the next open.
//!
//! The journal is written crash-safely (temp file, fsync, rename) before
//! the first document of a two-document action changes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Op;
use crate::store::{Result, StoreError};

/// How many actions undo reaches back.
const KEEP: usize = 100;

/// One field's value before and after an action (JSON, as the record
/// serializes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub key: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// One part of an action, enough to revert it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// Fields of one record changed.
    Fields {
        kind: String,
        id: String,
        changes: Vec<FieldChange>,
    },
    /// A record was created (reverted by moving it to the trash).
    Created { kind: String, id: String },
    /// Co-edited text changed from `before` to `after` (undone by changing
    /// it back on the text as it is then).
    Text {
        kind: String,
        id: String,
        field: String,
        before: String,
        after: String,
    },
    /// An item's stock at a site changed by `delta`.
    Stock {
        item: String,
        site: String,
        delta: i64,
    },
}

/// A user action as undo sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// "Edit task title", for "Undid: …".
    pub label: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Journal {
    pub done: Vec<Action>,
    pub undone: Vec<Action>,
    /// A two-document action started and not yet finished.
    pub pending: Option<Op>,
}

impl Journal {
    /// Reads the journal; a missing or unreadable one starts empty (undo
    /// history is a convenience, never a reason not to open).
    pub fn load(path: &Path) -> Journal {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("ignoring unreadable {}: {e}", path.display());
                Journal::default()
            }),
            Err(_) => Journal::default(),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes =
            serde_json::to_vec(self).map_err(|e| StoreError::Corrupt(format!("journal: {e}")))?;
        crate::store::datadir::write_atomic(path, &bytes)
            .map_err(|e| StoreError::io(format!("writing {}", path.display()), e))
    }

    /// Records a new action: it can be undone; what was undone can no
    /// longer be redone.
    pub fn record(&mut self, action: Action) {
        if action.steps.is_empty() {
            return;
        }
        self.done.push(action);
        if self.done.len() > KEEP {
            let extra = self.done.len() - KEEP;
            self.done.drain(..extra);
        }
        self.undone.clear();
    }
}
