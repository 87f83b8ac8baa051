//! The app's background side: owns the node (store + sync) on its own
//! thread with a tokio runtime, takes [`Command`]s from the UI, applies them,
//! and publishes a fresh [`ViewModel`] after every change (local or remote),
//! waking the UI with `request_repaint`. The UI thread never waits on disk,
//! network or a large document.
//!
//! Tests use [`Backend::inline`], which runs the same [`Engine`] on the
//! calling thread, so a click is applied before the next frame.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use super::view_model::{Command, Notice, ViewModel};
use crate::model::{Date, InventoryItem, Site, Task, new_id};
use crate::store::Store;
use crate::sync::{NetOptions, Node, Ticket, node};

/// Applies commands to the store/node and builds view models.
pub struct Engine {
    data_dir: PathBuf,
    net: NetOptions,
    runtime: tokio::runtime::Handle,
    store: Option<Arc<Store>>,
    node: Option<Arc<Node>>,
    networked: bool,
    last_ticket: Option<String>,
    movements_of: Option<String>,
    version: u64,
}

impl Engine {
    fn new(
        data_dir: &Path,
        net: NetOptions,
        runtime: tokio::runtime::Handle,
        networked: bool,
    ) -> Engine {
        Engine {
            data_dir: data_dir.to_path_buf(),
            net,
            runtime,
            store: None,
            node: None,
            networked,
            last_ticket: None,
            movements_of: None,
            version: 0,
        }
    }

    /// Opens the workspace if the data directory has one.
    fn open_existing(&mut self) -> Result<(), String> {
        if !self.data_dir.join("device.json").exists() {
            return Ok(());
        }
        self.open()
    }

    fn open(&mut self) -> Result<(), String> {
        if self.networked {
            let node = self
                .runtime
                .block_on(Node::start(&self.data_dir, "bureau (app)", &self.net))
                .map_err(|e| e.to_string())?;
            self.store = Some(node.store().clone());
            self.node = Some(node);
        } else {
            let store = self
                .runtime
                .block_on(Store::open(&self.data_dir, "bureau (app)"))
                .map_err(|e| e.to_string())?;
            self.store = Some(Arc::new(store));
        }
        Ok(())
    }

    fn store(&self) -> Result<&Arc<Store>, String> {
        self.store
            .as_ref()
            .ok_or_else(|| "no workspace is open".to_string())
    }

    /// Applies one command; returns what to tell the user.
    pub fn handle(&mut self, command: Command) -> Option<Notice> {
        match self.apply(command) {
            Ok(note) => note.map(Notice::Info),
            Err(e) => Some(Notice::Error(e)),
        }
    }

