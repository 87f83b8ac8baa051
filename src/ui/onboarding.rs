//! Onboarding: plans for people joining or leaving, each with its steps
//! (tasks) and progress, started from a template; the leaver's "revoke
//! access" step, which an admin completes by removing the person; and the
//! template editor ([`super::templates`]).

use super::areas::{Card, Jump};
use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form};
use crate::model::{OnboardingPlan, PlanKind, Record, Role, StepCategory, Task};
use crate::ops::{Op, PlanInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Plans,
    Templates,
}

/// A plan being typed in the start form.
struct PlanDraft {
    kind: PlanKind,
    person: String,
    template: String,
    date: String,
    manager: String,
    site: String,
}

impl Default for PlanDraft {
    fn default() -> Self {
        PlanDraft {
            kind: PlanKind::Onboarding,
            person: String::new(),
            template: String::new(),
            date: String::new(),
            manager: String::new(),
            site: String::new(),
        }
    }
}

#[derive(Default)]
pub struct OnboardingState {
    pub tab: Tab,
    pub selected: Option<String>,
    draft: PlanDraft,
    pub templates: super::templates::TemplatesState,
    errors: FieldErrors,
    confirm: super::confirm::Pending,
    /// A step clicked: the shell opens its task.
    pub open: Option<Jump>,
}

impl OnboardingState {
    /// Empties the start form once the plan was saved.
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, id, .. } = notice
            && kind == OnboardingPlan::KIND
        {
            self.draft.person.clear();
            self.draft.date.clear();
            self.selected = Some(id.clone());
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut OnboardingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.meetings;
    if state.tab == Tab::Plans
        && let Some(id) = super::layout::still_there(&mut state.selected, |id| {
            view.plans.iter().any(|(p, _)| p.id == id)
        })
    {
        super::layout::details_side(ui, "Plan", |ui| plan_details(ui, state, vm, &id, commands));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("Onboarding");
            ui.separator();
            ui.selectable_value(
                &mut state.tab,
                Tab::Plans,
                format!("Plans ({})", view.plans.len()),
            );
            ui.selectable_value(
                &mut state.tab,
                Tab::Templates,
                format!("Templates ({})", view.templates.len()),
            );
        });
        ui.separator();
        match state.tab {
            Tab::Plans => plans(ui, state, vm, commands),
            Tab::Templates => super::templates::show(ui, &mut state.templates, vm, commands),
        }
    });
}

