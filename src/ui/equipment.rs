//! Equipment, a tab of Facilities: the assets with who holds each, handing
//! one out and taking it back, its history, and a hand-out made twice on
//! offline devices shown with both names and one click to settle it.

use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form, quick_add};
use super::record_table::{TableState, record_table};
use crate::model::schema::{Described, FieldSpec};
use crate::model::{Asset, Record};
use crate::ops::Op;

#[derive(Default)]
pub struct EquipmentState {
    table: TableState,
    pub selected: Option<String>,
    new_asset: Vec<(String, String)>,
    assign_to: String,
    errors: FieldErrors,
    confirm: super::confirm::Pending,
}

impl EquipmentState {
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, .. } = notice
            && kind == Asset::KIND
        {
            self.new_asset.clear();
        }
    }
}

/// The selected asset's details, beside the table.
pub fn details(
    ui: &mut egui::Ui,
    state: &mut EquipmentState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.facilities;
    let Some(id) = super::layout::still_there(&mut state.selected, |id| view.asset(id).is_some())
    else {
        return;
    };
    let Some(asset) = view.asset(&id).cloned() else {
        return;
    };
    super::layout::details_side(ui, "Asset details", |ui| {
        ui.horizontal(|ui| {
            ui.heading(format!("{} {}", asset.tag, asset.name));
            if ui.button("Close").clicked() {
                state.selected = None;
            }
        });
        if let Some(holders) = view.asset_conflicts.get(&asset.id) {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.colored_label(
                    super::ERROR_COLOR,
                    format!(
                        "Handed out twice on different devices: to {}. Who has it?",
                        holders.join(" and ")
                    ),
                );
                ui.horizontal_wrapped(|ui| {
                    for holder in holders {
                        if ui.button(format!("It is with {holder}")).clicked() {
                            commands.push(Command::Op(Op::ReturnAsset {
                                asset: asset.id.clone(),
                            }));
                            commands.push(Command::Op(Op::AssignAsset {
                                asset: asset.id.clone(),
                                to: holder.clone(),
                            }));
                        }
                    }
                });
            });
        }
        match &asset.holder {
            Some(holder) => {
                ui.horizontal(|ui| {
                    ui.label(format!("Held by {holder}"));
                    if ui.button("Take back").clicked() {
                        commands.push(Command::Op(Op::ReturnAsset {
                            asset: asset.id.clone(),
                        }));
                    }
                });
            }
            None => {
                ui.horizontal(|ui| {
                    let l = ui.label("Hand to");
                    ui.add(
                        egui::TextEdit::singleline(&mut state.assign_to)
                            .hint_text("a name")
                            .desired_width(140.0),
                    )
                    .labelled_by(l.id);
                    let named = !state.assign_to.trim().is_empty();
                    if ui
                        .add_enabled(named, egui::Button::new("Hand out"))
                        .clicked()
                    {
                        commands.push(Command::Op(Op::AssignAsset {
                            asset: asset.id.clone(),
                            to: std::mem::take(&mut state.assign_to),
                        }));
                    }
                });
            }
        }
        let references = super::purchasing::references(vm);
        let cx = FormContext::of(vm, &references);
        details_form(ui, &*asset, &cx, &mut state.errors, commands);
        ui.separator();
        ui.strong("History");
        let events = asset.events();
        if events.is_empty() {
            ui.weak("Never handed out.");
        }
        for e in events.iter().rev() {
            ui.label(format!(
                "{} — {} {} (by {})",
                crate::model::schema::FieldText::to_text(&e.at),
                e.action,
                e.person.as_deref().unwrap_or(""),
                e.by
            ));
        }
        ui.separator();
        let question = format!(
            "Move {} to the Trash? You can restore it from Trash.",
            asset.tag
        );
        if state.confirm.trash(
            ui,
            Asset::KIND,
            &asset.id,
            "Delete asset",
            &question,
            commands,
        ) {
            state.selected = None;
        }
    });
}

/// The equipment table with its quick-add row.
pub fn table(
    ui: &mut egui::Ui,
    state: &mut EquipmentState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    quick_add(
        ui,
        &mut state.new_asset,
        &[
            ("tag", "Asset tag", "LT-0042", 80.0),
            ("name", "Thing", "Laptop", 110.0),
            ("site", "At site", "HQ", 80.0),
            ("warranty_end", "Warranty ends", "2027-06-30", 90.0),
        ],
        (Asset::KIND, "Add asset"),
        commands,
    );
    ui.separator();
    let view = &vm.facilities;
    if view.assets.is_empty() {
        ui.weak("No equipment yet. Add laptops, phones and the like with their asset tags: who holds each, and its history, follow here.");
        return;
    }
    let display = |a: &Asset, spec: &FieldSpec| match spec.key {
        "site" => a
            .site
            .as_deref()
            .map(|s| vm.site_name(s).to_string())
            .unwrap_or_default(),
        _ => a.field_text(spec.key).unwrap_or_default(),
    };
    let paint = |ui: &mut egui::Ui, a: &Asset, spec: &FieldSpec| {
        let holders = view.asset_conflicts.get(&a.id)?;
        (spec.key == "holder").then(|| {
            ui.colored_label(
                super::ERROR_COLOR,
                format!("conflict: {}", holders.join(" / ")),
            )
        })
    };
    let key = std::sync::Arc::as_ptr(&view.assets) as usize;
    record_table(
        ui,
        &mut state.table,
        &view.assets,
        key,
        &mut state.selected,
        &display,
        &paint,
    );
}
