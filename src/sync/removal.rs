//! Removal that sticks: what a removed device changed after its removal is
//! undone on every peer that knows the removal, so every such peer ends
//! with the same data, whichever way the changes travelled.
//!
//! Every change is made as an Automerge actor that starts with its device's
//! key (`Store`'s author actor), and a removal records what it covers: the
//! heads of every document its signer had seen (`Entry::covers`). A change
//! by a removed device that is not in the causal past of those heads was
//! made (or arrived) after the removal: a writer that knows the removal
//! undoes it, op by op, in a change of its own:
//!
//! - a value or record it put: the value before it comes back (a record it
//!   created disappears); a value someone else put since is left alone;
//! - a value or record it deleted: it comes back as it was;
//! - a text it edited (a title, a description) is put back as it was before
//!   its first such edit, as a new text object (two peers doing so at once
//!   leave two equal texts, one shown); edits others made on top of it go
//!   with it;
//! - counters it moved are left as they are and counted, for an admin to
//!   look at (undoing an increment once per peer would count it twice).
//!
//! The membership log is never touched: its entries are signed facts, and
//! one signed by a device after its removal already counts for nothing.
//!
//! Undoing only acts while the removed device's op is still what everyone
//! sees, so several peers undoing the same change at once converge on the
//! same document (equal puts of the old value, or the same delete). A
//! document is swept only once every change the removal covers has arrived
//! (before that, a covered change could look like a later one).

use std::collections::BTreeMap;

use automerge::ObjId as ExId;
use automerge::legacy::{Key, ObjectId, OpType};
use automerge::transaction::Transactable;
use automerge::{Automerge, Change, ChangeHash, ObjType, ReadDoc, Value};

mod kept;

pub use kept::{AfterRemoval, after_removal, keep};

use super::membership::Membership;
use crate::store::{Store, StoreError};

/// A removed device and, per document id, the heads its removal covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The device key (hex), which every actor of that device starts with.
    pub device_hex: String,
    pub covers: BTreeMap<String, Vec<String>>,
}

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    /// Ops of removed devices undone.
    pub undone: usize,
    /// Ops left as they are (counters, text), for an admin to look at.
    pub left: usize,
}

/// The removed devices of `membership` (with what each removal covers).
pub fn removed_devices(membership: &Membership) -> Vec<Removed> {
    membership
        .removals
        .iter()
        .filter(|(device, _)| membership.role_of(device).is_none())
        .map(|(device, removal)| Removed {
            device_hex: device.to_lowercase(),
            covers: removal.covers.clone(),
        })
        .collect()
}

/// Undoes, in every loaded document, what removed devices did outside of
/// what their removals cover. Only a device that may write runs it.
pub fn sweep(store: &Store, removed: &[Removed]) -> Result<Sweep, StoreError> {
    Sweeper::default().run(store, removed)
}

/// [`sweep`] for a running node: after a document's first sweep (for the
/// same removals), only the changes that arrived since are looked at, and
/// the document is planned again only if one of them is a removed device's.
#[derive(Debug, Default)]
pub struct Sweeper {
    swept: BTreeMap<String, Vec<ChangeHash>>,
    /// The removals the documents were swept for. Compared whole, not by
    /// number: a stale removal that stops counting while another starts
    /// (the same number of removed devices) must sweep everything again,
    /// or a change made before the new removal was known is never undone.
    removals: Vec<Removed>,
}

impl Sweeper {
    pub fn run(&mut self, store: &Store, removed: &[Removed]) -> Result<Sweep, StoreError> {
        let mut total = Sweep::default();
        if removed != self.removals.as_slice() {
            self.swept.clear();
            self.removals = removed.to_vec();
        }
        if removed.is_empty() {
            return Ok(total);
        }
        for (_, handle) in store.loaded_documents() {
            let doc_id = handle.document_id().to_string();
            let (heads, plan) = handle.with_document(|doc| {
                let heads = doc.get_heads();
                if let Some(swept) = self.swept.get(&doc_id) {
                    // Only what arrived since the last sweep can need undoing:
                    // nothing by a removed device, nothing to look at (this
                    // keeps a busy document's sweeps to its new changes).
                    let by_removed = doc.get_changes(swept).iter().any(|c| {
                        let actor = c.actor_id().to_hex_string();
                        removed.iter().any(|r| actor.starts_with(&r.device_hex))
                    });
                    if !by_removed {
                        return (heads, Some(Vec::new()));
                    }
                }
                (heads, plan(doc, &doc_id, removed))
            });
            let Some(plan) = plan else {
                continue; // waiting for covered changes: look again next time
            };
            self.swept.insert(doc_id, heads);
            if plan.is_empty() {
                continue;
            }
            let done = store.change_document(
                &handle,
                "undo what a removed device changed after its removal",
                |tx, _| undo(tx, &plan, removed),
            )?;
            total.undone += done.undone;
            total.left += done.left;
        }
        Ok(total)
    }
}

