//! Stock on hand: one Automerge counter per item per site (`on_hand` map in
//! the item's own map), changed only by increments, so concurrent
//! adjustments on different devices add up. Every change is logged as a
//! [`StockMovement`] in the same transaction.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, ScalarValue, Value};

use super::records::{Listing, Unreadable, hydrate_record, kind_map_mut, singular};
use super::{Result, Store, StoreError, kind_map};
use crate::model::{InventoryItem, MovementKind, Record, StockMovement, ValidationError, new_id};

/// An item with its on-hand quantity at each site (site id -> quantity).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ItemStock {
    #[serde(flatten)]
    pub item: InventoryItem,
    pub on_hand: BTreeMap<String, i64>,
}

/// One line of a receipt's stock change (see [`Store::receipt_stock`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptMove {
    pub movement_id: String,
    pub item: String,
    pub site: String,
    pub delta: i64,
    /// "received PO-3F-0042".
    pub reason: String,
}

/// What a stock change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockChange {
    pub movement_id: String,
    pub before: i64,
    pub after: i64,
}

const ON_HAND: &str = "on_hand";

/// Reads the on-hand quantities of the item map `item_obj`. If two devices
/// created the same site's counter concurrently, both counters are kept by
/// Automerge as a conflict; their values are summed so no increment is lost.
pub(crate) fn read_on_hand<D: ReadDoc>(
    doc: &D,
    item_obj: &automerge::ObjId,
) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    let Ok(Some((Value::Object(ObjType::Map), on_hand))) = doc.get(item_obj, ON_HAND) else {
        return out;
    };
    for site in doc.keys(&on_hand) {
        let total = doc
            .get_all(&on_hand, site.as_str())
            .unwrap_or_default()
            .iter()
            .map(|(v, _)| match v {
                Value::Scalar(s) => match s.as_ref() {
                    ScalarValue::Counter(c) => i64::from(c),
                    ScalarValue::Int(i) => *i,
                    _ => 0,
                },
                _ => 0,
            })
            .sum();
        out.insert(site, total);
    }
    out
}

fn item_obj<D: ReadDoc>(doc: &D, item_id: &str) -> Result<automerge::ObjId> {
    let items = kind_map(doc, InventoryItem::KIND).ok_or_else(|| not_found(item_id))?;
    match doc.get(&items, item_id)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(not_found(item_id)),
    }
}

/// The item's map, refusing an item in the trash (its stock is frozen).
fn live_item_obj<D: ReadDoc>(doc: &D, item_id: &str) -> Result<automerge::ObjId> {
    let obj = item_obj(doc, item_id)?;
    if super::records::is_deleted(doc, &obj) {
        return Err(StoreError::Rejected(format!(
            "item {item_id} is in the trash; restore it first"
        )));
    }
    Ok(obj)
}

fn not_found(item_id: &str) -> StoreError {
    StoreError::NotFound {
        kind: singular(InventoryItem::KIND),
        id: item_id.to_string(),
    }
}

/// Adds `delta` to the item's counter at `site_id`, creating it if needed.
fn increment(
    tx: &mut Transaction<'_>,
    item: &automerge::ObjId,
    site_id: &str,
    delta: i64,
) -> Result<()> {
    let on_hand = match tx.get(item, ON_HAND)? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => tx.put_object(item, ON_HAND, ObjType::Map)?,
    };
    match tx.get(&on_hand, site_id)? {
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Counter(_)) => {
            if delta != 0 {
                tx.increment(&on_hand, site_id, delta)?;
            }
        }
        _ => tx.put(&on_hand, site_id, ScalarValue::counter(delta))?,
    }
    Ok(())
}

impl Store {
    /// Creates an item; with `initial = Some((site_id, qty))` also records the
    /// opening stock there, all in one commit.
    pub fn create_item(
        &self,
        mut item: InventoryItem,
        initial: Option<(&str, i64)>,
    ) -> Result<String> {
        item.validate()?;
        if let Some((site, qty)) = initial {
            self.require_site(site)?;
            if qty < 0 {
                return Err(ValidationError::new("quantity", "must be 0 or more").into());
            }
        }
        let id = item.id.clone();
        self.change(
            InventoryItem::AREA,
            &format!("create item {id}"),
            |tx, audit| {
                let items = kind_map_mut(tx, InventoryItem::KIND)?;
                item.touch(audit, true);
                autosurgeon::reconcile_prop(tx, &items, id.as_str(), &item)?;
                let obj = item_obj(&*tx, &id)?;
                if let Some((site, qty)) = initial {
                    increment(tx, &obj, site, qty)?;
                    log_movement(tx, audit, &id, site, MovementKind::Initial, qty, None, None)?;
                }
                Ok(())
            },
        )?;
        Ok(id)
    }

