//! The workspace store: Automerge documents owned by a samod [`samod::Repo`],
//! persisted through [`storage::DurableStorage`], with typed reads and writes
//! for every record kind.
//!
//! Every user action is one Automerge transaction and one commit, tagged with
//! the acting member and the time. An action is acknowledged ("saved") only
//! after its change is durably on disk: [`Store::change`] writes the change's
//! chunk itself (fsynced) before returning, under the same key samod uses, so
//! samod's own later write of that chunk is a no-op.
//!
//! Store methods block on disk and on the document lock: call them from a
//! background thread (or `spawn_blocking`), never from a UI thread.

mod archive;
mod bodies;
mod budget;
mod chunk_file;
mod conflicts;
mod copy;
mod damage;
pub mod datadir;
mod documents;
mod error;
mod export;
mod fast_read;
pub mod faults;
mod history;
mod inbox;
mod late_edits;
mod layout;
mod membership_log;
mod purchasing;
mod queries;
mod record_history;
pub(crate) mod records;
#[cfg(feature = "test-support")]
mod replica;
mod rotation;
pub(crate) mod seed;
mod stock;
pub mod storage;
mod tasks;
mod touched;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use automerge::transaction::{CommitOptions, Transaction};
use automerge::{Automerge, ReadDoc};
use samod::storage::StorageKey;
use samod::{DocHandle, DocumentId, Repo};

use crate::model::{Area, Audit, Member, Stamp, Workspace};

pub use archive::{ArchiveAuthors, ArchivedTask, AreaArchive, Followed};
pub use bodies::{BodyVersion, FetchedBodies};
pub use budget::BudgetRecords;
pub use conflicts::{FieldConflict, RecordConflicts, Written, conflicts_of};
pub use damage::Damage;
pub use datadir::{DataDirLock, DeviceConfig, default_data_dir};
pub use error::StoreError;
pub use faults::{FaultOp, FaultPlan};
pub use history::ChangeMeta;
pub use inbox::{Mark, ReminderState};
pub use layout::{ALL_KINDS, Layout};
pub use membership_log::{DeviceAddresses, MEMBERSHIP_LOG, StoredEntry};
pub use purchasing::PurchasingRecords;
pub(crate) use purchasing::{
    order_numbers as purchasing_order_numbers, read_tolerance as purchasing_tolerance,
};
pub use queries::{LowStock, Renewal, low_stock_in, renewal_calendar};
pub use record_history::{Moment, RecordChange};
pub use records::{Listing, Unreadable, read_item_stock_at, read_record_at};

/// "purchase_orders" -> "purchase order", for messages.
pub fn singular_kind(kind: &str) -> &str {
    match crate::store::ALL_KINDS.iter().find(|(k, _)| *k == kind) {
        Some((k, _)) => records::singular(k),
        None => kind,
    }
}
#[cfg(feature = "test-support")]
pub use replica::SyncSession;
pub use rotation::{ARCHIVABLE, Rotation};
pub use seed::Seed;
pub use stock::{ItemStock, ReceiptMove, StockChange};
pub use storage::{DurableStorage, Quarantined};
pub use touched::touched_records;

/// A record kind's name for messages, e.g. "task", "purchase order".
pub fn kind_label<R: crate::model::Record>() -> &'static str {
    records::singular(R::KIND)
}

/// How a networked repo identifies itself and decides what to share.
pub struct Network<A> {
    /// samod peer id: the device's endpoint id.
    pub peer_id: String,
    pub policy: A,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Paths inside a data directory.
fn store_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("store")
}

fn quarantine_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("quarantine")
}

/// An open workspace.
pub struct Store {
    data_dir: PathBuf,
    storage: DurableStorage,
    docs: std::sync::Arc<documents::Documents>,
    device: DeviceConfig,
    /// The Automerge actor every change of this process is made as.
    actor: automerge::ActorId,
    _lock: DataDirLock,
}

