//! Supplies kept at sites, and the log of every stock movement.
//!
//! On-hand quantities are Automerge counters owned by the store (a map
//! `on_hand: {site_id: counter}` inside each item's map), so concurrent
//! adjustments add up. They are deliberately not a field of
//! [`InventoryItem`]: reconciling the struct can never overwrite a counter.

use std::collections::BTreeMap;

use super::record::{ValidationError, check_len, record, require_text};
use super::values::string_enum;

record! {
    /// A supply item such as printer paper or toner.
    pub struct InventoryItem ("items" in Inventory) {
        pub name: String,
        pub sku: Option<String>,
        /// Counting unit, e.g. "box", "pack", "each".
        pub unit: String,
        pub category: Option<String>,
        /// Reorder when on hand falls to this level, at any site without an override.
        pub reorder_at: i64,
        /// Per-site reorder thresholds, keyed by site id.
        pub reorder_at_site: BTreeMap<String, i64>,
        /// Preferred vendor id.
        pub preferred_vendor: Option<String>,
    }
    validate(i) {
        require_text("item name", &i.name)?;
        require_text("unit", &i.unit)?;
        check_len("sku", i.sku.as_deref().unwrap_or(""), 100)?;
        if i.reorder_at < 0 || i.reorder_at_site.values().any(|v| *v < 0) {
            return Err(ValidationError::new("reorder threshold", "must be 0 or more"));
        }
        Ok(())
    }
}

impl InventoryItem {
    pub fn reorder_threshold(&self, site_id: &str) -> i64 {
        self.reorder_at_site
            .get(site_id)
            .copied()
            .unwrap_or(self.reorder_at)
    }
}

string_enum! {
    pub enum MovementKind { Adjust = "adjust", Count = "count", Initial = "initial", Receipt = "receipt", Transfer = "transfer" }
}

record! {
    /// One change to stock at a site: an adjustment, a count or a delivery.
    pub struct StockMovement ("movements" in Inventory) {
        pub item: String,
        pub site: String,
        pub kind: MovementKind,
        /// Change applied to the on-hand counter.
        pub delta: i64,
        /// For counts: the number counted.
        pub counted: Option<i64>,
        pub reason: Option<String>,
    }
    validate(m) {
        require_text("item", &m.item)?;
        require_text("site", &m.site)?;
        check_len("reason", m.reason.as_deref().unwrap_or(""), 500)
    }
}

super::schema::describe! {
    InventoryItem, label: "item", title: "Inventory", name: name,
    unique_name: true,
    fields {
        name: "Name", Text, required, column;
        unit: "Unit", Text, required, column;
        reorder_at: "Reorder at", Int, column;
        sku: "SKU", Text, column;
        category: "Category", Text;
        preferred_vendor: "Preferred vendor", Reference("vendors");
    }
}
