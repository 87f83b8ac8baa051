//! The node and removals: learning that this device was removed (a peer's
//! close carries the signed entry), and undoing what removed devices
//! changed after their removal (`sync::removal`) whenever anything changes.

use std::sync::{Arc, Mutex};

use futures::StreamExt;

use super::Node;
use crate::sync::membership::{Action, Removal, SignedEntry};
use crate::sync::removal::{Sweeper, removed_devices};

impl Node {
    /// Why this device was removed from the workspace, if it was.
    pub fn removal(&self) -> Option<Removal> {
        let membership = self.access.current();
        let me = self.id();
        if membership.role_of(&me).is_some() {
            return None;
        }
        membership.removals.get(&me).cloned()
    }

    /// A peer closed our connection saying we were removed, with the signed
    /// entry that did it: if it really removes this device, record it like
    /// any relayed entry, so membership (and every screen) knows.
    async fn on_told_removed(self: &Arc<Self>, reason: Vec<u8>) {
        let Ok(signed) = serde_json::from_slice::<SignedEntry>(&reason) else {
            return;
        };
        let Some((entry, _)) = signed.verify() else {
            return;
        };
        let about_us = match &entry.action {
            Action::Remove { member_id } => member_id == self.store.member_id(),
            Action::RemoveDevice { device, .. } => *device == self.id(),
            _ => false,
        };
        if !about_us || entry.workspace != self.workspace {
            return;
        }
        let node = self.clone();
        let recorded = tokio::task::spawn_blocking(move || {
            let known = node
                .store
                .membership_log()?
                .iter()
                .any(|e| e.signature == signed.signature);
            if known {
                return Ok(());
            }
            node.store.append_membership(
                &entry.id,
                crate::store::StoredEntry {
                    payload: signed.payload,
                    signer: signed.signer,
                    signature: signed.signature,
                },
                None,
            )
        })
        .await;
        if let Ok(Err(e)) = recorded {
            tracing::warn!(error = %e, "could not record our removal");
        }
        self.on_root_changed().await;
    }

    /// Undoes what removed devices changed after their removal, whenever a
    /// document or the membership changed and this node is connected and
    /// in sync with every peer it is connected to (see `sync::removal`). A viewer's
    /// changes are ignored by its peers, so only a writer does it; a removed
    /// device keeps its own copy as it is.
    ///
    /// Waiting for "in sync" with at least one peer matters: documents
    /// arrive in any order, so in the middle of a sync (or after one that
    /// was cut off) the membership can be older than the records.
    /// A peer that had heard of a stale removal (one whose signer was itself
    /// removed, which it has not heard yet) would otherwise undo a
    /// colleague's legitimate change, made because of the removal it has
    /// not yet received, and that undo would stand.
    pub(super) fn spawn_sweeper(self: &Arc<Self>) {
        use futures::FutureExt;
        let weak = Arc::downgrade(self);
        let store = self.store.clone();
        let (_, mut peer_updates) = self.store.repo().connected_peers();
        let mut membership = self.access.subscribe();
        let task = tokio::spawn(async move {
            let Ok(Ok(docs)) = tokio::task::spawn_blocking(move || store.documents()).await else {
                return;
            };
            let mut changes = futures::stream::select_all(docs.iter().map(|d| d.changes().boxed()));
            let sweeper = Arc::new(Mutex::new(Sweeper::default()));
            let mut changed = true;
            loop {
                if changed {
                    let Some(node) = weak.upgrade() else { break };
                    let sweeper = sweeper.clone();
                    let swept =
                        tokio::task::spawn_blocking(move || node.sweep_when_in_sync(&sweeper))
                            .await;
                    changed = !matches!(swept, Ok(true));
                }
                tokio::select! {
                    change = changes.next() => {
                        if change.is_none() {
                            break;
                        }
                        while let Some(Some(_)) = changes.next().now_or_never() {}
                        changed = true;
                    }
                    update = crate::sync::status::next_latest(&mut peer_updates) => {
                        if update.is_none() {
                            break;
                        }
                    }
                    // The published membership changed (a removal arrived).
                    published = membership.changed() => {
                        if published.is_err() {
                            break;
                        }
                        changed = true;
                    }
                }
            }
        });
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }

    /// Sweeps if every connected peer is in sync with us; says whether it
    /// did (or had nothing to do: with no removed device, the usual case,
    /// there is nothing to sweep and no need to ask about sync).
    fn sweep_when_in_sync(&self, sweeper: &Mutex<Sweeper>) -> bool {
        if removed_devices(&self.access.current()).is_empty() {
            return true;
        }
        match self.connected_and_in_sync() {
            // In sync with no one proves nothing: what is on disk may be
            // the half of an interrupted sync (a colleague's undo without
            // the membership entry that caused it).
            Ok((peers, true)) if peers > 0 => {
                self.sweep(sweeper);
                true
            }
            _ => false,
        }
    }

    fn sweep(&self, sweeper: &Mutex<Sweeper>) {
        // Read from the root document as it is now: the published
        // membership follows it a moment later, and a sweep must not judge
        // records newer than the membership it judges them by.
        let membership = match self.access.read(&self.store) {
            Ok(membership) => membership,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the membership to sweep");
                return;
            }
        };
        if !membership
            .role_of(&self.id())
            .is_some_and(|r| r.can_write())
        {
            return;
        }
        let removed = removed_devices(&membership);
        let mut sweeper = sweeper.lock().unwrap_or_else(|p| p.into_inner());
        match sweeper.run(&self.store, &removed) {
            Ok(done) if done.undone > 0 || done.left > 0 => tracing::info!(
                undone = done.undone,
                left = done.left,
                "undid what removed devices changed after their removal"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not undo a removed device's changes"),
        }
    }

    pub(super) fn spawn_removal_listener(self: &Arc<Self>) {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        self.connections.on_removed(tx);
        let weak = Arc::downgrade(self);
        let task = tokio::spawn(async move {
            while let Some(reason) = rx.recv().await {
                let Some(node) = weak.upgrade() else { break };
                node.on_told_removed(reason).await;
            }
        });
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }
}
