//! Concurrent edits to one field: Automerge picks the same winner on every
//! device and keeps the losing values; this lists them for a conflict view.

use automerge::{ObjType, ReadDoc, Value};

use super::records::singular;
use super::{Result, Store, StoreError, kind_map};
use crate::model::Record;

/// A field with more than one concurrent value. `values[0]` is the winner
/// (the value every device shows); the rest are the other writes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldConflict {
    /// Dotted path inside the record, e.g. `title` or `checklist.<id>.text`.
    pub field: String,
    pub values: Vec<serde_json::Value>,
}

fn value_json(v: &Value<'_>) -> serde_json::Value {
    match v {
        Value::Scalar(s) => super::fast_read::scalar(s),
        Value::Object(t) => serde_json::Value::String(format!("<{t}>")),
    }
}

fn collect<D: ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prefix: &str,
    out: &mut Vec<FieldConflict>,
) {
    for key in doc.keys(obj) {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        // Every edit stamps these: two edits of different fields always
        // "conflict" on them, which says nothing a person needs to resolve.
        let bookkeeping = prefix.is_empty() && matches!(key.as_str(), "updated_at" | "updated_by");
        let all = doc.get_all(obj, key.as_str()).unwrap_or_default();
        if all.len() > 1 && !bookkeeping {
            // get_all lists values oldest-op first; the winner is the last.
            let mut values: Vec<serde_json::Value> =
                all.iter().rev().map(|(v, _)| value_json(v)).collect();
            values.dedup();
            if values.len() > 1 {
                out.push(FieldConflict {
                    field: path.clone(),
                    values,
                });
            }
        }
        if let Ok(Some((Value::Object(ObjType::Map), child))) = doc.get(obj, key.as_str()) {
            collect(doc, &child, &path, out);
        }
    }
}

impl Store {
    /// Fields of one record that were written concurrently.
    pub fn conflicts<R: Record>(&self, id: &str) -> Result<Vec<FieldConflict>> {
        self.read(R::AREA, |doc| {
            let not_found = || StoreError::NotFound {
                kind: singular(R::KIND),
                id: id.to_string(),
            };
            let map = kind_map(doc, R::KIND).ok_or_else(not_found)?;
            let Some((Value::Object(ObjType::Map), obj)) = doc.get(&map, id)? else {
                return Err(not_found());
            };
            let mut out = Vec::new();
            collect(doc, &obj, "", &mut out);
            Ok(out)
        })
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
}
