//! The engine's part for membership and peers: changing membership (and
//! how many connected devices get the change at once), and when peer
//! status is next due.

use std::time::Duration;

use super::engine::{Engine, PEER_STATUS_EVERY};
use crate::sync::node;

impl Engine {
    /// Member devices connected right now (they get a change at once).
    pub(super) fn connected_members(&self) -> usize {
        self.node
            .as_ref()
            .and_then(|node| node.peer_status().ok())
            .map_or(0, |peers| peers.iter().filter(|p| p.online).count())
    }

    pub(super) fn change_membership(
        &self,
        action: crate::sync::membership::Action,
    ) -> Result<(), String> {
        let store = self.store()?;
        let key =
            crate::sync::identity::load_or_create(store.data_dir()).map_err(|e| e.to_string())?;
        let access = self
            .access
            .clone()
            .ok_or("this workspace has no membership (it predates sync)")?;
        node::change_membership(store, &key, &access, action).map_err(|e| e.to_string())?;
        if self.node.is_none() {
            access.refresh(store).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// When peer status is next due (for the backend loop's wait).
    pub(super) fn peers_due_in(&self) -> Option<Duration> {
        // Without membership (a workspace from before sync) there are no peers.
        if !self.peers_wanted || self.access.is_none() {
            return None;
        }
        if !self.throttle_peers {
            return Some(Duration::ZERO);
        }
        Some(self.peers_at.map_or(Duration::ZERO, |at| {
            PEER_STATUS_EVERY.saturating_sub(at.elapsed())
        }))
    }
}
