//! Workspace operations that need no running node: creating a workspace
//! with its genesis entry, the membership view and changes to it, the
//! viewer write check, and peer status from what `peers.json` remembers.

use std::collections::BTreeMap;
use std::path::Path;

use iroh::{PublicKey, SecretKey};

use super::access::Access;
use super::handlers;
use super::identity;
use super::membership::{Action, Entry};
use super::node::Node;
use super::status::{self, PeerBook, PeerStatus};
use crate::model::{Role, Stamp, new_id};
use crate::store::{DeviceConfig, Store, StoreError};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Status of every other member device, from live info (if a node runs in
/// this process) and what `peers.json` remembers.
pub fn peer_status(
    store: &Store,
    access: &Access,
    me: &str,
    node: Option<&Node>,
) -> Result<Vec<PeerStatus>> {
    let docs = store.documents()?;
    let ours = status::our_heads(&docs);
    let live = node
        .map(|n| status::live_peers(n.store().repo()))
        .unwrap_or_default();
    let book = PeerBook::load(store.data_dir());
    let membership = access.current();
    let devices: Vec<String> = membership.devices().map(|(_, d)| d.clone()).collect();
    let neighbours = super::overlay::neighbours(me, &devices);
    let mut out = Vec::new();
    for (member, device) in membership.devices() {
        if device == me {
            continue;
        }
        let remembered = book.peers.get(device).cloned().unwrap_or_default();
        let live_peer = live.get(device);
        let mut unseen = Some(0usize);
        let mut in_sync = live_peer.is_some();
        for doc in &docs {
            let id = doc.document_id().to_string();
            let shared = live_peer
                .and_then(|p| p.docs.get(&id).and_then(|(s, _)| s.clone()))
                .or_else(|| remembered.shared_heads.get(&id).cloned());
            let theirs_ok = live_peer
                .and_then(|p| p.docs.get(&id))
                .is_some_and(|(s, t)| s.as_ref() == ours.get(&id) && t.as_ref() == ours.get(&id));
            in_sync &= theirs_ok;
            unseen = match (unseen, status::unseen_changes(doc, shared.as_ref())) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
        }
        let fmt = |ms: Option<i64>| ms.map(|m| Stamp::from_millis(m).to_string());
        out.push(PeerStatus {
            member: member.name.clone(),
            role: member.role.to_string(),
            device: device.clone(),
            online: live_peer.is_some(),
            connected_since: fmt(node
                .and_then(|n| n.connected_since(device))
                .or(live_peer.and_then(|p| p.connected_since)))
            .filter(|_| live_peer.is_some()),
            last_synced: fmt(if in_sync {
                Some(Stamp::now().millis())
            } else {
                remembered.last_synced
            }),
            unseen_changes: unseen,
            in_sync: in_sync && unseen == Some(0),
            direct: neighbours.contains(device),
        });
    }
    Ok(out)
}

pub(crate) fn founder_key(device: &DeviceConfig) -> Result<PublicKey> {
    device
        .founder
        .as_deref()
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| {
            StoreError::Corrupt(
                "device.json has no founder key; this workspace predates sync".into(),
            )
        })
}

/// Opens just the membership view of a workspace (no network), for
/// commands like `bureau peers` and `bureau member`.
pub fn offline_access(store: &Store) -> Result<Access> {
    let access = Access::new(founder_key(store.device())?);
    access.set_workspace(&store.workspace()?.id);
    access.refresh(store)?;
    Ok(access)
}

/// Refuses record changes on a viewer's device, with the reason. A
/// workspace without sync (no founder key) has no roles to enforce.
pub fn ensure_can_write(store: &Store) -> Result<()> {
    if store.device().founder.is_none() {
        return Ok(());
    }
    let access = offline_access(store)?;
    let me = identity::load_or_create(store.data_dir())?
        .public()
        .to_string();
    if access.role_of(&me) == Some(Role::Viewer) {
        return Err(StoreError::Rejected(
            "you are a viewer in this workspace; ask an admin for the member role to make changes"
                .into(),
        ));
    }
    Ok(())
}

/// Signs and appends a membership change made by this device.
pub fn change_membership(
    store: &Store,
    key: &SecretKey,
    access: &Access,
    action: Action,
) -> Result<()> {
    let me = key.public().to_string();
    if !access.current().may_sign(&me) {
        return Err(StoreError::Rejected(
            "only admins can change membership".into(),
        ));
    }
    let workspace = store.workspace()?.id;
    // A removal says what it covers: every document as this device has it.
    let covers = match &action {
        Action::Remove { .. } | Action::RemoveDevice { .. } => {
            status::our_heads(&store.documents()?).into_iter().collect()
        }
        _ => BTreeMap::new(),
    };
    let entry = Entry {
        workspace,
        id: new_id(),
        at: Stamp::now().millis(),
        action: action.clone(),
        covers,
    };
    let member = match &action {
        Action::Remove { member_id } | Action::SetRole { member_id, .. } => {
            let mut m = store.require::<crate::model::Member>(member_id)?;
            match action {
                Action::Remove { .. } => m.deleted_at = Some(Stamp::now()),
                Action::SetRole { role, .. } => m.role = role,
                _ => {}
            }
            Some(m)
        }
        _ => None,
    };
    handlers::append(store, key, &entry, member)?;
    access.refresh(store)?;
    Ok(())
}

/// Creates a workspace in `data_dir` with this device (its key created if
/// needed) as the founder and first admin.
pub async fn create_workspace(data_dir: &Path, workspace: &str, name: &str) -> Result<Store> {
    crate::store::datadir::ensure_dir(data_dir)?;
    if DeviceConfig::load(data_dir)?.is_some() {
        return Err(StoreError::AlreadyInitialized(data_dir.to_path_buf()));
    }
    crate::model::workspace::validate_member_name(name)?;
    let key = identity::load_or_create(data_dir)?;
    let store = Store::init(
        data_dir,
        workspace,
        name,
        crate::store::Layout::PerArea,
        Some(key.public().to_string()),
    )
    .await?;
    write_genesis(&store, &key, name.trim())?;
    Ok(store)
}

/// Writes the genesis entry for a workspace this device just created.
pub fn write_genesis(store: &Store, key: &SecretKey, name: &str) -> Result<()> {
    let entry = Entry {
        workspace: store.workspace()?.id,
        id: new_id(),
        at: Stamp::now().millis(),
        action: Action::Genesis {
            member_id: store.member_id().to_string(),
            name: name.to_string(),
            device: key.public().to_string(),
        },
        covers: BTreeMap::new(),
    };
    handlers::append(store, key, &entry, None)
}

/// Map of device -> member name, for messages.
pub fn device_names(access: &Access) -> BTreeMap<String, String> {
    access
        .current()
        .devices()
        .map(|(m, d)| (d.clone(), m.name.clone()))
        .collect()
}
