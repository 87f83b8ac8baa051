//! People: the directory (members and people who are not on Bureau) with
//! search, each entry's details, and the org chart as a tree by manager,
//! each manager's reports folding away. The directory exports as CSV.

use std::collections::BTreeMap;

use super::areas::{Card, Jump};
use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form, quick_add};
use crate::model::people::OrgNode;
use crate::model::{Person, Record};
use crate::ops::Op;
use crate::report::directory::{self, Entry};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Directory,
    OrgChart,
}

#[derive(Default)]
pub struct PeopleState {
    pub tab: Tab,
    pub search: String,
    /// The entry shown beside the directory, by name.
    pub selected: Option<String>,
    new_person: Vec<(String, String)>,
    errors: FieldErrors,
    confirm: super::confirm::Pending,
    export_path: String,
    picking: Option<std::sync::mpsc::Receiver<Option<std::path::PathBuf>>>,
}

impl PeopleState {
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, .. } = notice
            && kind == Person::KIND
        {
            self.new_person.clear();
        }
    }
}

/// What reference fields of an entry pick from: people, and the sites
/// (as everywhere else).
fn references(vm: &ViewModel) -> BTreeMap<&'static str, Vec<(String, String)>> {
    let mut refs = super::purchasing::references(vm);
    refs.insert(
        "people",
        vm.people
            .people
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
    );
    refs
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut PeopleState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    if state.tab == Tab::Directory {
        details(ui, state, vm, commands);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("People");
            ui.separator();
            ui.selectable_value(
                &mut state.tab,
                Tab::Directory,
                format!("Directory ({})", vm.people.directory.len()),
            );
            ui.selectable_value(&mut state.tab, Tab::OrgChart, "Org chart");
        });
        ui.separator();
        match state.tab {
            Tab::Directory => directory(ui, state, vm, commands),
            Tab::OrgChart => org_chart(ui, state, vm),
        }
    });
}

fn directory(
    ui: &mut egui::Ui,
    state: &mut PeopleState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    quick_add(
        ui,
        &mut state.new_person,
        &[
            ("name", "Name", "Sam Lee", 140.0),
            ("title", "Title", "Office manager", 130.0),
            ("department", "Department", "Operations", 110.0),
            ("manager", "Manager", "Ana Ruiz", 120.0),
        ],
        (Person::KIND, "Add person"),
        commands,
    );
    ui.separator();
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text("name, title, department, site…")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
        export(ui, state, commands);
    });
    ui.separator();
    let shown: Vec<&Entry> = vm
        .people
        .directory
        .iter()
        .filter(|e| e.matches(&state.search))
        .collect();
    if shown.is_empty() {
        ui.weak(if vm.people.directory.is_empty() {
            "Nobody in the directory yet: add someone above."
        } else {
            "Nobody matches."
        });
        return;
    }
    egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
        egui::Grid::new("directory")
            .striped(true)
            .num_columns(8)
            .show(ui, |ui| {
                for h in directory::COLUMNS.iter().chain(&["On Bureau"]) {
                    ui.strong(*h);
                }
                ui.end_row();
                for e in shown {
                    let chosen = state.selected.as_deref() == Some(e.name.as_str());
                    if ui.selectable_label(chosen, &e.name).clicked() {
                        state.selected = Some(e.name.clone());
                    }
                    for cell in &e.cells()[1..] {
                        ui.label(*cell);
                    }
                    ui.label(if e.member { "member" } else { "" });
                    ui.end_row();
                }
            });
    });
}

/// "Export CSV": where to save, a file dialog, and the button.
fn export(ui: &mut egui::Ui, state: &mut PeopleState, commands: &mut Vec<Command>) {
    ui.separator();
    if state.export_path.is_empty() {
        state.export_path = "directory.csv".into();
    }
    let label = ui.label("Save as");
    ui.add(egui::TextEdit::singleline(&mut state.export_path).desired_width(180.0))
        .labelled_by(label.id);
    if ui
        .add_enabled(state.picking.is_none(), egui::Button::new("Browse…"))
        .clicked()
    {
        state.picking = Some(super::reports::save_dialog(
            ui.ctx(),
            &state.export_path,
            "Save the directory",
            "csv",
        ));
    }
    if let Some(picked) = state.picking.as_ref().and_then(|r| r.try_recv().ok()) {
        state.picking = None;
        if let Some(path) = picked {
            state.export_path = path.display().to_string();
        }
    }
    if ui.button("Export CSV").clicked() {
        commands.push(Command::ExportDirectory {
            path: state.export_path.trim().into(),
        });
    }
}

fn details(
    ui: &mut egui::Ui,
    state: &mut PeopleState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let Some(name) = state.selected.clone() else {
        return;
    };
    let person = vm
        .people
        .people
        .iter()
        .find(|p| crate::model::schema::same_name(&p.name, &name))
        .cloned();
    super::layout::details_side(ui, "Person details", |ui| {
        ui.horizontal(|ui| {
            ui.heading(&name);
            if ui.button("Close").clicked() {
                state.selected = None;
            }
        });
        let Some(person) = person else {
            ui.label("A member with no directory entry yet.");
            if ui.button("Add to the directory").clicked() {
                commands.push(Command::Op(Op::SetPerson {
                    name: name.clone(),
                    fields: Vec::new(),
                }));
            }
            return;
        };
        let reports: Vec<&str> = vm
            .people
            .people
            .iter()
            .filter(|p| p.manager.as_deref() == Some(person.id.as_str()))
            .map(|p| p.name.as_str())
            .collect();
        if !reports.is_empty() {
            ui.label(format!("Reports: {}", reports.join(", ")));
        }
        let references = references(vm);
        let cx = FormContext::of(vm, &references);
        details_form(ui, &*person, &cx, &mut state.errors, commands);
        ui.separator();
        let question = format!(
            "Move {} out of the directory (to the Trash)? You can restore them from Trash.",
            person.name
        );
        if state.confirm.trash(
            ui,
            Person::KIND,
            &person.id,
            "Remove from directory",
            &question,
            commands,
        ) {
            state.selected = None;
        }
    });
}

fn org_chart(ui: &mut egui::Ui, state: &mut PeopleState, vm: &ViewModel) {
    if vm.people.chart.is_empty() {
        ui.weak("Nobody in the directory yet. Add people with their managers under Directory.");
        return;
    }
    ui.weak("Each manager's reports fold away; click a name for the details.");
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            for node in vm.people.chart.iter() {
                org_node(ui, state, node);
            }
        });
}

fn org_node(ui: &mut egui::Ui, state: &mut PeopleState, node: &OrgNode) {
    let role = [node.title.as_str(), node.department.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let text = if role.is_empty() {
        node.name.clone()
    } else {
        format!("{} — {role}", node.name)
    };
    if node.reports.is_empty() {
        ui.horizontal(|ui| {
            ui.add_space(18.0);
            if ui.link(text).clicked() {
                state.selected = Some(node.name.clone());
                state.tab = Tab::Directory;
            }
        });
        return;
    }
    egui::CollapsingHeader::new(format!("{text} ({})", node.reports.len()))
        .id_salt(("org", &node.id))
        .default_open(true)
        .show(ui, |ui| {
            for r in &node.reports {
                org_node(ui, state, r);
            }
        });
}

pub fn entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.people
        .directory
        .iter()
        .map(|e| (format!("Person: {}", e.name), Jump::Person(e.name.clone())))
        .collect()
}

pub fn cards(_: &ViewModel) -> Vec<Card> {
    Vec::new()
}
