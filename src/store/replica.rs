//! Merging another replica of the same workspace directly (no network):
//! used by tests and as the basis of offline "sneakernet" merges.

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
        let their_docs = other.documents()?;
        for ours in self.documents()? {
            let theirs = their_docs
                .iter()
                .find(|h| h.document_id() == ours.document_id())
                .ok_or_else(|| StoreError::Rejected("the other replica lacks a document".into()))?;
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
