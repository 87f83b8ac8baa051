//! The app's background side: owns the node (store + sync) on its own
//! thread with a tokio runtime, takes [`Command`]s from the UI in order,
//! applies each exactly once through the operations layer, and publishes an
//! updated [`ViewModel`] (only the parts whose documents changed are
//! rebuilt), waking the UI with `request_repaint`. The UI thread never
//! waits on disk, network or a large document.
//!
//! [`Backend::inline`] runs the same [`Engine`] on the calling thread (the
//! kittest screens); [`Backend::threaded`] is the real app, and tests drive
//! it too, waiting on [`Backend::wait_until`] instead of sleeping.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

pub use super::engine::Engine;
pub use super::view_model::{Command, Notice, ViewModel};
use crate::store::Store;
use crate::sync::{NetOptions, Node};

/// The newest view model and notices, shared with the UI thread.
#[derive(Default)]
struct Shared {
    latest: Mutex<Arc<ViewModel>>,
    notices: Mutex<Vec<Notice>>,
    /// The open store (benchmarks apply "remote" changes to it).
    store: Mutex<Option<Arc<Store>>>,
    /// Signalled after every publish (for [`Backend::wait_until`]).
    published: Condvar,
}

impl Shared {
    fn publish(&self, vm: ViewModel) {
        *lock(&self.latest) = Arc::new(vm);
        self.published.notify_all();
    }
}

/// The UI's handle on the background side.
pub struct Backend {
    mode: Mode,
    shared: Arc<Shared>,
    /// Commands sent so far (the `applied` count to wait for).
    sent: u64,
}

enum Mode {
    Threaded {
        commands: Sender<Command>,
        /// Signalled when the backend thread has shut the engine down.
        stopped: Receiver<()>,
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
        Self::threaded_with(data_dir, net, true, wake)
    }

    /// The app's backend: threaded, networked, and showing reminders as
    /// desktop notifications (tests use [`Backend::threaded`], which does
    /// not).
    pub fn app(data_dir: PathBuf, net: NetOptions, wake: impl Fn() + Send + 'static) -> Backend {
        Self::spawn(data_dir, net, true, true, wake)
    }

    /// The threaded backend; `networked: false` opens the store without a
    /// node (tests of the real command loop without sync).
    pub fn threaded_with(
        data_dir: PathBuf,
        net: NetOptions,
        networked: bool,
        wake: impl Fn() + Send + 'static,
    ) -> Backend {
        Self::spawn(data_dir, net, networked, false, wake)
    }