    fn apply(&mut self, command: Command) -> Result<Option<String>, String> {
        let err = |e: crate::store::StoreError| e.to_string();
        match command {
            Command::CreateWorkspace { workspace, name } => {
                let store = self
                    .runtime
                    .block_on(node::create_workspace(&self.data_dir, &workspace, &name))
                    .map_err(err)?;
                self.runtime.block_on(store.close());
                self.open()?;
                Ok(Some(format!("Created {workspace}")))
            }
            Command::Join { ticket, name } => {
                let ticket = Ticket::decode(&ticket)?;
                let node = self
                    .runtime
                    .block_on(Node::join(&self.data_dir, &ticket, &name, &self.net))
                    .map_err(err)?;
                let _ = self
                    .runtime
                    .block_on(node.wait_in_sync(Duration::from_secs(30)));
                self.store = Some(node.store().clone());
                self.node = Some(node);
                Ok(Some(format!("Joined {}", ticket.workspace_name)))
            }
            Command::AddTask { title, owner, due } => {
                self.ensure_can_write()?;
                let task = Task {
                    id: new_id(),
                    title: title.trim().to_string(),
                    owner: owner.filter(|o| !o.trim().is_empty()),
                    due,
                    ..Default::default()
                };
                self.store()?.create(task).map_err(err)?;
                Ok(None)
            }
            Command::SaveTask(task) => {
                self.ensure_can_write()?;
                let task = *task;
                self.store()?
                    .update::<Task, _>(&task.id.clone(), "edit", |t| {
                        let (created_at, created_by) = (t.created_at, t.created_by.clone());
                        *t = task;
                        t.created_at = created_at;
                        t.created_by = created_by;
                        Ok(())
                    })
                    .map_err(err)?;
                Ok(None)
            }
            Command::SetTaskStatus { id, status, reason } => {
                self.ensure_can_write()?;
                let next = self
                    .store()?
                    .set_task_status(&id, status, reason)
                    .map_err(err)?;
                Ok(next.map(|_| "Next occurrence created".to_string()))
            }
            Command::AddItem {
                name,
                unit,
                reorder_at,
                site,
                qty,
            } => {
                self.ensure_can_write()?;
                let item = InventoryItem {
                    id: new_id(),
                    name: name.trim().into(),
                    unit: unit.trim().into(),
                    reorder_at,
                    ..Default::default()
                };
                self.store()?
                    .create_item_at(item, site.as_deref().map(|s| (s, qty)))
                    .map_err(err)?;
                Ok(None)
            }
            Command::AdjustStock {
                item,
                site,
                by,
                reason,
            } => {
                self.ensure_can_write()?;
                self.store()?
                    .adjust_stock(&item, &site, by, reason.as_deref())
                    .map_err(err)?;
                Ok(None)
            }
            Command::CountStock {
                item,
                site,
                counted,
            } => {
                self.ensure_can_write()?;
                let change = self
                    .store()?
                    .count_stock(&item, &site, counted)
                    .map_err(err)?;
                Ok(Some(format!(
                    "Counted {counted} (difference {:+})",
                    change.after - change.before
                )))
            }
            Command::Invite { role, hours } => {
                let node = self
                    .node
                    .as_ref()
                    .ok_or("invites need sync, which is off in this window")?;
                let ticket = node
                    .invite(role, Duration::from_secs(hours * 3600))
                    .map_err(err)?;
                self.last_ticket = Some(ticket.encode());
                Ok(None)
            }
            Command::AddComment { task, text } => {
                self.ensure_can_write()?;
                let store = self.store()?;
                let author = store.me().map(|m| m.name).unwrap_or_default();
                store
                    .update::<Task, _>(&task, "comment on", |t| {
                        t.comments.insert(
                            new_id(),
                            crate::model::Comment {
                                author,
                                at: crate::model::Stamp::now(),
                                text: text.trim().to_string(),
                            },
                        );
                        Ok(())
                    })
                    .map_err(err)?;
                Ok(None)
            }
            Command::AddChecklistItem { task, text } => {
                self.ensure_can_write()?;
                self.store()?
                    .update::<Task, _>(&task, "add checklist item to", |t| {
                        let order = t.checklist.values().map(|c| c.order).max().unwrap_or(0) + 1;
                        t.checklist.insert(
                            new_id(),
                            crate::model::ChecklistItem {
                                text: text.trim().to_string(),
                                done: false,
                                order,
                            },
                        );
                        Ok(())
                    })
                    .map_err(err)?;
                Ok(None)
            }
            Command::ToggleChecklistItem { task, item } => {
                self.ensure_can_write()?;
                self.store()?
                    .update::<Task, _>(&task, "tick checklist of", |t| {
                        if let Some(c) = t.checklist.get_mut(&item) {
                            c.done = !c.done;
                        }
                        Ok(())
                    })
                    .map_err(err)?;
                Ok(None)
            }
            Command::ShowMovements { item } => {
                self.movements_of = item;
                Ok(None)
            }
            Command::SetMemberRole { member_id, role } => {
                self.change_membership(crate::sync::membership::Action::SetRole {
                    member_id,
                    role,
                })?;
                Ok(Some("Role changed".into()))
            }
            Command::RemoveMember { member_id } => {
                self.change_membership(crate::sync::membership::Action::Remove { member_id })?;
                Ok(Some(
                    "Member removed; every peer refuses their devices from now on".into(),
                ))
            }
            Command::SaveItem(item) => {
                self.ensure_can_write()?;
                let item = *item;
                self.store()?
                    .update::<InventoryItem, _>(&item.id.clone(), "edit", |i| {
                        i.name = item.name;
                        i.unit = item.unit;
                        i.sku = item.sku;
                        i.category = item.category;
                        i.reorder_at = item.reorder_at;
                        Ok(())
                    })
                    .map_err(err)?;
                Ok(Some("Item saved".into()))
            }
            Command::Refresh => Ok(None),
        }
    }

