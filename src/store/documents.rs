//! The workspace's documents as the store sees them: the root document,
//! always loaded, one document per area, loaded the first time it is used
//! (a `bureau task add` never pays for loading meetings), and body
//! documents (one per SOP), loaded only when that text is opened or
//! fetched in the background (see `store::bodies`).
//!
//! An area follows the root document's rotation entries (the yearly
//! archive, `store::rotation`): it lives in the newest document of its
//! chain that is on this machine. Until a new live document has arrived,
//! the area stays in the one before (edits made there are late edits,
//! written again once it arrives). Archive documents load on demand.
//!
//! When an area document is loaded and its directory holds more than one
//! snapshot (samod deletes superseded chunks only on the next save, so an
//! exit right after a compaction leaves the old snapshot behind), a
//! background thread writes one fresh snapshot and removes the chunks it
//! covers, so the next load reads each change once.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Mutex;

use automerge::ReadDoc;
use samod::storage::StorageKey;
use samod::{DocHandle, DocumentId, Repo};

use super::rotation::{self, Chain};
use super::storage::DurableStorage;
use super::{Result, StoreError};
use crate::model::Area;

pub(crate) struct Documents {
    repo: Repo,
    storage: DurableStorage,
    runtime: tokio::runtime::Handle,
    data_dir: PathBuf,
    /// Each area's first document (the root's `areas` map).
    area_ids: BTreeMap<Area, DocumentId>,
    /// Each area's chain of documents, and the root heads it was read at.
    chains: Mutex<(Vec<automerge::ChangeHash>, BTreeMap<Area, Chain>)>,
    loaded: Mutex<BTreeMap<Area, DocHandle>>,
    /// Archive documents loaded so far, by document id.
    archives: Mutex<BTreeMap<String, DocHandle>>,
    /// Documents areas lived in before a rotation, still loaded.
    retired: Mutex<BTreeMap<String, DocHandle>>,
    /// Which devices' rotation entries count (see
    /// `Store::trust_archives_from`).
    archive_authors: Mutex<Option<super::ArchiveAuthors>>,
    /// Held while late edits are written again (one pass at a time).
    pub(crate) follow: Mutex<()>,
    /// Body documents loaded so far, by document id.
    bodies: Mutex<BTreeMap<String, DocHandle>>,
    /// Bumped whenever another document is loaded (a body, or an area's
    /// new live document), for whoever watches documents' changes.
    added: tokio::sync::watch::Sender<usize>,
    upkeep: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

impl Documents {
    /// Wraps documents that are all already loaded (a workspace just created).
    pub(crate) fn new(
        repo: Repo,
        storage: DurableStorage,
        data_dir: PathBuf,
        loaded: BTreeMap<Area, DocHandle>,
    ) -> Self {
        let area_ids = loaded
            .iter()
            .map(|(a, h)| (*a, h.document_id().clone()))
            .collect();
        Documents {
            repo,
            storage,
            runtime: tokio::runtime::Handle::current(),
            data_dir,
            area_ids,
            chains: Mutex::default(),
            loaded: Mutex::new(loaded),
            archives: Mutex::default(),
            retired: Mutex::default(),
            archive_authors: Mutex::default(),
            follow: Mutex::default(),
            bodies: Mutex::default(),
            added: tokio::sync::watch::Sender::new(0),
            upkeep: Mutex::new(Vec::new()),
        }
    }

    /// Documents of an existing workspace: `root` loaded, areas by id.
    pub(crate) fn lazy(
        repo: Repo,
        storage: DurableStorage,
        data_dir: PathBuf,
        root: DocHandle,
        area_ids: BTreeMap<Area, DocumentId>,
    ) -> Self {
        let docs = Documents {
            repo,
            storage,
            runtime: tokio::runtime::Handle::current(),
            data_dir,
            area_ids,
            chains: Mutex::default(),
            loaded: Mutex::new(BTreeMap::new()),
            archives: Mutex::default(),
            retired: Mutex::default(),
            archive_authors: Mutex::default(),
            follow: Mutex::default(),
            bodies: Mutex::default(),
            added: tokio::sync::watch::Sender::new(0),
            upkeep: Mutex::new(Vec::new()),
        };
        docs.after_load(&root);
        let mut loaded = lock(&docs.loaded);
        for (area, id) in &docs.area_ids {
            if id == root.document_id() {
                loaded.insert(*area, root.clone());
            }
        }
        drop(loaded);
        docs.refresh_chains();
        docs
    }

