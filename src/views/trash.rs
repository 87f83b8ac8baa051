//! The Trash: every deleted record of the kinds people delete (tasks,
//! projects, items, sites, vendors, contracts, purchase orders, invoices),
//! with who deleted it and when. Nothing is purged; restoring is an
//! ordinary `Op::Restore`. (Receipts taken back are not listed: a receipt
//! comes back by receiving again.)

use crate::model::schema::Described;
use crate::model::{
    Contract, InventoryItem, Invoice, Member, Project, PurchaseOrder, Site, Stamp, Task, Vendor,
};
use crate::store::{Result, Store};

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
    let mut out = deleted::<Task>(store, &names)?;
    out.extend(deleted::<Project>(store, &names)?);
    out.extend(deleted::<InventoryItem>(store, &names)?);
    out.extend(deleted::<Site>(store, &names)?);
    out.extend(deleted::<Vendor>(store, &names)?);
    out.extend(deleted::<Contract>(store, &names)?);
    out.extend(deleted::<PurchaseOrder>(store, &names)?);
    out.extend(deleted::<Invoice>(store, &names)?);
    out.sort_by_key(|e| std::cmp::Reverse(e.deleted_at));
    Ok(out)
}
