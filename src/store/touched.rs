//! Which records a set of changes touches: each operation's object mapped
//! to the record holding it (`parents`), in proportion to the changes, not
//! the document. Views use it to re-read only what changed; the yearly
//! archive to find the records a late edit changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{Automerge, ChangeHash, Prop, ReadDoc};

/// The records, by kind, that the changes since `old` touch, or `None` to
/// read everything again (too many changes, or a kind's map was replaced).
///
/// Reads the new changes' operations and maps each operation's object to
/// the record it belongs to (`parents`), which costs in proportion to the
/// change. `Automerge::diff` gives the same answer but walks the whole
/// document: 55–60 ms per call on the L office's tasks.
pub fn touched_records(
    doc: &Automerge,
    old: &[ChangeHash],
    limit: Option<usize>,
) -> Option<BTreeMap<String, BTreeSet<String>>> {
    let changes = doc.get_changes(old);
    if limit.is_some_and(|limit| changes.len() > limit) {
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