    pub(crate) fn repo(&self) -> &Repo {
        &self.repo
    }

    /// Reads the rotation entries again if the root document changed;
    /// returns whether an area's chain changed.
    pub(crate) fn refresh_chains(&self) -> bool {
        let Some(root) = lock(&self.loaded).get(&Area::Root).cloned() else {
            return false;
        };
        let heads = root.with_document(|d| d.get_heads());
        if lock(&self.chains).0 == heads {
            return false;
        }
        let authors = lock(&self.archive_authors).clone();
        let (mut rotations, unreadable, log) = root.with_document(|d| {
            let (rotations, unreadable) = rotation::read_rotations(d);
            // The log is folded (every signature checked) only when there
            // is an entry to judge.
            let log = authors
                .as_ref()
                .filter(|_| !rotations.is_empty())
                .map(|_| super::membership_log::read_log(d).unwrap_or_default());
            (rotations, unreadable, log)
        });
        if let (Some(authors), Some(log)) = (authors, log) {
            let admins = authors(&log);
            let before = rotations.len();
            rotations.retain(|r| r.author.as_ref().is_some_and(|d| admins.contains(d)));
            if rotations.len() < before {
                tracing::warn!(
                    ignored = before - rotations.len(),
                    "archive entries written by a device that was never an admin's were ignored"
                );
            }
        }
        if unreadable > 0 {
            tracing::warn!(
                unreadable,
                "archive entries this version cannot read were skipped"
            );
        }
        let chains: BTreeMap<Area, Chain> = self
            .area_ids
            .iter()
            .filter(|(a, _)| **a != Area::Root)
            .map(|(a, id)| (*a, rotation::chain_of(id, *a, &rotations)))
            .collect();
        let mut current = lock(&self.chains);
        let changed = current.1 != chains;
        *current = (heads, chains);
        changed
    }

    /// Sets who may archive, and reads the entries again with it.
    pub(crate) fn set_archive_authors(&self, authors: super::ArchiveAuthors) {
        *lock(&self.archive_authors) = Some(authors);
        lock(&self.chains).0.clear();
        self.refresh_chains();
    }

    /// Each area's chain of documents, as last read.
    pub(crate) fn chains(&self) -> BTreeMap<Area, Chain> {
        lock(&self.chains).1.clone()
    }

    /// Whether document `id` is loaded or has chunks on this machine.
    pub(crate) fn is_here(&self, id: &DocumentId) -> bool {
        self.loaded_any(id).is_some()
            || !self
                .storage
                .list_keys(&StorageKey::snapshot_prefix(id))
                .is_empty()
            || !self
                .storage
                .list_keys(&StorageKey::incremental_prefix(id))
                .is_empty()
    }

    /// The document `area` lives in now: the newest of its chain that is
    /// on this machine.
    fn current_id(&self, area: Area) -> Option<DocumentId> {
        let first = self.area_ids.get(&area)?;
        // Called on every read: only the ids are copied, and an area never
        // archived returns at once.
        let (docs, live) = match lock(&self.chains).1.get(&area) {
            Some(chain) if chain.docs.len() > 1 => (chain.docs.clone(), chain.live().clone()),
            _ => return Some(first.clone()),
        };
        // Fast path: the live document is loaded (no disk look-up).
        if lock(&self.loaded)
            .values()
            .any(|h| h.document_id() == &live)
        {
            return Some(live);
        }
        let newest = docs.iter().rev().find(|id| self.is_here(id));
        Some(newest.unwrap_or(first).clone())
    }

    /// The document holding `area`, loading it on first use. Blocks: call
    /// from a plain or blocking thread, never from inside an async task.
    pub(crate) fn get(&self, area: Area) -> Result<DocHandle> {
        let id = self.current_id(area).ok_or_else(|| {
            StoreError::Corrupt(format!("the workspace has no {} document", area.name()))
        })?;
        if let Some(handle) = lock(&self.loaded).get(&area)
            && handle.document_id() == &id
        {
            return Ok(handle.clone());
        }
        // Another area may share the document (single-document layout).
        let shared = lock(&self.loaded)
            .values()
            .find(|h| h.document_id() == &id)
            .cloned();
        let handle = match shared {
            Some(h) => h,
            None => self.find(&id, area.name())?,
        };
        let before = lock(&self.loaded).insert(area, handle.clone());
        if let Some(old) = before.filter(|old| old.document_id() != &id) {
            lock(&self.retired).insert(old.document_id().to_string(), old);
            self.added.send_modify(|n| *n += 1);
        }
        Ok(handle)
    }

