//! The weekly and monthly leadership report, gathered from local records
//! only (no network): tasks opened, completed, overdue and blocked; low
//! stock per site; open purchase orders, invoices to reconcile and
//! renewals coming up; spend against budget. Every report also says how
//! complete it is ([`super::coverage`]). Rendering lives in
//! [`super::html`], [`super::pdf`] and [`super::table`].
//!
//! Maintenance and onboarding join the report when those areas exist.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::coverage::{self, DeviceCoverage};
use crate::model::orders::amount_text;
use crate::model::spend::{self, Flag};
use crate::model::{Date, Period, Site, Stamp, Task, TaskStatus};
use crate::store::{Result, Store};

/// How often the report is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Weekly,
    Monthly,
}

/// The days a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub cadence: Cadence,
    pub start: Date,
    /// Inclusive.
    pub end: Date,
}

impl Span {
    /// The week or month named by `text` (weekly: `2026-W48` or any day of
    /// the week; monthly: `2026-11`), or the one holding `today`.
    pub fn parse(
        cadence: Cadence,
        text: Option<&str>,
        today: Date,
    ) -> std::result::Result<Span, String> {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        match cadence {
            Cadence::Weekly => {
                let day = match text {
                    None => today,
                    Some(t) => match t.to_uppercase().split_once("-W") {
                        Some((y, w)) => y
                            .parse::<i32>()
                            .ok()
                            .zip(w.parse::<u32>().ok())
                            .and_then(|(y, w)| NaiveDate::from_isoywd_opt(y, w, Weekday::Mon))
                            .map(Date)
                            .ok_or_else(|| format!("{t:?} is not a week; type e.g. 2026-W48"))?,
                        None => Date::parse_relative(t, today).map_err(|_| {
                            format!("{t:?} is not a week; type e.g. 2026-W48 or a day of the week (2026-11-24)")
                        })?,
                    },
                };
                let start = day.add_days(-i64::from(day.0.weekday().num_days_from_monday()));
                Ok(Span {
                    cadence,
                    start,
                    end: start.add_days(6),
                })
            }
            Cadence::Monthly => {
                let month = match text {
                    None => Period::month_of(today),
                    Some(t) => match t.parse::<Period>() {
                        Ok(p @ Period::Month(..)) => p,
                        _ => return Err(format!("{t:?} is not a month; type e.g. 2026-11")),
                    },
                };
                Ok(Span {
                    cadence,
                    start: month.start(),
                    end: month.end(),
                })
            }
        }
    }

    /// "2026-W48", "2026-11": how the period is typed.
    pub fn key(&self) -> String {
        match self.cadence {
            Cadence::Weekly => {
                let week = self.start.0.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Cadence::Monthly => Period::month_of(self.start).to_string(),
        }
    }

    /// "Week 48, 23–29 November 2026", "November 2026".
    pub fn label(&self) -> String {
        match self.cadence {
            Cadence::Weekly => {
                let (s, e) = (self.start.0, self.end.0);
                let days = if s.month() == e.month() {
                    format!("{}–{} {}", s.day(), e.day(), e.format("%B %Y"))
                } else if s.year() == e.year() {
                    format!(
                        "{} – {} {}",
                        s.format("%-d %B"),
                        e.format("%-d %B"),
                        e.year()
                    )
                } else {
                    format!("{} – {}", s.format("%-d %B %Y"), e.format("%-d %B %Y"))
                };
                format!("Week {}, {days}", s.iso_week().week())
            }
            Cadence::Monthly => Period::month_of(self.start).label(),
        }
    }

    /// The span before this one.
    pub fn previous(&self) -> Span {
        let start = match self.cadence {
            Cadence::Weekly => self.start.add_days(-7),
            Cadence::Monthly => Period::month_of(self.start.add_days(-1)).start(),
        };
        Span {
            cadence: self.cadence,
            start,
            end: self.start.add_days(-1),
        }
    }

    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A task line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskLine {
    pub title: String,
    pub owner: String,
    pub due: String,
    /// Why it is blocked (blocked tasks only).
    pub reason: String,
    /// "3 days overdue", "blocked 5 days".
    pub age: String,
}

/// Rows of a simple table: each a list of cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Said when there are no rows.
    pub empty: &'static str,
    /// Rows left out of a shortened page (see [`super::page::Page::shortened`]).
    pub more: usize,
}

/// A budget line in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetRow {
    pub name: String,
    pub budget: i64,
    pub spent: i64,
    pub remaining: i64,
    pub forecast: i64,
    pub flag: &'static str,
}

