//! The purchasing ledger as computed facts: how much of each order line has
//! arrived, which receipts look like the same delivery recorded twice, and
//! the three-way match of every invoice (ordered vs received vs invoiced).
//!
//! Nothing here is stored. Every peer computes it from the same records in
//! the same way, so a receipt made at the Warehouse and an invoice entered at
//! HQ while both were offline give one answer on both machines once they
//! have synced. The CLI and the app's views both build a [`Book`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::orders::{Invoice, InvoiceStatus, OrderLine, PoStatus, PurchaseOrder, Receipt};
use super::orders::{amount_text, ordered_lines};
use super::schema::same_name;
use super::{Record, Vendor};

/// How far an invoiced amount may be from the expected one and still match:
/// within `percent_bp` (basis points of the expected amount) *or* within
/// `absolute_minor` (minor units), whichever allows more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tolerance {
    pub percent_bp: i64,
    pub absolute_minor: i64,
}

impl Default for Tolerance {
    /// 1% or 1.00, whichever is more.
    fn default() -> Self {
        Tolerance {
            percent_bp: 100,
            absolute_minor: 100,
        }
    }
}

impl Tolerance {
    pub fn allows(&self, expected: i64, actual: i64) -> bool {
        let diff = (i128::from(actual) - i128::from(expected)).abs();
        diff <= i128::from(self.absolute_minor.max(0))
            || diff * 10_000 <= i128::from(expected).abs() * i128::from(self.percent_bp.max(0))
    }

    /// "1% or 1.00".
    pub fn describe(&self) -> String {
        format!(
            "{}% or {}",
            percent_text(self.percent_bp),
            amount_text(self.absolute_minor)
        )
    }
}

/// One order line's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineProgress {
    pub line: String,
    pub description: String,
    pub item: Option<String>,
    pub ordered: i64,
    pub received: i64,
}

impl LineProgress {
    pub fn outstanding(&self) -> i64 {
        self.ordered.saturating_sub(self.received).max(0)
    }
}

/// Whether an invoice agrees with its order and what arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchState {
    Matched,
    Discrepancy,
    /// No purchase order linked: nothing to match against.
    NoOrder,
}

impl MatchState {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchState::Matched => "matched",
            MatchState::Discrepancy => "discrepancy",
            MatchState::NoOrder => "no purchase order",
        }
    }
}

/// One order line side by side: ordered, received, invoiced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchLine {
    pub description: String,
    pub ordered: i64,
    pub received: i64,
    /// On every invoice of the order so far.
    pub invoiced: i64,
    pub ordered_price: Option<i64>,
    pub invoiced_price: Option<i64>,
    /// This line is where a reason comes from.
    pub problem: bool,
}

/// The three-way match of one invoice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceMatch {
    pub state: MatchState,
    /// "Copy paper: invoiced 10, received 6", "price 4.10 vs 3.95".
    pub reasons: Vec<String>,
    pub lines: Vec<MatchLine>,
}

/// The purchasing records, indexed for the questions above.
pub struct Book<'a> {
    orders: BTreeMap<&'a str, &'a PurchaseOrder>,
    receipts: BTreeMap<&'a str, Vec<&'a Receipt>>,
    invoices: BTreeMap<&'a str, Vec<&'a Invoice>>,
    all_invoices: Vec<&'a Invoice>,
    /// (vendor, number as compared) -> how many live invoices have it.
    numbers: BTreeMap<(&'a str, String), usize>,
    vendors: BTreeMap<&'a str, &'a str>,
    pub tolerance: Tolerance,
}

