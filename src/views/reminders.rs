//! Reminders, computed on this device from the records it holds, with no
//! network: what is due for a member now. Each area adds its own kind of
//! reminder as one function in [`SOURCES`] (see ARCHITECTURE, "How to add
//! an area"). A reminder's key names the record and the occasion (the due
//! date, the week), so every device of every member computes the same key:
//! the inbox state (read, snoozed, notified) is kept per key and member in
//! the shared document (`store::inbox`).

use std::sync::Arc;

use super::ViewModel;
use crate::model::{Date, Stamp};
use crate::store::ReminderState;

/// Something a member should look at now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reminder {
    /// The same on every device: "task-due:<id>:<date>".
    pub key: String,
    /// "Overdue: Book the van".
    pub title: String,
    /// "due 2026-11-20 (3 days ago)".
    pub detail: String,
    /// The record it is about: its kind (`"tasks"`) and id.
    pub kind: &'static str,
    pub id: String,
    /// The member it is for (their name); `None`: everyone.
    pub to: Option<String>,
}

/// When the reminders are computed.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub at: Stamp,
    pub today: Date,
}

/// One kind of reminder, from the view model.
pub type Source = fn(&ViewModel, Now) -> Vec<Reminder>;

/// Every kind of reminder, most pressing first (the inbox's order). An
/// area adds its own here.
pub const SOURCES: &[Source] = &[
    rule_firings,
    meetings_soon,
    tasks_due,
    maintenance_late,
    contract_notices,
    reviews_due,
    low_stock,
];

/// How many days before a contract's notice deadline it is reminded.
pub const NOTICE_DAYS: i64 = 14;
/// How long before a meeting it is reminded.
pub const MEETING_MINUTES: i64 = 10;

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn tasks_due(vm: &ViewModel, now: Now) -> Vec<Reminder> {
    vm.tasks
        .iter()
        .filter(|t| t.is_open())
        .filter_map(|t| {
            let due = t.due.filter(|d| *d <= now.today)?;
            let owner = t.owner.clone()?;
            let late = due.days_until(now.today);
            let (title, detail) = if late == 0 {
                (format!("Due today: {}", t.title), "due today".to_string())
            } else {
                (
                    format!("Overdue: {}", t.title),
                    format!("due {due} ({} ago)", days(late)),
                )
            };
            Some(Reminder {
                key: format!("task-due:{}:{due}", t.id),
                title,
                detail,
                kind: "tasks",
                id: t.id.clone(),
                to: Some(owner),
            })
        })
        .collect()
}

fn contract_notices(vm: &ViewModel, _: Now) -> Vec<Reminder> {
    vm.purchasing
        .renewals
        .iter()
        .filter(|r| (0..=NOTICE_DAYS).contains(&r.days_left))
        .map(|r| Reminder {
            key: format!("contract-notice:{}:{}", r.contract.id, r.deadline),
            title: format!("Notice deadline: {}", r.contract.title),
            detail: format!(
                "give notice by {} ({} left) or it renews",
                r.deadline,
                days(r.days_left)
            ),
            kind: "contracts",
            id: r.contract.id.clone(),
            to: None,
        })
        .collect()
}

fn low_stock(vm: &ViewModel, now: Now) -> Vec<Reminder> {
    vm.low_stock
        .iter()
        .map(|l| Reminder {
            key: format!(
                "low-stock:{}:{}:{}",
                l.item.id,
                l.site_id,
                now.today.iso_week()
            ),
            title: format!("Low stock: {}", l.item.name),
            detail: format!(
                "{} on hand at {}, reorder at {}",
                l.on_hand,
                vm.site_name(&l.site_id),
                l.threshold
            ),
            kind: "items",
            id: l.item.id.clone(),
            to: None,
        })
        .collect()
}

fn reviews_due(vm: &ViewModel, now: Now) -> Vec<Reminder> {
    vm.docs
        .docs
        .iter()
        .filter(|d| d.review_due(now.today))
        .map(|d| Reminder {
            key: format!(
                "doc-review:{}:{}",
                d.id,
                d.review_date.map(|r| r.to_string()).unwrap_or_default()
            ),
            title: format!("Review due: {}", d.title),
            detail: d
                .review_date
                .map_or_else(|| "review due".into(), |r| format!("review was due {r}")),
            kind: "docs",
            id: d.id.clone(),
            to: d.owner.clone(),
        })
        .collect()
}

