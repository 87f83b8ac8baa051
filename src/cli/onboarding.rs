//! `bureau onboarding ...`, `bureau offboarding ...` and `bureau plan ...`:
//! templates, starting a plan for a person (its steps become tasks), a
//! plan's progress, and revoking a leaver's access.

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use super::records::{ChangeCommand, resolve, run_change};
use crate::model::onboarding::{Progress, available_templates, offset_text};
use crate::model::{OnboardingPlan, OnboardingTemplate, PlanKind, StepCategory, Task};
use crate::ops::{Op, PlanInput, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum OnboardingCommand {
    /// The templates (built-in and the workspace's own) with their steps.
    Templates {
        #[arg(long)]
        json: bool,
    },
    /// Start onboarding a person; prints the plan id alone.
    Start {
        name: String,
        #[arg(long, default_value = "New hire")]
        template: String,
        /// First day (2026-12-01, mon, +2w).
        #[arg(long)]
        start: String,
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        site: Option<String>,
    },
    /// Plans with their progress.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OffboardingCommand {
    /// Start offboarding a person; prints the plan id alone.
    Start {
        name: String,
        #[arg(long)]
        last_day: String,
        #[arg(long, default_value = "Leaver")]
        template: String,
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        site: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Show a plan: its steps with owners, due dates and what is late.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Complete a leaver's "revoke access" step (admins): removes the
    /// person and their devices from the workspace.
    RevokeAccess { id: String },
    /// Plans with their progress.
    List {
        #[arg(long)]
        json: bool,
    },
    /// set (KEY=VALUE: person, start_date, manager, site, notes), delete,
    /// restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

pub fn run_onboarding(
    store: &Store,
    session: &mut Session,
    command: OnboardingCommand,
) -> Result<()> {
    match command {
        OnboardingCommand::Templates { json } => templates(store, json),
        OnboardingCommand::Start {
            name,
            template,
            start,
            manager,
            site,
        } => start_plan(
            store,
            session,
            PlanInput {
                kind: PlanKind::Onboarding,
                person: name,
                template,
                date: start,
                manager,
                site,
            },
        ),
        OnboardingCommand::List { json } => list(store, session, json),
    }
}

pub fn run_offboarding(
    store: &Store,
    session: &mut Session,
    command: OffboardingCommand,
) -> Result<()> {
    let OffboardingCommand::Start {
        name,
        last_day,
        template,
        manager,
        site,
    } = command;
    start_plan(
        store,
        session,
        PlanInput {
            kind: PlanKind::Offboarding,
            person: name,
            template,
            date: last_day,
            manager,
            site,
        },
    )
}

fn start_plan(store: &Store, session: &mut Session, plan: PlanInput) -> Result<()> {
    let outcome = session.apply(store, Op::StartPlan { plan, id: None })?;
    say!("{}", outcome.created.unwrap_or_default());
    if let Some(message) = outcome.message {
        note!("{message}");
    }
    Ok(())
}

pub fn run_plan(store: &Store, session: &mut Session, command: PlanCommand) -> Result<()> {
    match command {
        PlanCommand::Show { id, json } => {
            let id = resolve::<OnboardingPlan>(store, &id)?;
            show(store, session, &id, json)
        }
        PlanCommand::RevokeAccess { id } => {
            let id = resolve::<OnboardingPlan>(store, &id)?;
            let step = steps_of(store, &id)?
                .into_iter()
                .find(|t| t.step == Some(StepCategory::Access))
                .ok_or_else(|| anyhow::anyhow!("this plan has no revoke-access step"))?;
            super::report_outcome(&session.apply(store, Op::RevokeAccess { task: step.id })?)
        }
        PlanCommand::List { json } => list(store, session, json),
        PlanCommand::Change(change) => run_change::<OnboardingPlan>(store, session, change),
    }
}

/// The tasks that are steps of plan `id`, by due date.
fn steps_of(store: &Store, id: &str) -> Result<Vec<Task>> {
    let mut steps: Vec<Task> = store
        .list::<Task>(false)?
        .into_iter()
        .filter(|t| t.plan.as_deref() == Some(id))
        .collect();
    steps.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    Ok(steps)
}

#[derive(serde::Serialize)]
struct PlanJson<'a> {
    plan: &'a OnboardingPlan,
    progress: Progress,
    steps: Vec<StepJson<'a>>,
}

#[derive(serde::Serialize)]
struct StepJson<'a> {
    task: &'a str,
    title: &'a str,
    category: Option<StepCategory>,
    owner: Option<&'a str>,
    due: Option<String>,
    status: String,
    late: bool,
}

fn show(store: &Store, session: &Session, id: &str, json: bool) -> Result<()> {
    let plan = store.require::<OnboardingPlan>(id)?;
    let steps = steps_of(store, id)?;
    let today = session.today();
    let progress = Progress::of(&steps, today);
    if json {
        return print_json(&PlanJson {
            plan: &plan,
            progress,
            steps: steps
                .iter()
                .map(|t| StepJson {
                    task: &t.id,
                    title: &t.title,
                    category: t.step,
                    owner: t.owner.as_deref(),
                    due: t.due.map(|d| d.to_string()),
                    status: t.status.to_string(),
                    late: t.is_overdue(today),
                })
                .collect(),
        });
    }
    let day = match plan.kind {
        PlanKind::Offboarding => "last day",
        _ => "starts",
    };
    say!(
        "{} {}: {}, {day} {}{}",
        plan.kind,
        plan.id,
        plan.person,
        plan.start_date,
        plan.manager
            .as_deref()
            .map(|m| format!(", manager {m}"))
            .unwrap_or_default()
    );
    say!("{}", progress.summary());
    let mut t = table(&["Due", "Step", "Owner", "Status", ""]);
    for s in &steps {
        t.add_row(vec![
            s.due.map(|d| d.to_string()).unwrap_or_default(),
            s.title.clone(),
            s.owner.clone().unwrap_or_else(|| "no owner".into()),
            s.status.to_string(),
            if s.is_overdue(today) { "late" } else { "" }.into(),
        ]);
    }
    say!("{t}");
    let held: Vec<String> = store
        .list::<crate::model::Asset>(false)?
        .into_iter()
        .filter(|a| a.is_held_by(&plan.person))
        .map(|a| format!("{} {}", a.tag, a.name))
        .collect();
    if !held.is_empty() {
        say!("{} holds: {}", plan.person, held.join(", "));
    }
    Ok(())
}

fn list(store: &Store, session: &Session, json: bool) -> Result<()> {
    let plans = store.list::<OnboardingPlan>(false)?;
    let tasks = store.list::<Task>(false)?;
    let today = session.today();
    let rows: Vec<(OnboardingPlan, Progress)> = plans
        .into_iter()
        .map(|p| {
            let progress = Progress::of(
                tasks.iter().filter(|t| t.plan.as_deref() == Some(&p.id)),
                today,
            );
            (p, progress)
        })
        .collect();
    if json {
        let out: Vec<_> = rows
            .iter()
            .map(|(plan, progress)| serde_json::json!({ "plan": plan, "progress": progress }))
            .collect();
        return print_json(&out);
    }
    if rows.is_empty() {
        say!("No plans. Start one with: bureau onboarding start NAME --start D");
        return Ok(());
    }
    let mut t = table(&["ID", "Person", "Kind", "Date", "Done", "Late"]);
    for (p, progress) in &rows {
        t.add_row(vec![
            p.id.clone(),
            p.person.clone(),
            p.kind.to_string(),
            p.start_date.to_string(),
            format!("{}/{}", progress.done, progress.total),
            progress.late.to_string(),
        ]);
    }
    say!("{t}");
    Ok(())
}

fn templates(store: &Store, json: bool) -> Result<()> {
    let all = available_templates(&store.list::<OnboardingTemplate>(false)?);
    if json {
        return print_json(&all);
    }
    for template in &all {
        say!("{} ({}, {})", template.name, template.kind, template.id);
        let mut t = table(&["When", "Step", "Category", "Who"]);
        for (_, s) in template.steps_in_order() {
            t.add_row(vec![
                offset_text(s.offset_days, template.kind),
                s.title.clone(),
                s.category.to_string(),
                s.responsible.clone(),
            ]);
        }
        say!("{t}");
        say!("");
    }
    Ok(())
}