/// One op of a removed device to undo, resolved against the document.
#[derive(Debug, Clone)]
struct Undo {
    obj: ExId,
    key: Option<String>,
    op_id: String,
    action: Kind,
    pred: Vec<String>,
    deps: Vec<ChangeHash>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Set,
    Delete,
    /// An edit inside a text object (`obj`).
    Text,
    Leave,
}

/// The ops of changes by removed devices that their removals do not
/// cover; `None` while some removal's covered changes are not all here.
fn plan(doc: &Automerge, doc_id: &str, removed: &[Removed]) -> Option<Vec<Undo>> {
    let mut out = Vec::new();
    for device in removed {
        for change in later_changes(doc, doc_id, device)? {
            out.extend(ops_of(doc, &change));
        }
    }
    Some(out)
}

/// The changes `device` made outside of what its removal covers; `None`
/// until every covered change is here (before that, a covered change could
/// look like a later one).
fn later_changes(doc: &Automerge, doc_id: &str, device: &Removed) -> Option<Vec<Change>> {
    // A document the removal does not name (a body document the admin had
    // not loaded) has no known cut: nothing in it is taken for "after".
    // A removal that names no document at all covers nothing.
    let covered: Vec<ChangeHash> = match device.covers.get(doc_id) {
        Some(covers) => covers.iter().filter_map(|h| h.parse().ok()).collect(),
        None if device.covers.is_empty() => Vec::new(),
        None => return Some(Vec::new()),
    };
    if covered.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        return None;
    }
    Some(
        doc.get_changes(&covered)
            .into_iter()
            .filter(|c| c.actor_id().to_hex_string().starts_with(&device.device_hex))
            .collect(),
    )
}

fn ops_of(doc: &Automerge, change: &Change) -> Vec<Undo> {
    // The membership log and its entries are left alone (see the module doc).
    let log = doc
        .get(automerge::ROOT, crate::store::MEMBERSHIP_LOG)
        .ok()
        .flatten()
        .map(|(_, id)| id);
    let in_log = |obj: &ExId| {
        log.as_ref().is_some_and(|log| {
            obj == log
                || doc
                    .parents(obj)
                    .ok()
                    .and_then(|mut p| p.next())
                    .is_some_and(|p| &p.obj == log)
        })
    };
    let expanded = change.decode();
    let actor = expanded.actor_id.to_hex_string();
    let deps = change.deps().to_vec();
    expanded
        .operations
        .iter()
        .enumerate()
        .filter_map(|(i, op)| {
            let obj = match &op.obj {
                ObjectId::Root => ExId::Root,
                ObjectId::Id(id) => doc
                    .import_obj(&format!("{}@{}", id.0, id.1.to_hex_string()))
                    .ok()?,
            };
            if in_log(&obj) {
                return None;
            }
            let (key, action) = match (&op.key, &op.action) {
                (Key::Map(key), OpType::Put(_) | OpType::Make(_)) => {
                    (Some(key.to_string()), Kind::Set)
                }
                (Key::Map(key), OpType::Delete) => (Some(key.to_string()), Kind::Delete),
                (Key::Seq(_), OpType::Put(_) | OpType::Delete)
                    if doc.object_type(&obj) == Ok(ObjType::Text) =>
                {
                    (None, Kind::Text)
                }
                _ => (None, Kind::Leave),
            };
            Some(Undo {
                obj,
                key,
                op_id: format!("{}@{actor}", expanded.start_op.get() + i as u64),
                action,
                pred: op
                    .pred
                    .iter()
                    .map(|p| format!("{}@{}", p.0, p.1.to_hex_string()))
                    .collect(),
                deps: deps.clone(),
            })
        })
        .collect()
}

fn by_removed(id: &ExId, removed: &[Removed]) -> bool {
    let id = id.to_string();
    let actor = id.split('@').nth(1).unwrap_or("");
    removed.iter().any(|r| actor.starts_with(&r.device_hex))
}

