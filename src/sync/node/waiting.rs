//! Waiting on peers: status of every member device, "in sync with
//! everyone connected", and how far a membership change has spread.

use std::sync::Arc;
use std::time::Duration;

use super::{Node, Result, device_names, peer_status};
use crate::model::Area;
use crate::store::StoreError;
use crate::sync::status::{self, PeerStatus};

/// A peer device and the documents where it differs from us.
type Behind = (String, Vec<String>);

impl Node {
    /// Status of every other member device.
    pub fn peer_status(&self) -> Result<Vec<PeerStatus>> {
        peer_status(&self.store, &self.access, &self.id(), Some(self))
    }

    /// True when every connected peer has all our changes and we have all
    /// of theirs, for every document.
    pub fn connected_and_in_sync(&self) -> Result<(usize, bool)> {
        let (peers, behind) = self.out_of_sync()?;
        Ok((peers, behind.is_empty()))
    }

    /// Connected peers, and for each peer not in sync, the documents that differ.
    fn out_of_sync(&self) -> Result<(usize, Vec<Behind>)> {
        let docs = self.store.documents()?;
        let ours = status::our_heads(&docs);
        let live = status::live_peers(self.store.repo());
        let mut behind = Vec::new();
        let i_am_viewer = self
            .access
            .role_of(&self.id())
            .is_some_and(|r| !r.can_write());
        for (device, peer) in &live {
            let peer_is_viewer = self.access.role_of(device).is_some_and(|r| !r.can_write());
            let differing: Vec<String> = ours
                .iter()
                .filter(|(doc, heads)| {
                    !peer.docs.get(*doc).is_some_and(|(shared, theirs)| {
                        if i_am_viewer {
                            // Peers ignore our changes: we only need all of theirs.
                            theirs.is_some() && shared == theirs
                        } else if peer_is_viewer {
                            // We ignore theirs: they only need all of ours.
                            shared.as_ref() == Some(heads)
                        } else {
                            shared.as_ref() == Some(heads) && theirs.as_ref() == Some(heads)
                        }
                    })
                })
                .map(|(doc, _)| doc.clone())
                .collect();
            if !differing.is_empty() {
                behind.push((device.clone(), differing));
            }
        }
        Ok((live.len(), behind))
    }

    /// Waits until at least one peer is connected and everyone connected is
    /// in sync, or the timeout passes. Returns how many peers were in sync.
    pub async fn wait_in_sync(self: &Arc<Self>, timeout: Duration) -> Result<usize> {
        self.wait_in_sync_by(tokio::time::Instant::now() + timeout, timeout)
            .await
    }

    /// [`Node::wait_in_sync`] until `deadline`; errors name `timeout`, the
    /// time the user asked for (which includes starting and stopping).
    pub async fn wait_in_sync_by(
        self: &Arc<Self>,
        deadline: tokio::time::Instant,
        timeout: Duration,
    ) -> Result<usize> {
        let (_, mut updates) = self.store.repo().connected_peers();
        let mut membership = self.access.subscribe();
        loop {
            if let Some(removal) = self.removal() {
                let workspace = self.store.workspace()?.name;
                return Err(StoreError::Rejected(removal.notice(&workspace)));
            }
            let node = self.clone();
            let (peers, synced) = tokio::task::spawn_blocking(move || node.connected_and_in_sync())
                .await
                .map_err(|_| StoreError::Stopped)??;
            if peers > 0 && synced {
                let node = self.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    status::record(&node.store, status::live_peers(node.store.repo()))
                })
                .await;
                return Ok(peers);
            }
            let next = async {
                tokio::select! {
                    update = status::next_latest(&mut updates) => update.map(|_| ()),
                    // Membership changed (we may have been told we were removed).
                    changed = membership.changed() => changed.ok(),
                }
            };
            match tokio::time::timeout_at(deadline, next).await {
                Ok(Some(())) => continue,
                Ok(None) => return Err(StoreError::Stopped),
                Err(_) if peers == 0 => {
                    return Err(StoreError::Rejected(format!(
                        "no peer reachable within {}s (is another member's Bureau running? try `bureau peers`)",
                        timeout.as_secs()
                    )));
                }
                Err(_) => {
                    let node = self.clone();
                    let behind = tokio::task::spawn_blocking(move || node.out_of_sync())
                        .await
                        .map_err(|_| StoreError::Stopped)??
                        .1;
                    let names = device_names(&self.access);
                    let detail: Vec<String> = behind
                        .iter()
                        .map(|(device, docs)| {
                            let who = names
                                .get(device)
                                .cloned()
                                .unwrap_or_else(|| device.chars().take(12).collect());
                            format!("{who}: {} document(s) differ", docs.len())
                        })
                        .collect();
                    return Err(StoreError::Rejected(format!(
                        "connected to {peers} peer(s) but not in sync after {}s ({})",
                        timeout.as_secs(),
                        detail.join("; ")
                    )));
                }
            }
        }
    }

    /// Waits until every other current member device has our membership
    /// (the root document as it is now), or `deadline`. Returns how many
    /// devices have it and how many there are.
    pub async fn membership_reach(
        self: &Arc<Self>,
        deadline: tokio::time::Instant,
    ) -> (usize, usize) {
        let (_, mut updates) = self.store.repo().connected_peers();
        loop {
            let node = self.clone();
            let reach = tokio::task::spawn_blocking(move || node.count_knowing())
                .await
                .unwrap_or((0, 0));
            if reach.0 >= reach.1 {
                return reach;
            }
            match tokio::time::timeout_at(deadline, status::next_latest(&mut updates)).await {
                Ok(Some(_)) => continue,
                _ => return reach,
            }
        }
    }

    fn count_knowing(&self) -> (usize, usize) {
        let me = self.id();
        let membership = self.access.current();
        let devices: Vec<&String> = membership
            .devices()
            .map(|(_, d)| d)
            .filter(|d| **d != me)
            .collect();
        let Ok(root) = self.store.handle(Area::Root) else {
            return (0, devices.len());
        };
        let ours = status::our_heads(std::slice::from_ref(&root));
        let ours = ours.values().next().cloned().unwrap_or_default();
        let live = status::live_peers(self.store.repo());
        let root_id = root.document_id().to_string();
        let knowing = devices
            .iter()
            .filter(|d| {
                live.get(d.as_str())
                    .and_then(|p| p.docs.get(&root_id))
                    .is_some_and(|(shared, _)| shared.as_ref() == Some(&ours))
            })
            .count();
        (knowing, devices.len())
    }
}
