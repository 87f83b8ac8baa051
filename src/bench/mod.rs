//! `bureau bench store`: builds the L office in a fresh data directory and
//! prints build time, size on disk, cold load, per-edit save time and bytes,
//! query times and peak memory. Figures are printed, never asserted.

use std::fmt;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Result;

pub mod all;
pub mod anchor;
pub mod fixture;
mod fixture_budget;
mod fixture_meetings;
mod fixture_purchasing;
pub mod peers;
pub mod report;
pub mod sync;
#[cfg(feature = "gui")]
pub mod ui;
pub mod years;

use crate::model::{Date, InventoryItem, Site, Task};
use crate::store::{Layout, Store};
use fixture::{OfficeSize, build_office};

/// The measured figures.
#[derive(Debug)]
pub struct StoreReport {
    pub layout: Layout,
    pub size: OfficeSize,
    pub build: Duration,
    pub records: usize,
    pub disk_bytes: u64,
    pub cold: Option<ColdOpen>,
    pub edit_p50: Duration,
    pub edit_p95: Duration,
    pub edit_max: Duration,
    pub edit_chunk_bytes_p50: u64,
    pub edit_bytes_amortized: u64,
    pub low_stock_query: Duration,
    pub overdue_query: Duration,
    pub peak_rss_kib: u64,
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

impl fmt::Display for StoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| figure | value |")?;
        writeln!(f, "|---|---|")?;
        writeln!(f, "| layout | {:?} |", self.layout)?;
        writeln!(
            f,
            "| fixture | {} tasks, {} items x {} sites, {} vendors, {} POs, {} invoices, {} expenses, {} meetings, {} docs x {} words |",
            self.size.tasks,
            self.size.items,
            self.size.sites,
            self.size.vendors,
            self.size.purchase_orders,
            self.size.invoices,
            self.size.expenses,
            self.size.meetings,
            self.size.docs,
            self.size.words_per_doc
        )?;
        writeln!(
            f,
            "| build (one commit + fsync per record) | {:.1} s for {} records |",
            self.build.as_secs_f64(),
            self.records
        )?;
        writeln!(
            f,
            "| size on disk after close | {} |",
            crate::model::human_bytes(self.disk_bytes)
        )?;
        match &self.cold {
            Some(cold) => write!(f, "{cold}")?,
            None => writeln!(
                f,
                "| cold open | not measured (run `bureau bench open --dir DIR`) |"
            )?,
        }
        writeln!(
            f,
            "| per-edit save p50 / p95 / max | {} / {} / {} |",
            ms(self.edit_p50),
            ms(self.edit_p95),
            ms(self.edit_max)
        )?;
        writeln!(
            f,
            "| per-edit chunk bytes (p50) | {} B |",
            self.edit_chunk_bytes_p50
        )?;
        writeln!(
            f,
            "| per-edit bytes written, amortized incl. compaction | {} B |",
            self.edit_bytes_amortized
        )?;
        writeln!(f, "| query: overdue tasks | {} |", ms(self.overdue_query))?;
        writeln!(
            f,
            "| query: low stock per site | {} |",
            ms(self.low_stock_query)
        )?;
        write!(
            f,
            "| peak RSS | {:.0} MiB |",
            self.peak_rss_kib as f64 / 1024.0
        )
    }
}

/// Peak resident set size of this process, from /proc (0 where unavailable).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx]
}

pub fn run_store_bench(
    runtime: &tokio::runtime::Runtime,
    scale: f64,
    layout: Layout,
    dir: Option<&Path>,
) -> Result<StoreReport> {
    let temp = tempfile::tempdir()?;
    let dir = dir.map_or_else(|| temp.path().join("office"), |d| d.to_path_buf());
    let size = OfficeSize::LARGE.scaled(scale);
    let today = Date::new(2026, 11, 22).unwrap_or_default();

    let started = Instant::now();
    let store = runtime.block_on(Store::init(&dir, "L office", "Bench Admin", layout, None))?;
    build_office(&store, size, 42, today, |done, total| {
        eprint!("\rbuilding fixture: {done}/{total}   ");
    })?;
    eprintln!();
    let build = started.elapsed();
    let records: usize = store.counts()?.values().sum();
    runtime.block_on(store.close());

    // Cold open in a fresh process, so its memory is its own.
    let cold = measure_cold_open_in_child(&dir);
    let store = runtime.block_on(Store::open(&dir, "bench"))?;

    store.counts()?; // load every document before timing queries
    let started = Instant::now();
    let _ = store.overdue_tasks(today)?;
    let overdue_query = started.elapsed();
    let started = Instant::now();
    let _ = store.low_stock()?;
    let low_stock_query = started.elapsed();

    // 200 typical edits: retitle a task, adjust stock.
    let tasks: Vec<String> = store
        .list::<Task>(false)?
        .into_iter()
        .take(100)
        .map(|t| t.id)
        .collect();
    let items: Vec<String> = store
        .list::<InventoryItem>(false)?
        .into_iter()
        .take(100)
        .map(|i| i.id)
        .collect();
    let site = store
        .list::<Site>(false)?
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let stats = store.storage().stats();
    let bytes_before_edits = stats.bytes_written.load(Ordering::SeqCst);
    let mut times = Vec::new();
    let mut chunk_bytes = Vec::new();
    for i in 0..200 {
        let before = stats.bytes_written.load(Ordering::SeqCst);
        let started = Instant::now();
        if i % 2 == 0 {
            let id = &tasks[(i / 2) % tasks.len()];
            store.update::<Task, _>(id, "edit", |t| {
                t.title = format!("{} (edited {i})", t.title);
                Ok(())
            })?;
        } else {
            let id = &items[(i / 2) % items.len()];
            store.adjust_stock(id, &site, -1, Some("bench"))?;
        }
        times.push(started.elapsed());
        chunk_bytes.push(stats.bytes_written.load(Ordering::SeqCst) - before);
    }
    let storage = store.storage().clone();
    runtime.block_on(store.close());
    let edit_bytes_amortized =
        (storage.stats().bytes_written.load(Ordering::SeqCst) - bytes_before_edits) / 200;
    times.sort();
    chunk_bytes.sort();
    Ok(StoreReport {
        layout,
        size,
        build,
        records,
        disk_bytes: storage.size_on_disk(),
        cold,
        edit_p50: percentile(&times, 0.5),
        edit_p95: percentile(&times, 0.95),
        edit_max: times.last().copied().unwrap_or_default(),
        edit_chunk_bytes_p50: chunk_bytes.get(chunk_bytes.len() / 2).copied().unwrap_or(0),
        edit_bytes_amortized,
        low_stock_query,
        overdue_query,
        peak_rss_kib: peak_rss_kib(),
    })
}