/// Applies the plan inside one transaction; only ops still visible are
/// undone, so it is idempotent across peers.
fn undo(
    tx: &mut automerge::transaction::Transaction<'_>,
    plan: &[Undo],
    removed: &[Removed],
) -> Result<Sweep, StoreError> {
    let mut done = Sweep::default();
    let mut texts_restored: Vec<ExId> = Vec::new();
    for step in plan {
        if step.action == Kind::Text {
            // The first (earliest) edit of a text decides what it goes back to.
            if !texts_restored.contains(&step.obj) {
                texts_restored.push(step.obj.clone());
                if restore_text(tx, step)? {
                    done.undone += 1;
                }
            }
            continue;
        }
        let Some(key) = &step.key else {
            done.left += 1;
            continue;
        };
        if step.action == Kind::Leave {
            done.left += 1;
            continue;
        }
        // The object itself may be gone or hidden (a record deleted since,
        // or undone by an earlier step): nothing in it is seen.
        if tx.object_type(&step.obj).is_err() || !reachable(tx, &step.obj)? {
            continue;
        }
        let visible = tx.get_all(&step.obj, key.as_str())?;
        match step.action {
            Kind::Set => {
                if !visible.iter().any(|(_, id)| id.to_string() == step.op_id) {
                    continue; // superseded, or undone already
                }
                let others: Vec<&(Value<'_>, ExId)> = visible
                    .iter()
                    .filter(|(_, id)| !by_removed(id, removed))
                    .collect();
                if let Some((value, _)) = others.last() {
                    // A concurrent value by someone else: it alone stays.
                    if let Value::Scalar(s) = value {
                        tx.put(&step.obj, key.as_str(), s.clone().into_owned())?;
                        done.undone += 1;
                    }
                    continue;
                }
                if !restore(tx, step, key)? {
                    tx.delete(&step.obj, key.as_str())?;
                }
                done.undone += 1;
            }
            Kind::Delete => {
                if !visible.is_empty() {
                    continue; // set again since (or restored already)
                }
                if restore(tx, step, key)? {
                    done.undone += 1;
                }
            }
            Kind::Leave | Kind::Text => {}
        }
    }
    Ok(done)
}

/// Whether `obj` is part of what everyone sees (every object on its path
/// from the root is the visible value at its place).
fn reachable(tx: &automerge::transaction::Transaction<'_>, obj: &ExId) -> Result<bool, StoreError> {
    Ok(tx.parents(obj)?.all(|p| p.visible))
}

/// Puts a text a removed device edited back as it was before that edit,
/// as a new text object in the same place. Nothing if the place holds
/// another object by now (restored by another peer already, or replaced).
fn restore_text(
    tx: &mut automerge::transaction::Transaction<'_>,
    step: &Undo,
) -> Result<bool, StoreError> {
    if tx.object_type(&step.obj) != Ok(ObjType::Text) {
        return Ok(false);
    }
    let Some(parent) = tx.parents(&step.obj)?.next() else {
        return Ok(false);
    };
    let automerge::Prop::Map(key) = parent.prop else {
        return Ok(false);
    };
    match tx.get(&parent.obj, key.as_str())? {
        Some((_, current)) if current == step.obj => {}
        _ => return Ok(false),
    }
    let before = tx.text_at(&step.obj, &step.deps)?;
    if before == tx.text(&step.obj)? {
        return Ok(false);
    }
    let text = tx.put_object(&parent.obj, key.as_str(), ObjType::Text)?;
    tx.splice_text(&text, 0, 0, &before)?;
    Ok(true)
}

/// Puts back at `key` the value the op replaced (its predecessor, as it
/// was just before the change). False if there was none.
fn restore(
    tx: &mut automerge::transaction::Transaction<'_>,
    step: &Undo,
    key: &str,
) -> Result<bool, StoreError> {
    let before = tx.get_all_at(&step.obj, key, &step.deps)?;
    let Some((value, id)) = before
        .into_iter()
        .rfind(|(_, id)| step.pred.contains(&id.to_string()))
    else {
        return Ok(false);
    };
    match value {
        Value::Scalar(s) => {
            tx.put(&step.obj, key, s.into_owned())?;
        }
        Value::Object(kind) => {
            let copy = tx.put_object(&step.obj, key, kind)?;
            copy_at(tx, &id, &copy, kind, &step.deps)?;
        }
    }
    Ok(true)
}

/// Copies object `from` as it was at `heads` into the new object `to`.
fn copy_at(
    tx: &mut automerge::transaction::Transaction<'_>,
    from: &ExId,
    to: &ExId,
    kind: ObjType,
    heads: &[ChangeHash],
) -> Result<(), StoreError> {
    match kind {
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = tx.keys_at(from, heads).collect();
            for key in keys {
                let Some((value, id)) = tx.get_at(from, key.as_str(), heads)? else {
                    continue;
                };
                match value {
                    Value::Scalar(s) => {
                        tx.put(to, key.as_str(), s.into_owned())?;
                    }
                    Value::Object(k) => {
                        let child = tx.put_object(to, key.as_str(), k)?;
                        copy_at(tx, &id, &child, k, heads)?;
                    }
                }
            }
        }
        ObjType::List => {
            for index in 0..tx.length_at(from, heads) {
                let Some((value, id)) = tx.get_at(from, index, heads)? else {
                    continue;
                };
                match value {
                    Value::Scalar(s) => {
                        tx.insert(to, index, s.into_owned())?;
                    }
                    Value::Object(k) => {
                        let child = tx.insert_object(to, index, k)?;
                        copy_at(tx, &id, &child, k, heads)?;
                    }
                }
            }
        }
        ObjType::Text => {
            let text = tx.text_at(from, heads)?;
            tx.splice_text(to, 0, 0, &text)?;
        }
    }
    Ok(())
}
