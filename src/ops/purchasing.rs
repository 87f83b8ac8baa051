//! Purchasing actions that are more than field edits: ordering (numbered
//! from this device's series), drafting reorders, vendor contacts and the
//! match tolerance. Receiving is in [`super::receiving`], invoices in
//! [`super::invoicing`].

use std::collections::BTreeMap;

use automerge::transaction::Transaction;

use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::rules::check_unique_name;
use super::{LineInput, Outcome};
use crate::model::schema::{Described, FieldContext};
use crate::model::{
    Contact, InventoryItem, Money, OrderLine, PurchaseOrder, Record, ValidationError, Vendor,
    new_id,
};
use crate::store::records::{hydrate_record, kind_map_mut};
use crate::store::{Result, Store, StoreError};

pub(super) fn rejected(message: impl Into<String>) -> StoreError {
    StoreError::Rejected(message.into())
}

fn not_found(kind: &'static str, id: &str) -> StoreError {
    StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
}

/// A live record in the transaction's document, or why not.
pub(super) fn live<R: Described>(tx: &Transaction<'_>, id: &str) -> Result<R> {
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
pub(super) fn order_lines(
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
    draft_orders(
        store,
        &plan,
        series,
        cx,
        &|_| new_id(),
        "Drafted from the low-stock list",
    )
}

/// Drafts `plan`'s orders in one commit, each under the id `order_id`
/// gives it (a rule's drafts have ids derived from the firing).
pub(super) fn draft_orders(
    store: &Store,
    plan: &crate::model::reorder::ReorderPlan,
    series: &str,
    cx: &FieldContext,
    order_id: &dyn Fn(&crate::model::reorder::DraftOrder) -> String,
    notes: &str,
) -> Result<(Outcome, Action)> {
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
                        // An order is in one currency: a last price in
                        // another is left for the person to fill in.
                        unit_price: s
                            .last_price
                            .clone()
                            .filter(|p| p.currency == currency)
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
                    id: order_id(draft),
                    vendor: draft.vendor.clone(),
                    site: Some(draft.site.clone()),
                    lines,
                    requested_by: requested_by.clone(),
                    notes: notes.into(),
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

/// Refuses changing the lines of an order that is closed or cancelled.
fn check_lines_open(po: &PurchaseOrder) -> Result<()> {
    if po.is_open() {
        return Ok(());
    }
    Err(rejected(format!(
        "{} is {}; reopen it to change its lines",
        po.number, po.status
    )))
}

pub(super) fn add_order_line(
    store: &Store,
    order: &str,
    line: &LineInput,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let (_, mut typed) = order_lines(store, std::slice::from_ref(line), cx)?
        .into_iter()
        .next()
        .ok_or_else(|| rejected("no line given"))?;
    edit_record::<PurchaseOrder>(store, order, Edit::new("Add a line to"), |_, po, _, _| {
        check_lines_open(po)?;
        typed.order = po
            .lines
            .values()
            .map(|l| l.order)
            .max()
            .unwrap_or(-1)
            .saturating_add(1);
        po.lines.insert(new_id(), typed);
        Ok(())
    })
}

pub(super) fn remove_order_line(
    store: &Store,
    order: &str,
    line: &str,
) -> Result<(Outcome, Action)> {
    let received = store
        .purchasing(false)?
        .book()
        .received(order)
        .get(line)
        .copied()
        .unwrap_or(0);
    edit_record::<PurchaseOrder>(
        store,
        order,
        Edit::new("Remove a line from"),
        |_, po, _, _| {
            check_lines_open(po)?;
            if received > 0 {
                return Err(rejected(format!(
                    "{received} of that line were received; take the receipt back first"
                )));
            }
            if po.lines.len() == 1 && po.lines.contains_key(line) {
                return Err(rejected(format!(
                    "{} needs at least one line; cancel the order instead",
                    po.number
                )));
            }
            po.lines
                .remove(line)
                .map(|_| ())
                .ok_or_else(|| rejected("that line was already removed"))
        },
    )
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
