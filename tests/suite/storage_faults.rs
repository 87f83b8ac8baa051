//! Storage fault injection: a workload of creates, edits, stock adjustments
//! and deletes runs while one disk operation (write, fsync, rename or
//! delete, including those of samod's compactions) fails, or while the disk
//! stays broken from some operation on. Afterwards the store closes, reopens
//! with a healthy disk, nothing is quarantined, and every edit that was
//! acknowledged (returned `Ok`) is there.
//!
//! Every `BUREAU_FAULT_STRIDE`th operation of the workload (default 5; set
//! 1 to fail every one) is failed once, in a sweep sized by a counting run,
//! plus "broken from here on" cases at four times that stride.
//! `BUREAU_FAULT_FROM=n` replays one "broken from n" case.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use bureau::model::*;
use bureau::store::{FaultOp, FaultPlan, Layout, Store};

const EDITS: usize = 60;
/// Task descriptions this long make samod compact within the workload.
const BODY: usize = 2_000;

/// What the workload was told was saved, and what it merely attempted.
#[derive(Default)]
struct Outcome {
    /// task -> titles in order: (title, acknowledged)
    titles: BTreeMap<String, Vec<(String, bool)>>,
    deleted: Vec<String>,
    adjust_acked: i64,
    adjust_tried: i64,
    failures: usize,
}

fn workload(store: &Store, item: &str, site: &str) -> Outcome {
    let mut out = Outcome::default();
    let mut ids: Vec<String> = Vec::new();
    for i in 0..EDITS {
        match i % 4 {
            0 | 1 => {
                let title = format!("task {i}");
                let result = store.create(Task {
                    id: new_id(),
                    title: title.clone(),
                    description: "x".repeat(BODY),
                    ..Default::default()
                });
                match result {
                    Ok(id) => {
                        out.titles.insert(id.clone(), vec![(title, true)]);
                        ids.push(id);
                    }
                    Err(_) => out.failures += 1,
                }
            }
            2 => {
                let Some(id) = ids.last().cloned() else {
                    continue;
                };
                let title = format!("renamed {i}");
                let ok = store
                    .update::<Task, _>(&id, "rename", |t| {
                        t.title = title.clone();
                        Ok(())
                    })
                    .is_ok();
                out.failures += usize::from(!ok);
                out.titles.entry(id).or_default().push((title, ok));
            }
            _ => {
                out.adjust_tried += 1;
                if store.adjust_stock(item, site, 1, None).is_ok() {
                    out.adjust_acked += 1;
                } else {
                    out.failures += 1;
                }
                if i % 12 == 3
                    && let Some(id) = ids.first().cloned()
                    && store.delete::<Task>(&id).is_ok()
                {
                    out.deleted.push(id);
                }
            }
        }
    }
    out
}

/// A fresh workspace with one item at one site; returns (item, site).
fn prepare(fx: &common::Fixture, dir: &Path) -> (String, String) {
    let store = fx
        .rt
        .block_on(Store::init(dir, "Acme", "Ana", Layout::PerArea, None))
        .expect("init");
    let (item, site) = common::add_paper(&store, 10);
    fx.close(store);
    (item, site)
}

