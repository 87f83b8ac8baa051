//! A running node: the store, an iroh endpoint, the sync and join
//! protocols, dialers to the member devices the overlay picks
//! (`sync::overlay`), and the membership watcher. `bureau serve`,
//! `bureau sync`, `bureau join` and the app all run this same node.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use iroh::protocol::Router;
use iroh::{Endpoint, EndpointAddr, PublicKey, SecretKey, TransportAddr};
use samod::{BackoffConfig, DialerHandle};

use super::access::Access;
use super::dialer::IrohDialer;
use super::handlers::{Connections, JoinHandler, SyncHandler};
use super::identity;
use super::invite::Ticket;
use super::net::{self, JOIN_ALPN, NetOptions, SYNC_ALPN};
use super::overlay::{self, Fanout};
use super::snapshot::{DOCS_ALPN, DocsHandler};
use super::status;
use crate::model::{Area, Role};
use crate::store::{DeviceConfig, Network, Store, StoreError};

mod bodies;
mod join;
mod removed;
mod waiting;

type Result<T, E = StoreError> = std::result::Result<T, E>;

const BACKOFF: BackoffConfig = BackoffConfig {
    initial_delay: Duration::from_millis(200),
    max_delay: Duration::from_secs(30),
    max_retries: None,
};

pub struct Node {
    store: Arc<Store>,
    key: SecretKey,
    endpoint: Endpoint,
    router: Router,
    access: Access,
    connections: Connections,
    dialers: Mutex<HashMap<String, DialerHandle<std::io::Error>>>,
    /// Devices dialed whatever the overlay picks: addresses the user typed.
    pinned: Mutex<HashSet<String>>,
    /// The device that let us join, dialed until we are connected with a
    /// device the overlay picked (before that, the others may not have
    /// heard we are a member).
    inviter: Mutex<Option<String>>,
    /// How this node picks the member devices it dials.
    fanout: Fanout,
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// Loads every document after start; awaited at shutdown.
    loader: Mutex<Option<tokio::task::JoinHandle<()>>>,
    workspace: String,
    /// The team's own relay, if it runs one: every device is reachable there.
    relay: Option<iroh::RelayUrl>,
    /// Bumped each time `peers.json` is written (what a departed peer had
    /// seen is known from then on).
    status_written: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Node {
    /// Starts a node on an existing workspace: loads every document, listens,
    /// and dials every member device it knows an address for.
    pub async fn start(data_dir: &Path, purpose: &str, options: &NetOptions) -> Result<Arc<Node>> {
        let key = identity::load_or_create(data_dir)?;
        let device = DeviceConfig::load(data_dir)?
            .ok_or_else(|| StoreError::NoWorkspace(data_dir.into()))?;
        let founder = founder_key(&device)?;
        let access = Access::new(founder);
        let network = Network {
            peer_id: key.public().to_string(),
            policy: access.policy(),
        };
        // The store first: it takes the data directory's lock, so a second
        // node on the same directory stops here, before touching the network.
        let store =
            Store::open_networked(data_dir, purpose, Some(network), |_| async { Ok(()) }).await?;
        status::resume_from_book(data_dir, &key.public().to_string());
        let endpoint = match net::bind(data_dir, key.clone(), options).await {
            Ok(endpoint) => endpoint,
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        };
        let endpoint_id = endpoint.id().to_string();
        let node = Self::finish_start(
            Arc::new(store),
            key,
            endpoint,
            access,
            (Connections::new(&endpoint_id), Vec::new()),
            options,
        )
        .await?;
        for peer in &options.static_peers {
            node.dial(peer.clone());
        }
        Ok(node)
    }

    async fn finish_start(
        store: Arc<Store>,
        key: SecretKey,
        endpoint: Endpoint,
        access: Access,
        (connections, dialers): (Connections, Vec<(String, DialerHandle<std::io::Error>)>),
        options: &NetOptions,
    ) -> Result<Arc<Node>> {
        let workspace = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || store.workspace().map(|w| w.id))
                .await
                .map_err(|_| StoreError::Stopped)??
        };
        // Load every document in the background, so every one syncs, without
        // making the first screen wait for all of them. Shutdown waits for it.
        let loader = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || {
                if let Err(e) = store.documents() {
                    tracing::warn!(error = %e, "could not load every document");
                }
                // Said by `serve` (and in the app's log) on every start until
                // a peer supplies what is missing.
                for damage in store.damage() {
                    tracing::warn!("{}", damage.describe());
                }
            })
        };
        access.set_workspace(&workspace);
        access.refresh(&store)?;
        let acceptor = store.repo().make_acceptor(
            url::Url::parse("iroh://bureau").map_err(|e| StoreError::Rejected(e.to_string()))?,
        )?;
        let router = Router::builder(endpoint.clone())
            .accept(
                SYNC_ALPN,
                SyncHandler {
                    access: access.clone(),
                    acceptor,
                    connections: connections.clone(),
                },
            )
            .accept(
                DOCS_ALPN,
                DocsHandler {
                    store: Arc::downgrade(&store),
                    access: access.clone(),
                    workspace: workspace.clone(),
                    connections: connections.clone(),
                },
            )
            .accept(
                JOIN_ALPN,
                JoinHandler {
                    store: Arc::downgrade(&store),
                    access: access.clone(),
                    key: key.clone(),
                    workspace: workspace.clone(),
                },
            )
            .spawn();
        let node = Arc::new(Node {
            store,
            key,
            endpoint,
            router,
            access,
            connections,
            pinned: Mutex::default(),
            inviter: Mutex::new(dialers.first().map(|(device, _)| device.clone())),
            dialers: Mutex::new(dialers.into_iter().collect()),
            fanout: options.fanout,
            tasks: Mutex::new(Vec::new()),
            loader: Mutex::new(Some(loader)),
            workspace,
            relay: options.relay.clone(),
            status_written: Arc::new(tokio::sync::watch::Sender::new(0)),
        });
        node.spawn_removal_listener();
        node.publish_addresses();
        node.arrange_dialers();
        node.spawn_membership_watcher();
        node.spawn_overlay();
        node.spawn_status_recorder();
        node.spawn_sweeper();
        node.spawn_body_fetcher();
        Ok(node)
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn id(&self) -> String {
        self.endpoint.id().to_string()
    }

    /// Where peers can reach this node.
    pub fn addr(&self) -> EndpointAddr {
        net::via_relay(net::local_addr(&self.endpoint), self.relay.as_ref())
    }

    /// Changes each time peer status is written to `peers.json`: a peer
    /// that just left is shown with what it had seen from then on.
    pub fn status_written(&self) -> tokio::sync::watch::Receiver<u64> {
        self.status_written.subscribe()
    }

    /// Open connections with `device` (one per pair once both ends settled).
    pub fn open_connections(&self, device: &str) -> usize {
        self.connections.open_with(device)
    }

    /// Bytes this node sent and received to and from peers.
    pub fn traffic(&self) -> Arc<super::framing::Traffic> {
        self.connections.traffic()
    }

    /// Since when `device` has been connected to this node (ms), if it is.
    pub fn connected_since(&self, device: &str) -> Option<i64> {
        self.connections.connected_since(device)
    }

    pub fn access(&self) -> &Access {
        &self.access
    }

    pub fn key(&self) -> &SecretKey {
        &self.key
    }

    /// Makes a one-time invite ticket pointing at this running node.
    pub fn invite(&self, role: Role, ttl: Duration) -> Result<Ticket> {
        super::invite::create(
            &self.store,
            &self.key,
            &self.access,
            self.addr(),
            role,
            ttl.as_millis() as i64,
        )
    }

    pub fn workspace_id(&self) -> &str {
        &self.workspace
    }

    fn publish_addresses(&self) {
        // A viewer's changes are ignored by every peer; don't make any.
        if self.access.role_of(&self.id()) != Some(Role::Admin)
            && self.access.role_of(&self.id()) != Some(Role::Member)
        {
            return;
        }
        let addrs = net::addr_strings(&self.addr());
        if let Err(e) = self.store.publish_addresses(&self.id(), addrs) {
            tracing::warn!(error = %e, "could not publish our addresses");
        }
    }

    /// Dials the member devices the overlay picks (`sync::overlay`), each
    /// at its last published addresses, and stops dialing the others (a
    /// connection they open to us is still accepted).
    pub fn arrange_dialers(&self) {
        let me = self.id();
        if self.removal().is_some() {
            return;
        }
        let membership = self.access.current();
        let devices: Vec<String> = membership.devices().map(|(_, d)| d.clone()).collect();
        let wanted = overlay::to_dial(&me, &devices, |d| self.connections.reach(d), self.fanout);
        let mut pinned = self
            .pinned
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        {
            let mut inviter = self.inviter.lock().unwrap_or_else(|p| p.into_inner());
            let settled = wanted.iter().any(|d| {
                Some(d) != inviter.as_ref()
                    && self.connections.reach(d) == overlay::Reach::Connected
            });
            if settled {
                *inviter = None;
            }
            pinned.extend(inviter.clone());
        }
        let mut dialers = self.dialers.lock().unwrap_or_else(|p| p.into_inner());
        dialers.retain(|device, dialer| {
            let keep = wanted.contains(device) || pinned.contains(device);
            if !keep {
                tracing::debug!(%device, "no longer dialing: the overlay picked others");
                dialer.close();
            }
            keep
        });
        if wanted.iter().all(|d| dialers.contains_key(d)) {
            return;
        }
        let addresses = self.store.device_addresses().unwrap_or_default();
        for device in &wanted {
            if dialers.contains_key(device) {
                continue;
            }
            let Ok(id) = device.parse::<PublicKey>() else {
                continue;
            };
            let mut addr = EndpointAddr::new(id);
            if let Some(known) = addresses.get(device) {
                for a in &known.addrs {
                    if let Ok(socket) = a.parse() {
                        addr.addrs.insert(TransportAddr::Ip(socket));
                    }
                }
            }
            let addr = net::via_relay(addr, self.relay.as_ref());
            let Some(dialer) =
                IrohDialer::new(self.endpoint.clone(), addr, self.connections.clone())
            else {
                continue;
            };
            match self.store.repo().dial(BACKOFF, dialer) {
                Ok(handle) => {
                    dialers.insert(device.clone(), handle);
                }
                Err(_) => tracing::warn!("repo stopped; not dialing"),
            }
        }
    }

    /// Adds a peer by address (e.g. a static address typed by the user),
    /// dialed whatever the overlay picks.
    pub fn dial(&self, addr: EndpointAddr) {
        let device = addr.id.to_string();
        self.pinned
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(device.clone());
        let Some(dialer) = IrohDialer::new(self.endpoint.clone(), addr, self.connections.clone())
        else {
            return;
        };
        if let Ok(handle) = self.store.repo().dial(BACKOFF, dialer) {
            self.dialers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(device, handle);
        }
    }

    /// Re-picks the devices to dial whenever a connection opens or closes
    /// or a dial fails.
    fn spawn_overlay(self: &Arc<Self>) {
        let mut changes = self.connections.changes();
        let weak = Arc::downgrade(self);
        let task = tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let Some(node) = weak.upgrade() else { break };
                node.arrange_dialers();
            }
        });
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }

    fn spawn_membership_watcher(self: &Arc<Self>) {
        let Ok(root) = self.store.handle(Area::Root) else {
            return;
        };
        let weak = Arc::downgrade(self);
        let task = tokio::spawn(async move {
            let mut changes = root.changes();
            while changes.next().await.is_some() {
                let Some(node) = weak.upgrade() else { break };
                node.on_root_changed().await;
            }
        });
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }

    /// Stops every dialer and closes every connection.
    fn disconnect_all(&self) {
        for (_, d) in self
            .dialers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
        {
            d.close();
        }
        self.connections.close_all();
    }

    async fn on_root_changed(self: &Arc<Self>) {
        let node = self.clone();
        let refreshed = tokio::task::spawn_blocking(move || node.access.refresh(&node.store)).await;
        let Ok(Ok(Some(membership))) = refreshed else {
            return;
        };
        // Removed ourselves: stop syncing (the local copy stays ours).
        if membership.role_of(&self.id()).is_none() {
            tracing::info!("this device was removed from the workspace; not syncing");
            self.disconnect_all();
            return;
        }
        // Cut off devices that are no longer members, telling them why.
        for device in self.connections.devices() {
            if membership.role_of(&device).is_none() {
                tracing::info!(%device, "closing connection: no longer a member");
                self.connections
                    .close_removed(&device, membership.removals.get(&device).cloned());
                if let Some(d) = self
                    .dialers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&device)
                {
                    d.close();
                }
            }
        }
        self.arrange_dialers();
    }

    fn spawn_status_recorder(self: &Arc<Self>) {
        let (_, updates) = self.store.repo().connected_peers();
        let task = tokio::spawn(status::follow(
            Arc::downgrade(&self.store),
            updates,
            self.status_written.clone(),
        ));
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }

    /// Closes connections, stops the router, flushes the store.
    pub async fn shutdown(self: Arc<Self>) {
        tracing::debug!("shutdown: start");
        let loader = self.loader.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(loader) = loader {
            let _ = loader.await;
        }
        let tasks: Vec<_> = self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
            .collect();
        for task in &tasks {
            task.abort();
        }
        // An aborted task is dropped (with the node and store it holds) only
        // when the runtime next polls it: wait for that, or the store could
        // outlive this shutdown and keep the data directory locked.
        for task in tasks {
            let _ = task.await;
        }
        tracing::debug!("shutdown: tasks stopped");
        self.disconnect_all();
        // Closing waits until every peer acknowledged our close, or for a
        // dial still trying an absent peer, three probe timeouts (short:
        // see `net::INITIAL_RTT`).
        tracing::debug!("shutdown: dialers and connections closed");
        let _ = self.router.shutdown().await;
        tracing::debug!("shutdown: router stopped");
        self.endpoint.close().await;
        tracing::debug!("shutdown: endpoint closed");
        // Blocking work the tasks started (recording peer status, refreshing
        // membership) holds the node until it finishes; wait for it, so the
        // store is closed and the data directory unlocked when this returns.
        let Some(node) = last_reference(self).await else {
            tracing::warn!("node still in use at shutdown; storage is flushed per edit anyway");
            return;
        };
        match last_reference(node.store).await {
            Some(store) => {
                store.close().await;
                tracing::debug!("shutdown: store closed");
            }
            None => tracing::warn!("store still in use at shutdown; it closes when released"),
        }
    }
}

/// Takes the value out of `shared` once every other reference is gone,
/// waiting up to two seconds for short-lived holders to finish.
async fn last_reference<T>(mut shared: Arc<T>) -> Option<T> {
    for _ in 0..200 {
        match Arc::try_unwrap(shared) {
            Ok(value) => return Some(value),
            Err(still_shared) => shared = still_shared,
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    Arc::try_unwrap(shared).ok()
}

pub use super::workspace::{
    change_membership, create_workspace, ensure_can_write, offline_access, peer_status,
    write_genesis,
};
use super::workspace::{device_names, founder_key};
