//! Applying an [`Op`]: one transaction per document, writing only the
//! fields that change, and the [`Action`] that undoes it.

use automerge::transaction::Transaction;
use serde_json::Value as J;

use super::journal::{Action, FieldChange, Step};
use super::kinds::with_kind;
use super::rules::{check_unique_name, cross_references, people, resolve_reference};
use super::{Op, Outcome};
use crate::model::schema::{Described, FieldContext, FieldKind};
use crate::model::{Audit, ChecklistItem, Comment, InventoryItem, Record, Site, Task, new_id};
use crate::store::records::{hydrate_for_edit, kind_map_mut, write_edit};
use crate::store::{Result, Store, StoreError};

/// Fills in what must be decided before the first write so that running the
/// operation again (after a crash) does the same thing: new ids.
pub(super) fn prepare(op: Op) -> Op {
    match op {
        Op::CreateItem {
            mut fields,
            site,
            qty,
        } => {
            if !fields.iter().any(|(k, _)| k == "id") {
                fields.push(("id".into(), new_id()));
            }
            if site.is_some() && !fields.iter().any(|(k, _)| k == "site_id") {
                fields.push(("site_id".into(), new_id()));
            }
            Op::CreateItem { fields, site, qty }
        }
        Op::Receive {
            order,
            site,
            lines,
            receipt,
        } => Op::Receive {
            order,
            site,
            lines,
            receipt: receipt.or_else(|| Some(new_id())),
        },
        Op::VoidReceipt { receipt, attempt } => Op::VoidReceipt {
            receipt,
            attempt: attempt.or_else(|| Some(new_id())),
        },
        Op::StartPlan { plan, id } => Op::StartPlan {
            plan,
            id: id.or_else(|| Some(new_id())),
        },
        Op::Delete { kind, id } if kind == crate::model::Receipt::KIND => Op::VoidReceipt {
            receipt: id,
            attempt: Some(new_id()),
        },
        other => other,
    }
}

/// Whether the operation may change two documents.
pub(super) fn spans_documents(op: &Op) -> bool {
    matches!(op, Op::CreateItem { site: Some(_), .. })
        || matches!(op, Op::MergeInto { kind, .. } if kind == Site::KIND)
        || matches!(
            op,
            Op::Receive { .. } | Op::VoidReceipt { .. } | Op::StartPlan { .. }
        )
}