/// Cold-open figures, measured by `bureau bench open` in its own process.
#[derive(Debug, Clone, PartialEq)]
pub struct ColdOpen {
    /// Lock, start samod, load the root document.
    pub open: Duration,
    /// Load the documents the dashboard needs (tasks, inventory, purchasing).
    pub load_dashboard_docs: Duration,
    /// Answer the dashboard's questions on them: overdue, blocked, low
    /// stock, renewals within 30 days, unmatched invoices.
    pub dashboard_queries: Duration,
    /// Load every remaining document.
    pub load_rest: Duration,
    pub peak_rss_kib: u64,
}

impl fmt::Display for ColdOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| cold open: root document | {} |", ms(self.open))?;
        writeln!(
            f,
            "| + load tasks, inventory, purchasing documents | {} |",
            ms(self.load_dashboard_docs)
        )?;
        writeln!(
            f,
            "| + dashboard queries on them (cold) | {} |",
            ms(self.dashboard_queries)
        )?;
        writeln!(
            f,
            "| + load every other document | {} |",
            ms(self.load_rest)
        )?;
        writeln!(
            f,
            "| cold load of the whole workspace (open + all loads) | {} |",
            ms(self.open + self.load_dashboard_docs + self.load_rest)
        )?;
        writeln!(
            f,
            "| peak RSS after loading everything | {:.0} MiB |",
            self.peak_rss_kib as f64 / 1024.0
        )
    }
}

/// `bureau bench open --dir DIR`: measures a cold open of an existing data dir.
pub fn run_open_bench(runtime: &tokio::runtime::Runtime, dir: &Path) -> Result<ColdOpen> {
    use crate::model::Area;
    let today = Date::new(2026, 11, 22).unwrap_or_default();
    let started = Instant::now();
    let store = runtime.block_on(Store::open(dir, "bench open"))?;
    let open = started.elapsed();
    let started = Instant::now();
    store.load_areas(&[Area::Tasks, Area::Inventory, Area::Purchasing])?;
    let load_dashboard_docs = started.elapsed();
    let started = Instant::now();
    let mut lap = Instant::now();
    let mut laps = Vec::new();
    let n = store.overdue_tasks(today)?.len();
    laps.push(("overdue", n, lap.elapsed()));
    lap = Instant::now();
    let n = store.blocked_tasks()?.len();
    laps.push(("blocked", n, lap.elapsed()));
    lap = Instant::now();
    let n = store.low_stock()?.len();
    laps.push(("low stock", n, lap.elapsed()));
    lap = Instant::now();
    let n = store.contracts_renewing_within(today, 30)?.len();
    laps.push(("renewals", n, lap.elapsed()));
    lap = Instant::now();
    let n = store.unmatched_invoices()?.len();
    laps.push(("unmatched", n, lap.elapsed()));
    let dashboard_queries = started.elapsed();
    for (name, n, took) in laps {
        tracing::info!("{name}: {n} results in {}", ms(took));
    }
    let started = Instant::now();
    store.documents()?;
    let load_rest = started.elapsed();
    let peak_rss_kib = peak_rss_kib();
    runtime.block_on(store.close());
    Ok(ColdOpen {
        open,
        load_dashboard_docs,
        dashboard_queries,
        load_rest,
        peak_rss_kib,
    })
}

/// Runs `bureau bench open` as a child process and parses its figures.
pub(crate) fn measure_cold_open_in_child(dir: &Path) -> Option<ColdOpen> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .args(["bench", "open", "--machine-readable", "--dir"])
        .arg(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let nums: Vec<u64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let [open, docs, queries, rest, rss] = nums.as_slice() else {
        return None;
    };
    let us = |n: &u64| Duration::from_micros(*n);
    Some(ColdOpen {
        open: us(open),
        load_dashboard_docs: us(docs),
        dashboard_queries: us(queries),
        load_rest: us(rest),
        peak_rss_kib: *rss,
    })
}

impl ColdOpen {
    /// Five integers: microseconds for each phase, then peak RSS in KiB.
    pub fn machine_readable(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.open.as_micros(),
            self.load_dashboard_docs.as_micros(),
            self.dashboard_queries.as_micros(),
            self.load_rest.as_micros(),
            self.peak_rss_kib
        )
    }
}
