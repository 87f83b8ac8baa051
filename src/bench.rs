//! `bureau bench store`: builds the L office in a fresh data directory and
//! prints build time, size on disk, cold load, per-edit save time and bytes,
//! query times and peak memory. Figures are printed, never asserted.

use std::fmt;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::fixture::{OfficeSize, build_office};
use crate::model::{Date, InventoryItem, Site, Task};
use crate::store::{Layout, Store};

/// The measured figures.
#[derive(Debug)]
pub struct StoreReport {
    pub layout: Layout,
    pub size: OfficeSize,
    pub build: Duration,
    pub records: usize,
    pub disk_bytes: u64,
    pub cold_open: Duration,
    pub first_query: Duration,
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
            "| fixture | {} tasks, {} items x {} sites, {} vendors, {} POs, {} invoices, {} meetings, {} docs x {} words |",
            self.size.tasks,
            self.size.items,
            self.size.sites,
            self.size.vendors,
            self.size.purchase_orders,
            self.size.invoices,
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
            crate::cli::human_bytes(self.disk_bytes)
        )?;
        writeln!(
            f,
            "| cold open (load every document) | {} |",
            ms(self.cold_open)
        )?;
        writeln!(
            f,
            "| first query after open (counts) | {} |",
            ms(self.first_query)
        )?;
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
    let store = runtime.block_on(Store::init(&dir, "L office", "Bench Admin", layout))?;
    build_office(&store, size, 42, today, |done, total| {
        eprint!("\rbuilding fixture: {done}/{total}   ");
    })?;
    eprintln!();
    let build = started.elapsed();
    let records: usize = store.counts()?.values().sum();
    runtime.block_on(store.close());

    let started = Instant::now();
    let store = runtime.block_on(Store::open(&dir, "bench"))?;
    let cold_open = started.elapsed();
    let started = Instant::now();
    let _ = store.counts()?;
    let first_query = started.elapsed();

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
        cold_open,
        first_query,
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
