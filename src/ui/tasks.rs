//! Tasks: the filter bar, quick add, the record table (or the board), and
//! the selected task's details: the described fields (each commits on its
//! own), status moves, checklist and comments.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form};
use super::record_table::{TableState, record_table};
use crate::model::schema::{Described, FieldKind, FieldSpec};
use crate::model::{Record, Task, TaskStatus};
use crate::ops::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Filter {
    #[default]
    All,
    Mine,
    Overdue,
    Blocked,
    ThisWeek,
    Unassigned,
}

pub struct TasksState {
    /// "Projects…" was clicked: the shell opens the projects window.
    pub manage_projects: bool,
    /// The meeting or plan a task came from was clicked: the shell opens it.
    pub open: Option<super::areas::Jump>,
    pub board: bool,
    pub board_show_done: bool,
    pub blocking: super::board::Blocking,
    pub filter: Filter,
    pub search: String,
    pub table: TableState,
    pub selected: Option<String>,
    pub block_reason: String,
    pub quick_title: String,
    pub quick_owner: String,
    pub quick_due: String,
    pub focus_quick_add: bool,
    pub focus_search: bool,
    pub new_comment: String,
    pub new_check: String,
    pub project: Option<String>,
    pub errors: FieldErrors,
    pub confirm: super::confirm::Pending,
    /// Past years (the yearly archive), shown instead of the table.
    pub past: super::archive::PastYears,
    /// The filtered rows, and what they were computed from.
    rows: Arc<Vec<Arc<Task>>>,
    rows_for: Option<(usize, Filter, String, Option<String>, u64)>,
}

