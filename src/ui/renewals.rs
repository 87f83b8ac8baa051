//! The renewal calendar (contracts by the last day to give notice, the
//! soonest first, with the selected contract's fields) and the reorder
//! plan (what is low, drafted into orders per preferred vendor).

use egui_extras::{Column, TableBuilder};

use super::backend::{Command, ViewModel};
use super::fields::{FormContext, details_form};
use super::order_form::ContractDraft;
use super::purchasing::{PurchasingState, Tab, references};
use crate::ops::Op;

/// Deadlines this close are highlighted (and on the dashboard).
pub const DECISION_DAYS: i64 = 30;

pub fn show(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    if let Some(id) = state.selected_contract.clone() {
        match view.contracts.iter().find(|c| c.id == id) {
            Some(contract) => super::layout::details_side(ui, "Contract details", |ui| {
                ui.horizontal(|ui| {
                    ui.heading(&contract.title);
                    if ui.button("Close").clicked() {
                        state.selected_contract = None;
                    }
                });
                if let Some(r) = contract.renewal(vm.today) {
                    let left = vm.today.days_until(r.deadline);
                    let when = if left < 0 {
                        format!(
                            "the notice deadline {} passed {} days ago",
                            r.deadline, -left
                        )
                    } else {
                        format!("give notice by {} ({left} days left)", r.deadline)
                    };
                    ui.label(format!("Term ends {}; {when}.", r.term_end));
                }
                let references = references(vm);
                let cx = FormContext::of(vm, &references);
                details_form(ui, &**contract, &cx, &mut state.errors, commands);
                let question = format!("Move “{}” to the Trash?", contract.title);
                if state
                    .confirm
                    .button(ui, &contract.id, "Delete contract", &question)
                {
                    commands.push(Command::Op(Op::Delete {
                        kind: "contracts".into(),
                        id: contract.id.clone(),
                    }));
                }
            }),
            None => state.selected_contract = None,
        }
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("New contract").clicked() {
                state.new_contract = Some(ContractDraft::default());
            }
            ui.label(format!(
                "Notice deadlines in the next year, soonest first; within {DECISION_DAYS} days is highlighted."
            ));
        });
        if view.renewals.is_empty() {
            ui.weak(if view.contracts.is_empty() {
                "No contracts yet. Add them with their end date and notice period, and Bureau tells you when to decide."
            } else {
                "No notice deadline in the next year."
            });
            return;
        }
        let mut clicked = None;
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::remainder().at_least(160.0).clip(true))
            .column(Column::initial(150.0).clip(true))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(100.0))
            .header(24.0, |mut header| {
                for h in ["Deadline", "Days left", "Contract", "Vendor", "Term ends", "Renews", "Value"] {
                    header.col(|ui| {
                        ui.strong(h);
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, view.renewals.len(), |mut row| {
                    let r = &view.renewals[row.index()];
                    row.set_selected(state.selected_contract.as_deref() == Some(r.contract.id.as_str()));
                    let color = if r.days_left < 0 {
                        Some(super::ERROR_COLOR)
                    } else if r.days_left <= DECISION_DAYS {
                        Some(super::WARN_COLOR)
                    } else {
                        None
                    };
                    let cells = [
                        r.deadline.to_string(),
                        if r.days_left < 0 {
                            format!("passed {} days ago", -r.days_left)
                        } else {
                            r.days_left.to_string()
                        },
                        r.contract.title.clone(),
                        view.vendor_name(&r.contract.vendor).to_string(),
                        r.term_end.to_string(),
                        if r.contract.auto_renew { "auto" } else { "no" }.to_string(),
                        r.contract.annual_value.to_string(),
                    ];
                    for (i, cell) in cells.into_iter().enumerate() {
                        row.col(|ui| {
                            let text = egui::RichText::new(cell);
                            let text = match (i, color) {
                                (0 | 1, Some(c)) => text.color(c).strong(),
                                _ => text,
                            };
                            if ui.add(egui::Label::new(text)
                                    .wrap_mode(egui::TextWrapMode::Extend)
                                    .sense(egui::Sense::click())).clicked() {
                                clicked = Some(r.contract.id.clone());
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(r.contract.id.clone());
                    }
                });
            });
        if let Some(id) = clicked {
            state.selected_contract = Some(id);
        }
    });
}

pub fn reorder(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let plan = &vm.purchasing.reorder;
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("reorder").show(ui, |ui| {
            if plan.orders.is_empty() && plan.without_vendor.is_empty() {
                ui.weak("Nothing to reorder: no item is at or below its reorder level, or what is low is already on order.");
                return;
            }
            ui.label("Quantities bring each item back to its reorder level plus half again, less what is already on order.");
            if !plan.orders.is_empty() {
                let n = plan.orders.len();
                if ui
                    .button(format!("Draft {n} purchase order{}", if n == 1 { "" } else { "s" }))
                    .clicked()
                {
                    commands.push(Command::Op(Op::Reorder {
                        site: None,
                        buffer_percent: crate::model::reorder::DEFAULT_BUFFER_PERCENT,
                    }));
                    state.tab = Tab::Orders;
                }
            }
            for draft in &plan.orders {
                ui.add_space(8.0);
                ui.strong(format!(
                    "{}, to {}",
                    vm.purchasing.vendor_name(&draft.vendor),
                    vm.site_name(&draft.site)
                ));
                suggestions(ui, &draft.vendor, &draft.site, &draft.lines, vm);
            }
            if !plan.without_vendor.is_empty() {
                ui.add_space(8.0);
                ui.strong("No preferred vendor (set one on the item in Inventory)");
                suggestions(ui, "none", "", &plan.without_vendor, vm);
            }
        });
    });
}

fn suggestions(
    ui: &mut egui::Ui,
    vendor: &str,
    site: &str,
    lines: &[crate::model::reorder::Suggestion],
    vm: &ViewModel,
) {
    egui::Grid::new(("reorder", vendor, site))
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in ["Item", "Site", "On hand", "Reorder at", "On order", "Order"] {
                ui.strong(h);
            }
            ui.end_row();
            for s in lines {
                ui.label(&s.item_name);
                ui.label(vm.site_name(&s.site));
                ui.label(s.on_hand.to_string());
                ui.label(s.threshold.to_string());
                ui.label(s.on_order.to_string());
                let price = s
                    .last_price
                    .as_ref()
                    .map_or(" (no price yet)".to_string(), |p| format!(" at {p}"));
                ui.label(format!("{} {}{price}", s.quantity, s.unit));
                ui.end_row();
            }
        });
}