    fn change_membership(&self, action: crate::sync::membership::Action) -> Result<(), String> {
        let store = self.store()?;
        let key =
            crate::sync::identity::load_or_create(store.data_dir()).map_err(|e| e.to_string())?;
        let access = match &self.node {
            Some(node) => node.access().clone(),
            None => node::offline_access(store).map_err(|e| e.to_string())?,
        };
        node::change_membership(store, &key, &access, action).map_err(|e| e.to_string())
    }

    fn ensure_can_write(&self) -> Result<(), String> {
        node::ensure_can_write(self.store()?).map_err(|e| e.to_string())
    }

    /// Builds the view model from the store (background work).
    pub fn view(&mut self) -> ViewModel {
        self.version += 1;
        let today = Date(chrono::Local::now().date_naive());
        let mut vm = ViewModel {
            data_dir: self.data_dir.clone(),
            today,
            version: self.version,
            online: self.node.is_some(),
            last_ticket: self.last_ticket.clone(),
            ..Default::default()
        };
        let Some(store) = self.store.clone() else {
            return vm;
        };
        vm.workspace = store.workspace().ok().map(|w| w.name);
        vm.me = store.me().ok().map(|m| m.name);
        vm.tasks = store.list::<Task>(false).unwrap_or_default();
        vm.projects = store
            .list::<crate::model::Project>(true)
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        vm.items = store.list_item_stock(false).unwrap_or_default();
        vm.sites = store.list::<Site>(false).unwrap_or_default();
        vm.low_stock = store.low_stock().unwrap_or_default();
        if let Some(item) = &self.movements_of {
            let mut moves = store.movements(item).unwrap_or_default();
            moves.reverse();
            vm.movements = Some((item.clone(), moves));
        }
        if let Ok(access) = node::offline_access(&store) {
            let me = crate::sync::identity::load_or_create(store.data_dir())
                .map(|k| k.public().to_string())
                .unwrap_or_default();
            vm.my_role = access.role_of(&me);
            vm.members = access
                .current()
                .members
                .values()
                .filter(|m| !m.removed)
                .cloned()
                .collect();
            vm.peers = match &self.node {
                Some(node) => node.peer_status().unwrap_or_default(),
                None => node::peer_status(&store, &access, &me, None).unwrap_or_default(),
            };
        }
        vm
    }

    fn shutdown(&mut self) {
        if let Some(node) = self.node.take() {
            self.store = None;
            self.runtime.block_on(node.shutdown());
        } else if let Some(store) = self.store.take()
            && let Ok(store) = Arc::try_unwrap(store)
        {
            self.runtime.block_on(store.close());
        }
    }
}

/// The UI's handle on the background side.
pub struct Backend {
    mode: Mode,
    latest: Arc<Mutex<Arc<ViewModel>>>,
    notices: Arc<Mutex<Vec<Notice>>>,
}

enum Mode {
    Threaded {
        commands: Sender<Command>,
    },
    Inline {
        engine: Box<Engine>,
        _runtime: tokio::runtime::Runtime,
    },
}

