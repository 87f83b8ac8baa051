//! Documents a joining device received whole (see `sync::snapshot`), put
//! in storage as snapshots before the repo starts and handed to samod
//! already loaded, so each is decoded once, not twice.

use std::path::Path;
use std::str::FromStr;

use automerge::Automerge;
use samod::DocumentId;
use samod::storage::StorageKey;
use samod_core::CompactionHash;

use super::{DurableStorage, Result, StoreError, quarantine_dir, store_dir};

/// One verified document: its id, its saved bytes and the document they
/// load to.
pub struct Seed {
    pub doc_id: String,
    pub bytes: Vec<u8>,
    pub doc: Automerge,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seed({}, {} bytes)", self.doc_id, self.bytes.len())
    }
}

/// Writes every seed to the storage of `data_dir` (durably, as the
/// snapshot samod itself would write) and preloads it for the repo of
/// `peer_id`. Runs before that repo starts.
pub(super) fn plant(data_dir: &Path, peer_id: &str, seeds: Vec<Seed>) -> Result<()> {
    if seeds.is_empty() {
        return Ok(());
    }
    let storage = DurableStorage::open(&store_dir(data_dir), &quarantine_dir(data_dir))
        .map_err(|e| StoreError::io(format!("opening storage in {}", data_dir.display()), e))?;
    let me = samod_core::PeerId::from(peer_id);
    for seed in seeds {
        let id = DocumentId::from_str(&seed.doc_id)
            .map_err(|_| StoreError::Rejected(format!("invalid document id {}", seed.doc_id)))?;
        let key = StorageKey::snapshot_path(&id, &CompactionHash::new(&seed.doc.get_heads()));
        storage
            .put_durable(&key, &seed.bytes)
            .map_err(|e| StoreError::io("saving a received document", e))?;
        samod_core::carry::preload(&me, &id, seed.doc, vec![key]);
    }
    Ok(())
}
