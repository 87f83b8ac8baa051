//! [`RecordCache`]: the live records of one kind, kept up to date from the
//! document's heads. After a change only the records the change touched are
//! read again (found from the operations of the changes since the old heads);
//! a document whose heads did not move costs one comparison.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use automerge::{Automerge, ChangeHash, ObjId, ReadDoc};

use crate::model::Area;
use crate::store::{Result, Store, Unreadable};

/// Reads one record (by its map object) into the cached form.
pub type Reader<T> = fn(&Automerge, &ObjId) -> Result<T>;

/// More new changes than this re-reads the whole kind: one pass is cheaper
/// than thousands of lookups (and a first sync changes everything).
const FULL_RELOAD_ABOVE: usize = 2_000;

/// Kinds with at least this many records are read on two threads.
const PARALLEL_READ_FROM: usize = 2_000;

pub struct RecordCache<T> {
    kind: &'static str,
    area: Area,
    read: Reader<T>,
    heads: Option<Vec<ChangeHash>>,
    records: BTreeMap<String, Arc<T>>,
    unreadable: BTreeMap<String, Unreadable>,
    /// Records read by the last refresh (for benchmarks and tests).
    pub last_reads: usize,
    /// Ids of the records the last refresh found changed (empty: nothing
    /// changed); `None` when it read every record again.
    pub last_changed: Option<BTreeSet<String>>,
    /// Large kinds are read on two threads (off for kinds read while the
    /// UI draws its first frame, which needs the other core).
    parallel: bool,
}

impl<T: Send> RecordCache<T> {
    pub fn new(kind: &'static str, area: Area, read: Reader<T>) -> Self {
        RecordCache {
            kind,
            area,
            read,
            heads: None,
            records: BTreeMap::new(),
            unreadable: BTreeMap::new(),
            last_reads: 0,
            last_changed: None,
            parallel: true,
        }
    }

    /// Reads on one thread only.
    pub fn on_one_thread(mut self) -> Self {
        self.parallel = false;
        self
    }

    /// Brings the cache up to date; returns whether anything changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        store.read(self.area, |doc| Ok(self.refresh_from(doc)))
    }

    /// Whether the cache has read its document at least once.
    pub fn is_loaded(&self) -> bool {
        self.heads.is_some()
    }

    fn refresh_from(&mut self, doc: &Automerge) -> bool {
        let heads = doc.get_heads();
        if self.heads.as_ref() == Some(&heads) {
            self.last_reads = 0;
            self.last_changed = Some(BTreeSet::new());
            return false;
        }
        let Some(map) = kind_map(doc, self.kind) else {
            self.heads = Some(heads);
            self.last_changed = None;
            let had = !self.records.is_empty();
            self.records.clear();
            return had;
        };
        let changed = match &self.heads {
            Some(old) => changed_ids(doc, old, self.kind, &map),
            None => None,
        };
        self.last_reads = 0;
        match changed {
            Some(ids) => {
                for id in &ids {
                    self.reload(doc, &map, id);
                }
                self.last_changed = Some(ids.into_iter().collect());
            }
            None => {
                self.reload_all(doc, &map);
                self.last_changed = None;
            }
        }
        self.heads = Some(heads);
        true
    }

    /// Reads every live record, on two threads for a large kind (the first
    /// open of the L office's 10,000 tasks: about half the time).
    fn reload_all(&mut self, doc: &Automerge, map: &ObjId) {
        self.records.clear();
        self.unreadable.clear();
        let objects: Vec<(String, ObjId)> = doc
            .map_range(map, ..)
            .filter(|i| {
                matches!(
                    i.value,
                    automerge::ValueRef::Object(automerge::ObjType::Map)
                )
            })
            .map(|i| (i.key.to_string(), i.id()))
            .collect();
        let read = self.read;
        let read_part = |part: &[(String, ObjId)]| -> Vec<(String, Result<T>)> {
            part.iter()
                .filter(|(_, obj)| !is_deleted(doc, obj))
                .map(|(id, obj)| (id.clone(), read(doc, obj)))
                .collect()
        };
        let results = if self.parallel && objects.len() >= PARALLEL_READ_FROM {
            let (first, second) = objects.split_at(objects.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| read_part(second));
                let mut results = read_part(first);
                results.extend(other.join().unwrap_or_default());
                results
            })
        } else {
            read_part(&objects)
        };
        self.last_reads = results.len();
        for (id, result) in results {
            self.store_result(id, result);
        }
    }

    fn store_result(&mut self, id: String, result: Result<T>) {
        match result {
            Ok(record) => {
                self.records.insert(id, Arc::new(record));
            }
            Err(e) => {
                let unreadable = Unreadable {
                    kind: self.kind,
                    id: id.clone(),
                    reason: e.to_string(),
                };
                self.unreadable.insert(id, unreadable);
            }
        }
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
        let result = (self.read)(doc, &obj);
        self.store_result(id.to_string(), result);
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

/// The ids of `kind` records that the changes since `old` touch, or `None`
/// to read everything again (too many changes, or the kind's map itself was
/// replaced).
fn changed_ids(
    doc: &Automerge,
    old: &[ChangeHash],
    kind: &str,
    _kind_map: &ObjId,
) -> Option<BTreeSet<String>> {
    let mut by_kind = changed_records(doc, old)?;
    Some(by_kind.remove(kind).unwrap_or_default())
}

/// The records, by kind, that the changes since `old` touch, or `None` to
/// read everything again (too many changes, a kind's map was replaced, or
/// `old` are not heads of this document: the area moved to a new document
/// with a yearly archive).
pub fn changed_records(
    doc: &Automerge,
    old: &[ChangeHash],
) -> Option<BTreeMap<String, BTreeSet<String>>> {
    if old.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        return None;
    }
    crate::store::touched_records(doc, old, Some(FULL_RELOAD_ABOVE))
}
