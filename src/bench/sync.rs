//! `bureau bench sync`: two nodes on loopback. Initial sync of a generated
//! office to an empty peer (time and bytes, against an in-process Automerge
//! sync of the same documents), edit -> visible on the peer over many edits,
//! and reconnect bytes after offline edits on both sides.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use automerge::sync::SyncDoc;
use futures::StreamExt;

use super::fixture::{OfficeSize, build_office};
use crate::model::{Area, Date, Role, Task};
use crate::sync::{NetOptions, Node, node};

#[derive(Debug)]
pub struct SyncReport {
    pub size: OfficeSize,
    pub compacted_bytes: u64,
    pub cold_load: Duration,
    pub initial_sync: Duration,
    pub initial_bytes: u64,
    pub automerge_sync: Duration,
    pub automerge_bytes: u64,
    pub edits: usize,
    pub visible_p50: Duration,
    pub visible_p99: Duration,
    pub reconnect_bytes: u64,
    pub reconnect_time: Duration,
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kb = |b: u64| format!("{:.0} KiB", b as f64 / 1024.0);
        writeln!(f, "| figure | value |")?;
        writeln!(f, "|---|---|")?;
        writeln!(
            f,
            "| fixture | {} tasks, {} items, {} POs, {} invoices, {} docs |",
            self.size.tasks,
            self.size.items,
            self.size.purchase_orders,
            self.size.invoices,
            self.size.docs
        )?;
        writeln!(
            f,
            "| compacted size of all documents (`save()`) | {} |",
            kb(self.compacted_bytes)
        )?;
        writeln!(
            f,
            "| initial sync to an empty peer (join -> in sync) | {} , {} on the wire |",
            ms(self.initial_sync),
            kb(self.initial_bytes)
        )?;
        writeln!(
            f,
            "| cold load of the same documents from disk | {} |",
            ms(self.cold_load)
        )?;
        writeln!(
            f,
            "| initial sync vs cold load (time) ; bytes vs compacted | {:.2}x ; {:.2}x |",
            self.initial_sync.as_secs_f64() / self.cold_load.as_secs_f64().max(1e-9),
            self.initial_bytes as f64 / self.compacted_bytes.max(1) as f64
        )?;
        writeln!(
            f,
            "| in-process Automerge sync of the same documents | {} , {} |",
            ms(self.automerge_sync),
            kb(self.automerge_bytes)
        )?;
        writeln!(
            f,
            "| ratio (time / bytes vs in-process; bytes vs compacted) | {:.2}x / {:.2}x / {:.2}x |",
            self.initial_sync.as_secs_f64() / self.automerge_sync.as_secs_f64().max(1e-9),
            self.initial_bytes as f64 / self.automerge_bytes.max(1) as f64,
            self.initial_bytes as f64 / self.compacted_bytes.max(1) as f64
        )?;
        writeln!(
            f,
            "| edit -> visible on the connected peer, {} edits: p50 / p99 | {} / {} |",
            self.edits,
            ms(self.visible_p50),
            ms(self.visible_p99)
        )?;
        write!(
            f,
            "| reconnect after 100 offline edits on each side | {} , {} on the wire |",
            ms(self.reconnect_time),
            kb(self.reconnect_bytes)
        )
    }
}

/// Bytes on the wire between the two nodes: what both sent (each byte
/// sent is received by the other; counting both would count it twice).
fn wire_bytes(nodes: &[&Node]) -> u64 {
    nodes.iter().map(|n| n.traffic().sent()).sum()
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted
        .get(((sorted.len().saturating_sub(1)) as f64 * p).round() as usize)
        .copied()
        .unwrap_or_default()
}

