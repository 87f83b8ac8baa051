//! Invoices and the three-way match: the invoice table, the match view
//! (ordered, received and invoiced side by side, the lines that disagree
//! highlighted, the reasons in words), approving and paying, the match
//! tolerance, and the reconcile queue.

use super::backend::{Command, ViewModel};
use super::fields::{FormContext, details_form};
use super::layout::{details_side, still_there};
use super::order_form::InvoiceDraft;
use super::purchasing::{PurchasingState, Tab, cell, references};
use super::record_table::record_table;
use crate::model::matching::{MatchState, percent_text};
use crate::model::orders::{amount_text, parse_percent};
use crate::model::schema::{Described, FieldSpec};
use crate::model::{Invoice, InvoiceStatus, Money, Receipt, Record};
use crate::ops::{Decision, Op};

fn state_color(state: MatchState) -> egui::Color32 {
    match state {
        MatchState::Matched => egui::Color32::from_rgb(60, 160, 90),
        MatchState::Discrepancy => super::WARN_COLOR,
        MatchState::NoOrder => egui::Color32::GRAY,
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let exists = |id: &str| view.invoice(id).is_some();
    if let Some(id) = still_there(&mut state.selected_invoice, exists) {
        details_side(ui, "Invoice details", |ui| {
            details(ui, state, vm, &id, commands)
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui.button("New invoice").clicked() {
                state.new_invoice = Some(InvoiceDraft::default());
            }
            ui.separator();
            tolerance(ui, state, vm, commands);
        });
        if view.invoices.is_empty() {
            ui.weak("No invoices yet. “New invoice” enters one; link it to its purchase order and it is matched against what was ordered and received.");
            return;
        }
        ui.label(format!("{} invoice(s)", view.invoices.len()));
        let display =
            |i: &Invoice, spec: &FieldSpec| cell(vm, i, spec, || view.invoice_status(i));
        let paint = |ui: &mut egui::Ui, i: &Invoice, spec: &FieldSpec| match spec.key {
            "status" if i.status == InvoiceStatus::Received => {
                let m = view.matches.get(&i.id)?;
                Some(ui.colored_label(state_color(m.state), m.state.as_str()))
            }
            "due" if i.is_open() && i.due.is_some_and(|d| d < vm.today) => Some(
                ui.colored_label(super::ERROR_COLOR, i.field_text("due").unwrap_or_default()),
            ),
            _ => None,
        };
        let key = std::sync::Arc::as_ptr(&vm.purchasing) as usize;
        record_table(
            ui,
            &mut state.invoices,
            &view.invoices,
            key,
            &mut state.selected_invoice,
            &display,
            &paint,
        );
    });
}

