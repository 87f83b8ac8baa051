//! Purchase orders, the goods received against them, and vendors'
//! invoices. Amounts are exact integers in minor units; every total is
//! computed with overflow checked and says so instead of wrapping.
//!
//! What changes as things arrive (received quantities, whether an invoice
//! matches) is never stored: it is computed from the records on every peer
//! the same way (see [`super::matching`]), so two sites working offline
//! agree as soon as they have the same records.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Date, Money, string_enum};

/// Basis points in one percent (a tax rate of 2000 is 20%).
pub const BASIS_POINTS_PER_PERCENT: i64 = 100;

/// One line on a purchase order or invoice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct OrderLine {
    pub description: String,
    /// Inventory item id, when the line buys stock.
    pub item: Option<String>,
    pub quantity: i64,
    pub unit_price: Money,
    /// Tax in basis points: 2000 is 20%.
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub tax_rate: i64,
    /// Position on the order.
    pub order: i64,
}

/// An amount too large to add up.
fn overflow(what: &str) -> ValidationError {
    ValidationError::new("total", format!("{what} is too large to add up"))
}

impl OrderLine {
    /// Quantity × unit price, before tax.
    pub fn net_minor(&self) -> Result<i64, ValidationError> {
        self.quantity
            .checked_mul(self.unit_price.minor)
            .ok_or_else(|| overflow(&format!("line “{}”", self.description)))
    }

    /// The tax on `net` at this line's rate, rounded half away from zero.
    pub fn tax_on(&self, net: i64) -> Result<i64, ValidationError> {
        let scaled = i128::from(net) * i128::from(self.tax_rate);
        let per = i128::from(100 * BASIS_POINTS_PER_PERCENT);
        let rounded = (scaled + scaled.signum() * per / 2) / per;
        i64::try_from(rounded).map_err(|_| overflow("the tax"))
    }

    /// Net plus tax.
    pub fn gross_minor(&self) -> Result<i64, ValidationError> {
        let net = self.net_minor()?;
        net.checked_add(self.tax_on(net)?)
            .ok_or_else(|| overflow(&format!("line “{}”", self.description)))
    }

    /// "4.10".
    pub fn price_text(&self) -> String {
        amount_text(self.unit_price.minor)
    }
}

/// Minor units as "1234.50" (no currency).
pub fn amount_text(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Reads a percentage ("20", "20%", "5.5") as basis points (2000, 550).
pub fn parse_percent(text: &str) -> Result<i64, String> {
    let typed = text.trim().trim_end_matches('%').trim();
    let bad = || format!("{text:?} is not a percentage; type e.g. 20 or 5.5");
    let value = Money::parse(typed, "XXX").map_err(|_| bad())?;
    if !(0..=100 * 100).contains(&value.minor) {
        return Err(format!("{text:?}: a percentage from 0 to 100"));
    }
    Ok(value.minor)
}

/// Sums gross line totals, refusing an overflow.
pub fn lines_total(lines: &BTreeMap<String, OrderLine>) -> Result<i64, ValidationError> {
    lines.values().try_fold(0i64, |sum, line| {
        sum.checked_add(line.gross_minor()?)
            .ok_or_else(|| overflow("the order"))
    })
}

/// The lines in the order people put them.
pub fn ordered_lines(lines: &BTreeMap<String, OrderLine>) -> Vec<(&String, &OrderLine)> {
    let mut out: Vec<_> = lines.iter().collect();
    out.sort_by_key(|(id, l)| (l.order, (*id).clone()));
    out
}

fn validate_lines(lines: &BTreeMap<String, OrderLine>) -> Result<(), ValidationError> {
    let mut currency: Option<&str> = None;
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
        if !(0..=100 * 100).contains(&line.tax_rate) {
            return Err(ValidationError::new("line tax", "must be 0% to 100%"));
        }
        match currency {
            Some(c) if c != line.unit_price.currency => {
                return Err(ValidationError::new(
                    "line unit price",
                    "every line must be in the same currency",
                ));
            }
            _ => currency = Some(&line.unit_price.currency),
        }
    }
    lines_total(lines).map(|_| ())
}

