//! Onboarding and offboarding actions: starting a plan from a template
//! (its steps become tasks with owners and due dates), editing templates
//! step by step, and the leaver's "revoke access" step, which an admin
//! completes by removing the person from the workspace.

use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::rules::member_named;
use super::{FieldInput, Op, Outcome, WriteCheck};
use crate::model::onboarding::{
    COORDINATOR, MANAGER, PERSON, available_templates, due_date, parse_offset,
};
use crate::model::schema::{FieldContext, same_name};
use crate::model::{
    Date, Member, OnboardingPlan, OnboardingTemplate, PlanKind, Record, StepCategory, Task,
    TemplateStep, ValidationError, new_id, require_text,
};
use crate::store::records::kind_map_mut;
use crate::store::{Result, Store, StoreError};

/// A plan as typed on the command line or in the form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanInput {
    pub kind: PlanKind,
    pub person: String,
    /// Template name (or id); the kind's built-in one when empty.
    pub template: String,
    /// Start date, or last day for a leaver, as typed.
    pub date: String,
    pub manager: Option<String>,
    /// Site name.
    pub site: Option<String>,
}

/// Applies an onboarding action (the operations layer sends these here).
pub(super) fn apply(store: &Store, op: &Op, cx: &FieldContext) -> Result<(Outcome, Action)> {
    match op {
        Op::StartPlan { plan, id } => {
            let id = id
                .as_deref()
                .ok_or_else(|| StoreError::Rejected("plan id not prepared".into()))?;
            start_plan(store, plan, id, cx)
        }
        Op::RevokeAccess { .. } => Err(StoreError::Rejected(
            "revoking access goes through the session (it needs the membership)".into(),
        )),
        Op::CustomizeTemplate { template, id } => {
            let id = id.clone().unwrap_or_else(new_id);
            customize_template(store, template, &id)
        }
        Op::AddTemplateStep {
            template,
            fields,
            id,
        } => {
            let id = id.clone().unwrap_or_else(new_id);
            add_template_step(store, template, &id, fields)
        }
        Op::EditTemplateStep {
            template,
            step,
            fields,
        } => edit_template_step(store, template, step, fields),
        Op::RemoveTemplateStep { template, step } => remove_template_step(store, template, step),
        _ => Err(StoreError::Rejected("not an onboarding action".into())),
    }
}

