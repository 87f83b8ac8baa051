//! Live sync connections by remote device: one per pair of devices, so a
//! removed member can be cut off and two peers that dial each other at the
//! same moment do not carry the same exchange twice.
//!
//! The rule for a pair with two open connections is the same on both ends:
//! the connection dialed by the device with the smaller id stays, the
//! other is closed with [`CLOSE_DUPLICATE`]. A dialer whose peer already
//! has an open connection with us waits for that one to close before it
//! dials ([`Connections::until_unconnected`]), so the closed duplicate is
//! not dialed again while the pair is connected.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use iroh::endpoint::{Connection, VarInt};

use super::framing::Traffic;
use super::handlers::CLOSE_REMOVED;
use super::overlay::Reach;
use crate::model::Stamp;

/// QUIC close code of the connection a pair does not keep.
pub const CLOSE_DUPLICATE: u32 = 409;

/// Who opened a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialed {
    /// This device dialed it.
    ByUs,
    /// The remote device dialed it (we accepted).
    ByThem,
}

struct Live {
    conn: Connection,
    dialed: Dialed,
}

/// Live connections by remote device.
#[derive(Clone, Default)]
pub struct Connections {
    /// This device's id (the tie-break between two connections of a pair).
    me: Arc<String>,
    inner: Arc<Mutex<HashMap<String, Vec<Live>>>>,
    /// When each device's current run of connections began (ms).
    since: Arc<Mutex<HashMap<String, i64>>>,
    /// Where the reason of a peer's "you were removed" close goes (the
    /// signed entry that removed us, for the node to check and record).
    removed: Arc<Mutex<Option<tokio::sync::mpsc::UnboundedSender<Vec<u8>>>>>,
    /// Bytes this node's connections carried.
    traffic: Arc<Traffic>,
    /// Devices our last dial to failed, until they connect again.
    unreachable: Arc<Mutex<HashSet<String>>>,
    /// Bumped when a connection opens or closes or a dial fails (the
    /// overlay re-chooses whom to dial, see `sync::overlay`).
    changes: Arc<tokio::sync::watch::Sender<u64>>,
}

/// Longest signed removal entry a removed device reads (they are ~2 KiB).
const MAX_REMOVAL_ENTRY: usize = 64 * 1024;

/// Tells a removed device why it is refused: the signed entry that removed
/// it (who, when) on a stream of its own (it is too big for a close
/// reason), then closes with [`CLOSE_REMOVED`].
pub async fn tell_removed(conn: Connection, removal: Option<super::membership::Removal>) {
    if let Some(entry) = removal.and_then(|r| serde_json::to_vec(&r.entry).ok())
        && let Ok(mut stream) = conn.open_uni().await
        && stream.write_all(&entry).await.is_ok()
        && stream.finish().is_ok()
    {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), stream.stopped()).await;
    }
    conn.close(
        VarInt::from_u32(CLOSE_REMOVED),
        b"removed from the workspace",
    );
}

fn is_open(live: &Live) -> bool {
    live.conn.close_reason().is_none()
}

impl Connections {
    /// Connections of the device `me` (its endpoint id).
    pub fn new(me: &str) -> Self {
        Connections {
            me: Arc::new(me.to_string()),
            ..Connections::default()
        }
    }

    /// Changes each time a connection opens or closes or a dial fails.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    /// Notes that our dial to `device` failed (it is away, or refused us).
    pub fn dial_failed(&self, device: &str) {
        let newly = self
            .unreachable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(device.to_string());
        if newly {
            self.changed();
        }
    }

    /// What we know of `device`'s reachability.
    pub fn reach(&self, device: &str) -> Reach {
        if self.open_with(device) > 0 {
            Reach::Connected
        } else if self
            .unreachable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(device)
        {
            Reach::Unreachable
        } else {
            Reach::Untried
        }
    }