string_enum! {
    /// What people decided about an order. Receiving progress (partly or
    /// fully received) is computed from receipts, never stored.
    pub enum PoStatus { Draft = "draft", Sent = "sent", Closed = "closed", Cancelled = "cancelled" }
}

record! {
    pub struct PurchaseOrder ("purchase_orders" in Purchasing) {
        /// "PO-3F-0042": this device's series and its next number (see
        /// `ops::numbers`), so two offline devices never give out the same.
        pub number: String,
        pub vendor: String,
        /// Ship-to site id.
        pub site: Option<String>,
        pub lines: BTreeMap<String, OrderLine>,
        pub status: PoStatus,
        pub requested_by: String,
        /// When it was sent to the vendor.
        pub sent_on: Option<Date>,
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub notes: String,
    }
    validate(p) {
        require_text("PO number", &p.number)?;
        require_text("vendor", &p.vendor)?;
        check_len("notes", &p.notes, 20_000)?;
        validate_lines(&p.lines)
    }
}

impl PurchaseOrder {
    /// Net plus tax of every line.
    pub fn total(&self) -> Result<Money, ValidationError> {
        Ok(Money::new(lines_total(&self.lines)?, self.currency()))
    }

    /// The currency of the lines ("" with no lines).
    pub fn currency(&self) -> &str {
        self.lines
            .values()
            .next()
            .map_or("", |l| l.unit_price.currency.as_str())
    }

    /// Still expecting goods or an invoice: not closed, cancelled or deleted.
    pub fn is_open(&self) -> bool {
        self.deleted_at.is_none() && matches!(self.status, PoStatus::Draft | PoStatus::Sent)
    }
}

/// Quantity received against one PO line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct ReceivedLine {
    pub po_line: String,
    pub quantity: i64,
}

record! {
    /// Goods received against a purchase order at a site.
    pub struct Receipt ("receipts" in Purchasing) {
        pub purchase_order: String,
        /// Where the goods arrived (site id); stock is added there.
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub site: String,
        pub received_on: Date,
        /// Keyed by PO line id.
        pub lines: BTreeMap<String, ReceivedLine>,
        /// The other receipts of this PO the person recording saw: a receipt
        /// made without seeing an identical one is a possible duplicate.
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub seen: Vec<String>,
        /// Someone checked: this is a second delivery, not a duplicate.
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub not_duplicate: bool,
        pub notes: String,
    }
    validate(r) {
        require_text("purchase order", &r.purchase_order)?;
        if r.lines.is_empty() {
            return Err(ValidationError::new("received lines", "receive at least one line"));
        }
        if r.lines.values().any(|l| l.quantity <= 0) {
            return Err(ValidationError::new("received quantity", "must be more than 0"));
        }
        check_len("notes", &r.notes, 20_000)
    }
}

string_enum! {
    /// What people decided about an invoice. Whether it matches its order
    /// and receipts is computed, never stored.
    pub enum InvoiceStatus { Received = "received", Approved = "approved", Paid = "paid", Disputed = "disputed" }
}

