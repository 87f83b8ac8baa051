//! The recovery phrase, shown once when a recovery kit is made (a new
//! workspace, or "Make a new recovery kit" in Team & Sync), until the user
//! says it is written down.

use super::backend::{Command, ViewModel};

pub fn show(ctx: &egui::Context, vm: &ViewModel, commands: &mut Vec<Command>) {
    let Some(phrase) = &vm.recovery_phrase else {
        return;
    };
    egui::Modal::new(egui::Id::unique("recovery phrase")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading("Write down your recovery phrase");
        ui.label(
            "If every admin device is lost, these 24 words make any member's device an admin \
             again (bureau recover). Keep them on paper, somewhere safe. They are shown only now; \
             no device keeps them.",
        );
        ui.add_space(8.0);
        egui::Grid::new("recovery words")
            .num_columns(4)
            .spacing([24.0, 6.0])
            .show(ui, |ui| {
                for (i, word) in phrase.split(' ').enumerate() {
                    ui.monospace(format!("{:>2}. {word}", i + 1));
                    if i % 4 == 3 {
                        ui.end_row();
                    }
                }
            });
        ui.add_space(8.0);
        if ui.button("I have written it down").clicked() {
            commands.push(Command::ForgetRecoveryPhrase);
        }
    });
}
