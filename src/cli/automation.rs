//! `bureau reminders` (what is due for you now, read and snooze) and
//! `bureau rule ...` ("when … then …" rules: add, list, delete, restore,
//! run, log).

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use crate::model::Record;
use crate::model::automation::Rule;
use crate::model::schema::FieldText;
use crate::ops::{Op, Session};
use crate::store::{Mark, Store};
use crate::views::{ViewModel, Views};

#[derive(Debug, Subcommand)]
pub enum ReminderCommand {
    /// Mark a reminder read (on every device of yours once synced).
    Read { key: String },
    /// Mark a reminder unread again.
    Unread { key: String },
    /// Hide a reminder until later: `--for 2h`, `--for 1d`.
    Snooze {
        key: String,
        #[arg(long = "for", default_value = "1d")]
        length: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Add a rule (admins); prints its id alone.
    Add {
        /// "task overdue 3d", "task blocked 5d", "stock low",
        /// "contract notice 30d", "invoice discrepancy".
        #[arg(long)]
        when: String,
        /// "escalate NAME", "create task for NAME", "notify", "draft po".
        #[arg(long)]
        then: String,
    },
    /// Every rule.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Move a rule to the trash (it stops firing).
    Delete { id: String },
    /// Bring a rule back from the trash.
    Restore { id: String },
    /// Fire every rule that is due now (the app and `serve` do this each
    /// minute).
    Run,
    /// What the rules did: when, on which device, what.
    Log {
        #[arg(long)]
        json: bool,
    },
}

/// The view model as the app would show it now.
fn current_view(store: &Store, today: crate::model::Date) -> Result<ViewModel> {
    let mut views = Views::new();
    let mut vm = ViewModel {
        today,
        now: crate::model::Stamp::now(),
        ..Default::default()
    };
    views.refresh(store, &mut vm)?;
    while views.loading() {
        views.refresh(store, &mut vm)?;
    }
    Ok(vm)
}

/// `bureau reminders [--json]` and its actions.
pub fn reminders(
    store: &Store,
    session: &mut Session,
    json: bool,
    command: Option<ReminderCommand>,
) -> Result<()> {
    if let Some(command) = command {
        let (key, mark, said) = match command {
            ReminderCommand::Read { key } => (key, Mark::Read, "read".to_string()),
            ReminderCommand::Unread { key } => (key, Mark::Unread, "unread".to_string()),
            ReminderCommand::Snooze { key, length } => {
                let until = snooze_until(&length)?;
                let said = format!("snoozed until {}", until.to_text());
                (key, Mark::Snooze(until), said)
            }
        };
        session.mark_reminder(store, &key, mark)?;
        note!("{key}: {said}");
        return Ok(());
    }
    let vm = current_view(store, session.today())?;
    if json {
        return print_json(&vm.inbox.entries);
    }
    if vm.inbox.entries.is_empty() {
        note!("nothing is due for you now");
        return Ok(());
    }
    let mut out = table(&["", "REMINDER", "DETAIL", "KEY"]);
    for e in &vm.inbox.entries {
        let mark = if e.unread {
            "*"
        } else if e.snoozed {
            "z"
        } else {
            ""
        };
        out.add_row(vec![
            mark.to_string(),
            e.reminder.title.clone(),
            e.reminder.detail.clone(),
            e.reminder.key.clone(),
        ]);
    }
    say!("{out}");
    note!(
        "{} unread (*), snoozed (z); `bureau reminders read KEY` marks one read",
        vm.inbox.unread
    );
    Ok(())
}

/// "2h", "1d", "30m" from now.
fn snooze_until(length: &str) -> Result<crate::model::Stamp> {
    let t = length.trim().to_lowercase();
    let (number, unit_ms) = match t.chars().last() {
        Some('m') => (&t[..t.len() - 1], 60_000),
        Some('h') => (&t[..t.len() - 1], 3_600_000),
        Some('d') => (&t[..t.len() - 1], 86_400_000),
        Some('w') => (&t[..t.len() - 1], 7 * 86_400_000),
        _ => anyhow::bail!("{length:?}: type how long, e.g. 30m, 2h, 1d or 1w"),
    };
    let n: i64 = number
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| anyhow::anyhow!("{length:?}: type how long, e.g. 30m, 2h, 1d or 1w"))?;
    Ok(crate::model::Stamp::from_millis(
        crate::model::Stamp::now().millis() + n * unit_ms,
    ))
}

fn find_rule(store: &Store, id: &str) -> Result<String> {
    super::resolve_id::<Rule>(store, id)
}

pub fn rule(store: &Store, session: &mut Session, command: RuleCommand) -> Result<()> {
    match command {
        RuleCommand::Add { when, then } => {
            let outcome = session.apply(store, Op::AddRule { when, then })?;
            say!("{}", outcome.created.unwrap_or_default());
            Ok(())
        }
        RuleCommand::List { json } => {
            let rules = store.list::<Rule>(false)?;
            if json {
                return print_json(&rules);
            }
            if rules.is_empty() {
                note!("no rules yet; add one with `bureau rule add --when … --then …`");
                return Ok(());
            }
            let mut out = table(&["ID", "WHEN", "THEN", ""]);
            for r in &rules {
                out.add_row(vec![
                    r.id.clone(),
                    r.when.clone(),
                    r.then.clone(),
                    if r.paused { "paused" } else { "" }.to_string(),
                ]);
            }
            say!("{out}");
            Ok(())
        }
        RuleCommand::Delete { id } => {
            let id = find_rule(store, &id)?;
            let op = Op::Delete {
                kind: Rule::KIND.into(),
                id,
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        RuleCommand::Restore { id } => {
            let id = find_rule(store, &id)?;
            let op = Op::Restore {
                kind: Rule::KIND.into(),
                id,
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        RuleCommand::Run => {
            let fired = session.run_rules(store)?;
            if fired.is_empty() {
                note!("no rule is due");
            }
            for f in fired {
                say!("{}: {} ({})", f.rule_name, f.did, f.what);
            }
            Ok(())
        }
        RuleCommand::Log { json } => {
            let log = crate::views::automation_view(store)?.log;
            if json {
                return print_json(&log);
            }
            if log.is_empty() {
                note!("no rule has fired yet");
                return Ok(());
            }
            let mut out = table(&["WHEN", "DEVICE", "RULE", "WHY", "DID"]);
            for f in &log {
                out.add_row(vec![
                    f.fired_at.to_text(),
                    f.device.chars().take(8).collect(),
                    f.rule_name.clone(),
                    f.what.clone(),
                    f.did.clone(),
                ]);
            }
            say!("{out}");
            Ok(())
        }
    }
}
