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
    /// document or the membership changes (see `sync::removal`). A viewer's
    /// changes are ignored by its peers, so only a writer does it; a removed
    /// device keeps its own copy as it is.
    pub(super) fn spawn_sweeper(self: &Arc<Self>) {
        use futures::FutureExt;
        let weak = Arc::downgrade(self);
        let store = self.store.clone();
        let task = tokio::spawn(async move {
            let Ok(Ok(docs)) = tokio::task::spawn_blocking(move || store.documents()).await else {
                return;
            };
            let mut changes = futures::stream::select_all(docs.iter().map(|d| d.changes().boxed()));
            let sweeper = Arc::new(Mutex::new(Sweeper::default()));
            loop {
                let Some(node) = weak.upgrade() else { break };
                let sweeper = sweeper.clone();
                let _ = tokio::task::spawn_blocking(move || node.sweep(&sweeper)).await;
                if changes.next().await.is_none() {
                    break;
                }
                while let Some(Some(_)) = changes.next().now_or_never() {}
            }
        });
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }

    fn sweep(&self, sweeper: &Mutex<Sweeper>) {
        let membership = self.access.current();
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
