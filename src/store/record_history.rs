//! One record's history: every change that touched it, with who made it,
//! when, from which device and which fields it set; and the record as it
//! stood at a moment, for "restore as it was then".
//!
//! Automerge keeps every change; a change's operations name the object
//! they write to, so the changes of one record are those writing to its
//! map (or to an object inside it, which counts as its top-level field).

use std::collections::{BTreeSet, HashMap, HashSet};

use automerge::legacy::Key;
use automerge::{ChangeHash, ObjType, ReadDoc, Value};
use serde_json::Value as J;

use super::history::ChangeMeta;
use super::{Result, Store, StoreError, kind_map};
use crate::model::{Area, Stamp};

/// Bookkeeping every edit stamps: not a change a person made.
const BOOKKEEPING: [&str; 2] = ["updated_at", "updated_by"];

/// A point in a document's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Moment {
    /// Every change made by then (by the changes' own clocks).
    Time(Stamp),
    /// Right after this change (its hash), as its author saw it.
    After(String),
}

/// One change of one record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordChange {
    #[serde(flatten)]
    pub change: ChangeMeta,
    /// The record's top-level fields it set, by key, in name order.
    pub fields: Vec<String>,
    /// The change created the record.
    pub created: bool,
}

fn not_found(kind: &'static str, id: &str) -> StoreError {
    StoreError::NotFound {
        kind: super::records::singular(kind),
        id: id.to_string(),
    }
}