impl<'a> Book<'a> {
    /// Indexes live records (records in the trash count for nothing).
    pub fn new(
        vendors: impl IntoIterator<Item = &'a Vendor>,
        orders: impl IntoIterator<Item = &'a PurchaseOrder>,
        receipts: impl IntoIterator<Item = &'a Receipt>,
        invoices: impl IntoIterator<Item = &'a Invoice>,
        tolerance: Tolerance,
    ) -> Self {
        let mut book = Book {
            orders: BTreeMap::new(),
            receipts: BTreeMap::new(),
            invoices: BTreeMap::new(),
            all_invoices: Vec::new(),
            numbers: BTreeMap::new(),
            vendors: vendors
                .into_iter()
                .map(|v| (v.id.as_str(), v.name.as_str()))
                .collect(),
            tolerance,
        };
        for po in orders.into_iter().filter(|p| !p.is_deleted()) {
            book.orders.insert(po.id.as_str(), po);
        }
        for r in receipts.into_iter().filter(|r| !r.is_deleted()) {
            book.receipts.entry(&r.purchase_order).or_default().push(r);
        }
        for i in invoices.into_iter().filter(|i| !i.is_deleted()) {
            if let Some(po) = &i.purchase_order {
                book.invoices.entry(po.as_str()).or_default().push(i);
            }
            *book
                .numbers
                .entry((i.vendor.as_str(), number_key(&i.number)))
                .or_default() += 1;
            book.all_invoices.push(i);
        }
        for list in book.receipts.values_mut() {
            list.sort_by(|a, b| a.id.cmp(&b.id));
        }
        book
    }

