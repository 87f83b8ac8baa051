//! Fetching document bodies in the background: each SOP's text lives in a
//! document of its own that nothing loads until it is opened, so after the
//! workspace loads, whenever the Docs area changes (a teammate added or
//! edited a document) and whenever a peer connects, the node loads every
//! body the records name: from disk, or from the peer that has it. Once
//! loaded, samod keeps it in sync, and it is on this machine for the next
//! outage.
//!
//! The same loop follows the yearly archive: on every change of the root
//! document it writes again the late edits this device holds for a
//! retired document (`Store::follow_rotations`) and fetches the live and
//! archive documents the root names (`Store::fetch_archives`).

use std::sync::Arc;

use futures::StreamExt;

use super::Node;
use crate::model::Area;

impl Node {
    pub(super) fn spawn_body_fetcher(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        let store = self.store.clone();
        let task = tokio::spawn(async move {
            let docs = {
                let store = store.clone();
                tokio::task::spawn_blocking(move || {
                    Ok::<_, crate::store::StoreError>((
                        store.handle(Area::Docs)?,
                        store.handle(Area::Root)?,
                    ))
                })
                .await
            };
            let Ok(Ok((docs, root))) = docs else {
                return;
            };
            let peers = store.repo().connected_peers().1.map(|_| ());
            let mut triggers = futures::stream::select(
                futures::stream::select(docs.changes().map(|_| ()), root.changes().map(|_| ())),
                peers,
            );
            loop {
                let Some(node) = weak.upgrade() else { break };
                let store = node.store.clone();
                drop(node);
                let fetched = tokio::task::spawn_blocking(move || {
                    follow_archive(&store);
                    store.fetch_bodies()
                })
                .await;
                match fetched {
                    Ok(Ok(f)) if f.loaded > 0 || f.missing > 0 => {
                        tracing::debug!(
                            loaded = f.loaded,
                            missing = f.missing,
                            "document texts fetched"
                        );
                    }
                    Ok(Err(e)) => tracing::warn!(error = %e, "could not fetch document texts"),
                    _ => {}
                }
                if triggers.next().await.is_none() {
                    break;
                }
            }
        });
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(task);
    }
}

/// Writes late edits again and fetches archive documents; failures are
/// logged and retried on the next trigger.
/// First the documents (the area moves to its new live document once it
/// is here), then the late edits onto it.
fn follow_archive(store: &crate::store::Store) {
    match store.fetch_archives() {
        Ok((_, missing)) if missing > 0 => {
            tracing::debug!(missing, "archive documents not reachable yet")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not fetch archive documents"),
    }
    match store.follow_rotations() {
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not write late edits on the archived area yet"),
    }
}
