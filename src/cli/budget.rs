//! `bureau budget ...` and `bureau expense ...`: budget lines, expenses
//! entered by hand, and where each line stands (spent, remaining,
//! forecast, flag).

use std::collections::BTreeMap;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{print_json, say, table};
use super::records::{ChangeCommand, ReadCommand, create, fields, run_change, run_read};
use crate::model::orders::{amount_text, parse_percent};
use crate::model::spend::{self, Flag};
use crate::model::{BudgetLine, Expense, Period, Record, Site};
use crate::ops::{Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum BudgetCommand {
    /// Add a budget line; prints the new id alone.
    Add(BudgetArgs),
    /// Budget, spent, remaining and forecast per line, with a flag.
    Status {
        /// Only lines overlapping this period (2026-11, 2026-Q4, 2026).
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Flag forecasts more than this far over budget (e.g. 10%).
    Threshold { percent: String },
    #[command(flatten)]
    Read(ReadCommand),
    /// set (KEY=VALUE: category, period, site, amount, owner, notes),
    /// rename, delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct BudgetArgs {
    #[arg(long)]
    pub category: String,
    /// A month (2026-11), a quarter (2026-Q4) or a year (2026).
    #[arg(long)]
    pub period: String,
    /// E.g. 500.00 (the workspace currency) or "500.00 USD".
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    /// Only this site's spend counts against the line.
    #[arg(long)]
    pub site: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExpenseCommand {
    /// Add an expense (card, petty cash); prints the new id alone.
    Add(ExpenseArgs),
    #[command(flatten)]
    Read(ReadCommand),
    /// set (KEY=VALUE: date, amount, category, vendor, site, note),
    /// delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct ExpenseArgs {
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    #[arg(long)]
    pub category: String,
    /// The day it was spent (2026-11-24, today, yesterday…).
    #[arg(long)]
    pub date: String,
    #[arg(long)]
    pub vendor: Option<String>,
    #[arg(long)]
    pub site: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run_budget(store: &Store, session: &mut Session, command: BudgetCommand) -> Result<()> {
    match command {
        BudgetCommand::Add(a) => create(
            store,
            session,
            BudgetLine::KIND,
            fields(vec![
                ("category", Some(a.category)),
                ("period", Some(a.period)),
                ("amount", Some(a.amount)),
                ("site", a.site),
                ("owner", a.owner),
            ]),
        ),
        BudgetCommand::Status { period, json } => status(store, session, period.as_deref(), json),
        BudgetCommand::Threshold { percent } => {
            let percent_bp =
                parse_percent(&percent).map_err(|e| anyhow::anyhow!("threshold: {e}"))?;
            super::report_outcome(&session.apply(store, Op::SetBudgetThreshold { percent_bp })?)
        }
        BudgetCommand::Read(read) => run_read::<BudgetLine>(store, read),
        BudgetCommand::Change(change) => run_change::<BudgetLine>(store, session, change),
    }
}

pub fn run_expense(store: &Store, session: &mut Session, command: ExpenseCommand) -> Result<()> {
    match command {
        ExpenseCommand::Add(a) => create(
            store,
            session,
            Expense::KIND,
            fields(vec![
                ("amount", Some(a.amount)),
                ("category", Some(a.category)),
                ("date", Some(a.date)),
                ("vendor", a.vendor),
                ("site", a.site),
                ("note", a.note),
            ]),
        ),
        ExpenseCommand::Read(read) => run_read::<Expense>(store, read),
        ExpenseCommand::Change(change) => run_change::<Expense>(store, session, change),
    }
}

/// One line of `budget status --json`.
#[derive(serde::Serialize)]
struct StatusRow {
    id: String,
    category: String,
    period: String,
    site: Option<String>,
    owner: Option<String>,
    currency: String,
    budget: String,
    spent: String,
    remaining: String,
    forecast: String,
    flag: &'static str,
}

fn status(store: &Store, session: &Session, period: Option<&str>, json: bool) -> Result<()> {
    let period = period
        .map(|p| {
            p.parse::<Period>()
                .map_err(|e| anyhow::anyhow!("period: {e}"))
        })
        .transpose()?;
    let budget = store.budget(false)?;
    super::report_unreadable(&budget.lines.unreadable);
    super::report_unreadable(&budget.expenses.unreadable);
    let ledger = store.spend_ledger()?;
    let sites: BTreeMap<String, String> = store
        .list::<Site>(true)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let rows: Vec<StatusRow> = spend::statuses(
        &budget.lines.records,
        &ledger,
        period,
        session.today(),
        budget.threshold_bp,
    )
    .into_iter()
    .map(|(line, s)| StatusRow {
        id: line.id.clone(),
        category: line.category.clone(),
        period: s.period.to_string(),
        site: line
            .site
            .as_ref()
            .map(|id| sites.get(id).cloned().unwrap_or_else(|| id.clone())),
        owner: line.owner.clone(),
        currency: s.currency.clone(),
        budget: amount_text(s.budget),
        spent: amount_text(s.spent),
        remaining: amount_text(s.remaining),
        forecast: amount_text(s.forecast),
        flag: s.flag.as_str(),
    })
    .collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        say!(
            "No budget lines{}. Add one with: bureau budget add --category C --period 2026-11 --amount 500.00",
            period.map(|p| format!(" in {p}")).unwrap_or_default()
        );
        return Ok(());
    }
    let mut t = table(&[
        "Category",
        "Period",
        "Site",
        "Budget",
        "Spent",
        "Remaining",
        "Forecast",
        "Flag",
    ]);
    for r in &rows {
        t.add_row(vec![
            r.category.clone(),
            r.period.clone(),
            r.site.clone().unwrap_or_else(|| "all".into()),
            format!("{} {}", r.budget, r.currency),
            r.spent.clone(),
            r.remaining.clone(),
            r.forecast.clone(),
            if r.flag == Flag::Ok.as_str() {
                String::new()
            } else {
                r.flag.to_string()
            },
        ]);
    }
    say!("{t}");
    Ok(())
}
