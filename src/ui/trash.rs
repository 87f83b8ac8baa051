//! Trash: deleted tasks, projects, items and sites, newest first, with who
//! deleted each and when; Restore brings one back. Nothing is purged.

use super::backend::{Command, ViewModel};
use crate::ops::Op;

pub fn show(ui: &mut egui::Ui, vm: &ViewModel, commands: &mut Vec<Command>) {
    ui.heading("Trash");
    ui.label("Deleted records stay here until restored; nothing is removed for good.");
    ui.add_space(6.0);
    let Some(entries) = &vm.trash else {
        ui.label("Loading…");
        return;
    };
    if entries.is_empty() {
        ui.label("The trash is empty.");
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("trash")
            .num_columns(4)
            .striped(true)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                for heading in ["Kind", "Name", "Deleted", ""] {
                    ui.strong(heading);
                }
                ui.end_row();
                for e in entries.iter() {
                    ui.label(e.label);
                    ui.label(&e.name);
                    ui.label(format!("{} by {}", e.deleted_at, e.deleted_by));
                    let restore = ui
                        .button("Restore")
                        .on_hover_text(format!("Bring the {} “{}” back", e.label, e.name));
                    if restore.clicked() {
                        commands.push(Command::Op(Op::Restore {
                            kind: e.kind.to_string(),
                            id: e.id.clone(),
                        }));
                    }
                    ui.end_row();
                }
            });
    });
}
