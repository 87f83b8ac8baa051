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

/// A record this version could not read (written by a newer version, or
/// damaged): skipped and reported, never a reason to hide the others.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unreadable {
    pub kind: &'static str,
    pub id: String,
    pub reason: String,
}

impl Unreadable {
    /// "1 task could not be read: written by a newer version of Bureau?"
    pub fn summary(list: &[Unreadable]) -> Option<String> {
        let first = list.first()?;
        let kind = singular(first.kind);
        Some(format!(
            "{} {kind}{} could not be read (written by a newer version of Bureau?)",
            list.len(),
            if list.len() == 1 { "" } else { "s" }
        ))
    }
}

/// The readable records of a kind, and the ones that could not be read.
#[derive(Debug, Clone)]
pub struct Listing<R> {
    pub records: Vec<R>,
    pub unreadable: Vec<Unreadable>,
}

impl<R> Default for Listing<R> {
    fn default() -> Self {
        Listing {
            records: Vec::new(),
            unreadable: Vec::new(),
        }
    }
}

/// Every readable record of a kind, in id order (ids are UUID v7: oldest
/// first); a record that cannot be read is skipped and listed.
pub(crate) fn read_all<R: Record, D: ReadDoc>(doc: &D, include_deleted: bool) -> Listing<R> {
    let Some(map) = kind_map(doc, R::KIND) else {
        return Listing::default();
    };
    let objects = super::fast_read::child_maps(doc, &map);
    let mut out = Listing {
        records: Vec::with_capacity(objects.len()),
        unreadable: Vec::new(),
    };
    for (id, obj) in objects {
        if !include_deleted && is_deleted(doc, &obj) {
            continue;
        }
        match super::fast_read::read_record::<R, _>(doc, &obj) {
            Ok(record) => out.records.push(record),
            Err(e) => out.unreadable.push(Unreadable {
                kind: R::KIND,
                id,
                reason: e.to_string(),
            }),
        }
    }
    out
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

    /// All readable records of a kind, oldest first; soft-deleted ones only
    /// if asked. Records that cannot be read are skipped (see [`Store::listing`]).
    pub fn list<R: Record>(&self, include_deleted: bool) -> Result<Vec<R>> {
        let listing = self.listing::<R>(include_deleted)?;
        for u in &listing.unreadable {
            tracing::warn!(kind = u.kind, id = %u.id, "skipped a record: {}", u.reason);
        }
        Ok(listing.records)
    }

    /// All records of a kind, with the ones that could not be read listed
    /// apart (to report them, e.g. "1 task could not be read").
    pub fn listing<R: Record>(&self, include_deleted: bool) -> Result<Listing<R>> {
        self.read(R::AREA, |doc| Ok(read_all::<R, _>(doc, include_deleted)))
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
                let (obj, mut record) = hydrate_for_edit::<R>(tx, &map, id)?;
                let before = record.clone();
                let value = edit(&mut record)?;
                record.validate()?;
                write_edit(tx, &obj, &before, record, audit)?;
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

/// A record read for editing inside a transaction, with its map object.
///
/// autosurgeon's own hydrate, not the fast serde read: text fields must keep
/// their identity so an edit reconciles as a splice. A rebuilt text would
/// replace the whole text object and a concurrent edit on another device
/// would be lost (found by the convergence simulation).
pub(crate) fn hydrate_for_edit<R: Record>(
    tx: &automerge::transaction::Transaction<'_>,
    map: &automerge::ObjId,
    id: &str,
) -> Result<(automerge::ObjId, R)> {
    match automerge::ReadDoc::get(tx, map, id)? {
        Some((automerge::Value::Object(ObjType::Map), obj)) => {
            Ok((obj, autosurgeon::hydrate_prop(tx, map, id)?))
        }
        _ => Err(StoreError::NotFound {
            kind: singular(R::KIND),
            id: id.to_string(),
        }),
    }
}

/// Writes the fields of `after` that differ from `before` (and, if any did,
/// the update stamp). Returns the names of the user's fields written.
pub(crate) fn write_edit<R: Record>(
    tx: &mut automerge::transaction::Transaction<'_>,
    obj: &automerge::ObjId,
    before: &R,
    mut after: R,
    audit: &crate::model::Audit,
) -> Result<Vec<&'static str>> {
    if *before == after {
        return Ok(Vec::new());
    }
    after.touch(audit, false);
    let written = after.write_changed(before, tx, obj)?;
    Ok(written
        .into_iter()
        .filter(|f| !matches!(*f, "updated_at" | "updated_by"))
        .collect())
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

/// Reads the record whose map is `obj` (for incremental views).
pub fn read_record_at<R: crate::model::Record>(
    doc: &automerge::Automerge,
    obj: &automerge::ObjId,
) -> Result<R> {
    super::fast_read::read_record(doc, obj)
}

/// Reads the item whose map is `obj`, with its stock per site.
pub fn read_item_stock_at(
    doc: &automerge::Automerge,
    obj: &automerge::ObjId,
) -> Result<super::ItemStock> {
    Ok(super::ItemStock {
        item: super::fast_read::read_record(doc, obj)?,
        on_hand: super::stock::read_on_hand(doc, obj),
    })
}
