//! First run: create a workspace, or join one with an invite ticket.

use super::backend::{Command, ViewModel};
use crate::sync::Ticket;

#[derive(Default)]
pub struct SetupState {
    pub workspace: String,
    pub name: String,
    pub ticket: String,
    pub join_name: String,
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut SetupState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.heading("Welcome to Bureau");
        ui.label("Tasks, supplies, vendors and more for the people who keep offices running.");
        ui.label(format!(
            "Data is kept on this computer in {}",
            vm.data_dir.display()
        ));
        ui.add_space(24.0);
    });
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.group(|ui| {
            ui.heading("Start a new workspace");
            let label = ui.label("Workspace name");
            ui.add(
                egui::TextEdit::singleline(&mut state.workspace)
                    .hint_text("your office or team, e.g. “Acme Office”"),
            )
            .labelled_by(label.id);
            let label = ui.label("Your name");
            let name = ui
                .add(
                    egui::TextEdit::singleline(&mut state.name).hint_text("as your team knows you"),
                )
                .labelled_by(label.id);
            let missing: Vec<&str> = [
                (state.workspace.trim().is_empty(), "a workspace name"),
                (state.name.trim().is_empty(), "your name"),
            ]
            .into_iter()
            .filter_map(|(empty, what)| empty.then_some(what))
            .collect();
            let ready = missing.is_empty();
            if !ready {
                ui.weak(format!("Type {} to create it.", missing.join(" and ")));
            }
            let enter = name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui
                .add_enabled(ready, egui::Button::new("Create workspace"))
                .clicked()
                || enter)
                && ready
            {
                commands.push(Command::CreateWorkspace {
                    workspace: state.workspace.trim().to_string(),
                    name: state.name.trim().to_string(),
                });
            }
        });
        let ui = &mut cols[1];
        ui.group(|ui| {
            ui.heading("Join your team");
            let label = ui.label("Invite ticket");
            ui.add(
                egui::TextEdit::multiline(&mut state.ticket)
                    .desired_rows(3)
                    .hint_text("bureau2…"),
            )
            .labelled_by(label.id);
            let label = ui.label("Your name ");
            ui.add(egui::TextEdit::singleline(&mut state.join_name))
                .labelled_by(label.id);
            let ready = Ticket::looks_like(&state.ticket) && !state.join_name.trim().is_empty();
            if !state.ticket.trim().is_empty() && !Ticket::looks_like(&state.ticket) {
                ui.colored_label(
                    super::ERROR_COLOR,
                    "A ticket starts with “bureau2”: paste the whole text you were sent.",
                );
            } else if !ready {
                ui.weak("Paste the ticket you were sent and type your name to join.");
            }
            if ui
                .add_enabled(ready, egui::Button::new("Join workspace"))
                .clicked()
            {
                commands.push(Command::Join {
                    ticket: state.ticket.trim().to_string(),
                    name: state.join_name.trim().to_string(),
                });
            }
            ui.small("The person who invited you must have Bureau running.");
        });
    });
}
