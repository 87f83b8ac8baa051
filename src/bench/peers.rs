//! `bureau bench peers`: 2, 5, 10 and 20 real `bureau serve` processes on
//! loopback, each in a data directory of its own, joined one by one into
//! one workspace, dialing as the overlay picks (`sync::overlay`; run with
//! `--fanout mesh` for every device dialing every device, to compare).
//! Then a partition: the second half of the peers stop (their machines go
//! off), both halves make edits (the stopped ones through the CLI on their
//! own data), the stopped half comes back, and the benchmark times how long
//! until every peer holds the same heads for every document, and counts
//! the bytes every peer sent meanwhile.
//!
//! Everything goes through the product's command line, as a script or an
//! admin would drive it; `bureau status --json` gives each peer's heads and
//! its running node's traffic.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::sync::overlay::Fanout;

/// The longest a heal may take before the benchmark gives up on it.
const CONVERGE_LIMIT: Duration = Duration::from_secs(120);

/// One peer: its data directory, port and, while it runs, its serve process.
struct Peer {
    dir: PathBuf,
    port: u16,
    fanout: Fanout,
    serve: Option<Child>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Peer {
    fn command(&self) -> Result<Command> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .arg("--offline")
            .arg("--data-dir")
            .arg(&self.dir)
            .arg("--bind")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--fanout")
            .arg(self.fanout.to_string())
            .env("RUST_LOG", "warn");
        Ok(command)
    }