/// Everything a leadership report says, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub workspace: String,
    pub span: Span,
    pub title: String,
    /// When it was made ("28 November 2026 09:14").
    pub generated: String,
    /// How complete it is, in one sentence.
    pub completeness: String,
    pub devices: Vec<DeviceCoverage>,
    pub tasks_opened: usize,
    pub tasks_completed: usize,
    pub overdue: Vec<TaskLine>,
    pub blocked: Vec<TaskLine>,
    pub low_stock: Section,
    pub open_orders: Section,
    pub to_reconcile: Section,
    pub renewals: Section,
    /// People joining or leaving with steps still open.
    pub onboarding: Section,
    /// Maintenance requests still open, past their SLA first.
    pub maintenance: Section,
    /// SOPs and policies due for review, most overdue first.
    pub reviews: Section,
    pub currency: String,
    pub budget: Vec<BudgetRow>,
    /// Spend in this span and in the one before.
    pub spent: i64,
    pub spent_before: i64,
    /// Spend in this span per category, largest first.
    pub spent_by_category: Vec<(String, i64)>,
}

impl Report {
    /// Minor units as "1234.50 EUR".
    pub fn money(&self, minor: i64) -> String {
        format!("{} {}", amount_text(minor), self.currency)
    }

    /// The sections that are tables, in report order.
    pub fn sections(&self) -> [&Section; 7] {
        [
            &self.low_stock,
            &self.open_orders,
            &self.to_reconcile,
            &self.renewals,
            &self.onboarding,
            &self.maintenance,
            &self.reviews,
        ]
    }

    /// "1.2% more than last week".
    pub fn spend_change(&self) -> String {
        let before = match self.span.cadence {
            Cadence::Weekly => "last week",
            Cadence::Monthly => "last month",
        };
        match (self.spent, self.spent_before) {
            (_, 0) => format!("nothing was spent {before}"),
            (now, was) => {
                let pct = (now - was) as f64 * 100.0 / was as f64;
                if pct.abs() < 0.05 {
                    format!("the same as {before}")
                } else {
                    format!(
                        "{:.1}% {} than {before} ({})",
                        pct.abs(),
                        if pct > 0.0 { "more" } else { "less" },
                        self.money(was)
                    )
                }
            }
        }
    }
}

fn days_text(n: i64, what: &str) -> String {
    match n {
        1 => format!("1 day {what}"),
        n => format!("{n} days {what}"),
    }
}

