//! `bureau task ...`

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{note, opt, print_json, say, table};
use super::records::assignments;
use super::{resolve_id, today};
use crate::model::{Date, Project, Record, Task, TaskStatus};
use crate::ops::{FieldInput, Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Add a task; prints the new id alone.
    Add(AddArgs),
    /// List open tasks (add --all for finished and deleted ones too).
    List(ListArgs),
    /// Change a task's fields.
    Set(SetArgs),
    /// Mark a task done (a recurring task gets its next occurrence).
    Done { id: String },
    /// Show one task with every field and any conflicting edits.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a task to the trash.
    Delete { id: String },
    /// Bring a task back from the trash.
    Restore { id: String },
    /// Add a comment to a task.
    Comment { id: String, text: String },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    pub title: String,
    #[arg(long)]
    pub owner: Option<String>,
    /// YYYY-MM-DD, today, tomorrow, a weekday (fri), +3d, 2w.
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    /// normal, low, high or urgent.
    #[arg(long)]
    pub priority: Option<String>,
    /// Project name (created if new).
    #[arg(long)]
    pub project: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Any other field as KEY=VALUE (e.g. recurrence=weekly watchers="Ana, Ben").
    #[arg(value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
    /// Only open tasks due before today.
    #[arg(long)]
    pub overdue: bool,
    /// Only blocked tasks.
    #[arg(long)]
    pub blocked: bool,
    /// Only tasks owned by NAME.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Include done and deleted tasks.
    #[arg(long)]
    pub all: bool,
    /// Evaluate "overdue" as of this date instead of today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<Date>,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    pub id: String,
    #[arg(long)]
    pub title: Option<String>,
    /// todo, in-progress, blocked or done.
    #[arg(long)]
    pub status: Option<String>,
    /// Why the task is blocked (required when setting --status blocked).
    #[arg(long)]
    pub reason: Option<String>,
    /// New due date (YYYY-MM-DD, tomorrow, fri, +3d, …), or "none" to clear it.
    #[arg(long, value_name = "DATE|none")]
    pub due: Option<String>,
    /// New owner, or "none" to clear it.
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub priority: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Project name (created if new), or "none".
    #[arg(long)]
    pub project: Option<String>,
    /// Any other field as KEY=VALUE (tags, watchers, escalate_to, recurrence).
    #[arg(value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
}

pub fn run(store: &Store, session: &mut Session, command: TaskCommand) -> Result<()> {
    match command {
        TaskCommand::Add(args) => add(store, session, args),
        TaskCommand::List(args) => list(store, args),
        TaskCommand::Set(args) => set(store, session, args),
        TaskCommand::Done { id } => {
            let id = resolve_id::<Task>(store, &id)?;
            let outcome = session.apply(store, Op::set(Task::KIND, &id, "status", "done"))?;
            if let Some(next) = outcome.created {
                note!("next occurrence: {next}");
            }
            Ok(())
        }
        TaskCommand::Show { id, json } => show(store, &id, json),
        TaskCommand::Delete { id } => {
            let id = resolve_id::<Task>(store, &id)?;
            session.apply(
                store,
                Op::Delete {
                    kind: Task::KIND.into(),
                    id,
                },
            )?;
            Ok(())
        }
        TaskCommand::Restore { id } => {
            let id = resolve_id::<Task>(store, &id)?;
            session.apply(
                store,
                Op::Restore {
                    kind: Task::KIND.into(),
                    id,
                },
            )?;
            Ok(())
        }
        TaskCommand::Comment { id, text } => {
            let task = resolve_id::<Task>(store, &id)?;
            session.apply(store, Op::AddComment { task, text })?;
            Ok(())
        }
    }
}

fn add(store: &Store, session: &mut Session, args: AddArgs) -> Result<()> {
    let mut fields: Vec<FieldInput> = vec![("title".into(), args.title)];
    let optional = [
        ("description", args.description),
        ("owner", args.owner),
        ("due", args.due),
        ("priority", args.priority),
        ("project", args.project),
    ];
    fields.extend(
        optional
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v))),
    );
    if !args.tags.is_empty() {
        fields.push(("tags".into(), args.tags.join(", ")));
    }
    fields.extend(assignments::<Task>(&args.fields)?);
    let outcome = session.apply(
        store,
        Op::Create {
            kind: Task::KIND.into(),
            fields,
        },
    )?;
    say!("{}", outcome.created.unwrap_or_default());
    Ok(())
}

