//! The task board: one column per status; dragging a card to another
//! column changes the task's status; a drop on Blocked asks for the reason
//! in a focused dialog. Done is collapsed until asked for.

use super::backend::{Command, ViewModel};
use super::tasks::{TasksState, filter_matches};
use crate::model::{Record, Task, TaskStatus};
use crate::ops::Op;

/// A task being dragged on the board.
#[derive(Debug, Clone)]
struct DraggedTask(String);

/// A task dropped on Blocked, waiting for its reason.
#[derive(Debug, Default)]
pub struct Blocking {
    pub task: Option<String>,
    pub reason: String,
    focus: bool,
}

/// Columns by status; drag a card to another column to change its status.
pub fn show(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    const CARD: f32 = 58.0;
    let collapsed_done = !state.board_show_done;
    let open_columns = if collapsed_done { 3.0 } else { 4.0 };
    let spacing = ui.spacing().item_spacing.x;
    let done_width = 120.0;
    let reserved = if collapsed_done {
        done_width + 14.0 + spacing
    } else {
        0.0
    };
    // Each column: its share of the width, less the gaps and its frame.
    let columns =
        (ui.available_width() - reserved - spacing * (open_columns - 1.0)) / open_columns - 14.0;
    ui.horizontal_top(|ui| {
        for status in TaskStatus::ALL {
            let mut cards: Vec<&Task> = vm
                .tasks
                .iter()
                .map(|t| &**t)
                .filter(|t| t.status == *status && filter_matches(state, vm, t))
                .collect();
            let collapsed = *status == TaskStatus::Done && collapsed_done;
            if *status == TaskStatus::Done {
                // The most recently finished first; older ones stay in the table.
                cards.sort_by_key(|t| std::cmp::Reverse(t.completed_at));
                cards.truncate(50);
            } else {
                // Cards people placed first, in their order; then by due date.
                cards.sort_by(|a, b| {
                    let key = |t: &Task| (t.rank.is_none(), t.rank.clone(), t.due.is_none(), t.due);
                    key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
                });
            }
            let width = if collapsed { done_width } else { columns };
            // Where the visible cards are (for a drop within the column).
            let mut shown: Vec<(String, egui::Rect)> = Vec::new();
            let mut above = 0;
            let frame = egui::Frame::group(ui.style()).inner_margin(6.0);
            let (_, dropped) = ui.dnd_drop_zone::<DraggedTask, _>(frame, |ui| {
                ui.vertical(|ui| {
                    ui.set_width(width);
                    ui.set_min_height(ui.available_height() - 12.0);
                    ui.horizontal(|ui| {
                        ui.strong(format!("{} ({})", column_title(*status), cards.len()));
                        if *status == TaskStatus::Done {
                            let label = if collapsed { "Show" } else { "Hide" };
                            if ui.small_button(label).clicked() {
                                state.board_show_done = collapsed;
                            }
                        }
                    });
                    if collapsed {
                        ui.weak("Drop a card here to finish it.");
                        return;
                    }
                    egui::ScrollArea::vertical()
                        .id_salt(status.as_str())
                        .auto_shrink([false, false])
                        .show_rows(ui, CARD, cards.len(), |ui, range| {
                            above = range.start;
                            for t in &cards[range] {
                                let rect = card(ui, vm, t, columns);
                                shown.push((t.id.clone(), rect));
                            }
                        });
                });
            });
            if let Some(dragged) = dropped {
                let Some(task) = vm.task(&dragged.0) else {
                    continue;
                };
                if task.status == *status {
                    // Within the column: put the card where it was dropped.
                    let at = ui.input(|i| i.pointer.interact_pos()).map_or(0, |p| {
                        above
                            + shown
                                .iter()
                                .filter(|(id, r)| *id != task.id && r.center().y < p.y)
                                .count()
                    });
                    if let Some(ranks) = ranks_for_drop(&cards, &task.id, at) {
                        commands.push(Command::Op(Op::RankTasks { ranks }));
                    }
                    continue;
                }
                if *status == TaskStatus::Blocked {
                    // Blocking needs a reason: ask for it.
                    state.blocking = Blocking {
                        task: Some(task.id.clone()),
                        reason: String::new(),
                        focus: true,
                    };
                } else {
                    commands.push(Command::Op(Op::set(
                        Task::KIND,
                        &task.id,
                        "status",
                        status.as_str(),
                    )));
                }
            }
        }
    });
    block_dialog(ui, state, vm, commands);
}

