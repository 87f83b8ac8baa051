//! Tasks: a virtualised, sortable table with a filter bar and quick add, and
//! the selected task's editable details on the right.

use egui_extras::{Column, TableBuilder};

use super::backend::{Command, ViewModel};
use crate::model::{Date, Priority, Task, TaskStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    Mine,
    Overdue,
    Blocked,
    ThisWeek,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    Title,
    Owner,
    Status,
    Priority,
    #[default]
    Due,
}

#[derive(Default)]
pub struct TasksState {
    pub board: bool,
    pub filter: Filter,
    pub search: String,
    pub sort: SortBy,
    pub descending: bool,
    pub selected: Option<String>,
    pub draft: Option<Task>,
    pub block_reason: String,
    pub quick_title: String,
    pub quick_owner: String,
    pub quick_due: String,
    pub focus_quick_add: bool,
    pub focus_search: bool,
    pub new_comment: String,
    pub new_check: String,
    pub project: Option<String>,
}

fn matches(state: &TasksState, vm: &ViewModel, t: &Task) -> bool {
    filter_matches(state, vm, t) && t.is_open()
}

/// The filter bar's choice and search, regardless of status.
pub(super) fn filter_matches(state: &TasksState, vm: &ViewModel, t: &Task) -> bool {
    let keep = match state.filter {
        Filter::All => true,
        Filter::Mine => vm.me.as_deref().is_some_and(|me| t.is_owned_by(me)),
        Filter::Overdue => t.is_overdue(vm.today),
        Filter::Blocked => t.status == TaskStatus::Blocked,
        Filter::ThisWeek => t
            .due
            .is_some_and(|d| d >= vm.today && d <= vm.today.add_days(7)),
    };
    let search = state.search.trim().to_lowercase();
    let project_ok = state.project.is_none() || t.project == state.project;
    keep && project_ok
        && t.deleted_at.is_none()
        && (search.is_empty()
            || t.title.to_lowercase().contains(&search)
            || t.owner
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
                .contains(&search)
            || t.tags
                .iter()
                .any(|tag| tag.to_lowercase().contains(&search)))
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    if let Some(id) = state.selected.clone() {
        egui::Panel::right("task details")
            .default_size(340.0)
            .show(ui, |ui| {
                details(ui, state, vm, &id, commands);
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        filter_bar(ui, state, vm);
        quick_add(ui, state, commands);
        ui.separator();
        if state.board {
            super::board::show(ui, state, vm, commands);
        } else {
            table(ui, state, vm);
        }
    });
}

fn filter_bar(ui: &mut egui::Ui, state: &mut TasksState, vm: &ViewModel) {
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(!state.board, "Table").clicked() {
            state.board = false;
        }
        if ui.selectable_label(state.board, "Board").clicked() {
            state.board = true;
        }
        ui.separator();
        for (filter, label) in [
            (Filter::All, "All open"),
            (Filter::Mine, "Mine"),
            (Filter::Overdue, "Overdue"),
            (Filter::Blocked, "Blocked"),
            (Filter::ThisWeek, "Due this week"),
        ] {
            if ui.selectable_label(state.filter == filter, label).clicked() {
                state.filter = filter;
            }
        }
        ui.separator();
        let project = state
            .project
            .as_ref()
            .and_then(|p| vm.projects.get(p))
            .map_or("Any project", |s| s.as_str());
        egui::ComboBox::from_label("Project")
            .selected_text(project)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.project, None, "Any project");
                for (id, name) in &vm.projects {
                    ui.selectable_value(&mut state.project, Some(id.clone()), name);
                }
            });
        let label = ui.label("Search");
        let search = ui.add(
            egui::TextEdit::singleline(&mut state.search).hint_text("title, owner, tag (Ctrl+F)"),
        );
        let search = search.labelled_by(label.id);
        if std::mem::take(&mut state.focus_search) {
            search.request_focus();
        }
    });
}

fn quick_add(ui: &mut egui::Ui, state: &mut TasksState, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("New task");
        let title = ui
            .add(
                egui::TextEdit::singleline(&mut state.quick_title)
                    .hint_text("What needs doing? (Ctrl+N)"),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut state.focus_quick_add) {
            title.request_focus();
        }
        let label = ui.label("Assign to");
        ui.add(egui::TextEdit::singleline(&mut state.quick_owner).desired_width(100.0))
            .labelled_by(label.id);
        let label = ui.label("Due date");
        ui.add(
            egui::TextEdit::singleline(&mut state.quick_due)
                .hint_text("YYYY-MM-DD")
                .desired_width(90.0),
        )
        .labelled_by(label.id);
        let due = state.quick_due.trim();
        let due_ok = due.is_empty() || due.parse::<Date>().is_ok();
        if !due_ok {
            ui.colored_label(egui::Color32::from_rgb(200, 60, 60), "use YYYY-MM-DD");
        }
        let submit = title.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ready = !state.quick_title.trim().is_empty() && due_ok;
        if (ui
            .add_enabled(ready, egui::Button::new("Add task"))
            .clicked()
            || submit)
            && ready
        {
            commands.push(Command::AddTask {
                title: state.quick_title.trim().to_string(),
                owner: Some(state.quick_owner.trim().to_string()),
                due: due.parse().ok(),
            });
            state.quick_title.clear();
            state.quick_due.clear();
        }
    });
}