    pub fn order(&self, id: &str) -> Option<&'a PurchaseOrder> {
        self.orders.get(id).copied()
    }

    pub fn vendor_name<'b>(&'b self, id: &'b str) -> &'b str {
        self.vendors.get(id).copied().unwrap_or(id)
    }

    /// The live receipts of an order, oldest first.
    pub fn receipts_of(&self, po: &str) -> &[&'a Receipt] {
        self.receipts.get(po).map_or(&[], Vec::as_slice)
    }

    /// Quantity received per order line.
    pub fn received(&self, po: &str) -> BTreeMap<&'a str, i64> {
        let mut out = BTreeMap::new();
        for r in self.receipts_of(po) {
            for (line, got) in &r.lines {
                let sum: &mut i64 = out.entry(line.as_str()).or_default();
                *sum = sum.saturating_add(got.quantity);
            }
        }
        out
    }

    /// Every line of the order with what has arrived.
    pub fn progress(&self, po: &PurchaseOrder) -> Vec<LineProgress> {
        let received = self.received(&po.id);
        ordered_lines(&po.lines)
            .into_iter()
            .map(|(id, line)| LineProgress {
                line: id.clone(),
                description: line.description.clone(),
                item: line.item.clone(),
                ordered: line.quantity,
                received: received.get(id.as_str()).copied().unwrap_or(0),
            })
            .collect()
    }

    /// The order's status as people read it: draft, sent, partially
    /// received, received, closed or cancelled.
    pub fn status_text(&self, po: &PurchaseOrder) -> &'static str {
        match po.status {
            PoStatus::Closed => return "closed",
            PoStatus::Cancelled => return "cancelled",
            PoStatus::Unknown => return "unknown",
            PoStatus::Draft | PoStatus::Sent => {}
        }
        let progress = self.progress(po);
        let any = progress.iter().any(|l| l.received > 0);
        let all = !progress.is_empty() && progress.iter().all(|l| l.outstanding() == 0);
        match (any, all, po.status) {
            (_, true, _) => "received",
            (true, false, _) => "partially received",
            (false, _, PoStatus::Draft) => "draft",
            _ => "sent",
        }
    }

    /// Whether every line has fully arrived.
    pub fn fully_received(&self, po: &PurchaseOrder) -> bool {
        self.progress(po).iter().all(|l| l.outstanding() == 0)
    }

    /// The earlier receipt this one repeats, if it looks like the same
    /// delivery recorded twice: same order, site and quantities, recorded
    /// by someone who had not seen the other (two people offline), and not
    /// marked as a real second delivery. The later of the two is flagged.
    pub fn duplicate_of(&self, receipt: &Receipt) -> Option<&'a Receipt> {
        if receipt.not_duplicate {
            return None;
        }
        let quantities = |r: &Receipt| -> BTreeMap<String, i64> {
            r.lines
                .iter()
                .map(|(k, l)| (k.clone(), l.quantity))
                .collect()
        };
        let mine = quantities(receipt);
        self.receipts_of(&receipt.purchase_order)
            .iter()
            .copied()
            .find(|other| {
                other.id < receipt.id
                    && other.site == receipt.site
                    && !receipt.seen.contains(&other.id)
                    && !other.seen.contains(&receipt.id)
                    && quantities(other) == mine
            })
    }

    /// Receipts that look like a delivery recorded twice, with the one they
    /// repeat.
    pub fn possible_duplicates(&self) -> Vec<(&'a Receipt, &'a Receipt)> {
        self.receipts
            .values()
            .flatten()
            .filter_map(|r| self.duplicate_of(r).map(|first| (*r, first)))
            .collect()
    }

    /// The invoices billing an order.
    pub fn invoices_of(&self, po: &str) -> &[&'a Invoice] {
        self.invoices.get(po).map_or(&[], Vec::as_slice)
    }

    /// Every live invoice.
    pub fn invoices(&self) -> &[&'a Invoice] {
        &self.all_invoices
    }

    /// The three-way match of `invoice`.
    pub fn match_invoice(&self, invoice: &Invoice) -> InvoiceMatch {
        let mut reasons = Vec::new();
        let entered = self
            .numbers
            .get(&(invoice.vendor.as_str(), number_key(&invoice.number)))
            .copied()
            .unwrap_or(0);
        if entered > 1 {
            reasons.push(format!(
                "invoice number {} from this vendor was entered {entered} times",
                invoice.number.trim()
            ));
        }
        let Some(po) = invoice
            .purchase_order
            .as_deref()
            .and_then(|id| self.order(id))
        else {
            if invoice.purchase_order.is_some() {
                reasons.push("its purchase order is in the trash or not here yet".into());
            }
            return InvoiceMatch {
                state: MatchState::NoOrder,
                reasons,
                lines: Vec::new(),
            };
        };
        if po.vendor != invoice.vendor {
            reasons.push(format!(
                "the invoice is from {} but {} is with {}",
                self.vendor_name(&invoice.vendor),
                po.number,
                self.vendor_name(&po.vendor)
            ));
        }
        if po.status == PoStatus::Cancelled {
            reasons.push(format!("{} was cancelled", po.number));
        }
        if !invoice.lines.is_empty() && invoice.total.currency != po.currency() {
            reasons.push(format!(
                "currency {} vs {}",
                invoice.total.currency,
                po.currency()
            ));
        }
        let received = self.received(&po.id);
        let invoiced = self.invoiced(po);
        let mut lines: Vec<MatchLine> = ordered_lines(&po.lines)
            .into_iter()
            .map(|(id, l)| MatchLine {
                description: l.description.clone(),
                ordered: l.quantity,
                received: received.get(id.as_str()).copied().unwrap_or(0),
                invoiced: invoiced.get(id.as_str()).copied().unwrap_or(0),
                ordered_price: Some(l.unit_price.minor),
                invoiced_price: None,
                problem: false,
            })
            .collect();
        let position: BTreeMap<&str, usize> = ordered_lines(&po.lines)
            .into_iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        if invoice.lines.is_empty() {
            self.match_total(invoice, po, &received, &mut reasons);
        }
        let mut used = BTreeSet::new();
        for (_, billed) in ordered_lines(&invoice.lines) {
            let Some((po_line_id, po_line)) = po_line_for(po, billed, &mut used) else {
                reasons.push(format!("“{}” is not on {}", billed.description, po.number));
                lines.push(MatchLine {
                    description: billed.description.clone(),
                    ordered: 0,
                    received: 0,
                    invoiced: billed.quantity,
                    ordered_price: None,
                    invoiced_price: Some(billed.unit_price.minor),
                    problem: true,
                });
                continue;
            };
            let row = &mut lines[position[po_line_id.as_str()]];
            row.invoiced_price = Some(billed.unit_price.minor);
            let name = &po_line.description;
            if let Some(reason) = quantity_reason(row.ordered, row.received, row.invoiced) {
                reasons.push(format!("{name}: {reason}"));
                row.problem = true;
            }
            let expected = i128::from(billed.quantity) * i128::from(po_line.unit_price.minor);
            let actual = i128::from(billed.quantity) * i128::from(billed.unit_price.minor);
            let fits = |v: i128| i64::try_from(v).ok();
            let within = match (fits(expected), fits(actual)) {
                (Some(e), Some(a)) => self.tolerance.allows(e, a),
                _ => false,
            };
            if !within {
                reasons.push(format!(
                    "{name}: price {} vs {}",
                    billed.price_text(),
                    po_line.price_text()
                ));
                row.problem = true;
            } else if billed.tax_rate != po_line.tax_rate {
                reasons.push(format!(
                    "{name}: tax {}% vs {}%",
                    percent_text(billed.tax_rate),
                    percent_text(po_line.tax_rate)
                ));
                row.problem = true;
            }
        }
        // Lines that each look right can still bill goods another invoice
        // (one with only a total) already billed.
        if !invoice.lines.is_empty() && reasons.is_empty() {
            let unbilled = self.unbilled_value(invoice, po, &received);
            if invoice.total.minor > unbilled
                && !self.tolerance.allows(unbilled, invoice.total.minor)
            {
                reasons.push(format!(
                    "bills {} but only {} of what arrived is not billed yet",
                    amount_text(invoice.total.minor),
                    amount_text(unbilled)
                ));
            }
        }
        let mut seen = BTreeSet::new();
        reasons.retain(|r| seen.insert(r.clone()));
        InvoiceMatch {
            state: if reasons.is_empty() {
                MatchState::Matched
            } else {
                MatchState::Discrepancy
            },
            reasons,
            lines,
        }
    }

    /// The value of what arrived on the order, less what its other
    /// invoices bill (never below zero).
    fn unbilled_value(
        &self,
        invoice: &Invoice,
        po: &PurchaseOrder,
        received: &BTreeMap<&str, i64>,
    ) -> i64 {
        let mut value: i128 = 0;
        for (id, line) in &po.lines {
            let got = received.get(id.as_str()).copied().unwrap_or(0);
            let part = OrderLine {
                quantity: got,
                ..line.clone()
            };
            let gross = part.gross_minor().map_or(i128::from(i64::MAX), i128::from);
            value = value.saturating_add(gross);
        }
        for other in self.invoices_of(&po.id) {
            if other.id != invoice.id {
                value = value.saturating_sub(i128::from(other.total.minor));
            }
        }
        i64::try_from(value.max(0)).unwrap_or(i64::MAX)
    }

    /// An invoice with only a total: compared with the value of what was
    /// received, less what the order's other invoices already bill.
    fn match_total(
        &self,
        invoice: &Invoice,
        po: &PurchaseOrder,
        received: &BTreeMap<&str, i64>,
        reasons: &mut Vec<String>,
    ) {
        let expected = self.unbilled_value(invoice, po, received);
        if invoice.total.currency != po.currency() && !po.lines.is_empty() {
            reasons.push(format!(
                "currency {} vs {}",
                invoice.total.currency,
                po.currency()
            ));
        } else if !self.tolerance.allows(expected, invoice.total.minor) {
            reasons.push(format!(
                "total {} vs {} received",
                amount_text(invoice.total.minor),
                amount_text(expected)
            ));
        }
    }

    /// Quantity billed per order line over all the order's invoices.
    fn invoiced(&self, po: &PurchaseOrder) -> BTreeMap<String, i64> {
        let mut out: BTreeMap<String, i64> = BTreeMap::new();
        for inv in self.invoices_of(&po.id) {
            let mut used = BTreeSet::new();
            for (_, line) in ordered_lines(&inv.lines) {
                if let Some((id, _)) = po_line_for(po, line, &mut used) {
                    let sum = out.entry(id.clone()).or_default();
                    *sum = sum.saturating_add(line.quantity);
                }
            }
        }
        out
    }

    /// How an invoice reads in lists: the decision once made (approved,
    /// paid, disputed), else the match.
    pub fn invoice_status(&self, invoice: &Invoice) -> String {
        match invoice.status {
            InvoiceStatus::Received => self.match_invoice(invoice).state.as_str().to_string(),
            other => other.as_str().to_string(),
        }
    }

    /// Invoices waiting for someone: not yet approved and not matching.
    pub fn to_reconcile(&self) -> Vec<(&'a Invoice, InvoiceMatch)> {
        self.all_invoices
            .iter()
            .filter(|i| matches!(i.status, InvoiceStatus::Received | InvoiceStatus::Disputed))
            .map(|i| (*i, self.match_invoice(i)))
            .filter(|(_, m)| m.state != MatchState::Matched)
            .collect()
    }
}

