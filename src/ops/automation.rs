//! Rules at work: adding one (admins), finding what is due to fire, and
//! firing it. Every peer runs [`Session::run_rules`] (the app and `serve`
//! each minute, `bureau rule run` on demand); a firing writes under ids
//! derived from its rule, record and period, so peers that fire the same
//! rule apart merge into one firing, one task, one order.

use super::apply::create_with;
use super::journal::Action;
use super::{Outcome, Session, WriteCheck};
use crate::model::automation::{
    Effect, Rule, RuleFiring, Trigger, created_id, firing_id, rule_name,
};
use crate::model::matching::MatchState;
use crate::model::schema::FieldContext;
use crate::model::{
    Date, InvoiceStatus, Member, Priority, PurchaseOrder, Record, Stamp, Task, TaskStatus,
};
use crate::store::records::kind_map_mut;
use crate::store::{Result, Store, StoreError};

/// Adds a rule from its two halves as typed.
pub(super) fn add_rule(
    store: &Store,
    when: &str,
    then: &str,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let trigger = Trigger::parse(when)?;
    let mut effect = Effect::parse(then)?;
    if let Some(typed) = effect.person() {
        let members: Vec<String> = store
            .list::<Member>(false)?
            .into_iter()
            .map(|m| m.name)
            .collect();
        let name = super::rules::member_named(&members, typed, "then")?;
        effect = match effect {
            Effect::Escalate(_) => Effect::Escalate(name),
            Effect::CreateTask(_) => Effect::CreateTask(name),
            other => other,
        };
    }
    // The log's map is made with the first rule: every peer that has a
    // rule has the map, so peers firing apart never make two.
    store.change(RuleFiring::AREA, "prepare the rule log", |tx, _| {
        kind_map_mut(tx, RuleFiring::KIND).map(|_| ())
    })?;
    let fields = vec![
        ("when".to_string(), trigger.text()),
        ("then".to_string(), effect.text()),
    ];
    let name = rule_name(&trigger, &effect);
    create_with::<Rule>(store, &fields, cx, |rule| rule.name = name)
}

/// A firing that is due: the rule, the record and the period it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub rule: Rule,
    pub kind: &'static str,
    pub record: String,
    pub record_name: String,
    pub period: String,
    pub what: String,
    /// The site, for stock.
    pub site: Option<String>,
}

impl Due {
    pub fn id(&self) -> String {
        firing_id(&self.rule.id, &self.record, &self.period)
    }
}

/// The records `trigger` holds for today.
/// The live tasks, read once per run however many task rules there are.
struct Tasks<'a> {
    store: &'a Store,
    read: Option<Vec<Task>>,
}

impl Tasks<'_> {
    fn get(&mut self) -> Result<&[Task]> {
        if self.read.is_none() {
            self.read = Some(self.store.list::<Task>(false)?);
        }
        Ok(self.read.as_deref().unwrap_or_default())
    }
}

