//! With no network at all (run inside `../shared/tools/offline.sh`, as CI
//! does): the default configuration (relays and DNS on) starts, syncs
//! nothing, says so in one line and never logs an ERROR for being offline.
//! Ignored in the normal run, which has a network.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

fn bureau(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("bureau").expect("binary");
    cmd.arg("--data-dir")
        .arg(dir)
        .env_remove("BUREAU_DATA_DIR")
        .env_remove("BUREAU_LOG")
        .env_remove("RUST_LOG")
        .env_remove("BUREAU_OFFLINE");
    cmd
}

#[test]
#[ignore = "needs a network namespace without network: ../shared/tools/offline.sh"]
fn without_a_network_sync_says_so_in_one_line_and_logs_no_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("office");
    let out = bureau(&dir)
        .args(["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"])
        .output()
        .expect("init");
    assert!(out.status.success());
    // A peer that is not there (a member's laptop at home).
    let started = std::time::Instant::now();
    let out = bureau(&dir)
        .args(["sync", "--timeout", "3"])
        .output()
        .expect("sync");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("bureau sync --timeout 3 offline returned after {took:?}");
    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("no peer reachable within 3s"), "{stderr}");
    assert!(!stderr.contains("ERROR"), "{stderr}");

    // The app's node and `serve` behave the same: serve, stop, no ERROR.
    let mut serve = bureau(&dir)
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(serve.stdout.take().expect("stdout")),
        &mut ready,
    )
    .expect("ready");
    assert!(ready.starts_with("ready "), "{ready}");
    let stopping = std::time::Instant::now();
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", serve.id())])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = serve.wait_with_output().expect("serve ends");
    eprintln!("bureau serve exited {:?} after SIGTERM", stopping.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("ERROR"), "{stderr}");
}
