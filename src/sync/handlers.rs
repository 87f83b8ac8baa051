//! Incoming connections: the sync protocol (members only, checked before a
//! single byte of workspace data is sent) and invite redemption.

use iroh::endpoint::{Connection, VarInt};
use iroh::protocol::{AcceptError, ProtocolHandler};
use samod::{AcceptorHandle, PeerId};
use serde::{Deserialize, Serialize};

use super::access::Access;
pub use super::connections::{CLOSE_DUPLICATE, Connections, Dialed, tell_removed};
use super::framing;
use super::invite;
use super::membership::{Action, Entry, SignedEntry};
use crate::model::{Device, Member, Role, Stamp, new_id};
use crate::store::{Store, StoredEntry};

/// QUIC close codes we use.
pub const CLOSE_NOT_MEMBER: u32 = 403;
pub const CLOSE_REMOVED: u32 = 410;

/// `bureau/sync/1`: samod's protocol, for current members only.
#[derive(Clone)]
pub struct SyncHandler {
    pub access: Access,
    pub acceptor: AcceptorHandle,
    pub connections: Connections,
}

impl std::fmt::Debug for SyncHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncHandler")
    }
}

impl ProtocolHandler for SyncHandler {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let remote = conn.remote_id().to_string();
        let membership = self.access.current();
        if self.access.role_of(&remote).is_none()
            && let Some(removal) = membership.removals.get(&remote)
        {
            tracing::info!(peer = %remote, "refused: removed from this workspace");
            tell_removed(conn, Some(removal.clone())).await;
            return Ok(());
        }
        if self.access.role_of(&remote).is_none() {
            tracing::warn!(peer = %remote, "refused: not a member of this workspace");
            conn.close(
                VarInt::from_u32(CLOSE_NOT_MEMBER),
                b"not a member of this workspace",
            );
            return Ok(());
        }
        let (send, recv) = conn.accept_bi().await.map_err(AcceptError::from_err)?;
        let transport = framing::transport(send, recv, self.connections.traffic())
            .with_expected_peer_id(PeerId::from(remote.clone()));
        let handle = self
            .acceptor
            .accept(transport)
            .map_err(|_| AcceptError::from_err(std::io::Error::other("sync has stopped")))?;
        self.connections.watch_for_removal(&conn);
        if !self.connections.add(&remote, conn.clone(), Dialed::ByThem) {
            // The pair keeps the connection we dialed (see `sync::connections`).
            return Ok(());
        }
        let mut events = handle.events();
        let ended = async {
            // A connection that failed before we listened (a garbage first
            // frame, seen under load) sends no event any more: the handshake
            // then reports it finished at once.
            if handle.handshake_complete().await.is_err() {
                return;
            }
            while let Some(event) = futures::StreamExt::next(&mut events).await {
                if let samod::AcceptorEvent::ClientDisconnected { .. } = event {
                    break;
                }
            }
        };
        tokio::select! {
            _ = ended => tracing::debug!(peer = %remote, "sync session ended"),
            _ = conn.closed() => tracing::debug!(peer = %remote, "connection closed"),
        }
        conn.close(VarInt::from_u32(0), b"done");
        Ok(())
    }
}

/// What a joiner sends.
#[derive(Debug, Serialize, Deserialize)]
pub struct JoinRequest {
    pub workspace: String,
    pub secret: String,
    pub name: String,
}

/// What the inviter answers.
#[derive(Debug, Serialize, Deserialize)]
pub enum JoinResponse {
    Welcome { member_id: String, role: Role },
    Refused { reason: String },
}

/// `bureau/join/1`: redeems a ticket and admits the device as a member.
#[derive(Clone)]
pub struct JoinHandler {
    /// Weak: a router still draining connections at shutdown must not keep
    /// the store (and the data directory's lock) open.
    pub store: std::sync::Weak<Store>,
    pub access: Access,
    pub key: iroh::SecretKey,
    pub workspace: String,
}

impl std::fmt::Debug for JoinHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinHandler")
    }
}

