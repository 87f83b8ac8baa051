//! Tasks and the projects that group them.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Date, Stamp, string_enum};

string_enum! {
    pub enum TaskStatus { Todo = "todo", InProgress = "in-progress", Blocked = "blocked", Done = "done" }
}

string_enum! {
    pub enum Priority { Normal = "normal", Low = "low", High = "high", Urgent = "urgent" }
}

string_enum! {
    /// How a task repeats once it is done.
    pub enum Recurrence { Daily = "daily", Weekly = "weekly", Monthly = "monthly", Yearly = "yearly" }
}

impl Recurrence {
    /// The next due date after `due`.
    pub fn next(self, due: Date) -> Date {
        match self {
            // A rule from a newer version: repeat weekly rather than never.
            Recurrence::Unknown => due.add_days(7),
            Recurrence::Daily => due.add_days(1),
            Recurrence::Weekly => due.add_days(7),
            Recurrence::Monthly => Date(
                due.0
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(due.0),
            ),
            Recurrence::Yearly => Date(
                due.0
                    .checked_add_months(chrono::Months::new(12))
                    .unwrap_or(due.0),
            ),
        }
    }
}

/// One line of a task's checklist. `order` is a sortable key set by the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct ChecklistItem {
    pub text: String,
    pub done: bool,
    pub order: i64,
}

/// A comment on a task; comment ids are UUID v7, so they sort by time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct Comment {
    pub author: String,
    pub at: Stamp,
    pub text: String,
}

super::field_write::nested_fields!(ChecklistItem { text, done, order });
super::field_write::nested_fields!(Comment { author, at, text });

record! {
    /// Something someone has to do.
    pub struct Task ("tasks" in Tasks) {
        pub title: String,
        pub description: String,
        /// Project id.
        pub project: Option<String>,
        /// The person responsible (a name: owners need not use Bureau).
        pub owner: Option<String>,
        pub watchers: Vec<String>,
        pub status: TaskStatus,
        /// Why the task is blocked; required while status is `blocked`.
        pub blocked_reason: Option<String>,
        /// When the task became blocked, for "blocked for N days".
        pub blocked_since: Option<Stamp>,
        pub priority: Priority,
        pub due: Option<Date>,
        pub tags: Vec<String>,
        pub checklist: BTreeMap<String, ChecklistItem>,
        /// Who to escalate to when the task slips.
        pub escalate_to: Option<String>,
        pub recurrence: Option<Recurrence>,
        pub comments: BTreeMap<String, Comment>,
        pub completed_at: Option<Stamp>,
        /// Position on the board within its column (see [`super::order`]);
        /// cards without one follow, by due date.
        pub rank: Option<String>,
        /// The meeting this is an action item of (id).
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub meeting: Option<String>,
        /// The onboarding or offboarding plan this is a step of (id).
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub plan: Option<String>,
        /// What kind of plan step it is (a leaver's `access` step removes
        /// their devices when completed).
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub step: Option<super::onboarding::StepCategory>,
    }
    validate(t) {
        require_text("title", &t.title)?;
        check_len("description", &t.description, 20_000)?;
        if t.status == TaskStatus::Blocked
            && t.blocked_reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(ValidationError::new(
                "blocked reason",
                "is required when a task is blocked (use --reason TEXT)",
            ));
        }
        if t.status != TaskStatus::Blocked && t.blocked_reason.is_some() {
            return Err(ValidationError::new(
                "blocked reason",
                "applies to blocked tasks only: set the status to blocked too (--status blocked)",
            ));
        }
        for c in t.comments.values() {
            require_text("comment", &c.text)?;
        }
        Ok(())
    }
}

impl Task {
    /// Whether every word of `search` appears (case-insensitive) in the
    /// title, description, owner, tags or comments: archive search.
    pub fn mentions(&self, search: &str) -> bool {
        let mut text = format!(
            "{}\n{}\n{}\n{}",
            self.title,
            self.description,
            self.owner.as_deref().unwrap_or(""),
            self.tags.join(" ")
        );
        for c in self.comments.values() {
            text.push('\n');
            text.push_str(&c.text);
        }
        let text = text.to_lowercase();
        search
            .split_whitespace()
            .all(|word| text.contains(&word.to_lowercase()))
    }

