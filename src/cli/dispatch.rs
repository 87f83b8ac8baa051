//! Running a parsed command line: handed to a node already running on the
//! data directory (the app or `bureau serve`), else here, on its own
//! runtime, opening the store for this one command; and the dispatch of
//! each command to its module.

use anyhow::{Context, Result};

use super::exchange::{self, CalendarArgs};
use super::output::{self, report_outcome, report_quarantine};
use super::{
    Cli, Command, RecoverArgs, archive, automation, budget, control, docs, equipment, facilities,
    history, inventory, invoices, meetings, membership, network, onboarding, orders, people,
    records, reports, tasks, vendors, workspace,
};
use crate::store::Store;

/// The membership request a command makes (`member`, `recover` with its
/// phrase read, `recovery-kit`).
fn membership_request(command: Command) -> Result<membership::Request> {
    match command {
        Command::Member(cmd) => Ok(membership::Request::Member(cmd)),
        Command::Recover(RecoverArgs {
            phrase: Some(phrase),
        }) => Ok(membership::Request::Recover { phrase }),
        Command::RecoveryKit => Ok(membership::Request::NewKit),
        _ => anyhow::bail!("type the recovery phrase"),
    }
}

/// Reads the recovery phrase from standard input (prompting on a terminal).
fn read_phrase() -> Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        output::note!("Type the 24 words of the recovery phrase, then Enter:");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the recovery phrase")?;
    Ok(line.trim().to_string())
}

/// Runs a parsed command line (`raw_args`: the arguments as typed, without
/// the program name, for handing the command to a running node).
pub fn run(cli: Cli, raw_args: &[String]) -> Result<std::process::ExitCode> {
    let data_dir = match cli.data_dir.clone() {
        Some(dir) => dir,
        None => crate::store::default_data_dir()
            .context("no home directory found; pass --data-dir DIR or set BUREAU_DATA_DIR")?,
    };
    let net = cli.net_options();
    let Some(command) = cli.command else {
        #[cfg(feature = "gui")]
        {
            crate::ui::run(data_dir, net)?;
            return Ok(std::process::ExitCode::SUCCESS);
        }
        #[cfg(not(feature = "gui"))]
        {
            use clap::CommandFactory;
            Cli::command().print_help()?;
            output::say!();
            return Ok(std::process::ExitCode::SUCCESS);
        }
    };
    let mut command = command;
    let mut raw_args = raw_args.to_vec();
    if let Command::Recover(args) = &mut command
        && args.phrase.is_none()
    {
        let phrase = read_phrase()?;
        raw_args.extend(["--phrase".to_string(), phrase.clone()]);
        args.phrase = Some(phrase);
    }
    if let Command::Calendar(args) = &command
        && args.watch
    {
        let once: Vec<String> = raw_args
            .iter()
            .filter(|a| *a != "--watch")
            .cloned()
            .collect();
        let one_shot = CalendarArgs {
            watch: false,
            ..args.clone()
        };
        return exchange::watch_calendar(&data_dir, args, || {
            if let Some(code) = control::forward(&data_dir, &once) {
                return if code == std::process::ExitCode::SUCCESS {
                    Ok(())
                } else {
                    anyhow::bail!("the running app could not write it")
                };
            }
            run_here(Command::Calendar(one_shot.clone()), &data_dir, net.clone())
        });
    }
    // A node running on this data directory does the work for us.
    if !matches!(
        command,
        Command::Init(_) | Command::Join(_) | Command::Serve | Command::Bench(_)
    ) && let Some(code) = control::forward(&data_dir, &raw_args)
    {
        return Ok(code);
    }
    run_here(command, &data_dir, net).map(|()| std::process::ExitCode::SUCCESS)
}

