//! The store's one error type: everything that can go wrong, each with
//! what to do about it.

use std::path::PathBuf;

use crate::model::ValidationError;

/// Everything that can go wrong in the store, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid {0}")]
    Invalid(ValidationError),
    #[error("no {kind} with id {id:?} (list them with `bureau {kind} list`)")]
    NotFound { kind: &'static str, id: String },
    #[error("{0}")]
    Rejected(String),
    #[error(
        "no workspace in {0} (create one with `bureau init --workspace NAME --name YOUR_NAME`)"
    )]
    NoWorkspace(PathBuf),
    #[error("a workspace already exists in {0}")]
    AlreadyInitialized(PathBuf),
    #[error("data directory {dir} is in use by {holder}; stop it or use another --data-dir")]
    Locked { dir: PathBuf, holder: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("the store has shut down")]
    Stopped,
}

impl StoreError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        StoreError::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<ValidationError> for StoreError {
    fn from(e: ValidationError) -> Self {
        StoreError::Invalid(e)
    }
}

impl From<automerge::AutomergeError> for StoreError {
    fn from(e: automerge::AutomergeError) -> Self {
        StoreError::Corrupt(format!("automerge: {e}"))
    }
}

impl From<autosurgeon::HydrateError> for StoreError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        StoreError::Corrupt(format!("unexpected document shape: {e}"))
    }
}

impl From<autosurgeon::ReconcileError> for StoreError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        StoreError::Corrupt(format!("could not write record: {e}"))
    }
}

impl From<samod::Stopped> for StoreError {
    fn from(_: samod::Stopped) -> Self {
        StoreError::Stopped
    }
}