fn table(ui: &mut egui::Ui, state: &mut TasksState, vm: &ViewModel) {
    let mut rows: Vec<&Task> = vm.tasks.iter().filter(|t| matches(state, vm, t)).collect();
    rows.sort_by(|a, b| {
        let order = match state.sort {
            SortBy::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            SortBy::Owner => a.owner.cmp(&b.owner),
            SortBy::Status => a.status.cmp(&b.status),
            SortBy::Priority => b.priority.cmp(&a.priority),
            SortBy::Due => (a.due.is_none(), a.due).cmp(&(b.due.is_none(), b.due)),
        };
        if state.descending {
            order.reverse()
        } else {
            order
        }
    });
    ui.label(format!("{} task(s)", rows.len()));
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    let header = |ui: &mut egui::Ui, state: &mut TasksState, label: &str, sort: SortBy| {
        let arrow = if state.sort == sort {
            if state.descending { " v" } else { " ^" }
        } else {
            ""
        };
        if ui.button(format!("{label}{arrow}")).clicked() {
            if state.sort == sort {
                state.descending = !state.descending;
            } else {
                state.sort = sort;
                state.descending = false;
            }
        }
    };
    TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(100.0))
        .header(24.0, |mut row| {
            row.col(|ui| header(ui, state, "Title", SortBy::Title));
            row.col(|ui| header(ui, state, "Owner", SortBy::Owner));
            row.col(|ui| header(ui, state, "Status", SortBy::Status));
            row.col(|ui| header(ui, state, "Priority", SortBy::Priority));
            row.col(|ui| header(ui, state, "Due", SortBy::Due));
            row.col(|ui| {
                ui.strong("Project");
            });
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let t = rows[row.index()];
                row.set_selected(state.selected.as_deref() == Some(t.id.as_str()));
                let mut open = false;
                row.col(|ui| {
                    open = ui.add(egui::Button::new(&t.title).frame(false)).clicked();
                });
                row.col(|ui| {
                    ui.label(t.owner.as_deref().unwrap_or("—"));
                });
                row.col(|ui| {
                    if t.status == TaskStatus::Blocked {
                        ui.colored_label(egui::Color32::from_rgb(200, 120, 0), "blocked");
                    } else {
                        ui.label(t.status.as_str());
                    }
                });
                row.col(|ui| {
                    ui.label(t.priority.as_str());
                });
                row.col(|ui| {
                    let text = t.due.map(|d| d.to_string()).unwrap_or_default();
                    if t.is_overdue(vm.today) {
                        ui.colored_label(egui::Color32::from_rgb(200, 60, 60), text);
                    } else {
                        ui.label(text);
                    }
                });
                row.col(|ui| {
                    ui.label(
                        t.project
                            .as_ref()
                            .and_then(|p| vm.projects.get(p))
                            .map_or("", |s| s.as_str()),
                    );
                });
                if open || row.response().clicked() {
                    state.selected = Some(t.id.clone());
                    state.draft = None;
                }
            });
        });
}

