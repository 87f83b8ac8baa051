//! One meeting's page: its fields, a room clash with the move that ends
//! it, the agenda (points added, moved and removed one by one), the notes
//! taken together (what you typed is sent as your change, merged with
//! what others type), decisions, action items (tasks, with their live
//! status) and the follow-up summary to copy.

use std::sync::Arc;

use super::areas::Jump;
use super::backend::{Command, ViewModel};
use super::co_text::{CoTextBox, TextDraft, co_edit};
use super::fields::{FieldErrors, FormContext, details_form, draft};
use crate::model::{Meeting, Task};
use crate::ops::{AgendaInput, Op, TextChange};
use crate::report::meeting_summary::Summary;

#[derive(Default)]
pub struct PageState {
    notes: Option<TextDraft>,
    decisions: Option<TextDraft>,
    agenda_text: String,
    agenda_owner: String,
    agenda_minutes: String,
    /// A new action item: title, owner, due.
    pub action_draft: Vec<(String, String)>,
}

/// What the page asks of the area.
pub enum PageAction {
    None,
    Close,
    Open(Jump),
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut PageState,
    errors: &mut FieldErrors,
    vm: &ViewModel,
    meeting: &Arc<Meeting>,
    commands: &mut Vec<Command>,
) -> PageAction {
    let mut action = PageAction::None;
    ui.horizontal(|ui| {
        ui.heading(&meeting.title);
        if ui.button("Close").clicked() {
            action = PageAction::Close;
        }
    });
    clashes(ui, vm, meeting, commands);
    let references = super::meetings::references(vm);
    let cx = FormContext::of(vm, &references);
    details_form(ui, &**meeting, &cx, errors, commands);
    ui.separator();
    agenda(ui, state, vm, meeting, commands);
    ui.separator();
    notes(ui, state, meeting, commands);
    decisions(ui, state, meeting, commands);
    ui.separator();
    let actions = vm
        .meetings
        .actions
        .get(&meeting.id)
        .cloned()
        .unwrap_or_default();
    if let Some(jump) = action_items(ui, state, vm, meeting, &actions, commands) {
        action = PageAction::Open(jump);
    }
    ui.separator();
    summary(ui, vm, meeting, &actions);
    ui.separator();
    if ui.button("Move to Trash").clicked() {
        commands.push(Command::Op(Op::Delete {
            kind: "meetings".into(),
            id: meeting.id.clone(),
        }));
        action = PageAction::Close;
    }
    action
}

fn clashes(ui: &mut egui::Ui, vm: &ViewModel, meeting: &Meeting, commands: &mut Vec<Command>) {
    for r in vm
        .meetings
        .clashes
        .iter()
        .filter(|r| r.clash.first.meeting == meeting.id || r.clash.second.meeting == meeting.id)
    {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.colored_label(
                super::ERROR_COLOR,
                format!("Room clash: {}", super::meetings::clash_text(vm, r)),
            );
            match super::meetings::move_action(vm, r) {
                Some((label, op)) => {
                    if ui.button(label).clicked() {
                        commands.push(Command::Op(op));
                    }
                }
                None => {
                    ui.label("No free room or time that day: change the time or room below.");
                }
            }
        });
    }
}