fn plans(
    ui: &mut egui::Ui,
    state: &mut OnboardingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    start_form(ui, state, vm, commands);
    ui.separator();
    let view = &vm.meetings;
    if view.plans.is_empty() {
        ui.weak("No plans yet. Start one above for a new hire or a leaver: each step becomes a task with an owner and a due date.");
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("plans")
            .num_columns(5)
            .striped(true)
            .spacing([14.0, 6.0])
            .show(ui, |ui| {
                for h in ["Person", "Plan", "Date", "Progress", "Late"] {
                    ui.strong(h);
                }
                ui.end_row();
                for (plan, progress) in view.plans.iter() {
                    let chosen = state.selected.as_deref() == Some(plan.id.as_str());
                    if ui.selectable_label(chosen, &plan.person).clicked() {
                        state.selected = Some(plan.id.clone());
                    }
                    ui.label(match plan.kind {
                        PlanKind::Offboarding => "leaving",
                        _ => "joining",
                    });
                    ui.label(plan.start_date.to_string());
                    ui.add(
                        egui::ProgressBar::new(progress.fraction())
                            .desired_width(160.0)
                            .text(format!("{} of {} done", progress.done, progress.total)),
                    );
                    if progress.late > 0 {
                        ui.colored_label(super::ERROR_COLOR, format!("{} late", progress.late));
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
    });
}

fn start_form(
    ui: &mut egui::Ui,
    state: &mut OnboardingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let d = &mut state.draft;
    let templates: Vec<_> = vm.meetings.templates_of(d.kind).collect();
    if !templates.iter().any(|t| t.name == d.template) {
        d.template = templates
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_default();
    }
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(&mut d.kind, PlanKind::Onboarding, "Someone joins");
        ui.selectable_value(&mut d.kind, PlanKind::Offboarding, "Someone leaves");
        ui.separator();
        let l = ui.label("Person's name");
        ui.add(
            egui::TextEdit::singleline(&mut d.person)
                .hint_text("Dana Lee")
                .desired_width(120.0),
        )
        .labelled_by(l.id);
        let l = ui.label(match d.kind {
            PlanKind::Offboarding => "Last day",
            _ => "Start",
        });
        ui.add(
            egui::TextEdit::singleline(&mut d.date)
                .hint_text("mon, 2026-12-07")
                .desired_width(90.0),
        )
        .labelled_by(l.id);
    });
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Template");
        egui::ComboBox::from_id_salt("plan template")
            .selected_text(d.template.clone())
            .show_ui(ui, |ui| {
                for t in &templates {
                    ui.selectable_value(&mut d.template, t.name.clone(), &t.name);
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Manager");
        egui::ComboBox::from_id_salt("plan manager")
            .selected_text(if d.manager.is_empty() {
                "none"
            } else {
                &d.manager
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut d.manager, String::new(), "none");
                for name in vm.member_names.iter() {
                    ui.selectable_value(&mut d.manager, name.clone(), name);
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Site");
        egui::ComboBox::from_id_salt("plan site")
            .selected_text(if d.site.is_empty() { "none" } else { &d.site })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut d.site, String::new(), "none");
                for s in vm.sites.iter() {
                    ui.selectable_value(&mut d.site, s.name.clone(), &s.name);
                }
            })
            .response
            .labelled_by(l.id);
        let ready = !d.person.trim().is_empty() && !d.date.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Start plan"))
            .on_disabled_hover_text("Type the person and the date first")
            .clicked()
        {
            let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
            commands.push(Command::Op(Op::StartPlan {
                plan: PlanInput {
                    kind: d.kind,
                    person: d.person.trim().to_string(),
                    template: d.template.clone(),
                    date: d.date.clone(),
                    manager: some(&d.manager),
                    site: some(&d.site),
                },
                id: None,
            }));
        }
    });
}

fn plan_details(
    ui: &mut egui::Ui,
    state: &mut OnboardingState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let view = &vm.meetings;
    let Some((plan, progress)) = view.plans.iter().find(|(p, _)| p.id == id).cloned() else {
        return;
    };
    ui.horizontal(|ui| {
        let what = match plan.kind {
            PlanKind::Offboarding => "leaves",
            _ => "joins",
        };
        ui.heading(format!("{} {what}", plan.person));
        if ui.button("Close").clicked() {
            state.selected = None;
        }
    });
    ui.label(format!(
        "{} · template “{}”",
        progress.summary(),
        plan.template
    ));
    let references = super::meetings::references(vm);
    let cx = FormContext::of(vm, &references);
    details_form(ui, &*plan, &cx, &mut state.errors, commands);
    ui.separator();
    ui.strong("Steps");
    let steps = view.steps.get(&plan.id).cloned().unwrap_or_default();
    for task in &steps {
        step_row(ui, state, vm, &plan, task, commands);
    }
    ui.separator();
    let question = format!(
        "Move the plan for {} to the Trash? Its steps stay as tasks.",
        plan.person
    );
    if state.confirm.trash(
        ui,
        OnboardingPlan::KIND,
        &plan.id,
        "Delete plan",
        &question,
        commands,
    ) {
        state.selected = None;
    }
}

fn step_row(
    ui: &mut egui::Ui,
    state: &mut OnboardingState,
    vm: &ViewModel,
    plan: &OnboardingPlan,
    task: &Task,
    commands: &mut Vec<Command>,
) {
    let revoke = plan.kind == PlanKind::Offboarding && task.step == Some(StepCategory::Access);
    ui.horizontal(|ui| {
        let mut done = !task.is_open();
        if revoke && !done {
            let admin = vm.my_role == Some(Role::Admin);
            let question = format!(
                "Remove {} and every device of theirs from the workspace? Peers refuse them once they hear; what they already have stays with them.",
                plan.person
            );
            if admin {
                if state
                    .confirm
                    .button(ui, &task.id, "Revoke access…", &question)
                {
                    commands.push(Command::Op(Op::RevokeAccess {
                        task: task.id.clone(),
                    }));
                }
            } else {
                ui.add_enabled(false, egui::Button::new("Revoke access…"))
                    .on_disabled_hover_text("Only an admin can: it removes the person's devices");
            }
        }
        if revoke && !done {
            ui.label(&task.title);
        } else if ui
            .add_enabled(!revoke, egui::Checkbox::new(&mut done, &task.title))
            .on_hover_text("Done")
            .changed()
        {
            let status = if done { "done" } else { "todo" };
            commands.push(Command::Op(Op::set("tasks", &task.id, "status", status)));
        }
    });
    // Who and when on a line of their own, under the step.
    ui.horizontal(|ui| {
        ui.add_space(24.0);
        ui.weak(task.owner.as_deref().unwrap_or("no owner"));
        match task.due {
            Some(due) if task.is_open() && task.is_overdue(vm.today) => {
                ui.colored_label(super::ERROR_COLOR, format!("due {due}, late"));
            }
            Some(due) => {
                ui.weak(format!("due {due}"));
            }
            None => {}
        }
        if ui
            .small_button("Open")
            .on_hover_text("Open the task")
            .clicked()
        {
            state.open = Some(Jump::Task(task.id.clone()));
        }
    });
    equipment(ui, vm, plan, task, commands);
}

/// Under a leaver's "return equipment" step, what they hold (each taken
/// back in one click); under a joiner's IT step, equipment in stock to
/// hand them.
fn equipment(
    ui: &mut egui::Ui,
    vm: &ViewModel,
    plan: &OnboardingPlan,
    task: &Task,
    commands: &mut Vec<Command>,
) {
    let view = &vm.facilities;
    match (plan.kind, task.step) {
        (PlanKind::Offboarding, Some(StepCategory::Equipment)) => {
            let held: Vec<_> = view.held_by(&plan.person).collect();
            ui.horizontal_wrapped(|ui| {
                ui.add_space(24.0);
                if held.is_empty() {
                    ui.weak(format!("{} holds no equipment", plan.person));
                }
                for asset in held {
                    ui.label(format!("{} {}", asset.tag, asset.name));
                    if ui.small_button("Take back").clicked() {
                        commands.push(Command::Op(Op::ReturnAsset {
                            asset: asset.id.clone(),
                        }));
                    }
                }
            });
        }
        (PlanKind::Onboarding, Some(StepCategory::It)) if task.is_open() => {
            let held: Vec<String> = view
                .held_by(&plan.person)
                .map(|a| format!("{} {}", a.tag, a.name))
                .collect();
            ui.horizontal_wrapped(|ui| {
                ui.add_space(24.0);
                if !held.is_empty() {
                    ui.weak(format!("Has {}", held.join(", ")));
                }
                let l = ui.label("Hand out");
                egui::ComboBox::from_id_salt(("hand out", &task.id))
                    .selected_text("choose…")
                    .show_ui(ui, |ui| {
                        let stock = view
                            .assets
                            .iter()
                            .filter(|a| a.status == crate::model::AssetStatus::InStock);
                        for asset in stock {
                            if ui
                                .selectable_label(false, format!("{} {}", asset.tag, asset.name))
                                .clicked()
                            {
                                commands.push(Command::Op(Op::AssignAsset {
                                    asset: asset.id.clone(),
                                    to: plan.person.clone(),
                                }));
                            }
                        }
                    })
                    .response
                    .labelled_by(l.id);
            });
        }
        _ => {}
    }
}

/// Palette entries: every plan.
pub fn entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.meetings
        .plans
        .iter()
        .map(|(p, _)| {
            let what = match p.kind {
                PlanKind::Offboarding => "Leaver",
                _ => "Onboarding",
            };
            (format!("{what}: {}", p.person), Jump::Plan(p.id.clone()))
        })
        .collect()
}

/// The dashboard card: who joins or leaves this week, and plans running late.
pub fn cards(vm: &ViewModel) -> Vec<Card> {
    let week = vm.meetings.onboarding_this_week(vm.today);
    let lines = week
        .iter()
        .take(8)
        .map(|(p, progress)| {
            let what = match p.kind {
                PlanKind::Offboarding => "leaves",
                _ => "starts",
            };
            let late = if progress.late > 0 {
                format!(", {} late", progress.late)
            } else {
                String::new()
            };
            (
                format!(
                    "{} {what} {} — {} of {} done{late}",
                    p.person,
                    p.start_date.0.format("%a %-d %b"),
                    progress.done,
                    progress.total
                ),
                Jump::Plan(p.id.clone()),
            )
        })
        .collect();
    vec![Card {
        title: format!("Onboarding this week: {}", week.len()),
        lines,
        more: week.len().saturating_sub(8),
        open: ("Open onboarding", Jump::Area(super::AreaTab::Onboarding)),
    }]
}
