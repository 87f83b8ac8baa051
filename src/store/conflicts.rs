//! Concurrent edits to one field: Automerge picks the same winner on every
//! device and keeps the losing values; this lists them (with who set each
//! and when, read from the changes' authors) for the conflicts inbox, and
//! resolves one by writing the value kept over all of them.

use std::collections::HashMap;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::records::singular;
use super::{Result, Store, StoreError, kind_map};
use crate::model::{Area, Record, Stamp};

/// A field with more than one concurrent value. `values[0]` is the winner
/// (the value every device shows); the rest are the other writes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldConflict {
    /// Dotted path inside the record, e.g. `title` or `checklist.<id>.text`.
    pub field: String,
    pub values: Vec<serde_json::Value>,
    /// Who wrote each value and when, in the order of `values`.
    pub written: Vec<Written>,
}

/// Who wrote one of a conflict's values.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// The member (empty if the change does not say).
    pub member_id: String,
    pub at: Option<Stamp>,
    /// The device's public key in hex.
    pub device: String,
}

/// The records of one kind with conflicting fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RecordConflicts {
    pub kind: &'static str,
    pub id: String,
    pub fields: Vec<FieldConflict>,
}

/// Who made each change, by actor and operation counter: built on the
/// first conflict found in a document, and only then.
#[derive(Default)]
struct Authorship {
    built: bool,
    /// Per actor: (first op, last op, who).
    by_actor: HashMap<ActorId, Vec<(u64, u64, Written)>>,
}

impl Authorship {
    fn who(&mut self, doc: &Automerge, op: &ObjId) -> Written {
        let ObjId::Id(counter, actor, _) = op else {
            return Written::default();
        };
        if !self.built {
            self.built = true;
            for meta in doc.get_changes_meta(&[]) {
                let change = super::history::ChangeMeta::of_meta(&meta);
                self.by_actor
                    .entry(meta.actor.clone().into_owned())
                    .or_default()
                    .push((
                        meta.start_op,
                        meta.max_op,
                        Written {
                            member_id: change.member_id,
                            at: Some(change.at),
                            device: change.device,
                        },
                    ));
            }
        }
        self.by_actor
            .get(actor)
            .and_then(|changes| {
                changes
                    .iter()
                    .find(|(first, last, _)| first <= counter && counter <= last)
            })
            .map(|(_, _, w)| w.clone())
            .unwrap_or_default()
    }
}

/// The distinct scalar values a key holds, winner first, with the ids of
/// the operations that wrote them. Objects are not listed: two objects at
/// one key are two records made at once, not a value to pick.
fn scalar_values<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Vec<(ScalarValue, ObjId)> {
    let all = doc.get_all(obj, key).unwrap_or_default();
    let mut out: Vec<(ScalarValue, ObjId)> = Vec::new();
    // get_all lists values oldest-op first; the winner is the last.
    for (value, id) in all.into_iter().rev() {
        if let Value::Scalar(s) = value
            && !out.iter().any(|(seen, _)| *seen == *s)
        {
            out.push((s.into_owned(), id));
        }
    }
    out
}

fn collect(
    doc: &Automerge,
    obj: &ObjId,
    prefix: &str,
    who: &mut Authorship,
    out: &mut Vec<FieldConflict>,
) {
    for item in doc.map_range(obj, ..) {
        let key = item.key.to_string();
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        // Every edit stamps these: two edits of different fields always
        // "conflict" on them, which says nothing a person needs to resolve.
        let bookkeeping = prefix.is_empty() && matches!(key.as_str(), "updated_at" | "updated_by");
        if item.conflict && !bookkeeping {
            let values = scalar_values(doc, obj, &key);
            if values.len() > 1 {
                out.push(FieldConflict {
                    field: path.clone(),
                    values: values
                        .iter()
                        .map(|(v, _)| super::fast_read::scalar(v))
                        .collect(),
                    written: values.iter().map(|(_, id)| who.who(doc, id)).collect(),
                });
            }
        }
        if let automerge::ValueRef::Object(ObjType::Map) = item.value {
            collect(doc, &item.id(), &path, who, out);
        }
    }
}