fn agenda(
    ui: &mut egui::Ui,
    state: &mut PageState,
    vm: &ViewModel,
    meeting: &Meeting,
    commands: &mut Vec<Command>,
) {
    ui.strong("Agenda");
    let points = meeting.agenda_in_order();
    if points.is_empty() {
        ui.weak("No points yet.");
    }
    let total: i64 = points.iter().filter_map(|(_, p)| p.minutes).sum();
    for (n, (id, point)) in points.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            let detail: Vec<String> = [
                point.owner.clone(),
                point.minutes.map(|m| format!("{m} min")),
            ]
            .into_iter()
            .flatten()
            .collect();
            let text = if detail.is_empty() {
                format!("{}. {}", n + 1, point.text)
            } else {
                format!("{}. {} ({})", n + 1, point.text, detail.join(", "))
            };
            ui.label(text);
            let move_after = |after: Option<&String>| {
                Command::Op(Op::MoveAgendaItem {
                    meeting: meeting.id.clone(),
                    item: (*id).clone(),
                    after: after.cloned(),
                })
            };
            if n > 0 && ui.small_button("Up").clicked() {
                let after = n.checked_sub(2).map(|i| points[i].0);
                commands.push(move_after(after));
            }
            if n + 1 < points.len() && ui.small_button("Down").clicked() {
                commands.push(move_after(Some(points[n + 1].0)));
            }
            if ui.small_button("Remove").clicked() {
                commands.push(Command::Op(Op::RemoveAgendaItem {
                    meeting: meeting.id.clone(),
                    item: (*id).clone(),
                }));
            }
        });
    }
    if total > 0 {
        let over = total > meeting.duration_minutes;
        let text = format!("{total} of {} minutes planned", meeting.duration_minutes);
        if over {
            ui.colored_label(super::WARN_COLOR, format!("{text}: more than the meeting"));
        } else {
            ui.weak(text);
        }
    }
    let edit = ui
        .horizontal(|ui| {
            let l = ui.label("New point");
            ui.add(egui::TextEdit::singleline(&mut state.agenda_text).desired_width(240.0))
                .labelled_by(l.id)
        })
        .inner;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Point owner");
        ui.add(
            egui::TextEdit::singleline(&mut state.agenda_owner)
                .hint_text(vm.me.as_deref().unwrap_or(""))
                .desired_width(90.0),
        )
        .labelled_by(l.id);
        let l = ui.label("Time box (min)");
        ui.add(egui::TextEdit::singleline(&mut state.agenda_minutes).desired_width(30.0))
            .labelled_by(l.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let typed = !state.agenda_text.trim().is_empty();
        if (ui
            .add_enabled(typed, egui::Button::new("Add point"))
            .clicked()
            || enter)
            && typed
        {
            commands.push(Command::Op(Op::AddAgendaItem {
                meeting: meeting.id.clone(),
                point: AgendaInput {
                    text: std::mem::take(&mut state.agenda_text),
                    owner: Some(std::mem::take(&mut state.agenda_owner))
                        .filter(|o| !o.trim().is_empty()),
                    minutes: std::mem::take(&mut state.agenda_minutes)
                        .trim()
                        .parse()
                        .ok(),
                },
                id: None,
            }));
        }
    });
}

fn notes(ui: &mut egui::Ui, state: &mut PageState, meeting: &Meeting, commands: &mut Vec<Command>) {
    let look = CoTextBox {
        label: "Notes",
        hint: "Type notes here",
        rows: 8,
        monospace: false,
    };
    ui.weak("Everyone can take notes at once, online or not: both keep their words.");
    for (id, before, after) in co_edit(
        ui,
        &mut state.notes,
        &meeting.id,
        meeting.notes.as_str(),
        &look,
    ) {
        commands.push(Command::Op(notes_change(&id, &before, &after)));
    }
}

/// What the person changed in a meeting's notes, as the page sends it.
fn notes_change(meeting: &str, before: &str, after: &str) -> Op {
    Op::EditText {
        kind: "meetings".into(),
        id: meeting.to_string(),
        field: "notes".into(),
        change: TextChange::Replace {
            before: before.to_string(),
            after: after.to_string(),
        },
    }
}

fn decisions(
    ui: &mut egui::Ui,
    state: &mut PageState,
    meeting: &Meeting,
    commands: &mut Vec<Command>,
) {
    if let Some(d) = &state.decisions
        && d.key != meeting.id
        && d.text != d.base
    {
        commands.push(Command::Op(Op::set(
            "meetings",
            &d.key,
            "decisions",
            d.text.clone(),
        )));
    }
    TextDraft::follow(&mut state.decisions, &meeting.id, &meeting.decisions);
    let Some(d) = state.decisions.as_mut() else {
        return;
    };
    let label = ui.strong("Decisions (one per line)");
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut d.text)
                .id_salt(("meeting decisions", &meeting.id))
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text("What was decided"),
        )
        .labelled_by(label.id);
    if response.changed() {
        d.typed_at = Some(ui.input(|i| i.time));
    }
    if response.lost_focus() && d.text != d.base {
        commands.push(Command::Op(Op::set(
            "meetings",
            &meeting.id,
            "decisions",
            d.text.clone(),
        )));
        d.base = d.text.clone();
        d.typed_at = None;
    }
}

