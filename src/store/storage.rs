//! Durable, crash-safe chunk storage on disk, implementing samod's
//! [`samod::storage::Storage`] so the repo loads, saves and compacts through it.
//!
//! Layout: `<data>/store/<doc id>/<incremental|snapshot>/<hash>`, one file per
//! samod key. Every file is framed (see `store::chunk_file`) as `BURC` magic, payload length (u64 LE),
//! CRC-32 of the payload, then the payload, so a torn or flipped file is
//! detected before Automerge sees it.
//!
//! Writes go to a temp file in the same directory, are fsynced, renamed into
//! place, and the directory is fsynced: a file either exists whole or not at
//! all. Keys are content addressed (change hash or heads hash), so a put of a
//! key that already exists is skipped. Corrupt files found while loading are
//! moved to `<data>/quarantine/` and reported; the rest loads.
//!
//! samod's `put` cannot report failure. If any put fails, deletes are refused
//! for the rest of the process: samod would otherwise delete the chunks a
//! failed snapshot was meant to replace. Leftover chunks are harmless and are
//! compacted away on a later run.
//!
//! A chunk whose write failed is kept in memory and written again before
//! the next change of its document is acknowledged ([`DurableStorage::retry_failed_puts`]),
//! so an acknowledged change never depends on one missing from disk.
//!
//! A document is *protected* (its chunks are never deleted) once one of its
//! files was quarantined or it holds changes waiting for a missing dependency:
//! Automerge snapshots leave such waiting changes out, so compacting would
//! silently drop them. They stay on disk until a peer supplies what is missing.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use samod::storage::{Storage, StorageKey};

use super::chunk_file::{ChunkError, HEADER_LEN, read_chunk};
pub use super::chunk_file::{MAX_CHUNK_BYTES, frame, unframe};
use super::faults::{FaultOp, FaultPlan};

const TEMP_PREFIX: &str = ".tmp-";

/// A file that failed its integrity check and was moved aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub original: PathBuf,
    pub moved_to: PathBuf,
    pub reason: String,
}

/// Counters for benchmarks and status.
#[derive(Debug, Default)]
pub struct StorageStats {
    pub puts: AtomicU64,
    pub bytes_written: AtomicU64,
    pub skipped_puts: AtomicU64,
    pub deletes: AtomicU64,
}

#[derive(Debug)]
struct Inner {
    root: PathBuf,
    quarantine_dir: PathBuf,
    quarantined: Mutex<Vec<Quarantined>>,
    /// Set when a put failed; from then on deletes are refused.
    put_failed: AtomicBool,
    /// Chunks whose write failed, kept so they can be written before any
    /// later change of their document is acknowledged (see module docs).
    failed_puts: Mutex<HashMap<StorageKey, Vec<u8>>>,
    /// Documents whose chunks must not be deleted (see module docs).
    protected: Mutex<HashSet<String>>,
    stats: StorageStats,
    /// Injected failures (tests only; `None` in normal use).
    faults: Option<Arc<FaultPlan>>,
}

/// Durable storage for samod documents. Cheap to clone (shared state).
#[derive(Debug, Clone)]
pub struct DurableStorage {
    inner: Arc<Inner>,
}

impl DurableStorage {
    /// Opens (creating if needed) storage under `root`, quarantining files to
    /// `quarantine_dir`. Leftover temp files from an interrupted write are removed.
    pub fn open(root: &Path, quarantine_dir: &Path) -> io::Result<Self> {
        Self::open_with_faults(root, quarantine_dir, None)
    }

    /// [`open`](Self::open), failing the disk operations `faults` chooses.
    pub fn open_with_faults(
        root: &Path,
        quarantine_dir: &Path,
        faults: Option<Arc<FaultPlan>>,
    ) -> io::Result<Self> {
        fs::create_dir_all(root)?;
        remove_temp_files(root)?;
        Ok(DurableStorage {
            inner: Arc::new(Inner {
                root: root.to_path_buf(),
                quarantine_dir: quarantine_dir.to_path_buf(),
                quarantined: Mutex::new(Vec::new()),
                put_failed: AtomicBool::new(false),
                failed_puts: Mutex::new(HashMap::new()),
                protected: Mutex::new(HashSet::new()),
                stats: StorageStats::default(),
                faults,
            }),
        })
    }

    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    pub fn stats(&self) -> &StorageStats {
        &self.inner.stats
    }

    /// Files quarantined since this storage was opened.
    pub fn quarantined(&self) -> Vec<Quarantined> {
        lock(&self.inner.quarantined).clone()
    }

    fn fault(&self, op: FaultOp) -> io::Result<()> {
        match &self.inner.faults {
            Some(plan) => plan.check(op),
            None => Ok(()),
        }
    }

    fn path_for(&self, key: &StorageKey) -> PathBuf {
        let mut path = self.inner.root.clone();
        for part in key {
            path.push(encode_component(part));
        }
        path
    }

