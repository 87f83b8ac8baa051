//! Typed, generic reads and writes for every [`Record`] kind: create, get,
//! list, update, soft delete and restore.

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};

use super::{Result, Store, StoreError, kind_map};
use crate::model::{Record, Stamp};

/// The kind map inside a transaction, created if an older document lacks it.
pub(crate) fn kind_map_mut(
    tx: &mut automerge::transaction::Transaction<'_>,
    kind: &str,
) -> Result<automerge::ObjId> {
    match kind_map(tx, kind) {
        Some(obj) => Ok(obj),
        None => Ok(tx.put_object(ROOT, kind, ObjType::Map)?),
    }
}

/// Reads one record, `None` if absent.
pub(crate) fn hydrate_record<R: Record, D: super::DocRead>(doc: &D, id: &str) -> Result<Option<R>> {
    let Some(map) = kind_map(doc, R::KIND) else {
        return Ok(None);
    };
    match automerge::ReadDoc::get(doc, &map, id)? {
        Some((automerge::Value::Object(ObjType::Map), obj)) => {
            Ok(Some(super::fast_read::read_record::<R, _>(doc, &obj)?))
        }
        _ => Ok(None),
    }
}

/// Every record of a kind, in id order (ids are UUID v7: oldest first).
pub(crate) fn read_all<R: Record, D: ReadDoc>(doc: &D, include_deleted: bool) -> Result<Vec<R>> {
    let Some(map) = kind_map(doc, R::KIND) else {
        return Ok(Vec::new());
    };
    let objects = super::fast_read::child_maps(doc, &map);
    let mut out = Vec::with_capacity(objects.len());
    for (_, obj) in objects {
        let record: R = super::fast_read::read_record(doc, &obj)?;
        if include_deleted || !record.is_deleted() {
            out.push(record);
        }
    }
    Ok(out)
}

/// Number of records of `kind` without `deleted_at`.
pub(crate) fn count_live<D: ReadDoc>(doc: &D, kind: &str) -> usize {
    let Some(map) = kind_map(doc, kind) else {
        return 0;
    };
    doc.keys(&map)
        .filter(|id| {
            let Ok(Some((_, obj))) = doc.get(&map, id.as_str()) else {
                return false;
            };
            !is_deleted(doc, &obj)
        })
        .count()
}

/// Whether a record's `deleted_at` is set (without hydrating it).
pub(crate) fn is_deleted<D: ReadDoc>(doc: &D, obj: &automerge::ObjId) -> bool {
    matches!(
        doc.get(obj, "deleted_at"),
        Ok(Some((automerge::Value::Scalar(s), _))) if !s.is_null()
    )
}

impl Store {
    /// Saves a new record; stamps its audit fields. Returns its id.
    pub fn create<R: Record>(&self, mut record: R) -> Result<String> {
        record.validate()?;
        let id = record.id().to_string();
        if id.trim().is_empty() {
            return Err(StoreError::Rejected("a record needs an id".into()));
        }
        self.change(R::AREA, &format!("create {} {id}", R::KIND), |tx, audit| {
            let map = kind_map_mut(tx, R::KIND)?;
            if tx.get(&map, id.as_str())?.is_some() {
                return Err(StoreError::Rejected(format!(
                    "a {} with id {id} already exists",
                    R::KIND
                )));
            }
            record.touch(audit, true);
            autosurgeon::reconcile_prop(tx, &map, id.as_str(), &record)?;
            Ok(())
        })?;
        Ok(id)
    }

    /// One record by id (including soft-deleted ones).
    pub fn get<R: Record>(&self, id: &str) -> Result<Option<R>> {
        self.read(R::AREA, |doc| hydrate_record::<R, _>(doc, id))
    }

    /// One record by id, or a clear "not found" error.
    pub fn require<R: Record>(&self, id: &str) -> Result<R> {
        self.get(id)?.ok_or_else(|| StoreError::NotFound {
            kind: singular(R::KIND),
            id: id.to_string(),
        })
    }

    /// All records of a kind, oldest first; soft-deleted ones only if asked.
    pub fn list<R: Record>(&self, include_deleted: bool) -> Result<Vec<R>> {
        self.read(R::AREA, |doc| read_all::<R, _>(doc, include_deleted))
    }

    /// Applies `edit` to a record in one transaction: reads the current
    /// value, edits, validates, writes back only what changed.
    pub fn update<R: Record, T>(
        &self,
        id: &str,
        action: &str,
        edit: impl FnOnce(&mut R) -> Result<T>,
    ) -> Result<T> {
        self.change(
            R::AREA,
            &format!("{action} {} {id}", R::KIND),
            |tx, audit| {
                let map = kind_map_mut(tx, R::KIND)?;
                // autosurgeon's own hydrate, not the fast serde read: text
                // fields must keep their identity so an edit reconciles as a
                // splice. A rebuilt text would replace the whole text object
                // and a concurrent edit on another device would be lost
                // (found by the convergence simulation).
                let found: Option<R> = match automerge::ReadDoc::get(&*tx, &map, id)? {
                    Some((automerge::Value::Object(ObjType::Map), _)) => {
                        Some(autosurgeon::hydrate_prop(&*tx, &map, id)?)
                    }
                    _ => None,
                };
                let mut record = found.ok_or_else(|| StoreError::NotFound {
                    kind: singular(R::KIND),
                    id: id.to_string(),
                })?;
                let before = record.clone();
                let value = edit(&mut record)?;
                record.validate()?;
                if before != record {
                    record.touch(audit, false);
                    autosurgeon::reconcile_prop(tx, &map, id, &record)?;
                }
                Ok(value)
            },
        )
    }

    /// Moves a record to the trash (soft delete).
    pub fn delete<R: Record>(&self, id: &str) -> Result<()> {
        let now = Stamp::now();
        self.update::<R, _>(id, "delete", |r| {
            if r.deleted_at().is_none() {
                r.set_deleted_at(Some(now));
            }
            Ok(())
        })
    }

    /// Brings a record back from the trash.
    pub fn restore<R: Record>(&self, id: &str) -> Result<()> {
        self.update::<R, _>(id, "restore", |r| {
            r.set_deleted_at(None);
            Ok(())
        })
    }
}

/// "tasks" -> "task", for messages.
pub(crate) fn singular(kind: &'static str) -> &'static str {
    match kind {
        "tasks" => "task",
        "items" => "item",
        "sites" => "site",
        "members" => "member",
        "projects" => "project",
        "movements" => "movement",
        "vendors" => "vendor",
        "contracts" => "contract",
        "purchase_orders" => "purchase order",
        "receipts" => "receipt",
        "invoices" => "invoice",
        "budget_lines" => "budget line",
        "expenses" => "expense",
        "meetings" => "meeting",
        "onboarding_templates" => "onboarding template",
        "onboarding_plans" => "onboarding plan",
        "docs" => "doc",
        "maintenance" => "maintenance request",
        other => other,
    }
}
