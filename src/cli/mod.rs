//! The command-line interface: headless commands for scripts, import and
//! export. Every command opens the data directory, does one thing, flushes
//! and exits. Errors are one line saying what to fix; nothing is changed
//! when a command fails validation.

mod inventory;
mod output;
mod tasks;
mod workspace;

pub use workspace::human_bytes;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::model::{Date, Record};
use crate::store::{Store, StoreError};

/// Bureau: tasks, supplies, vendors and more for office coordinators,
/// offline-first and synced peer to peer.
#[derive(Debug, Parser)]
#[command(name = "bureau", version, about, long_about = None)]
pub struct Cli {
    /// Data directory (default: the platform data dir, e.g. ~/.local/share/bureau).
    #[arg(long, global = true, env = "BUREAU_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new workspace in the data directory.
    Init(workspace::InitArgs),
    /// Tasks: add, list, edit, finish.
    #[command(subcommand)]
    Task(tasks::TaskCommand),
    /// Inventory items: add and list with stock levels.
    #[command(subcommand)]
    Item(inventory::ItemCommand),
    /// Stock changes: adjust by a quantity or record a count.
    #[command(subcommand)]
    Stock(inventory::StockCommand),
    /// Export every shared record (sorted keys, no device-local state).
    Export(workspace::ExportArgs),
    /// Show the workspace, member, data directory, record counts and storage size.
    Status,
    /// Measure the store on a large generated office and print the figures.
    Bench(workspace::BenchArgs),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let Some(command) = cli.command else {
        use clap::CommandFactory;
        Cli::command().print_help()?;
        println!();
        return Ok(());
    };
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => crate::store::default_data_dir()
            .context("no home directory found; pass --data-dir DIR or set BUREAU_DATA_DIR")?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    match command {
        Command::Init(args) => workspace::init(&runtime, &data_dir, args),
        Command::Bench(args) => workspace::bench(&runtime, args),
        other => {
            let purpose = command_name(&other);
            let store = runtime.block_on(Store::open(&data_dir, &purpose))?;
            let result = dispatch(&store, other);
            report_quarantine(&store);
            runtime.block_on(store.close());
            result
        }
    }
}

fn command_name(command: &Command) -> String {
    let name = match command {
        Command::Init(_) => "init",
        Command::Task(_) => "task",
        Command::Item(_) => "item",
        Command::Stock(_) => "stock",
        Command::Export(_) => "export",
        Command::Status => "status",
        Command::Bench(_) => "bench",
    };
    format!("bureau {name}")
}

fn dispatch(store: &Store, command: Command) -> Result<()> {
    match command {
        Command::Task(cmd) => tasks::run(store, cmd),
        Command::Item(cmd) => inventory::run_item(store, cmd),
        Command::Stock(cmd) => inventory::run_stock(store, cmd),
        Command::Export(args) => workspace::export(store, args),
        Command::Status => workspace::status(store),
        Command::Init(_) | Command::Bench(_) => Ok(()),
    }
}

fn report_quarantine(store: &Store) {
    for q in store.quarantined() {
        eprintln!(
            "warning: damaged file {} was moved to {} ({}); everything else loaded",
            q.original.display(),
            q.moved_to.display(),
            q.reason
        );
    }
}

/// Today in local time, the reference for "overdue".
fn today() -> Date {
    Date(chrono::Local::now().date_naive())
}

/// Finds a record by full id or by a unique prefix of at least 4 characters.
fn resolve_id<R: Record>(store: &Store, id: &str) -> Result<String> {
    let id = id.trim();
    if store.get::<R>(id)?.is_some() {
        return Ok(id.to_string());
    }
    let kind = crate::store::kind_label::<R>();
    if id.len() >= 4 {
        let matches: Vec<String> = store
            .list::<R>(true)?
            .into_iter()
            .map(|r| r.id().to_string())
            .filter(|candidate| candidate.starts_with(id))
            .collect();
        match matches.len() {
            1 => return Ok(matches.into_iter().next().unwrap_or_default()),
            n if n > 1 => anyhow::bail!("{n} {kind}s start with {id:?}; give more of the id"),
            _ => {}
        }
    }
    Err(StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
    .into())
}
