#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use automerge::{
    Automerge,
    sync::{self, SyncDoc},
};

use crate::actors::messages::SyncMessage;
use crate::{ConnectionId, PeerId, ShareConfig, UnixTimestamp, network::PeerDocState};

#[derive(Debug)]
pub(crate) struct PeerDocConnection {
    pub(super) connection_id: ConnectionId,
    pub(super) peer_id: PeerId,
    pub(super) sync_state: sync::State,
    // Remember inbound requests or sync attempts, even while denied/paused,
    // so that granting access can answer them without proactive announcement.
    pub(super) has_requested: bool,
    // Whether this state has changed since the last pop
    dirty: bool,
    state: PeerDocState,
    pub(super) share_policy: SharePolicyState,
    last_share_config: Option<ShareConfig>,
    // Preserve message ordering while the asynchronous policy lookup is pending.
    pub(super) pending_sync_messages: Vec<(SyncMessage, UnixTimestamp)>,
    // Bureau patch 5: the heads shared with this peer when the last
    // connection with it closed (see `crate::carry`); the first writable
    // sync state of this connection starts from them.
    resume: Vec<automerge::ChangeHash>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharePolicyState {
    Unknown,
    Loading,
    Ready(ShareConfig),
}

impl PeerDocConnection {
    pub(super) fn new(
        peer_id: PeerId,
        connection_id: ConnectionId,
        resume: Vec<automerge::ChangeHash>,
    ) -> Self {
        Self {
            connection_id,
            peer_id,
            sync_state: sync::State::new_read_only(),
            has_requested: false,
            state: PeerDocState::empty(),
            dirty: false,
            share_policy: SharePolicyState::Unknown,
            last_share_config: None,
            pending_sync_messages: Vec::new(),
            resume,
        }
    }

    pub(super) fn reset_sync_state(&mut self) {
        // Bureau patch 5: only the first reset resumes; a reset after a
        // refused message starts from nothing.
        let resume = std::mem::take(&mut self.resume);
        self.sync_state = if self.can_write() {
            let mut state = sync::State::new();
            state.shared_heads = resume;
            state
        } else {
            sync::State::new_read_only()
        };
    }

    pub(super) fn prepare_request(&mut self) {
        // Initial requests already have a fresh state. Automerge has no explicit
        // API to restart synchronization, so for retries we force a read-only to
        // read-write transition. This resets local bookkeeping and tells the
        // remote to resend changes; replacing the state alone would not do that.
        if self.state.last_sent.is_some() || self.state.last_received.is_some() {
            self.sync_state.set_read_only(true);
            self.sync_state.set_read_only(false);
            self.state.shared_heads = Some(self.sync_state.shared_heads.clone());
            self.state.their_heads = self.sync_state.their_heads.clone();
            self.state.peer_read_only = self.sync_state.is_peer_read_only();
            self.dirty = true;
        }
    }

    pub(super) fn mark_requested(&mut self) {
        if !self.has_requested {
            self.has_requested = true;
            self.dirty = true; // Mark as dirty since the request status changed
        }
    }

    pub(super) fn receive_sync_message(
        &mut self,
        now: UnixTimestamp,
        doc: &mut Automerge,
        msg: sync::Message,
    ) -> Result<Duration, String> {
        let start = Instant::now();
        // Bureau patch 4: a panic inside Automerge's decoders is an error.
        if let Err(refused) = crate::sync_guard::receive(doc, &mut self.sync_state, msg) {
            self.reset_sync_state();
            return Err(refused);
        }
        let duration = start.elapsed();
        self.dirty = true;
        self.state.last_received = Some(now);
        self.state.last_acked_heads = self.sync_state.their_heads.clone();
        self.state.shared_heads = Some(self.sync_state.shared_heads.clone());
        self.state.their_heads = self.sync_state.their_heads.clone();
        self.state.peer_read_only = self.sync_state.is_peer_read_only();
        Ok(duration)
    }

