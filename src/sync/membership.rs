//! Who may sync, and with which role: a log of membership entries, each
//! signed by an admin device's key, kept in the root document so anyone can
//! relay them and nobody can forge them.
//!
//! The trust anchor is the founder's device key, which every device records
//! locally (at `init`, or from the invite ticket at `join`), never read from
//! the shared document. Entries are applied in `(at, id)` order; an entry
//! counts only if its signature is valid and its signer was an admin device
//! at that point. The result, [`Membership`], answers "is this endpoint a
//! current member, and with which role?".

use std::collections::BTreeMap;

use iroh::{PublicKey, SecretKey, Signature};
use serde::{Deserialize, Serialize};

use crate::model::Role;

/// What an entry does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// The workspace's first admin (only valid when signed by the founder key).
    Genesis {
        member_id: String,
        name: String,
        device: String,
    },
    /// A new member with one device.
    Add {
        member_id: String,
        name: String,
        role: Role,
        device: String,
    },
    /// Another device for an existing member.
    AddDevice {
        member_id: String,
        device: String,
    },
    Remove {
        member_id: String,
    },
    /// One device of a member stops counting (a lost or stolen laptop); the
    /// member and their other devices stay. Peers of an older version do
    /// not know this entry and keep syncing with the device.
    RemoveDevice {
        member_id: String,
        device: String,
    },
    SetRole {
        member_id: String,
        role: Role,
    },
    /// The workspace's recovery key (replacing any earlier one): it signs
    /// like an admin but is no device, so it never syncs. Its secret exists
    /// only as the phrase the admin wrote down (see `sync::recovery`).
    SetRecoveryKey {
        key: String,
    },
}

/// The signed part of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub workspace: String,
    pub id: String,
    /// Milliseconds since the epoch, from the signer's clock (orders entries).
    pub at: i64,
    #[serde(flatten)]
    pub action: Action,
    /// For a removal: per document id, the heads its signer had seen. What
    /// the removed device did outside of that is undone on every peer that
    /// knows the removal (see `sync::removal`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub covers: BTreeMap<String, Vec<String>>,
}

/// An entry as stored in the root document: the exact signed bytes, who
/// signed them, and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedEntry {
    pub payload: String,
    pub signer: String,
    pub signature: String,
}

impl SignedEntry {
    pub fn sign(entry: &Entry, key: &SecretKey) -> SignedEntry {
        let payload = serde_json::to_string(entry).unwrap_or_default();
        let signature = key.sign(payload.as_bytes());
        SignedEntry {
            payload,
            signer: key.public().to_string(),
            signature: data_encoding::HEXLOWER.encode(&signature.to_bytes()),
        }
    }

    /// The entry, if the signature is valid for the stated signer.
    pub fn verify(&self) -> Option<(Entry, PublicKey)> {
        let signer: PublicKey = self.signer.parse().ok()?;
        let bytes = data_encoding::HEXLOWER
            .decode(self.signature.as_bytes())
            .ok()?;
        let signature = Signature::try_from(bytes.as_slice()).ok()?;
        signer.verify(self.payload.as_bytes(), &signature).ok()?;
        let entry: Entry = serde_json::from_str(&self.payload).ok()?;
        Some((entry, signer))
    }
}

/// A member as established by the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberInfo {
    pub member_id: String,
    pub name: String,
    pub role: Role,
    pub devices: Vec<String>,
    /// Devices removed on their own (lost or stolen), most recent last.
    pub removed_devices: Vec<String>,
    pub removed: bool,
}

/// Why a device no longer counts: the signed entry that removed it (handed
/// to the device when it calls, so it learns it was removed), by whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub entry: SignedEntry,
    /// What the removal covers (per document id, its signer's heads).
    pub covers: BTreeMap<String, Vec<String>>,
    /// The name of the admin who removed it.
    pub by: String,
    /// When (ms, the signer's clock).
    pub at: i64,
}

impl Removal {
    /// "You were removed from Acme Office by Ana Ruiz on 2026-11-28 10:04."
    pub fn notice(&self, workspace: &str) -> String {
        format!(
            "You were removed from {workspace} by {} on {}. Your copy stays readable and you can export it; changes are no longer possible.",
            self.by,
            crate::model::Stamp::from_millis(self.at)
        )
    }
}