fn action_items(
    ui: &mut egui::Ui,
    state: &mut PageState,
    vm: &ViewModel,
    meeting: &Meeting,
    actions: &[Arc<Task>],
    commands: &mut Vec<Command>,
) -> Option<Jump> {
    let mut open = None;
    ui.strong(format!("Action items ({})", actions.len()));
    for task in actions {
        ui.horizontal_wrapped(|ui| {
            let mut done = !task.is_open();
            if ui
                .checkbox(&mut done, &task.title)
                .on_hover_text("Done")
                .changed()
            {
                let status = if done { "done" } else { "todo" };
                commands.push(Command::Op(Op::set("tasks", &task.id, "status", status)));
            }
            if ui
                .small_button("Open")
                .on_hover_text("Open the task")
                .clicked()
            {
                open = Some(Jump::Task(task.id.clone()));
            }
            match &task.owner {
                Some(owner) => ui.label(owner),
                None => ui.colored_label(super::WARN_COLOR, "no owner"),
            };
            match task.due {
                Some(due) if task.is_overdue(vm.today) => {
                    ui.colored_label(super::ERROR_COLOR, format!("due {due}, late"))
                }
                Some(due) => ui.label(format!("due {due}")),
                None => ui.colored_label(super::WARN_COLOR, "no due date"),
            };
            ui.weak(task.status.as_str());
        });
    }
    let mut add = false;
    ui.horizontal(|ui| {
        let l = ui.label("New action");
        let edit = ui
            .add(
                egui::TextEdit::singleline(draft(&mut state.action_draft, "title"))
                    .hint_text("what")
                    .desired_width(240.0),
            )
            .labelled_by(l.id);
        add |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    });
    ui.horizontal_wrapped(|ui| {
        for (key, label, hint, width) in [
            ("owner", "Action owner", "who", 110.0),
            ("due", "Action due", "fri", 70.0),
        ] {
            let l = ui.label(label);
            let edit = ui
                .add(
                    egui::TextEdit::singleline(draft(&mut state.action_draft, key))
                        .hint_text(hint)
                        .desired_width(width),
                )
                .labelled_by(l.id);
            add |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        }
        add |= ui.button("Add action item").clicked();
    });
    let title = draft(&mut state.action_draft, "title").trim().to_string();
    if add && !title.is_empty() {
        let mut fields: Vec<(String, String)> = state
            .action_draft
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .cloned()
            .collect();
        fields.push(("meeting".into(), meeting.id.clone()));
        commands.push(Command::Op(Op::Create {
            kind: "tasks".into(),
            fields,
        }));
    }
    open
}

fn summary(ui: &mut egui::Ui, vm: &ViewModel, meeting: &Meeting, actions: &[Arc<Task>]) {
    ui.strong("Follow-up");
    let room = meeting
        .room
        .as_deref()
        .map(|r| vm.meetings.room_name(r).to_string());
    let tasks: Vec<&Task> = actions.iter().map(|t| &**t).collect();
    for warning in crate::report::meeting_summary::action_warnings(tasks.iter().copied()) {
        ui.colored_label(super::WARN_COLOR, format!("Before sending: {warning}"));
    }
    // The summary (with the notes) is gathered only when it is copied.
    let summary = || Summary::of(meeting, room.as_deref(), &tasks);
    ui.horizontal(|ui| {
        if ui.button("Copy summary (Markdown)").clicked() {
            ui.ctx().copy_text(summary().markdown());
        }
        if ui.button("Copy summary (HTML)").clicked()
            && let Ok(html) = summary().html()
        {
            ui.ctx().copy_text(html);
        }
    });
}
