//! Sync status per peer device: connected or not and since when, when we
//! were last fully in sync, and how many of our changes it has not seen.
//! What we learn is kept in `peers.json` so `bureau peers` can answer while
//! offline; it never claims "in sync" from stale data.

use std::collections::BTreeMap;
use std::path::Path;

use samod::{ConnectionState, DocHandle};
use serde::{Deserialize, Serialize};

use crate::store::StoreError;

/// What we remember about one peer device between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerRecord {
    /// Last time we saw the device connected (ms).
    pub last_connected: Option<i64>,
    /// Last time every document was in sync with it (ms).
    pub last_synced: Option<i64>,
    /// Per document: the heads we knew we shared with it.
    pub shared_heads: BTreeMap<String, Vec<String>>,
}

/// `peers.json`: device id -> record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerBook {
    pub peers: BTreeMap<String, PeerRecord>,
}

impl PeerBook {
    fn path(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join("peers.json")
    }

    pub fn load(data_dir: &Path) -> PeerBook {
        std::fs::read(Self::path(data_dir))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, data_dir: &Path) -> Result<(), StoreError> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        super::identity::write_private(&Self::path(data_dir), &text)
    }
}

/// Starts every sync with a peer this device knew from the heads it last
/// shared with it (kept in `peers.json`), so a reconnect exchanges what
/// changed since, not a summary of the whole document (samod-core patch 5,
/// `samod_core::carry`).
pub fn resume_from_book(data_dir: &Path, me: &str) {
    let me = samod_core::PeerId::from(me);
    for (device, record) in PeerBook::load(data_dir).peers {
        let them = samod_core::PeerId::from(device.as_str());
        for (doc, heads) in &record.shared_heads {
            let Ok(id) = doc.parse::<samod_core::DocumentId>() else {
                continue;
            };
            let heads = heads.iter().filter_map(|h| h.parse().ok()).collect();
            samod_core::carry::remember_shared_heads(&me, &them, &id, heads);
        }
    }
}

/// Sorted change hashes in hex.
pub type Heads = Vec<String>;

/// One peer's live view, from samod's connection info.
#[derive(Debug, Clone, Default)]
pub struct LivePeer {
    pub connected_since: Option<i64>,
    /// Document id -> (heads we share, their heads).
    pub docs: BTreeMap<String, (Option<Heads>, Option<Heads>)>,
}

/// Live info of every connected peer (device id -> info).
pub fn live_peers(repo: &samod::Repo) -> BTreeMap<String, LivePeer> {
    live_from(repo.connected_peers().0)
}

/// Live info of every connected peer in one connection snapshot.
pub fn live_from(infos: Vec<samod::ConnectionInfo>) -> BTreeMap<String, LivePeer> {
    let mut out: BTreeMap<String, LivePeer> = BTreeMap::new();
    for info in infos {
        let ConnectionState::Connected { their_peer_id } = &info.state else {
            continue;
        };
        let entry = out.entry(their_peer_id.to_string()).or_default();
        let since = info
            .last_received
            .or(info.last_sent)
            .map(|t| t.timestamp_millis());
        entry.connected_since = entry.connected_since.or(since);
        for (doc, state) in info.docs {
            let heads = |h: &Option<Vec<automerge::ChangeHash>>| {
                h.as_ref().map(|v| {
                    let mut s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                    s.sort();
                    s
                })
            };
            let new = (heads(&state.shared_heads), heads(&state.their_heads));
            // Several connections to one peer: keep the most advanced view.
            let slot = entry.docs.entry(doc.to_string()).or_insert((None, None));
            if slot.0.is_none() || new.0.is_some() {
                *slot = new;
            }
        }
    }
    out
}

/// Our heads per document (sorted hex).
pub fn our_heads(docs: &[DocHandle]) -> BTreeMap<String, Vec<String>> {
    docs.iter()
        .map(|h| {
            let mut heads: Vec<String> = h
                .with_document(|d| d.get_heads())
                .iter()
                .map(|x| x.to_string())
                .collect();
            heads.sort();
            (h.document_id().to_string(), heads)
        })
        .collect()
}

/// How many of our changes are not in the causal past of `shared` (None:
/// the peer never acknowledged anything, so everything is unseen).
pub fn unseen_changes(doc: &DocHandle, shared: Option<&Vec<String>>) -> Option<usize> {
    let shared = shared?;
    let hashes: Vec<automerge::ChangeHash> = shared.iter().filter_map(|h| h.parse().ok()).collect();
    if hashes.len() != shared.len() {
        return None;
    }
    Some(doc.with_document(|d| {
        if d.get_heads().iter().all(|h| hashes.contains(h)) && d.get_heads().len() == hashes.len() {
            0
        } else {
            d.get_changes(&hashes).len()
        }
    }))
}

/// A peer device as `bureau peers` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerStatus {
    pub member: String,
    pub role: String,
    pub device: String,
    pub online: bool,
    pub connected_since: Option<String>,
    pub last_synced: Option<String>,
    /// Our changes the device has not seen; `None` if it never synced with us.
    pub unseen_changes: Option<usize>,
    pub in_sync: bool,
    /// The device syncs with us directly (a ring neighbour, see
    /// `sync::overlay`); the others' changes reach us through other devices.
    pub direct: bool,
}

