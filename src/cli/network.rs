//! `bureau serve`, `invite`, `join`, `sync`, `peers`.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use super::output::{note, print_json, say, table};
use crate::model::{Role, Stamp};
use crate::store::Store;
use crate::sync::{NetOptions, Node, Ticket, identity, invite, net, node};

#[derive(Debug, Args)]
pub struct InviteArgs {
    /// Role the new member gets.
    #[arg(long, default_value = "member")]
    pub role: Role,
    /// How long the ticket stays valid, e.g. 30m, 24h, 7d.
    #[arg(long, default_value = "24h")]
    pub expires: String,
}

#[derive(Debug, Args)]
pub struct JoinArgs {
    /// The ticket printed by `bureau invite` on the inviting device.
    pub ticket: String,
    /// Your name as the team will see it.
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

pub fn serve(runtime: &tokio::runtime::Runtime, data_dir: &Path, net: &NetOptions) -> Result<()> {
    let node = runtime.block_on(Node::start(data_dir, "bureau serve", net))?;
    let control = ControlSocket::open(runtime, &node, data_dir);
    // Rules and reminders, once a minute, on a thread of their own.
    let minder = crate::minder::spawn(&node);
    // Listen for SIGTERM and SIGINT before saying "ready": a stop sent the
    // moment after must shut down cleanly, not kill the process.
    #[cfg(unix)]
    let (mut term, mut interrupt) = runtime.block_on(async {
        use tokio::signal::unix::{SignalKind, signal};
        Ok::<_, std::io::Error>((
            signal(SignalKind::terminate())?,
            signal(SignalKind::interrupt())?,
        ))
    })?;
    let addrs = net::addr_strings(&node.addr());
    say!("ready {} {}", node.id(), addrs.join(" "));
    use std::io::Write;
    std::io::stdout().flush()?;
    runtime.block_on(async {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await?;
        Ok::<(), std::io::Error>(())
    })?;
    note!("shutting down");
    control.close();
    if let Some(minder) = &minder {
        minder.thread().unpark();
    }
    runtime.block_on(node.shutdown());
    Ok(())
}

/// While a node runs here, other `bureau` commands on the same data
/// directory are handed to it instead of being refused.
struct ControlSocket<'a> {
    data_dir: &'a Path,
    #[cfg(unix)]
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl<'a> ControlSocket<'a> {
    fn open(
        runtime: &tokio::runtime::Runtime,
        node: &std::sync::Arc<Node>,
        data_dir: &'a Path,
    ) -> Self {
        ControlSocket {
            data_dir,
            #[cfg(unix)]
            task: runtime.spawn(super::control::serve(node.clone(), data_dir.to_path_buf())),
        }
    }

    fn close(self) {
        #[cfg(unix)]
        self.task.abort();
        super::control::remove_socket(self.data_dir);
    }
}

/// `bureau peers` inside a running node: with live connection state.
pub fn peers_live(node: &std::sync::Arc<Node>, json: bool) -> Result<()> {
    print_peers(node.peer_status()?, json)
}

/// `bureau invite` inside a running node: the ticket carries its real addresses.
pub fn invite_live(node: &std::sync::Arc<Node>, args: InviteArgs) -> Result<()> {
    let ttl = invite::parse_duration(&args.expires).map_err(anyhow::Error::msg)?;
    let ticket = node.invite(args.role, Duration::from_millis(ttl as u64))?;
    say!("{}", ticket.encode());
    note!(
        "invite for a {} valid until {}",
        args.role,
        Stamp::from_millis(ticket.expires)
    );
    Ok(())
}

/// `bureau sync` inside a running node: it is already syncing; wait until in sync.
pub fn sync_live(
    node: &std::sync::Arc<Node>,
    runtime: &tokio::runtime::Handle,
    args: SyncArgs,
) -> Result<()> {
    let peers = runtime.block_on(node.wait_in_sync(Duration::from_secs(args.timeout)))?;
    say!("in sync with {peers} peer(s)");
    Ok(())
}

pub fn invite(
    runtime: &tokio::runtime::Runtime,
    store: &Store,
    net: &NetOptions,
    args: InviteArgs,
) -> Result<()> {
    let ttl = invite::parse_duration(&args.expires).map_err(anyhow::Error::msg)?;
    let key = identity::load_or_create(store.data_dir())?;
    let access = node::offline_access(store)?;
    // Bind once to learn (and keep) the address `bureau serve` will use.
    let endpoint = runtime.block_on(net::bind(store.data_dir(), key.clone(), net))?;
    let inviter = net::via_relay(net::local_addr(&endpoint), net.relay.as_ref());
    runtime.block_on(endpoint.close());
    let ticket = invite::create(store, &key, &access, inviter, args.role, ttl)?;
    say!("{}", ticket.encode());
    note!(
        "invite for a {} valid until {}; the joiner runs `bureau join TICKET --name NAME` while this device runs Bureau",
        args.role,
        Stamp::from_millis(ticket.expires)
    );
    Ok(())
}

pub fn join(
    runtime: &tokio::runtime::Runtime,
    data_dir: &Path,
    net: &NetOptions,
    args: JoinArgs,
) -> Result<()> {
    let ticket = Ticket::decode(&args.ticket).map_err(anyhow::Error::msg)?;
    let node = runtime.block_on(Node::join(data_dir, &ticket, &args.name, net))?;
    let synced = runtime.block_on(node.wait_in_sync(Duration::from_secs(30)));
    let role = node
        .access()
        .role_of(&node.id())
        .map(|r| r.to_string())
        .unwrap_or_else(|| ticket.role.to_string());
    runtime.block_on(node.shutdown());
    synced.context("joined, but the first sync did not finish")?;
    say!(
        "joined {:?} as {} ({role})",
        ticket.workspace_name,
        args.name.trim()
    );
    Ok(())
}

/// Time kept back from `--timeout` for closing connections and the store,
/// so `bureau sync --timeout N` returns within N seconds.
const SHUTDOWN_ALLOWANCE: Duration = Duration::from_millis(700);

pub fn sync(
    runtime: &tokio::runtime::Runtime,
    data_dir: &Path,
    net: &NetOptions,
    args: SyncArgs,
) -> Result<()> {
    let timeout = Duration::from_secs(args.timeout);
    let deadline = runtime.block_on(async {
        tokio::time::Instant::now() + timeout.saturating_sub(SHUTDOWN_ALLOWANCE)
    });
    // A one-off sync dials every member device at once (not the overlay's
    // few): it is short-lived, and should meet whoever is reachable first
    // rather than wait for absent ring neighbours' dials to fail.
    let net = NetOptions {
        fanout: crate::sync::overlay::Fanout::Mesh,
        ..net.clone()
    };
    let node = runtime.block_on(Node::start(data_dir, "bureau sync", &net))?;
    let control = ControlSocket::open(runtime, &node, data_dir);
    let result = runtime.block_on(node.wait_in_sync_by(deadline, timeout));
    control.close();
    runtime.block_on(node.shutdown());
    let peers = result?;
    say!("in sync with {peers} peer(s)");
    Ok(())
}

pub fn peers(store: &Store, json: bool) -> Result<()> {
    let access = node::offline_access(store)?;
    let me = identity::load_or_create(store.data_dir())?
        .public()
        .to_string();
    print_peers(node::peer_status(store, &access, &me, None)?, json)
}

fn print_peers(status: Vec<crate::sync::status::PeerStatus>, json: bool) -> Result<()> {
    if json {
        return print_json(&status);
    }
    if status.is_empty() {
        note!("no other member devices yet (invite someone with `bureau invite`)");
        return Ok(());
    }
    let mut out = table(&[
        "MEMBER",
        "ROLE",
        "DEVICE",
        "ONLINE",
        "LAST SYNCED",
        "OUR CHANGES NOT SEEN",
    ]);
    for p in status {
        let (synced, unseen) = (p.last_synced_text(), p.unseen_text());
        out.add_row(vec![
            p.member,
            p.role,
            p.device.chars().take(12).collect(),
            if p.online { "yes".into() } else { "no".into() },
            synced,
            unseen,
        ]);
    }
    say!("{out}");
    Ok(())
}
