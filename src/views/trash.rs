//! The Trash: every deleted record, of every kind people edit, with who
//! deleted it and when. Nothing is purged; restoring is an
//! ordinary `Op::Restore`. (Receipts taken back are not listed: a receipt
//! comes back by receiving again.)

use crate::model::schema::Described;
use crate::model::{Member, Receipt, Record, Stamp};
use crate::ops::kinds::with_kind;
use crate::store::{ALL_KINDS, Result, Store, StoreError};

/// One deleted record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrashEntry {
    /// The kind's map name (`"tasks"`), for `Op::Restore`.
    pub kind: &'static str,
    /// "task", "item", …
    pub label: &'static str,
    pub id: String,
    pub name: String,
    pub deleted_at: Stamp,
    /// The member who deleted it (their name, or their id if unknown).
    pub deleted_by: String,
}

fn deleted<R: Described>(store: &Store, names: &dyn Fn(&str) -> String) -> Result<Vec<TrashEntry>> {
    Ok(store
        .list::<R>(true)?
        .into_iter()
        .filter_map(|r| {
            let at = r.deleted_at()?;
            let by = serde_json::to_value(&r)
                .ok()
                .and_then(|v| {
                    v.get("updated_by")
                        .and_then(|b| b.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_default();
            Some(TrashEntry {
                kind: R::KIND,
                label: R::LABEL,
                id: r.id().to_string(),
                name: r.name().to_string(),
                deleted_at: at,
                deleted_by: names(&by),
            })
        })
        .collect())
}

/// Everything in the Trash, most recently deleted first.
pub fn trash(store: &Store) -> Result<Vec<TrashEntry>> {
    let members = store.list::<Member>(true)?;
    let names = |id: &str| {
        members
            .iter()
            .find(|m| m.id == id)
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    let mut out = Vec::new();
    // Every kind people edit; a receipt taken back comes back by receiving
    // again, so it is not listed.
    for (kind, _) in ALL_KINDS.iter().filter(|(k, _)| *k != Receipt::KIND) {
        match with_kind!(*kind, R => deleted::<R>(store, &names)) {
            Ok(entries) => out.extend(entries),
            Err(StoreError::Rejected(_)) => {}
            Err(e) => return Err(e),
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.deleted_at));
    Ok(out)
}