    fn spawn(
        data_dir: PathBuf,
        net: NetOptions,
        networked: bool,
        notifications: bool,
        wake: impl Fn() + Send + 'static,
    ) -> Backend {
        let shared = Arc::new(Shared::default());
        shared.publish(ViewModel {
            data_dir: data_dir.clone(),
            ..Default::default()
        });
        let (tx, rx): (Sender<Command>, Receiver<Command>) = channel();
        let (shared2, tx2) = (shared.clone(), tx.clone());
        let (stopped_tx, stopped) = channel();
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
                        lock(&shared2.notices).push(Notice::Error(format!("could not start: {e}")));
                        wake();
                        return;
                    }
                };
                let mut engine = Engine::new(&data_dir, net, runtime.handle().clone(), networked);
                engine.throttle_peers = true;
                engine.desktop_notifications = notifications;
                if let Err(e) = engine.open_existing() {
                    lock(&shared2.notices).push(Notice::Error(e));
                }
                shared2.publish(engine.view());
                *lock(&shared2.store) = engine.store.clone();
                wake();
                let mut watcher = engine.store.clone().map(|store| {
                    spawn_refresher(&runtime, store, engine.node.clone(), tx2.clone())
                });
                run_loop(&mut engine, &rx, &shared2, &wake, |engine| {
                    if watcher.is_none()
                        && let Some(store) = engine.store.clone()
                    {
                        *lock(&shared2.store) = Some(store.clone());
                        let node = engine.node.clone();
                        watcher = Some(spawn_refresher(&runtime, store, node, tx2.clone()));
                    }
                });
                if let Some(w) = watcher {
                    w.abort();
                }
                engine.shutdown();
                let _ = stopped_tx.send(());
            })
            .ok();
        Backend {
            mode: Mode::Threaded {
                commands: tx,
                stopped,
            },
            shared,
            sent: 0,
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
        let shared = Arc::new(Shared::default());
        if let Err(e) = engine.open_existing() {
            lock(&shared.notices).push(Notice::Error(e));
        }
        shared.publish(engine.settled_view());
        *lock(&shared.store) = engine.store.clone();
        Backend {
            mode: Mode::Inline {
                engine: Box::new(engine),
                _runtime: runtime,
            },
            shared,
            sent: 0,
        }
    }

    /// Queues a command; returns its number (see [`ViewModel::applied`]).
    pub fn send(&mut self, command: impl Into<Command>) -> u64 {
        self.sent += 1;
        match &mut self.mode {
            Mode::Threaded { commands, .. } => {
                let _ = commands.send(command.into());
            }
            Mode::Inline { engine, .. } => {
                if let Some(notice) = engine.handle(command.into()) {
                    lock(&self.shared.notices).push(notice);
                }
                let mut vm = engine.settled_view();
                vm.applied = self.sent;
                self.shared.publish(vm);
            }
        }
        self.sent
    }

    /// The newest view model (cheap: an `Arc` clone).
    pub fn view(&self) -> Arc<ViewModel> {
        lock(&self.shared.latest).clone()
    }

    /// Blocks until a published view model satisfies `done` (tests and
    /// benchmarks; never the UI thread). `None` after `timeout`, which is
    /// only a guard against a hang: nothing waits for time to pass.
    pub fn wait_until(
        &mut self,
        timeout: Duration,
        mut done: impl FnMut(&ViewModel) -> bool,
    ) -> Option<Arc<ViewModel>> {
        if let Mode::Inline { engine, .. } = &mut self.mode {
            let deadline = Instant::now() + timeout;
            loop {
                let mut vm = engine.view();
                vm.applied = self.sent;
                self.shared.publish(vm);
                let vm = lock(&self.shared.latest).clone();
                if done(&vm) {
                    return Some(vm);
                }
                if Instant::now() > deadline {
                    return None;
                }
                std::thread::yield_now();
            }
        }
        let deadline = Instant::now() + timeout;
        let mut latest = lock(&self.shared.latest);
        loop {
            if done(&latest) {
                return Some(latest.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            latest = self
                .shared
                .published
                .wait_timeout(latest, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Blocks until every command sent so far has been applied.
    pub fn wait_applied(&mut self, timeout: Duration) -> Option<Arc<ViewModel>> {
        let sent = self.sent;
        self.wait_until(timeout, |vm| vm.applied >= sent)
    }

    /// Inline backends with a node: waits until every connected peer is in
    /// sync, then refreshes the view model (tests of two apps syncing).
    pub fn wait_in_sync(&mut self, timeout: Duration) -> Result<usize, String> {
        let Mode::Inline { engine, _runtime } = &mut self.mode else {
            return Err("only for inline backends".into());
        };
        let node = engine.node.clone().ok_or("no node")?;
        let peers = _runtime
            .block_on(node.wait_in_sync(timeout))
            .map_err(|e| e.to_string())?;
        let mut vm = engine.view();
        vm.applied = self.sent;
        self.shared.publish(vm);
        Ok(peers)
    }

    /// The open store, for benchmarks that change documents behind the
    /// backend's back (as a peer's changes arrive). Never for the UI.
    pub fn store(&self) -> Option<Arc<Store>> {
        lock(&self.shared.store).clone()
    }

    pub fn take_notices(&self) -> Vec<Notice> {
        std::mem::take(&mut *lock(&self.shared.notices))
    }
}

/// How long closing the app waits for the backend to close connections
/// and the store (every edit is already durable; this is for peers, who
/// then see this device leave at once instead of after a timeout).
const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

impl Drop for Backend {
    fn drop(&mut self) {
        match &mut self.mode {
            Mode::Inline { engine, .. } => engine.shutdown(),
            Mode::Threaded { commands, stopped } => {
                if commands.send(Command::Shutdown).is_ok() {
                    let _ = stopped.recv_timeout(SHUTDOWN_WAIT);
                }
            }
        }
    }
}

/// The threaded backend's loop: takes every queued command in order,
/// applies each exactly once (refreshes are coalesced, never anything
/// else), then publishes one updated view model.
fn run_loop(
    engine: &mut Engine,
    rx: &Receiver<Command>,
    shared: &Shared,
    wake: &impl Fn(),
    mut after_command: impl FnMut(&mut Engine),
) {
    let mut queue = VecDeque::new();
    let mut applied = 0u64;
    loop {
        let next = match engine.next_work_in() {
            Some(wait) => rx.recv_timeout(wait),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match next {
            Ok(command) => queue.push_back(command),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while let Ok(command) = rx.try_recv() {
            queue.push_back(command);
        }
        for command in queue.drain(..) {
            if matches!(command, Command::Shutdown) {
                return;
            }
            let from_ui = !matches!(command, Command::Refresh | Command::PeersChanged);
            if let Some(notice) = engine.handle(command) {
                lock(&shared.notices).push(notice);
            }
            if from_ui {
                applied += 1;
                after_command(engine);
            }
        }
        let mut vm = engine.view();
        vm.applied = applied;
        shared.publish(vm);
        wake();
    }
}

/// Forwards document changes made outside the backend (a peer's, through
/// sync) and peer connection changes to the backend loop (each a coalesced
/// refresh).
fn spawn_refresher(
    runtime: &tokio::runtime::Runtime,
    store: Arc<Store>,
    node: Option<Arc<Node>>,
    tx: Sender<Command>,
) -> tokio::task::JoinHandle<()> {
    use futures::StreamExt;
    let docs = store.documents().unwrap_or_default();
    let peers = match node {
        Some(node) => {
            // A peer that leaves shows what it had seen once that is
            // written down, a moment after the connection closes.
            let written = futures::stream::unfold(node.status_written(), |mut rx| async move {
                rx.changed().await.ok().map(|_| ((), rx))
            });
            futures::stream::select(node.store().repo().connected_peers().1.map(|_| ()), written)
                .map(|_| Command::PeersChanged)
                .boxed()
        }
        None => futures::stream::pending().boxed(),
    };
    let mut bodies = store.watch_documents();
    let mut bodies_open = true;
    // Weak: the refresher must not keep the store open at shutdown.
    let store = Arc::downgrade(&store);
    runtime.spawn(async move {
        let mut watched: std::collections::BTreeSet<String> =
            docs.iter().map(|d| d.document_id().to_string()).collect();
        let mut changes = futures::stream::select_all(
            docs.iter()
                .map(|d| d.changes().map(|_| Command::Refresh).boxed()),
        );
        changes.push(peers);
        loop {
            tokio::select! {
                command = changes.next() => {
                    let Some(command) = command else { break };
                    if tx.send(command).is_err() {
                        break;
                    }
                }
                // A body document opened or fetched, or an area's new live
                // document (yearly archive): watch it too.
                changed = bodies.changed(), if bodies_open => {
                    let Some(store) = store.upgrade().filter(|_| changed.is_ok()) else {
                        bodies_open = false;
                        continue;
                    };
                    for (_, handle) in store.loaded_documents() {
                        if watched.insert(handle.document_id().to_string()) {
                            changes.push(handle.changes().map(|_| Command::Refresh).boxed());
                        }
                    }
                    // A text that had not arrived may be the one open.
                    if tx.send(Command::Refresh).is_err() {
                        break;
                    }
                }
            }
        }
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