impl Default for TasksState {
    fn default() -> Self {
        TasksState {
            manage_projects: false,
            open: None,
            board: false,
            board_show_done: false,
            blocking: Default::default(),
            filter: Filter::All,
            search: String::new(),
            table: TableState::sorted_by("due"),
            selected: None,
            block_reason: String::new(),
            quick_title: String::new(),
            quick_owner: String::new(),
            quick_due: String::new(),
            focus_quick_add: false,
            focus_search: false,
            new_comment: String::new(),
            new_check: String::new(),
            project: None,
            errors: FieldErrors::default(),
            confirm: Default::default(),
            past: Default::default(),
            rows: Arc::default(),
            rows_for: None,
        }
    }
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
        Filter::Unassigned => t.owner.is_none(),
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

fn leave_past_years(state: &mut TasksState, commands: &mut Vec<Command>) {
    if state.past.open {
        state.past.open = false;
        commands.push(Command::ShowArchive { open: false });
    }
}

/// The open tasks the filters keep, recomputed only when the tasks or the
/// filters change (not every frame).
fn visible_rows(state: &mut TasksState, vm: &ViewModel) -> (Arc<Vec<Arc<Task>>>, usize) {
    let source = Arc::as_ptr(&vm.tasks) as usize;
    let key = (
        source,
        state.filter,
        state.search.clone(),
        state.project.clone(),
        // "Overdue" and "this week" move with the date.
        vm.today.0.to_epoch_days() as u64,
    );
    if state.rows_for.as_ref() != Some(&key) {
        let rows: Vec<Arc<Task>> = vm
            .tasks
            .iter()
            .filter(|t| matches(state, vm, t))
            .cloned()
            .collect();
        state.rows = Arc::new(rows);
        state.rows_for = Some(key);
    }
    let identity = Arc::as_ptr(&state.rows) as usize;
    (state.rows.clone(), identity)
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    // The toolbar spans the whole width, above the details panel, so
    // opening a task never re-wraps it.
    egui::Panel::top("tasks toolbar").show(ui, |ui| {
        filter_bar(ui, state, vm, commands);
        if !state.past.open {
            quick_add(ui, state, vm, commands);
        }
        for line in vm.unreadable.iter() {
            ui.colored_label(super::WARN_COLOR, line);
        }
        ui.add_space(2.0);
    });
    if state.past.open {
        egui::CentralPanel::default().show(ui, |ui| {
            super::archive::show(ui, &mut state.past, vm, commands);
        });
        return;
    }
    if let Some(id) = state.selected.clone() {
        super::layout::details_side(ui, "Task details", |ui| {
            details(ui, state, vm, &id, commands);
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if state.board {
            super::board::show(ui, state, vm, commands);
        } else {
            table(ui, state, vm);
        }
    });
}

fn filter_bar(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let live = !state.past.open;
        if ui.selectable_label(live && !state.board, "Table").clicked() {
            state.board = false;
            leave_past_years(state, commands);
        }
        if ui.selectable_label(live && state.board, "Board").clicked() {
            state.board = true;
            leave_past_years(state, commands);
        }
        super::archive::toggle(ui, &mut state.past, commands);
        if state.past.open {
            return;
        }
        ui.separator();
        for (filter, label) in [
            (Filter::All, "All open"),
            (Filter::Mine, "Mine"),
            (Filter::Overdue, "Overdue"),
            (Filter::Blocked, "Blocked"),
            (Filter::ThisWeek, "Due this week"),
            (Filter::Unassigned, "Unassigned"),
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
        let label = ui.label("Project");
        egui::ComboBox::from_id_salt("project filter")
            .selected_text(project)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.project, None, "Any project");
                for (id, name) in vm.projects.iter() {
                    ui.selectable_value(&mut state.project, Some(id.clone()), name);
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button("Projects…").clicked() {
            state.manage_projects = true;
        }
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

fn quick_add(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
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
        let shown = if state.quick_owner.is_empty() {
            "nobody"
        } else {
            state.quick_owner.as_str()
        };
        egui::ComboBox::from_id_salt("quick add owner")
            .selected_text(shown.to_string())
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.quick_owner, String::new(), "nobody");
                for m in vm.members.iter() {
                    ui.selectable_value(&mut state.quick_owner, m.name.clone(), &m.name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("Due date");
        ui.add(
            egui::TextEdit::singleline(&mut state.quick_due)
                .hint_text("tomorrow, fri, +3d")
                .desired_width(110.0),
        )
        .labelled_by(label.id);
        let due = state.quick_due.trim();
        let due_error = (!due.is_empty())
            .then(|| crate::model::Date::parse_relative(due, vm.today).err())
            .flatten();
        if due_error.is_some() {
            ui.colored_label(
                super::ERROR_COLOR,
                "type a date: 2026-12-01, tomorrow, fri, +3d",
            );
        }
        let submit = title.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ready = !state.quick_title.trim().is_empty() && due_error.is_none();
        if (ui
            .add_enabled(ready, egui::Button::new("Add task"))
            .clicked()
            || submit)
            && ready
        {
            let mut fields = vec![("title".to_string(), state.quick_title.trim().to_string())];
            if !state.quick_owner.trim().is_empty() {
                fields.push(("owner".into(), state.quick_owner.trim().to_string()));
            }
            if !due.is_empty() {
                fields.push(("due".into(), due.to_string()));
            }
            commands.push(Command::Op(Op::Create {
                kind: Task::KIND.into(),
                fields,
            }));
            state.quick_title.clear();
            state.quick_due.clear();
        }
    });
}

/// How a task's field reads in the table (project names, not ids).
fn display(vm: &ViewModel) -> impl Fn(&Task, &FieldSpec) -> String + '_ {
    |t, spec| match spec.kind {
        FieldKind::Reference("projects") => t
            .project
            .as_ref()
            .and_then(|p| vm.projects.get(p))
            .cloned()
            .unwrap_or_default(),
        _ => t.field_text(spec.key).unwrap_or_default(),
    }
}

fn table(ui: &mut egui::Ui, state: &mut TasksState, vm: &ViewModel) {
    let (rows, key) = visible_rows(state, vm);
    ui.label(format!("{} task(s)", rows.len()));
    let display = display(vm);
    let paint = |ui: &mut egui::Ui, t: &Task, spec: &FieldSpec| match spec.key {
        "status" if t.status == TaskStatus::Blocked => {
            Some(ui.colored_label(super::WARN_COLOR, "blocked"))
        }
        "due" if t.is_overdue(vm.today) => {
            Some(ui.colored_label(super::ERROR_COLOR, t.field_text("due").unwrap_or_default()))
        }
        _ => None,
    };
    record_table(
        ui,
        &mut state.table,
        &rows,
        key,
        &mut state.selected,
        &display,
        &paint,
    );
}

/// Where the task came from: a meeting's action item or a plan's step,
/// each a link to it.
fn origin(ui: &mut egui::Ui, state: &mut TasksState, vm: &ViewModel, task: &Task) {
    use super::areas::Jump;
    let view = &vm.meetings;
    if let Some(m) = task.meeting.as_deref().and_then(|id| view.meeting(id)) {
        ui.horizontal(|ui| {
            ui.label("Action item of");
            if ui
                .link(format!(
                    "{} ({})",
                    m.title,
                    crate::model::schema::FieldText::to_text(&m.starts_at)
                ))
                .clicked()
            {
                state.open = Some(Jump::Meeting(m.id.clone()));
            }
        });
    }
    if let Some((plan, _)) = task
        .plan
        .as_deref()
        .and_then(|id| view.plans.iter().find(|(p, _)| p.id == id))
    {
        ui.horizontal(|ui| {
            ui.label("Step of");
            let what = match plan.kind {
                crate::model::PlanKind::Offboarding => "leaving plan",
                _ => "onboarding plan",
            };
            if ui.link(format!("{}'s {what}", plan.person)).clicked() {
                state.open = Some(Jump::Plan(plan.id.clone()));
            }
        });
    }
}

fn details(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let Some(current) = vm.task(id) else {
        ui.label("This task is no longer in the list.");
        if ui.button("Close").clicked() {
            state.selected = None;
        }
        return;
    };
    ui.horizontal(|ui| {
        ui.heading("Task");
        if ui.button("Close").clicked() {
            state.selected = None;
        }
    });
    let question = format!(
        "Move “{}” to the Trash? Everyone's copy moves there; you can restore it from Trash.",
        current.title
    );
    if state
        .confirm
        .trash(ui, Task::KIND, id, "Delete", &question, commands)
    {
        state.selected = None;
    }
    let references: BTreeMap<&'static str, Vec<(String, String)>> = [(
        "projects",
        vm.projects
            .iter()
            .map(|(id, name)| (id.clone(), name.clone()))
            .collect(),
    )]
    .into();
    let cx = FormContext::of(vm, &references);
    origin(ui, state, vm, current);
    details_form(ui, current, &cx, &mut state.errors, commands);
    ui.separator();
    status_moves(ui, state, current, &cx, commands);
    ui.separator();
    checklist(ui, state, current, commands);
    ui.separator();
    comments(ui, state, current, commands);
}