    /// Creates an item with opening stock at the site *named* `site`,
    /// creating the site if it is new. Everything is checked first, so bad
    /// input creates neither the site nor the item.
    pub fn create_item_at(&self, item: InventoryItem, site: Option<(&str, i64)>) -> Result<String> {
        item.validate()?;
        if site.is_some_and(|(_, qty)| qty < 0) {
            return Err(ValidationError::new("quantity", "must be 0 or more").into());
        }
        let site = match site.filter(|(name, _)| !name.trim().is_empty()) {
            Some((name, qty)) => Some((self.ensure_site(name)?, qty)),
            None => None,
        };
        self.create_item(item, site.as_ref().map(|(id, qty)| (id.as_str(), *qty)))
    }

    /// Adds `delta` (negative to take stock out) at a site, logged with a reason.
    pub fn adjust_stock(
        &self,
        item_id: &str,
        site_id: &str,
        delta: i64,
        reason: Option<&str>,
    ) -> Result<StockChange> {
        self.require_site(site_id)?;
        if delta == 0 {
            return Err(ValidationError::new("--by", "must not be 0").into());
        }
        self.stock_change(
            item_id,
            site_id,
            "adjust stock",
            |_| Ok((MovementKind::Adjust, delta, None)),
            reason,
        )
    }

    /// Records a physical count: applies the difference between `counted` and
    /// what this device currently sees, and logs the count.
    pub fn count_stock(&self, item_id: &str, site_id: &str, counted: i64) -> Result<StockChange> {
        self.require_site(site_id)?;
        if counted < 0 {
            return Err(ValidationError::new("--counted", "must be 0 or more").into());
        }
        self.stock_change(
            item_id,
            site_id,
            "count stock",
            |before| Ok((MovementKind::Count, counted - before, Some(counted))),
            Some("stock count"),
        )
    }

    fn stock_change(
        &self,
        item_id: &str,
        site_id: &str,
        action: &str,
        plan: impl FnOnce(i64) -> Result<(MovementKind, i64, Option<i64>)>,
        reason: Option<&str>,
    ) -> Result<StockChange> {
        self.change(
            InventoryItem::AREA,
            &format!("{action} {item_id}"),
            |tx, audit| {
                let obj = live_item_obj(&*tx, item_id)?;
                let before = read_on_hand(&*tx, &obj).get(site_id).copied().unwrap_or(0);
                let (kind, delta, counted) = plan(before)?;
                increment(tx, &obj, site_id, delta)?;
                let movement_id =
                    log_movement(tx, audit, item_id, site_id, kind, delta, counted, reason)?;
                Ok(StockChange {
                    movement_id,
                    before,
                    after: before + delta,
                })
            },
        )
    }

    /// Moves `qty` of an item from one site to another in one commit: two
    /// counter increments and a movement at each site.
    pub fn transfer_stock(&self, item_id: &str, from: &str, to: &str, qty: i64) -> Result<()> {
        let from_site = self.require_site(from)?;
        let to_site = self.require_site(to)?;
        if qty <= 0 {
            return Err(ValidationError::new("quantity", "must be more than 0").into());
        }
        if from == to {
            return Err(
                ValidationError::new("to", "pick a different site to move stock to").into(),
            );
        }
        self.change(
            InventoryItem::AREA,
            &format!("transfer stock {item_id}"),
            |tx, audit| {
                let obj = live_item_obj(&*tx, item_id)?;
                increment(tx, &obj, from, -qty)?;
                increment(tx, &obj, to, qty)?;
                let out = format!("to {}", to_site.name);
                let into = format!("from {}", from_site.name);
                let kind = MovementKind::Transfer;
                log_movement(tx, audit, item_id, from, kind, -qty, None, Some(&out))?;
                log_movement(tx, audit, item_id, to, kind, qty, None, Some(&into))?;
                Ok(())
            },
        )
    }

    /// Moves every item's stock at `from` to `to` in one commit (merging two
    /// sites); returns what moved. Running it again moves nothing.
    pub fn move_all_stock(&self, from: &str, to: &str) -> Result<Vec<(String, i64)>> {
        let to_site = self.require_site(to)?;
        if from == to {
            return Err(ValidationError::new("into", "pick a different site to merge into").into());
        }
        self.change(InventoryItem::AREA, "merge site stock", |tx, audit| {
            let Some(items) = kind_map(&*tx, InventoryItem::KIND) else {
                return Ok(Vec::new());
            };
            let mut moved = Vec::new();
            for (id, obj) in super::fast_read::child_maps(&*tx, &items) {
                let qty = read_on_hand(&*tx, &obj).get(from).copied().unwrap_or(0);
                if qty == 0 {
                    continue;
                }
                increment(tx, &obj, from, -qty)?;
                increment(tx, &obj, to, qty)?;
                let note = format!("site merged into {}", to_site.name);
                let kind = MovementKind::Transfer;
                log_movement(tx, audit, &id, from, kind, -qty, None, Some(&note))?;
                log_movement(tx, audit, &id, to, kind, qty, None, Some(&note))?;
                moved.push((id, qty));
            }
            Ok(moved)
        })
    }