/// The objects directly inside `obj` (a map's or a list's values).
fn children<D: ReadDoc>(doc: &D, obj: &automerge::ObjId) -> Vec<(String, automerge::ObjId)> {
    match doc.object_type(obj) {
        Ok(ObjType::Map | ObjType::Table) => doc
            .map_range(obj, ..)
            .filter(|item| matches!(item.value, automerge::ValueRef::Object(_)))
            .map(|item| (item.key.to_string(), item.id()))
            .collect(),
        Ok(ObjType::List) => (0..doc.length(obj))
            .filter_map(|i| match doc.get(obj, i) {
                Ok(Some((Value::Object(_), id))) => Some((i.to_string(), id)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Every object inside `obj`, with the top-level field holding it.
fn owners<D: ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    field: &str,
    out: &mut HashMap<String, String>,
) {
    for (_, child) in children(doc, obj) {
        out.insert(child.to_string(), field.to_string());
        owners(doc, &child, field, out);
    }
}

impl Store {
    /// Every change that touched record `id` of `kind`, oldest first.
    pub fn record_history(
        &self,
        area: Area,
        kind: &'static str,
        id: &str,
    ) -> Result<Vec<RecordChange>> {
        self.record_history_since(area, kind, id, None)
            .map(|(changes, _)| changes)
    }

    /// [`Store::record_history`] of the changes since `since` only (all of
    /// them when `None`), and the document's heads it was read at: what
    /// is kept open reads only what is new.
    pub fn record_history_since(
        &self,
        area: Area,
        kind: &'static str,
        id: &str,
        since: Option<&[ChangeHash]>,
    ) -> Result<(Vec<RecordChange>, Vec<ChangeHash>)> {
        self.read(area, |doc| {
            let map = kind_map(doc, kind).ok_or_else(|| not_found(kind, id))?;
            let Some((Value::Object(ObjType::Map), obj)) = doc.get(&map, id)? else {
                return Err(not_found(kind, id));
            };
            let record = obj.to_string();
            let map_id = map.to_string();
            // Objects inside the record (a checklist, agenda points) count
            // as the top-level field that holds them.
            let mut inside = HashMap::new();
            for (field, child) in children(doc, &obj) {
                inside.insert(child.to_string(), field.clone());
                owners(doc, &child, &field, &mut inside);
            }
            let mut out = Vec::new();
            // Only the record's creation and what is not before it can
            // touch it: decoding starts there (a recent record in a long
            // history reads a few changes, not all).
            let start = match since {
                Some(since) => since.to_vec(),
                None => creation_deps(doc, &obj),
            };
            for change in doc.get_changes(&start) {
                let expanded = change.decode();
                let mut fields = BTreeSet::new();
                let mut created = false;
                for op in &expanded.operations {
                    let target = op.obj.to_string();
                    let key = match &op.key {
                        Key::Map(k) => Some(k.as_str()),
                        Key::Seq(_) => None,
                    };
                    if target == map_id && key == Some(id) {
                        created = true;
                    } else if target == record {
                        if let Some(k) = key.filter(|k| !BOOKKEEPING.contains(k)) {
                            fields.insert(k.to_string());
                        }
                    } else if let Some(field) = inside.get(&target) {
                        fields.insert(field.clone());
                    }
                }
                if created || !fields.is_empty() {
                    out.push(RecordChange {
                        change: ChangeMeta::of(doc, &change),
                        // A new record's every field is new: say "created".
                        fields: if created {
                            Vec::new()
                        } else {
                            fields.into_iter().collect()
                        },
                        created,
                    });
                }
            }
            Ok((out, doc.get_heads()))
        })
    }

    /// Record `id` of `kind` as it stood at `moment`, as JSON; `None` if
    /// it did not exist yet.
    pub fn record_at(
        &self,
        area: Area,
        kind: &str,
        id: &str,
        moment: &Moment,
    ) -> Result<Option<J>> {
        self.read(area, |doc| {
            let heads = match moment {
                Moment::Time(at) => heads_at(doc, *at),
                Moment::After(hash) => {
                    let hash: ChangeHash = hash
                        .parse()
                        .map_err(|_| StoreError::Rejected(format!("{hash:?} is not a change")))?;
                    if doc.get_change_by_hash(&hash).is_none() {
                        return Err(StoreError::Rejected(
                            "no such change in this workspace".into(),
                        ));
                    }
                    vec![hash]
                }
            };
            if heads.is_empty() {
                return Ok(None);
            }
            let Some((Value::Object(ObjType::Map), map)) =
                doc.get_at(automerge::ROOT, kind, &heads)?
            else {
                return Ok(None);
            };
            match doc.get_at(&map, id, &heads)? {
                Some((Value::Object(ObjType::Map), obj)) => {
                    let value = ReadDoc::hydrate(doc, &obj, Some(&heads[..]))?;
                    Ok(Some(super::fast_read::to_json(&value)))
                }
                _ => Ok(None),
            }
        })
    }
}

/// The dependencies of the change that made object `obj` (empty, meaning
/// "from the start", if it cannot be found).
fn creation_deps(doc: &automerge::Automerge, obj: &automerge::ObjId) -> Vec<ChangeHash> {
    let automerge::ObjId::Id(counter, actor, _) = obj else {
        return Vec::new();
    };
    doc.get_changes_meta(&[])
        .into_iter()
        .find(|m| *m.actor == *actor && m.start_op <= *counter && *counter <= m.max_op)
        .map(|m| m.deps)
        .unwrap_or_default()
}

/// The heads of the document as it stood at `at`: the changes made by then
/// (by their own clocks), without any change whose dependencies were not.
fn heads_at(doc: &automerge::Automerge, at: Stamp) -> Vec<ChangeHash> {
    let limit = at.millis() / 1000;
    let mut kept: HashSet<ChangeHash> = HashSet::new();
    let mut depended: HashSet<ChangeHash> = HashSet::new();
    // Changes come in causal order: a change's dependencies before it.
    for meta in doc.get_changes_meta(&[]) {
        if meta.timestamp <= limit && meta.deps.iter().all(|d| kept.contains(d)) {
            kept.insert(meta.hash);
            depended.extend(meta.deps.iter().copied());
        }
    }
    let mut heads: Vec<ChangeHash> = kept.difference(&depended).copied().collect();
    heads.sort();
    heads
}

impl Store {
    /// The kind and full id of the record `id` names: its whole id, or a
    /// unique start of it (at least 4 characters), whatever its kind.
    pub fn locate(&self, id: &str) -> Result<(&'static str, Area, String)> {
        let id = id.trim();
        let mut starts = Vec::new();
        for (kind, area) in super::ALL_KINDS {
            let found = self.read(*area, |doc| {
                let Some(map) = kind_map(doc, kind) else {
                    return Ok((false, Vec::new()));
                };
                if doc.get(&map, id)?.is_some() {
                    return Ok((true, Vec::new()));
                }
                let starting: Vec<String> = if id.len() >= 4 {
                    doc.keys(&map).filter(|k| k.starts_with(id)).collect()
                } else {
                    Vec::new()
                };
                Ok((false, starting))
            })?;
            match found {
                (true, _) => return Ok((kind, *area, id.to_string())),
                (false, starting) => {
                    starts.extend(starting.into_iter().map(|full| (*kind, *area, full)))
                }
            }
        }
        match starts.len() {
            1 => Ok(starts.remove(0)),
            0 => Err(StoreError::Rejected(format!("no record has the id {id:?}"))),
            n => Err(StoreError::Rejected(format!(
                "{n} records have ids starting with {id:?}; give more of the id"
            ))),
        }
    }
}
