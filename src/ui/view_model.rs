//! What flows between the UI and the backend: the [`Command`]s the screens
//! send, the [`ViewModel`] they read (built by [`crate::views`]), and
//! [`Notice`]s shown as toasts.

use crate::model::Role;
use crate::ops::Op;

pub use crate::views::ViewModel;

/// What the UI asks for. Record changes are [`Op`]s, applied by the same
/// operations layer the CLI uses.
#[derive(Debug, Clone)]
pub enum Command {
    CreateWorkspace {
        workspace: String,
        name: String,
    },
    Join {
        ticket: String,
        name: String,
    },
    /// A change to records.
    Op(Op),
    /// Undo this device's last change (Ctrl+Z).
    Undo,
    /// Redo the last undone change (Ctrl+Shift+Z).
    Redo,
    Invite {
        role: Role,
        hours: u64,
    },
    /// Show an item's movement history (loaded on demand).
    ShowMovements {
        item: Option<String>,
    },
    /// A document opened (its text and versions are loaded and kept
    /// current while open) or closed.
    OpenDoc {
        doc: Option<String>,
    },
    /// Compare two versions of the open document's text (numbers, oldest
    /// is 1).
    CompareVersions {
        from: usize,
        to: usize,
    },
    /// Write the people directory as CSV to `path`.
    ExportDirectory {
        path: std::path::PathBuf,
    },
    /// A record's history shown (kind, id) or closed: loaded and kept
    /// current while shown.
    ShowHistory {
        record: Option<(String, String)>,
    },
    /// Read, unread, snooze or notified, for one of this member's reminders.
    MarkReminder {
        key: String,
        mark: crate::store::Mark,
    },
    /// Past years' tasks shown or hidden (loaded while shown).
    ShowArchive {
        open: bool,
    },
    /// Move tasks finished before this year into yearly archives (admins).
    ArchivePastYears,
    /// The Trash area opened or closed (its list is loaded while open).
    ShowTrash {
        open: bool,
    },
    SetMemberRole {
        member_id: String,
        role: Role,
    },
    RemoveMember {
        member_id: String,
    },
    /// One device of a member (lost or stolen); the member stays.
    RemoveDevice {
        member_id: String,
        device: String,
    },
    /// Documents changed (remote changes): refresh the views. Coalesced.
    Refresh,
    /// Peer connections changed: refresh peer status (at most a few
    /// times a second). Coalesced.
    PeersChanged,
    /// A new recovery kit (admins); its phrase is shown once.
    NewRecoveryKit,
    /// Keep what a removed device changed after its removal (admins).
    KeepAfterRemoval {
        device: String,
    },
    /// The recovery phrase was written down: stop showing it.
    ForgetRecoveryPhrase,
    /// Make the leadership report for `span` (shown as the preview) and,
    /// with `save`, write it as that format to that file.
    MakeReport {
        span: crate::report::Span,
        save: Option<(crate::report::Format, std::path::PathBuf)>,
    },
    /// The app is closing: stop after what is queued, closing connections
    /// (so peers see this device leave at once) and the store.
    Shutdown,
}

impl From<Op> for Command {
    fn from(op: Op) -> Self {
        Command::Op(op)
    }
}

/// Something to tell the user (a toast).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
    /// A record was created: the toast offers "Show".
    Created {
        text: String,
        kind: String,
        id: String,
    },
}