impl ProtocolHandler for JoinHandler {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let device = conn.remote_id().to_string();
        let (mut send, mut recv) = conn.accept_bi().await.map_err(AcceptError::from_err)?;
        let request = framing::read_frame(&mut recv)
            .await
            .map_err(AcceptError::from_err)?;
        let response = match serde_json::from_slice::<JoinRequest>(&request) {
            Ok(request) => {
                let this = self.clone();
                let device = device.clone();
                tokio::task::spawn_blocking(move || this.admit(request, &device))
                    .await
                    .unwrap_or_else(|_| JoinResponse::Refused {
                        reason: "internal error".into(),
                    })
            }
            Err(_) => JoinResponse::Refused {
                reason: "malformed join request".into(),
            },
        };
        let bytes = serde_json::to_vec(&response).unwrap_or_default();
        framing::write_frame(&mut send, bytes)
            .await
            .map_err(AcceptError::from_err)?;
        send.finish().map_err(AcceptError::from_err)?;
        // Let the joiner read the answer before the connection goes.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), conn.closed()).await;
        Ok(())
    }
}

impl JoinHandler {
    fn admit(&self, request: JoinRequest, device: &str) -> JoinResponse {
        let refuse = |reason: String| {
            tracing::warn!(%device, %reason, "join refused");
            JoinResponse::Refused { reason }
        };
        let Some(store) = self.store.upgrade() else {
            return refuse("the inviting device is shutting down; try again".into());
        };
        if request.workspace != self.workspace {
            return refuse("this invite is for another workspace".into());
        }
        if crate::model::workspace::validate_member_name(&request.name).is_err() {
            return refuse("a name is required to join".into());
        }
        if !self
            .access
            .current()
            .is_admin_device(&self.key.public().to_string())
        {
            return refuse("the inviting device is no longer an admin".into());
        }
        let invite = match invite::redeem(store.data_dir(), &request.secret, device, Stamp::now()) {
            Ok(invite) => invite,
            Err(reason) => return refuse(reason),
        };
        // A retried join (the first was interrupted after we admitted it).
        if let Some(existing) = self.access.current().member_for_device(device) {
            return JoinResponse::Welcome {
                member_id: existing.member_id.clone(),
                role: existing.role,
            };
        }
        let member_id = new_id();
        match add_member(
            &store,
            &self.key,
            &self.workspace,
            &member_id,
            request.name.trim(),
            invite.role,
            device,
        ) {
            Ok(()) => {
                if let Err(e) = self.access.refresh(&store) {
                    tracing::error!(error = %e, "could not refresh membership");
                }
                JoinResponse::Welcome {
                    member_id,
                    role: invite.role,
                }
            }
            Err(e) => refuse(format!("could not record the new member: {e}")),
        }
    }
}

/// Signs and stores an `Add` entry plus the member's display record.
pub fn add_member(
    store: &Store,
    key: &iroh::SecretKey,
    workspace: &str,
    member_id: &str,
    name: &str,
    role: Role,
    device: &str,
) -> Result<(), crate::store::StoreError> {
    let entry = Entry {
        workspace: workspace.to_string(),
        id: new_id(),
        at: Stamp::now().millis(),
        action: Action::Add {
            member_id: member_id.to_string(),
            name: name.to_string(),
            role,
            device: device.to_string(),
        },
        covers: Default::default(),
    };
    let mut member = Member {
        id: member_id.to_string(),
        name: name.to_string(),
        role,
        ..Default::default()
    };
    member.devices.insert(
        device.to_string(),
        Device {
            endpoint_id: device.to_string(),
            label: "joined by invite".into(),
            added_at: Stamp::now(),
        },
    );
    append(store, key, &entry, Some(member))
}

/// Signs `entry` with `key` and appends it (with an optional member record).
pub fn append(
    store: &Store,
    key: &iroh::SecretKey,
    entry: &Entry,
    member: Option<Member>,
) -> Result<(), crate::store::StoreError> {
    let signed = SignedEntry::sign(entry, key);
    store.append_membership(
        &entry.id,
        StoredEntry {
            payload: signed.payload,
            signer: signed.signer,
            signature: signed.signature,
        },
        member,
    )
}
