//! Purchasing actions that are more than field edits: ordering, receiving
//! into stock, taking a receipt back, entering and deciding invoices,
//! vendor contacts, the match tolerance and drafting reorders.
//!
//! Receiving touches two documents (the receipt in purchasing, the stock in
//! inventory). Its ids are fixed before the first write and every step
//! skips what already exists, so the journal can finish it after a crash.

use std::collections::BTreeMap;

use automerge::transaction::Transaction;

use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::rules::check_unique_name;
use super::{Decision, LineInput, Outcome};
use crate::model::matching::{Book, MatchState};
use crate::model::orders::ordered_lines;
use crate::model::schema::{Described, FieldContext, same_name};
use crate::model::{
    Contact, Date, InventoryItem, Invoice, InvoiceStatus, Money, OrderLine, PoStatus,
    PurchaseOrder, Receipt, ReceivedLine, Record, Stamp, ValidationError, Vendor, new_id,
};
use crate::store::records::{hydrate_record, kind_map_mut, read_all};
use crate::store::{ReceiptMove, Result, Store, StoreError};

fn rejected(message: impl Into<String>) -> StoreError {
    StoreError::Rejected(message.into())
}

fn not_found(kind: &'static str, id: &str) -> StoreError {
    StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
}

/// A live record in the transaction's document, or why not.
fn live<R: Described>(tx: &Transaction<'_>, id: &str) -> Result<R> {
    let record: R = hydrate_record(tx, id)?.ok_or_else(|| not_found(R::LABEL, id))?;
    if record.is_deleted() {
        return Err(rejected(format!(
            "{} “{}” is in the trash; restore it first",
            R::LABEL,
            record.name()
        )));
    }
    Ok(record)
}

/// Typed lines as order lines (items must exist; the description is the
/// item's name when none is given; prices in the workspace currency unless
/// another is typed).
fn order_lines(
    store: &Store,
    lines: &[LineInput],
    cx: &FieldContext,
) -> Result<BTreeMap<String, OrderLine>> {
    let mut out = BTreeMap::new();
    for (position, line) in lines.iter().enumerate() {
        let item = match &line.item {
            Some(id) => {
                let item = store.require::<InventoryItem>(id)?;
                if item.is_deleted() {
                    return Err(rejected(format!(
                        "item “{}” is in the trash; restore it first",
                        item.name
                    )));
                }
                Some(item)
            }
            None => None,
        };
        let description = match line.description.trim() {
            "" => item.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
            typed => typed.to_string(),
        };
        let currency = if cx.currency.is_empty() {
            "EUR"
        } else {
            &cx.currency
        };
        let unit_price = Money::parse(&line.unit_price, currency)
            .map_err(|e| ValidationError::new("line unit price", e))?;
        out.insert(
            new_id(),
            OrderLine {
                description,
                item: item.map(|i| i.id),
                quantity: line.quantity,
                unit_price,
                tax_rate: line.tax_rate,
                order: position as i64,
            },
        );
    }
    Ok(out)
}

/// Writes one new purchase order in `tx`, numbered next in `series`.
fn add_order(
    tx: &mut Transaction<'_>,
    mut po: PurchaseOrder,
    series: &str,
    audit: &crate::model::Audit,
) -> Result<PurchaseOrder> {
    let vendor: Vendor = live(tx, &po.vendor)?;
    if po.lines.is_empty() {
        return Err(ValidationError::new("lines", "add at least one line (ITEM=QTY@PRICE)").into());
    }
    let numbers = crate::store::purchasing_order_numbers(&*tx);
    po.number = super::numbers::next_number(series, &numbers);
    po.vendor = vendor.id;
    po.validate()?;
    check_unique_name(tx, &po)?;
    po.touch(audit, true);
    let map = kind_map_mut(tx, PurchaseOrder::KIND)?;
    autosurgeon::reconcile_prop(tx, &map, po.id.as_str(), &po)?;
    Ok(po)
}

pub(super) fn create_order(
    store: &Store,
    vendor: &str,
    site: Option<&str>,
    lines: &[LineInput],
    notes: &str,
    series: &str,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    if let Some(site) = site {
        store.require_site(site)?;
    }
    let lines = order_lines(store, lines, cx)?;
    let requested_by = store.me().map(|m| m.name).unwrap_or_default();
    store.change(PurchaseOrder::AREA, "create purchase order", |tx, audit| {
        let po = add_order(
            tx,
            PurchaseOrder {
                id: new_id(),
                vendor: vendor.to_string(),
                site: site.map(str::to_string),
                lines,
                requested_by,
                notes: notes.trim().to_string(),
                ..Default::default()
            },
            series,
            audit,
        )?;
        Ok((
            Outcome {
                created: Some(po.id.clone()),
                message: Some(format!("{} drafted", po.number)),
            },
            Action {
                label: format!("Create purchase order {}", po.number),
                steps: vec![Step::Created {
                    kind: PurchaseOrder::KIND.into(),
                    id: po.id,
                }],
            },
        ))
    })
}

