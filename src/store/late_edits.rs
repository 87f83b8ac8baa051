//! Late edits: changes a retired document received after its rotation
//! (made on a device that had not heard of it), found with the records
//! they touched, before and after, and written again on the live document
//! (`Store::follow_rotations` decides where and when).

use automerge::hydrate::Map;
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc, Value};

use super::Result;
use super::copy;
use super::rotation::Source;

/// One record a late edit touched: as it was at the rotation (or before
/// this batch of late edits) and as it is now in the retired document.
pub(crate) struct LateRecord {
    pub kind: String,
    pub id: String,
    pub before: Option<Map>,
    pub after: Option<Map>,
}

/// Late edits of a source document not written again yet.
pub(crate) struct LateEdits {
    pub hashes: Vec<ChangeHash>,
    pub records: Vec<LateRecord>,
}

/// The edits `doc` received beyond `source.since` not yet written again,
/// and the records they touched, before and after.
pub(crate) fn late_edits(doc: &Automerge, source: &Source) -> Result<Option<LateEdits>> {
    let mut have: Vec<ChangeHash> = source.since.clone();
    have.extend(source.replayed.iter().copied());
    have.retain(|h| doc.get_change_by_hash(h).is_some());
    if have.len() < source.since.len() {
        // This copy of the document is older than the rotation: nothing
        // here is late.
        return Ok(None);
    }
    let changes = doc.get_changes(&have);
    if changes.is_empty() {
        return Ok(None);
    }
    let hashes: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
    drop(changes);
    let touched = super::touched_records(doc, &have, None).unwrap_or_default();
    let mut records = Vec::new();
    for (kind, ids) in touched {
        let Some(map) = super::kind_map(doc, &kind) else {
            continue;
        };
        for id in ids {
            let now = match doc.get(&map, id.as_str())? {
                Some((Value::Object(ObjType::Map), obj)) => Some(obj),
                _ => None,
            };
            let then = match doc.get_at(&map, id.as_str(), &have)? {
                Some((Value::Object(ObjType::Map), obj)) => Some(obj),
                _ => None,
            };
            let before = match then {
                Some(obj) => copy::read_map(doc, &obj, Some(&have))?,
                None => None,
            };
            let after = match now {
                Some(obj) => copy::read_map(doc, &obj, None)?,
                None => None,
            };
            records.push(LateRecord {
                kind: kind.clone(),
                id,
                before,
                after,
            });
        }
    }
    Ok(Some(LateEdits { hashes, records }))
}

/// Writes late edits on `target` (an open transaction on the live
/// document, or on a fork of it at the rotation): each record's changed
/// fields where the record exists, the whole record where it does not.
pub(crate) fn write_late<T: Transactable + ReadDoc>(
    tx: &mut T,
    records: &[&LateRecord],
) -> Result<()> {
    for record in records {
        let Some(after) = &record.after else {
            continue;
        };
        let map = match tx.get(ROOT, record.kind.as_str())? {
            Some((Value::Object(ObjType::Map), map)) => map,
            _ => tx.put_object(ROOT, record.kind.as_str(), ObjType::Map)?,
        };
        match (tx.get(&map, record.id.as_str())?, &record.before) {
            (Some((Value::Object(ObjType::Map), obj)), Some(before)) => {
                copy::write_difference(tx, &obj, before, after)?;
            }
            (Some((Value::Object(ObjType::Map), obj)), None) => {
                copy::write_difference(tx, &obj, &Map::default(), after)?;
            }
            _ => {
                let obj = tx.put_object(&map, record.id.as_str(), ObjType::Map)?;
                copy::fill_map(tx, &obj, after)?;
            }
        }
    }
    Ok(())
}