/// The current membership of a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    pub members: BTreeMap<String, MemberInfo>,
    /// The current recovery key, if a kit was made.
    pub recovery_key: Option<String>,
    /// Removed devices, with the entry that removed each.
    pub removals: BTreeMap<String, Removal>,
    /// Entries that were ignored (bad signature, signer not an admin, …).
    pub rejected: usize,
    /// Every device that has been an admin's at some point of the log
    /// (whose yearly archives count: `Store::trust_archives_from`). Only
    /// grows as the log does, so every device agrees on it.
    pub ever_admin: std::collections::BTreeSet<String>,
}

impl Membership {
    /// Folds the log. `founder` is the locally trusted founder device key.
    pub fn from_log<'a>(
        workspace: &str,
        founder: &PublicKey,
        entries: impl IntoIterator<Item = &'a SignedEntry>,
    ) -> Membership {
        let mut verified: Vec<(Entry, PublicKey, &SignedEntry)> = Vec::new();
        let mut rejected = 0;
        for signed in entries {
            match signed.verify() {
                Some((entry, signer)) if entry.workspace == workspace => {
                    verified.push((entry, signer, signed))
                }
                _ => rejected += 1,
            }
        }
        verified.sort_by(|a, b| (a.0.at, &a.0.id).cmp(&(b.0.at, &b.0.id)));
        let mut m = Membership::default();
        let mut have_genesis = false;
        for (entry, signer, signed) in verified {
            let signer_text = signer.to_string();
            let removal = |m: &Membership| Removal {
                entry: signed.clone(),
                covers: entry.covers.clone(),
                by: m
                    .member_for_device(&signer_text)
                    .map_or_else(|| "the recovery kit".to_string(), |s| s.name.clone()),
                at: entry.at,
            };
            let ok = match &entry.action {
                Action::Genesis {
                    member_id,
                    name,
                    device,
                } => {
                    if have_genesis || &signer != founder || device != &signer_text {
                        false
                    } else {
                        have_genesis = true;
                        m.members.insert(
                            member_id.clone(),
                            MemberInfo {
                                member_id: member_id.clone(),
                                name: name.clone(),
                                role: Role::Admin,
                                devices: vec![device.clone()],
                                removed_devices: Vec::new(),
                                removed: false,
                            },
                        );
                        true
                    }
                }
                _ if !m.may_sign(&signer_text) => false,
                Action::SetRecoveryKey { key } => {
                    m.recovery_key = Some(key.clone());
                    true
                }
                Action::Add {
                    member_id,
                    name,
                    role,
                    device,
                } => {
                    if m.members.contains_key(member_id) {
                        false
                    } else {
                        m.members.insert(
                            member_id.clone(),
                            MemberInfo {
                                member_id: member_id.clone(),
                                name: name.clone(),
                                role: *role,
                                devices: vec![device.clone()],
                                removed_devices: Vec::new(),
                                removed: false,
                            },
                        );
                        true
                    }
                }
                Action::AddDevice { member_id, device } => match m.members.get_mut(member_id) {
                    Some(info) if !info.removed => {
                        if !info.devices.contains(device) {
                            info.devices.push(device.clone());
                        }
                        true
                    }
                    _ => false,
                },
                Action::Remove { member_id } => {
                    let why = removal(&m);
                    match m.members.get_mut(member_id) {
                        Some(info) => {
                            info.removed = true;
                            for device in &info.devices {
                                m.removals.insert(device.clone(), why.clone());
                            }
                            true
                        }
                        None => false,
                    }
                }
                Action::RemoveDevice { member_id, device } => {
                    let why = removal(&m);
                    match m.members.get_mut(member_id) {
                        Some(info) if info.devices.contains(device) => {
                            info.devices.retain(|d| d != device);
                            info.removed_devices.push(device.clone());
                            m.removals.insert(device.clone(), why);
                            true
                        }
                        _ => false,
                    }
                }
                Action::SetRole { member_id, role } => match m.members.get_mut(member_id) {
                    Some(info) if !info.removed => {
                        info.role = *role;
                        true
                    }
                    _ => false,
                },
            };
            if !ok {
                rejected += 1;
            } else {
                let admins: Vec<String> = m
                    .admin_devices()
                    .into_iter()
                    .map(|(_, d)| d.clone())
                    .collect();
                m.ever_admin.extend(admins);
            }
        }
        m.rejected = rejected;
        m
    }

    /// The current member owning `device`, if any (removed members are not).
    pub fn member_for_device(&self, device: &str) -> Option<&MemberInfo> {
        self.members
            .values()
            .find(|m| !m.removed && m.devices.iter().any(|d| d == device))
    }

    /// The role of the device's member, if it is a current member.
    pub fn role_of(&self, device: &str) -> Option<Role> {
        self.member_for_device(device).map(|m| m.role)
    }

    pub fn is_admin_device(&self, device: &str) -> bool {
        self.role_of(device) == Some(Role::Admin)
    }

    /// Whether `key` may sign membership changes: an admin's device or the
    /// recovery key.
    pub fn may_sign(&self, key: &str) -> bool {
        self.is_admin_device(key) || self.recovery_key.as_deref() == Some(key)
    }

    /// The current (not removed) members.
    pub fn current_members(&self) -> Vec<MemberInfo> {
        self.members
            .values()
            .filter(|m| !m.removed)
            .cloned()
            .collect()
    }

    /// Every device of every current member.
    pub fn devices(&self) -> impl Iterator<Item = (&MemberInfo, &String)> {
        self.members
            .values()
            .filter(|m| !m.removed)
            .flat_map(|m| m.devices.iter().map(move |d| (m, d)))
    }

    /// The current member `query` names: a member id, a device id (or the
    /// start of either, at least six characters, as `member list` shows
    /// them), or a name in any case. Several matches are refused with the
    /// candidates, so a command never picks one of two "Ana Ruiz" members.
    pub fn find(&self, query: &str) -> Result<&MemberInfo, String> {
        let wanted = query.trim();
        let lower = wanted.to_lowercase();
        let current = || self.members.values().filter(|m| !m.removed);
        let by_id: Vec<&MemberInfo> = current()
            .filter(|m| {
                id_matches(&m.member_id, wanted) || m.devices.iter().any(|d| id_matches(d, wanted))
            })
            .collect();
        let found: Vec<&MemberInfo> = if by_id.is_empty() {
            current()
                .filter(|m| m.name.to_lowercase() == lower)
                .collect()
        } else {
            by_id
        };
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(format!(
                "no current member {wanted:?} (give a name, member id or device id from `bureau member list`)"
            )),
            many => Err(format!(
                "{} members match {wanted:?}; give the member id instead: {}",
                many.len(),
                many.iter()
                    .map(|m| describe(m))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }

    /// The current device `query` names (its id or the start of it, at
    /// least six characters), with its member.
    pub fn find_device(&self, query: &str) -> Result<(&MemberInfo, &String), String> {
        let wanted = query.trim();
        let found: Vec<(&MemberInfo, &String)> = self
            .devices()
            .filter(|(_, d)| id_matches(d, wanted))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!(
                "no current device {wanted:?} (device ids are listed by `bureau member list`)"
            )),
            many => Err(format!(
                "{} devices start with {wanted:?}; give more of the id: {}",
                many.len(),
                many.iter()
                    .map(|(m, d)| format!("{d} ({})", m.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Devices of current admins: while there is only one, losing it would
    /// leave nobody able to invite, remove or change roles.
    pub fn admin_devices(&self) -> Vec<(&MemberInfo, &String)> {
        self.devices()
            .filter(|(m, _)| m.role == Role::Admin)
            .collect()
    }
}

/// Whether `id` is `query` or starts with it (six characters at least).
fn id_matches(id: &str, query: &str) -> bool {
    id == query || (query.len() >= 6 && id.starts_with(query))
}

/// "Ana Ruiz (member 0195a1b2…, devices 4313ab6f26…)" for lists of candidates.
pub fn describe(m: &MemberInfo) -> String {
    let short = |id: &str| id.chars().take(12).collect::<String>();
    format!(
        "{} (member {}, device {})",
        m.name,
        short(&m.member_id),
        m.devices
            .iter()
            .map(|d| short(d))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests;
