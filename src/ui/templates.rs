//! The template editor: the templates plans start from, and for the
//! selected one its steps (title, category, who does it, when). A built-in
//! template is made editable first (a copy in the workspace that replaces
//! it by name); each change writes only the step field changed.

use std::collections::BTreeMap;

use super::backend::{Command, ViewModel};
use super::fields::draft;
use crate::model::onboarding::{COORDINATOR, MANAGER, PERSON, offset_text};
use crate::model::{OnboardingTemplate, PlanKind, Record, StepCategory};
use crate::ops::Op;

#[derive(Default)]
pub struct TemplatesState {
    pub selected: Option<String>,
    selected_name: String,
    new_name: String,
    new_kind: Option<PlanKind>,
    /// A new step: title, category, responsible, offset.
    step_draft: Vec<(String, String)>,
    /// Step fields being typed: (step id, field) -> text.
    editing: BTreeMap<(String, &'static str), String>,
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut TemplatesState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.meetings;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("New template");
        ui.add(
            egui::TextEdit::singleline(&mut state.new_name)
                .hint_text("Engineering hire")
                .desired_width(150.0),
        )
        .labelled_by(l.id);
        let kind = state.new_kind.get_or_insert(PlanKind::Onboarding);
        ui.selectable_value(kind, PlanKind::Onboarding, "for joiners");
        ui.selectable_value(kind, PlanKind::Offboarding, "for leavers");
        let named = !state.new_name.trim().is_empty();
        if ui
            .add_enabled(named, egui::Button::new("Add template"))
            .clicked()
        {
            commands.push(Command::Op(Op::Create {
                kind: OnboardingTemplate::KIND.into(),
                fields: vec![
                    ("name".into(), std::mem::take(&mut state.new_name)),
                    ("kind".into(), kind.as_str().into()),
                ],
            }));
        }
    });
    ui.separator();
    if state
        .selected
        .as_deref()
        .and_then(|id| view.template(id))
        .is_none()
    {
        // Made editable: the copy has a new id and the same name.
        let same = view
            .templates
            .iter()
            .find(|t| t.name == state.selected_name)
            .or(view.templates.first());
        state.selected = same.map(|t| t.id.clone());
    }
    if let Some(t) = state.selected.as_deref().and_then(|id| view.template(id)) {
        state.selected_name = t.name.clone();
    }
    ui.horizontal_wrapped(|ui| {
        for t in view.templates.iter() {
            let chosen = state.selected.as_deref() == Some(t.id.as_str());
            if ui
                .selectable_label(chosen, format!("{} ({})", t.name, t.kind))
                .clicked()
            {
                state.selected = Some(t.id.clone());
            }
        }
    });
    let Some(template) = state
        .selected
        .as_deref()
        .and_then(|id| view.template(id))
        .cloned()
    else {
        return;
    };
    ui.separator();
    let editable = view.own_templates.contains_key(&template.id);
    if !editable {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("“{}” is built in.", template.name));
            if ui.button("Make editable").clicked() {
                commands.push(Command::Op(Op::CustomizeTemplate {
                    template: template.id.clone(),
                    id: None,
                }));
            }
        });
    }
    ui.weak(format!(
        "Who: “{MANAGER}” (the plan's manager), “{PERSON}” (the person), “{COORDINATOR}” (whoever starts the plan) or a name. When: days from the {} (−7d, day 1, +30d); weekends move to a working day.",
        match template.kind {
            PlanKind::Offboarding => "last day",
            _ => "start",
        }
    ));
    egui::Grid::new(("template steps", &template.id))
        .num_columns(5)
        .striped(true)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            // Each row's editors are labelled by their column's header.
            let headers: Vec<egui::Id> = ["Day", "Step", "Category", "Done by", ""]
                .into_iter()
                .map(|h| ui.strong(h).id)
                .collect();
            ui.end_row();
            for (step_id, step) in template.steps_in_order() {
                if !editable {
                    ui.label(offset_text(step.offset_days, template.kind));
                    ui.label(&step.title);
                    ui.label(step.category.as_str());
                    ui.label(&step.responsible);
                    ui.label("");
                    ui.end_row();
                    continue;
                }
                let edit = |ui: &mut egui::Ui,
                            state: &mut TemplatesState,
                            (field, column): (&'static str, usize),
                            stored: String,
                            width: f32,
                            commands: &mut Vec<Command>| {
                    let key = (step_id.clone(), field);
                    let text = state.editing.entry(key.clone()).or_insert(stored.clone());
                    let response = ui
                        .add_sized([width, 20.0], egui::TextEdit::singleline(text))
                        .labelled_by(headers[column]);
                    if response.lost_focus() {
                        if *text != stored {
                            commands.push(Command::Op(Op::EditTemplateStep {
                                template: template.id.clone(),
                                step: step_id.clone(),
                                fields: vec![(field.into(), text.clone())],
                            }));
                        }
                        state.editing.remove(&key);
                    } else if !response.has_focus() {
                        *text = stored;
                    }
                };
                edit(
                    ui,
                    state,
                    ("offset", 0),
                    offset_text(step.offset_days, template.kind),
                    50.0,
                    commands,
                );
                edit(ui, state, ("title", 1), step.title.clone(), 220.0, commands);
                let mut category = step.category;
                egui::ComboBox::from_id_salt(("step category", step_id))
                    .selected_text(category.as_str())
                    .show_ui(ui, |ui| {
                        for c in StepCategory::ALL {
                            ui.selectable_value(&mut category, *c, c.as_str());
                        }
                    })
                    .response
                    .labelled_by(headers[2]);
                if category != step.category {
                    commands.push(Command::Op(Op::EditTemplateStep {
                        template: template.id.clone(),
                        step: step_id.clone(),
                        fields: vec![("category".into(), category.as_str().into())],
                    }));
                }
                edit(
                    ui,
                    state,
                    ("responsible", 3),
                    step.responsible.clone(),
                    100.0,
                    commands,
                );
                if ui.small_button("Remove").clicked() {
                    commands.push(Command::Op(Op::RemoveTemplateStep {
                        template: template.id.clone(),
                        step: step_id.clone(),
                    }));
                }
                ui.end_row();
            }
        });
    if !editable {
        return;
    }
    let mut add = false;
    ui.horizontal_wrapped(|ui| {
        for (key, label, hint, width) in [
            ("offset", "When", "+7d", 50.0),
            ("title", "New step", "Desk and chair", 180.0),
            ("category", "Category", "facilities", 80.0),
            ("responsible", "Who", COORDINATOR, 90.0),
        ] {
            let l = ui.label(label);
            let edit = ui
                .add(
                    egui::TextEdit::singleline(draft(&mut state.step_draft, key))
                        .hint_text(hint)
                        .desired_width(width),
                )
                .labelled_by(l.id);
            add |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        }
        add |= ui.button("Add step").clicked();
    });
    if add && !draft(&mut state.step_draft, "title").trim().is_empty() {
        let fields = state
            .step_draft
            .drain(..)
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        commands.push(Command::Op(Op::AddTemplateStep {
            template: template.id.clone(),
            fields,
            id: None,
        }));
    }
}
