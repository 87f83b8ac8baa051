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
    let storage = open_storage(data_dir)?;
    let me = samod_core::PeerId::from(peer_id);
    for seed in seeds {
        let (id, key) = put_snapshot(&storage, &seed.doc_id, &seed.doc, &seed.bytes)?;
        samod_core::carry::preload(&me, &id, seed.doc, vec![(key, seed.bytes.len())]);
    }
    Ok(())
}

/// Adds `doc` to the storage of `data_dir` as one more snapshot of
/// document `doc_id` (a benchmark's fixture built in memory). Its history
/// must include the document's: samod loads every snapshot and merges.
pub(crate) fn write_snapshot(data_dir: &Path, doc_id: &str, doc: &Automerge) -> Result<()> {
    put_snapshot(&open_storage(data_dir)?, doc_id, doc, &doc.save())?;
    Ok(())
}

fn open_storage(data_dir: &Path) -> Result<DurableStorage> {
    DurableStorage::open(&store_dir(data_dir), &quarantine_dir(data_dir))
        .map_err(|e| StoreError::io(format!("opening storage in {}", data_dir.display()), e))
}

/// Writes the document `handle` holds now durably as one snapshot
/// (`what` names it in an error).
pub(super) fn save_handle(
    storage: &DurableStorage,
    handle: &samod::DocHandle,
    what: &str,
) -> Result<()> {
    let (heads, bytes) = handle.with_document(|d| (d.get_heads(), d.save()));
    let key = StorageKey::snapshot_path(handle.document_id(), &CompactionHash::new(&heads));
    storage
        .put_durable(&key, &bytes)
        .map_err(|e| StoreError::io(format!("saving {what}"), e))
}

/// Writes `bytes` (the saved `doc`) durably as a snapshot of `doc_id`.
fn put_snapshot(
    storage: &DurableStorage,
    doc_id: &str,
    doc: &Automerge,
    bytes: &[u8],
) -> Result<(DocumentId, StorageKey)> {
    let id = DocumentId::from_str(doc_id)
        .map_err(|_| StoreError::Rejected(format!("invalid document id {doc_id}")))?;
    let key = StorageKey::snapshot_path(&id, &CompactionHash::new(&doc.get_heads()));
    storage
        .put_durable(&key, bytes)
        .map_err(|e| StoreError::io("saving a document snapshot", e))?;
    Ok((id, key))
}