/// Buttons for every other status; blocking asks for the reason first.
fn status_moves(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    task: &Task,
    cx: &FormContext<'_>,
    commands: &mut Vec<Command>,
) {
    if let (TaskStatus::Blocked, Some(reason)) = (task.status, &task.blocked_reason) {
        ui.label(format!("Blocked: {reason}"));
        if let Some(since) = task.blocked_since {
            ui.small(format!("since {since}"));
        }
        // The reason can be corrected while the task stays blocked.
        let label = ui.label("Blocked because");
        if let Ok(spec) = Task::spec("blocked_reason") {
            super::fields::field_editor(ui, task, spec, label.id, cx, &mut state.errors, commands);
        }
    }
    if task.status != TaskStatus::Blocked {
        let label = ui.label("Blocked reason");
        ui.add(egui::TextEdit::singleline(&mut state.block_reason).hint_text("required to block"))
            .labelled_by(label.id);
    }
    ui.horizontal_wrapped(|ui| {
        for status in TaskStatus::ALL {
            if *status == task.status {
                continue;
            }
            let label = match status {
                TaskStatus::Todo => "Mark to do",
                TaskStatus::InProgress => "Start",
                TaskStatus::Blocked => "Block",
                TaskStatus::Done => "Mark done",
                TaskStatus::Unknown => continue,
            };
            let needs_reason =
                *status == TaskStatus::Blocked && state.block_reason.trim().is_empty();
            let button = ui.add_enabled(!needs_reason, egui::Button::new(label));
            let button = if needs_reason {
                button.on_disabled_hover_text("Type the reason first")
            } else {
                button
            };
            if button.clicked() {
                let mut fields = vec![("status".to_string(), status.as_str().to_string())];
                if *status == TaskStatus::Blocked {
                    fields.push((
                        "blocked_reason".into(),
                        std::mem::take(&mut state.block_reason).trim().to_string(),
                    ));
                }
                commands.push(Command::Op(Op::Edit {
                    kind: Task::KIND.into(),
                    id: task.id.clone(),
                    fields,
                }));
            }
        }
    });
}

fn checklist(ui: &mut egui::Ui, state: &mut TasksState, task: &Task, commands: &mut Vec<Command>) {
    ui.strong("Checklist");
    let mut items: Vec<_> = task.checklist.iter().collect();
    items.sort_by_key(|(_, c)| c.order);
    for (item_id, item) in items {
        let mut done = item.done;
        if ui.checkbox(&mut done, &item.text).changed() {
            commands.push(Command::Op(Op::SetChecklistDone {
                task: task.id.clone(),
                item: item_id.clone(),
                done,
            }));
        }
    }
    ui.horizontal(|ui| {
        let label = ui.label("New checklist item");
        let edit = ui
            .add(egui::TextEdit::singleline(&mut state.new_check).desired_width(180.0))
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ready = !state.new_check.trim().is_empty();
        if (ui
            .add_enabled(ready, egui::Button::new("Add item"))
            .clicked()
            || enter)
            && ready
        {
            commands.push(Command::Op(Op::AddChecklistItem {
                task: task.id.clone(),
                text: std::mem::take(&mut state.new_check),
            }));
        }
    });
}

fn comments(ui: &mut egui::Ui, state: &mut TasksState, task: &Task, commands: &mut Vec<Command>) {
    ui.strong("Comments");
    for c in task.comments.values() {
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
        commands.push(Command::Op(Op::AddComment {
            task: task.id.clone(),
            text: std::mem::take(&mut state.new_comment),
        }));
    }
}