fn run_here(
    command: Command,
    data_dir: &std::path::Path,
    net: crate::sync::NetOptions,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let data_dir = data_dir.to_path_buf();
    let result = match command {
        Command::Init(args) => workspace::init(&runtime, &data_dir, args),
        Command::Bench(args) => workspace::bench(&runtime, args, net.fanout),
        Command::Serve => network::serve(&runtime, &data_dir, &net),
        Command::Demo { scale } => workspace::demo(&runtime, &data_dir, scale),
        Command::Join(args) => network::join(&runtime, &data_dir, &net, args),
        Command::Sync(args) => network::sync(&runtime, &data_dir, &net, args),
        command @ (Command::Member(_) | Command::Recover(_) | Command::RecoveryKit) => {
            let request = membership_request(command)?;
            let changes = request.changes();
            let store = runtime.block_on(Store::open(&data_dir, "bureau member"))?;
            let result = crate::sync::node::offline_access(&store)
                .map_err(anyhow::Error::from)
                .and_then(|access| membership::run(&store, &access, request));
            runtime.block_on(store.close());
            match result {
                Ok(()) if changes => membership::spread(&runtime, &data_dir, &net),
                other => other,
            }
        }
        Command::Invite(args) => {
            let store = runtime.block_on(Store::open(&data_dir, "bureau invite"))?;
            let result = network::invite(&runtime, &store, &net, args);
            runtime.block_on(store.close());
            result
        }
        other => {
            let purpose = command_name(&other);
            let store = runtime.block_on(Store::open(&data_dir, &purpose))?;
            let result = dispatch(&store, other, None);
            report_quarantine(&store);
            runtime.block_on(store.close());
            result
        }
    };
    // The store is closed and every edit durable; background work still
    // winding down (LAN discovery's threads) is not waited for, so `serve`
    // exits promptly on SIGTERM and `sync --timeout N` within N seconds.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    result
}

fn command_name(command: &Command) -> String {
    let name = match command {
        Command::Init(_) => "init",
        Command::Task(_) => "task",
        Command::Item(_) => "item",
        Command::Stock(_) => "stock",
        Command::Project(_) => "project",
        Command::Site(_) => "site",
        Command::Vendor(_) => "vendor",
        Command::Contract(_) => "contract",
        Command::Po(_) => "po",
        Command::Invoice(_) => "invoice",
        Command::Budget(_) => "budget",
        Command::Expense(_) => "expense",
        Command::Meeting(_) => "meeting",
        Command::Room(_) => "room",
        Command::Doc(_) => "doc",
        Command::Person(_) => "person",
        Command::Org { .. } => "org",
        Command::Maint(_) => "maint",
        Command::Asset(_) => "asset",
        Command::Onboarding(_) => "onboarding",
        Command::Offboarding(_) => "offboarding",
        Command::Plan(_) => "plan",
        Command::Report(_) => "report",
        Command::Reorder(_) => "reorder",
        Command::Archive(_) => "archive",
        Command::Trash { .. } => "trash",
        Command::History { .. } => "history",
        Command::RestoreVersion(_) => "restore-version",
        Command::Conflicts { .. } => "conflicts",
        Command::Resolve(_) => "resolve",
        Command::Reminders { .. } => "reminders",
        Command::Rule(_) => "rule",
        Command::Undo => "undo",
        Command::Redo => "redo",
        Command::Export(_) => "export",
        Command::Import(_) => "import",
        Command::Calendar(_) => "calendar",
        Command::Status { .. } => "status",
        Command::Bench(_) => "bench",
        Command::Demo { .. } => "demo",
        Command::Serve => "serve",
        Command::Invite(_) => "invite",
        Command::Join(_) => "join",
        Command::Sync(_) => "sync",
        Command::Peers { .. } => "peers",
        Command::Member(_) => "member",
        Command::Recover(_) => "recover",
        Command::RecoveryKit => "recovery-kit",
    };
    format!("bureau {name}")
}

/// A running node and its runtime, when a command runs inside `bureau serve`.
type InNode<'a> = Option<(
    &'a std::sync::Arc<crate::sync::Node>,
    &'a tokio::runtime::Handle,
)>;

