//! `bureau bench sync --shape anchor`: a like-for-like shape for comparing
//! sync engines. Exactly 10,000 tasks `{title, status, owner, due,
//! priority}` and 2,000 items with one counter each, one change per record,
//! in one document, synced between two Bureau nodes on loopback the way
//! Bureau syncs everything (a joiner gets it whole; then samod over iroh).
//!
//! Figures: initial sync (time, bytes) against the compacted size and a
//! cold load of the same bytes; edit -> visible on the other node, back to
//! back and spaced 110 ms apart (p50 / p99); 100 concurrent counter
//! increments on each side until both hold the same document.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ScalarValue, Value};
use futures::StreamExt;
use samod::DocHandle;

use super::sync::{ms, percentile};
use crate::model::Role;
use crate::sync::{NetOptions, Node, node};

const TASKS: usize = 10_000;
const ITEMS: usize = 2_000;
const STATUSES: [&str; 4] = ["todo", "in_progress", "blocked", "done"];
const OWNERS: [&str; 6] = ["Ana", "Ben", "Cleo", "Dan", "Eve", "Femi"];
const PRIORITIES: [&str; 3] = ["low", "normal", "high"];

#[derive(Debug)]
pub struct AnchorReport {
    pub compacted_bytes: u64,
    pub cold_load: Duration,
    pub initial_sync: Duration,
    pub initial_bytes: u64,
    pub edits: usize,
    pub back_to_back: (Duration, Duration),
    pub spaced: (Duration, Duration),
    pub increments: usize,
    pub increments_converge: Duration,
    pub increments_bytes: u64,
}

impl fmt::Display for AnchorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kib = |b: u64| format!("{:.0} KiB", b as f64 / 1024.0);
        writeln!(f, "| figure (anchor shape) | value |")?;
        writeln!(f, "|---|---|")?;
        writeln!(
            f,
            "| document | {TASKS} tasks {{title, status, owner, due, priority}} + {ITEMS} items with a counter, one change each |"
        )?;
        writeln!(
            f,
            "| compacted size (`save()`) | {} |",
            kib(self.compacted_bytes)
        )?;
        writeln!(f, "| cold load of those bytes | {} |", ms(self.cold_load))?;
        writeln!(
            f,
            "| initial sync to an empty peer (join -> in sync) | {}, {} on the wire |",
            ms(self.initial_sync),
            kib(self.initial_bytes)
        )?;
        writeln!(
            f,
            "| initial sync vs cold load ; bytes vs compacted | {:.2}x ; {:.2}x |",
            self.initial_sync.as_secs_f64() / self.cold_load.as_secs_f64().max(1e-9),
            self.initial_bytes as f64 / self.compacted_bytes.max(1) as f64
        )?;
        writeln!(
            f,
            "| edit -> visible, {} edits back to back: p50 / p99 | {} / {} |",
            self.edits,
            ms(self.back_to_back.0),
            ms(self.back_to_back.1)
        )?;
        writeln!(
            f,
            "| edit -> visible, {} edits 110 ms apart: p50 / p99 | {} / {} |",
            self.edits,
            ms(self.spaced.0),
            ms(self.spaced.1)
        )?;
        write!(
            f,
            "| {} concurrent increments on each side -> same document | {}, {} on the wire |",
            self.increments,
            ms(self.increments_converge),
            kib(self.increments_bytes)
        )
    }
}

/// The anchor document, one change per record.
pub fn build() -> Result<Automerge> {
    let mut doc = Automerge::new();
    let (tasks, items) = {
        let mut tx = doc.transaction();
        let tasks = tx.put_object(automerge::ROOT, "tasks", ObjType::Map)?;
        let items = tx.put_object(automerge::ROOT, "items", ObjType::Map)?;
        tx.commit();
        (tasks, items)
    };
    for i in 0..TASKS {
        let mut tx = doc.transaction();
        let task = tx.put_object(&tasks, format!("task-{i:05}"), ObjType::Map)?;
        tx.put(
            &task,
            "title",
            format!("Task {i}: order toner for the second floor"),
        )?;
        tx.put(&task, "status", STATUSES[i % STATUSES.len()])?;
        tx.put(&task, "owner", OWNERS[i % OWNERS.len()])?;
        tx.put(&task, "due", format!("2026-12-{:02}", 1 + i % 28))?;
        tx.put(&task, "priority", PRIORITIES[i % PRIORITIES.len()])?;
        tx.commit();
    }
    for i in 0..ITEMS {
        let mut tx = doc.transaction();
        let item = tx.put_object(&items, format!("item-{i:04}"), ObjType::Map)?;
        tx.put(&item, "count", ScalarValue::counter(0))?;
        tx.commit();
    }
    Ok(doc)
}

fn task_title(doc: &Automerge, key: &str) -> Option<String> {
    let (_, tasks) = doc.get(automerge::ROOT, "tasks").ok()??;
    let (_, task) = doc.get(&tasks, key).ok()??;
    match doc.get(&task, "title").ok()?? {
        (Value::Scalar(s), _) => s.as_str().map(str::to_string),
        _ => None,
    }
}

