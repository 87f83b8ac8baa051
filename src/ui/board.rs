//! The task board: one column per status; dragging a card to another
//! column changes the task's status (blocking opens the task for a reason).

use super::backend::{Command, ViewModel};
use super::tasks::{TasksState, filter_matches};
use crate::model::{Record, Task, TaskStatus};
use crate::ops::Op;

/// A task being dragged on the board.
#[derive(Debug, Clone)]
struct DraggedTask(String);

/// Columns by status; drag a card to another column to change its status.
pub fn show(
    ui: &mut egui::Ui,
    state: &mut TasksState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    const CARD: f32 = 46.0;
    let n = TaskStatus::ALL.len() as f32;
    let spacing = ui.spacing().item_spacing.x;
    // Each column: its share of the width, less the gaps and its frame.
    let columns = (ui.available_width() - spacing * (n - 1.0)) / n - 14.0;
    ui.horizontal_top(|ui| {
        for status in TaskStatus::ALL {
            let mut cards: Vec<&Task> = vm
                .tasks
                .iter()
                .map(|t| &**t)
                .filter(|t| t.status == *status && filter_matches(state, vm, t))
                .collect();
            if *status == TaskStatus::Done {
                // The most recently finished first; older ones stay in the table.
                cards.sort_by_key(|t| std::cmp::Reverse(t.completed_at));
                cards.truncate(50);
            } else {
                cards.sort_by_key(|t| (t.due.is_none(), t.due));
            }
            let frame = egui::Frame::group(ui.style()).inner_margin(6.0);
            let (_, dropped) = ui.dnd_drop_zone::<DraggedTask, _>(frame, |ui| {
                ui.vertical(|ui| {
                    ui.set_width(columns);
                    ui.set_min_height(ui.available_height() - 12.0);
                    ui.strong(format!("{} ({})", column_title(*status), cards.len()));
                    egui::ScrollArea::vertical()
                        .id_salt(status.as_str())
                        .auto_shrink([false, false])
                        .show_rows(ui, CARD, cards.len(), |ui, range| {
                            for t in &cards[range] {
                                let id = egui::Id::unique(("card", &t.id));
                                ui.dnd_drag_source(id, DraggedTask(t.id.clone()), |ui| {
                                    egui::Frame::default()
                                        .fill(ui.visuals().faint_bg_color)
                                        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
                                        .corner_radius(4.0)
                                        .inner_margin(4.0)
                                        .show(ui, |ui| {
                                            ui.vertical(|ui| {
                                                ui.set_width(columns - 16.0);
                                                ui.style_mut().wrap_mode =
                                                    Some(egui::TextWrapMode::Truncate);
                                                ui.label(&t.title);
                                                let due = t
                                                    .due
                                                    .map(|d| format!(" · due {d}"))
                                                    .unwrap_or_default();
                                                ui.small(format!(
                                                    "{}{due}",
                                                    t.owner.as_deref().unwrap_or("no owner")
                                                ));
                                            });
                                        });
                                });
                            }
                        });
                });
            });
            if let Some(dragged) = dropped {
                let Some(task) = vm.tasks.iter().find(|t| t.id == dragged.0) else {
                    continue;
                };
                if task.status == *status {
                    continue;
                }
                if *status == TaskStatus::Blocked {
                    // Blocking needs a reason: open the task to give one.
                    state.selected = Some(task.id.clone());
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
