//! `bureau bench all`: every benchmark in one run (store with cold open in
//! its own process, sync over loopback, the app's frames) and one summary
//! table of the figures the issues set goals for, each marked met or missed.
//! Figures are printed, never asserted.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use super::StoreReport;
use super::sync::SyncReport;
use crate::store::Layout;

/// One line of the summary.
struct Row {
    figure: &'static str,
    measured: String,
    goal: &'static str,
    met: Option<bool>,
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn kib(bytes: u64) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}

/// The UI figures, when the app is built in.
pub struct UiFigures {
    pub first_frame: Duration,
    pub edit_p50_p95: (Duration, Duration),
    pub remote_p50_p95: (Duration, Duration),
    pub tasks_p50_p95: (Duration, Duration),
    pub dashboard_p50_p95: (Duration, Duration),
}

fn rows(store: &StoreReport, sync: &SyncReport, ui: Option<&UiFigures>) -> Vec<Row> {
    let mut rows = vec![Row {
        figure: "L-office fixture build (one commit + fsync per record)",
        measured: format!("{} for {} records", secs(store.build), store.records),
        goal: "-",
        met: None,
    }];
    if let Some(cold) = &store.cold {
        let whole = cold.open + cold.load_dashboard_docs + cold.load_rest;
        rows.push(Row {
            figure: "cold open to dashboard (root + 3 documents + queries)",
            measured: secs(cold.open + cold.load_dashboard_docs + cold.dashboard_queries),
            goal: "-",
            met: None,
        });
        rows.push(Row {
            figure: "cold load of the whole workspace",
            measured: secs(whole),
            goal: "≤ 1 s",
            met: Some(whole <= Duration::from_secs(1)),
        });
        rows.push(Row {
            figure: "peak RSS, everything loaded (own process)",
            measured: mib(cold.peak_rss_kib),
            goal: "≤ 300 MB",
            met: Some(cold.peak_rss_kib * 1024 <= 300_000_000),
        });
    }
    rows.push(Row {
        figure: "per-edit save p50 / p95",
        measured: format!("{} / {}", ms(store.edit_p50), ms(store.edit_p95)),
        goal: "p50 ≤ 2 ms",
        met: Some(store.edit_p50 <= Duration::from_millis(2)),
    });
    rows.push(Row {
        figure: "per-edit bytes: change chunk p50 / amortized incl. compaction",
        measured: format!(
            "{} B / {} B",
            store.edit_chunk_bytes_p50, store.edit_bytes_amortized
        ),
        goal: "O(change)",
        met: Some(store.edit_bytes_amortized < 64 * 1024),
    });
    rows.push(Row {
        figure: "edit → visible on a loopback peer p50 / p99",
        measured: format!("{} / {}", ms(sync.visible_p50), ms(sync.visible_p99)),
        goal: "≤ 20 / ≤ 100 ms",
        met: Some(
            sync.visible_p50 <= Duration::from_millis(20)
                && sync.visible_p99 <= Duration::from_millis(100),
        ),
    });
    let time_ratio = sync.initial_sync.as_secs_f64() / sync.automerge_sync.as_secs_f64().max(1e-9);
    rows.push(Row {
        figure: "initial sync time (vs in-process Automerge)",
        measured: format!("{} ({time_ratio:.2}×)", secs(sync.initial_sync)),
        goal: "≤ 1.5×",
        met: Some(time_ratio <= 1.5),
    });
    let byte_ratio = sync.initial_bytes as f64 / sync.compacted_bytes.max(1) as f64;
    rows.push(Row {
        figure: "initial sync bytes (vs in-process / vs compacted)",
        measured: format!(
            "{} ({:.2}× / {byte_ratio:.2}×)",
            kib(sync.initial_bytes),
            sync.initial_bytes as f64 / sync.automerge_bytes.max(1) as f64
        ),
        goal: "≤ 1.2× compacted",
        met: Some(byte_ratio <= 1.2),
    });
    rows.push(Row {
        figure: "reconnect after 100 offline edits each side",
        measured: format!(
            "{}, {}",
            kib(sync.reconnect_bytes),
            secs(sync.reconnect_time)
        ),
        goal: "-",
        met: None,
    });
    if let Some(ui) = ui {
        rows.push(Row {
            figure: "edit → visible in the same window, p50 / p95",
            measured: format!("{} / {}", ms(ui.edit_p50_p95.0), ms(ui.edit_p50_p95.1)),
            goal: "p95 ≤ 16 ms",
            met: Some(ui.edit_p50_p95.1 <= Duration::from_millis(16)),
        });
        rows.push(Row {
            figure: "remote change → visible, p50 / p95",
            measured: format!("{} / {}", ms(ui.remote_p50_p95.0), ms(ui.remote_p50_p95.1)),
            goal: "p95 ≤ 50 ms",
            met: Some(ui.remote_p50_p95.1 <= Duration::from_millis(50)),
        });
        rows.push(Row {
            figure: "UI frame CPU, Tasks p50 / p95",
            measured: format!("{} / {}", ms(ui.tasks_p50_p95.0), ms(ui.tasks_p50_p95.1)),
            goal: "p95 ≤ 4 ms",
            met: Some(ui.tasks_p50_p95.1 <= Duration::from_millis(4)),
        });
        rows.push(Row {
            figure: "UI frame CPU, Dashboard p50 / p95",
            measured: format!(
                "{} / {}",
                ms(ui.dashboard_p50_p95.0),
                ms(ui.dashboard_p50_p95.1)
            ),
            goal: "p95 ≤ 4 ms",
            met: Some(ui.dashboard_p50_p95.1 <= Duration::from_millis(4)),
        });
        rows.push(Row {
            figure: "cold start to first frame with data",
            measured: ms(ui.first_frame),
            goal: "≤ 500 ms",
            met: Some(ui.first_frame <= Duration::from_millis(500)),
        });
    }
    rows
}

/// The summary table (Markdown).
fn summary(store: &StoreReport, sync: &SyncReport, ui: Option<&UiFigures>) -> String {
    let mut out = String::from("| figure | measured | goal | |\n|---|---|---|---|\n");
    for row in rows(store, sync, ui) {
        let mark = match row.met {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {mark} |",
            row.figure, row.measured, row.goal
        );
    }
    out
}

/// Runs every benchmark at `scale` (1.0 = the L office) in `dir` (default:
/// a temporary directory) and returns the full report: the summary, then
/// each benchmark's own table.
pub fn run(
    runtime: &tokio::runtime::Runtime,
    scale: f64,
    edits: usize,
    dir: Option<&Path>,
    ui: impl FnOnce(&Path) -> Option<(UiFigures, String)>,
) -> Result<String> {
    let temp = tempfile::tempdir()?;
    let root = dir.map_or_else(|| temp.path().to_path_buf(), Path::to_path_buf);
    let office = root.join("office");
    eprintln!("bench all: store (L office) …");
    let store = super::run_store_bench(runtime, scale, Layout::PerArea, Some(&office))?;
    eprintln!("bench all: app frames …");
    let ui = ui(&office);
    eprintln!("bench all: sync over loopback …");
    let sync = super::sync::run(runtime, scale, edits, Some(&root.join("sync")))?;

    let mut out = String::new();
    let _ = writeln!(out, "## Summary\n");
    out.push_str(&summary(&store, &sync, ui.as_ref().map(|(f, _)| f)));
    let _ = writeln!(out, "\n## Store\n\n{store}\n");
    let _ = writeln!(out, "\n## Sync\n\n{sync}");
    if let Some((_, table)) = &ui {
        let _ = writeln!(out, "\n## App\n\n{table}");
    }
    Ok(out)
}