    pub fn is_open(&self) -> bool {
        self.status != TaskStatus::Done && self.deleted_at.is_none()
    }

    /// Whether `name` owns the task: the one rule for "Mine", `--owner`
    /// and queries (trimmed, case-insensitive).
    pub fn is_owned_by(&self, name: &str) -> bool {
        self.owner
            .as_deref()
            .is_some_and(|o| owner_matches(o, name))
    }

    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && self.due.is_some_and(|d| d < today)
    }
}

/// Whether an owner field names the person `name` (trimmed, any case).
pub fn owner_matches(owner: &str, name: &str) -> bool {
    owner.trim().to_lowercase() == name.trim().to_lowercase()
}

record! {
    /// A group of tasks with a goal.
    pub struct Project ("projects" in Tasks) {
        pub name: String,
        pub description: String,
        pub owner: Option<String>,
        pub due: Option<Date>,
        pub archived: bool,
    }
    validate(p) {
        require_text("project name", &p.name)
    }
}

impl Task {
    /// Moves the task to `status`, keeping the blocked bookkeeping right:
    /// blocking needs a reason (kept from before if none is given) and
    /// records since when; leaving `blocked` clears both. Completing a
    /// recurring task returns its next occurrence (not yet saved).
    pub fn set_status(
        &mut self,
        status: TaskStatus,
        reason: Option<String>,
        at: Stamp,
    ) -> Option<Task> {
        let reason = reason.filter(|r| !r.trim().is_empty());
        if status == TaskStatus::Blocked {
            if reason.is_some() {
                self.blocked_reason = reason;
            }
            if self.status != TaskStatus::Blocked {
                self.blocked_since = Some(at);
            }
        } else {
            self.blocked_reason = None;
            self.blocked_since = None;
        }
        let completing = status == TaskStatus::Done && self.status != TaskStatus::Done;
        self.completed_at = if status == TaskStatus::Done {
            self.completed_at.or(Some(at))
        } else {
            None
        };
        self.status = status;
        if !completing {
            return None;
        }
        let recurrence = self.recurrence?;
        let base = self.due.unwrap_or(at.date());
        let mut next = self.clone();
        next.id = super::new_id();
        next.status = TaskStatus::Todo;
        next.completed_at = None;
        next.due = Some(recurrence.next(base));
        next.comments.clear();
        for item in next.checklist.values_mut() {
            item.done = false;
        }
        Some(next)
    }
}

super::schema::describe! {
    Task, label: "task", title: "Tasks", name: title,
    fields {
        title: "Title", Text, required, column;
        status: "Status", Choice(TaskStatus::NAMES), column;
        blocked_reason: "Blocked because", Text, own_place;
        owner: "Owner", Person, column;
        priority: "Priority", Choice(Priority::NAMES), column;
        due: "Due", Date, column;
        project: "Project", Reference("projects"), column;
        escalate_to: "Escalate to", Person;
        watchers: "Watchers", People;
        tags: "Tags", List;
        recurrence: "Repeats", Choice(Recurrence::NAMES);
        rank: "Board position", Text, own_place;
        meeting: "Meeting", Reference("meetings"), own_place;
        plan: "Plan", Reference("onboarding_plans"), own_place;
        description: "Description", LongText;
    }
    after_edit(task, before, at) {
        if task.status == before.status {
            return None;
        }
        // Status moves go through `set_status`, which keeps the blocked
        // reason, "blocked since" and completion time right and makes the
        // next occurrence of a recurring task.
        let wanted = task.status;
        let reason = task.blocked_reason.clone();
        task.status = before.status;
        task.blocked_since = before.blocked_since;
        task.completed_at = before.completed_at;
        task.set_status(wanted, reason, at)
    }
}

super::schema::describe! {
    Project, label: "project", title: "Projects", name: name,
    unique_name: true,
    fields {
        name: "Name", Text, required, column;
        owner: "Owner", Person, column;
        due: "Due", Date, column;
        archived: "Archived", Flag, column;
        description: "Description", LongText;
    }
}
