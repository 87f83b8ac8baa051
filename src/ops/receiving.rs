//! Receiving into stock and taking a receipt back. Receiving touches two
//! documents (the receipt in purchasing, the stock in inventory): its ids
//! are fixed before the first write and every step skips what already
//! exists, so the journal can finish it after a crash.

use std::collections::BTreeMap;

use super::Outcome;
use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::purchasing::{live, rejected};
use crate::model::matching::Book;
use crate::model::orders::ordered_lines;
use crate::model::{
    Date, PoStatus, PurchaseOrder, Receipt, ReceivedLine, Record, Stamp, StockMovement,
    ValidationError,
};
use crate::store::records::{hydrate_record, kind_map_mut, read_all};
use crate::store::{ReceiptMove, Result, Store};

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

/// The stock movement id of a receipt's line as received.
fn received_movement(receipt: &str, line: &str) -> String {
    format!("{receipt}.{line}")
}

/// The stock lines of a receipt, with their order line (`suffix`
/// distinguishes a take-back's movements).
fn receipt_moves(
    receipt: &Receipt,
    po: &PurchaseOrder,
    sign: i64,
    suffix: &str,
    reason: &str,
) -> Vec<(String, ReceiptMove)> {
    ordered_lines(&po.lines)
        .into_iter()
        .filter_map(|(line_id, line)| {
            let got = receipt.lines.get(line_id)?;
            let movement = ReceiptMove {
                movement_id: received_movement(&receipt.id, line_id) + suffix,
                item: line.item.clone()?,
                site: receipt.site.clone(),
                delta: got.quantity.saturating_mul(sign),
                reason: reason.to_string(),
            };
            Some((line_id.clone(), movement))
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
    let moves: Vec<ReceiptMove> = receipt_moves(&receipt, &po, 1, "", &reason)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    let applied = store.receipt_stock(&reason, &moves)?;
    let mut steps = vec![Step::Created {
        kind: Receipt::KIND.into(),
        id: receipt.id.clone(),
    }];
    steps.extend(stock_steps(&applied));
    let count: i64 = receipt.total_quantity();
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
pub(super) fn void_receipt(
    store: &Store,
    receipt_id: &str,
    attempt: &str,
) -> Result<(Outcome, Action)> {
    let receipt = store.require::<Receipt>(receipt_id)?;
    let po = store.require::<PurchaseOrder>(&receipt.purchase_order)?;
    let reason = format!("receipt on {} taken back", po.number);
    let exists = |id: &str| store.get::<StockMovement>(id).ok().flatten().is_some();
    // Only what this receipt really added (a line whose item was in the
    // trash when it arrived added nothing).
    let suffix = format!(".void.{attempt}");
    let moves: Vec<ReceiptMove> = receipt_moves(&receipt, &po, -1, &suffix, &reason)
        .into_iter()
        .filter(|(line, _)| exists(&received_movement(&receipt.id, line)))
        .map(|(_, m)| m)
        .collect();
    // In the trash already: either this take-back ran before a crash (its
    // movements exist; finish it) or the receipt was undone or taken back
    // before, and its stock is already out (refused: not twice).
    let begun = moves.iter().any(|m| exists(&m.movement_id));
    if receipt.is_deleted() && !begun {
        return Err(rejected(format!(
            "this receipt on {} was already taken back",
            po.number
        )));
    }
    // Stock first, then the trash: a crash between the two leaves a live
    // receipt whose take-back the journal finishes.
    let applied = store.receipt_stock(&reason, &moves)?;
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
