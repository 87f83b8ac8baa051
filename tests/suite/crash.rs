//! Crash safety: a child process saving edits is killed with SIGKILL at
//! random points (including during samod's compactions); every edit it
//! reported as saved is present after reopening, and the store always opens.
//!
//! The child is this same test binary, re-run with `BUREAU_CRASH_CHILD` set.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use bureau::model::*;
use bureau::store::Store;
use rand::{Rng, SeedableRng};

const CHILD_ENV: &str = "BUREAU_CRASH_CHILD";

/// The child: opens the store and saves edits forever, printing each one's
/// id once `create`/`adjust` has returned (i.e. once it is acknowledged).
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let rt = common::runtime();
    let store = rt
        .block_on(Store::open(std::path::Path::new(&dir), "crash child"))
        .expect("open");
    let site = store.resolve_site("HQ").expect("site");
    let item = store.list::<InventoryItem>(false).expect("items")[0]
        .id
        .clone();
    for i in 0.. {
        let id = store
            .create(Task {
                id: new_id(),
                title: format!("edit {i}"),
                ..Default::default()
            })
            .expect("create");
        println!("task {id}");
        store.adjust_stock(&item, &site, 1, None).expect("adjust");
        println!("adjust");
    }
}

#[test]
fn killed_writer_loses_no_acknowledged_edit() {
    let kills: usize = std::env::var("BUREAU_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seed: u64 = std::env::var("BUREAU_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    eprintln!("crash test: {kills} kills, seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let fx = common::Fixture::new();
    let store = fx.init("a");
    let (item, site) = common::add_paper(&store, 0);
    fx.close(store);

    let exe = std::env::current_exe().expect("test binary");
    let mut acknowledged_tasks: Vec<String> = Vec::new();
    let mut acknowledged_adjusts = 0i64;
    for round in 0..kills {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, fx.path("a"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        // Let it acknowledge a random number of edits, then kill it while it
        // is in the middle of the next one.
        let wanted = rng.random_range(1..30);
        let mut seen = 0;
        while seen < wanted {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(id) = line.strip_prefix("task ") {
                acknowledged_tasks.push(id.to_string());
                seen += 1;
            } else if line == "adjust" {
                acknowledged_adjusts += 1;
                seen += 1;
            }
        }
        child.kill().expect("SIGKILL");
        // Lines already written before the kill were acknowledged too.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("task ") {
                acknowledged_tasks.push(id.to_string());
            } else if line == "adjust" {
                acknowledged_adjusts += 1;
            }
        }
        let _ = child.wait();

        let store = fx.open("a");
        for id in &acknowledged_tasks {
            assert!(
                store.get::<Task>(id).expect("read").is_some(),
                "round {round}: acknowledged task {id} lost"
            );
        }
        let on_hand = store.item_stock(&item).expect("item").on_hand[&site];
        assert!(
            on_hand >= acknowledged_adjusts,
            "round {round}: {on_hand} on hand < {acknowledged_adjusts} acknowledged"
        );
        assert!(
            store.quarantined().is_empty(),
            "round {round}: a kill must never leave a damaged chunk: {:?}",
            store.quarantined()
        );
        fx.close(store);
    }
    // A child that ran no edits (a wrong test name) would prove nothing.
    assert!(
        acknowledged_tasks.len() >= kills,
        "the crash child acknowledged only {} tasks in {kills} rounds",
        acknowledged_tasks.len()
    );
    eprintln!(
        "crash test: {} tasks and {acknowledged_adjusts} adjustments acknowledged, all present",
        acknowledged_tasks.len()
    );
}
