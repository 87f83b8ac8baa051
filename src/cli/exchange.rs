//! `bureau import KIND FILE.csv` and `bureau calendar`: records in from a
//! spreadsheet, due dates and deadlines out to calendar apps.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::output::{note, say};
use crate::ops::import::ImportRow;
use crate::ops::{Op, Session};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The kind of the records: tasks, projects, sites, items, vendors,
    /// contracts, purchase_orders, invoices, budget_lines, expenses.
    pub kind: String,
    /// A CSV file with a header row naming the fields (as `bureau export
    /// --csv KIND` writes it; columns in any order, most may be left out).
    pub file: PathBuf,
    /// Check every row and list the bad ones; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows even if some are bad (those are listed).
    #[arg(long)]
    pub skip_bad: bool,
}

pub fn import(store: &Store, session: &mut Session, args: ImportArgs) -> Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let kind = args.kind.trim().to_lowercase().replace('-', "_");
    let rows = crate::ops::import::read_rows(store, &kind, &bytes)?;
    let (good, bad): (Vec<ImportRow>, Vec<ImportRow>) =
        rows.into_iter().partition(|r| r.record.is_ok());
    for row in &bad {
        if let Err(reason) = &row.record {
            note!("line {}: {reason}", row.line);
        }
    }
    if args.dry_run {
        if bad.is_empty() {
            say!("{} rows are good; nothing written (dry run)", good.len());
            return Ok(());
        }
        anyhow::bail!(
            "{} of {} rows are bad (listed above); nothing written (dry run)",
            bad.len(),
            good.len() + bad.len()
        );
    }
    if !bad.is_empty() && !args.skip_bad {
        anyhow::bail!(
            "{} of {} rows are bad (listed above); nothing was imported. Fix them, or add --skip-bad to import the {} good rows",
            bad.len(),
            good.len() + bad.len(),
            good.len()
        );
    }
    if good.is_empty() {
        anyhow::bail!("no rows to import in {}", args.file.display());
    }
    let rows = good
        .into_iter()
        .filter_map(|r| r.record.ok().map(|v| (r.line, v)))
        .collect();
    let outcome = session.apply(store, Op::Import { kind, rows })?;
    super::report_outcome(&outcome)?;
    if !bad.is_empty() {
        note!("{} bad rows were skipped", bad.len());
    }
    Ok(())
}

#[derive(Debug, Clone, Args)]
pub struct CalendarArgs {
    /// The .ics file to write (calendar apps subscribe to it).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Keep running and write the file again whenever the data changes.
    #[arg(long)]
    pub watch: bool,
}

/// Writes the feed, unless the file already holds exactly it (so a
/// subscriber polling the file sees no change when nothing changed).
pub fn calendar(store: &Store, args: &CalendarArgs) -> Result<()> {
    let feed = crate::report::calendar::feed(store, super::today())?;
    if std::fs::read(&args.out).is_ok_and(|old| old == feed.as_bytes()) {
        return Ok(());
    }
    crate::store::datadir::write_atomic(&args.out, feed.as_bytes())
        .with_context(|| format!("writing {}", args.out.display()))?;
    let events = feed.matches("BEGIN:VEVENT").count();
    note!(
        "calendar with {events} events written to {}",
        args.out.display()
    );
    Ok(())
}

/// What the data directory looks like on disk: changes when any file in
/// it is written (a local edit, a change from a peer).
fn fingerprint(dir: &std::path::Path, skip: &std::path::Path) -> (u64, u64, std::time::SystemTime) {
    let mut files = 0;
    let mut bytes = 0;
    let mut newest = std::time::UNIX_EPOCH;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if path != skip {
                files += 1;
                bytes += meta.len();
                newest = newest.max(meta.modified().unwrap_or(std::time::UNIX_EPOCH));
            }
        }
    }
    (files, bytes, newest)
}

/// `calendar --watch`: writes the feed now and again after every change to
/// the data directory, each time as one short command (handed to the app
/// or `serve` when one runs here, so the data directory is never held).
pub fn watch_calendar(
    data_dir: &std::path::Path,
    args: &CalendarArgs,
    mut write_once: impl FnMut() -> Result<()>,
) -> Result<std::process::ExitCode> {
    note!("watching {} (Ctrl+C to stop)", data_dir.display());
    let skip = std::path::absolute(&args.out).unwrap_or_else(|_| args.out.clone());
    let mut seen = None;
    loop {
        let now = fingerprint(data_dir, &skip);
        if seen != Some(now) {
            if let Err(e) = write_once() {
                note!("calendar not written: {e:#}");
            }
            // What writing did itself (a lock file, a journal) is not a change.
            seen = Some(fingerprint(data_dir, &skip));
        }
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}
