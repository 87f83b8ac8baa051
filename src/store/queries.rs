//! Questions the screens and the CLI ask ("what is slipping"), answered by
//! scanning only the few scalar fields needed and hydrating just the matches.

use automerge::{ReadDoc, ScalarValueRef, ValueRef};

use super::stock::ItemStock;
use super::{Result, Store, StoreError, kind_map};
use crate::model::{
    Contract, Date, InventoryItem, Invoice, PurchaseOrder, Record, Site, Task, TaskStatus, new_id,
};

/// An item at or below its reorder threshold at one site.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LowStock {
    pub item: InventoryItem,
    pub site_id: String,
    pub on_hand: i64,
    pub threshold: i64,
}

/// A contract's next decision on the renewal calendar.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Renewal {
    pub contract: Contract,
    /// End of the running term.
    pub term_end: Date,
    /// Last day to give notice.
    pub deadline: Date,
    /// Days from today to the deadline (negative: passed).
    pub days_left: i64,
}

/// Contracts needing a decision within `days` of `today` (deadline no
/// later than today + days, term not over), soonest deadline first.
pub fn renewal_calendar<'a>(
    contracts: impl Iterator<Item = &'a Contract>,
    today: Date,
    days: i64,
) -> Vec<Renewal> {
    let last = today.add_days(days);
    let mut out: Vec<Renewal> = contracts
        .filter_map(|c| {
            let r = c.renewal(today)?;
            (r.term_end >= today && r.deadline <= last).then(|| Renewal {
                contract: c.clone(),
                term_end: r.term_end,
                deadline: r.deadline,
                days_left: today.days_until(r.deadline),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.deadline, &a.contract.id).cmp(&(b.deadline, &b.contract.id)));
    out
}

/// The scalar fields a query looks at, read in one pass over a record's map.
#[derive(Debug, Default)]
struct Peek {
    deleted: bool,
    fields: Vec<Option<String>>,
}

/// Reads `wanted` string fields (and whether `deleted_at` is set) from a
/// record map in a single sequential pass.
fn peek<D: ReadDoc>(doc: &D, obj: &automerge::ObjId, wanted: &[&str]) -> Peek {
    let mut out = Peek {
        deleted: false,
        fields: vec![None; wanted.len()],
    };
    for item in doc.map_range(obj, ..) {
        let ValueRef::Scalar(value) = &item.value else {
            continue;
        };
        if item.key == "deleted_at" {
            out.deleted = !matches!(value, ScalarValueRef::Null);
        } else if let Some(slot) = wanted.iter().position(|w| *w == item.key)
            && let ScalarValueRef::Str(s) = value
        {
            out.fields[slot] = Some(s.to_string());
        }
    }
    out
}

/// Visits every live record of `R`, peeking at `fields`; hydrates those for
/// which `keep` says yes.
fn select<R: Record, D: super::DocRead>(
    doc: &D,
    fields: &[&str],
    mut keep: impl FnMut(&[Option<String>]) -> bool,
) -> Result<Vec<R>> {
    let Some(map) = kind_map(doc, R::KIND) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (_, obj) in super::fast_read::child_maps(doc, &map) {
        let peeked = peek(doc, &obj, fields);
        if peeked.deleted || !keep(&peeked.fields) {
            continue;
        }
        out.push(super::fast_read::read_record::<R, _>(doc, &obj)?);
    }
    Ok(out)
}

/// The items at or below their reorder threshold at any of `sites` (ids):
/// the one rule for "low stock", used by the CLI and the views.
pub fn low_stock_in<'a>(
    items: impl Iterator<Item = &'a ItemStock>,
    sites: &[&str],
) -> Vec<LowStock> {
    let mut out = Vec::new();
    for stock in items {
        if stock.item.deleted_at.is_some() {
            continue;
        }
        for site in sites {
            let Some(qty) = stock.on_hand.get(*site).copied() else {
                continue;
            };
            let threshold = stock.item.reorder_threshold(site);
            if qty <= threshold {
                out.push(LowStock {
                    item: stock.item.clone(),
                    site_id: site.to_string(),
                    on_hand: qty,
                    threshold,
                });
            }
        }
    }
    out
}

impl Store {
    /// Open tasks whose due date is before `today`, earliest due first.
    pub fn overdue_tasks(&self, today: Date) -> Result<Vec<Task>> {
        let today = today.to_string();
        let mut tasks = self.read(Task::AREA, |doc| {
            select::<Task, _>(doc, &["status", "due"], |f| {
                f[0].as_deref() != Some(TaskStatus::Done.as_str())
                    && f[1].as_deref().is_some_and(|due| due < today.as_str())
            })
        })?;
        tasks.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
        Ok(tasks)
    }

    /// Blocked tasks, longest blocked first.
    pub fn blocked_tasks(&self) -> Result<Vec<Task>> {
        let mut tasks = self.read(Task::AREA, |doc| {
            select::<Task, _>(doc, &["status"], |f| {
                f[0].as_deref() == Some(TaskStatus::Blocked.as_str())
            })
        })?;
        tasks.sort_by(|a, b| a.blocked_since.cmp(&b.blocked_since).then(a.id.cmp(&b.id)));
        Ok(tasks)
    }

    /// Tasks owned by `owner` (case-insensitive name match).
    pub fn tasks_by_owner(&self, owner: &str) -> Result<Vec<Task>> {
        self.read(Task::AREA, |doc| {
            select::<Task, _>(doc, &["owner"], |f| {
                f[0].as_deref()
                    .is_some_and(|o| crate::model::tasks::owner_matches(o, owner))
            })
        })
    }

    /// Items at or below their reorder threshold, per site, for every site
    /// the item is stocked at.
    pub fn low_stock(&self) -> Result<Vec<LowStock>> {
        let sites: Vec<String> = self
            .list::<Site>(false)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let sites: Vec<&str> = sites.iter().map(String::as_str).collect();
        let items = self.item_stock_listing(false)?.records;
        Ok(low_stock_in(items.iter(), &sites))
    }

    /// The renewal calendar: active contracts whose notice deadline falls
    /// within `days` of `today` (and whose term has not ended), soonest
    /// deadline first. One rule for the CLI, the app and the dashboard
    /// ([`renewal_calendar`]).
    pub fn contracts_renewing_within(&self, today: Date, days: i64) -> Result<Vec<Renewal>> {
        let contracts = self.list::<Contract>(false)?;
        Ok(renewal_calendar(contracts.iter(), today, days))
    }

    /// Purchase orders still open (draft or sent).
    pub fn open_purchase_orders(&self) -> Result<Vec<PurchaseOrder>> {
        self.read(PurchaseOrder::AREA, |doc| {
            select::<PurchaseOrder, _>(doc, &["status"], |f| {
                matches!(f[0].as_deref(), Some("draft" | "sent"))
            })
        })
    }

    /// Invoices not linked to a purchase order (and not paid).
    pub fn unmatched_invoices(&self) -> Result<Vec<Invoice>> {
        self.read(Invoice::AREA, |doc| {
            select::<Invoice, _>(doc, &["purchase_order", "status"], |f| {
                f[0].is_none() && f[1].as_deref() != Some("paid")
            })
        })
    }

    /// A live site by name (case-insensitive).
    /// The live site with this name (any case, surrounding spaces ignored).
    /// Two sites with one name (made on two offline devices) are refused
    /// with both ids, never picked at random.
    pub fn site_by_name(&self, name: &str) -> Result<Option<Site>> {
        let wanted = name.trim().to_lowercase();
        let mut found: Vec<Site> = self
            .list::<Site>(false)?
            .into_iter()
            .filter(|s| s.name.trim().to_lowercase() == wanted)
            .collect();
        match found.len() {
            0 | 1 => Ok(found.pop()),
            _ => Err(StoreError::Rejected(format!(
                "{} sites are named {name:?}: {}; rename one (bureau site rename ID NEW) or give the id",
                found.len(),
                found
                    .iter()
                    .map(|s| format!("{} ({})", s.name, s.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The site's id, or an error listing the known sites.
    pub fn resolve_site(&self, name: &str) -> Result<String> {
        if let Some(site) = self.get::<Site>(name.trim())?
            && site.deleted_at.is_none()
        {
            return Ok(site.id);
        }
        if let Some(site) = self.site_by_name(name)? {
            return Ok(site.id);
        }
        let known: Vec<String> = self
            .list::<Site>(false)?
            .into_iter()
            .map(|s| s.name)
            .collect();
        Err(StoreError::Rejected(format!(
            "no site named {name:?} (known sites: {})",
            if known.is_empty() {
                "none yet".into()
            } else {
                known.join(", ")
            }
        )))
    }

    /// The site's id, creating the site if it is new.
    pub fn ensure_site(&self, name: &str) -> Result<String> {
        if let Some(site) = self.site_by_name(name)? {
            return Ok(site.id);
        }
        self.create(Site {
            id: new_id(),
            name: name.trim().to_string(),
            ..Default::default()
        })
    }

    pub(crate) fn require_site(&self, site_id: &str) -> Result<Site> {
        self.require::<Site>(site_id)
    }
}
