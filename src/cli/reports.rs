//! `bureau report ...`: the weekly or monthly leadership report, made from
//! this device's records, saved as HTML, PDF or CSV.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::output::note;
use crate::model::Stamp;
use crate::report::{Cadence, Format, Span};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// weekly or monthly.
    #[arg(value_enum)]
    pub cadence: Cadence,
    /// Which week (2026-W48, or any day in it) or month (2026-11); the
    /// current one when left out.
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long, value_enum)]
    pub format: Format,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn report(store: &Store, args: ReportArgs) -> Result<()> {
    let now = Stamp::now();
    let span = Span::parse(args.cadence, args.period.as_deref(), now.local_date())
        .map_err(|e| anyhow::anyhow!("period: {e}"))?;
    let report = crate::report::leadership::build(store, span, now)?;
    let bytes = crate::report::render(&report, args.format).map_err(anyhow::Error::msg)?;
    crate::store::datadir::write_atomic(&args.out, &bytes)
        .with_context(|| format!("writing {}", args.out.display()))?;
    note!("{} saved to {}", report.title, args.out.display());
    note!("{}", report.completeness);
    Ok(())
}