fn list(store: &Store, args: ListArgs) -> Result<()> {
    let today = args.today.unwrap_or_else(today);
    let mut tasks = if args.overdue {
        store.overdue_tasks(today)?
    } else if args.blocked {
        store.blocked_tasks()?
    } else if let Some(owner) = &args.owner {
        store.tasks_by_owner(owner)?
    } else {
        store.list::<Task>(args.all)?
    };
    // Filters combine: apply the ones not used to select.
    if args.blocked {
        tasks.retain(|t| t.status == TaskStatus::Blocked);
    }
    if args.overdue {
        tasks.retain(|t| t.is_overdue(today));
    }
    if let Some(owner) = &args.owner {
        tasks.retain(|t| t.is_owned_by(owner));
    }
    if !args.all {
        tasks.retain(|t| t.is_open());
    }
    if args.json {
        return print_json(&tasks);
    }
    let projects = store.list::<Project>(true)?;
    let mut out = table(&[
        "ID", "STATUS", "PRIORITY", "DUE", "OWNER", "PROJECT", "TITLE",
    ]);
    for t in &tasks {
        let project = t
            .project
            .as_ref()
            .and_then(|id| projects.iter().find(|p| &p.id == id))
            .map(|p| p.name.clone());
        let status = match (&t.status, &t.blocked_reason) {
            (TaskStatus::Blocked, Some(reason)) => format!("blocked ({reason})"),
            (s, _) => s.to_string(),
        };
        out.add_row(vec![
            t.id.clone(),
            status,
            t.priority.to_string(),
            opt(t.due),
            opt(t.owner.clone()),
            opt(project),
            t.title.clone(),
        ]);
    }
    if tasks.is_empty() {
        note!("no tasks match");
    } else {
        say!("{out}");
    }
    Ok(())
}

fn set(store: &Store, session: &mut Session, args: SetArgs) -> Result<()> {
    let id = resolve_id::<Task>(store, &args.id)?;
    let flags = [
        ("title", args.title),
        ("status", args.status),
        ("blocked_reason", args.reason),
        ("due", args.due),
        ("owner", args.owner),
        ("priority", args.priority),
        ("description", args.description),
        ("project", args.project),
    ];
    let mut fields: Vec<FieldInput> = flags
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect();
    fields.extend(assignments::<Task>(&args.fields)?);
    if fields.is_empty() {
        anyhow::bail!("nothing to change: give --title, --status, --due, … or KEY=VALUE");
    }
    let outcome = session.apply(
        store,
        Op::Edit {
            kind: Task::KIND.into(),
            id,
            fields,
        },
    )?;
    if let Some(next) = outcome.created {
        note!("next occurrence: {next}");
    }
    Ok(())
}

fn show(store: &Store, id: &str, json: bool) -> Result<()> {
    let id = resolve_id::<Task>(store, id)?;
    let task = store.require::<Task>(&id)?;
    let conflicts = store.conflicts::<Task>(&id)?;
    if json {
        return print_json(&serde_json::json!({ "task": task, "conflicts": conflicts }));
    }
    say!("{}  {}", task.id, task.title);
    say!("status:    {}", task.status);
    if let Some(reason) = &task.blocked_reason {
        say!("blocked:   {reason} (since {})", opt(task.blocked_since));
    }
    say!("priority:  {}", task.priority);
    say!("due:       {}", opt(task.due));
    say!("owner:     {}", opt(task.owner.clone()));
    if !task.tags.is_empty() {
        say!("tags:      {}", task.tags.join(", "));
    }
    if !task.description.is_empty() {
        say!("\n{}\n", task.description);
    }
    for item in task.checklist.values() {
        say!("[{}] {}", if item.done { "x" } else { " " }, item.text);
    }
    for c in task.comments.values() {
        say!("{} {}: {}", c.at, c.author, c.text);
    }
    if let Some(deleted) = task.deleted_at {
        say!("in the trash since {deleted}");
    }
    for c in conflicts {
        let values: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
        say!("conflict in {}: {}", c.field, values.join(" vs "));
    }
    Ok(())
}