    /// Every document loaded: areas' (live and retired), archives, bodies.
    pub(crate) fn every_loaded(&self) -> Vec<DocHandle> {
        let mut out: Vec<DocHandle> = self.loaded().into_iter().map(|(_, h)| h).collect();
        out.extend(lock(&self.retired).values().cloned());
        out.extend(lock(&self.archives).values().cloned());
        out
    }

    /// Document `id` if this store has it loaded (an area's, retired,
    /// archive or body).
    pub(crate) fn loaded_any(&self, id: &DocumentId) -> Option<DocHandle> {
        let key = id.to_string();
        lock(&self.loaded)
            .values()
            .find(|h| h.document_id() == id)
            .cloned()
            .or_else(|| lock(&self.retired).get(&key).cloned())
            .or_else(|| lock(&self.archives).get(&key).cloned())
            .or_else(|| lock(&self.bodies).get(&key).cloned())
    }

    /// Finds document `id` (from disk, or asked of connected peers).
    pub(crate) fn find(&self, id: &DocumentId, what: &str) -> Result<DocHandle> {
        let found = self.runtime.block_on(self.repo.find(id.clone()))?;
        let handle = found.ok_or_else(|| self.missing(what))?;
        self.after_load(&handle);
        Ok(handle)
    }

    /// An archive document, or an area's next live document: loaded
    /// already, from disk, or asked of connected peers; `None` if neither
    /// has it. Kept loaded once found.
    pub(crate) fn fetch(&self, id: &DocumentId) -> Result<Option<DocHandle>> {
        if let Some(handle) = lock(&self.archives).get(&id.to_string()) {
            return Ok(Some(handle.clone()));
        }
        let Some(handle) = self.runtime.block_on(self.repo.find(id.clone()))? else {
            return Ok(None);
        };
        lock(&self.archives).insert(id.to_string(), handle.clone());
        Ok(Some(handle))
    }

    /// Loads the documents of `areas` not loaded yet, all at once (they
    /// decode in parallel on samod's document threads).
    pub(crate) fn load(&self, areas: &[Area]) -> Result<()> {
        let loaded = lock(&self.loaded).clone();
        let mut wanted: Vec<(Area, DocumentId)> = Vec::new();
        for area in areas {
            let Some(id) = self.current_id(*area) else {
                continue;
            };
            let id = &id;
            if loaded.get(area).is_some_and(|h| h.document_id() == id) {
                continue;
            }
            // Another area may share the document (single-document layout).
            if !loaded.values().any(|h| h.document_id() == id)
                && !wanted.iter().any(|(_, w)| w == id)
            {
                wanted.push((*area, id.clone()));
            }
        }
        let found = self.runtime.block_on(futures::future::join_all(
            wanted.iter().map(|(_, id)| self.repo.find(id.clone())),
        ));
        for ((area, _), found) in wanted.iter().zip(found) {
            let handle = found?.ok_or_else(|| self.missing(area.name()))?;
            self.after_load(&handle);
            lock(&self.loaded).insert(*area, handle);
        }
        // Areas sharing a document just loaded.
        for area in areas {
            self.get(*area)?;
        }
        Ok(())
    }

    /// Every distinct area document, loading those not loaded yet, then
    /// the body documents loaded so far.
    pub(crate) fn all(&self) -> Result<Vec<DocHandle>> {
        self.load(&Area::ALL)?;
        let mut out: Vec<DocHandle> = Vec::new();
        for area in Area::ALL {
            let handle = self.get(area)?;
            if !out.iter().any(|h| h.document_id() == handle.document_id()) {
                out.push(handle);
            }
        }
        out.extend(lock(&self.bodies).values().cloned());
        Ok(out)
    }

    /// The body document `id` if loaded already.
    pub(crate) fn loaded_body(&self, id: &str) -> Option<DocHandle> {
        lock(&self.bodies).get(id).cloned()
    }

