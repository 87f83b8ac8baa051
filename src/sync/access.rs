//! Access control shared by every sync session: the current membership,
//! refreshed whenever the root document changes, and the samod share policy
//! derived from it (members read-write, viewers read-only, everyone else
//! nothing).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use futures::Stream;
use iroh::PublicKey;
use samod::{DocumentId, PeerId, ShareAccess, ShareConfig};
use tokio::sync::watch;

use super::membership::{Membership, SignedEntry};
use crate::model::Role;
use crate::store::{Store, StoreError};

/// The workspace's membership as this node currently sees it.
#[derive(Clone)]
pub struct Access {
    workspace: Arc<Mutex<String>>,
    founder: PublicKey,
    /// Devices trusted before the log is known (the inviter, while joining).
    trusted: Arc<Mutex<HashSet<String>>>,
    tx: Arc<watch::Sender<Arc<Membership>>>,
}

impl Access {
    /// Nobody has access until [`Access::set_workspace`] and a refresh.
    pub fn new(founder: PublicKey) -> Self {
        let (tx, _) = watch::channel(Arc::new(Membership::default()));
        Access {
            workspace: Arc::default(),
            founder,
            trusted: Arc::default(),
            tx: Arc::new(tx),
        }
    }

    pub fn set_workspace(&self, workspace: &str) {
        *lock(&self.workspace) = workspace.to_string();
    }

    /// Trusts a device as a member while the membership log is unknown
    /// (the inviter, from whom a joining device fetches the log).
    pub fn trust_inviter(&self, device: &str) {
        lock(&self.trusted).insert(device.to_string());
        self.tx.send_modify(|_| {});
    }

    /// Recomputes membership from the store's log; returns it if it changed.
    /// Also tells the store whose yearly archives count.
    pub fn refresh(&self, store: &Store) -> Result<Option<Arc<Membership>>, StoreError> {
        store.trust_archives_from(self.archive_authors());
        let membership = Arc::new(self.read(store)?);
        let changed = self.tx.send_if_modified(|current| {
            if **current == *membership {
                false
            } else {
                *current = membership.clone();
                true
            }
        });
        Ok(changed.then_some(membership))
    }

    /// The membership as the store's log says now, without publishing it
    /// (for work that must not act on a membership older than the
    /// documents it reads, while the watcher publishes the change).
    pub fn read(&self, store: &Store) -> Result<Membership, StoreError> {
        let log: Vec<SignedEntry> = store.membership_log()?.iter().map(signed).collect();
        let workspace = lock(&self.workspace).clone();
        Ok(Membership::from_log(&workspace, &self.founder, &log))
    }

    /// Given a membership log, the devices that have been an admin's: the
    /// authors whose yearly archive entries every device follows.
    pub fn archive_authors(&self) -> crate::store::ArchiveAuthors {
        let (workspace, founder) = (self.workspace.clone(), self.founder);
        Arc::new(move |log| {
            let log: Vec<SignedEntry> = log.iter().map(signed).collect();
            let workspace = lock(&workspace).clone();
            Membership::from_log(&workspace, &founder, &log).ever_admin
        })
    }

    pub fn current(&self) -> Arc<Membership> {
        self.tx.borrow().clone()
    }

    pub fn role_of(&self, device: &str) -> Option<Role> {
        self.role_in(&self.current(), device)
    }

    fn role_in(&self, membership: &Membership, device: &str) -> Option<Role> {
        match membership.role_of(device) {
            Some(role) => Some(role),
            // A trusted inviter counts until the log says otherwise.
            None if !membership
                .members
                .values()
                .any(|m| m.devices.iter().any(|d| d == device))
                && lock(&self.trusted).contains(device) =>
            {
                Some(Role::Member)
            }
            None => None,
        }
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<Membership>> {
        self.tx.subscribe()
    }

    pub fn policy(&self) -> AccessPolicy {
        AccessPolicy {
            access: self.clone(),
        }
    }
}

fn config_for(role: Option<Role>) -> ShareConfig {
    match role {
        Some(Role::Admin) | Some(Role::Member) => ShareConfig {
            access: ShareAccess::ReadWrite,
            announce: true,
        },
        // A role from a newer version is treated as the least one.
        Some(Role::Viewer) | Some(Role::Unknown) => ShareConfig {
            access: ShareAccess::ReadOnly,
            announce: true,
        },
        None => ShareConfig {
            access: ShareAccess::None,
            announce: false,
        },
    }
}

/// samod share policy: follows membership changes as they happen.
#[derive(Clone)]
pub struct AccessPolicy {
    access: Access,
}

impl samod::SharePolicy for AccessPolicy {
    fn share(
        &self,
        _doc: DocumentId,
        peer: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + 'static {
        let rx = self.access.subscribe();
        let access = self.access.clone();
        let peer = peer.to_string();
        futures::stream::unfold(
            (rx, access, peer, true),
            |(mut rx, access, peer, first)| async move {
                if !first && rx.changed().await.is_err() {
                    return None;
                }
                let membership = rx.borrow_and_update().clone();
                let config = config_for(access.role_in(&membership, &peer));
                Some((config, (rx, access, peer, false)))
            },
        )
    }
}

fn signed(e: &crate::store::StoredEntry) -> SignedEntry {
    SignedEntry {
        payload: e.payload.clone(),
        signer: e.signer.clone(),
        signature: e.signature.clone(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