/// The template called `wanted` (name or id) among those available.
pub fn find_template(store: &Store, wanted: &str, kind: PlanKind) -> Result<OnboardingTemplate> {
    let all = available_templates(&store.list::<OnboardingTemplate>(false)?);
    let wanted = wanted.trim();
    let found: Vec<&OnboardingTemplate> = if wanted.is_empty() {
        all.iter().filter(|t| t.kind == kind).collect()
    } else {
        all.iter()
            .filter(|t| t.id == wanted || same_name(&t.name, wanted))
            .collect()
    };
    let names = || {
        all.iter()
            .map(|t| format!("{} ({})", t.name, t.kind))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found.as_slice() {
        [one] if one.kind == kind => Ok((*one).clone()),
        [one] => Err(StoreError::Rejected(format!(
            "“{}” is an {} template; use `bureau {} start`",
            one.name, one.kind, one.kind
        ))),
        [] => Err(StoreError::Rejected(format!(
            "there is no template named {wanted:?}; templates: {}",
            names()
        ))),
        many => Err(StoreError::Rejected(format!(
            "{} templates are named {wanted:?} ({}); give the id",
            many.len(),
            many.iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Starts a plan: the step tasks (tasks document) first, then the plan
/// (onboarding document), under ids fixed beforehand, so a run cut short
/// by a crash is finished by running it again.
pub(super) fn start_plan(
    store: &Store,
    input: &PlanInput,
    plan_id: &str,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let person = input.person.trim().to_string();
    require_text("person", &person)?;
    let template = find_template(store, &input.template, input.kind)?;
    let start = Date::parse_relative(&input.date, cx.today).map_err(|e| {
        ValidationError::new(
            match input.kind {
                PlanKind::Offboarding => "last day",
                _ => "start",
            },
            e,
        )
    })?;
    let members: Vec<String> = store
        .list::<Member>(false)?
        .into_iter()
        .map(|m| m.name)
        .collect();
    let manager = match input.manager.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => Some(member_named(&members, m, "manager")?),
        _ => None,
    };
    let site = match input.site.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(
            store
                .site_by_name(s)?
                .ok_or_else(|| {
                    StoreError::Rejected(format!(
                        "site: there is no site named {s:?}; check the spelling or add it first"
                    ))
                })?
                .id,
        ),
        _ => None,
    };
    let me = store.me()?.name;
    let owner_for = |responsible: &str| -> Option<String> {
        let r = responsible.trim();
        if r.eq_ignore_ascii_case(MANAGER) {
            manager.clone()
        } else if r.eq_ignore_ascii_case(PERSON) {
            Some(person.clone())
        } else if r.eq_ignore_ascii_case(COORDINATOR) || r.is_empty() {
            Some(me.clone())
        } else {
            Some(member_named(&members, r, "responsible").unwrap_or_else(|_| r.to_string()))
        }
    };
    let tag = input.kind.as_str().to_string();
    let tasks: Vec<Task> = template
        .steps_in_order()
        .into_iter()
        .enumerate()
        .map(|(n, (_, step))| Task {
            id: format!("{plan_id}-{n:02}"),
            title: format!("{} ({person})", step.title),
            owner: owner_for(&step.responsible),
            due: Some(due_date(start, step.offset_days)),
            tags: vec![tag.clone()],
            plan: Some(plan_id.to_string()),
            step: Some(step.category),
            ..Default::default()
        })
        .collect();
    let mut steps = Vec::new();
    store.change(Task::AREA, &format!("start plan {plan_id}"), |tx, audit| {
        let map = kind_map_mut(tx, Task::KIND)?;
        for task in &tasks {
            if automerge::ReadDoc::get(&*tx, &map, task.id.as_str())?.is_some() {
                continue;
            }
            let mut task = task.clone();
            task.validate()?;
            task.touch(audit, true);
            autosurgeon::reconcile_prop(tx, &map, task.id.as_str(), &task)?;
        }
        Ok(())
    })?;
    steps.extend(tasks.iter().map(|t| Step::Created {
        kind: Task::KIND.into(),
        id: t.id.clone(),
    }));
    if store.get::<OnboardingPlan>(plan_id)?.is_none() {
        store.create(OnboardingPlan {
            id: plan_id.to_string(),
            person: person.clone(),
            kind: input.kind,
            start_date: start,
            manager: manager.clone(),
            site,
            template: template.name.clone(),
            ..Default::default()
        })?;
    }
    steps.push(Step::Created {
        kind: OnboardingPlan::KIND.into(),
        id: plan_id.to_string(),
    });
    Ok((
        Outcome {
            created: Some(plan_id.to_string()),
            message: Some(format!("{} steps planned for {person}", tasks.len())),
        },
        Action {
            label: format!("Start the {} of {person}", input.kind),
            steps,
        },
    ))
}

/// Copies a built-in template into the workspace (under `id`) so it can
/// be edited; the copy replaces the built-in one by name.
pub(super) fn customize_template(
    store: &Store,
    wanted: &str,
    id: &str,
) -> Result<(Outcome, Action)> {
    let all = available_templates(&store.list::<OnboardingTemplate>(false)?);
    let mut template = all
        .into_iter()
        .find(|t| t.id == wanted || same_name(&t.name, wanted))
        .ok_or_else(|| StoreError::Rejected(format!("there is no template named {wanted:?}")))?;
    if store.get::<OnboardingTemplate>(&template.id)?.is_some() {
        return Ok((
            Outcome {
                created: Some(template.id),
                message: None,
            },
            Action {
                label: "Edit a template".into(),
                steps: Vec::new(),
            },
        ));
    }
    template.id = id.to_string();
    let name = template.name.clone();
    store.create(template)?;
    Ok((
        Outcome {
            created: Some(id.to_string()),
            message: None,
        },
        Action {
            label: format!("Make the template “{name}” editable"),
            steps: vec![Step::Created {
                kind: OnboardingTemplate::KIND.into(),
                id: id.to_string(),
            }],
        },
    ))
}

/// Adds a step at the end of a template.
pub(super) fn add_template_step(
    store: &Store,
    template: &str,
    step: &str,
    fields: &[FieldInput],
) -> Result<(Outcome, Action)> {
    let (_, action) = edit_record::<OnboardingTemplate>(
        store,
        template,
        Edit::new("Add a step to"),
        |_, t, _, _| {
            let last = t.steps_in_order().last().map(|(_, s)| s.rank.clone());
            let mut new = TemplateStep {
                rank: crate::model::order::between(last.as_deref(), None),
                responsible: COORDINATOR.into(),
                category: StepCategory::Other,
                ..Default::default()
            };
            set_step_fields(&mut new, fields)?;
            require_text("step title", &new.title)?;
            t.steps.insert(step.to_string(), new);
            Ok(())
        },
    )?;
    Ok((
        Outcome {
            created: Some(step.to_string()),
            message: None,
        },
        action,
    ))
}

/// Sets fields of one template step: `title`, `category`, `responsible`,
/// `offset` (`-7d`, `day 1`, `+30d`).
pub(super) fn edit_template_step(
    store: &Store,
    template: &str,
    step: &str,
    fields: &[FieldInput],
) -> Result<(Outcome, Action)> {
    edit_record::<OnboardingTemplate>(
        store,
        template,
        Edit::new("Edit a step of"),
        |_, t, _, _| {
            let s = t
                .steps
                .get_mut(step)
                .ok_or_else(|| StoreError::Rejected("that step was removed".into()))?;
            set_step_fields(s, fields)
        },
    )
}

pub(super) fn remove_template_step(
    store: &Store,
    template: &str,
    step: &str,
) -> Result<(Outcome, Action)> {
    edit_record::<OnboardingTemplate>(
        store,
        template,
        Edit::new("Remove a step from"),
        |_, t, _, _| {
            t.steps
                .remove(step)
                .map(|_| ())
                .ok_or_else(|| StoreError::Rejected("that step was removed".into()))
        },
    )
}

fn set_step_fields(step: &mut TemplateStep, fields: &[FieldInput]) -> Result<()> {
    for (key, text) in fields {
        match key.as_str() {
            "title" => step.title = text.trim().to_string(),
            "category" => {
                step.category = text
                    .parse()
                    .map_err(|e: String| ValidationError::new("category", e))?
            }
            "responsible" => step.responsible = text.trim().to_string(),
            "offset" => {
                step.offset_days =
                    parse_offset(text).map_err(|e| ValidationError::new("offset", e))?
            }
            other => {
                return Err(ValidationError::new(
                    "field name",
                    format!(
                        "a step has no field {other:?}; use title, category, responsible or offset"
                    ),
                )
                .into());
            }
        }
    }
    Ok(())
}

/// The leaver's "revoke access" step of `task`, with its plan: refused for
/// any other task.
pub(super) fn access_step(store: &Store, task: &str) -> Result<(Task, OnboardingPlan)> {
    let task = store.require::<Task>(task)?;
    let plan = match (&task.plan, task.step) {
        (Some(plan), Some(StepCategory::Access)) => store.get::<OnboardingPlan>(plan)?,
        _ => None,
    };
    match plan {
        Some(plan) if plan.kind == PlanKind::Offboarding => Ok((task, plan)),
        _ => Err(StoreError::Rejected(format!(
            "“{}” is not a leaver's revoke-access step",
            task.title
        ))),
    }
}

/// Refuses completing a leaver's revoke-access step by a plain status edit:
/// completing it removes the person, which only an admin's confirmed
/// revoke does.
pub(super) fn check_status_edit(store: &Store, task: &str, fields: &[FieldInput]) -> Result<()> {
    let completes = fields
        .iter()
        .any(|(k, v)| k == "status" && v.trim().eq_ignore_ascii_case("done"));
    if completes && let Ok((task, plan)) = access_step(store, task) {
        return Err(StoreError::Rejected(format!(
            "“{}” is done by revoking {}'s access (an admin: `bureau plan revoke-access {}`), which removes their devices",
            task.title, plan.person, plan.id
        )));
    }
    Ok(())
}

/// Marks the revoke-access step done (after the removal).
fn complete_access_step(store: &Store, task: &str) -> Result<()> {
    edit_record::<Task>(store, task, Edit::new("Complete"), |_, t, audit, _| {
        t.set_status(crate::model::TaskStatus::Done, None, audit.at);
        Ok(())
    })?;
    Ok(())
}

impl super::Session {
    /// Completes a leaver's revoke-access step: only an admin may, and the
    /// person (if they are a member) is removed first, with every device.
    pub(super) fn revoke_access(&mut self, store: &Store, task: &str) -> Result<Outcome> {
        let (step, plan) = access_step(store, task)?;
        if step.status == crate::model::TaskStatus::Done {
            return Err(StoreError::Rejected(format!(
                "{}'s access was already revoked",
                plan.person
            )));
        }
        let message = match &self.check {
            WriteCheck::Open => format!(
                "{} has no devices here (this workspace has no membership); step completed",
                plan.person
            ),
            WriteCheck::Members { access, device } => {
                if !access.current().is_admin_device(device) {
                    return Err(StoreError::Rejected(format!(
                        "only an admin can revoke {}'s access: completing this step removes their devices",
                        plan.person
                    )));
                }
                let membership = access.current();
                match membership.find(&plan.person) {
                    Ok(member) if member.devices.contains(device) => {
                        return Err(StoreError::Rejected(
                            "this is your own access; another admin removes you".into(),
                        ));
                    }
                    Ok(member) => {
                        let key = crate::sync::identity::load_or_create(store.data_dir())?;
                        let devices = member.devices.len();
                        crate::sync::node::change_membership(
                            store,
                            &key,
                            access,
                            crate::sync::membership::Action::Remove {
                                member_id: member.member_id.clone(),
                            },
                        )?;
                        access.refresh(store)?;
                        format!(
                            "Removed {} and their {devices} device(s) from the workspace; peers refuse them once they hear",
                            member.name
                        )
                    }
                    Err(_) => format!(
                        "{} is not a member of this workspace; nothing to remove, step completed",
                        plan.person
                    ),
                }
            }
        };
        // Not journalled: undo could reopen the step but not bring the
        // person back (that is a new invite), so it offers nothing here.
        complete_access_step(store, task)?;
        Ok(Outcome {
            created: None,
            message: Some(message),
        })
    }
}