/// One card: title, then owner initials, due (red when overdue), priority
/// and checklist progress.
/// The positions to write so that `moved` sits at `at` among `cards`
/// (shown order, `moved` included). Only the moved card gets a new key,
/// unless the cards above the drop have none yet: then they get keys too,
/// in their shown order, so the column looks the same except for the move.
fn ranks_for_drop(cards: &[&Task], moved: &str, at: usize) -> Option<Vec<(String, String)>> {
    use crate::model::order::between;
    let others: Vec<&Task> = cards.iter().copied().filter(|t| t.id != moved).collect();
    let at = at.min(others.len());
    let mut ranks = Vec::new();
    let mut prev: Option<String> = None;
    for t in &others[..at] {
        match &t.rank {
            Some(r) if prev.as_ref().is_none_or(|p| r > p) => prev = Some(r.clone()),
            _ => {
                let r = between(prev.as_deref(), None);
                ranks.push((t.id.clone(), r.clone()));
                prev = Some(r);
            }
        }
    }
    let next = others.get(at).and_then(|t| t.rank.clone());
    let next = next.filter(|n| prev.as_ref().is_none_or(|p| n > p));
    ranks.push((moved.to_string(), between(prev.as_deref(), next.as_deref())));
    let unchanged = ranks.len() == 1
        && cards.iter().position(|t| t.id == moved) == Some(at)
        && cards.iter().any(|t| t.id == moved && t.rank.is_some());
    (!unchanged).then_some(ranks)
}

fn card(ui: &mut egui::Ui, vm: &ViewModel, t: &Task, width: f32) -> egui::Rect {
    let id = egui::Id::unique(("card", &t.id));
    ui.dnd_drag_source(id, DraggedTask(t.id.clone()), |ui| {
        egui::Frame::default()
            .fill(ui.visuals().faint_bg_color)
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(4.0)
            .inner_margin(4.0)
            .show(ui, |ui| {
                ui.vertical(|ui| {
                    ui.set_width(width - 16.0);
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                    ui.label(&t.title);
                    ui.horizontal(|ui| {
                        let owner = t.owner.as_deref().map_or("—".to_string(), initials);
                        ui.label(egui::RichText::new(owner).strong())
                            .on_hover_text(t.owner.as_deref().unwrap_or("nobody"));
                        if let Some(due) = t.due {
                            let text = format!("due {due}");
                            if t.is_overdue(vm.today) {
                                ui.colored_label(super::ERROR_COLOR, text);
                            } else {
                                ui.weak(text);
                            }
                        }
                        if t.priority != crate::model::Priority::Normal {
                            ui.weak(t.priority.as_str());
                        }
                        if !t.checklist.is_empty() {
                            let done = t.checklist.values().filter(|c| c.done).count();
                            ui.weak(format!("checklist {done}/{}", t.checklist.len()));
                        }
                    });
                });
            });
    })
    .response
    .rect
}

/// "Ana Ruiz" -> "AR".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(3)
        .collect::<String>()
        .to_uppercase()
}

/// The focused "why is it blocked?" dialog after a drop on Blocked: Enter
/// blocks the task with the reason, Esc or Cancel leaves it where it was.
fn block_dialog(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let Some(id) = state.blocking.task.clone() else {
        return;
    };
    let title = vm
        .task(&id)
        .map_or("this task", |t| t.title.as_str())
        .to_string();
    let mut done = false;
    let response = egui::Modal::new(egui::Id::unique("block dialog")).show(ui.ctx(), |ui| {
        ui.set_width(380.0);
        ui.heading(format!("Why is “{title}” blocked?"));
        let label = ui.label("Blocked reason");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.blocking.reason)
                    .hint_text("e.g. waiting for the landlord")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut state.blocking.focus) {
            edit.request_focus();
        }
        let reason = state.blocking.reason.trim().to_string();
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if reason.is_empty() {
            ui.weak("Type the reason; people see it on the dashboard.");
        }
        ui.horizontal(|ui| {
            let block = ui.add_enabled(!reason.is_empty(), egui::Button::new("Block task"));
            if (block.clicked() || enter) && !reason.is_empty() {
                commands.push(Command::Op(Op::Edit {
                    kind: Task::KIND.into(),
                    id: id.clone(),
                    fields: vec![
                        ("status".into(), TaskStatus::Blocked.as_str().into()),
                        ("blocked_reason".into(), reason.clone()),
                    ],
                }));
                done = true;
            }
            if ui.button("Cancel").clicked() {
                done = true;
            }
        });
    });
    if done || response.should_close() {
        state.blocking = Blocking::default();
    }
}

fn column_title(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Todo => "To do",
        TaskStatus::InProgress => "In progress",
        TaskStatus::Blocked => "Blocked",
        TaskStatus::Done => "Done",
        TaskStatus::Unknown => "Other",
    }
}