record! {
    pub struct Invoice ("invoices" in Purchasing) {
        pub vendor: String,
        /// The vendor's invoice number (unique per vendor).
        pub number: String,
        pub date: Date,
        pub due: Option<Date>,
        /// What is billed line by line (or only `total`).
        pub lines: BTreeMap<String, OrderLine>,
        /// Gross total; the lines' sum when there are lines.
        pub total: Money,
        /// The purchase order this invoice bills.
        pub purchase_order: Option<String>,
        pub status: InvoiceStatus,
        /// Why it was approved despite a discrepancy.
        pub approval_note: Option<String>,
        pub paid_on: Option<Date>,
        /// The budget category its spend counts against (the vendor's
        /// category when empty).
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub budget_category: String,
    }
    validate(i) {
        require_text("vendor", &i.vendor)?;
        require_text("invoice number", &i.number)?;
        validate_lines(&i.lines)?;
        if !i.total.is_valid() || i.total.minor < 0 {
            return Err(ValidationError::new("total", "must be 0 or more with a 3-letter currency code"));
        }
        if !i.lines.is_empty() && lines_total(&i.lines)? != i.total.minor {
            return Err(ValidationError::new("total", "must be the sum of the lines"));
        }
        if i.due.is_some_and(|d| d < i.date) {
            return Err(ValidationError::new("due", "must not be before the invoice date"));
        }
        Ok(())
    }
}

impl Receipt {
    /// Everything received on this receipt (saturating: quantities come
    /// from peers too).
    pub fn total_quantity(&self) -> i64 {
        self.lines
            .values()
            .fold(0i64, |sum, l| sum.saturating_add(l.quantity))
    }
}

impl Invoice {
    /// Not yet paid and not deleted.
    pub fn is_open(&self) -> bool {
        self.deleted_at.is_none() && self.status != InvoiceStatus::Paid
    }
}

super::field_write::nested_fields!(OrderLine {
    description,
    item,
    quantity,
    unit_price,
    tax_rate,
    order
});
super::field_write::nested_fields!(ReceivedLine { po_line, quantity });

super::schema::describe! {
    PurchaseOrder, label: "purchase order", title: "Purchase orders", name: number,
    unique_name: true,
    fields {
        number: "Number", Text, required, column, own_place;
        vendor: "Vendor", Reference("vendors"), required, column;
        site: "Ship to", Reference("sites"), column;
        status: "Status", Choice(PoStatus::NAMES), column, own_place;
        requested_by: "Requested by", Text, column;
        sent_on: "Sent on", Date, column;
        notes: "Notes", LongText;
    }
    after_edit(po, before, at) {
        // Sending an order dates it (for "awaiting delivery for N days").
        if po.status == PoStatus::Sent && before.status != PoStatus::Sent && po.sent_on.is_none() {
            po.sent_on = Some(at.local_date());
        }
        None
    }
}

super::schema::describe! {
    Receipt, label: "receipt", title: "Receipts", name: id,
    fields {
        received_on: "Received on", Date, column;
        not_duplicate: "Not a duplicate", Flag;
        notes: "Notes", LongText;
    }
}

super::schema::describe! {
    Invoice, label: "invoice", title: "Invoices", name: number,
    fields {
        number: "Number", Text, required, column;
        vendor: "Vendor", Reference("vendors"), required, column;
        date: "Date", Date, required, column;
        due: "Due", Date, column;
        purchase_order: "Purchase order", Reference("purchase_orders"), column;
        status: "Status", Choice(InvoiceStatus::NAMES), column, own_place;
        budget_category: "Budget category", Text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(qty: i64, price: i64, tax: i64) -> OrderLine {
        OrderLine {
            description: "Paper".into(),
            quantity: qty,
            unit_price: Money::new(price, "EUR"),
            tax_rate: tax,
            ..Default::default()
        }
    }

    #[test]
    fn totals_are_exact_and_overflow_is_refused() {
        assert_eq!(line(10, 395, 0).gross_minor().unwrap(), 3950);
        // 20% of 3.33 is 0.666: rounds to 0.67.
        assert_eq!(line(1, 333, 2000).gross_minor().unwrap(), 400);
        assert!(line(i64::MAX, 2, 0).gross_minor().is_err());
        let mut lines = BTreeMap::new();
        lines.insert("a".into(), line(i64::MAX / 100, 100, 0));
        lines.insert("b".into(), line(i64::MAX / 100, 100, 0));
        assert!(lines_total(&lines).is_err());
    }
}
