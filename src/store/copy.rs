//! Writing Automerge values read from one document into another: whole
//! (a yearly archive copies each record as it is now into a new document)
//! or as a difference (a late edit to a retired document is written again
//! on the record where it lives now, field by field).
//!
//! Values travel as `automerge::hydrate::Value` trees, read from the
//! source under its own lock, so two documents are never locked at once.

use automerge::hydrate::{Map, Value as Hv};
use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value};

use super::Result;

/// The map `obj` of `doc` as a value tree (as of `heads`, or now); `None`
/// if it is not a map.
pub(crate) fn read_map<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    heads: Option<&[automerge::ChangeHash]>,
) -> Result<Option<Map>> {
    Ok(match ReadDoc::hydrate(doc, obj, heads)? {
        Hv::Map(m) => Some(m),
        _ => None,
    })
}

/// The value at `key` of the map `obj` (now) as a value tree.
pub(crate) fn read_entry<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<Option<Hv>> {
    Ok(match doc.get(obj, key)? {
        Some((Value::Scalar(s), _)) => Some(Hv::Scalar(s.into_owned())),
        Some((Value::Object(_), id)) => Some(ReadDoc::hydrate(doc, &id, None)?),
        None => None,
    })
}

/// Writes `value` at `prop` of `dst` (a map key, or a list index to
/// insert at), replacing what was there. An object is written as one tree
/// (`batch_create_object`: two splices of Automerge's operation store
/// instead of one per value).
pub(crate) fn put_value<T: Transactable>(
    tx: &mut T,
    dst: &ObjId,
    prop: Prop,
    value: &Hv,
) -> Result<()> {
    match (value, prop) {
        (Hv::Scalar(s), Prop::Seq(i)) => tx.insert(dst, i, s.clone())?,
        (Hv::Scalar(s), prop) => tx.put(dst, prop, s.clone())?,
        (value, prop) => {
            let insert = matches!(prop, Prop::Seq(_));
            tx.batch_create_object(dst, prop, value, insert)?;
        }
    }
    Ok(())
}

/// Writes every entry of `map` into the (empty) map `dst`.
pub(crate) fn fill_map<T: Transactable>(tx: &mut T, dst: &ObjId, map: &Map) -> Result<()> {
    for (key, entry) in map.iter() {
        put_value(tx, dst, Prop::Map(key.clone()), &entry.value)?;
    }
    Ok(())
}

/// Writes into the map `dst` what changed from `before` to `after`: each
/// key whose value differs, recursing into maps that are maps on both
/// sides and in `dst`; a counter moves by the difference, a text is
/// spliced, a key gone from `after` is deleted. What did not change is not
/// written, so a concurrent edit of another field in `dst` stands.
pub(crate) fn write_difference<T: Transactable + ReadDoc>(
    tx: &mut T,
    dst: &ObjId,
    before: &Map,
    after: &Map,
) -> Result<()> {
    for (key, entry) in after.iter() {
        let new = &entry.value;
        let old = before.get(key);
        if old == Some(new) {
            continue;
        }
        let here = tx.get(dst, key.as_str())?;
        match (old, new, here) {
            (Some(Hv::Map(old)), Hv::Map(new), Some((Value::Object(ObjType::Map), obj))) => {
                write_difference(tx, &obj, old, new)?;
            }
            (Some(Hv::Text(_)), Hv::Text(new), Some((Value::Object(ObjType::Text), obj))) => {
                tx.update_text(&obj, new.to_string())?
            }
            (
                Some(Hv::Scalar(ScalarValue::Counter(old))),
                Hv::Scalar(ScalarValue::Counter(new)),
                Some((Value::Scalar(s), _)),
            ) if matches!(s.as_ref(), ScalarValue::Counter(_)) => {
                tx.increment(dst, key.as_str(), i64::from(new) - i64::from(old))?;
            }
            _ => put_value(tx, dst, Prop::Map(key.clone()), new)?,
        }
    }
    for (key, _) in before.iter() {
        if after.get(key).is_none() && tx.get(dst, key.as_str())?.is_some() {
            tx.delete(dst, key.as_str())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{Automerge, ROOT};

    fn doc_with(f: impl FnOnce(&mut automerge::transaction::Transaction<'_>)) -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        f(&mut tx);
        tx.commit();
        doc
    }

    fn root_map(doc: &Automerge) -> Map {
        read_map(doc, &ROOT, None).unwrap().unwrap()
    }

    #[test]
    fn a_whole_copy_reads_back_the_same() {
        let src = doc_with(|tx| {
            tx.put(ROOT, "title", "Order toner").unwrap();
            tx.put(ROOT, "n", ScalarValue::counter(3)).unwrap();
            let m = tx.put_object(ROOT, "checklist", ObjType::Map).unwrap();
            tx.put(&m, "a", true).unwrap();
            let l = tx.put_object(ROOT, "tags", ObjType::List).unwrap();
            tx.insert(&l, 0, "x").unwrap();
            tx.insert(&l, 1, "y").unwrap();
            let t = tx.put_object(ROOT, "notes", ObjType::Text).unwrap();
            tx.splice_text(&t, 0, 0, "hello").unwrap();
        });
        let mut dst = Automerge::new();
        let mut tx = dst.transaction();
        fill_map(&mut tx, &ROOT, &root_map(&src)).unwrap();
        tx.commit();
        assert_eq!(root_map(&dst), root_map(&src));
    }

    #[test]
    fn a_difference_writes_only_what_changed() {
        let mut src = doc_with(|tx| {
            tx.put(ROOT, "title", "Order toner").unwrap();
            tx.put(ROOT, "owner", "ana").unwrap();
            tx.put(ROOT, "gone", 1).unwrap();
            tx.put(ROOT, "n", ScalarValue::counter(3)).unwrap();
        });
        let before = root_map(&src);
        let mut tx = src.transaction();
        tx.put(ROOT, "title", "Order paper").unwrap();
        tx.increment(ROOT, "n", 2).unwrap();
        tx.delete(ROOT, "gone").unwrap();
        tx.commit();
        let after = root_map(&src);
        // The destination has the old state, and since then someone else
        // changed the owner and the counter.
        let mut dst = doc_with(|tx| {
            tx.put(ROOT, "title", "Order toner").unwrap();
            tx.put(ROOT, "owner", "bo").unwrap();
            tx.put(ROOT, "gone", 1).unwrap();
            tx.put(ROOT, "n", ScalarValue::counter(10)).unwrap();
        });
        let mut tx = dst.transaction();
        write_difference(&mut tx, &ROOT, &before, &after).unwrap();
        tx.commit();
        let out = root_map(&dst);
        assert_eq!(out.get("title"), Some(&Hv::scalar("Order paper")));
        assert_eq!(out.get("owner"), Some(&Hv::scalar("bo")));
        assert_eq!(out.get("gone"), None);
        assert_eq!(out.get("n"), Some(&Hv::Scalar(ScalarValue::counter(12))));
    }
}