fn matching(
    store: &Store,
    tasks: &mut Tasks<'_>,
    rule: &Rule,
    trigger: Trigger,
    today: Date,
) -> Result<Vec<Due>> {
    let due = |kind, record: &str, name: &str, period: String, what: String| Due {
        rule: rule.clone(),
        kind,
        record: record.to_string(),
        record_name: name.to_string(),
        period,
        what,
        site: None,
    };
    let mut out = Vec::new();
    match trigger {
        Trigger::TaskOverdue { days } => {
            for task in tasks.get()? {
                if let Some(d) = task
                    .due
                    .filter(|d| task.is_open() && today >= d.add_days(days))
                {
                    let late = d.days_until(today);
                    let what = format!("“{}” is {late} day(s) overdue (due {d})", task.title);
                    out.push(due(Task::KIND, &task.id, &task.title, d.to_string(), what));
                }
            }
        }
        Trigger::TaskBlocked { days } => {
            for task in tasks.get()? {
                let Some(since) = task
                    .blocked_since
                    .filter(|_| task.status == TaskStatus::Blocked)
                else {
                    continue;
                };
                let since = since.local_date();
                if today >= since.add_days(days) {
                    let what = format!(
                        "“{}” has been blocked since {since}{}",
                        task.title,
                        task.blocked_reason
                            .as_deref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    );
                    out.push(due(
                        Task::KIND,
                        &task.id,
                        &task.title,
                        since.to_string(),
                        what,
                    ));
                }
            }
        }
        Trigger::StockLow => {
            let sites = store.list::<crate::model::Site>(true)?;
            for low in store.low_stock()? {
                let site = sites
                    .iter()
                    .find(|s| s.id == low.site_id)
                    .map_or(low.site_id.as_str(), |s| s.name.as_str());
                let what = format!(
                    "{} at {site}: {} on hand, reorder at {}",
                    low.item.name, low.on_hand, low.threshold
                );
                let period = format!("{}:{}", low.site_id, today.iso_week());
                let mut d = due("items", &low.item.id, &low.item.name, period, what);
                d.site = Some(low.site_id.clone());
                out.push(d);
            }
        }
        Trigger::ContractNotice { days } => {
            let records = store.purchasing(false)?;
            let calendar =
                crate::store::renewal_calendar(records.contracts.records.iter(), today, days);
            for r in calendar.into_iter().filter(|r| r.days_left >= 0) {
                let what = format!(
                    "notice for “{}” is due by {} ({} day(s) left)",
                    r.contract.title, r.deadline, r.days_left
                );
                let c = &r.contract;
                out.push(due(
                    "contracts",
                    &c.id,
                    &c.title,
                    r.deadline.to_string(),
                    what,
                ));
            }
        }
        Trigger::InvoiceDiscrepancy => {
            let records = store.purchasing(false)?;
            let book = records.book();
            for invoice in &records.invoices.records {
                if invoice.status != InvoiceStatus::Received {
                    continue;
                }
                let matched = book.match_invoice(invoice);
                if matched.state == MatchState::Discrepancy {
                    let name = format!("invoice {}", invoice.number);
                    let what = format!("{name} does not match: {}", matched.reasons.join("; "));
                    out.push(due(
                        "invoices",
                        &invoice.id,
                        &name,
                        "discrepancy".into(),
                        what,
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Firings due now that no peer has made yet (as far as this one knows).
pub fn due_firings(store: &Store, today: Date) -> Result<Vec<Due>> {
    let fired: std::collections::BTreeSet<String> = store
        .list::<RuleFiring>(true)?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let mut out = Vec::new();
    let mut tasks = Tasks { store, read: None };
    for rule in store.list::<Rule>(false)?.into_iter().filter(|r| !r.paused) {
        let Ok(trigger) = Trigger::parse(&rule.when) else {
            // A rule from a newer version: skipped, never fired wrongly.
            continue;
        };
        out.extend(
            matching(store, &mut tasks, &rule, trigger, today)?
                .into_iter()
                .filter(|d| !fired.contains(&d.id())),
        );
    }
    Ok(out)
}

/// Fires one rule: its effect, then the log entry (both under derived ids,
/// so a second run after a crash between them does each once).
fn fire(
    store: &Store,
    due: &Due,
    device: &str,
    series: &str,
    cx: &FieldContext,
) -> Result<RuleFiring> {
    let id = due.id();
    let effect = Effect::parse(&due.rule.then)?;
    let mut firing = RuleFiring {
        id: id.clone(),
        rule: due.rule.id.clone(),
        rule_name: due.rule.name.clone(),
        kind: due.kind.to_string(),
        record: due.record.clone(),
        record_name: due.record_name.clone(),
        period: due.period.clone(),
        what: due.what.clone(),
        device: device.to_string(),
        fired_at: Stamp::now(),
        ..Default::default()
    };
    match &effect {
        Effect::Escalate(name) => {
            firing.person = Some(name.clone());
            firing.did = format!("escalated to {name}");
        }
        Effect::Notify => {
            firing.notify_all = true;
            firing.did = "told everyone".into();
        }
        Effect::CreateTask(name) => {
            let task_id = created_id(&id, "task");
            let title = format!("Follow up: {}", due.record_name);
            if store.get::<Task>(&task_id)?.is_none() {
                let task = Task {
                    id: task_id.clone(),
                    title: title.chars().take(200).collect(),
                    description: format!("{}.\nCreated by the rule “{}”.", due.what, due.rule.name),
                    owner: Some(name.clone()),
                    priority: Priority::High,
                    due: Some(cx.today),
                    ..Default::default()
                };
                store.change(
                    Task::AREA,
                    &format!("rule creates task {task_id}"),
                    |tx, audit| {
                        let mut task = task;
                        task.touch(audit, true);
                        task.validate()?;
                        let map = kind_map_mut(tx, Task::KIND)?;
                        autosurgeon::reconcile_prop(tx, &map, task_id.as_str(), &task)?;
                        Ok(())
                    },
                )?;
            }
            firing.person = Some(name.clone());
            firing.created = Some(task_id);
            firing.did = format!("created the task “{title}” for {name}");
        }
        Effect::DraftOrder => {
            let order_id = created_id(&id, "order");
            if store.get::<PurchaseOrder>(&order_id)?.is_none() {
                let mut plan = store.reorder_plan(due.site.as_deref(), 0)?;
                plan.orders
                    .retain(|o| o.lines.iter().any(|l| l.item == due.record));
                plan.orders.truncate(1);
                if plan.orders.is_empty() {
                    // Not fired: tried again once the item has a vendor.
                    return Err(StoreError::Rejected(
                        "nothing to draft: the item has no preferred vendor, or enough is on order"
                            .into(),
                    ));
                } else {
                    let (outcome, _) = super::purchasing::draft_orders(
                        store,
                        &plan,
                        series,
                        cx,
                        &|_| order_id.clone(),
                        &format!("Drafted by the rule “{}”", due.rule.name),
                    )?;
                    firing.did = outcome.message.unwrap_or_else(|| "drafted an order".into());
                    firing.created = Some(order_id);
                }
            } else {
                firing.created = Some(order_id);
                firing.did = "drafted an order".into();
            }
        }
    }
    store.change(
        RuleFiring::AREA,
        &format!("rule fired {id}"),
        |tx, audit| {
            firing.touch(audit, true);
            firing.validate()?;
            let map = kind_map_mut(tx, RuleFiring::KIND)?;
            autosurgeon::reconcile_prop(tx, &map, id.as_str(), &firing)?;
            Ok(())
        },
    )?;
    Ok(firing)
}

impl Session {
    /// Fires every rule that is due, as this device. A viewer's device
    /// leaves it to others. Not recorded for undo: a rule's effect is not
    /// the person's own action.
    pub fn run_rules(&mut self, store: &Store) -> Result<Vec<RuleFiring>> {
        if self.ensure_can_write().is_err() {
            return Ok(Vec::new());
        }
        let cx = self.context(store);
        let due = due_firings(store, cx.today)?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let device = match &self.check {
            WriteCheck::Members { device, .. } => device.clone(),
            WriteCheck::Open => crate::sync::identity::load_or_create(store.data_dir())?
                .public()
                .to_string(),
        };
        let series = self.series_for(
            store,
            &super::Op::Reorder {
                site: None,
                buffer_percent: 0,
            },
        )?;
        let mut fired = Vec::new();
        for d in &due {
            match fire(store, d, &device, &series, &cx) {
                Ok(firing) => fired.push(firing),
                // One rule that cannot do its work (its person left) does
                // not stop the others; it is tried again next time.
                Err(StoreError::Rejected(why)) => {
                    tracing::debug!(
                        "rule “{}” could not fire for {}: {why}",
                        d.rule.name,
                        d.record_name
                    );
                }
                Err(e) => return Err(e),
            }
        }
        Ok(fired)
    }

    /// Refuses rule changes from anyone but an admin.
    pub(super) fn ensure_admin_for(&self, op: &super::Op) -> Result<()> {
        use super::Op;
        let rules = match op {
            Op::Create { kind, .. }
            | Op::Edit { kind, .. }
            | Op::Delete { kind, .. }
            | Op::Restore { kind, .. }
            | Op::RestoreVersion { kind, .. }
            | Op::Resolve { kind, .. } => kind == Rule::KIND,
            Op::AddRule { .. } => true,
            _ => false,
        };
        match &self.check {
            WriteCheck::Members { access, device }
                if rules && !access.current().is_admin_device(device) =>
            {
                Err(StoreError::Rejected(
                    "only an admin can change rules".into(),
                ))
            }
            _ => Ok(()),
        }
    }
}

impl Session {
    /// Marks one of this member's reminders (read, unread, snoozed,
    /// notified). Any member may, viewers too: it is their own inbox.
    pub fn mark_reminder(&self, store: &Store, key: &str, mark: crate::store::Mark) -> Result<()> {
        self.mark_reminders(store, &[key], mark)
    }

    /// [`Session::mark_reminder`] for several at once (one change).
    pub fn mark_reminders(
        &self,
        store: &Store,
        keys: &[&str],
        mark: crate::store::Mark,
    ) -> Result<()> {
        if keys
            .iter()
            .any(|key| key.trim().is_empty() || key.len() > 300)
        {
            return Err(StoreError::Rejected("no such reminder".into()));
        }
        if keys.is_empty() {
            return Ok(());
        }
        store.mark_reminders(store.member_id(), keys, mark)
    }
}