/// Runs the workload under `plan`, then checks the reopened store.
fn run_case(label: &str, plan: FaultPlan) -> (u64, u64) {
    let fx = common::Fixture::new();
    let dir = fast_tempdir();
    let dir = dir.path().join("ws");
    let (item, site) = prepare(&fx, &dir);
    let plan = Arc::new(plan);
    let store = fx
        .rt
        .block_on(Store::open_with_faults(&dir, plan.clone()))
        .unwrap_or_else(|e| panic!("{label}: open with faults: {e}"));
    let outcome = workload(&store, &item, &site);
    fx.close(store);

    let store = fx
        .rt
        .block_on(Store::open(&dir, "check"))
        .unwrap_or_else(|e| panic!("{label}: store no longer opens: {e}"));
    assert!(
        store.quarantined().is_empty(),
        "{label}: a failed write left a damaged chunk: {:?}",
        store.quarantined()
    );
    for (id, titles) in &outcome.titles {
        let Some((last_acked, _)) = titles.iter().rev().find(|(_, ok)| *ok) else {
            continue;
        };
        let task = store
            .get::<Task>(id)
            .unwrap_or_else(|e| panic!("{label}: reading {id}: {e}"))
            .unwrap_or_else(|| panic!("{label}: acknowledged task {id} lost"));
        // The last acknowledged title, or one attempted after it (a failed
        // write stays in memory and may be saved later).
        let position = titles.iter().rposition(|(t, _)| *t == task.title);
        let acked_at = titles.iter().rposition(|(t, _)| t == last_acked);
        assert!(
            position >= acked_at,
            "{label}: task {id} has {:?}, older than the acknowledged {last_acked:?}",
            task.title
        );
        assert_eq!(
            task.description.len(),
            BODY,
            "{label}: body of {id} changed"
        );
    }
    for id in &outcome.deleted {
        let task = store.get::<Task>(id).expect("read").expect("deleted task");
        assert!(
            task.deleted_at.is_some(),
            "{label}: acknowledged delete of {id} lost"
        );
    }
    let on_hand = store.item_stock(&item).expect("stock").on_hand[&site] - 10;
    assert!(
        (outcome.adjust_acked..=outcome.adjust_tried).contains(&on_hand),
        "{label}: stock moved by {on_hand}, acknowledged {} of {} adjustments",
        outcome.adjust_acked,
        outcome.adjust_tried
    );
    fx.close(store);
    (plan.seen(), plan.failed())
}

/// Fault cases write a lot of small files: use RAM when the machine has it
/// so fsync does not dominate the run.
fn fast_tempdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().expect("tempdir")
}

#[test]
fn every_single_failed_disk_operation_keeps_acknowledged_edits() {
    let (total, _) = run_case("counting run", FaultPlan::count_only());
    assert!(
        total > EDITS as u64 * 3,
        "workload did only {total} disk operations"
    );
    // Operation numbers shift a little between runs (samod saves in the
    // background, and a failure changes what follows), so the sweep runs a
    // margin past the counted total and judges each case by its own run: an
    // operation the run reached must have failed, one it never reached
    // cannot have.
    let (mut cases, mut hit) = (0u64, 0u64);
    for n in (1..=total + 10).step_by(stride() as usize) {
        let (seen, failed) = run_case(&format!("fail operation {n}"), FaultPlan::fail_nth(n, None));
        assert_eq!(
            failed > 0,
            seen >= n,
            "fail operation {n}: the run did {seen} operations and failed {failed}"
        );
        cases += 1;
        hit += u64::from(failed > 0);
    }
    assert!(
        hit * stride() > EDITS as u64 * 3,
        "only {hit} of {cases} cases reached their fault"
    );
    eprintln!("{cases} of {total} disk operations failed once each: every acknowledged edit kept");
}

fn stride() -> u64 {
    std::env::var("BUREAU_FAULT_STRIDE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5u64)
        .max(1)
}

#[test]
fn compaction_deletes_and_renames_that_fail_keep_acknowledged_edits() {
    for op in [
        FaultOp::Delete,
        FaultOp::Rename,
        FaultOp::Fsync,
        FaultOp::Write,
    ] {
        let (seen, _) = run_case(&format!("count {op:?}"), FaultPlan::fail_nth(0, Some(op)));
        assert!(seen > 0, "the workload never did a {op:?}");
        for n in [1, 2, seen / 2, seen.saturating_sub(1), seen] {
            let label = format!("fail {op:?} {n} of {seen}");
            run_case(&label, FaultPlan::fail_nth(n.max(1), Some(op)));
        }
    }
}

#[test]
fn a_disk_that_stays_broken_keeps_what_was_acknowledged_before() {
    if let Some(n) = std::env::var("BUREAU_FAULT_FROM")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        run_case(&format!("broken from {n}"), FaultPlan::fail_from(n, None));
        return;
    }
    let (total, _) = run_case("counting run", FaultPlan::count_only());
    for n in (1..=total).step_by(4 * stride() as usize) {
        run_case(&format!("broken from {n}"), FaultPlan::fail_from(n, None));
    }
}