fn retitle(handle: &DocHandle, key: &str, title: &str) -> Result<()> {
    handle.with_document(|doc| -> Result<()> {
        let (_, tasks) = doc
            .get(automerge::ROOT, "tasks")?
            .context("the anchor has no tasks")?;
        let (_, task) = doc.get(&tasks, key)?.context("no such task")?;
        let mut tx = doc.transaction();
        tx.put(&task, "title", title)?;
        tx.commit();
        Ok(())
    })
}

fn increment(handle: &DocHandle, key: &str) -> Result<()> {
    handle.with_document(|doc| -> Result<()> {
        let (_, items) = doc
            .get(automerge::ROOT, "items")?
            .context("the anchor has no items")?;
        let (_, item) = doc.get(&items, key)?.context("no such item")?;
        let mut tx = doc.transaction();
        tx.increment(&item, "count", 1)?;
        tx.commit();
        Ok(())
    })
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Times `edits` retitles on `from` until each is visible on `to`, with
/// `gap` between them.
fn edit_to_visible(
    runtime: &tokio::runtime::Runtime,
    from: &DocHandle,
    to: &DocHandle,
    edits: usize,
    gap: Duration,
    round: &str,
) -> Result<(Duration, Duration)> {
    let mut changes = to.changes();
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let key = format!("task-{:05}", (i * 37) % TASKS);
        let title = format!("{round} edit {i}");
        let started = Instant::now();
        retitle(from, &key, &title)?;
        while to.with_document(|d| task_title(d, &key)).as_deref() != Some(title.as_str()) {
            runtime
                .block_on(async {
                    tokio::time::timeout(Duration::from_secs(10), changes.next()).await
                })
                .context("an edit never became visible on the other node")?;
        }
        times.push(started.elapsed());
        if !gap.is_zero() {
            std::thread::sleep(gap);
        }
    }
    Ok(percentiles(times))
}

pub fn run(
    runtime: &tokio::runtime::Runtime,
    edits: usize,
    dir: Option<&Path>,
) -> Result<AnchorReport> {
    let temp = tempfile::tempdir()?;
    let root = dir.map_or_else(|| temp.path().to_path_buf(), Path::to_path_buf);
    let (a_dir, b_dir) = (root.join("anchor-a"), root.join("anchor-b"));
    let store = runtime.block_on(node::create_workspace(&a_dir, "Anchor", "Ana"))?;
    runtime.block_on(store.close());
    let a = runtime.block_on(Node::start(&a_dir, "bench", &NetOptions::loopback()))?;

    eprintln!("building the anchor document ({TASKS} tasks, {ITEMS} items)...");
    let doc = build()?;
    let saved = doc.save();
    let started = Instant::now();
    let loaded = Automerge::load(&saved)?;
    let cold_load = started.elapsed();
    drop(loaded);
    let a_anchor = a.store().create_standalone(doc)?;
    let anchor_id = a_anchor.document_id().to_string();

    let ticket = a.invite(Role::Member, Duration::from_secs(600))?;
    let before = a.traffic().sent();
    let started = Instant::now();
    let b = runtime.block_on(Node::join(&b_dir, &ticket, "Ben", &NetOptions::loopback()))?;
    runtime.block_on(b.wait_in_sync(Duration::from_secs(300)))?;
    let b_anchor = b.store().standalone(&anchor_id)?;
    let a_heads = a_anchor.with_document(|d| d.get_heads());
    anyhow::ensure!(
        b_anchor.with_document(|d| d.get_heads()) == a_heads,
        "the joiner does not hold the anchor document as sent"
    );
    let initial_sync = started.elapsed();
    let initial_bytes = a.traffic().sent() - before + b.traffic().sent();

    let back_to_back =
        edit_to_visible(runtime, &a_anchor, &b_anchor, edits, Duration::ZERO, "b2b")?;
    let spaced = edit_to_visible(
        runtime,
        &a_anchor,
        &b_anchor,
        edits.min(200),
        Duration::from_millis(110),
        "spaced",
    )?;

    // 100 increments on each side at once, each its own change.
    let increments = 100;
    let before = a.traffic().sent() + b.traffic().sent();
    let started = Instant::now();
    std::thread::scope(|scope| -> Result<()> {
        let on_a = scope.spawn(|| -> Result<()> {
            for i in 0..increments {
                increment(&a_anchor, &format!("item-{:04}", (i * 13) % ITEMS))?;
            }
            Ok(())
        });
        for i in 0..increments {
            increment(&b_anchor, &format!("item-{:04}", (i * 7) % ITEMS))?;
        }
        on_a.join()
            .map_err(|_| anyhow::anyhow!("an increment thread panicked"))?
    })?;
    let mut changes = futures::stream::select(a_anchor.changes(), b_anchor.changes());
    while a_anchor.with_document(|d| d.get_heads()) != b_anchor.with_document(|d| d.get_heads()) {
        runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(30), changes.next()).await })
            .context("the increments never converged")?;
    }
    let increments_converge = started.elapsed();
    let increments_bytes = a.traffic().sent() + b.traffic().sent() - before;

    runtime.block_on(b.shutdown());
    runtime.block_on(a.shutdown());
    Ok(AnchorReport {
        compacted_bytes: saved.len() as u64,
        cold_load,
        initial_sync,
        initial_bytes,
        edits,
        back_to_back,
        spaced,
        increments,
        increments_converge,
        increments_bytes,
    })
}
