//! The whole CLI flow with real processes on loopback: init, invite, serve,
//! join, edit on both sides, sync, identical exports.

use std::path::PathBuf;
use std::process::Stdio;

use crate::common;
use common::process::{Server, bureau, free_port, run, wait_for, wait_for_file};

#[test]
fn init_invite_serve_join_edit_sync_export() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a: PathBuf = tmp.path().join("office");
    let b: PathBuf = tmp.path().join("laptop");
    let bind = format!("127.0.0.1:{}", free_port());

    run(
        &a,
        &["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"],
    );
    run(&a, &["task", "add", "Order toner", "--due", "2026-12-01"]);
    let ticket = run(
        &a,
        &[
            "--offline",
            "--bind",
            &bind,
            "invite",
            "--role",
            "member",
            "--expires",
            "1h",
        ],
    );
    assert!(
        ticket.starts_with("bureau2") && ticket.trim().lines().count() == 1,
        "ticket alone: {ticket:?}"
    );
    let ticket = ticket.trim().to_string();

    let (server, ready) = Server::start(&a, &bind);
    let words: Vec<&str> = ready.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"ready"), "{ready:?}");
    assert_eq!(
        words.get(1).map(|w| w.len()),
        Some(64),
        "endpoint id: {ready:?}"
    );
    assert!(
        ready.contains(&bind),
        "listens where the ticket says: {ready:?}"
    );

    let joined = run(
        &b,
        &[
            "--offline",
            "--bind",
            "127.0.0.1:0",
            "join",
            &ticket,
            "--name",
            "Ben Ode",
        ],
    );
    assert!(joined.contains("Acme Office"), "{joined}");
    assert!(
        run(&b, &["task", "list"]).contains("Order toner"),
        "initial sync"
    );
    // A used ticket is refused.
    let c = tmp.path().join("other");
    let out = bureau(&c)
        .args([
            "--offline",
            "--bind",
            "127.0.0.1:0",
            "join",
            &ticket,
            "--name",
            "Mallory",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already used"));

    // While A serves, other commands on its data directory go through it.
    let id = run(&a, &["task", "add", "Added while serving"]);
    assert!(uuid::Uuid::parse_str(id.trim()).is_ok(), "{id}");
    let second_ticket = run(&a, &["invite", "--role", "viewer"]);
    assert!(second_ticket.starts_with("bureau2"));
    let out = bureau(&a)
        .args(["--offline", "serve"])
        .output()
        .expect("run");
    assert!(
        !out.status.success(),
        "a second node on the same directory is refused"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by"));

    // Edit on B, sync to the office peer.
    run(&b, &["task", "add", "Book the meeting room"]);
    let synced = run(
        &b,
        &[
            "--offline",
            "--bind",
            "127.0.0.1:0",
            "sync",
            "--timeout",
            "30",
        ],
    );
    assert!(synced.contains("in sync with 1 peer"), "{synced}");
    // The office peer remembers that Ben synced, though he only ran
    // `bureau sync` (connected, synced and left within a second).
    let ben = wait_for(&a, |peers| {
        peers[0]["unseen_changes"] == 0 && peers[0]["last_synced"].is_string()
    });
    assert_eq!(ben[0]["member"], "Ben Ode");
    server.stop();

    // Edit on A while it is stopped, serve again, B syncs.
    run(&a, &["task", "add", "Call the landlord"]);
    let (server, _) = Server::start(&a, &bind);
    run(&b, &["--offline", "--bind", "127.0.0.1:0", "sync"]);
    server.stop();

    let export_a = run(&a, &["export", "--json"]);
    let export_b = run(&b, &["export", "--json"]);
    assert_eq!(export_a, export_b);
    for title in [
        "Order toner",
        "Book the meeting room",
        "Call the landlord",
        "Added while serving",
    ] {
        assert!(export_a.contains(title), "{title} everywhere");
    }
    let peers = run(&b, &["peers", "--json"]);
    let peers: serde_json::Value = serde_json::from_str(&peers).expect("json");
    assert_eq!(peers[0]["member"], "Ana Ruiz");
    assert_eq!(peers[0]["unseen_changes"], 0, "{peers}");

    // With nobody running, sync says so and fails, within its timeout;
    // while it waits, other commands on its data directory go through it.
    let started = std::time::Instant::now();
    let sync = bureau(&b)
        .args([
            "--offline",
            "--bind",
            "127.0.0.1:0",
            "sync",
            "--timeout",
            "4",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sync");
    wait_for_file(&b.join("run").join("control.sock"));
    let id = run(&b, &["task", "add", "Added while syncing"]);
    assert!(uuid::Uuid::parse_str(id.trim()).is_ok(), "{id}");
    let out = sync.wait_with_output().expect("sync ends");
    let took = started.elapsed();
    eprintln!("bureau sync --timeout 4 with nobody reachable returned after {took:?}");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no peer reachable"));
    assert!(run(&b, &["task", "list"]).contains("Added while syncing"));
}

#[test]
fn a_peer_that_quits_or_crashes_is_shown_offline_promptly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a: PathBuf = tmp.path().join("office");
    let b: PathBuf = tmp.path().join("laptop");
    let (bind_a, bind_b) = (
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
    );
    run(
        &a,
        &["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"],
    );
    let ticket = run(&a, &["--offline", "--bind", &bind_a, "invite"]);
    let (_office, _) = Server::start(&a, &bind_a);
    run(
        &b,
        &[
            "--offline",
            "--bind",
            &bind_b,
            "join",
            ticket.trim(),
            "--name",
            "Ben Ode",
        ],
    );
    let online = |peers: &serde_json::Value| peers[0]["online"] == true;
    let offline = |peers: &serde_json::Value| peers[0]["online"] == false;
    // Quits (SIGTERM): it closes its connections, seen at once.
    let (laptop, _) = Server::start(&b, &bind_b);
    wait_for(&a, online);
    let started = std::time::Instant::now();
    laptop.stop();
    wait_for(&a, offline);
    eprintln!(
        "a peer that quit was shown offline after {:?}",
        started.elapsed()
    );
    // Crashes (SIGKILL): noticed when the connection goes silent.
    let (laptop, _) = Server::start(&b, &bind_b);
    wait_for(&a, online);
    let started = std::time::Instant::now();
    drop(laptop);
    wait_for(&a, offline);
    eprintln!(
        "a peer that crashed was shown offline after {:?}",
        started.elapsed()
    );
}

#[test]
fn nodes_killed_mid_sync_restart_and_converge() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let tmp = tempfile::tempdir().expect("tempdir");
    let a: PathBuf = tmp.path().join("office");
    let b: PathBuf = tmp.path().join("laptop");
    let bind = format!("127.0.0.1:{}", free_port());

    // An office with enough data that a sync takes a while.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt
        .block_on(bureau::sync::node::create_workspace(
            &a,
            "Acme Office",
            "Ana",
        ))
        .expect("workspace");
    let today = bureau::model::Date::new(2026, 11, 22).expect("date");
    bureau::bench::fixture::build_office(
        &store,
        bureau::bench::fixture::OfficeSize::LARGE.scaled(0.02),
        3,
        today,
        |_, _| {},
    )
    .expect("fixture");
    rt.block_on(store.close());

    let ticket = run(
        &a,
        &["--offline", "--bind", &bind, "invite", "--expires", "1h"],
    );
    let (server, _) = Server::start(&a, &bind);

    // Kill the joiner at a random moment, then let it finish.
    let mut child = bureau(&b)
        .args([
            "--offline",
            "--bind",
            "127.0.0.1:0",
            "join",
            ticket.trim(),
            "--name",
            "Ben",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("join");
    std::thread::sleep(std::time::Duration::from_millis(rng.random_range(20..400)));
    let _ = child.kill();
    let _ = child.wait();
    if b.join("device.json").exists() {
        run(&b, &["--offline", "--bind", "127.0.0.1:0", "sync"]);
    } else {
        // The same device may finish its interrupted join with the same ticket.
        run(
            &b,
            &[
                "--offline",
                "--bind",
                "127.0.0.1:0",
                "join",
                ticket.trim(),
                "--name",
                "Ben",
            ],
        );
    }

    // Edits on both sides; the office peer is killed (SIGKILL) while B syncs.
    run(&b, &["task", "add", "From the laptop"]);
    let mut sync = bureau(&b)
        .args([
            "--offline",
            "--bind",
            "127.0.0.1:0",
            "sync",
            "--timeout",
            "5",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sync");
    std::thread::sleep(std::time::Duration::from_millis(rng.random_range(0..200)));
    drop(server); // SIGKILL
    let _ = sync.wait();
    run(&a, &["task", "add", "From the office"]);
    let (server, _) = Server::start(&a, &bind);
    run(&b, &["--offline", "--bind", "127.0.0.1:0", "sync"]);
    server.stop();

    let export_a = run(&a, &["export", "--json"]);
    assert_eq!(
        export_a,
        run(&b, &["export", "--json"]),
        "converged after the kills"
    );
    assert!(export_a.contains("From the laptop") && export_a.contains("From the office"));
}