/// Drafts the reorder plan's orders in one commit.
pub(super) fn reorder(
    store: &Store,
    site: Option<&str>,
    buffer_percent: i64,
    series: &str,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let plan = store.reorder_plan(site, buffer_percent)?;
    if plan.orders.is_empty() {
        return Err(rejected(if plan.without_vendor.is_empty() {
            "nothing to reorder: no item is low (or everything low is already on order)".to_string()
        } else {
            format!(
                "nothing to draft: the {} low item(s) have no preferred vendor; set one on each item",
                plan.without_vendor.len()
            )
        }));
    }
    let currency = if cx.currency.is_empty() {
        "EUR".to_string()
    } else {
        cx.currency.clone()
    };
    let requested_by = store.me().map(|m| m.name).unwrap_or_default();
    store.change(PurchaseOrder::AREA, "draft reorders", |tx, audit| {
        let mut steps = Vec::new();
        let mut numbers = Vec::new();
        for draft in &plan.orders {
            let lines = draft
                .lines
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let line = OrderLine {
                        description: s.item_name.clone(),
                        item: Some(s.item.clone()),
                        quantity: s.quantity,
                        unit_price: s
                            .last_price
                            .clone()
                            .unwrap_or_else(|| Money::new(0, &currency)),
                        tax_rate: s.last_tax_rate,
                        order: i as i64,
                    };
                    (new_id(), line)
                })
                .collect();
            let po = add_order(
                tx,
                PurchaseOrder {
                    id: new_id(),
                    vendor: draft.vendor.clone(),
                    site: Some(draft.site.clone()),
                    lines,
                    requested_by: requested_by.clone(),
                    notes: "Drafted from the low-stock list".into(),
                    ..Default::default()
                },
                series,
                audit,
            )?;
            numbers.push(po.number.clone());
            steps.push(Step::Created {
                kind: PurchaseOrder::KIND.into(),
                id: po.id,
            });
        }
        Ok((
            Outcome {
                created: None,
                message: Some(format!("Drafted {}", numbers.join(", "))),
            },
            Action {
                label: format!("Draft {} reorder(s)", numbers.len()),
                steps,
            },
        ))
    })
}

/// What to receive: the typed lines checked against what is outstanding,
/// or everything outstanding.
fn lines_to_receive(
    po: &PurchaseOrder,
    book: &Book<'_>,
    wanted: &[(String, i64)],
) -> Result<BTreeMap<String, ReceivedLine>> {
    let progress = book.progress(po);
    let mut out = BTreeMap::new();
    if wanted.is_empty() {
        for line in progress.iter().filter(|l| l.outstanding() > 0) {
            out.insert(
                line.line.clone(),
                ReceivedLine {
                    po_line: line.line.clone(),
                    quantity: line.outstanding(),
                },
            );
        }
        if out.is_empty() {
            return Err(rejected(format!(
                "everything on {} has been received",
                po.number
            )));
        }
        return Ok(out);
    }
    for (line_id, qty) in wanted {
        let line = progress
            .iter()
            .find(|l| l.line == *line_id)
            .ok_or_else(|| rejected(format!("{} has no such line", po.number)))?;
        if *qty <= 0 {
            return Err(ValidationError::new("received quantity", "must be more than 0").into());
        }
        let total = out
            .get(line_id)
            .map_or(0, |l: &ReceivedLine| l.quantity)
            .saturating_add(*qty);
        if total > line.outstanding() {
            return Err(rejected(format!(
                "only {} of “{}” are outstanding on {} (ordered {}, received {}); receive at most {}",
                line.outstanding(),
                line.description,
                po.number,
                line.ordered,
                line.received,
                line.outstanding()
            )));
        }
        out.insert(
            line_id.clone(),
            ReceivedLine {
                po_line: line_id.clone(),
                quantity: total,
            },
        );
    }
    Ok(out)
}

/// The stock lines of a receipt (`suffix` distinguishes taking it back).
fn receipt_moves(
    receipt: &Receipt,
    po: &PurchaseOrder,
    sign: i64,
    suffix: &str,
    reason: &str,
) -> Vec<ReceiptMove> {
    ordered_lines(&po.lines)
        .into_iter()
        .filter_map(|(line_id, line)| {
            let got = receipt.lines.get(line_id)?;
            Some(ReceiptMove {
                movement_id: format!("{}.{line_id}{suffix}", receipt.id),
                item: line.item.clone()?,
                site: receipt.site.clone(),
                delta: sign * got.quantity,
                reason: reason.to_string(),
            })
        })
        .collect()
}

fn stock_steps(moves: &[ReceiptMove]) -> Vec<Step> {
    moves
        .iter()
        .map(|m| Step::Stock {
            item: m.item.clone(),
            site: m.site.clone(),
            delta: m.delta,
        })
        .collect()
}

