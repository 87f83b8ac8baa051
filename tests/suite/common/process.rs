//! Running the real `bureau` binary: commands, a serving node, waiting
//! for what `bureau peers` reports.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

pub fn bureau(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("bureau").expect("binary");
    cmd.arg("--data-dir")
        .arg(dir)
        .env("BUREAU_NO_MDNS", "true")
        .env_remove("BUREAU_DATA_DIR");
    cmd
}

/// A new workspace "Acme" with Ana Ruiz as its admin (no recovery kit).
pub fn init(dir: &Path) {
    run(
        dir,
        &[
            "init",
            "--workspace",
            "Acme",
            "--name",
            "Ana Ruiz",
            "--no-recovery-kit",
        ],
    );
}

pub fn run(dir: &Path, args: &[&str]) -> String {
    let out = bureau(dir).args(args).output().expect("run bureau");
    assert!(
        out.status.success(),
        "bureau {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

/// A free UDP port on loopback for the serving node.
pub fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub struct Server {
    pub child: Child,
}

impl Server {
    /// Starts `bureau serve` and waits for its "ready" line.
    pub fn start(dir: &Path, bind: &str) -> (Server, String) {
        let mut child = bureau(dir)
            .args(["--offline", "--bind", bind, "serve"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("ready line");
        (Server { child }, line)
    }

    /// SIGTERM, and a clean exit.
    pub fn stop(mut self) {
        let pid = self.child.id() as i32;
        // The shell's own `kill`: present wherever `sh` is.
        let status = Command::new("sh")
            .args(["-c", &format!("kill -TERM {pid}")])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        assert!(exit.success(), "serve exited with {exit:?} after SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `bureau peers --json` on `dir` until `done` holds (a guard of a
/// minute against a hang; nothing here waits for time to pass).
pub fn wait_for(dir: &Path, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let peers: serde_json::Value =
            serde_json::from_str(&run(dir, &["peers", "--json"])).expect("json");
        if done(&peers) {
            return peers;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never happened: {peers}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

pub fn wait_for_file(path: &Path) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !path.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "{path:?} never appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Runs `bureau` on `dir` with `input` on standard input.
pub fn run_with_input(dir: &Path, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = bureau(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn bureau");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{input}\n").as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("bureau ends")
}

/// Runs a command that must fail; its error, which must be one line.
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let out = bureau(dir).args(args).output().expect("run");
    assert!(!out.status.success(), "bureau {args:?} should fail");
    let err = String::from_utf8(out.stderr).expect("utf8");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    err
}

/// A command's `--json` output.
pub fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run(dir, args)).expect("json")
}

/// A new record's id (a UUID) alone on its one line.
pub fn id(out: &str) -> String {
    let line = out.strip_suffix('\n').unwrap_or(out);
    assert!(!line.contains('\n'), "one line: {out:?}");
    assert_eq!(line.len(), 36, "an id alone: {out:?}");
    assert!(
        line.chars().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        }),
        "a UUID: {line:?}"
    );
    line.to_string()
}

/// This week's leadership report as CSV (what `report weekly --format csv`
/// writes).
pub fn weekly_report_csv(dir: &Path) -> String {
    let out = dir.with_extension("week.csv");
    run(
        dir,
        &[
            "report",
            "weekly",
            "--format",
            "csv",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    std::fs::read_to_string(&out).expect("csv")
}