impl Backend {
    /// Runs the engine on its own thread; `wake` is called after each update.
    pub fn threaded(
        data_dir: PathBuf,
        net: NetOptions,
        wake: impl Fn() + Send + 'static,
    ) -> Backend {
        let latest = Arc::new(Mutex::new(Arc::new(ViewModel {
            data_dir: data_dir.clone(),
            ..Default::default()
        })));
        let notices = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx): (Sender<Command>, Receiver<Command>) = channel();
        let (latest2, notices2, tx2) = (latest.clone(), notices.clone(), tx.clone());
        std::thread::Builder::new()
            .name("bureau-backend".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        lock(&notices2).push(Notice::Error(format!("could not start: {e}")));
                        wake();
                        return;
                    }
                };
                let mut engine = Engine::new(&data_dir, net, runtime.handle().clone(), true);
                if let Err(e) = engine.open_existing() {
                    lock(&notices2).push(Notice::Error(e));
                }
                *lock(&latest2) = Arc::new(engine.view());
                wake();
                // Remote changes (and sync status) trigger a refresh.
                let watcher = engine
                    .node
                    .clone()
                    .map(|node| spawn_refresher(&runtime, node, tx2.clone()));
                let mut watcher = watcher;
                while let Ok(command) = rx.recv() {
                    // Coalesce queued refreshes.
                    if matches!(command, Command::Refresh) {
                        while let Ok(Command::Refresh) = rx.try_recv() {}
                    }
                    let had_node = engine.node.is_some();
                    if let Some(notice) = engine.handle(command) {
                        lock(&notices2).push(notice);
                    }
                    if !had_node && let Some(node) = engine.node.clone() {
                        watcher = Some(spawn_refresher(&runtime, node, tx2.clone()));
                    }
                    *lock(&latest2) = Arc::new(engine.view());
                    wake();
                }
                if let Some(w) = watcher {
                    w.abort();
                }
                engine.shutdown();
            })
            .ok();
        Backend {
            mode: Mode::Threaded { commands: tx },
            latest,
            notices,
        }
    }

    /// Runs the engine on the calling thread, without networking (tests).
    pub fn inline(data_dir: &Path) -> Backend {
        Self::inline_with(data_dir, false)
    }

    /// Runs the engine on the calling thread with a loopback-only node (tests
    /// of sync screens).
    pub fn inline_networked(data_dir: &Path) -> Backend {
        Self::inline_with(data_dir, true)
    }

    fn inline_with(data_dir: &Path, networked: bool) -> Backend {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("test runtime: {e}"));
        let mut engine = Engine::new(
            data_dir,
            NetOptions::loopback(),
            runtime.handle().clone(),
            networked,
        );
        let notices = Arc::new(Mutex::new(Vec::new()));
        if let Err(e) = engine.open_existing() {
            lock(&notices).push(Notice::Error(e));
        }
        let latest = Arc::new(Mutex::new(Arc::new(engine.view())));
        Backend {
            mode: Mode::Inline {
                engine: Box::new(engine),
                _runtime: runtime,
            },
            latest,
            notices,
        }
    }

    pub fn send(&mut self, command: Command) {
        match &mut self.mode {
            Mode::Threaded { commands } => {
                let _ = commands.send(command);
            }
            Mode::Inline { engine, .. } => {
                if let Some(notice) = engine.handle(command) {
                    lock(&self.notices).push(notice);
                }
                *lock(&self.latest) = Arc::new(engine.view());
            }
        }
    }

    /// The newest view model (cheap: an `Arc` clone).
    pub fn view(&self) -> Arc<ViewModel> {
        lock(&self.latest).clone()
    }

    /// Inline backends with a node: waits until every connected peer is in
    /// sync, then rebuilds the view model (tests of two apps syncing).
    pub fn wait_in_sync(&mut self, timeout: Duration) -> Result<usize, String> {
        let Mode::Inline { engine, _runtime } = &mut self.mode else {
            return Err("only for inline backends".into());
        };
        let node = engine.node.clone().ok_or("no node")?;
        let peers = _runtime
            .block_on(node.wait_in_sync(timeout))
            .map_err(|e| e.to_string())?;
        *lock(&self.latest) = Arc::new(engine.view());
        Ok(peers)
    }

    pub fn take_notices(&self) -> Vec<Notice> {
        std::mem::take(&mut *lock(&self.notices))
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Mode::Inline { engine, .. } = &mut self.mode {
            engine.shutdown();
        }
    }
}

fn spawn_refresher(
    runtime: &tokio::runtime::Runtime,
    node: Arc<Node>,
    tx: Sender<Command>,
) -> tokio::task::JoinHandle<()> {
    use futures::StreamExt;
    let docs = node.store().documents().unwrap_or_default();
    let (_, peers) = node.store().repo().connected_peers();
    runtime.spawn(async move {
        let changes =
            futures::stream::select_all(docs.iter().map(|d| d.changes().map(|_| ()).boxed()));
        let mut events = futures::stream::select(changes, peers.map(|_| ()).boxed());
        while events.next().await.is_some() {
            if tx.send(Command::Refresh).is_err() {
                break;
            }
        }
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
