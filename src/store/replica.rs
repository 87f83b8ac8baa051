//! Merging another replica of the same workspace without the network:
//! directly from another open store, or through Automerge sync messages
//! carried by the caller. Used by the convergence simulation (which drops,
//! duplicates and reorders those messages) and as the basis of offline
//! "sneakernet" merges.

use std::collections::HashMap;

use automerge::sync::{self, SyncDoc};
use samod::storage::StorageKey;

use super::{Result, Store, StoreError};

impl Store {
    /// Applies every change `other` holds that this store lacks, document by
    /// document, saving each applied change durably. Both stores must hold
    /// the same workspace. Returns the number of changes applied.
    pub fn merge_from(&self, other: &Store) -> Result<usize> {
        if self.device.root_doc != other.device.root_doc {
            return Err(StoreError::Rejected(
                "these data directories hold different workspaces".into(),
            ));
        }
        let mut applied = 0;
        // Body documents the other replica has and this one lacks arrive
        // whole (as the other's saved form), then merge like the rest.
        for theirs in other.loaded_bodies() {
            let id = theirs.document_id().to_string();
            let doc_id = theirs.document_id();
            let stored = !self
                .storage
                .list_keys(&StorageKey::snapshot_prefix(doc_id))
                .is_empty()
                || !self
                    .storage
                    .list_keys(&StorageKey::incremental_prefix(doc_id))
                    .is_empty();
            if self.docs.loaded_body(&id).is_none() && !stored {
                super::seed::save_handle(&self.storage, &theirs, "a merged document")?;
                applied += 1;
            }
            self.docs.body(&id)?.ok_or_else(|| {
                StoreError::Rejected(format!("document {id} did not load after merging"))
            })?;
        }
        for ours in self.loaded_bodies() {
            let id = ours.document_id().to_string();
            other.docs.body(&id)?;
        }
        let their_docs = other.documents()?;
        for ours in self.documents()? {
            // A body document the other has never had: nothing to take.
            let Some(theirs) = their_docs
                .iter()
                .find(|h| h.document_id() == ours.document_id())
            else {
                continue;
            };
            let snapshot = theirs.with_document(|d| d.fork());
            let chunks = ours.with_document(|doc| -> Result<Vec<_>> {
                // Only the changes we lack (Automerge's `merge` returns the
                // heads, not what it applied).
                let added = doc.get_changes_added(&snapshot);
                let chunks: Vec<_> = added
                    .iter()
                    .map(|c| (c.hash(), c.raw_bytes().to_vec()))
                    .collect();
                doc.apply_changes(added)?;
                Ok(chunks)
            })?;
            for (hash, bytes) in chunks {
                let key = StorageKey::incremental_path(ours.document_id(), hash);
                self.storage
                    .put_durable(&key, &bytes)
                    .map_err(|e| StoreError::io("saving merged changes", e))?;
                applied += 1;
            }
        }
        Ok(applied)
    }
}

/// One replica's side of an Automerge sync conversation with one other
/// replica, a state per document. Transport-independent: the caller carries
/// the messages (tests use it to drop, duplicate and reorder them).
/// Start a fresh session after every disconnect.
#[derive(Default)]
pub struct SyncSession {
    states: HashMap<String, sync::State>,
}

impl Store {
    /// The next sync message for every document with something to say:
    /// `(document id, encoded message)`. Empty once the peer is known to
    /// have everything.
    pub fn generate_sync_messages(
        &self,
        session: &mut SyncSession,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for handle in self.documents()? {
            let id = handle.document_id().to_string();
            let state = session.states.entry(id.clone()).or_default();
            if let Some(message) = handle.with_document(|doc| doc.generate_sync_message(state)) {
                out.push((id, message.encode()));
            }
        }
        Ok(out)
    }

    /// Applies a sync message for `doc_id` from the peer of `session`,
    /// saving every change it added durably. Returns the number applied.
    /// Garbage is refused with an error and changes nothing.
    pub fn receive_sync_message(
        &self,
        session: &mut SyncSession,
        doc_id: &str,
        message: &[u8],
    ) -> Result<usize> {
        // The same check samod applies to messages from peers.
        let message = samod_core::sync_guard::decode(message)
            .map_err(|e| StoreError::Rejected(format!("not a usable sync message: {e}")))?;
        let handle = self
            .documents()?
            .into_iter()
            .find(|h| h.document_id().to_string() == doc_id)
            .ok_or_else(|| StoreError::Rejected(format!("no document {doc_id} here")))?;
        let state = session.states.entry(doc_id.to_string()).or_default();
        let chunks = handle.with_document(|doc| -> Result<Vec<_>> {
            let before = doc.get_heads();
            samod_core::sync_guard::receive(doc, state, message).map_err(StoreError::Rejected)?;
            Ok(doc
                .get_changes(&before)
                .iter()
                .map(|c| (c.hash(), c.raw_bytes().to_vec()))
                .collect())
        })?;
        for (hash, bytes) in &chunks {
            let key = StorageKey::incremental_path(handle.document_id(), *hash);
            self.storage
                .put_durable(&key, bytes)
                .map_err(|e| StoreError::io("saving synced changes", e))?;
        }
        Ok(chunks.len())
    }
}