pub(super) fn receive(
    store: &Store,
    order: &str,
    site: &str,
    wanted: &[(String, i64)],
    receipt_id: &str,
    today: Date,
) -> Result<(Outcome, Action)> {
    let site = store.require_site(site)?;
    let (receipt, po) = store.change(Receipt::AREA, &format!("receive {order}"), |tx, audit| {
        let po: PurchaseOrder = live(tx, order)?;
        if let Some(done) = hydrate_record::<Receipt, _>(&*tx, receipt_id)? {
            // Recorded before a crash: finish the stock part only.
            return Ok((done, po));
        }
        if matches!(po.status, PoStatus::Closed | PoStatus::Cancelled) {
            return Err(rejected(format!(
                "{} is {}; reopen it (status sent) to receive against it",
                po.number, po.status
            )));
        }
        let receipts: Vec<Receipt> = read_all::<Receipt, _>(&*tx, false)
            .records
            .into_iter()
            .filter(|r| r.purchase_order == po.id)
            .collect();
        let book = Book::new([], [&po], &receipts, [], Default::default());
        let mut receipt = Receipt {
            id: receipt_id.to_string(),
            purchase_order: po.id.clone(),
            site: site.id.clone(),
            received_on: today,
            lines: lines_to_receive(&po, &book, wanted)?,
            seen: receipts.iter().map(|r| r.id.clone()).collect(),
            ..Default::default()
        };
        receipt.validate()?;
        receipt.touch(audit, true);
        let map = kind_map_mut(tx, Receipt::KIND)?;
        autosurgeon::reconcile_prop(tx, &map, receipt.id.as_str(), &receipt)?;
        Ok((receipt, po))
    })?;
    let reason = format!("received {}", po.number);
    let moves = receipt_moves(&receipt, &po, 1, "", &reason);
    let applied = store.receipt_stock(&reason, &moves)?;
    let mut steps = vec![Step::Created {
        kind: Receipt::KIND.into(),
        id: receipt.id.clone(),
    }];
    steps.extend(stock_steps(&applied));
    let count: i64 = receipt.lines.values().map(|l| l.quantity).sum();
    let skipped = moves.len() - applied.len();
    let note = if skipped > 0 {
        format!(" ({skipped} line(s) of items in the trash added no stock)")
    } else {
        String::new()
    };
    Ok((
        Outcome {
            created: Some(receipt.id.clone()),
            message: Some(format!(
                "Received {count} on {} at {}{note}",
                po.number, site.name
            )),
        },
        Action {
            label: format!("Receive on {}", po.number),
            steps,
        },
    ))
}

/// Takes a receipt back: to the trash, and its stock out again.
pub(super) fn void_receipt(store: &Store, receipt_id: &str) -> Result<(Outcome, Action)> {
    let receipt = store.require::<Receipt>(receipt_id)?;
    let po = store.require::<PurchaseOrder>(&receipt.purchase_order)?;
    let at = Stamp::now();
    let (_, mut action) = edit_record::<Receipt>(
        store,
        receipt_id,
        Edit::TRASH.verb("Take back"),
        |_, r, _, _| {
            if r.deleted_at.is_none() {
                r.deleted_at = Some(at);
            }
            Ok(())
        },
    )?;
    let reason = format!("receipt on {} taken back", po.number);
    let moves = receipt_moves(&receipt, &po, -1, ".void", &reason);
    let applied = store.receipt_stock(&reason, &moves)?;
    action.label = format!("Take back a receipt on {}", po.number);
    action.steps.extend(stock_steps(&applied));
    Ok((
        Outcome {
            created: None,
            message: Some(format!(
                "Receipt taken back; its stock left {}",
                store
                    .require_site(&receipt.site)
                    .map_or(receipt.site.clone(), |s| s.name)
            )),
        },
        action,
    ))
}

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

pub(super) fn add_contact(
    store: &Store,
    vendor: &str,
    contact: &Contact,
) -> Result<(Outcome, Action)> {
    let contact = Contact {
        name: contact.name.trim().to_string(),
        email: contact.email.clone().filter(|e| !e.trim().is_empty()),
        phone: contact.phone.clone().filter(|p| !p.trim().is_empty()),
        role: contact.role.clone().filter(|r| !r.trim().is_empty()),
    };
    crate::model::require_text("contact name", &contact.name)?;
    edit_record::<Vendor>(
        store,
        vendor,
        Edit::new("Add a contact to"),
        |_, v, _, _| {
            v.contacts.insert(new_id(), contact);
            Ok(())
        },
    )
}

pub(super) fn remove_contact(
    store: &Store,
    vendor: &str,
    contact: &str,
) -> Result<(Outcome, Action)> {
    edit_record::<Vendor>(
        store,
        vendor,
        Edit::new("Remove a contact from"),
        |_, v, _, _| {
            v.contacts
                .remove(contact)
                .map(|_| ())
                .ok_or_else(|| rejected("that contact was already removed"))
        },
    )
}

pub(super) fn set_tolerance(
    store: &Store,
    percent_bp: i64,
    absolute_minor: i64,
) -> Result<(Outcome, Action)> {
    let tolerance = crate::model::matching::Tolerance {
        percent_bp,
        absolute_minor,
    };
    store.set_tolerance(tolerance)?;
    Ok((
        Outcome {
            created: None,
            message: Some(format!(
                "Invoices now match within {}",
                tolerance.describe()
            )),
        },
        Action {
            label: "Set the match tolerance".into(),
            steps: Vec::new(),
        },
    ))
}
