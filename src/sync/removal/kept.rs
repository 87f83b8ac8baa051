//! What admins see of a removal: the changes a removed device made after
//! it (undone by the sweep), and "keep", which puts the records they
//! touched back as that device left them, as the admin's own change.

use automerge::legacy::{Key, ObjectId};
use automerge::transaction::Transactable;
use automerge::{Automerge, Change, ChangeHash, ReadDoc, Value};

use super::{ExId, copy_at, later_changes, removed_devices};
use crate::store::{Store, StoreError};
use crate::sync::membership::Membership;

/// What one removed device changed after its removal (for admins).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AfterRemoval {
    /// The device's id.
    pub device: String,
    /// Its member's name.
    pub member: String,
    /// Changes it made after its removal, not kept by an admin.
    pub changes: usize,
    /// Records they touched ("tasks/0195…").
    pub records: Vec<String>,
}

impl AfterRemoval {
    /// "3 changes by Eve Novak's device after the removal were undone (2 records)".
    pub fn describe(&self) -> String {
        format!(
            "{} change(s) by {}'s device {} after the removal were undone ({} record(s))",
            self.changes,
            self.member,
            self.device.chars().take(10).collect::<String>(),
            self.records.len()
        )
    }
}

/// Per removed device, what it changed after its removal and no admin has
/// kept.
pub fn after_removal(
    store: &Store,
    membership: &Membership,
) -> Result<Vec<AfterRemoval>, StoreError> {
    let kept = store.kept_after_removal()?;
    let mut out = Vec::new();
    for device in removed_devices(membership) {
        let mut changes = 0;
        let mut records = std::collections::BTreeSet::new();
        for (_, handle) in store.loaded_documents() {
            let doc_id = handle.document_id().to_string();
            handle.with_document(|doc| {
                for change in later_changes(doc, &doc_id, &device).unwrap_or_default() {
                    if kept.contains(&change.hash().to_string()) {
                        continue;
                    }
                    let touched = records_of(doc, &change);
                    // Only changes to records count (not, say, the device
                    // publishing its addresses).
                    if touched.is_empty() {
                        continue;
                    }
                    changes += 1;
                    records.extend(
                        touched
                            .into_iter()
                            .map(|(kind, id, _)| format!("{kind}/{id}")),
                    );
                }
            });
        }
        if changes > 0 {
            let member = membership
                .members
                .values()
                .find(|m| {
                    m.devices
                        .iter()
                        .chain(&m.removed_devices)
                        .any(|d| d.eq_ignore_ascii_case(&device.device_hex))
                })
                .map_or_else(|| "a removed member".to_string(), |m| m.name.clone());
            out.push(AfterRemoval {
                device: device.device_hex.clone(),
                member,
                changes,
                records: records.into_iter().collect(),
            });
        }
    }
    Ok(out)
}

/// Keeps what `device` changed after its removal: every record it touched
/// goes back to how it left it, as this device's own change (which no sweep
/// undoes), and the changes are marked kept. Returns the records restored.
pub fn keep(
    store: &Store,
    membership: &Membership,
    me: &str,
    device: &str,
) -> Result<usize, StoreError> {
    if !membership.is_admin_device(me) {
        return Err(StoreError::Rejected(
            "only an admin can keep what a removed device changed".into(),
        ));
    }
    let Some(removed) = removed_devices(membership)
        .into_iter()
        .find(|r| r.device_hex.starts_with(&device.to_lowercase()) && device.len() >= 6)
    else {
        return Err(StoreError::Rejected(format!(
            "no removed device {device:?} with changes after its removal (see `bureau member after-removal`)"
        )));
    };
    let kept = store.kept_after_removal()?;
    let mut restored = 0;
    let mut hashes = Vec::new();
    for (_, handle) in store.loaded_documents() {
        let doc_id = handle.document_id().to_string();
        let (heads, targets) = handle.with_document(|doc| {
            let changes: Vec<Change> = later_changes(doc, &doc_id, &removed)
                .unwrap_or_default()
                .into_iter()
                .filter(|c| !kept.contains(&c.hash().to_string()))
                .collect();
            let heads: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
            let mut targets: Vec<(ExId, String)> = changes
                .iter()
                .flat_map(|c| records_of(doc, c))
                .map(|(_, id, kind_map)| (kind_map, id))
                .collect();
            targets.sort_by(|a, b| (a.0.to_string(), &a.1).cmp(&(b.0.to_string(), &b.1)));
            targets.dedup();
            (heads, targets)
        });
        if heads.is_empty() {
            continue;
        }
        hashes.extend(heads.iter().map(|h| h.to_string()));
        restored += store.change_document(
            &handle,
            "keep what a removed device changed after its removal",
            |tx, _| {
                let mut n = 0;
                for (kind_map, id) in &targets {
                    match tx.get_at(kind_map, id.as_str(), &heads)? {
                        Some((Value::Object(kind), source)) => {
                            let copy = tx.put_object(kind_map, id.as_str(), kind)?;
                            copy_at(tx, &source, &copy, kind, &heads)?;
                            n += 1;
                        }
                        Some((Value::Scalar(s), _)) => {
                            tx.put(kind_map, id.as_str(), s.into_owned())?;
                            n += 1;
                        }
                        None => {
                            if tx.get(kind_map, id.as_str())?.is_some() {
                                tx.delete(kind_map, id.as_str())?;
                                n += 1;
                            }
                        }
                    }
                }
                Ok(n)
            },
        )?;
    }
    store.mark_kept_after_removal(&hashes)?;
    Ok(restored)
}

/// The records a change touched: (kind, record id, the kind's map), for
/// ops below `/kind/id` where `kind` is a record kind (not the membership
/// log, published addresses and the like).
fn records_of(doc: &Automerge, change: &Change) -> Vec<(String, String, ExId)> {
    let expanded = change.decode();
    let mut out = Vec::new();
    for op in &expanded.operations {
        let obj = match &op.obj {
            ObjectId::Root => continue,
            ObjectId::Id(id) => match doc.import_obj(&format!("{}@{}", id.0, id.1.to_hex_string()))
            {
                Ok(obj) => obj,
                Err(_) => continue,
            },
        };
        // The path from the root: [(root, kind), (kind map, id), ...].
        let Ok(parents) = doc.parents(&obj) else {
            continue;
        };
        let mut path: Vec<(ExId, automerge::Prop)> = parents.map(|p| (p.obj, p.prop)).collect();
        path.reverse();
        let record = match (path.first(), path.get(1), &op.key) {
            // The op is on a kind map: the key is the record.
            (Some((root, automerge::Prop::Map(kind))), None, Key::Map(id))
                if *root == ExId::Root =>
            {
                Some((kind.clone(), id.to_string(), obj.clone()))
            }
            (
                Some((root, automerge::Prop::Map(kind))),
                Some((kind_map, automerge::Prop::Map(id))),
                _,
            ) if *root == ExId::Root => Some((kind.clone(), id.clone(), kind_map.clone())),
            _ => None,
        };
        if let Some(record) = record
            && crate::store::ALL_KINDS
                .iter()
                .any(|(kind, _)| *kind == record.0)
            && !out.contains(&record)
        {
            out.push(record);
        }
    }
    out
}
