//! The command-line interface: headless commands for scripts, import and
//! export. Every command opens the data directory, does one thing, flushes
//! and exits. Errors are one line saying what to fix; nothing is changed
//! when a command fails validation.

mod archive;
mod automation;
mod budget;
mod control;
mod dispatch;
mod docs;
mod equipment;
mod exchange;
mod facilities;
mod history;
mod inventory;
mod invoices;
mod meetings;
mod membership;
mod network;
mod onboarding;
mod orders;
mod output;
mod people;
mod records;
mod reports;
mod tasks;
mod vendors;
mod workspace;

use output::{report_outcome, report_unreadable};

pub use control::remove_socket as remove_control_socket;
#[cfg(unix)]
pub use control::serve as serve_control;
use dispatch::dispatch;
pub use dispatch::run;

use std::path::PathBuf;

use anyhow::Result;
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

    /// LAN only: no relays, no DNS lookups, nothing outside the local network.
    #[arg(long, global = true, env = "BUREAU_OFFLINE", value_parser = clap::builder::BoolishValueParser::new())]
    pub offline: bool,

    /// Listen on ADDR (e.g. 0.0.0.0:4433) instead of the port used last time.
    #[arg(long, global = true, value_name = "ADDR")]
    pub bind: Option<std::net::SocketAddr>,

    /// Also dial this peer: ENDPOINT_ID@IP:PORT (repeatable; for VPNs and
    /// other subnets where LAN discovery does not reach).
    #[arg(long = "peer", global = true, value_name = "ID@ADDR", value_parser = crate::sync::net::parse_static_peer)]
    pub peers: Vec<iroh::EndpointAddr>,

    /// Use the team's own relay (an iroh-relay server, e.g.
    /// https://relay.acme.example) instead of the public relays; devices
    /// that cannot reach each other directly meet there.
    #[arg(long, global = true, env = "BUREAU_RELAY", value_name = "URL")]
    pub relay: Option<iroh::RelayUrl>,

    /// Don't look for peers on the LAN with multicast DNS.
    #[arg(long, global = true, hide = true, env = "BUREAU_NO_MDNS", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_mdns: bool,

    /// Which member devices to dial: `ring` (the default: two successors
    /// and one half-way round, see docs/SYNC.md) or `mesh` (every one).
    #[arg(long, global = true, hide = true, env = "BUREAU_FANOUT", value_name = "ring|mesh", default_value = "ring", value_parser = crate::sync::overlay::Fanout::parse)]
    pub fanout: crate::sync::overlay::Fanout,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// How this process reaches the network, as its flags say.
    fn net_options(&self) -> crate::sync::NetOptions {
        crate::sync::NetOptions {
            offline: self.offline,
            bind: self.bind,
            mdns: !self.no_mdns,
            static_peers: self.peers.clone(),
            relay: self.relay.clone(),
            fanout: self.fanout,
        }
    }
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
    /// Stock changes: adjust by a quantity, record a count, move between sites.
    #[command(subcommand)]
    Stock(inventory::StockCommand),
    /// Projects that group tasks: add, list, show, set, rename, archive, delete, restore.
    #[command(subcommand)]
    Project(records::ProjectCommand),
    /// Sites (offices, storerooms): add, list, show, set, rename, delete, restore.
    #[command(subcommand)]
    Site(records::RecordCommand),
    /// Vendors: add, list, show (with contacts, contracts, orders,
    /// invoices), contact, set, rename, delete, restore.
    #[command(subcommand)]
    Vendor(vendors::VendorCommand),
    /// Contracts with vendors and the renewal calendar.
    #[command(subcommand)]
    Contract(vendors::ContractCommand),
    /// Purchase orders: add, send, receive into stock, close, list, show.
    #[command(subcommand)]
    Po(orders::PoCommand),
    /// Vendors' invoices and the three-way match with orders and receipts.
    #[command(subcommand)]
    Invoice(invoices::InvoiceCommand),
    /// Budget lines: add, status (spent, remaining, forecast, flag),
    /// threshold, list, show, set, delete, restore.
    #[command(subcommand)]
    Budget(budget::BudgetCommand),
    /// Expenses entered by hand (card, petty cash): add, list, show, set,
    /// delete, restore. Approved invoices count as spend by themselves.
    #[command(subcommand)]
    Expense(budget::ExpenseCommand),
    /// Meetings: add, agenda, notes, action items (tasks), summary, list,
    /// show, set, delete, restore.
    #[command(subcommand)]
    Meeting(meetings::MeetingCommand),
    /// Rooms and bookable things: add, clashes, list, show, set, delete,
    /// restore.
    #[command(subcommand)]
    Room(meetings::RoomCommand),
    /// Equipment: add, assign --to NAME, return, list (--holder NAME),
    /// show (with history), set, delete, restore.
    #[command(subcommand)]
    Asset(equipment::AssetCommand),
    /// SOPs, policies and guides: add, show (--markdown), edit
    /// --body-file, history, diff, restore, reviewed, list (--review-due),
    /// set, delete.
    #[command(subcommand)]
    Doc(docs::DocCommand),
    /// The people directory: set NAME (--title, --manager…), list
    /// (--search), show, delete, restore.
    #[command(subcommand)]
    Person(people::PersonCommand),
    /// The org chart by manager (--json; --csv: the directory as CSV).
    Org {
        #[arg(long)]
        json: bool,
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// Maintenance requests: add, set (status, assignee…), list (--past-sla),
    /// show, delete, restore.
    #[command(subcommand)]
    Maint(facilities::MaintCommand),
    /// Onboarding: templates, start a plan for a new person, list plans.
    #[command(subcommand)]
    Onboarding(onboarding::OnboardingCommand),
    /// Offboarding: start a leaver's plan.
    #[command(subcommand)]
    Offboarding(onboarding::OffboardingCommand),
    /// One onboarding or offboarding plan: show, revoke-access, list, set,
    /// delete, restore.
    #[command(subcommand)]
    Plan(onboarding::PlanCommand),
    /// The weekly or monthly leadership report as HTML, PDF or CSV, made
    /// from this device's records (it says which devices' changes it holds).
    Report(reports::ReportArgs),
    /// What is low, drafted into purchase orders per preferred vendor.
    Reorder(orders::ReorderArgs),
    /// The yearly archive: past years' finished tasks moved to a document
    /// per year (run, list, search).
    #[command(subcommand)]
    Archive(archive::ArchiveCommand),
    /// Every deleted record, with who deleted it and when (restore with
    /// `bureau <kind> restore ID`). Nothing is purged.
    Trash {
        #[arg(long)]
        json: bool,
    },
    /// Every change of one record: who changed which field, when, from
    /// which device.
    History {
        /// The record's id (or a unique start of it).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Set a record back to how it was at a moment, as a new change
    /// (`bureau undo` takes it back).
    RestoreVersion(history::RestoreVersionArgs),
    /// Fields that hold two values after people edited them at once: both
    /// values, who set each and when.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Keep one value of a conflicting field (on every device once synced).
    Resolve(history::ResolveArgs),
    /// What is due for you now (tasks, notice deadlines, low stock,
    /// reviews, late maintenance, meetings, rules): read, unread, snooze.
    Reminders {
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<automation::ReminderCommand>,
    },
    /// "When … then …" rules (admins): add, list, delete, restore, run, log.
    #[command(subcommand)]
    Rule(automation::RuleCommand),
    /// Undo this device's last change (refused if someone changed it since).
    Undo,
    /// Redo the last change undone.
    Redo,
    /// Export every shared record and every document's text (sorted keys,
    /// no device-local state).
    Export(workspace::ExportArgs),
    /// Import records of one kind from a CSV file (header row of field
    /// names); every bad row is listed and nothing is written unless
    /// --skip-bad.
    Import(exchange::ImportArgs),
    /// Write a calendar feed (.ics) of due dates, notice deadlines and
    /// meetings; --watch keeps it up to date.
    Calendar(exchange::CalendarArgs),
    /// Show the workspace, member, data directory, record counts and storage
    /// size (--json adds every document's heads and a running node's traffic).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Measure the store on a large generated office and print the figures.
    Bench(workspace::BenchArgs),
    /// Create a workspace filled with realistic sample data (to try Bureau).
    Demo {
        /// Size relative to the "L office" (10k tasks); the default, 0.008,
        /// is a small office (80 tasks, 16 items, three sites).
        #[arg(long, default_value_t = 0.008)]
        scale: f64,
    },
    /// Run as an always-on peer until SIGINT/SIGTERM.
    Serve,
    /// Make a one-time invite ticket (admins only); prints the ticket alone.
    Invite(network::InviteArgs),
    /// Join a workspace with a ticket from `bureau invite`.
    Join(network::JoinArgs),
    /// Connect to known peers, sync until in sync, exit.
    Sync(network::SyncArgs),
    /// Members' devices: online, last synced, our changes they have not seen.
    Peers {
        #[arg(long)]
        json: bool,
    },
    /// Membership: remove a member or one device, change a role, list.
    #[command(subcommand)]
    Member(membership::MemberCommand),
    /// Lost the admin laptop? Make this device's member an admin again with
    /// the recovery phrase (read from standard input).
    Recover(RecoverArgs),
    /// Make a new recovery kit (admins): prints 24 words to write down; the
    /// previous kit stops working.
    RecoveryKit,
}

#[derive(Debug, clap::Args)]
pub struct RecoverArgs {
    /// The 24 words (else they are read from standard input; on the
    /// command line they are visible to other users of this machine).
    #[arg(long)]
    pub phrase: Option<String>,
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