/// "Invoices match within [1] % or [1.00]": commits on Enter.
fn tolerance(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let current = vm.purchasing.tolerance;
    let (percent, amount) = &mut state.tolerance;
    let (percent_id, amount_id) = (
        egui::Id::unique("tolerance percent"),
        egui::Id::unique("tolerance amount"),
    );
    let editing = ui.memory(|m| {
        m.focused()
            .is_some_and(|f| f == percent_id || f == amount_id)
    });
    if !editing {
        *percent = percent_text(current.percent_bp);
        *amount = amount_text(current.absolute_minor);
    }
    let l = ui.label("Invoices match within");
    let p = ui
        .add(
            egui::TextEdit::singleline(percent)
                .id(percent_id)
                .desired_width(36.0),
        )
        .labelled_by(l.id);
    ui.label("% or");
    let a = ui
        .add(
            egui::TextEdit::singleline(amount)
                .id(amount_id)
                .desired_width(60.0),
        )
        .labelled_by(l.id);
    ui.label(vm.currency.as_str());
    let committed =
        (p.lost_focus() || a.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if committed {
        let parsed = parse_percent(percent).ok().zip(
            Money::parse(amount, "XXX")
                .ok()
                .filter(|m| m.minor >= 0)
                .map(|m| m.minor),
        );
        match parsed {
            Some((percent_bp, absolute_minor)) => commands.push(Command::Op(Op::SetTolerance {
                percent_bp,
                absolute_minor,
            })),
            None => {
                ui.colored_label(
                    super::ERROR_COLOR,
                    "Type a percent (e.g. 2) and an amount (e.g. 5.00)",
                );
            }
        }
    }
}

fn details(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let Some(invoice) = view.invoice(id) else {
        return;
    };
    let Some(m) = view.matches.get(id) else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(format!("Invoice {}", invoice.number));
        if ui.button("Close").clicked() {
            state.selected_invoice = None;
        }
    });
    if ui
        .link(format!("From {}", view.vendor_name(&invoice.vendor)))
        .clicked()
    {
        state.open_vendor = Some(invoice.vendor.clone());
    }
    ui.label(format!(
        "Total {} · dated {} · due {}",
        invoice.total,
        invoice.date,
        invoice.due.map_or("—".into(), |d| d.to_string())
    ));
    ui.horizontal(|ui| {
        ui.label("Match:");
        ui.colored_label(state_color(m.state), m.state.as_str());
        if invoice.status != InvoiceStatus::Received {
            ui.label(format!("· {}", invoice.status));
        }
    });
    for reason in &m.reasons {
        ui.colored_label(super::WARN_COLOR, format!("• {reason}"));
    }
    if !m.lines.is_empty() {
        match_grid(ui, m);
    }
    if let Some(po) = invoice
        .purchase_order
        .as_deref()
        .and_then(|p| view.order(p))
        && ui.link(format!("Open {}", po.number)).clicked()
    {
        state.tab = Tab::Orders;
        state.selected_order = Some(po.id.clone());
    }
    if let Some(note) = &invoice.approval_note {
        ui.label(format!("Approved despite: {note}"));
    }
    decisions(ui, state, invoice, m.state, commands);
    ui.separator();
    let references = references(vm);
    let cx = FormContext::of(vm, &references);
    details_form(ui, invoice, &cx, &mut state.errors, commands);
}

/// Ordered, received and invoiced side by side; disagreeing lines
/// highlighted.
fn match_grid(ui: &mut egui::Ui, m: &crate::model::matching::InvoiceMatch) {
    egui::Grid::new("match lines")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "Line",
                "Ordered",
                "Received",
                "Invoiced",
                "Order price",
                "Invoice price",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for line in &m.lines {
                let cells = [
                    line.description.clone(),
                    line.ordered.to_string(),
                    line.received.to_string(),
                    line.invoiced.to_string(),
                    line.ordered_price.map_or("—".into(), amount_text),
                    line.invoiced_price.map_or("—".into(), amount_text),
                ];
                for cell in cells {
                    if line.problem {
                        ui.colored_label(super::WARN_COLOR, egui::RichText::new(cell).strong());
                    } else {
                        ui.label(cell);
                    }
                }
                ui.end_row();
            }
        });
}

fn decisions(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    invoice: &Invoice,
    matched: MatchState,
    commands: &mut Vec<Command>,
) {
    let decide = |decision| {
        Command::Op(Op::DecideInvoice {
            invoice: invoice.id.clone(),
            decision,
        })
    };
    match invoice.status {
        InvoiceStatus::Received | InvoiceStatus::Disputed => {
            if matched == MatchState::Matched {
                if ui.button("Approve for payment").clicked() {
                    commands.push(decide(Decision::Approve { note: None }));
                }
            } else {
                let l = ui.label("Approve anyway because");
                ui.add(
                    egui::TextEdit::singleline(&mut state.approve_note)
                        .hint_text("e.g. credit note for 4 boxes promised"),
                )
                .labelled_by(l.id);
                let note = state.approve_note.trim().to_string();
                if ui
                    .add_enabled(!note.is_empty(), egui::Button::new("Approve anyway"))
                    .on_disabled_hover_text("Say why it can be paid although it does not match")
                    .clicked()
                {
                    commands.push(decide(Decision::Approve { note: Some(note) }));
                    state.approve_note.clear();
                }
            }
            if invoice.status == InvoiceStatus::Received && ui.button("Dispute").clicked() {
                commands.push(decide(Decision::Dispute));
            }
        }
        InvoiceStatus::Approved => {
            if ui.button("Mark paid").clicked() {
                commands.push(decide(Decision::Pay));
            }
        }
        InvoiceStatus::Paid => {
            ui.label(format!(
                "Paid {}",
                invoice.paid_on.map_or(String::new(), |d| d.to_string())
            ));
        }
        InvoiceStatus::Unknown => {}
    }
}