/// An invoice number as compared: trimmed, any case (the rule of
/// [`same_name`]).
fn number_key(number: &str) -> String {
    number.trim().to_lowercase()
}

/// What is wrong with the quantities billed for one order line, if
/// anything: billed more than arrived, or more than was ordered.
fn quantity_reason(ordered: i64, received: i64, invoiced: i64) -> Option<String> {
    if invoiced > received {
        Some(if received == ordered {
            format!("invoiced {invoiced}, ordered and received {received}")
        } else if invoiced > ordered {
            format!("invoiced {invoiced}, received {received} (ordered {ordered})")
        } else {
            format!("invoiced {invoiced}, received {received}")
        })
    } else if invoiced > ordered {
        Some(format!("invoiced {invoiced}, ordered {ordered}"))
    } else {
        None
    }
}

/// Basis points as a percent: 2000 is "20", 250 is "2.50".
pub fn percent_text(basis_points: i64) -> String {
    amount_text(basis_points)
        .trim_end_matches(".00")
        .to_string()
}

/// The order line an invoice line bills: the same inventory item (else the
/// same description, any case); among several, one this invoice has not
/// billed yet, at the same price if there is one.
fn po_line_for<'p>(
    po: &'p PurchaseOrder,
    billed: &OrderLine,
    used: &mut BTreeSet<&'p str>,
) -> Option<(&'p String, &'p OrderLine)> {
    let same = |l: &OrderLine| match &billed.item {
        Some(item) if l.item.as_ref() == Some(item) => true,
        Some(_) if po.lines.values().any(|o| o.item == billed.item) => false,
        _ => same_name(&l.description, &billed.description),
    };
    let candidates: Vec<(&'p String, &'p OrderLine)> = ordered_lines(&po.lines)
        .into_iter()
        .filter(|(_, l)| same(l))
        .collect();
    let fresh = |(id, _): &&(&'p String, &'p OrderLine)| !used.contains(id.as_str());
    let chosen = candidates
        .iter()
        .filter(fresh)
        .find(|(_, l)| l.unit_price == billed.unit_price)
        .or_else(|| candidates.iter().find(fresh))
        .or(candidates.first())
        .copied()?;
    used.insert(chosen.0.as_str());
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_allows_either_the_percent_or_the_amount_up_to_the_boundary() {
        let t = Tolerance {
            percent_bp: 200,
            absolute_minor: 50,
        };
        // 2% of 100.00 is 2.00.
        assert!(t.allows(10_000, 10_200));
        assert!(!t.allows(10_000, 10_201));
        assert!(t.allows(10_000, 9_800));
        // Small amounts: 0.50 absolute beats 2%.
        assert!(t.allows(1_000, 1_050));
        assert!(!t.allows(1_000, 1_051));
        let exact = Tolerance {
            percent_bp: 0,
            absolute_minor: 0,
        };
        assert!(exact.allows(395, 395));
        assert!(!exact.allows(395, 396));
        assert_eq!(Tolerance::default().describe(), "1% or 1.00");
    }
}