fn details(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let Some(current) = vm.tasks.iter().find(|t| t.id == id) else {
        ui.label("This task is no longer in the list.");
        return;
    };
    if state.draft.as_ref().is_none_or(|d| d.id != id) {
        state.draft = Some(current.clone());
        state.block_reason = current.blocked_reason.clone().unwrap_or_default();
    }
    let Some(draft) = state.draft.as_mut() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading("Task");
        if ui.button("Close").clicked() {
            state.selected = None;
        }
    });
    egui::Grid::new("task fields")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Title");
            ui.add(egui::TextEdit::singleline(&mut draft.title))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Owner");
            let mut owner = draft.owner.clone().unwrap_or_default();
            if ui
                .add(egui::TextEdit::singleline(&mut owner))
                .labelled_by(label.id)
                .changed()
            {
                draft.owner = Some(owner).filter(|o| !o.trim().is_empty());
            }
            ui.end_row();
            ui.label("");
            egui::ComboBox::from_label("Priority")
                .selected_text(draft.priority.as_str())
                .show_ui(ui, |ui| {
                    for p in Priority::ALL {
                        ui.selectable_value(&mut draft.priority, *p, p.as_str());
                    }
                });
            ui.end_row();
            let label = ui.label("Due");
            let mut due = draft.due.map(|d| d.to_string()).unwrap_or_default();
            if ui
                .add(egui::TextEdit::singleline(&mut due).hint_text("YYYY-MM-DD"))
                .labelled_by(label.id)
                .changed()
            {
                if due.trim().is_empty() {
                    draft.due = None;
                } else if let Ok(d) = due.parse() {
                    draft.due = Some(d);
                }
            }
            ui.end_row();
            let label = ui.label("Escalate to");
            let mut escalate = draft.escalate_to.clone().unwrap_or_default();
            if ui
                .add(egui::TextEdit::singleline(&mut escalate))
                .labelled_by(label.id)
                .changed()
            {
                draft.escalate_to = Some(escalate).filter(|o| !o.trim().is_empty());
            }
            ui.end_row();
            let label = ui.label("Tags");
            let mut tags = draft.tags.join(", ");
            if ui
                .add(egui::TextEdit::singleline(&mut tags).hint_text("comma separated"))
                .labelled_by(label.id)
                .changed()
            {
                draft.tags = split_list(&tags);
            }
            ui.end_row();
            let label = ui.label("Watchers");
            let mut watchers = draft.watchers.join(", ");
            if ui
                .add(egui::TextEdit::singleline(&mut watchers).hint_text("names, comma separated"))
                .labelled_by(label.id)
                .changed()
            {
                draft.watchers = split_list(&watchers);
            }
            ui.end_row();
            ui.label("");
            let project = draft
                .project
                .as_ref()
                .and_then(|p| vm.projects.get(p))
                .map_or("No project", |s| s.as_str());
            egui::ComboBox::from_label("Task project")
                .selected_text(project)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut draft.project, None, "No project");
                    for (pid, name) in &vm.projects {
                        ui.selectable_value(&mut draft.project, Some(pid.clone()), name);
                    }
                });
            ui.end_row();
            ui.label("");
            let repeat = draft.recurrence.map_or("Does not repeat", |r| r.as_str());
            egui::ComboBox::from_label("Repeats")
                .selected_text(repeat)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut draft.recurrence, None, "Does not repeat");
                    for r in crate::model::Recurrence::ALL {
                        ui.selectable_value(&mut draft.recurrence, Some(*r), r.as_str());
                    }
                });
            ui.end_row();
        });
    let label = ui.label("Description");
    ui.add(egui::TextEdit::multiline(&mut draft.description).desired_rows(4))
        .labelled_by(label.id);
    if ui.button("Save changes").clicked() {
        commands.push(Command::SaveTask(Box::new(draft.clone())));
    }
    ui.separator();
    ui.label(format!("Status: {}", current.status));
    if let Some(reason) = &current.blocked_reason {
        ui.label(format!("Blocked: {reason}"));
    }
    let label = ui.label("Blocked reason");
    ui.add(egui::TextEdit::singleline(&mut state.block_reason).hint_text("required to block"))
        .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        for status in TaskStatus::ALL {
            if *status == current.status {
                continue;
            }
            let needs_reason =
                *status == TaskStatus::Blocked && state.block_reason.trim().is_empty();
            let label = match status {
                TaskStatus::Todo => "Mark to do",
                TaskStatus::InProgress => "Start",
                TaskStatus::Blocked => "Block",
                TaskStatus::Done => "Mark done",
                TaskStatus::Unknown => continue,
            };
            if ui
                .add_enabled(!needs_reason, egui::Button::new(label))
                .clicked()
            {
                commands.push(Command::SetTaskStatus {
                    id: id.to_string(),
                    status: *status,
                    reason: Some(state.block_reason.trim().to_string()).filter(|r| !r.is_empty()),
                });
            }
        }
    });
    ui.separator();
    ui.strong("Checklist");
    let mut items: Vec<_> = current.checklist.iter().collect();
    items.sort_by_key(|(_, c)| c.order);
    for (item_id, item) in items {
        let mut done = item.done;
        if ui.checkbox(&mut done, &item.text).changed() {
            commands.push(Command::ToggleChecklistItem {
                task: id.to_string(),
                item: item_id.clone(),
            });
        }
    }
    ui.horizontal(|ui| {
        let label = ui.label("New checklist item");
        ui.add(egui::TextEdit::singleline(&mut state.new_check).desired_width(180.0))
            .labelled_by(label.id);
        if ui
            .add_enabled(
                !state.new_check.trim().is_empty(),
                egui::Button::new("Add item"),
            )
            .clicked()
        {
            commands.push(Command::AddChecklistItem {
                task: id.to_string(),
                text: std::mem::take(&mut state.new_check),
            });
        }
    });
    ui.separator();
    ui.strong("Comments");
    for c in current.comments.values() {
        ui.label(format!("{} — {}: {}", c.at, c.author, c.text));
    }
    let label = ui.label("New comment");
    ui.add(egui::TextEdit::multiline(&mut state.new_comment).desired_rows(2))
        .labelled_by(label.id);
    if ui
        .add_enabled(
            !state.new_comment.trim().is_empty(),
            egui::Button::new("Add comment"),
        )
        .clicked()
    {
        commands.push(Command::AddComment {
            task: id.to_string(),
            text: std::mem::take(&mut state.new_comment),
        });
    }
}

/// "a, b ,c" -> ["a", "b", "c"] (empty parts dropped).
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
