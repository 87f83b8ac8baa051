//! Entering a vendor's invoice and deciding it: approving (which checks
//! the three-way match, or needs a reason), paying, disputing.

use std::collections::BTreeMap;

use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::purchasing::{live, order_lines, rejected};
use super::{Decision, LineInput, Outcome};
use crate::model::matching::{Book, MatchState};
use crate::model::schema::{FieldContext, same_name};
use crate::model::{
    Date, Invoice, InvoiceStatus, Money, PurchaseOrder, Receipt, Record, ValidationError, Vendor,
    new_id,
};
use crate::store::records::{kind_map_mut, read_all};
use crate::store::{Result, Store};

/// Days in "30 days", "net 30", "14": a vendor's payment terms as a number.
fn terms_days(terms: &str) -> Option<i64> {
    terms
        .split(|c: char| !c.is_ascii_digit())
        .find(|p| !p.is_empty())
        .and_then(|d| d.parse().ok())
        .filter(|d| (0..=366).contains(d))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn create_invoice(
    store: &Store,
    vendor: &str,
    number: &str,
    date: &str,
    due: Option<&str>,
    order: Option<&str>,
    lines: &[LineInput],
    total: Option<&str>,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let date = Date::parse_relative(date, cx.today).map_err(|e| ValidationError::new("date", e))?;
    let due = due
        .map(|d| Date::parse_relative(d, cx.today).map_err(|e| ValidationError::new("due", e)))
        .transpose()?;
    let lines = if lines.is_empty() {
        BTreeMap::new()
    } else {
        order_lines(store, lines, cx)?
    };
    let total = match (total, lines.is_empty()) {
        (Some(_), false) => {
            return Err(ValidationError::new(
                "total",
                "give lines or a total, not both (the total of lines is their sum)",
            )
            .into());
        }
        (Some(text), true) => {
            let currency = if cx.currency.is_empty() {
                "EUR"
            } else {
                &cx.currency
            };
            Money::parse(text, currency).map_err(|e| ValidationError::new("total", e))?
        }
        (None, true) => {
            return Err(ValidationError::new(
                "lines",
                "give the invoice's lines (ITEM=QTY@PRICE) or its total",
            )
            .into());
        }
        (None, false) => {
            let currency = lines
                .values()
                .next()
                .map(|l| l.unit_price.currency.clone())
                .unwrap_or_default();
            Money::new(crate::model::orders::lines_total(&lines)?, &currency)
        }
    };
    store.change(Invoice::AREA, "enter invoice", |tx, audit| {
        let vendor: Vendor = live(tx, vendor)?;
        if let Some(order) = order {
            let po: PurchaseOrder = live(tx, order)?;
            if po.vendor != vendor.id {
                return Err(rejected(format!(
                    "{} is with another vendor, not {}; link the right order",
                    po.number, vendor.name
                )));
            }
        }
        let taken = read_all::<Invoice, _>(&*tx, false)
            .records
            .into_iter()
            .find(|i| i.vendor == vendor.id && same_name(&i.number, number));
        if let Some(other) = taken {
            return Err(ValidationError::new(
                "number",
                format!(
                    "invoice {} from {} is already entered (id {}); check it is not the same bill",
                    other.number, vendor.name, other.id
                ),
            )
            .into());
        }
        let due = due.or_else(|| {
            let days = vendor.payment_terms.as_deref().and_then(terms_days)?;
            Some(date.add_days(days))
        });
        let mut invoice = Invoice {
            id: new_id(),
            vendor: vendor.id.clone(),
            number: number.trim().to_string(),
            date,
            due,
            lines,
            total,
            purchase_order: order.map(str::to_string),
            status: InvoiceStatus::Received,
            ..Default::default()
        };
        invoice.validate()?;
        invoice.touch(audit, true);
        let map = kind_map_mut(tx, Invoice::KIND)?;
        autosurgeon::reconcile_prop(tx, &map, invoice.id.as_str(), &invoice)?;
        Ok((
            Outcome {
                created: Some(invoice.id.clone()),
                message: None,
            },
            Action {
                label: format!("Enter invoice {} from {}", invoice.number, vendor.name),
                steps: vec![Step::Created {
                    kind: Invoice::KIND.into(),
                    id: invoice.id,
                }],
            },
        ))
    })
}

pub(super) fn decide_invoice(
    store: &Store,
    id: &str,
    decision: &Decision,
    today: Date,
) -> Result<(Outcome, Action)> {
    let verb = match decision {
        Decision::Approve { .. } => "Approve",
        Decision::Pay => "Pay",
        Decision::Dispute => "Dispute",
    };
    edit_record::<Invoice>(store, id, Edit::new(verb), |tx, invoice, _, _| {
        match decision {
            Decision::Approve { note } => {
                if !matches!(
                    invoice.status,
                    InvoiceStatus::Received | InvoiceStatus::Disputed
                ) {
                    return Err(rejected(format!(
                        "invoice {} is already {}",
                        invoice.number, invoice.status
                    )));
                }
                let orders = read_all::<PurchaseOrder, _>(&*tx, false).records;
                let receipts = read_all::<Receipt, _>(&*tx, false).records;
                let invoices = read_all::<Invoice, _>(&*tx, false).records;
                let tolerance = crate::store::purchasing_tolerance(&*tx);
                let book = Book::new([], &orders, &receipts, &invoices, tolerance);
                let matched = book.match_invoice(invoice);
                let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
                if matched.state != MatchState::Matched && note.is_none() {
                    let why = if matched.reasons.is_empty() {
                        matched.state.as_str().to_string()
                    } else {
                        matched.reasons.join("; ")
                    };
                    return Err(rejected(format!(
                        "invoice {} does not match ({why}); resolve it, or approve with a note saying why (--despite REASON)",
                        invoice.number
                    )));
                }
                invoice.status = InvoiceStatus::Approved;
                invoice.approval_note = note.map(str::to_string);
            }
            Decision::Pay => {
                if invoice.status != InvoiceStatus::Approved {
                    return Err(rejected(format!(
                        "invoice {} is {}; approve it before paying",
                        invoice.number, invoice.status
                    )));
                }
                invoice.status = InvoiceStatus::Paid;
                invoice.paid_on = Some(today);
            }
            Decision::Dispute => {
                if invoice.status == InvoiceStatus::Paid {
                    return Err(rejected(format!(
                        "invoice {} is already paid",
                        invoice.number
                    )));
                }
                invoice.status = InvoiceStatus::Disputed;
            }
        }
        Ok(())
    })
}
