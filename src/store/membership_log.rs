//! Storage of the membership log and of each device's last known network
//! addresses, both in the root document. The store treats entries as opaque
//! signed strings: `sync::membership` signs and verifies them.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use super::records::kind_map_mut;
use super::{Result, Store, kind_map};
use crate::model::{Area, Member, Record};

/// The root document's map of signed membership entries.
pub const MEMBERSHIP_LOG: &str = "membership";
const LOG: &str = MEMBERSHIP_LOG;
const ADDRESSES: &str = "addresses";

/// One stored membership entry (see `sync::membership::SignedEntry`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    autosurgeon::Reconcile,
    autosurgeon::Hydrate,
)]
pub struct StoredEntry {
    pub payload: String,
    pub signer: String,
    pub signature: String,
}

/// Where a device was last reachable, as it published itself.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    autosurgeon::Reconcile,
    autosurgeon::Hydrate,
)]
pub struct DeviceAddresses {
    pub addrs: Vec<String>,
    pub updated_at: i64,
}

impl Store {
    /// Every membership entry in the root document.
    pub fn membership_log(&self) -> Result<Vec<StoredEntry>> {
        self.read(Area::Root, read_log)
    }

    /// Appends a membership entry and, in the same commit, writes the
    /// member's display record (name, role, devices).
    pub fn append_membership(
        &self,
        entry_id: &str,
        entry: StoredEntry,
        member: Option<Member>,
    ) -> Result<()> {
        self.change(
            Area::Root,
            &format!("membership {entry_id}"),
            |tx, audit| {
                let log = match kind_map(&*tx, LOG) {
                    Some(map) => map,
                    None => tx.put_object(ROOT, LOG, ObjType::Map)?,
                };
                autosurgeon::reconcile_prop(tx, &log, entry_id, &entry)?;
                if let Some(mut member) = member {
                    let members = kind_map_mut(tx, Member::KIND)?;
                    let creating =
                        automerge::ReadDoc::get(&*tx, &members, member.id.as_str())?.is_none();
                    member.touch(audit, creating);
                    autosurgeon::reconcile_prop(tx, &members, member.id.as_str(), &member)?;
                }
                Ok(())
            },
        )
    }

    /// Last published addresses of every device.
    pub fn device_addresses(&self) -> Result<BTreeMap<String, DeviceAddresses>> {
        self.read(Area::Root, |doc| {
            Ok(read_map::<DeviceAddresses, _>(doc, ADDRESSES)?
                .into_iter()
                .collect())
        })
    }

    /// Publishes this device's addresses (only when they changed).
    pub fn publish_addresses(&self, device: &str, addrs: Vec<String>) -> Result<()> {
        if self
            .device_addresses()?
            .get(device)
            .is_some_and(|known| known.addrs == addrs)
        {
            return Ok(());
        }
        self.change(Area::Root, "publish addresses", |tx, audit| {
            let map = match kind_map(&*tx, ADDRESSES) {
                Some(map) => map,
                None => tx.put_object(ROOT, ADDRESSES, ObjType::Map)?,
            };
            let value = DeviceAddresses {
                addrs,
                updated_at: audit.at.millis(),
            };
            autosurgeon::reconcile_prop(tx, &map, device, &value)?;
            Ok(())
        })
    }
}

/// Every membership entry in the root document `doc`.
pub(crate) fn read_log<D: ReadDoc>(doc: &D) -> Result<Vec<StoredEntry>> {
    Ok(read_map::<StoredEntry, _>(doc, LOG)?
        .into_iter()
        .map(|(_, entry)| entry)
        .collect())
}

/// Every value of the root map `key`, by key.
fn read_map<T: serde::de::DeserializeOwned, D: ReadDoc>(
    doc: &D,
    key: &str,
) -> Result<Vec<(String, T)>> {
    let Some(map) = kind_map(doc, key) else {
        return Ok(Vec::new());
    };
    super::fast_read::child_maps(doc, &map)
        .into_iter()
        .map(|(k, obj)| Ok((k, super::fast_read::read_value::<T, _>(doc, &obj)?)))
        .collect()
}

/// The root document's map of changes by removed devices an admin kept.
const KEPT: &str = "kept_after_removal";

impl Store {
    /// Hashes of changes by removed devices that an admin chose to keep.
    pub fn kept_after_removal(&self) -> Result<std::collections::BTreeSet<String>> {
        self.read(Area::Root, |doc| {
            Ok(match kind_map(doc, KEPT) {
                Some(map) => automerge::ReadDoc::keys(doc, &map).collect(),
                None => Default::default(),
            })
        })
    }

    /// Records that an admin kept these changes (by hash).
    pub fn mark_kept_after_removal(&self, hashes: &[String]) -> Result<()> {
        if hashes.is_empty() {
            return Ok(());
        }
        self.change(
            Area::Root,
            "keep changes made after a removal",
            |tx, audit| {
                let map = match kind_map(&*tx, KEPT) {
                    Some(map) => map,
                    None => tx.put_object(ROOT, KEPT, ObjType::Map)?,
                };
                for hash in hashes {
                    tx.put(&map, hash.as_str(), audit.member_id.as_str())?;
                }
                Ok(())
            },
        )
    }
}
