//! `bureau task ...`

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{note, opt, print_json, say, table};
use super::{resolve_id, today};
use crate::model::{Date, Priority, Project, Task, TaskStatus, new_id};
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
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub due: Option<Date>,
    #[arg(long)]
    pub priority: Option<Priority>,
    /// Project name (created if new).
    #[arg(long)]
    pub project: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
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
    #[arg(long)]
    pub status: Option<TaskStatus>,
    /// Why the task is blocked (required when setting --status blocked).
    #[arg(long)]
    pub reason: Option<String>,
    /// New due date, or "none" to clear it.
    #[arg(long, value_name = "YYYY-MM-DD|none")]
    pub due: Option<String>,
    /// New owner, or "none" to clear it.
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub priority: Option<Priority>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub project: Option<String>,
}

pub fn run(store: &Store, command: TaskCommand) -> Result<()> {
    match command {
        TaskCommand::Add(args) => add(store, args),
        TaskCommand::List(args) => list(store, args),
        TaskCommand::Set(args) => set(store, args),
        TaskCommand::Done { id } => {
            let id = resolve_id::<Task>(store, &id)?;
            if let Some(next) = store.set_task_status(&id, TaskStatus::Done, None)? {
                note!("next occurrence: {next}");
            }
            Ok(())
        }
        TaskCommand::Show { id, json } => show(store, &id, json),
        TaskCommand::Delete { id } => Ok(store.delete::<Task>(&resolve_id::<Task>(store, &id)?)?),
        TaskCommand::Restore { id } => Ok(store.restore::<Task>(&resolve_id::<Task>(store, &id)?)?),
        TaskCommand::Comment { id, text } => {
            let id = resolve_id::<Task>(store, &id)?;
            let me = store.me()?;
            store.update::<Task, _>(&id, "comment on", |t| {
                t.comments.insert(
                    new_id(),
                    crate::model::Comment {
                        author: me.name.clone(),
                        at: crate::model::Stamp::now(),
                        text,
                    },
                );
                Ok(())
            })?;
            Ok(())
        }
    }
}

fn optional_text(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Finds a project by name or creates it.
fn ensure_project(store: &Store, name: &str) -> Result<String> {
    let wanted = name.trim().to_lowercase();
    if let Some(p) = store
        .list::<Project>(false)?
        .into_iter()
        .find(|p| p.name.to_lowercase() == wanted)
    {
        return Ok(p.id);
    }
    Ok(store.create(Project {
        id: new_id(),
        name: name.trim().to_string(),
        ..Default::default()
    })?)
}

fn add(store: &Store, args: AddArgs) -> Result<()> {
    let mut task = Task {
        id: new_id(),
        title: args.title.trim().to_string(),
        description: args.description.unwrap_or_default(),
        owner: optional_text(args.owner),
        due: args.due,
        priority: args.priority.unwrap_or_default(),
        tags: args.tags,
        ..Default::default()
    };
    // Validate before creating a project so a bad task changes nothing.
    crate::model::Record::validate(&task)?;
    if let Some(project) = args.project.as_deref().filter(|p| !p.trim().is_empty()) {
        task.project = Some(ensure_project(store, project)?);
    }
    say!("{}", store.create(task)?);
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
        let owner = owner.to_lowercase();
        tasks.retain(|t| {
            t.owner
                .as_deref()
                .is_some_and(|o| o.to_lowercase() == owner)
        });
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

fn set(store: &Store, args: SetArgs) -> Result<()> {
    let id = resolve_id::<Task>(store, &args.id)?;
    let due = match args.due.as_deref().map(str::trim) {
        None => None,
        Some("none") | Some("") => Some(None),
        Some(text) => Some(Some(text.parse::<Date>().map_err(anyhow::Error::msg)?)),
    };
    let project = match args.project.as_deref().map(str::trim) {
        None => None,
        Some("none") | Some("") => Some(None),
        Some(name) => Some(Some(ensure_project(store, name)?)),
    };
    if args.reason.is_some() && args.status.is_none_or(|s| s != TaskStatus::Blocked) {
        let current = store.require::<Task>(&id)?;
        if current.status != TaskStatus::Blocked && args.status != Some(TaskStatus::Blocked) {
            anyhow::bail!("--reason applies to blocked tasks: add --status blocked");
        }
    }
    if let Some(status) = args.status {
        // Status first, in its own commit, with the recurrence rule applied.
        let reason = args.reason.clone();
        let has_other_edits = args.title.is_some()
            || due.is_some()
            || args.owner.is_some()
            || args.priority.is_some()
            || args.description.is_some()
            || project.is_some();
        if !has_other_edits {
            if let Some(next) = store.set_task_status(&id, status, reason)? {
                note!("next occurrence: {next}");
            }
            return Ok(());
        }
    }
    let at = crate::model::Stamp::now();
    let next = store.update::<Task, _>(&id, "edit", |t| {
        if let Some(title) = args.title {
            t.title = title.trim().to_string();
        }
        if let Some(due) = due {
            t.due = due;
        }
        if let Some(owner) = args.owner {
            t.owner = optional_text(Some(owner)).filter(|o| o != "none");
        }
        if let Some(priority) = args.priority {
            t.priority = priority;
        }
        if let Some(description) = args.description {
            t.description = description;
        }
        if let Some(project) = project {
            t.project = project;
        }
        match args.status {
            Some(status) => Ok(t.set_status(status, args.reason, at)),
            None => {
                if let Some(reason) = args.reason {
                    t.blocked_reason = Some(reason);
                }
                Ok(None)
            }
        }
    })?;
    if let Some(next) = next {
        store.create(next)?;
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
