//! [`RecordCache`]: the live records of one kind, kept up to date from the
//! document's heads. After a change only the records the change touched are
//! read again (found from the operations of the changes since the old heads);
//! a document whose heads did not move costs one comparison.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use automerge::{Automerge, ChangeHash, ObjId, Prop, ReadDoc};

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
/// read everything again (too many changes, or a kind's map was replaced).
///
/// Reads the new changes' operations and maps each operation's object to
/// the record it belongs to (`parents`), which costs in proportion to the
/// change. `Automerge::diff` gives the same answer but walks the whole
/// document: 55–60 ms per call on the L office's tasks.
pub fn changed_records(
    doc: &Automerge,
    old: &[ChangeHash],
) -> Option<BTreeMap<String, BTreeSet<String>>> {
    let changes = doc.get_changes(old);
    if changes.len() > FULL_RELOAD_ABOVE {
        return None;
    }
    // The kinds' maps, by object id.
    let kinds: HashMap<String, String> = doc
        .map_range(automerge::ROOT, ..)
        .filter(|i| {
            matches!(
                i.value,
                automerge::ValueRef::Object(automerge::ObjType::Map)
            )
        })
        .filter(|i| {
            crate::store::ALL_KINDS
                .iter()
                .any(|(k, _)| *k == i.key.as_ref())
        })
        .map(|i| (i.id().to_string(), i.key.to_string()))
        .collect();
    let mut owner: HashMap<String, Option<(String, String)>> = HashMap::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for change in changes {
        for op in change.decode().operations {
            let obj = op.obj.to_string();
            let key = match &op.key {
                automerge::legacy::Key::Map(k) => Some(k.to_string()),
                automerge::legacy::Key::Seq(_) => None,
            };
            if obj == "_root" {
                if key
                    .as_deref()
                    .is_some_and(|k| crate::store::ALL_KINDS.iter().any(|(kind, _)| *kind == k))
                {
                    return None;
                }
                continue;
            }
            if let Some(kind) = kinds.get(&obj) {
                if let Some(key) = key {
                    ids.entry(kind.clone()).or_default().insert(key);
                }
                continue;
            }
            let record = owner.entry(obj).or_insert_with_key(|obj| {
                let id = doc.import_obj(obj).ok()?;
                let path = doc.parents(&id).ok()?.path();
                match path.as_slice() {
                    [(_, Prop::Map(kind)), (_, Prop::Map(record)), ..] => {
                        Some((kind.clone(), record.clone()))
                    }
                    _ => None,
                }
            });
            if let Some((kind, record)) = record.clone() {
                ids.entry(kind).or_default().insert(record);
            }
        }
    }
    Some(ids)
}
