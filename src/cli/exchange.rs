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