/// Applies `op`; `series` is this device's purchase order series.
pub(super) fn apply(
    store: &Store,
    op: &Op,
    cx: &FieldContext,
    series: &str,
) -> Result<(Outcome, Action)> {
    use super::purchasing as buy;
    match op {
        Op::CreateOrder {
            vendor,
            site,
            lines,
            notes,
        } => buy::create_order(store, vendor, site.as_deref(), lines, notes, series, cx),
        Op::Receive {
            order,
            site,
            lines,
            receipt,
        } => {
            let receipt = receipt
                .as_deref()
                .ok_or_else(|| StoreError::Rejected("receipt id not prepared".into()))?;
            super::receiving::receive(store, order, site, lines, receipt, cx.today)
        }
        Op::VoidReceipt { receipt, attempt } => {
            let attempt = attempt
                .as_deref()
                .ok_or_else(|| StoreError::Rejected("take-back id not prepared".into()))?;
            super::receiving::void_receipt(store, receipt, attempt)
        }
        Op::Restore { kind, .. } if kind == crate::model::Receipt::KIND => {
            Err(StoreError::Rejected(
                "a receipt taken back cannot come back; record the delivery again (receive)".into(),
            ))
        }
        Op::CreateInvoice {
            vendor,
            number,
            date,
            due,
            order,
            lines,
            total,
        } => super::invoicing::create_invoice(
            store,
            vendor,
            number,
            date,
            due.as_deref(),
            order.as_deref(),
            lines,
            total.as_deref(),
            cx,
        ),
        Op::DecideInvoice { invoice, decision } => {
            super::invoicing::decide_invoice(store, invoice, decision, cx.today)
        }
        Op::AddContact { vendor, contact } => buy::add_contact(store, vendor, contact),
        Op::AddOrderLine { order, line } => buy::add_order_line(store, order, line, cx),
        Op::RemoveOrderLine { order, line } => buy::remove_order_line(store, order, line),
        Op::RemoveContact { vendor, contact } => buy::remove_contact(store, vendor, contact),
        Op::SetTolerance {
            percent_bp,
            absolute_minor,
        } => buy::set_tolerance(store, *percent_bp, *absolute_minor),
        Op::Import { kind, rows } => super::import::import(store, kind, rows),
        Op::SetBudgetThreshold { percent_bp } => super::budget::set_threshold(store, *percent_bp),
        Op::EditText {
            kind,
            id,
            field,
            change,
        } => super::text::edit_text(store, kind, id, field, change),
        Op::CreateDoc { .. } | Op::RestoreDocVersion { .. } => super::docs::apply(store, op, cx),
        Op::SetPerson { name, fields } => super::people::set_person(store, name, fields, cx),
        Op::AddAgendaItem { .. }
        | Op::EditAgendaItem { .. }
        | Op::MoveAgendaItem { .. }
        | Op::RemoveAgendaItem { .. } => super::meetings::apply(store, op),
        Op::AssignAsset { .. } | Op::ReturnAsset { .. } => super::equipment::apply(store, op),
        Op::StartPlan { .. }
        | Op::RevokeAccess { .. }
        | Op::CustomizeTemplate { .. }
        | Op::AddTemplateStep { .. }
        | Op::EditTemplateStep { .. }
        | Op::RemoveTemplateStep { .. } => super::onboarding::apply(store, op, cx),
        Op::Reorder {
            site,
            buffer_percent,
        } => buy::reorder(store, site.as_deref(), *buffer_percent, series, cx),
        // A document comes with its body document, however it is made.
        Op::Create { kind, fields } if kind == crate::model::Doc::KIND => {
            super::docs::create_doc(store, fields, "", cx)
        }
        Op::Create { kind, fields } if kind == crate::model::automation::Rule::KIND => {
            let field = |k: &str| {
                fields
                    .iter()
                    .find(|(key, _)| key == k)
                    .map_or("", |(_, v)| v.as_str())
            };
            super::automation::add_rule(store, field("when"), field("then"), cx)
        }
        Op::Create { kind, fields } => with_kind!(kind.as_str(), R => {
            let fields = people::<R>(store, fields)?;
            let fields = cross_references::<R>(store, &fields)?;
            create::<R>(store, &fields, cx)
        }),
        Op::CreateItem { fields, site, qty } => {
            // A preferred vendor typed by name, as in any other create.
            let fields = cross_references::<InventoryItem>(store, fields)?;
            super::items::create_item(store, &fields, site.as_deref(), *qty, cx)
        }
        Op::Edit { kind, id, fields } => with_kind!(kind.as_str(), R => {
            super::rules::check_editable(kind, fields)?;
            if kind == Task::KIND {
                super::onboarding::check_status_edit(store, id, fields)?;
            }
            let fields = super::docs::typed_cycle(kind, fields)?;
            super::people::check_manager(store, kind, id, &fields)?;
            let fields = people::<R>(store, &fields)?;
            let fields = cross_references::<R>(store, &fields)?;
            edit_fields::<R>(store, id, &fields, cx)
        }),
        Op::AddComment { task, text } => {
            let text = text.trim().to_string();
            let author = store.me()?.name;
            edit_record::<Task>(store, task, Edit::new("Comment on"), |_, t, audit, _| {
                t.comments.insert(
                    new_id(),
                    Comment {
                        author,
                        at: audit.at,
                        text,
                    },
                );
                Ok(())
            })
        }
        Op::AddChecklistItem { task, text } => {
            let text = text.trim().to_string();
            edit_record::<Task>(
                store,
                task,
                Edit::new("Add a checklist line to"),
                |_, t, _, _| {
                    crate::model::require_text("checklist line", &text)?;
                    let order = t.checklist.values().map(|c| c.order).max().unwrap_or(0) + 1;
                    t.checklist.insert(
                        new_id(),
                        ChecklistItem {
                            text,
                            done: false,
                            order,
                        },
                    );
                    Ok(())
                },
            )
        }
        Op::SetChecklistDone { task, item, done } => edit_record::<Task>(
            store,
            task,
            Edit::new("Tick the checklist of"),
            |_, t, _, _| {
                let line = t.checklist.get_mut(item).ok_or_else(|| {
                    StoreError::Rejected("that checklist line was removed".into())
                })?;
                line.done = *done;
                Ok(())
            },
        ),
        Op::AdjustStock {
            item,
            site,
            by,
            reason,
        } => {
            let change = store.adjust_stock(item, site, *by, reason.as_deref())?;
            Ok(stock_outcome(
                "Adjust stock",
                vec![Step::Stock {
                    item: item.clone(),
                    site: site.clone(),
                    delta: change.after - change.before,
                }],
                None,
            ))
        }
        Op::CountStock {
            item,
            site,
            counted,
        } => {
            let change = store.count_stock(item, site, *counted)?;
            let delta = change.after - change.before;
            Ok(stock_outcome(
                "Count stock",
                vec![Step::Stock {
                    item: item.clone(),
                    site: site.clone(),
                    delta,
                }],
                Some(format!("Counted {counted} (difference {delta:+})")),
            ))
        }
        Op::TransferStock {
            item,
            from,
            to,
            qty,
        } => {
            store.transfer_stock(item, from, to, *qty)?;
            Ok(stock_outcome(
                "Transfer stock",
                vec![
                    Step::Stock {
                        item: item.clone(),
                        site: from.clone(),
                        delta: -qty,
                    },
                    Step::Stock {
                        item: item.clone(),
                        site: to.clone(),
                        delta: *qty,
                    },
                ],
                Some(format!("Moved {qty}")),
            ))
        }
        Op::RankTasks { ranks } => super::many::rank_tasks(store, ranks),
        Op::MergeInto { kind, from, into } => super::many::merge_into(store, kind, from, into),
        Op::SetSiteReorder { item, site, level } => {
            store.require::<Site>(site)?;
            edit_record::<InventoryItem>(
                store,
                item,
                Edit::new("Set the reorder level of"),
                |_, i, _, _| {
                    match level {
                        Some(level) => i.reorder_at_site.insert(site.clone(), *level),
                        None => i.reorder_at_site.remove(site),
                    };
                    Ok(())
                },
            )
        }
        Op::Delete { kind, id } => with_kind!(kind.as_str(), R => {
            let at = super::now();
            edit_record::<R>(store, id, Edit::TRASH.verb("Delete"), |_, r, _, _| {
                if r.deleted_at().is_none() {
                    r.set_deleted_at(Some(at));
                }
                Ok(())
            })
        }),
        Op::RestoreVersion { kind, id, to } => with_kind!(kind.as_str(), R => {
            super::history::restore_version::<R>(store, id, to)
        }),
        Op::AddRule { when, then } => super::automation::add_rule(store, when, then, cx),
        Op::Resolve {
            kind,
            id,
            field,
            pick,
        } => with_kind!(kind.as_str(), R => super::conflicts::resolve::<R>(store, id, field, pick)),
        Op::Restore { kind, id } => with_kind!(kind.as_str(), R => {
            edit_record::<R>(store, id, Edit::TRASH.verb("Restore"), |_, r, _, _| {
                r.set_deleted_at(None);
                Ok(())
            })
        }),
    }
}