    /// Writes `data` under `key` durably (temp file, fsync, rename, fsync dir)
    /// and returns once it is on disk. Existing keys are left as they are.
    pub fn put_durable(&self, key: &StorageKey, data: &[u8]) -> io::Result<()> {
        let path = self.path_for(key);
        if path.exists() {
            if lock(&self.inner.failed_puts).contains_key(key)
                && let Some(dir) = path.parent()
            {
                // Written whole, but its directory entry was never synced.
                self.fault(FaultOp::Fsync)?;
                sync_dir(dir)?;
            }
            lock(&self.inner.failed_puts).remove(key);
            self.inner
                .stats
                .skipped_puts
                .fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::other("storage key has no parent directory"))?;
        create_dirs_durably(&self.inner.root, dir)?;
        let temp = dir.join(format!("{TEMP_PREFIX}{}", uuid::Uuid::now_v7()));
        let result = (|| {
            let mut file = File::create(&temp)?;
            let framed = frame(data);
            if let Err(e) = self.fault(FaultOp::Write) {
                // A torn write: half the bytes reach the file.
                let _ = file.write_all(&framed[..framed.len() / 2]);
                return Err(e);
            }
            file.write_all(&framed)?;
            self.fault(FaultOp::Fsync)?;
            file.sync_all()?;
            drop(file);
            self.fault(FaultOp::Rename)?;
            fs::rename(&temp, &path)?;
            self.fault(FaultOp::Fsync)?;
            sync_dir(dir)
        })();
        if result.is_err() {
            // A renamed file is whole (and may be another writer's copy of
            // the same content): it stays, and the retry syncs its directory.
            let _ = fs::remove_file(&temp);
            lock(&self.inner.failed_puts).insert(key.clone(), data.to_vec());
        } else {
            lock(&self.inner.failed_puts).remove(key);
            let stats = &self.inner.stats;
            stats.puts.fetch_add(1, Ordering::Relaxed);
            stats
                .bytes_written
                .fetch_add((data.len() + HEADER_LEN) as u64, Ordering::Relaxed);
        }
        result
    }

    /// Writes again every chunk of `doc_id` whose write failed earlier this
    /// session. A change is acknowledged only after this succeeds: a later
    /// change depends on every earlier one, so saving it while an earlier
    /// one is missing on disk would make it unloadable after a restart.
    pub fn retry_failed_puts(&self, doc_id: &str) -> io::Result<()> {
        let pending: Vec<(StorageKey, Vec<u8>)> = lock(&self.inner.failed_puts)
            .iter()
            .filter(|(key, _)| key.into_iter().next().is_some_and(|d| d == doc_id))
            .map(|(key, data)| (key.clone(), data.clone()))
            .collect();
        for (key, data) in pending {
            self.put_durable(&key, &data)?;
        }
        Ok(())
    }

    /// Never delete chunks of `doc_id` from now on (this process).
    pub fn protect(&self, doc_id: &str) {
        lock(&self.inner.protected).insert(doc_id.to_string());
    }

    pub fn is_protected(&self, doc_id: &str) -> bool {
        lock(&self.inner.protected).contains(doc_id)
    }

