//! Reordering: from what is low at each site, the draft purchase orders to
//! make, one per preferred vendor and site, with quantities that bring
//! stock back up to the reorder level plus a buffer (less what is already
//! on order). Items with no preferred vendor are listed apart.

use std::collections::BTreeMap;

use serde::Serialize;

use super::matching::LineProgress;
use super::orders::PurchaseOrder;
use super::{InventoryItem, Money, Record};

/// The default buffer above the reorder level, in percent of it.
pub const DEFAULT_BUFFER_PERCENT: i64 = 50;

/// An item low at a site (see `store::low_stock_in`).
pub struct Shortfall<'a> {
    pub item: &'a InventoryItem,
    pub site: &'a str,
    pub on_hand: i64,
    pub threshold: i64,
}

/// One item to order for one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub item: String,
    pub item_name: String,
    pub unit: String,
    pub site: String,
    pub on_hand: i64,
    pub threshold: i64,
    /// Outstanding on open orders to this site.
    pub on_order: i64,
    pub quantity: i64,
    /// The price paid last time, if the item was ever ordered.
    pub last_price: Option<Money>,
    pub last_tax_rate: i64,
}

/// A purchase order to draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftOrder {
    pub vendor: String,
    pub site: String,
    pub lines: Vec<Suggestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReorderPlan {
    pub orders: Vec<DraftOrder>,
    /// Low items with no preferred vendor (or one in the trash).
    pub without_vendor: Vec<Suggestion>,
}

/// Plans the reorder. `vendors`: ids of live vendors; `orders`: every order
/// (for what is on order and the last price paid); `progress`: an order's
/// lines with what arrived (see [`super::matching::Book::progress`]).
pub fn plan<'a>(
    low: impl IntoIterator<Item = Shortfall<'a>>,
    vendors: &[&str],
    orders: &[&PurchaseOrder],
    progress: &dyn Fn(&PurchaseOrder) -> std::sync::Arc<Vec<LineProgress>>,
    buffer_percent: i64,
) -> ReorderPlan {
    let mut on_order: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    let mut last_price: BTreeMap<&str, (&str, Money, i64)> = BTreeMap::new();
    for po in orders.iter().filter(|p| !p.is_deleted()) {
        for line in po.lines.values() {
            if let Some(item) = &line.item {
                let newer = last_price
                    .get(item.as_str())
                    .is_none_or(|(id, _, _)| *id < po.id.as_str());
                if newer {
                    last_price.insert(item, (&po.id, line.unit_price.clone(), line.tax_rate));
                }
            }
        }
        if !po.is_open() {
            continue;
        }
        let Some(site) = po.site.as_deref() else {
            continue;
        };
        for progress in progress(po).iter() {
            if let Some(item) = po.lines.get(&progress.line).and_then(|l| l.item.as_deref()) {
                let sum = on_order.entry((item, site)).or_default();
                *sum = sum.saturating_add(progress.outstanding());
            }
        }
    }
    let mut out = ReorderPlan::default();
    let mut by_vendor: BTreeMap<(String, String), Vec<Suggestion>> = BTreeMap::new();
    for low in low {
        let buffer = low
            .threshold
            .saturating_mul(buffer_percent.max(0))
            .saturating_add(99)
            / 100;
        let target = low.threshold.saturating_add(buffer.max(1));
        let ordered = on_order
            .get(&(low.item.id.as_str(), low.site))
            .copied()
            .unwrap_or(0);
        let quantity = target
            .saturating_sub(low.on_hand.max(0))
            .saturating_sub(ordered);
        if quantity <= 0 {
            continue;
        }
        let last = last_price.get(low.item.id.as_str());
        let suggestion = Suggestion {
            item: low.item.id.clone(),
            item_name: low.item.name.clone(),
            unit: low.item.unit.clone(),
            site: low.site.to_string(),
            on_hand: low.on_hand,
            threshold: low.threshold,
            on_order: ordered,
            quantity,
            last_price: last.map(|(_, m, _)| m.clone()),
            last_tax_rate: last.map_or(0, |(_, _, t)| *t),
        };
        match low
            .item
            .preferred_vendor
            .as_deref()
            .filter(|v| vendors.contains(v))
        {
            Some(vendor) => by_vendor
                .entry((vendor.to_string(), low.site.to_string()))
                .or_default()
                .push(suggestion),
            None => out.without_vendor.push(suggestion),
        }
    }
    out.orders = by_vendor
        .into_iter()
        .map(|((vendor, site), mut lines)| {
            lines.sort_by(|a, b| a.item_name.cmp(&b.item_name));
            DraftOrder {
                vendor,
                site,
                lines,
            }
        })
        .collect();
    out.without_vendor
        .sort_by(|a, b| (&a.item_name, &a.site).cmp(&(&b.item_name, &b.site)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::matching::Tolerance;

    #[test]
    fn suggests_up_to_the_level_plus_a_buffer_grouped_by_vendor() {
        let paper = InventoryItem {
            id: "paper".into(),
            name: "Paper".into(),
            unit: "box".into(),
            preferred_vendor: Some("acme".into()),
            ..Default::default()
        };
        let pens = InventoryItem {
            id: "pens".into(),
            name: "Pens".into(),
            unit: "pack".into(),
            ..Default::default()
        };
        let book = crate::model::matching::Book::new([], [], [], [], Tolerance::default());
        let low = vec![
            Shortfall {
                item: &paper,
                site: "hq",
                on_hand: 2,
                threshold: 10,
            },
            Shortfall {
                item: &pens,
                site: "hq",
                on_hand: 0,
                threshold: 3,
            },
        ];
        let plan = plan(low, &["acme"], &[], &|po| book.progress(po).into(), 50);
        assert_eq!(plan.orders.len(), 1);
        assert_eq!(plan.orders[0].vendor, "acme");
        // Up to 10 + 5, from 2.
        assert_eq!(plan.orders[0].lines[0].quantity, 13);
        assert_eq!(plan.without_vendor.len(), 1);
        // Up to 3 + 2 (rounded up), from 0.
        assert_eq!(plan.without_vendor[0].quantity, 5);
    }
}
