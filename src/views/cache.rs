//! [`RecordCache`]: the live records of one kind, kept up to date from the
//! document's heads. After a change only the records the change touched are
//! read again (found with `Automerge::diff` between the old and new heads);
//! a document whose heads did not move costs one comparison.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use automerge::{Automerge, ChangeHash, ObjId, Patch, PatchAction, Prop, ReadDoc};

use crate::model::Area;
use crate::store::{Result, Store, Unreadable};

/// Reads one record (by its map object) into the cached form.
pub type Reader<T> = fn(&Automerge, &ObjId) -> Result<T>;

/// More changed records than this re-reads the whole kind: one pass is
/// cheaper than thousands of lookups (and a first sync changes everything).
const FULL_RELOAD_ABOVE: usize = 2_000;

pub struct RecordCache<T> {
    kind: &'static str,
    area: Area,
    read: Reader<T>,
    heads: Option<Vec<ChangeHash>>,
    records: BTreeMap<String, Arc<T>>,
    unreadable: BTreeMap<String, Unreadable>,
    /// Records read by the last refresh (for benchmarks and tests).
    pub last_reads: usize,
}

impl<T> RecordCache<T> {
    pub fn new(kind: &'static str, area: Area, read: Reader<T>) -> Self {
        RecordCache {
            kind,
            area,
            read,
            heads: None,
            records: BTreeMap::new(),
            unreadable: BTreeMap::new(),
            last_reads: 0,
        }
    }

    /// Brings the cache up to date; returns whether anything changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        store.read(self.area, |doc| Ok(self.refresh_from(doc)))
    }

    fn refresh_from(&mut self, doc: &Automerge) -> bool {
        let heads = doc.get_heads();
        if self.heads.as_ref() == Some(&heads) {
            self.last_reads = 0;
            return false;
        }
        let Some(map) = kind_map(doc, self.kind) else {
            self.heads = Some(heads);
            let had = !self.records.is_empty();
            self.records.clear();
            return had;
        };
        let changed = match &self.heads {
            Some(old) => changed_ids(&doc.diff(old, &heads), self.kind),
            None => None,
        };
        self.last_reads = 0;
        match changed.filter(|ids| ids.len() <= FULL_RELOAD_ABOVE) {
            Some(ids) => {
                for id in ids {
                    self.reload(doc, &map, &id);
                }
            }
            None => {
                self.records.clear();
                self.unreadable.clear();
                for (id, _) in doc.map_range(&map, ..).map(|i| (i.key.to_string(), ())) {
                    self.reload(doc, &map, &id);
                }
            }
        }
        self.heads = Some(heads);
        true
    }

    fn reload(&mut self, doc: &Automerge, map: &ObjId, id: &str) {
        self.records.remove(id);
        self.unreadable.remove(id);
        let Ok(Some((automerge::Value::Object(automerge::ObjType::Map), obj))) = doc.get(map, id)
        else {
            return;
        };
        if is_deleted(doc, &obj) {
            return;
        }
        self.last_reads += 1;
        match (self.read)(doc, &obj) {
            Ok(record) => {
                self.records.insert(id.to_string(), Arc::new(record));
            }
            Err(e) => {
                self.unreadable.insert(
                    id.to_string(),
                    Unreadable {
                        kind: self.kind,
                        id: id.to_string(),
                        reason: e.to_string(),
                    },
                );
            }
        }
    }

    /// The live records, in id order (oldest first).
    pub fn records(&self) -> Vec<Arc<T>> {
        self.records.values().cloned().collect()
    }

    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.unreadable.values().cloned().collect()
    }
}

fn kind_map(doc: &Automerge, kind: &str) -> Option<ObjId> {
    match doc.get(automerge::ROOT, kind) {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

fn is_deleted(doc: &Automerge, obj: &ObjId) -> bool {
    matches!(
        doc.get(obj, "deleted_at"),
        Ok(Some((automerge::Value::Scalar(s), _))) if !s.is_null()
    )
}

/// The ids of `kind` records that patches touch, or `None` if the kind's map
/// itself was replaced (read everything again).
fn changed_ids(patches: &[Patch], kind: &str) -> Option<BTreeSet<String>> {
    let mut ids = BTreeSet::new();
    let is_kind = |prop: &Prop| matches!(prop, Prop::Map(k) if k == kind);
    for patch in patches {
        match patch.path.as_slice() {
            [] => {
                if let PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } =
                    &patch.action
                    && key == kind
                {
                    return None;
                }
            }
            [(_, first)] if is_kind(first) => match &patch.action {
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => {
                    ids.insert(key.clone());
                }
                PatchAction::Conflict {
                    prop: Prop::Map(key),
                } => {
                    ids.insert(key.clone());
                }
                _ => {}
            },
            [(_, first), (_, Prop::Map(id)), ..] if is_kind(first) => {
                ids.insert(id.clone());
            }
            _ => {}
        }
    }
    Some(ids)
}
