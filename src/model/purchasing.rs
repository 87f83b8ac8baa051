//! Vendors, contracts, purchase orders, receipts and invoices.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Date, Money, string_enum};

/// A person to call at a vendor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
}

record! {
    pub struct Vendor ("vendors" in Purchasing) {
        pub name: String,
        pub category: Option<String>,
        /// Contacts keyed by id.
        pub contacts: BTreeMap<String, Contact>,
        pub notes: String,
    }
    validate(v) {
        require_text("vendor name", &v.name)?;
        check_len("notes", &v.notes, 20_000)
    }
}

record! {
    /// A service or supply agreement with a vendor.
    pub struct Contract ("contracts" in Purchasing) {
        pub vendor: String,
        pub title: String,
        pub start: Date,
        pub end: Option<Date>,
        pub renewal_date: Option<Date>,
        /// Days of notice needed to cancel before renewal.
        pub notice_days: i64,
        pub auto_renew: bool,
        pub annual_value: Money,
    }
    validate(c) {
        require_text("vendor", &c.vendor)?;
        require_text("contract title", &c.title)?;
        if c.notice_days < 0 {
            return Err(ValidationError::new("notice period", "must be 0 or more days"));
        }
        if c.end.is_some_and(|e| e < c.start) {
            return Err(ValidationError::new("end", "must not be before the start date"));
        }
        if !c.annual_value.is_valid() {
            return Err(ValidationError::new("annual value", "needs a 3-letter currency code"));
        }
        Ok(())
    }
}

impl Contract {
    /// Last day to give notice before the renewal date.
    pub fn notice_deadline(&self) -> Option<Date> {
        self.renewal_date.map(|d| d.add_days(-self.notice_days))
    }
}

string_enum! {
    pub enum PoStatus { Draft = "draft", Approved = "approved", Ordered = "ordered", Received = "received", Closed = "closed" }
}

/// One line on a purchase order or invoice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct OrderLine {
    pub description: String,
    /// Inventory item id, when the line buys stock.
    pub item: Option<String>,
    pub quantity: i64,
    pub unit_price: Money,
    /// Sortable position set by the user.
    pub order: i64,
}

impl OrderLine {
    pub fn total_minor(&self) -> i64 {
        self.quantity.saturating_mul(self.unit_price.minor)
    }
}

fn validate_lines(lines: &BTreeMap<String, OrderLine>) -> Result<(), ValidationError> {
    for line in lines.values() {
        require_text("line description", &line.description)?;
        if line.quantity <= 0 {
            return Err(ValidationError::new("line quantity", "must be more than 0"));
        }
        if line.unit_price.minor < 0 || !line.unit_price.is_valid() {
            return Err(ValidationError::new(
                "line unit price",
                "must be 0 or more with a currency code",
            ));
        }
    }
    Ok(())
}

record! {
    pub struct PurchaseOrder ("purchase_orders" in Purchasing) {
        pub number: String,
        pub vendor: String,
        pub site: Option<String>,
        pub lines: BTreeMap<String, OrderLine>,
        pub status: PoStatus,
        pub requested_by: String,
        pub approved_by: Option<String>,
        pub ordered_on: Option<Date>,
    }
    validate(p) {
        require_text("PO number", &p.number)?;
        require_text("vendor", &p.vendor)?;
        validate_lines(&p.lines)
    }
}

impl PurchaseOrder {
    pub fn total_minor(&self) -> i64 {
        self.lines.values().map(OrderLine::total_minor).sum()
    }

    pub fn is_open(&self) -> bool {
        self.deleted_at.is_none() && !matches!(self.status, PoStatus::Closed)
    }
}

/// Quantity received against one PO line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct ReceivedLine {
    pub po_line: String,
    pub quantity: i64,
}

record! {
    /// Goods received against a purchase order.
    pub struct Receipt ("receipts" in Purchasing) {
        pub purchase_order: String,
        pub received_on: Date,
        pub lines: BTreeMap<String, ReceivedLine>,
        pub notes: String,
    }
    validate(r) {
        require_text("purchase order", &r.purchase_order)?;
        if r.lines.values().any(|l| l.quantity <= 0) {
            return Err(ValidationError::new("received quantity", "must be more than 0"));
        }
        Ok(())
    }
}

string_enum! {
    pub enum InvoiceStatus { Received = "received", Matched = "matched", Approved = "approved", Paid = "paid", Disputed = "disputed" }
}

record! {
    pub struct Invoice ("invoices" in Purchasing) {
        pub vendor: String,
        pub number: String,
        pub date: Date,
        pub due: Option<Date>,
        pub lines: BTreeMap<String, OrderLine>,
        pub total: Money,
        /// The purchase order this invoice bills, once matched.
        pub purchase_order: Option<String>,
        pub status: InvoiceStatus,
    }
    validate(i) {
        require_text("vendor", &i.vendor)?;
        require_text("invoice number", &i.number)?;
        validate_lines(&i.lines)?;
        if !i.total.is_valid() {
            return Err(ValidationError::new("total", "needs a 3-letter currency code"));
        }
        Ok(())
    }
}

impl Invoice {
    pub fn is_unmatched(&self) -> bool {
        self.deleted_at.is_none()
            && self.purchase_order.is_none()
            && !matches!(self.status, InvoiceStatus::Paid)
    }
}

super::field_write::nested_fields!(Contact {
    name,
    email,
    phone,
    role
});
super::field_write::nested_fields!(OrderLine {
    description,
    item,
    quantity,
    unit_price,
    order
});
super::field_write::nested_fields!(ReceivedLine { po_line, quantity });