fn record_obj<D: ReadDoc>(doc: &D, kind: &'static str, id: &str) -> Result<ObjId> {
    let not_found = || StoreError::NotFound {
        kind: singular(kind),
        id: id.to_string(),
    };
    let map = kind_map(doc, kind).ok_or_else(not_found)?;
    match doc.get(&map, id)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(not_found()),
    }
}

/// Conflicts of the records `ids` of `kind` (every record when `None`).
pub fn conflicts_of(
    doc: &Automerge,
    kind: &'static str,
    ids: Option<&[String]>,
) -> Vec<RecordConflicts> {
    let Some(map) = kind_map(doc, kind) else {
        return Vec::new();
    };
    let records: Vec<(String, ObjId)> = match ids {
        Some(ids) => ids
            .iter()
            .filter_map(|id| match doc.get(&map, id.as_str()) {
                Ok(Some((Value::Object(ObjType::Map), obj))) => Some((id.clone(), obj)),
                _ => None,
            })
            .collect(),
        None => super::fast_read::child_maps(doc, &map),
    };
    let mut who = Authorship::default();
    records
        .into_iter()
        .filter_map(|(id, obj)| {
            let mut fields = Vec::new();
            collect(doc, &obj, "", &mut who, &mut fields);
            (!fields.is_empty()).then_some(RecordConflicts { kind, id, fields })
        })
        .collect()
}

impl Store {
    /// Fields of one record that were written concurrently.
    pub fn conflicts<R: Record>(&self, id: &str) -> Result<Vec<FieldConflict>> {
        self.read(R::AREA, |doc| {
            let obj = record_obj(doc, R::KIND, id)?;
            let mut out = Vec::new();
            collect(doc, &obj, "", &mut Authorship::default(), &mut out);
            Ok(out)
        })
    }

    /// Every record of `kind` (in `area`) with a conflict.
    pub fn kind_conflicts(&self, area: Area, kind: &'static str) -> Result<Vec<RecordConflicts>> {
        self.read(area, |doc| Ok(conflicts_of(doc, kind, None)))
    }

    /// The values a top-level field of record `id` holds at once (after
    /// concurrent edits), winner first; empty when it holds one.
    pub fn field_conflict<R: Record>(
        &self,
        id: &str,
        field: &str,
    ) -> Result<Vec<serde_json::Value>> {
        Ok(self
            .conflicts::<R>(id)?
            .into_iter()
            .find(|c| c.field == field)
            .map(|c| c.values)
            .unwrap_or_default())
    }

    /// Keeps value number `pick` (in [`FieldConflict::values`] order) of
    /// the conflicting `field` (a dotted path) of record `id`: writes it
    /// over every concurrent value, so the conflict is gone on every device
    /// once this change reaches it. Returns the value kept and the one
    /// shown before, as JSON.
    pub(crate) fn resolve_conflict(
        &self,
        area: Area,
        kind: &'static str,
        id: &str,
        field: &str,
        pick: usize,
    ) -> Result<(serde_json::Value, serde_json::Value)> {
        self.change(
            area,
            &format!("resolve {field} of {} {id}", singular(kind)),
            |tx, _| {
                let mut obj = record_obj(&*tx, kind, id)?;
                let mut parts: Vec<&str> = field.split('.').collect();
                let key = parts.pop().unwrap_or_default();
                for part in parts {
                    obj = match tx.get(&obj, part)? {
                        Some((Value::Object(ObjType::Map), child)) => child,
                        _ => return Err(no_conflict(field)),
                    };
                }
                let values = scalar_values(&*tx, &obj, key);
                if values.len() < 2 {
                    return Err(no_conflict(field));
                }
                let shown = super::fast_read::scalar(&values[0].0);
                let (kept, _) = values.into_iter().nth(pick).ok_or_else(|| {
                    StoreError::Rejected(format!("the {field} conflict has no value number {pick}"))
                })?;
                let kept_json = super::fast_read::scalar(&kept);
                tx.put(&obj, key, kept)?;
                Ok((kept_json, shown))
            },
        )
    }
}

fn no_conflict(field: &str) -> StoreError {
    StoreError::Rejected(format!(
        "{field} holds one value (resolved already, here or on another device)"
    ))
}