fn stock_outcome(label: &str, steps: Vec<Step>, message: Option<String>) -> (Outcome, Action) {
    (
        Outcome {
            created: None,
            message,
        },
        Action {
            label: label.to_string(),
            steps,
        },
    )
}

/// The record's fields as JSON, keyed by field name.
pub(super) fn json_fields<R: serde::Serialize>(record: &R) -> serde_json::Map<String, J> {
    match serde_json::to_value(record) {
        Ok(J::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// The user-visible fields that differ between two versions of a record.
pub(super) fn changes_between<R: serde::Serialize>(before: &R, after: &R) -> Vec<FieldChange> {
    let (b, a) = (json_fields(before), json_fields(after));
    a.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "updated_at" | "updated_by"))
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| FieldChange {
            key: k.clone(),
            before: b.get(k).cloned().unwrap_or(J::Null),
            after: v.clone(),
        })
        .collect()
}

/// How [`edit_record`] treats a record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edit {
    /// "Edit", "Comment on": the action's label starts with it.
    pub verb: &'static str,
    /// The record may be in the trash (delete, restore, undo).
    pub in_trash: bool,
    /// Derived fields follow the edit (off for undo, which restores them
    /// from the journal, so redoing a completion makes no second occurrence).
    pub derive: bool,
}

impl Edit {
    pub const TRASH: Edit = Edit {
        verb: "Delete",
        in_trash: true,
        derive: false,
    };
    pub const UNDO: Edit = Edit {
        verb: "Undo",
        in_trash: true,
        derive: false,
    };

    pub const fn new(verb: &'static str) -> Edit {
        Edit {
            verb,
            in_trash: false,
            derive: true,
        }
    }

    pub const fn verb(self, verb: &'static str) -> Edit {
        Edit { verb, ..self }
    }
}