pub fn run(
    runtime: &tokio::runtime::Runtime,
    scale: f64,
    edits: usize,
    dir: Option<&Path>,
) -> Result<SyncReport> {
    let temp = tempfile::tempdir()?;
    let root = dir.map_or_else(|| temp.path().to_path_buf(), Path::to_path_buf);
    let (a_dir, b_dir) = (root.join("a"), root.join("b"));
    let size = OfficeSize::LARGE.scaled(scale);
    let today = Date::new(2026, 11, 22).unwrap_or_default();

    let store = runtime.block_on(node::create_workspace(&a_dir, "Bench office", "Ana"))?;
    build_office(&store, size, 7, today, |done, total| {
        eprint!("\rbuilding fixture: {done}/{total}   ")
    })?;
    eprintln!();
    runtime.block_on(store.close());

    // The floor of an initial sync: loading the same documents from disk
    // (every one, bodies too), in a store opened afresh. The first open
    // after the build compacts what the build wrote; the second is timed.
    let mut cold_load = Duration::ZERO;
    for _ in 0..2 {
        let started = Instant::now();
        let cold = runtime.block_on(crate::store::Store::open(&a_dir, "bench"))?;
        cold.documents()?;
        cold.fetch_bodies()?;
        cold_load = started.elapsed();
        runtime.block_on(cold.close());
    }

    let a = runtime.block_on(Node::start(&a_dir, "bench", &NetOptions::loopback()))?;
    a.store().fetch_bodies()?;
    let docs = a.store().documents()?;
    let compacted_bytes: u64 = docs
        .iter()
        .map(|d| d.with_document(|doc| doc.save().len() as u64))
        .sum();

    // In-process Automerge sync of the same documents, for comparison.
    let started = Instant::now();
    let mut automerge_bytes = 0u64;
    for handle in &docs {
        let full = handle.with_document(|d| d.clone());
        let mut empty = automerge::Automerge::new();
        let (mut s1, mut s2) = (automerge::sync::State::new(), automerge::sync::State::new());
        for _ in 0..100 {
            let m1 = full.generate_sync_message(&mut s1);
            let m2 = empty.generate_sync_message(&mut s2);
            if m1.is_none() && m2.is_none() {
                break;
            }
            if let Some(m) = m1 {
                let bytes = m.encode();
                automerge_bytes += bytes.len() as u64;
                empty.receive_sync_message(&mut s2, automerge::sync::Message::decode(&bytes)?)?;
            }
            if let Some(m) = m2 {
                let bytes = m.encode();
                automerge_bytes += bytes.len() as u64;
                let mut f = full.clone();
                f.receive_sync_message(&mut s1, automerge::sync::Message::decode(&bytes)?)?;
            }
        }
    }
    let automerge_sync = started.elapsed();

    // Initial sync: B joins and pulls everything.
    let ticket = a.invite(Role::Member, Duration::from_secs(600))?;
    let before = wire_bytes(&[&a]);
    let started = Instant::now();
    let b = runtime.block_on(Node::join(&b_dir, &ticket, "Ben", &NetOptions::loopback()))?;
    runtime.block_on(b.wait_in_sync(Duration::from_secs(300)))?;
    let initial_sync = started.elapsed();
    let initial_bytes = wire_bytes(&[&a, &b]) - before;

    // Edit on A -> visible on B.
    let task_ids: Vec<String> = a
        .store()
        .list::<Task>(false)?
        .into_iter()
        .take(50)
        .map(|t| t.id)
        .collect();
    anyhow::ensure!(!task_ids.is_empty(), "the fixture has no tasks");
    let b_tasks = b.store().handle(Area::Tasks)?;
    let mut changes = b_tasks.changes();
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let id = &task_ids[i % task_ids.len()];
        let title = format!("edit {i}");
        let started = Instant::now();
        a.store().update::<Task, _>(id, "bench edit", |t| {
            t.title = title.clone();
            Ok(())
        })?;
        loop {
            let seen = b.store().get::<Task>(id)?.is_some_and(|t| t.title == title);
            if seen {
                break;
            }
            runtime
                .block_on(async {
                    tokio::time::timeout(Duration::from_secs(10), changes.next()).await
                })
                .context("edit never became visible on the peer")?;
        }
        times.push(started.elapsed());
    }
    times.sort();

    // Offline edits on both sides, then reconnect.
    runtime.block_on(b.shutdown());
    for (i, id) in task_ids.iter().cycle().take(100).enumerate() {
        a.store().update::<Task, _>(id, "offline edit", |t| {
            t.description = format!("a{i}");
            Ok(())
        })?;
    }
    let store_b = runtime.block_on(crate::store::Store::open(&b_dir, "bench"))?;
    for (i, id) in task_ids.iter().rev().cycle().take(100).enumerate() {
        store_b.update::<Task, _>(id, "offline edit", |t| {
            t.priority = if i % 2 == 0 {
                crate::model::Priority::High
            } else {
                crate::model::Priority::Low
            };
            Ok(())
        })?;
    }
    runtime.block_on(store_b.close());
    let before = wire_bytes(&[&a]);
    let started = Instant::now();
    let b = runtime.block_on(Node::start(&b_dir, "bench", &NetOptions::loopback()))?;
    runtime.block_on(b.wait_in_sync(Duration::from_secs(120)))?;
    let reconnect_time = started.elapsed();
    let reconnect_bytes = wire_bytes(&[&a, &b]) - before;
    runtime.block_on(b.shutdown());
    runtime.block_on(a.shutdown());

    Ok(SyncReport {
        size,
        compacted_bytes,
        cold_load,
        initial_sync,
        initial_bytes,
        automerge_sync,
        automerge_bytes,
        edits,
        visible_p50: percentile(&times, 0.5),
        visible_p99: percentile(&times, 0.99),
        reconnect_bytes,
        reconnect_time,
    })
}
