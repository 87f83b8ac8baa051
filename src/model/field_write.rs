//! Writing only what changed: [`WriteField`] compares a field's new value
//! with the value it had when the edit started and touches the Automerge
//! document only where they differ.
//!
//! autosurgeon's `reconcile` puts every scalar field again even when it is
//! unchanged, and Automerge records each put as a new operation. Two people
//! editing *different* fields of one record would then both have written
//! *every* field, and one of them would silently win on the field the other
//! changed. With `WriteField` an edit of the title writes the title alone, so
//! a concurrent status change survives, and a field this version does not
//! know (written by a newer peer) is never touched.

use std::collections::BTreeMap;

use automerge::{ObjId, ObjType, Value};
use autosurgeon::{Doc, Reconcile, ReconcileError, reconcile_prop};

/// A field that can write itself as the difference from its old value.
pub trait WriteField {
    /// Writes `self` at `key` of the map `obj` if it differs from `before`.
    /// Returns whether anything was written.
    fn write_field<D: Doc>(
        &self,
        before: &Self,
        doc: &mut D,
        obj: &ObjId,
        key: &str,
    ) -> Result<bool, ReconcileError>;
}

/// Scalars and short lists: written whole, when different.
macro_rules! leaf_fields {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::model::field_write::WriteField for $ty {
            fn write_field<D: autosurgeon::Doc>(
                &self,
                before: &Self,
                doc: &mut D,
                obj: &automerge::ObjId,
                key: &str,
            ) -> Result<bool, autosurgeon::ReconcileError> {
                $crate::model::field_write::write_if_changed(self, before, doc, obj, key)
            }
        }
    )*};
}
pub(crate) use leaf_fields;

leaf_fields!(String, i64, u64, bool, Vec<String>, autosurgeon::Text);

/// Writes `new` whole at `key` unless it equals `before`.
pub fn write_if_changed<T: Reconcile + PartialEq, D: Doc>(
    new: &T,
    before: &T,
    doc: &mut D,
    obj: &ObjId,
    key: &str,
) -> Result<bool, ReconcileError> {
    if new == before {
        return Ok(false);
    }
    reconcile_prop(doc, obj, key, new)?;
    Ok(true)
}

impl<T: Reconcile + PartialEq> WriteField for Option<T> {
    fn write_field<D: Doc>(
        &self,
        before: &Self,
        doc: &mut D,
        obj: &ObjId,
        key: &str,
    ) -> Result<bool, ReconcileError> {
        write_if_changed(self, before, doc, obj, key)
    }
}

/// The map object at `key` of `obj`, if there is one.
pub fn child_map<D: Doc>(doc: &D, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

/// Maps keyed by id (comments, checklist lines, order lines): entries added,
/// removed or changed one by one, so concurrent additions all survive.
impl<V: WriteField + Reconcile + PartialEq> WriteField for BTreeMap<String, V> {
    fn write_field<D: Doc>(
        &self,
        before: &Self,
        doc: &mut D,
        obj: &ObjId,
        key: &str,
    ) -> Result<bool, ReconcileError> {
        if self == before {
            return Ok(false);
        }
        let Some(map) = child_map(doc, obj, key) else {
            reconcile_prop(doc, obj, key, self)?;
            return Ok(true);
        };
        for (k, value) in self {
            match before.get(k) {
                Some(old) => {
                    value.write_field(old, doc, &map, k)?;
                }
                None => reconcile_prop(doc, &map, k.as_str(), value)?,
            }
        }
        for k in before.keys().filter(|k| !self.contains_key(*k)) {
            doc.delete(&map, k.as_str())?;
        }
        Ok(true)
    }
}

/// Implements [`WriteField`] for a struct kept as a nested map (a comment, a
/// checklist line): each field is written only if it changed.
macro_rules! nested_fields {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::model::field_write::WriteField for $ty {
            fn write_field<D: autosurgeon::Doc>(
                &self,
                before: &Self,
                doc: &mut D,
                obj: &automerge::ObjId,
                key: &str,
            ) -> Result<bool, autosurgeon::ReconcileError> {
                if self == before {
                    return Ok(false);
                }
                let Some(map) = $crate::model::field_write::child_map(doc, obj, key) else {
                    autosurgeon::reconcile_prop(doc, obj, key, self)?;
                    return Ok(true);
                };
                $( $crate::model::field_write::WriteField::write_field(
                    &self.$field, &before.$field, doc, &map, stringify!($field))?; )*
                Ok(true)
            }
        }
    };
}
pub(crate) use nested_fields;