fn maintenance_late(vm: &ViewModel, now: Now) -> Vec<Reminder> {
    vm.facilities
        .open
        .iter()
        .filter(|r| r.past_sla(now.at))
        .map(|r| Reminder {
            key: format!("maint-sla:{}", r.id),
            title: format!("Past its SLA: {}", r.title),
            detail: format!("{} priority, {}", r.priority, r.status),
            kind: "maintenance",
            id: r.id.clone(),
            to: r.assignee.clone(),
        })
        .collect()
}

fn meetings_soon(vm: &ViewModel, now: Now) -> Vec<Reminder> {
    let soon = now.at.millis() + MEETING_MINUTES * 60_000;
    let mut out = Vec::new();
    for m in vm.meetings.meetings.iter() {
        let Some(start) = vm.meetings.next.get(&m.id).copied() else {
            continue;
        };
        if start.millis() <= now.at.millis() || start.millis() > soon {
            continue;
        }
        let minutes = (start.millis() - now.at.millis() + 59_999) / 60_000;
        let at = crate::model::schema::FieldText::to_text(&start);
        let targets: Vec<Option<String>> = if m.attendees.is_empty() {
            vec![None]
        } else {
            m.attendees.iter().cloned().map(Some).collect()
        };
        for to in targets {
            out.push(Reminder {
                key: format!("meeting:{}:{}", m.id, start.millis()),
                title: format!("In {minutes} min: {}", m.title),
                detail: format!("starts {at}"),
                kind: "meetings",
                id: m.id.clone(),
                to,
            });
        }
    }
    out
}

fn rule_firings(vm: &ViewModel, _: Now) -> Vec<Reminder> {
    vm.automation
        .log
        .iter()
        .filter(|f| f.notify_all || (f.person.is_some() && f.created.is_none()))
        .map(|f| Reminder {
            key: format!("rule:{}", f.id),
            title: if f.notify_all {
                format!("Rule: {}", f.record_name)
            } else {
                format!("Escalated to you: {}", f.record_name)
            },
            detail: f.what.clone(),
            kind: kind_of(&f.kind),
            id: f.record.clone(),
            to: if f.notify_all { None } else { f.person.clone() },
        })
        .collect()
}

/// A kind named in a record (a firing's) as the static name the app uses.
fn kind_of(kind: &str) -> &'static str {
    crate::store::ALL_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(k, _)| k)
}

/// Every reminder for the member called `me`, now.
pub fn reminders_for(vm: &ViewModel, me: &str, now: Now) -> Vec<Reminder> {
    let mut seen = std::collections::HashSet::new();
    SOURCES
        .iter()
        .flat_map(|source| source(vm, now))
        .filter(|r| r.to.as_deref().is_none_or(|to| to.eq_ignore_ascii_case(me)))
        .filter(|r| seen.insert(r.key.clone()))
        .collect()
}

/// One reminder in a member's inbox, with what they did with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InboxEntry {
    #[serde(flatten)]
    pub reminder: Reminder,
    pub state: ReminderState,
    pub unread: bool,
    pub snoozed: bool,
}

/// A member's reminder inbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxView {
    /// Unread first, then snoozed, then read; most pressing first within
    /// each (the order of [`SOURCES`]).
    pub entries: Vec<InboxEntry>,
    pub unread: usize,
}

impl InboxView {
    pub fn new(
        reminders: Vec<Reminder>,
        state: &std::collections::BTreeMap<String, ReminderState>,
        now: Stamp,
    ) -> InboxView {
        let mut entries: Vec<InboxEntry> = reminders
            .into_iter()
            .map(|reminder| {
                let state = state.get(&reminder.key).copied().unwrap_or_default();
                InboxEntry {
                    unread: state.is_unread(now),
                    snoozed: state.is_snoozed(now),
                    reminder,
                    state,
                }
            })
            .collect();
        entries.sort_by_key(|e| (!e.unread, e.snoozed));
        let unread = entries.iter().filter(|e| e.unread).count();
        InboxView { entries, unread }
    }

    /// Unread reminders no device of this member has notified yet.
    pub fn to_notify(&self) -> impl Iterator<Item = &InboxEntry> {
        self.entries
            .iter()
            .filter(|e| e.unread && e.state.notified_at.is_none())
    }
}

/// Rules and their log (the Root document's part).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AutomationView {
    pub rules: Vec<Arc<crate::model::automation::Rule>>,
    /// Newest first.
    pub log: Vec<Arc<crate::model::automation::RuleFiring>>,
}