    /// The body document `id`: loaded from disk, or asked of connected
    /// peers; `None` if neither has it. Blocks, like [`Documents::get`].
    pub(crate) fn body(&self, id: &str) -> Result<Option<DocHandle>> {
        if let Some(handle) = self.loaded_body(id) {
            return Ok(Some(handle));
        }
        let doc_id = DocumentId::from_str(id)
            .map_err(|_| StoreError::Rejected(format!("{id:?} is not a document id")))?;
        let Some(handle) = self.runtime.block_on(self.repo.find(doc_id))? else {
            return Ok(None);
        };
        self.after_load(&handle);
        self.add_body(handle.clone());
        Ok(Some(handle))
    }

    /// Keeps a body document just created or loaded.
    pub(crate) fn add_body(&self, handle: DocHandle) {
        let mut bodies = lock(&self.bodies);
        bodies
            .entry(handle.document_id().to_string())
            .or_insert(handle);
        drop(bodies);
        self.added.send_modify(|n| *n += 1);
    }

    /// Body documents loaded so far.
    pub(crate) fn bodies(&self) -> Vec<DocHandle> {
        lock(&self.bodies).values().cloned().collect()
    }

    /// Changes whenever another document is loaded.
    pub(crate) fn watch_added(&self) -> tokio::sync::watch::Receiver<usize> {
        self.added.subscribe()
    }

    pub(crate) fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// The documents loaded so far, each once, with the first area it holds
    /// (body documents: [`Area::Docs`]).
    pub(crate) fn loaded(&self) -> Vec<(Area, DocHandle)> {
        let mut out: Vec<(Area, DocHandle)> = Vec::new();
        for (area, handle) in lock(&self.loaded).iter() {
            if !out
                .iter()
                .any(|(_, h)| h.document_id() == handle.document_id())
            {
                out.push((*area, handle.clone()));
            }
        }
        out.extend(lock(&self.bodies).values().map(|h| (Area::Docs, h.clone())));
        out
    }

    pub(crate) fn missing(&self, what: &str) -> StoreError {
        missing_document(&self.storage, &self.data_dir, what)
    }

    fn after_load(&self, handle: &DocHandle) {
        let doc_id = handle.document_id().to_string();
        let waiting = handle.with_document(|d| d.get_missing_deps(&[]));
        if !waiting.is_empty() {
            tracing::warn!(doc = %doc_id, missing = waiting.len(), "document has changes waiting for missing ones; keeping all its chunks");
            self.storage.protect(&doc_id);
            return;
        }
        let snapshots = self
            .storage
            .list_keys(&StorageKey::snapshot_prefix(handle.document_id()));
        if snapshots.len() <= 1 {
            return;
        }
        let storage = self.storage.clone();
        let handle = handle.clone();
        let job = std::thread::spawn(move || {
            if let Err(e) = compact(&storage, &handle) {
                tracing::warn!(doc = %handle.document_id(), error = %e, "background compaction failed; will retry next time");
            }
        });
        lock(&self.upkeep).push(job);
    }

    /// Waits for background compactions to finish.
    pub(crate) fn finish_upkeep(&self) {
        let jobs: Vec<_> = lock(&self.upkeep).drain(..).collect();
        for job in jobs {
            let _ = job.join();
        }
    }
}

/// Writes one snapshot of the document and removes every chunk it covers.
fn compact(storage: &DurableStorage, handle: &DocHandle) -> std::io::Result<()> {
    let doc_id = handle.document_id();
    let mut covered = storage.list_keys(&StorageKey::snapshot_prefix(doc_id));
    covered.extend(storage.list_keys(&StorageKey::incremental_prefix(doc_id)));
    // Every listed chunk is already in the loaded document, so a snapshot
    // taken now contains all of them.
    let (heads, bytes) = handle.with_document(|d| (d.get_heads(), d.save()));
    let key = StorageKey::snapshot_path(doc_id, &samod_core::CompactionHash::new(&heads));
    storage.put_durable(&key, &bytes)?;
    for old in covered.into_iter().filter(|k| k != &key) {
        storage.delete_durable(&old)?;
    }
    Ok(())
}

pub(crate) fn missing_document(
    storage: &DurableStorage,
    data_dir: &std::path::Path,
    what: &str,
) -> StoreError {
    let quarantined = storage.quarantined();
    let note = if quarantined.is_empty() {
        String::new()
    } else {
        format!(
            "; {} damaged file(s) were moved to {}",
            quarantined.len(),
            data_dir.join("quarantine").display()
        )
    };
    StoreError::Corrupt(format!("the {what} document could not be loaded{note}"))
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