/// The reconcile queue: invoices that do not match, and receipts that
/// look recorded twice.
pub fn reconcile(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal_wrapped(|ui| tolerance(ui, state, vm, commands));
        ui.separator();
        let queue: Vec<&Invoice> = view.to_reconcile().collect();
        ui.heading(format!("Invoices to reconcile: {}", queue.len()));
        if queue.is_empty() {
            ui.weak("Every invoice matches its order and what was received.");
        }
        egui::ScrollArea::vertical()
            .id_salt("reconcile")
            .show(ui, |ui| {
                for invoice in queue {
                    let Some(m) = view.matches.get(&invoice.id) else {
                        continue;
                    };
                    ui.horizontal_wrapped(|ui| {
                        if ui
                            .link(format!(
                                "{} from {} ({})",
                                invoice.number,
                                view.vendor_name(&invoice.vendor),
                                invoice.total
                            ))
                            .clicked()
                        {
                            state.tab = Tab::Invoices;
                            state.selected_invoice = Some(invoice.id.clone());
                        }
                        let why = if m.reasons.is_empty() {
                            "not linked to a purchase order".to_string()
                        } else {
                            m.reasons.join("; ")
                        };
                        ui.colored_label(state_color(m.state), why);
                    });
                }
                ui.add_space(12.0);
                ui.heading(format!(
                    "Receipts that may be recorded twice: {}",
                    view.duplicates.len()
                ));
                if view.duplicates.is_empty() {
                    ui.weak("None.");
                }
                for (receipt_id, first) in &view.duplicates {
                    let Some(r) = view.receipts.iter().find(|r| &r.id == receipt_id) else {
                        continue;
                    };
                    let po = view.order(&r.purchase_order);
                    let number = po.map_or("?", |p| p.number.as_str());
                    let count: i64 = r.total_quantity();
                    let who = |member: &str| {
                        vm.members
                            .iter()
                            .find(|m| m.member_id == member)
                            .map_or("someone".to_string(), |m| m.name.clone())
                    };
                    let earlier =
                        view.receipts
                            .iter()
                            .find(|e| &e.id == first)
                            .map_or(String::new(), |e| {
                                format!(
                                    " — the same as {}'s receipt of {}",
                                    who(&e.created_by),
                                    e.received_on
                                )
                            });
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!(
                            "{number}: {count} received at {} on {} by {}{earlier}",
                            vm.site_name(&r.site),
                            r.received_on,
                            who(&r.created_by)
                        ));
                        if ui.button("Open order").clicked() {
                            state.tab = Tab::Orders;
                            state.selected_order = Some(r.purchase_order.clone());
                        }
                        if ui.button("Not a duplicate").clicked() {
                            commands.push(Command::Op(Op::set(
                                Receipt::KIND,
                                &r.id,
                                "not_duplicate",
                                "yes",
                            )));
                        }
                        let question =
                            format!("Take this receipt back? {count} leave the stock again.");
                        if state.confirm.button(ui, &r.id, "Take back", &question) {
                            commands.push(Command::Op(Op::VoidReceipt {
                                receipt: r.id.clone(),
                                attempt: None,
                            }));
                        }
                    });
                }
            });
    });
}