pub(super) fn dispatch(store: &Store, command: Command, node: InNode<'_>) -> Result<()> {
    match (command, node) {
        (Command::Peers { json }, Some((node, _))) => network::peers_live(node, json),
        (Command::Status { json }, Some((node, _))) => {
            workspace::status(store, json, Some(&node.traffic()))
        }
        (Command::Invite(args), Some((node, _))) => network::invite_live(node, args),
        (Command::Sync(args), Some((node, runtime))) => network::sync_live(node, runtime, args),
        (
            command @ (Command::Member(_) | Command::Recover(_) | Command::RecoveryKit),
            Some((node, runtime)),
        ) => {
            let request = membership_request(command)?;
            let changes = request.changes();
            membership::run(store, node.access(), request)?;
            if changes {
                node.access().refresh(store)?;
                membership::report_reach(node, runtime, membership::SPREAD_WAIT);
            }
            Ok(())
        }
        (command, node) => {
            // Every change goes through the operations layer, which checks
            // this device's role; inside `serve`, against its live membership.
            let mut session = crate::ops::Session::open_with(store, node.map(|(n, _)| n.access()))?;
            dispatch_store(store, &mut session, command)
        }
    }
}

fn dispatch_store(
    store: &Store,
    session: &mut crate::ops::Session,
    command: Command,
) -> Result<()> {
    match command {
        Command::Task(cmd) => tasks::run(store, session, cmd),
        Command::Item(cmd) => inventory::run_item(store, session, cmd),
        Command::Stock(cmd) => inventory::run_stock(store, session, cmd),
        Command::Project(cmd) => records::run_project(store, session, cmd),
        Command::Site(cmd) => records::run::<crate::model::Site>(store, session, cmd),
        Command::Vendor(cmd) => vendors::run_vendor(store, session, cmd),
        Command::Contract(cmd) => vendors::run_contract(store, session, cmd),
        Command::Po(cmd) => orders::run_po(store, session, cmd),
        Command::Invoice(cmd) => invoices::run_invoice(store, session, cmd),
        Command::Budget(cmd) => budget::run_budget(store, session, cmd),
        Command::Expense(cmd) => budget::run_expense(store, session, cmd),
        Command::Meeting(cmd) => meetings::run_meeting(store, session, cmd),
        Command::Room(cmd) => meetings::run_room(store, session, cmd),
        Command::Doc(cmd) => docs::run(store, session, cmd),
        Command::Person(cmd) => people::run(store, session, cmd),
        Command::Org { json, csv } => people::org(store, json, csv),
        Command::Maint(cmd) => facilities::run(store, session, cmd),
        Command::Asset(cmd) => equipment::run(store, session, cmd),
        Command::Onboarding(cmd) => onboarding::run_onboarding(store, session, cmd),
        Command::Offboarding(cmd) => onboarding::run_offboarding(store, session, cmd),
        Command::Plan(cmd) => onboarding::run_plan(store, session, cmd),
        Command::Report(args) => reports::report(store, args),
        Command::Reorder(args) => orders::reorder(store, session, args),
        Command::Archive(cmd) => archive::run(store, session, cmd),
        Command::Trash { json } => workspace::trash(store, json),
        Command::History { id, json } => history::history(store, &id, json),
        Command::RestoreVersion(args) => history::restore_version(store, session, &args),
        Command::Conflicts { json } => history::conflicts(store, json),
        Command::Resolve(args) => history::resolve(store, session, &args),
        Command::Reminders { json, action } => automation::reminders(store, session, json, action),
        Command::Rule(command) => automation::rule(store, session, command),
        Command::Undo => report_outcome(&session.undo(store)?),
        Command::Redo => report_outcome(&session.redo(store)?),
        Command::Export(args) => workspace::export(store, args),
        Command::Import(args) => exchange::import(store, session, args),
        Command::Calendar(args) => exchange::calendar(store, &args),
        Command::Status { json } => workspace::status(store, json, None),
        Command::Peers { json } => network::peers(store, json),
        // Inside an app with no network: the change spreads when it syncs.
        command @ (Command::Member(_) | Command::Recover(_) | Command::RecoveryKit) => {
            let request = membership_request(command)?;
            let access = crate::sync::node::offline_access(store)?;
            membership::run(store, &access, request)
        }
        Command::Init(_)
        | Command::Bench(_)
        | Command::Demo { .. }
        | Command::Serve
        | Command::Invite(_)
        | Command::Join(_)
        | Command::Sync(_) => Ok(()),
    }
}