/// Gathers the report for `span` from the local store; `now` is when it is
/// made (the reference for "overdue" in the current span).
pub fn build(store: &Store, span: Span, now: Stamp) -> Result<Report> {
    let today = now.local_date();
    // A past span is reported as it stood at its end.
    let as_of = today.min(span.end.add_days(1));
    let workspace = store.workspace()?;
    let sites: BTreeMap<String, String> = store
        .list::<Site>(true)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let site_name = |id: &str| sites.get(id).cloned().unwrap_or_else(|| id.to_string());

    let tasks = store.list::<Task>(false)?;
    let completed_on = |t: &Task| t.completed_at.map(|c| c.local_date());
    let tasks_opened = tasks
        .iter()
        .filter(|t| span.contains(t.created_at.local_date()))
        .count();
    let tasks_completed = tasks
        .iter()
        .filter(|t| completed_on(t).is_some_and(|d| span.contains(d)))
        .count();
    let mut overdue: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.created_at.local_date() < as_of)
        .filter(|t| t.due.is_some_and(|d| d < as_of))
        .filter(|t| t.status != TaskStatus::Done || completed_on(t).is_some_and(|c| c >= as_of))
        .collect();
    overdue.sort_by(|a, b| (a.due, &a.title).cmp(&(b.due, &b.title)));
    let overdue = overdue
        .into_iter()
        .map(|t| TaskLine {
            title: t.title.clone(),
            owner: t.owner.clone().unwrap_or_default(),
            due: t.due.map(|d| d.to_string()).unwrap_or_default(),
            reason: String::new(),
            age: days_text(t.due.map_or(0, |d| d.days_until(as_of)), "overdue"),
        })
        .collect();
    let blocked = store
        .blocked_tasks()?
        .into_iter()
        .map(|t| TaskLine {
            age: t
                .blocked_since
                .map(|s| days_text(s.local_date().days_until(today), "blocked"))
                .unwrap_or_default(),
            title: t.title,
            owner: t.owner.unwrap_or_default(),
            due: t.due.map(|d| d.to_string()).unwrap_or_default(),
            reason: t.blocked_reason.unwrap_or_else(|| "no reason given".into()),
        })
        .collect();

    let mut low = store.low_stock()?;
    low.sort_by(|a, b| {
        (site_name(&a.site_id), &a.item.name).cmp(&(site_name(&b.site_id), &b.item.name))
    });
    let low_stock = Section {
        title: "Low stock".into(),
        columns: vec!["Site", "Item", "On hand", "Reorder at"],
        rows: low
            .iter()
            .map(|l| {
                vec![
                    site_name(&l.site_id),
                    l.item.name.clone(),
                    l.on_hand.to_string(),
                    l.threshold.to_string(),
                ]
            })
            .collect(),
        empty: "Nothing is low.",
        more: 0,
    };

    let buying = store.purchasing(false)?;
    let book = buying.book();
    let vendor = |id: &str| book.vendor_name(id).to_string();
    let mut orders: Vec<_> = buying
        .orders
        .records
        .iter()
        .filter(|o| o.is_open())
        .collect();
    orders.sort_by(|a, b| a.number.cmp(&b.number));
    let open_orders = Section {
        title: "Open purchase orders".into(),
        columns: vec!["Order", "Vendor", "Status", "Received", "Total"],
        rows: orders
            .iter()
            .map(|o| {
                vec![
                    o.number.clone(),
                    vendor(&o.vendor),
                    match o.sent_on {
                        Some(d) => format!("sent {d}"),
                        None => o.status.as_str().to_string(),
                    },
                    book.status_text(o).to_string(),
                    o.total().map(|t| t.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        empty: "No open orders.",
        more: 0,
    };
    let to_reconcile = Section {
        title: "Invoices to reconcile".into(),
        columns: vec!["Invoice", "Vendor", "Total", "Why"],
        rows: book
            .to_reconcile()
            .into_iter()
            .map(|(i, m)| {
                vec![
                    i.number.clone(),
                    vendor(&i.vendor),
                    i.total.to_string(),
                    m.reasons.join("; "),
                ]
            })
            .collect(),
        empty: "Every invoice matches.",
        more: 0,
    };
    let renewals = Section {
        title: "Renewals coming up (60 days)".into(),
        columns: vec!["Contract", "Vendor", "Give notice by", "Term ends"],
        rows: crate::store::renewal_calendar(buying.contracts.records.iter(), as_of, 60)
            .into_iter()
            .map(|r| {
                vec![
                    r.contract.title.clone(),
                    vendor(&r.contract.vendor),
                    format!("{} ({})", r.deadline, days_text(r.days_left, "left")),
                    r.term_end.to_string(),
                ]
            })
            .collect(),
        empty: "No notice deadlines in the next 60 days.",
        more: 0,
    };

    let money = store.budget(false)?;
    let ledger = spend::ledger(
        &money.expenses.records,
        &buying.invoices.records,
        &buying.vendors.records,
        &buying.orders.records,
    );
    let currency = if workspace.currency.is_empty() {
        "EUR".to_string()
    } else {
        workspace.currency.clone()
    };
    let in_span = |from: Date, to: Date| {
        ledger
            .iter()
            .filter(|s| s.amount.currency == currency && from <= s.date && s.date <= to)
            .fold(0i64, |sum, s| sum.saturating_add(s.amount.minor))
    };
    let previous = span.previous();
    let mut by_category: BTreeMap<String, i64> = BTreeMap::new();
    for s in ledger
        .iter()
        .filter(|s| s.amount.currency == currency && span.contains(s.date))
    {
        let total = by_category.entry(s.category.clone()).or_default();
        *total = total.saturating_add(s.amount.minor);
    }
    let mut spent_by_category: Vec<(String, i64)> = by_category.into_iter().collect();
    spent_by_category.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let reported = Period::month_of(span.start);
    let budget = spend::statuses(
        &money.lines.records,
        &ledger,
        Some(reported),
        as_of.add_days(-1),
        money.threshold_bp,
    )
    .into_iter()
    .filter(|(_, s)| s.currency == currency)
    .map(|(line, s)| BudgetRow {
        name: format!(
            "{} · {}{}",
            line.category,
            s.period.label(),
            line.site
                .as_deref()
                .map(|id| format!(" · {}", site_name(id)))
                .unwrap_or_default()
        ),
        budget: s.budget,
        spent: s.spent,
        remaining: s.remaining,
        forecast: s.forecast,
        flag: if s.flag == Flag::Ok {
            ""
        } else {
            s.flag.as_str()
        },
    })
    .collect();

    let devices = coverage::devices(store, now)?;
    Ok(Report {
        title: format!(
            "{} report: {}",
            match span.cadence {
                Cadence::Weekly => "Weekly",
                Cadence::Monthly => "Monthly",
            },
            span.label()
        ),
        workspace: workspace.name,
        span,
        generated: now
            .0
            .with_timezone(&chrono::Local)
            .format("%-d %B %Y %H:%M")
            .to_string(),
        completeness: coverage::sentence(&devices),
        devices,
        tasks_opened,
        tasks_completed,
        overdue,
        blocked,
        low_stock,
        open_orders,
        to_reconcile,
        renewals,
        onboarding: super::office_sections::onboarding(store, &tasks, as_of)?,
        maintenance: super::office_sections::maintenance(store, &site_name, now)?,
        reviews: super::office_sections::reviews(store, as_of)?,
        spent: in_span(span.start, span.end),
        spent_before: in_span(previous.start, previous.end),
        currency,
        budget,
        spent_by_category,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn spans_parse_weeks_and_months() {
        let today = d(2026, 11, 28);
        let w = Span::parse(Cadence::Weekly, None, today).unwrap();
        assert_eq!((w.start, w.end), (d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!(w.key(), "2026-W48");
        assert_eq!(w.label(), "Week 48, 23–29 November 2026");
        assert_eq!(
            Span::parse(Cadence::Weekly, Some("2026-w48"), today).unwrap(),
            w
        );
        assert_eq!(w.previous().start, d(2026, 11, 16));
        let m = Span::parse(Cadence::Monthly, Some("2026-02"), today).unwrap();
        assert_eq!(
            (m.start, m.end, m.label()),
            (d(2026, 2, 1), d(2026, 2, 28), "February 2026".into())
        );
        assert_eq!(m.previous().start, d(2026, 1, 1));
        let across = Span::parse(Cadence::Weekly, Some("2026-12-31"), today).unwrap();
        assert_eq!(across.label(), "Week 53, 28 December 2026 – 3 January 2027");
        assert!(Span::parse(Cadence::Monthly, Some("2026-Q4"), today).is_err());
        assert!(Span::parse(Cadence::Weekly, Some("2026-W60"), today).is_err());
    }
}