    /// Deletes a chunk (unless deletes are refused, see module docs).
    pub(crate) fn delete_durable(&self, key: &StorageKey) -> io::Result<()> {
        if self.inner.put_failed.load(Ordering::SeqCst) {
            tracing::warn!(%key, "keeping chunk: an earlier write failed this session");
            return Ok(());
        }
        if let Some(doc) = key.into_iter().next()
            && self.is_protected(doc)
        {
            tracing::warn!(%key, "keeping chunk: its document has damaged or waiting changes");
            return Ok(());
        }
        let path = self.path_for(key);
        self.fault(FaultOp::Delete)?;
        match fs::remove_file(&path) {
            Ok(()) => {
                self.inner.stats.deletes.fetch_add(1, Ordering::Relaxed);
                if let Some(dir) = path.parent() {
                    self.fault(FaultOp::Fsync)?;
                    sync_dir(dir)?;
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Keys stored under `prefix` (without reading or checking the files).
    pub(crate) fn list_keys(&self, prefix: &StorageKey) -> Vec<StorageKey> {
        let mut out = Vec::new();
        let mut stack = vec![self.path_for(prefix)];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(path);
                } else if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
                    && let Some(key) = self.key_for(&path)
                {
                    out.push(key);
                }
            }
        }
        out
    }

    fn load_one(&self, key: &StorageKey) -> Option<Vec<u8>> {
        let path = self.path_for(key);
        self.read_verified(&path)
    }

    fn load_prefix(&self, prefix: &StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        let mut out = HashMap::new();
        let base = self.path_for(prefix);
        let mut stack = vec![base];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(file_type) = entry.file_type() else {
                    continue;
                };
                if file_type.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = entry.file_name();
                if name.to_string_lossy().starts_with(TEMP_PREFIX) {
                    continue;
                }
                let Some(key) = self.key_for(&path) else {
                    continue;
                };
                if let Some(data) = self.read_verified(&path) {
                    out.insert(key, data);
                }
            }
        }
        out
    }

    fn key_for(&self, path: &Path) -> Option<StorageKey> {
        let rel = path.strip_prefix(&self.inner.root).ok()?;
        let parts: Option<Vec<String>> = rel
            .components()
            .map(|c| decode_component(&c.as_os_str().to_string_lossy()))
            .collect();
        StorageKey::from_parts(parts?).ok()
    }

    /// Reads and checks a chunk; a bad one is quarantined and `None` returned.
    fn read_verified(&self, path: &Path) -> Option<Vec<u8>> {
        match read_chunk(path) {
            Ok(data) => Some(data),
            Err(ChunkError::Io(e)) if e.kind() == io::ErrorKind::NotFound => None,
            Err(ChunkError::Io(e)) => {
                tracing::error!(path = %path.display(), error = %e, "could not read chunk");
                None
            }
            Err(ChunkError::Corrupt(reason)) => {
                self.quarantine(path, reason);
                None
            }
        }
    }

    fn quarantine(&self, path: &Path, reason: String) {
        let rel = path
            .strip_prefix(&self.inner.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        let target = self.inner.quarantine_dir.join(format!(
            "{}-{rel}",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f")
        ));
        let moved = fs::create_dir_all(&self.inner.quarantine_dir)
            .and_then(|()| fs::rename(path, &target))
            .and_then(|()| path.parent().map_or(Ok(()), sync_dir));
        if let Some(doc) = self.key_for(path).and_then(|k| k.into_iter().next()) {
            self.protect(&doc);
        }
        match moved {
            Ok(()) => {
                tracing::warn!(file = %path.display(), to = %target.display(), %reason, "quarantined corrupt chunk");
                lock(&self.inner.quarantined).push(Quarantined {
                    original: path.to_path_buf(),
                    moved_to: target,
                    reason,
                });
            }
            Err(e) => {
                tracing::error!(file = %path.display(), error = %e, %reason, "corrupt chunk could not be moved aside; skipping it");
            }
        }
    }

    fn note_put_failure(&self, key: &StorageKey, error: &io::Error) {
        tracing::error!(%key, %error, "storage write failed; deletes disabled for this session");
        self.inner.put_failed.store(true, Ordering::SeqCst);
    }

    /// Total bytes of all chunk files.
    pub fn size_on_disk(&self) -> u64 {
        dir_size(&self.inner.root)
    }
}

impl Storage for DurableStorage {
    fn load(&self, key: StorageKey) -> impl Future<Output = Option<Vec<u8>>> + Send {
        let this = self.clone();
        async move {
            tokio::task::spawn_blocking(move || this.load_one(&key))
                .await
                .ok()
                .flatten()
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let this = self.clone();
        async move {
            tokio::task::spawn_blocking(move || this.load_prefix(&prefix))
                .await
                .unwrap_or_default()
        }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        let this = self.clone();
        async move {
            let outcome = tokio::task::spawn_blocking(move || {
                let result = this.put_durable(&key, &data);
                if let Err(e) = &result {
                    this.note_put_failure(&key, e);
                }
                result.is_ok()
            })
            .await;
            if outcome.is_err() {
                tracing::error!("storage write task failed");
            }
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let this = self.clone();
        async move {
            let _ = tokio::task::spawn_blocking(move || {
                if let Err(e) = this.delete_durable(&key) {
                    tracing::warn!(%key, error = %e, "could not delete superseded chunk");
                }
            })
            .await;
        }
    }
}

/// Key components are kept readable; anything outside `[A-Za-z0-9_-]` is
/// percent-encoded so no component can be `..`, hidden or contain a separator.
fn encode_component(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for b in part.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() { "%".into() } else { out }
}

fn decode_component(name: &str) -> Option<String> {
    if name == "%" {
        return Some(String::new());
    }
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = name.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn create_dirs_durably(root: &Path, dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut cur = dir;
    while !cur.is_dir() {
        missing.push(cur.to_path_buf());
        match cur.parent() {
            Some(p) if p.starts_with(root) || p == root => cur = p,
            _ => break,
        }
    }
    fs::create_dir_all(dir)?;
    for created in missing.iter().rev() {
        if let Some(parent) = created.parent() {
            sync_dir(parent)?;
        }
    }
    Ok(())
}

/// fsyncs a directory so a rename or new entry in it survives a crash.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn remove_temp_files(root: &Path) -> io::Result<()> {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)?.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

fn dir_size(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_components_roundtrip() {
        for part in ["abc", "..", "", "a/b", "snapshot", "ü%x"] {
            let enc = encode_component(part);
            assert!(
                enc.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-%".contains(c))
            );
            assert_eq!(decode_component(&enc).unwrap(), part);
        }
    }
}
