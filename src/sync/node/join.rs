//! Joining a workspace with an invite ticket: redeem the ticket, receive
//! every document whole and verified (`sync::snapshot`), then sync from the
//! inviter whatever changed since, starting from the heads just shared.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iroh::{Endpoint, PublicKey, SecretKey};
use samod::DialerHandle;

use super::{BACKOFF, Node, Result};
use crate::model::Stamp;
use crate::store::{DeviceConfig, Network, Store, StoreError};
use crate::sync::access::Access;
use crate::sync::dialer::IrohDialer;
use crate::sync::handlers::{Connections, JoinRequest, JoinResponse};
use crate::sync::invite::Ticket;
use crate::sync::net::{self, JOIN_ALPN, NetOptions};
use crate::sync::snapshot::{self, DOCS_ALPN};
use crate::sync::{framing, identity};

impl Node {
    /// Redeems an invite ticket in an empty data directory, then syncs the
    /// whole workspace from the inviter.
    pub async fn join(
        data_dir: &Path,
        ticket: &Ticket,
        name: &str,
        options: &NetOptions,
    ) -> Result<Arc<Node>> {
        crate::model::workspace::validate_member_name(name)?;
        if DeviceConfig::load(data_dir)?.is_some() {
            return Err(StoreError::AlreadyInitialized(data_dir.to_path_buf()));
        }
        crate::store::datadir::ensure_dir(data_dir)?;
        if ticket.expires < Stamp::now().millis() {
            return Err(StoreError::Rejected(format!(
                "this invite expired at {}; ask for a new one",
                Stamp::from_millis(ticket.expires)
            )));
        }
        let founder = ticket.founder;
        let key = identity::load_or_create(data_dir)?;
        let endpoint = net::bind(data_dir, key.clone(), options).await?;
        match Self::join_with(
            data_dir,
            ticket,
            name,
            founder,
            key,
            endpoint.clone(),
            options,
        )
        .await
        {
            Ok(node) => Ok(node),
            Err(e) => {
                endpoint.close().await;
                Err(e)
            }
        }
    }

    async fn join_with(
        data_dir: &Path,
        ticket: &Ticket,
        name: &str,
        founder: PublicKey,
        key: SecretKey,
        endpoint: Endpoint,
        options: &NetOptions,
    ) -> Result<Arc<Node>> {
        let connections = Connections::new(&endpoint.id().to_string());
        let traffic = connections.traffic();
        // 1. Redeem the ticket.
        let conn = endpoint
            .connect(ticket.inviter.clone(), JOIN_ALPN)
            .await
            .map_err(|e| {
                StoreError::Rejected(format!(
                    "could not reach the inviting device ({e}); is its Bureau running?"
                ))
            })?;
        let (mut send, mut recv) = conn
            .open_bi()
            .await
            .map_err(|e| StoreError::Rejected(format!("the inviting device hung up: {e}")))?;
        let request = JoinRequest {
            workspace: ticket.workspace.clone(),
            secret: ticket.secret.clone(),
            name: name.trim().to_string(),
        };
        let request = serde_json::to_vec(&request).unwrap_or_default();
        traffic.count_sent(request.len());
        framing::write_frame(&mut send, request)
            .await
            .map_err(|e| StoreError::Rejected(format!("the inviting device hung up: {e}")))?;
        let answer = framing::read_frame(&mut recv)
            .await
            .map_err(|e| StoreError::Rejected(format!("the inviting device hung up: {e}")))?;
        traffic.count_received(answer.len());
        conn.close(0u32.into(), b"thanks");
        let member_id = match serde_json::from_slice::<JoinResponse>(&answer) {
            Ok(JoinResponse::Welcome { member_id, .. }) => member_id,
            Ok(JoinResponse::Refused { reason }) => {
                return Err(StoreError::Rejected(format!("invite refused: {reason}")));
            }
            Err(_) => {
                return Err(StoreError::Rejected(
                    "the inviting device sent a garbled answer".into(),
                ));
            }
        };

        // 2. Every document whole and compacted, verified (`sync::snapshot`);
        // the sync that follows starts from the heads they share.
        // An inviter from before `bureau/docs/1` refuses the protocol: then
        // every document comes through the sync below, change by change. A
        // transfer that arrives and fails its checks is refused outright.
        let seeds = match endpoint.connect(ticket.inviter.clone(), DOCS_ALPN).await {
            Ok(conn) => {
                let seeds = snapshot::fetch(&conn, &ticket.workspace, &traffic).await;
                conn.close(0u32.into(), b"thanks");
                seeds?
            }
            Err(e) => {
                tracing::info!(error = %e, "the inviting device sends no whole documents; syncing them change by change");
                Vec::new()
            }
        };
        let (me, inviter) = (
            samod_core::PeerId::from(endpoint.id().to_string()),
            samod_core::PeerId::from(ticket.inviter.id.to_string()),
        );
        for seed in &seeds {
            if let Ok(id) = seed.doc_id.parse::<samod::DocumentId>() {
                samod_core::carry::remember_shared_heads(&me, &inviter, &id, seed.doc.get_heads());
            }
        }

        // 3. Sync from the inviter whatever changed since.
        let access = Access::new(founder);
        access.trust_inviter(&ticket.inviter.id.to_string());
        let device = DeviceConfig {
            root_doc: ticket.root_doc.clone(),
            member_id,
            founder: Some(ticket.founder.to_string()),
        };
        let network = Network {
            peer_id: endpoint.id().to_string(),
            policy: access.policy(),
        };
        let dialer = IrohDialer::new(
            endpoint.clone(),
            ticket.inviter.clone(),
            connections.clone(),
        )
        .ok_or_else(|| StoreError::Rejected("the invite ticket is damaged".into()))?;
        let dialer_slot: Arc<Mutex<Option<DialerHandle<std::io::Error>>>> = Arc::default();
        let slot = dialer_slot.clone();
        let store =
            Store::join_networked(data_dir, device, network, seeds, move |repo| async move {
                let handle = repo.dial(BACKOFF, dialer)?;
                tokio::time::timeout(Duration::from_secs(30), handle.established())
                    .await
                    .map_err(|_| {
                        StoreError::Rejected("timed out connecting to the inviting device".into())
                    })?
                    .map_err(|e| {
                        StoreError::Rejected(format!(
                            "could not sync with the inviting device: {e:?}"
                        ))
                    })?;
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle);
                Ok(())
            })
            .await?;
        let initial: Vec<_> = dialer_slot
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .map(|h| (ticket.inviter.id.to_string(), h))
            .into_iter()
            .collect();
        let node = Self::finish_start(
            Arc::new(store),
            key,
            endpoint,
            access,
            (connections, initial),
            options,
        )
        .await?;
        Ok(node)
    }
}