    /// Generate messages in wire order, with timing for each message.
    pub(super) fn generate_sync_messages(
        &mut self,
        now: UnixTimestamp,
        doc: &Automerge,
    ) -> Vec<(sync::Message, Duration)> {
        let heads = doc.get_heads();
        let mut messages = Vec::new();
        loop {
            let start = Instant::now();
            let Some(msg) = doc.generate_sync_message(&mut self.sync_state) else {
                break;
            };
            let duration = start.elapsed();
            let follow_up = msg.heads != heads;
            if follow_up {
                // Automerge 0.12's fallback reset advertises empty heads but
                // records the real heads as sent. An empty peer may not reply.
                // Correct the bookkeeping to what we actually advertised, then
                // immediately generate the real-heads follow-up in this batch.
                self.sync_state.last_sent_heads.clone_from(&msg.heads);
            }
            self.state.last_sent = Some(now);
            self.state.last_sent_heads = Some(msg.heads.clone());
            self.state.shared_heads = Some(self.sync_state.shared_heads.clone());
            self.dirty = true;
            messages.push((msg, duration));
            if !follow_up {
                break;
            }
        }
        messages
    }

    pub(super) fn their_heads(&self) -> Option<Vec<automerge::ChangeHash>> {
        self.sync_state.their_heads.clone()
    }

    pub(super) fn pop(&mut self) -> Option<PeerDocState> {
        if self.dirty {
            self.dirty = false;
            Some(self.state.clone())
        } else {
            None
        }
    }

    pub(super) fn state(&self) -> &PeerDocState {
        &self.state
    }

    /// Bound buffering while an application-provided policy future is pending.
    /// Permit one oversized message so a legitimate full-document sync is not
    /// limited by this queue's byte budget; transports should bound frame size.
    pub(super) fn buffer_sync_message(
        &mut self,
        msg: SyncMessage,
        received_at: UnixTimestamp,
    ) -> bool {
        const MAX_MESSAGES: usize = 64;
        const MAX_BYTES: usize = 16 * 1024 * 1024;
        let message_bytes = |msg: &SyncMessage| match msg {
            SyncMessage::Sync { data } | SyncMessage::Request { data } => data.len(),
            SyncMessage::DocUnavailable => 0,
        };
        let queued_bytes = self
            .pending_sync_messages
            .iter()
            .fold(0usize, |bytes, (msg, _)| {
                bytes.saturating_add(message_bytes(msg))
            });
        if self.pending_sync_messages.len() >= MAX_MESSAGES
            || (!self.pending_sync_messages.is_empty()
                && queued_bytes.saturating_add(message_bytes(&msg)) > MAX_BYTES)
        {
            return false;
        }
        self.pending_sync_messages.push((msg, received_at));
        true
    }

    pub(super) fn share_config(&self) -> Option<ShareConfig> {
        match self.share_policy {
            SharePolicyState::Ready(config) => Some(config),
            _ => None,
        }
    }

    pub(super) fn can_read(&self) -> bool {
        self.share_config().is_some_and(|config| config.can_read())
    }

    pub(super) fn can_write(&self) -> bool {
        self.share_config().is_some_and(|config| config.can_write())
    }

    pub(super) fn can_send(&self) -> bool {
        self.can_read()
            && (self.has_requested
                || self.sync_state.their_heads.is_some()
                || self.share_config().is_some_and(|config| config.announce))
    }

    pub(super) fn set_share_config(&mut self, config: ShareConfig) -> Option<ShareConfig> {
        let previous = self.last_share_config.replace(config);
        self.share_policy = SharePolicyState::Ready(config);
        if self.state.last_sent.is_none() && self.state.last_received.is_none() {
            // Initialize sessions which have not exchanged any sync messages yet.
            self.reset_sync_state();
        } else {
            if previous.is_some_and(|old| !old.can_read()) && config.can_read() {
                // Denial may have dropped messages; restart the exchange on re-grant.
                self.sync_state.set_read_only(false);
            }
            self.sync_state.set_read_only(!config.can_write());
            self.state.shared_heads = Some(self.sync_state.shared_heads.clone());
            self.state.their_heads = self.sync_state.their_heads.clone();
            self.state.peer_read_only = self.sync_state.is_peer_read_only();
        }
        self.state.share_config = Some(config);
        self.dirty = true;
        previous
    }
}