    /// One item with its stock levels.
    pub fn item_stock(&self, item_id: &str) -> Result<ItemStock> {
        self.read(InventoryItem::AREA, |doc| {
            let item: InventoryItem =
                hydrate_record(doc, item_id)?.ok_or_else(|| not_found(item_id))?;
            let on_hand = read_on_hand(doc, &item_obj(doc, item_id)?);
            Ok(ItemStock { item, on_hand })
        })
    }

    /// Every readable item with its stock levels, oldest first.
    pub fn list_item_stock(&self, include_deleted: bool) -> Result<Vec<ItemStock>> {
        Ok(self.item_stock_listing(include_deleted)?.records)
    }

    /// Every item with its stock levels, and the items that could not be read.
    pub fn item_stock_listing(&self, include_deleted: bool) -> Result<Listing<ItemStock>> {
        self.read(InventoryItem::AREA, |doc| {
            let mut out = Listing::default();
            let Some(items) = kind_map(doc, InventoryItem::KIND) else {
                return Ok(out);
            };
            for (id, obj) in super::fast_read::child_maps(doc, &items) {
                if !include_deleted && super::records::is_deleted(doc, &obj) {
                    continue;
                }
                match super::fast_read::read_record::<InventoryItem, _>(doc, &obj) {
                    Ok(item) => {
                        let on_hand = read_on_hand(doc, &obj);
                        out.records.push(ItemStock { item, on_hand });
                    }
                    Err(e) => out.unreadable.push(Unreadable {
                        kind: InventoryItem::KIND,
                        id,
                        reason: e.to_string(),
                    }),
                }
            }
            Ok(out)
        })
    }

    /// Adds (or with negative quantities takes back) the stock of a
    /// receipt in one commit: one counter increment and one movement per
    /// line, under movement ids fixed by the caller. A line whose movement
    /// already exists is not applied again, so running it again after a
    /// crash changes nothing twice; a line whose item or site is in the
    /// trash is left out (its stock is frozen). Returns the lines in effect.
    pub fn receipt_stock(&self, action: &str, moves: &[ReceiptMove]) -> Result<Vec<ReceiptMove>> {
        // A site in the trash (meanwhile, on another device) takes no stock.
        let moves: Vec<&ReceiptMove> = moves
            .iter()
            .filter(|m| self.require_site(&m.site).is_ok())
            .collect();
        self.change(InventoryItem::AREA, action, |tx, audit| {
            let mut applied = Vec::new();
            for m in moves {
                let log = kind_map_mut(tx, StockMovement::KIND)?;
                if tx.get(&log, m.movement_id.as_str())?.is_some() {
                    applied.push(m.clone());
                    continue;
                }
                let Ok(obj) = live_item_obj(&*tx, &m.item) else {
                    continue;
                };
                increment(tx, &obj, &m.site, m.delta)?;
                let mut movement = StockMovement {
                    id: m.movement_id.clone(),
                    item: m.item.clone(),
                    site: m.site.clone(),
                    kind: MovementKind::Receipt,
                    delta: m.delta,
                    reason: Some(m.reason.clone()),
                    ..Default::default()
                };
                movement.validate()?;
                movement.touch(audit, true);
                autosurgeon::reconcile_prop(tx, &log, movement.id.as_str(), &movement)?;
                applied.push(m.clone());
            }
            Ok(applied)
        })
    }

    /// The movement log of one item, oldest first.
    pub fn movements(&self, item_id: &str) -> Result<Vec<StockMovement>> {
        Ok(self
            .list::<StockMovement>(false)?
            .into_iter()
            .filter(|m| m.item == item_id)
            .collect())
    }
}

#[allow(clippy::too_many_arguments)]
fn log_movement(
    tx: &mut Transaction<'_>,
    audit: &crate::model::Audit,
    item: &str,
    site: &str,
    kind: MovementKind,
    delta: i64,
    counted: Option<i64>,
    reason: Option<&str>,
) -> Result<String> {
    let mut movement = StockMovement {
        id: new_id(),
        item: item.to_string(),
        site: site.to_string(),
        kind,
        delta,
        counted,
        reason: reason.map(str::to_string),
        ..Default::default()
    };
    movement.validate()?;
    movement.touch(audit, true);
    let map = kind_map_mut(tx, StockMovement::KIND)?;
    autosurgeon::reconcile_prop(tx, &map, movement.id.as_str(), &movement)?;
    Ok(movement.id)
}