/// The Automerge actor this process writes as: the device's public key, so
/// every change can be traced to the device that made it (a removed
/// device's changes after its removal are undone by that), then 8 random
/// bytes, so each run starts a fresh sequence (a device restored from an
/// old backup never reuses one).
fn author_actor(data_dir: &Path) -> automerge::ActorId {
    let mut bytes = datadir::device_public_key(data_dir)
        .map(|k| k.to_vec())
        .unwrap_or_default();
    bytes.extend(rand::random::<[u8; 8]>());
    automerge::ActorId::from(bytes)
}

/// Documents run on a pool of threads, one per core: loading the
/// workspace's documents (Automerge's own decoding, most of a cold start)
/// and syncing them proceed in parallel rather than one after another.
/// `BUREAU_DOCUMENT_THREADS=0` runs them on one task instead (samod's
/// default), kept for measurement.
fn document_threads() -> Result<samod::ConcurrencyConfig> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads = match std::env::var("BUREAU_DOCUMENT_THREADS") {
        Ok(n) => n.trim().parse().unwrap_or(cores),
        Err(_) => cores,
    };
    if threads == 0 {
        return Ok(samod::ConcurrencyConfig::AsyncRuntime);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("bureau-docs-{i}"))
        .build()
        .map_err(|e| StoreError::Rejected(format!("could not start document threads: {e}")))?;
    Ok(samod::ConcurrencyConfig::Threadpool(pool))
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Store {
    async fn start_repo<A: samod::SharePolicy>(
        data_dir: &Path,
        net: Option<Network<A>>,
        faults: Option<Arc<FaultPlan>>,
    ) -> Result<(Repo, DurableStorage)> {
        let storage = DurableStorage::open_with_faults(
            &store_dir(data_dir),
            &quarantine_dir(data_dir),
            faults,
        )
        .map_err(|e| StoreError::io(format!("opening storage in {}", data_dir.display()), e))?;
        let builder = Repo::build_tokio()
            .with_storage(storage.clone())
            .with_concurrency(document_threads()?);
        let repo = match net {
            Some(net) => {
                builder
                    .with_peer_id(samod::PeerId::from(net.peer_id))
                    .with_share_policy(net.policy)
                    .load()
                    .await
            }
            None => builder.load().await,
        };
        Ok((repo, storage))
    }

    /// Creates a new workspace in `data_dir` with `member_name` as its first
    /// admin. Must run inside a tokio runtime.
    pub async fn init(
        data_dir: &Path,
        workspace_name: &str,
        member_name: &str,
        layout: Layout,
        founder_device: Option<String>,
    ) -> Result<Store> {
        let workspace = Workspace {
            id: crate::model::new_id(),
            name: workspace_name.trim().to_string(),
            schema_version: crate::model::SCHEMA_VERSION,
            currency: "EUR".into(),
            created_at: Stamp::now(),
            created_by: String::new(),
        };
        workspace.validate()?;
        crate::model::workspace::validate_member_name(member_name)?;
        datadir::ensure_dir(data_dir)?;
        let lock = DataDirLock::acquire(data_dir, "init")?;
        if DeviceConfig::load(data_dir)?.is_some() {
            return Err(StoreError::AlreadyInitialized(data_dir.to_path_buf()));
        }
        let (repo, storage) = Self::start_repo::<samod::ShareConfig>(data_dir, None, None).await?;
        let member_id = crate::model::new_id();
        let docs =
            layout::create_documents(&repo, &storage, &workspace, &member_id, layout).await?;
        let device = DeviceConfig {
            root_doc: docs[&Area::Root].document_id().to_string(),
            member_id: member_id.clone(),
            founder: founder_device.clone(),
        };
        let store = Store {
            data_dir: data_dir.to_path_buf(),
            docs: std::sync::Arc::new(documents::Documents::new(
                repo,
                storage.clone(),
                data_dir.to_path_buf(),
                docs,
            )),
            storage,
            device,
            actor: author_actor(data_dir),
            _lock: lock,
        };
        let mut founder = Member {
            id: member_id,
            name: member_name.trim().to_string(),
            role: crate::model::Role::Admin,
            ..Default::default()
        };
        if let Some(device) = founder_device {
            founder.devices.insert(
                device.clone(),
                crate::model::Device {
                    endpoint_id: device,
                    label: "first device".into(),
                    added_at: workspace.created_at,
                },
            );
        }
        store.create(founder)?;
        // The device file is written last: a crash before this leaves no
        // half-made workspace that `open` would trust.
        store.device.save(data_dir)?;
        Ok(store)
    }

    /// Opens the workspace in `data_dir`. `purpose` names this process in the
    /// lock file so a second process can say who holds the directory.
    pub async fn open(data_dir: &Path, purpose: &str) -> Result<Store> {
        Self::open_networked::<samod::ShareConfig, _>(data_dir, purpose, None, |_| async { Ok(()) })
            .await
    }

    /// Opens the workspace with disk operations failing as `faults` says:
    /// for fault-injection tests.
    #[cfg(feature = "test-support")]
    pub async fn open_with_faults(data_dir: &Path, faults: Arc<FaultPlan>) -> Result<Store> {
        let lock = DataDirLock::acquire(data_dir, "fault test")?;
        let device = DeviceConfig::load(data_dir)?
            .ok_or_else(|| StoreError::NoWorkspace(data_dir.into()))?;
        Self::open_device::<samod::ShareConfig, _>(
            data_dir,
            lock,
            device,
            None,
            |_| async { Ok(()) },
            Some(faults),
        )
        .await
    }

    /// Opens the workspace with a networked repo: samod's peer id and share
    /// policy set, and `connect` run (e.g. to dial peers) before the root
    /// document is looked up.
    pub async fn open_networked<A, F>(
        data_dir: &Path,
        purpose: &str,
        net: Option<Network<A>>,
        connect: impl FnOnce(Repo) -> F,
    ) -> Result<Store>
    where
        A: samod::SharePolicy,
        F: std::future::Future<Output = Result<()>>,
    {
        if !data_dir.join("device.json").exists() {
            return Err(StoreError::NoWorkspace(data_dir.to_path_buf()));
        }
        let lock = DataDirLock::acquire(data_dir, purpose)?;
        let device = DeviceConfig::load(data_dir)?
            .ok_or_else(|| StoreError::NoWorkspace(data_dir.into()))?;
        Self::open_device(data_dir, lock, device, net, connect, None).await
    }

    /// Joins a workspace that exists only on peers: `seeds` are the
    /// documents already received whole and verified (see `sync::snapshot`),
    /// `connect` must link the repo to a peer holding the rest. Every
    /// document is fetched before `device.json` is written, so a failed join
    /// leaves no half workspace.
    pub async fn join_networked<A, F>(
        data_dir: &Path,
        device: DeviceConfig,
        net: Network<A>,
        seeds: Vec<Seed>,
        connect: impl FnOnce(Repo) -> F,
    ) -> Result<Store>
    where
        A: samod::SharePolicy,
        F: std::future::Future<Output = Result<()>>,
    {
        datadir::ensure_dir(data_dir)?;
        let lock = DataDirLock::acquire(data_dir, "join")?;
        if DeviceConfig::load(data_dir)?.is_some() {
            return Err(StoreError::AlreadyInitialized(data_dir.to_path_buf()));
        }
        // Documents received whole go to storage before the repo starts.
        let (dir, peer_id) = (data_dir.to_path_buf(), net.peer_id.clone());
        tokio::task::spawn_blocking(move || seed::plant(&dir, &peer_id, seeds))
            .await
            .map_err(|_| StoreError::Stopped)??;
        let store = Self::open_device(data_dir, lock, device, Some(net), connect, None).await?;
        let docs = store.docs_clone_for_blocking();
        tokio::task::spawn_blocking(move || docs.all().map(|_| ()))
            .await
            .map_err(|_| StoreError::Stopped)??;
        store.device.save(data_dir)?;
        Ok(store)
    }

    async fn open_device<A, F>(
        data_dir: &Path,
        lock: DataDirLock,
        device: DeviceConfig,
        net: Option<Network<A>>,
        connect: impl FnOnce(Repo) -> F,
        faults: Option<Arc<FaultPlan>>,
    ) -> Result<Store>
    where
        A: samod::SharePolicy,
        F: std::future::Future<Output = Result<()>>,
    {
        let (repo, storage) = Self::start_repo(data_dir, net, faults).await?;
        connect(repo.clone()).await?;
        let root_id = DocumentId::from_str(&device.root_doc).map_err(|_| {
            StoreError::Corrupt("device.json has an invalid root document id".into())
        })?;
        let (root, area_ids) = layout::find_root(&repo, &storage, root_id, data_dir).await?;
        Ok(Store {
            data_dir: data_dir.to_path_buf(),
            docs: std::sync::Arc::new(documents::Documents::lazy(
                repo,
                storage.clone(),
                data_dir.to_path_buf(),
                root,
                area_ids,
            )),
            storage,
            device,
            actor: author_actor(data_dir),
            _lock: lock,
        })
    }

    /// Finishes background compaction, flushes samod's pending storage work
    /// and stops the repo.
    pub async fn close(self) {
        let docs = self.docs;
        let docs = tokio::task::spawn_blocking(move || {
            docs.finish_upkeep();
            docs
        })
        .await;
        if let Ok(docs) = docs {
            docs.repo().stop().await;
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn repo(&self) -> &Repo {
        self.docs.repo()
    }

    pub fn storage(&self) -> &DurableStorage {
        &self.storage
    }

    pub fn member_id(&self) -> &str {
        &self.device.member_id
    }

    /// This device's settings (root document, member, founder key).
    pub fn device(&self) -> &DeviceConfig {
        &self.device
    }

    fn docs_clone_for_blocking(&self) -> std::sync::Arc<documents::Documents> {
        self.docs.clone()
    }

    /// Corrupt files moved aside while loading.
    pub fn quarantined(&self) -> Vec<Quarantined> {
        self.storage.quarantined()
    }

    /// The documents loaded so far, each with an area it holds.
    pub(crate) fn loaded_documents(&self) -> Vec<(Area, DocHandle)> {
        self.docs.loaded()
    }

    /// The document holding `area`, loaded on first use.
    pub(crate) fn handle(&self, area: Area) -> Result<DocHandle> {
        self.docs.get(area)
    }

    /// The samod document id holding `area`.
    pub fn document_id(&self, area: Area) -> Result<String> {
        Ok(self.handle(area)?.document_id().to_string())
    }

    /// Loads the documents of `areas` not loaded yet, in parallel.
    pub fn load_areas(&self, areas: &[Area]) -> Result<()> {
        self.docs.load(areas)
    }

    /// Distinct documents (one per area, or fewer with [`Layout::Single`]),
    /// loading any not loaded yet.
    pub fn documents(&self) -> Result<Vec<DocHandle>> {
        self.docs.all()
    }

    /// Reads a document (takes the document lock briefly).
    pub fn read<R>(&self, area: Area, f: impl FnOnce(&Automerge) -> Result<R>) -> Result<R> {
        self.handle(area)?.with_document(|doc| f(doc))
    }

    /// Applies one user action as one transaction and one commit, then makes
    /// the change durable before returning. Nothing is committed if `f` fails.
    pub fn change<T>(
        &self,
        area: Area,
        action: &str,
        f: impl FnOnce(&mut Transaction<'_>, &Audit) -> Result<T>,
    ) -> Result<T> {
        self.change_document(&self.handle(area)?, action, f)
    }

    /// [`Store::change`] of any document the store holds (an area's or a
    /// body document).
    pub(crate) fn change_document<T>(
        &self,
        handle: &DocHandle,
        action: &str,
        f: impl FnOnce(&mut Transaction<'_>, &Audit) -> Result<T>,
    ) -> Result<T> {
        let audit = Audit {
            member_id: self.device.member_id.clone(),
            at: Stamp::now(),
        };
        // An earlier change of this document that failed to save must reach
        // the disk first: the new change will depend on it.
        self.storage
            .retry_failed_puts(&handle.document_id().to_string())
            .map_err(|e| {
                StoreError::io(
                    "saving an earlier change that failed to save (nothing was changed)",
                    e,
                )
            })?;
        let (value, chunk) = handle.with_document(|doc| -> Result<_> {
            // The author (the member) is the change's structured "who";
            // the actor stays this device's own, set after it (setting an
            // author picks a random actor).
            doc.set_author(Some(automerge::Author::from(
                audit.member_id.as_bytes().to_vec(),
            )));
            doc.set_actor(self.actor.clone());
            let mut tx = doc.transaction();
            let value = match f(&mut tx, &audit) {
                Ok(v) => v,
                Err(e) => {
                    tx.rollback();
                    return Err(e);
                }
            };
            let options = CommitOptions::default()
                .with_message(action)
                .with_time(audit.at.millis() / 1000);
            let (hash, _) = tx.commit_with(options);
            let chunk = hash.and_then(|h| {
                doc.get_change_by_hash(&h)
                    .map(|c| (h, c.raw_bytes().to_vec()))
            });
            Ok((value, chunk))
        })?;
        self.save_change(handle, chunk)?;
        Ok(value)
    }

    /// Writes a change just committed durably, under the key samod uses.
    fn save_change(
        &self,
        handle: &DocHandle,
        chunk: Option<(automerge::ChangeHash, Vec<u8>)>,
    ) -> Result<()> {
        if let Some((hash, bytes)) = chunk {
            let key = StorageKey::incremental_path(handle.document_id(), hash);
            self.storage
                .put_durable(&key, &bytes)
                .map_err(|e| {
                    StoreError::io(
                        "saving the change to disk (it is kept in memory and written with the next change)",
                        e,
                    )
                })?;
        }
        Ok(())
    }

    /// The workspace settings.
    pub fn workspace(&self) -> Result<Workspace> {
        self.read(Area::Root, |doc| {
            autosurgeon::hydrate_prop(doc, automerge::ROOT, "workspace").map_err(StoreError::from)
        })
    }

    /// The member this device acts as.
    pub fn me(&self) -> Result<Member> {
        self.get::<Member>(&self.device.member_id.clone())?
            .ok_or_else(|| StoreError::Corrupt("this device's member record is missing".into()))
    }

    /// Number of live (not deleted) records of each kind.
    pub fn counts(&self) -> Result<BTreeMap<&'static str, usize>> {
        let mut out = BTreeMap::new();
        for (kind, area) in ALL_KINDS {
            let n = self.read(*area, |doc| Ok(records::count_live(doc, kind)))?;
            out.insert(*kind, n);
        }
        Ok(out)
    }

    /// Change hashes at the tip of each document (equal on two devices that
    /// hold the same changes).
    pub fn heads(&self) -> Result<BTreeMap<String, Vec<String>>> {
        Ok(self
            .documents()?
            .into_iter()
            .map(|h| {
                let heads = h.with_document(|d| d.get_heads());
                (
                    h.document_id().to_string(),
                    heads.iter().map(|x| x.to_string()).collect(),
                )
            })
            .collect())
    }
}

/// A document we can both query (automerge) and hydrate from (autosurgeon):
/// `Automerge` itself and an open `Transaction`.
pub(crate) trait DocRead: ReadDoc + autosurgeon::ReadDoc {}
impl<T: ReadDoc + autosurgeon::ReadDoc> DocRead for T {}

/// The object id of the map holding `kind` records, if the document has it.
pub(crate) fn kind_map<D: ReadDoc>(doc: &D, kind: &str) -> Option<automerge::ObjId> {
    match doc.get(automerge::ROOT, kind) {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Map), id))) => Some(id),
        _ => None,
    }
}
