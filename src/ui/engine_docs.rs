//! The engine's part for Docs and People: keeping the open document's text
//! and its compared versions current, and writing the directory as CSV.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::engine::Engine;
use crate::store::Store;

impl Engine {
    /// Keeps the open document's text current: read again when its body
    /// document moved; a text that has not arrived is asked for again at
    /// most every two seconds (asking waits for connected peers).
    pub(super) fn keep_body(&mut self, store: &Store) {
        let Some(doc) = self
            .body_of
            .as_ref()
            .and_then(|id| self.vm.docs.doc(id).cloned())
        else {
            self.vm.body = None;
            return;
        };
        let heads = store.body_heads(&doc.body_doc);
        let fresh = self
            .vm
            .body
            .as_ref()
            .is_some_and(|b| b.doc == doc.id && b.heads == heads && b.unavailable.is_none());
        let waiting = self
            .vm
            .body
            .as_ref()
            .is_some_and(|b| b.doc == doc.id && b.unavailable.is_some())
            && !store.is_body_loaded(&doc.body_doc)
            && self
                .body_asked_at
                .is_some_and(|at| at.elapsed() < Duration::from_secs(2));
        if !fresh && !waiting {
            self.body_asked_at = Some(Instant::now());
            self.vm.body = Some(Arc::new(crate::views::docs::body_view(store, &doc)));
        }
        let compare = self.body_compare;
        if let Some(body) = &self.vm.body
            && body.unavailable.is_none()
            && compare != (0, 0)
            && body.diff.as_ref().map(|d| d.compared) != Some(compare)
        {
            let mut body = (**body).clone();
            body.diff = crate::views::docs::version_diff(store, &doc, compare.0, compare.1).ok();
            self.vm.body = Some(Arc::new(body));
        }
    }

    /// Writes the people directory as CSV to `path`.
    pub(super) fn export_directory(
        &self,
        path: &std::path::Path,
    ) -> Result<Option<String>, String> {
        if path.as_os_str().is_empty() {
            return Err("type where to save the directory".into());
        }
        let bytes = crate::report::directory::csv(&self.vm.people.directory)
            .map_err(|e| format!("could not make the CSV: {e}"))?;
        crate::store::datadir::write_atomic(path, &bytes)
            .map_err(|e| format!("could not write {}: {e}", path.display()))?;
        Ok(Some(format!("Saved {}", path.display())))
    }
}
