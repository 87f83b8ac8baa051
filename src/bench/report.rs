//! `bureau bench report --dir DIR`: what the budget and the leadership
//! report cost on an existing data directory (the L office from `bench
//! store --dir`): gathering the report (and, apart, finding how complete it
//! is), laying it out as HTML, PDF and CSV, the spend ledger, the budget
//! view's rebuild after a change, the calendar feed and a CSV export.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::model::{Record, Stamp, Task};
use crate::report::{Cadence, Format, Span};
use crate::store::{Result, Store};

/// One figure: what was timed, how big the result was, how long it took.
pub struct ReportBench {
    pub laps: Vec<(&'static str, String, Duration)>,
}

impl fmt::Display for ReportBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| figure | result | time |")?;
        writeln!(f, "|---|---|---|")?;
        for (what, size, took) in &self.laps {
            writeln!(
                f,
                "| {what} | {size} | {:.1} ms |",
                took.as_secs_f64() * 1000.0
            )?;
        }
        Ok(())
    }
}

fn timed<T>(
    laps: &mut Vec<(&'static str, String, Duration)>,
    what: &'static str,
    f: impl FnOnce() -> Result<T>,
    size: impl FnOnce(&T) -> String,
) -> Result<T> {
    let started = Instant::now();
    let out = f()?;
    laps.push((what, size(&out), started.elapsed()));
    Ok(out)
}

pub fn run(runtime: &tokio::runtime::Runtime, dir: &Path) -> Result<ReportBench> {
    let mut laps = Vec::new();
    let store = timed(
        &mut laps,
        "open the store",
        || runtime.block_on(Store::open(dir, "bench report")),
        |_| String::new(),
    )?;
    timed(
        &mut laps,
        "load every document",
        || store.documents(),
        |d| format!("{} documents", d.len()),
    )?;
    let now = Stamp::now();
    let month = Span::parse(Cadence::Monthly, None, now.local_date())
        .map_err(crate::store::StoreError::Rejected)?;
    timed(
        &mut laps,
        "spend ledger",
        || store.spend_ledger(),
        |l| format!("{} entries", l.len()),
    )?;
    timed(
        &mut laps,
        "how complete (every change's metadata)",
        || crate::report::coverage::devices(&store, now),
        |d| format!("{} devices", d.len()),
    )?;
    let report = timed(
        &mut laps,
        "gather the monthly report (including the above)",
        || crate::report::leadership::build(&store, month, now),
        |r| format!("{} budget lines", r.budget.len()),
    )?;
    for (what, format) in [
        ("lay out as HTML", Format::Html),
        ("lay out as PDF", Format::Pdf),
        ("lay out as CSV", Format::Csv),
    ] {
        timed(
            &mut laps,
            what,
            || crate::report::render(&report, format).map_err(crate::store::StoreError::Rejected),
            |b| crate::model::human_bytes(b.len() as u64),
        )?;
    }
    timed(
        &mut laps,
        "calendar feed",
        || crate::report::calendar::feed(&store, now.local_date()),
        |f| format!("{} events", f.matches("BEGIN:VEVENT").count()),
    )?;
    timed(
        &mut laps,
        "CSV export of every task",
        || crate::report::records_csv::export_kind(&store, Task::KIND),
        |b| crate::model::human_bytes(b.len() as u64),
    )?;
    // The Budget area's part of the view, rebuilt after a budget change.
    let mut buying = crate::views::purchasing::PurchasingCaches::default();
    let change = buying.refresh(&store)?;
    let buying = buying.build(&store, now.local_date(), &[], &Default::default(), &change)?;
    let mut budget = crate::views::budget::BudgetCaches::default();
    budget.refresh(&store)?;
    timed(
        &mut laps,
        "budget view rebuild (ledger, statuses, charts)",
        || budget.build(&store, now.local_date(), &buying),
        |v| format!("{} lines, {} entries", v.statuses.len(), v.ledger.len()),
    )?;
    // The Meetings and Onboarding part: built when those documents change
    // (room clashes worked out), relinked when only tasks change.
    let tasks: Vec<std::sync::Arc<Task>> = store
        .list::<Task>(false)?
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    let mut meetings = crate::views::meetings::MeetingsCaches::default();
    meetings.refresh(&store)?;
    let view = timed(
        &mut laps,
        "meetings view rebuild (clashes, next times)",
        || Ok(meetings.build(&tasks, now.local_date())),
        |v| format!("{} meetings, {} clashes", v.meetings.len(), v.clashes.len()),
    )?;
    timed(
        &mut laps,
        "meetings view after a task edit (relink)",
        || Ok(meetings.link(&view, &tasks)),
        |v| format!("{} tasks, {} plans", tasks.len(), v.plans.len()),
    )?;
    runtime.block_on(store.close());
    Ok(ReportBench { laps })
}
