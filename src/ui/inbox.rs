//! Inbox: this member's reminders (computed on this device, no network),
//! unread first, each with Open, Mark read and Snooze; the rules an admin
//! sets ("when … then …"); and the rule log (what fired, when, on which
//! device, what it did). Read and snooze follow the member to their other
//! devices.

use super::areas::Jump;
use super::backend::{Command, ViewModel};
use crate::model::automation::Rule;
use crate::model::schema::FieldText;
use crate::model::{Record, Role};
use crate::ops::Op;
use crate::store::Mark;
use crate::views::reminders::InboxEntry;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Reminders,
    Rules,
    Log,
}

#[derive(Default)]
pub struct InboxState {
    pub tab: Tab,
    when: String,
    then: String,
    confirm: super::confirm::Pending,
    /// A record to open (the app navigates there).
    pub open: Option<Jump>,
}

/// The sidebar's count: unread reminders.
pub fn badge(vm: &ViewModel) -> Option<(usize, String)> {
    let n = vm.inbox.unread;
    (n > 0).then(|| (n, format!("{n} unread reminder(s)")))
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut InboxState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Inbox");
        ui.add_space(12.0);
        let tabs = [
            (Tab::Reminders, format!("Reminders ({})", vm.inbox.unread)),
            (Tab::Rules, format!("Rules ({})", vm.automation.rules.len())),
            (Tab::Log, "Rule log".to_string()),
        ];
        for (tab, label) in tabs {
            if ui.selectable_label(state.tab == tab, label).clicked() {
                state.tab = tab;
            }
        }
    });
    ui.add_space(6.0);
    match state.tab {
        Tab::Reminders => reminders(ui, state, vm, commands),
        Tab::Rules => rules(ui, state, vm, commands),
        Tab::Log => log(ui, vm),
    }
}

fn snooze_until(vm: &ViewModel, hours: i64) -> crate::model::Stamp {
    crate::model::Stamp::from_millis(vm.now.millis() + hours * 3_600_000)
}

fn reminders(
    ui: &mut egui::Ui,
    state: &mut InboxState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.label(
        "Due tasks you own, notice deadlines, low stock, reviews, late maintenance, meetings about to start and what rules escalated to you. Worked out on this device, online or not.",
    );
    ui.add_space(6.0);
    if vm.inbox.entries.is_empty() {
        ui.label("Nothing needs you now.");
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for entry in vm.inbox.entries.iter() {
            reminder_row(ui, state, vm, entry, commands);
            ui.separator();
        }
    });
}

fn reminder_row(
    ui: &mut egui::Ui,
    state: &mut InboxState,
    vm: &ViewModel,
    entry: &InboxEntry,
    commands: &mut Vec<Command>,
) {
    let r = &entry.reminder;
    let mark = |mark: Mark| Command::MarkReminder {
        key: r.key.clone(),
        mark,
    };
    // The text takes what the buttons leave, and wraps there.
    let width = ui.available_width();
    let text_width = (width - 340.0).max(width * 0.5);
    ui.horizontal(|ui| {
        ui.allocate_ui_with_layout(
            egui::vec2(text_width, 0.0),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(text_width);
                let title = egui::RichText::new(&r.title);
                if entry.unread {
                    ui.label(title.strong());
                } else {
                    ui.label(title.weak());
                }
                let mut detail = r.detail.clone();
                if let Some(until) = entry.state.snoozed_until.filter(|_| entry.snoozed) {
                    detail.push_str(&format!(" · snoozed until {}", until.to_text()));
                }
                ui.weak(detail);
            },
        );
        if let Some(jump) = Jump::created(r.kind, &r.id)
            && ui.button("Open").on_hover_text("Show the record").clicked()
        {
            commands.push(mark(Mark::Read));
            state.open = Some(jump);
        }
        if entry.unread || entry.snoozed {
            if ui.button("Mark read").clicked() {
                commands.push(mark(Mark::Read));
            }
            if ui.button("Snooze 1 h").clicked() {
                commands.push(mark(Mark::Snooze(snooze_until(vm, 1))));
            }
            if ui
                .button("Tomorrow")
                .on_hover_text("Snooze for a day")
                .clicked()
            {
                commands.push(mark(Mark::Snooze(snooze_until(vm, 24))));
            }
        } else if ui.button("Mark unread").clicked() {
            commands.push(mark(Mark::Unread));
        }
    });
}

fn rules(ui: &mut egui::Ui, state: &mut InboxState, vm: &ViewModel, commands: &mut Vec<Command>) {
    let admin = matches!(vm.my_role, Some(Role::Admin) | None);
    ui.label(
        "Every device runs the rules once a minute, offline too; a rule fires once per record and occasion, however many devices notice it.",
    );
    ui.add_space(6.0);
    if admin {
        egui::Grid::new("new rule").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            let label = ui.label("When");
            ui.add(
                egui::TextEdit::singleline(&mut state.when)
                    .hint_text("task overdue 3d · task blocked 5d · stock low · contract notice 30d · invoice discrepancy")
                    .desired_width(460.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Then");
            ui.add(
                egui::TextEdit::singleline(&mut state.then)
                    .hint_text("escalate NAME · create task for NAME · notify · draft po")
                    .desired_width(460.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        if ui.button("Add rule").clicked() {
            commands.push(Command::Op(Op::AddRule {
                when: std::mem::take(&mut state.when),
                then: std::mem::take(&mut state.then),
            }));
        }
    } else {
        ui.weak("Only admins add or remove rules.");
    }
    ui.add_space(8.0);
    if vm.automation.rules.is_empty() {
        ui.label("No rules yet.");
        return;
    }
    egui::Grid::new("rules")
        .num_columns(3)
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for rule in vm.automation.rules.iter() {
                ui.label(&rule.name);
                if admin {
                    let mut paused = rule.paused;
                    if ui.checkbox(&mut paused, "Paused").changed() {
                        commands.push(Command::Op(Op::set(
                            Rule::KIND,
                            &rule.id,
                            "paused",
                            if paused { "yes" } else { "no" },
                        )));
                    }
                    let question = format!(
                        "Delete the rule “{}”? It stops firing; the Trash can bring it back.",
                        rule.name
                    );
                    state
                        .confirm
                        .trash(ui, Rule::KIND, &rule.id, "Delete", &question, commands);
                } else {
                    ui.label(if rule.paused { "paused" } else { "" });
                }
                ui.end_row();
            }
        });
}

fn log(ui: &mut egui::Ui, vm: &ViewModel) {
    if vm.automation.log.is_empty() {
        ui.label("No rule has fired yet.");
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("rule log")
            .num_columns(4)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for heading in ["When", "Device", "Why", "Did"] {
                    ui.strong(heading);
                }
                ui.end_row();
                for f in vm.automation.log.iter() {
                    ui.label(f.fired_at.to_text());
                    ui.label(device_name(vm, &f.device))
                        .on_hover_text(&f.device);
                    ui.label(&f.what).on_hover_text(&f.rule_name);
                    ui.label(&f.did);
                    ui.end_row();
                }
            });
    });
}

/// A device by its owner's name ("Ana Ruiz's device"), else its key's start.
fn device_name(vm: &ViewModel, device: &str) -> String {
    vm.members
        .iter()
        .find(|m| m.devices.iter().any(|d| d == device))
        .map_or_else(
            || device.chars().take(8).collect(),
            |m| format!("{}'s device", m.name),
        )
}