impl PeerStatus {
    /// When it last synced with us, as the Team screen and `bureau peers`
    /// say it.
    pub fn last_synced_text(&self) -> String {
        match &self.last_synced {
            Some(at) => at.clone(),
            None if !self.direct => "through other devices".into(),
            None => "never".into(),
        }
    }

    /// How many of our changes it has not seen, in words.
    pub fn unseen_text(&self) -> String {
        match self.unseen_changes {
            Some(n) => n.to_string(),
            None if !self.direct => "unknown here".into(),
            None => "all (never synced)".into(),
        }
    }
}

/// Least time between two writes of `peers.json` while peers are busy.
pub(crate) const RECORD_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// The next connection-state snapshot, skipping any already queued behind
/// it (for waiters that read the current state themselves).
pub(crate) async fn next_latest<S>(updates: &mut S) -> Option<S::Item>
where
    S: futures::Stream + Unpin,
{
    use futures::{FutureExt, StreamExt};
    let mut latest = updates.next().await?;
    while let Some(Some(newer)) = updates.next().now_or_never() {
        latest = newer;
    }
    Some(latest)
}

/// Follows samod's connection snapshots and keeps `peers.json` true.
///
/// samod sends a full snapshot of every connection on each sync event
/// (hundreds a second with several busy peers). Each is folded into memory
/// at once (never queued behind disk work: a backlog of snapshots once
/// swelled serve processes to 800 MiB); the file is written at most every
/// [`RECORD_INTERVAL`]. A peer that disconnects between two writes keeps its
/// last view for the next write, so a member who only runs `bureau sync`
/// (connects, syncs, quits within a second) is still recorded as synced.
pub(crate) async fn follow<S>(
    store: std::sync::Weak<crate::store::Store>,
    mut updates: S,
    written: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
) where
    S: futures::Stream<Item = Vec<samod::ConnectionInfo>> + Unpin,
{
    use futures::StreamExt;
    let mut seen: BTreeMap<String, LivePeer> = BTreeMap::new();
    let mut next_write = tokio::time::Instant::now();
    loop {
        tokio::select! {
            snapshot = updates.next() => {
                let Some(snapshot) = snapshot else { break };
                seen.extend(live_from(snapshot));
            }
            _ = tokio::time::sleep_until(next_write), if !seen.is_empty() => {
                let Some(store) = store.upgrade() else { break };
                let view = std::mem::take(&mut seen);
                let recorded = tokio::task::spawn_blocking(move || record(&store, view)).await;
                match recorded {
                    Ok(Err(e)) => tracing::warn!(error = %e, "could not record peer status"),
                    _ => written.send_modify(|n| *n += 1),
                }
                next_write = tokio::time::Instant::now() + RECORD_INTERVAL;
            }
        }
    }
}

/// Remembers what we share with each peer in `live` (peers.json).
pub(crate) fn record(
    store: &crate::store::Store,
    live: BTreeMap<String, LivePeer>,
) -> Result<(), StoreError> {
    let docs = store.documents()?;
    let ours = our_heads(&docs);
    let mut book = PeerBook::load(store.data_dir());
    let before = book.clone();
    let now = crate::model::Stamp::now().millis();
    for (device, peer) in live {
        let record = book.peers.entry(device).or_default();
        record.last_connected = Some(now);
        for (doc, (shared, _)) in &peer.docs {
            if let Some(shared) = shared {
                record.shared_heads.insert(doc.clone(), shared.clone());
            }
        }
        let in_sync = ours.iter().all(|(doc, heads)| {
            peer.docs.get(doc).is_some_and(|(shared, theirs)| {
                shared.as_ref() == Some(heads) && theirs.as_ref() == Some(heads)
            })
        });
        if in_sync {
            record.last_synced = Some(now);
        }
    }
    if book != before {
        book.save(store.data_dir())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::PeerStatus;

    fn peer(last_synced: Option<&str>, unseen: Option<usize>, direct: bool) -> PeerStatus {
        PeerStatus {
            member: "Ben".into(),
            role: "member".into(),
            device: "d1".into(),
            online: false,
            connected_since: None,
            last_synced: last_synced.map(String::from),
            unseen_changes: unseen,
            in_sync: false,
            direct,
        }
    }

    #[test]
    fn a_device_reached_only_through_others_is_not_called_never_synced() {
        let far = peer(None, None, false);
        assert_eq!(far.last_synced_text(), "through other devices");
        assert_eq!(far.unseen_text(), "unknown here");
        let neighbour = peer(None, None, true);
        assert_eq!(neighbour.last_synced_text(), "never");
        assert_eq!(neighbour.unseen_text(), "all (never synced)");
        // Once it synced with us directly, what it saw is known.
        let met = peer(Some("2026-12-06 11:29"), Some(2), false);
        assert_eq!(met.last_synced_text(), "2026-12-06 11:29");
        assert_eq!(met.unseen_text(), "2");
    }
}
