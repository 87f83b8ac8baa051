//! The engine's part for past years: the yearly archive made from the
//! Tasks screen (admins), and `vm.archive` read while past years are shown,
//! again only when the years or which of them are on this device change.

use std::sync::Arc;

use super::backend::Command;
use super::engine::Engine;
use crate::model::Area;
use crate::store::Store;
use crate::views::archive::ArchiveView;

impl Engine {
    pub(super) fn apply_archive(&mut self, command: Command) -> Result<Option<String>, String> {
        match command {
            Command::ShowArchive { open } => {
                self.archive_open = open.then(Vec::new);
                if !open {
                    self.vm.archive = None;
                }
                Ok(None)
            }
            Command::ArchivePastYears => {
                let store = self.store()?.clone();
                let session = self.session.as_ref().ok_or("no workspace is open")?;
                let r = session
                    .archive(&store, Area::Tasks, None)
                    .map_err(|e| e.to_string())?;
                self.peers_wanted = true;
                Ok(Some(format!(
                    "Archived {} finished task{} into {}; {} stay in the list",
                    r.archived,
                    if r.archived == 1 { "" } else { "s" },
                    r.archives
                        .keys()
                        .map(|y| y.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    r.kept
                )))
            }
            _ => Ok(None),
        }
    }

    /// Reads past years again if they are shown and changed.
    pub(super) fn keep_archive(&mut self, store: &Store) {
        let Some(shown) = &self.archive_open else {
            return;
        };
        let key = match ArchiveView::key(store) {
            Ok(key) => key,
            Err(e) => {
                tracing::warn!("reading the archive: {e}");
                return;
            }
        };
        if self.vm.archive.is_some() && *shown == key {
            return;
        }
        match ArchiveView::read(store) {
            Ok(view) => {
                self.vm.archive = Some(Arc::new(view));
                self.archive_open = Some(key);
            }
            Err(e) => tracing::warn!("reading the archive: {e}"),
        }
    }
}