/// Edits one record in one transaction: `f` changes a fresh copy read
/// inside the transaction; derived fields follow ([`Described::after_edit`]);
/// the result is validated and only the fields that differ are written. A
/// record to create alongside (a recurring task's next occurrence) is
/// created in the same commit.
pub(super) fn edit_record<R: Described>(
    store: &Store,
    id: &str,
    how: Edit,
    f: impl FnOnce(&mut Transaction<'_>, &mut R, &Audit, &mut Vec<Step>) -> Result<()>,
) -> Result<(Outcome, Action)> {
    let label_kind = R::LABEL;
    let verb = how.verb;
    store.change(R::AREA, &format!("{verb} {} {id}", R::KIND), |tx, audit| {
        let map = kind_map_mut(tx, R::KIND)?;
        let (obj, mut record) = hydrate_for_edit::<R>(tx, &map, id)?;
        if record.is_deleted() && !how.in_trash {
            return Err(StoreError::Rejected(format!(
                "this {label_kind} is in the trash; restore it first"
            )));
        }
        let before = record.clone();
        let mut steps = Vec::new();
        f(tx, &mut record, audit, &mut steps)?;
        let next = if how.derive {
            record.after_edit(&before, audit.at)
        } else {
            None
        };
        record.validate()?;
        if record.name() != before.name() {
            check_unique_name(tx, &record)?;
        }
        let changes = changes_between(&before, &record);
        let name = record.name().to_string();
        // Name what the person changed, in their words (not derived fields).
        let fields: Vec<String> = changes
            .iter()
            .filter_map(|c| R::spec(&c.key).ok())
            .map(|spec| spec.label.to_lowercase())
            .collect();
        write_edit(tx, &obj, &before, record, audit)?;
        if !changes.is_empty() {
            steps.push(Step::Fields {
                kind: R::KIND.into(),
                id: id.to_string(),
                changes,
            });
        }
        let mut outcome = Outcome::default();
        if let Some(mut next) = next {
            next.touch(audit, true);
            next.validate()?;
            autosurgeon::reconcile_prop(tx, &map, next.id(), &next)?;
            steps.push(Step::Created {
                kind: R::KIND.into(),
                id: next.id().to_string(),
            });
            outcome.message = Some("Next occurrence created".into());
            outcome.created = Some(next.id().to_string());
        }
        let label = if fields.is_empty() {
            format!("{verb} {label_kind} “{name}”")
        } else {
            format!("{verb} {label_kind} “{name}” ({})", fields.join(", "))
        };
        Ok((outcome, Action { label, steps }))
    })
}

/// Sets typed fields of one record.
pub(super) fn edit_fields<R: Described>(
    store: &Store,
    id: &str,
    fields: &[super::FieldInput],
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    edit_record::<R>(store, id, Edit::new("Edit"), |tx, record, audit, steps| {
        for (key, text) in fields {
            let text = resolve_reference::<R>(tx, key, text, audit, steps)?;
            record.set_field_text(key, &text, cx)?;
        }
        Ok(())
    })
}

/// Creates a record from typed fields in one transaction.
pub(super) fn create<R: Described>(
    store: &Store,
    fields: &[super::FieldInput],
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    create_with::<R>(store, fields, cx, |_| {})
}

/// [`create`], with fields people do not type set first by `prefill` (a
/// document's body document).
pub(super) fn create_with<R: Described>(
    store: &Store,
    fields: &[super::FieldInput],
    cx: &FieldContext,
    prefill: impl FnOnce(&mut R),
) -> Result<(Outcome, Action)> {
    let mut record = R::default();
    prefill(&mut record);
    let id = fields
        .iter()
        .find(|(k, _)| k == "id")
        .map_or_else(new_id, |(_, v)| v.clone());
    set_id(&mut record, &id);
    // Amounts not typed are zero in the workspace currency.
    for spec in R::fields().iter().filter(|s| s.kind == FieldKind::Money) {
        record.set_field_text(spec.key, "0", cx)?;
    }
    store.change(R::AREA, &format!("create {} {id}", R::KIND), |tx, audit| {
        let mut steps = Vec::new();
        for (key, text) in fields.iter().filter(|(k, _)| k != "id") {
            let text = resolve_reference::<R>(tx, key, text, audit, &mut steps)?;
            record.set_field_text(key, &text, cx)?;
        }
        record.validate()?;
        check_unique_name(tx, &record)?;
        let map = kind_map_mut(tx, R::KIND)?;
        if automerge::ReadDoc::get(&*tx, &map, id.as_str())?.is_some() {
            return Err(StoreError::Rejected(format!(
                "a {} with id {id} already exists",
                R::LABEL
            )));
        }
        record.touch(audit, true);
        autosurgeon::reconcile_prop(tx, &map, id.as_str(), &record)?;
        steps.push(Step::Created {
            kind: R::KIND.into(),
            id: id.clone(),
        });
        let label = format!("Create {} “{}”", R::LABEL, record.name());
        Ok((
            Outcome {
                created: Some(id.clone()),
                message: None,
            },
            Action { label, steps },
        ))
    })
}

/// Sets a new record's id through its JSON form (every kind has `id`).
pub(super) fn set_id<R: Record>(record: &mut R, id: &str) {
    let mut fields = json_fields(record);
    fields.insert("id".into(), J::String(id.to_string()));
    if let Ok(r) = serde_json::from_value(J::Object(fields)) {
        *record = r;
    }
}