    /// Runs a CLI command on this peer (handed to its serve while it runs).
    fn cli(&self, args: &[&str]) -> Result<String> {
        let output = self.command()?.args(args).stdin(Stdio::null()).output()?;
        if !output.status.success() {
            bail!(
                "`bureau {}` on {} failed: {}",
                args.join(" "),
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Starts `bureau serve` and waits until it says it is ready.
    fn start(&mut self) -> Result<()> {
        let mut child = self
            .command()?
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().context("serve has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines.any(|l| l.is_ok_and(|l| l.starts_with("ready")));
        // Keep reading (and dropping) what it prints, so it never blocks.
        std::thread::spawn(move || lines.for_each(drop));
        self.serve = Some(child);
        if !ready {
            bail!(
                "`bureau serve` on {} never became ready",
                self.dir.display()
            );
        }
        Ok(())
    }

    /// Stops the serve process at once, like a machine that loses power
    /// (the store is crash-safe: every acknowledged edit is on disk).
    fn stop(&mut self) {
        if let Some(mut child) = self.serve.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn status(&self) -> Result<serde_json::Value> {
        Ok(serde_json::from_str(&self.cli(&["status", "--json"])?)?)
    }

    fn sent(&self) -> Result<u64> {
        Ok(self.status()?["traffic"]["sent"].as_u64().unwrap_or(0))
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::UdpSocket::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Every peer's heads, read at once (one CLI process per peer).
fn all_heads(peers: &[Peer]) -> Result<Vec<serde_json::Value>> {
    let children: Vec<_> = peers
        .iter()
        .map(|p| {
            p.command().and_then(|mut c| {
                Ok(c.args(["status", "--json"])
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()?)
            })
        })
        .collect::<Result<_>>()?;
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output()?;
            let status: serde_json::Value = serde_json::from_slice(&out.stdout)?;
            Ok(status["documents"].clone())
        })
        .collect()
}

/// Waits until every peer holds the same heads; how long it took.
fn converge(peers: &[Peer]) -> Result<Duration> {
    let started = Instant::now();
    loop {
        let heads = all_heads(peers)?;
        if heads.windows(2).all(|w| w[0] == w[1]) {
            return Ok(started.elapsed());
        }
        if started.elapsed() > CONVERGE_LIMIT {
            bail!(
                "{} peers did not converge within {} s",
                peers.len(),
                CONVERGE_LIMIT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What one size of mesh did.
#[derive(Debug, Clone)]
pub struct PeersRow {
    pub peers: usize,
    pub join_all: Duration,
    pub first_converge: Duration,
    pub edits: usize,
    pub heal: Duration,
    pub bytes: u64,
}

impl PeersRow {
    fn bytes_per_edit(&self) -> f64 {
        self.bytes as f64 / self.edits.max(1) as f64
    }
}

/// The table `bench peers` prints.
#[derive(Debug, Clone)]
pub struct PeersReport {
    pub fanout: Fanout,
    pub rows: Vec<PeersRow>,
}

impl fmt::Display for PeersReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Fan-out: {}", self.fanout)?;
        writeln!(
            f,
            "| peers | all joined | in sync after joining | edits in the partition | heal -> every peer identical | bytes sent (partition + heal) | bytes per edit | bytes per edit per peer |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|---|")?;
        for r in &self.rows {
            writeln!(
                f,
                "| {} | {:.1} s | {:.1} s | {} | {:.2} s | {:.0} KiB | {:.0} B | {:.0} B |",
                r.peers,
                r.join_all.as_secs_f64(),
                r.first_converge.as_secs_f64(),
                r.edits,
                r.heal.as_secs_f64(),
                r.bytes as f64 / 1024.0,
                r.bytes_per_edit(),
                r.bytes_per_edit() / r.peers as f64
            )?;
        }
        Ok(())
    }
}

/// One mesh of `n` peers in `root`, with `edits` edits per peer in the
/// partition.
fn run_one(root: &Path, n: usize, edits: usize, fanout: Fanout) -> Result<PeersRow> {
    anyhow::ensure!(n >= 2, "a mesh needs at least 2 peers");
    let mut peers: Vec<Peer> = (0..n)
        .map(|i| {
            Ok(Peer {
                dir: root.join(format!("peer{i}")),
                port: free_port()?,
                fanout,
                serve: None,
            })
        })
        .collect::<Result<_>>()?;
    let started = Instant::now();
    peers[0].cli(&[
        "init",
        "--workspace",
        "Bench office",
        "--name",
        "Peer 0",
        "--no-recovery-kit",
    ])?;
    peers[0].start()?;
    for i in 1..n {
        let ticket = peers[0].cli(&["invite"])?;
        let name = format!("Peer {i}");
        peers[i].cli(&["join", ticket.trim(), "--name", &name])?;
        peers[i].start()?;
        eprint!("\r{n} peers: {}/{n} joined   ", i + 1);
    }
    let join_all = started.elapsed();
    let first_converge = converge(&peers)?;
    eprintln!("\r{n} peers: joined and in sync            ");

    // The partition: the second half goes off; both halves edit.
    let half = n / 2;
    for peer in &mut peers[half..] {
        peer.stop();
    }
    let before: u64 = peers[..half].iter().map(Peer::sent).sum::<Result<u64>>()?;
    for (i, peer) in peers.iter().enumerate() {
        for e in 0..edits {
            peer.cli(&[
                "task",
                "add",
                &format!("Edit {e} made on peer {i} during the partition"),
            ])?;
        }
    }
    // The heal: the second half comes back.
    let healing = Instant::now();
    for peer in &mut peers[half..] {
        peer.start()?;
    }
    converge(&peers)?;
    let heal = healing.elapsed();
    let after: u64 = peers.iter().map(Peer::sent).sum::<Result<u64>>()?;
    Ok(PeersRow {
        peers: n,
        join_all,
        first_converge,
        edits: edits * n,
        heal,
        bytes: after.saturating_sub(before),
    })
}

/// Runs every size in `sizes`, in `dir` (default: a fresh temporary one).
pub fn run(
    sizes: &[usize],
    edits: usize,
    dir: Option<&Path>,
    fanout: Fanout,
) -> Result<PeersReport> {
    let temp = tempfile::tempdir()?;
    let root = dir.map_or_else(|| temp.path().to_path_buf(), Path::to_path_buf);
    let mut rows = Vec::new();
    for &n in sizes {
        let mesh = root.join(format!("mesh-{n}"));
        std::fs::create_dir_all(&mesh)?;
        rows.push(run_one(&mesh, n, edits, fanout)?);
    }
    Ok(PeersReport { fanout, rows })
}
