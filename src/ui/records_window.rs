//! A small window to manage a simple kind (sites, projects) from its
//! description: add by name, rename in place (commits on Enter or focus
//! loss), flags such as "archived", delete with a confirmation.

use std::sync::Arc;

use super::backend::Command;
use super::confirm::Pending;
use super::fields::text_field;
use crate::model::schema::{Described, FieldKind};
use crate::ops::Op;

#[derive(Default)]
pub struct RecordsWindow {
    pub open: bool,
    new_name: String,
    confirm: Pending,
}

pub fn show<R: Described>(
    ctx: &egui::Context,
    state: &mut RecordsWindow,
    records: &[Arc<R>],
    commands: &mut Vec<Command>,
) {
    if !state.open {
        return;
    }
    let mut open = true;
    egui::Window::new(R::TITLE)
        .collapsible(false)
        .open(&mut open)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(format!("New {}", R::LABEL));
                let edit = ui
                    .add(egui::TextEdit::singleline(&mut state.new_name).hint_text("name"))
                    .labelled_by(label.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let name = state.new_name.trim().to_string();
                let add = ui
                    .add_enabled(!name.is_empty(), egui::Button::new("Add"))
                    .on_disabled_hover_text("Type a name first");
                if (add.clicked() || enter) && !name.is_empty() {
                    commands.push(Command::Op(Op::Create {
                        kind: R::KIND.into(),
                        fields: vec![(R::NAME_FIELD.into(), name)],
                    }));
                    state.new_name.clear();
                }
            });
            ui.separator();
            if records.is_empty() {
                ui.weak(format!("No {}s yet.", R::LABEL));
            }
            let flags: Vec<_> = R::fields()
                .iter()
                .filter(|f| f.kind == FieldKind::Flag)
                .collect();
            egui::Grid::new(("records window", R::KIND))
                .num_columns(2 + flags.len())
                .striped(true)
                .show(ui, |ui| {
                    for record in records {
                        let label = ui.label("Name");
                        let current = record.name().to_string();
                        if let Some(text) =
                            text_field(ui, (record.id(), "name"), &current, false, label.id)
                        {
                            commands.push(Command::Op(Op::set(
                                R::KIND,
                                record.id(),
                                R::NAME_FIELD,
                                text,
                            )));
                        }
                        for flag in &flags {
                            let mut on = record.field_text(flag.key).as_deref() == Some("yes");
                            if ui.checkbox(&mut on, flag.label).changed() {
                                let value = if on { "yes" } else { "no" };
                                commands.push(Command::Op(Op::set(
                                    R::KIND,
                                    record.id(),
                                    flag.key,
                                    value,
                                )));
                            }
                        }
                        // Two with one name (made offline on two devices):
                        // offer to merge this one into the first.
                        let first = records.iter().find(|r| {
                            crate::model::schema::same_name(r.name(), &current)
                        });
                        if let Some(first) = first.filter(|f| f.id() != record.id()) {
                            let merge = ui
                                .button("Merge into the other")
                                .on_hover_text(format!(
                                    "Two {}s are called “{current}”: move everything to the first and trash this one",
                                    R::LABEL
                                ));
                            if merge.clicked() {
                                commands.push(Command::Op(Op::MergeInto {
                                    kind: R::KIND.into(),
                                    from: record.id().to_string(),
                                    into: first.id().to_string(),
                                }));
                            }
                        }
                        let question = format!(
                            "Move “{current}” to the Trash? You can restore it from Trash."
                        );
                        state.confirm.trash(
                            ui,
                            R::KIND,
                            record.id(),
                            "Delete",
                            &question,
                            commands,
                        );
                        ui.end_row();
                    }
                });
        });
    if !open {
        state.open = false;
    }
}
