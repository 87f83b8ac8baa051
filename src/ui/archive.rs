//! Past years on the Tasks screen: tasks finished in earlier years, moved
//! to one archive document per year so the live list opens fast, searched
//! here by year and words (read-only: an archived task is history). An
//! admin archives the finished tasks of past years from here.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::backend::{Command, ViewModel};
use crate::model::Role;
use crate::store::ArchivedTask;

/// What the past-years panel shows.
#[derive(Debug, Default)]
pub struct PastYears {
    pub open: bool,
    pub search: String,
    /// One year, or every year here.
    pub year: Option<i32>,
    pub confirm: super::confirm::Pending,
    /// The rows the search keeps, and what they were computed from.
    rows: Arc<Vec<usize>>,
    rows_for: Option<(usize, String, Option<i32>)>,
}

/// The toolbar's "Past years" switch; tells the backend to read them.
pub fn toggle(ui: &mut egui::Ui, past: &mut PastYears, commands: &mut Vec<Command>) {
    if ui
        .selectable_label(past.open, "Past years")
        .on_hover_text("Tasks finished in earlier years, kept in yearly archives")
        .clicked()
    {
        past.open = !past.open;
        commands.push(Command::ShowArchive { open: past.open });
    }
}

fn visible(past: &mut PastYears, tasks: &Arc<Vec<ArchivedTask>>) -> Arc<Vec<usize>> {
    let key = (Arc::as_ptr(tasks) as usize, past.search.clone(), past.year);
    if past.rows_for.as_ref() != Some(&key) {
        let rows = tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| past.year.is_none_or(|y| t.year == y) && t.task.mentions(&past.search))
            .map(|(i, _)| i)
            .collect();
        past.rows = Arc::new(rows);
        past.rows_for = Some(key);
    }
    past.rows.clone()
}

pub fn show(ui: &mut egui::Ui, past: &mut PastYears, vm: &ViewModel, commands: &mut Vec<Command>) {
    let Some(view) = vm.archive.clone() else {
        ui.label("Loading past years…");
        return;
    };
    let admin = vm.my_role.is_none_or(|r| r == Role::Admin);
    let this_year = crate::ops::start_of_year(vm.today);
    if view.years.is_empty() {
        ui.label("Nothing is archived yet.");
    } else {
        ui.label(format!(
            "{} task(s) finished before {} are archived by year.",
            view.tasks.len(),
            view.before.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    if admin && view.before != Some(this_year) {
        let question = format!(
            "Tasks finished before {this_year} move to one archive per year, on every device. \
             They stay searchable here; the task list keeps open work and this year's."
        );
        if past
            .confirm
            .button(ui, "archive", "Archive past years", &question)
        {
            commands.push(Command::ArchivePastYears);
        }
    }
    if view.years.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        let label = ui.label("Year");
        let shown = past
            .year
            .map_or("Every year".to_string(), |y| y.to_string());
        egui::ComboBox::from_id_salt("archive year")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut past.year, None, "Every year");
                for (year, here) in &view.years {
                    let text = if *here {
                        year.to_string()
                    } else {
                        format!("{year} (not on this device yet)")
                    };
                    ui.add_enabled_ui(*here, |ui| {
                        ui.selectable_value(&mut past.year, Some(*year), text);
                    });
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("Search");
        ui.add(
            egui::TextEdit::singleline(&mut past.search)
                .hint_text("words in title, notes, owner, tags")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    });
    let missing: Vec<String> = view
        .years
        .iter()
        .filter(|(_, here)| !here)
        .map(|(y, _)| y.to_string())
        .collect();
    if !missing.is_empty() {
        ui.weak(format!(
            "Not on this device yet: {} (fetched from a teammate's device when one is reachable).",
            missing.join(", ")
        ));
    }
    let rows = visible(past, &view.tasks);
    ui.label(format!("{} archived task(s)", rows.len()));
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(48.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::initial(140.0).at_least(80.0).clip(true))
        .column(Column::remainder().at_least(160.0).clip(true))
        .header(22.0, |mut header| {
            for h in ["Year", "Finished", "Owner", "Title"] {
                header.col(|ui| {
                    ui.strong(h);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let t = &view.tasks[rows[row.index()]];
                row.col(|ui| {
                    ui.label(t.year.to_string());
                });
                row.col(|ui| {
                    ui.label(
                        t.task
                            .completed_at
                            .map(|s| s.date().to_string())
                            .unwrap_or_default(),
                    );
                });
                row.col(|ui| {
                    ui.label(t.task.owner.as_deref().unwrap_or("—"));
                });
                row.col(|ui| {
                    ui.label(&t.task.title);
                });
            });
        });
}