    /// Bytes this node's connections carried (sync and whole documents).
    pub fn traffic(&self) -> Arc<Traffic> {
        self.traffic.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Live>>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sends every removal entry a peer hands us (see [`tell_removed`]) to `tx`.
    pub fn on_removed(&self, tx: tokio::sync::mpsc::UnboundedSender<Vec<u8>>) {
        *self.removed.lock().unwrap_or_else(|p| p.into_inner()) = Some(tx);
    }

    /// Watches `conn` for a peer telling us we were removed (a stream
    /// carrying the signed entry, see [`tell_removed`]).
    pub fn watch_for_removal(&self, conn: &Connection) {
        let Some(tx) = self
            .removed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        else {
            return;
        };
        let conn = conn.clone();
        tokio::spawn(async move {
            let Ok(mut stream) = conn.accept_uni().await else {
                return;
            };
            if let Ok(entry) = stream.read_to_end(MAX_REMOVAL_ENTRY).await {
                let _ = tx.send(entry);
            }
        });
    }

    /// Adds a connection with `device`. If the pair now has two open
    /// connections, the one not kept (see the module doc) is closed; says
    /// whether `conn` is the one kept.
    pub fn add(&self, device: &str, conn: Connection, dialed: Dialed) -> bool {
        let mut map = self.lock();
        let list = map.entry(device.to_string()).or_default();
        list.retain(is_open);
        if list.is_empty() {
            self.since
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(device.to_string(), Stamp::now().millis());
        }
        self.unreachable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(device);
        list.push(Live {
            conn: conn.clone(),
            dialed,
        });
        // The pair keeps the connection dialed by the smaller id; of two
        // dialed by the same side, the newer (the older is on its way out).
        let dialer_is_me = |d: Dialed| (d == Dialed::ByUs) == (self.me.as_str() < device);
        let keep = list
            .iter()
            .rposition(|l| dialer_is_me(l.dialed))
            .unwrap_or(list.len() - 1);
        let kept_new = keep == list.len() - 1;
        let losers: Vec<Connection> = list
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != keep)
            .map(|(_, l)| l.conn.clone())
            .collect();
        list.retain(|l| !losers.iter().any(|c| c.stable_id() == l.conn.stable_id()));
        drop(map);
        for conn in losers {
            tracing::debug!(peer = %device, "closing a second connection of the same pair");
            conn.close(
                VarInt::from_u32(CLOSE_DUPLICATE),
                b"one connection per pair of devices",
            );
        }
        self.changed();
        // Tell the overlay when it closes, too.
        let this = self.clone();
        tokio::spawn(async move {
            conn.closed().await;
            this.changed();
        });
        kept_new
    }

    /// Waits until no connection with `device` is open (at once if none is).
    pub async fn until_unconnected(&self, device: &str) {
        loop {
            let open = self
                .lock()
                .get(device)
                .and_then(|list| list.iter().find(|l| is_open(l)).map(|l| l.conn.clone()));
            match open {
                Some(conn) => {
                    conn.closed().await;
                }
                None => return,
            }
        }
    }

    /// Open connections with `device` (one, once a pair has settled).
    pub fn open_with(&self, device: &str) -> usize {
        self.lock()
            .get(device)
            .map_or(0, |list| list.iter().filter(|l| is_open(l)).count())
    }

    /// Since when the device has been connected (if it is).
    pub fn connected_since(&self, device: &str) -> Option<i64> {
        if self.open_with(device) == 0 {
            return None;
        }
        self.since
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(device)
            .copied()
    }

    /// Closes every connection with `device`, telling it why it was removed.
    pub fn close_removed(&self, device: &str, removal: Option<super::membership::Removal>) {
        let conns = self.lock().remove(device).unwrap_or_default();
        for live in conns {
            tokio::spawn(tell_removed(live.conn, removal.clone()));
        }
    }

    pub fn close_all(&self) {
        let all: Vec<Live> = self.lock().drain().flat_map(|(_, v)| v).collect();
        for live in all {
            live.conn.close(VarInt::from_u32(0), b"shutting down");
        }
    }

    pub fn devices(&self) -> Vec<String> {
        self.lock()
            .iter()
            .filter(|(_, v)| v.iter().any(is_open))
            .map(|(k, _)| k.clone())
            .collect()
    }
}
