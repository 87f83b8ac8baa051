//! The CLI contract: every command in the issue, exactly as scripts call it,
//! including the error cases (non-zero exit, one clear line, nothing changed).

use crate::common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

struct Cli {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Cli {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        Cli { _tmp: tmp, dir }
    }

    fn cmd(&self) -> Command {
        self.cmd_in(&self.dir)
    }

    fn cmd_in(&self, dir: &Path) -> Command {
        let mut cmd = Command::cargo_bin("bureau").expect("binary");
        cmd.arg("--data-dir").arg(dir).env_remove("BUREAU_DATA_DIR");
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("utf8")
    }

    /// Runs a command that must fail; returns its stderr and checks that the
    /// workspace export is unchanged.
    fn fails(&self, args: &[&str]) -> String {
        let before = self.ok(&["export", "--json"]);
        let out = self
            .cmd()
            .args(args)
            .assert()
            .failure()
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(out).expect("utf8");
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "one clear line, got: {stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(
            self.ok(&["export", "--json"]),
            before,
            "a failed command changed data: {args:?}"
        );
        stderr
    }

    fn init(&self) {
        self.ok(&["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"]);
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("json output")
    }
}

fn is_id(s: &str) -> bool {
    uuid::Uuid::parse_str(s.trim()).is_ok() && s.ends_with('\n') && s.trim().lines().count() == 1
}

#[test]
fn init_then_status_and_refuses_a_second_init() {
    let cli = Cli::new();
    let out = cli.ok(&["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"]);
    assert!(out.contains("Acme Office"), "{out}");
    let status = cli.ok(&["status"]);
    assert!(status.contains("workspace:  Acme Office"), "{status}");
    assert!(status.contains("member:     Ana Ruiz (admin)"), "{status}");
    assert!(status.contains(&cli.dir.display().to_string()), "{status}");
    assert!(status.contains("storage:"), "{status}");
    assert!(status.contains("members"), "{status}");
    cli.cmd()
        .args(["init", "--workspace", "Other", "--name", "Ben"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn commands_without_a_workspace_say_how_to_make_one() {
    let cli = Cli::new();
    cli.cmd()
        .args(["task", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("bureau init"));
    cli.cmd()
        .args(["init", "--workspace", " ", "--name", "Ana"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("workspace name"));
}

#[test]
fn unwritable_data_dir_is_reported() {
    let cli = Cli::new();
    let file = cli._tmp.path().join("a-file");
    std::fs::write(&file, "x").expect("file");
    cli.cmd_in(&file.join("sub"))
        .args(["init", "--workspace", "Acme", "--name", "Ana"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot create data directory"));
}

#[test]
fn data_dir_from_the_environment() {
    let cli = Cli::new();
    let mut cmd = Command::cargo_bin("bureau").expect("binary");
    // Switches set from the environment take the usual spellings (a script
    // exporting BUREAU_OFFLINE=1 must not get a usage error).
    cmd.env("BUREAU_DATA_DIR", &cli.dir)
        .env("BUREAU_OFFLINE", "1")
        .env("BUREAU_NO_MDNS", "yes")
        .args(["init", "--workspace", "Env Office", "--name", "Ana"])
        .assert()
        .success();
    assert!(cli.ok(&["status"]).contains("Env Office"));
}

#[test]
fn task_lifecycle() {
    let cli = Cli::new();
    cli.init();
    let out = cli.ok(&[
        "task",
        "add",
        "Order toner",
        "--owner",
        "ana",
        "--due",
        "2000-12-01",
        "--priority",
        "high",
        "--project",
        "Supplies",
    ]);
    assert!(is_id(&out), "task add prints the id alone: {out:?}");
    let toner = out.trim().to_string();
    let future = cli
        .ok(&["task", "add", "Plan party", "--due", "2999-01-01"])
        .trim()
        .to_string();
    cli.ok(&["task", "add", "No due date"]);

    let tasks = cli.json(&["task", "list", "--json"]);
    assert_eq!(tasks.as_array().map(Vec::len), Some(3));
    let t = tasks
        .as_array()
        .expect("array")
        .iter()
        .find(|t| t["id"] == toner.as_str())
        .expect("toner");
    assert_eq!(t["owner"], "Ana Ruiz", "\"ana\" is the member Ana Ruiz");
    assert_eq!(t["due"], "2000-12-01");
    assert_eq!(t["priority"], "high");
    assert!(t["project"].is_string());

    let overdue = cli.json(&["task", "list", "--json", "--overdue"]);
    let overdue_ids: Vec<&str> = overdue
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(overdue_ids, vec![toner.as_str()]);
    let by_owner = cli.json(&["task", "list", "--json", "--owner", "ana ruiz"]);
    assert_eq!(by_owner.as_array().map(Vec::len), Some(1));

    let err = cli.fails(&["task", "set", &toner, "--status", "blocked"]);
    assert!(err.contains("--reason"), "{err}");
    cli.ok(&[
        "task",
        "set",
        &toner,
        "--status",
        "blocked",
        "--reason",
        "waiting on vendor quote",
    ]);
    let blocked = cli.json(&["task", "list", "--json", "--blocked"]);
    assert_eq!(blocked[0]["id"], toner.as_str());
    assert_eq!(blocked[0]["blocked_reason"], "waiting on vendor quote");
    let plain = cli.ok(&["task", "list", "--blocked"]);
    assert!(
        plain.contains("waiting on vendor quote") && plain.contains("Order toner"),
        "{plain}"
    );

    cli.ok(&[
        "task",
        "set",
        &future,
        "--title",
        "Plan winter party",
        "--status",
        "in-progress",
        "--due",
        "2999-02-01",
        "--owner",
        "Ana Ruiz",
    ]);
    let t = cli.json(&["task", "show", &future, "--json"]);
    assert_eq!(t["task"]["title"], "Plan winter party");
    assert_eq!(t["task"]["status"], "in-progress");
    assert_eq!(t["task"]["due"], "2999-02-01");
    assert_eq!(t["task"]["owner"], "Ana Ruiz");
    // Owners are members: a name that is no member's is refused, saying who is.
    let err = cli.fails(&["task", "set", &future, "--owner", "Ben"]);
    assert!(err.contains("not a member (members: Ana Ruiz)"), "{err}");

    cli.ok(&["task", "done", &toner]);
    let open = cli.json(&["task", "list", "--json"]);
    assert!(
        open.as_array()
            .expect("array")
            .iter()
            .all(|t| t["id"] != toner.as_str()),
        "done tasks leave the open list"
    );
    let all = cli.json(&["task", "list", "--json", "--all"]);
    let done = all
        .as_array()
        .expect("array")
        .iter()
        .find(|t| t["id"] == toner.as_str())
        .expect("still listed with --all");
    assert_eq!(done["status"], "done");
    assert!(
        done["blocked_reason"].is_null(),
        "unblocking clears the reason"
    );

    // A unique id prefix works too.
    cli.ok(&["task", "set", &future[..13], "--priority", "low"]);
}

#[test]
fn task_errors_are_one_line_and_change_nothing() {
    let cli = Cli::new();
    cli.init();
    let id = cli.ok(&["task", "add", "Order toner"]).trim().to_string();
    assert!(
        cli.fails(&["task", "add", "x", "--due", "2026-13-01"])
            .contains("YYYY-MM-DD")
    );
    assert!(cli.fails(&["task", "add", "  "]).contains("title"));
    assert!(
        cli.fails(&["task", "add", "x", "--priority", "whenever"])
            .contains("priority")
    );
    assert!(
        cli.fails(&["task", "set", "no-such-task", "--title", "x"])
            .contains("no task")
    );
    assert!(cli.fails(&["task", "done", "0000"]).contains("no task"));
    assert!(
        cli.fails(&["task", "set", &id, "--status", "sleeping"])
            .contains("todo")
    );
    assert!(
        cli.fails(&["task", "set", &id, "--due", "someday"])
            .contains("YYYY-MM-DD")
    );
    assert!(
        cli.fails(&["task", "set", &id, "--reason", "why"])
            .contains("blocked")
    );
}

#[test]
fn items_and_stock() {
    let cli = Cli::new();
    cli.init();
    let out = cli.ok(&[
        "item",
        "add",
        "Printer paper A4",
        "--unit",
        "box",
        "--reorder-at",
        "10",
        "--site",
        "HQ",
        "--qty",
        "25",
    ]);
    assert!(is_id(&out), "item add prints the id alone: {out:?}");
    let paper = out.trim().to_string();
    let toner = cli
        .ok(&[
            "item",
            "add",
            "Toner",
            "--unit",
            "each",
            "--reorder-at",
            "2",
        ])
        .trim()
        .to_string();
    assert!(is_id(&format!("{toner}\n")));

    cli.ok(&[
        "stock",
        "adjust",
        &paper,
        "--site",
        "HQ",
        "--by",
        "-3",
        "--reason",
        "used for flyers",
    ]);
    let items = cli.json(&["item", "list", "--json"]);
    let p = items
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["id"] == paper.as_str())
        .expect("paper");
    assert_eq!(p["on_hand_by_site"]["HQ"], 22);
    assert_eq!(
        cli.json(&["item", "list", "--json", "--low"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    cli.ok(&["stock", "count", &paper, "--site", "hq", "--counted", "7"]);
    let low = cli.json(&["item", "list", "--json", "--low"]);
    assert_eq!(low.as_array().map(Vec::len), Some(1));
    assert_eq!(low[0]["on_hand_by_site"]["HQ"], 7);
    assert_eq!(low[0]["low_at"][0], "HQ");
    let plain = cli.ok(&["item", "list"]);
    assert!(
        plain.contains("HQ: 7") && plain.contains("LOW at HQ"),
        "{plain}"
    );

    let history = cli.ok(&["item", "show", &paper]);
    assert!(
        history.contains("used for flyers") && history.contains("counted 7"),
        "{history}"
    );

    // Errors: unknown site, item, bad numbers; none of them change anything.
    assert!(
        cli.fails(&["stock", "adjust", &paper, "--site", "Mars", "--by", "1"])
            .contains("no site named \"Mars\"")
    );
    assert!(
        cli.fails(&[
            "stock",
            "adjust",
            "no-such-item",
            "--site",
            "HQ",
            "--by",
            "1"
        ])
        .contains("no item")
    );
    assert!(
        cli.fails(&["stock", "adjust", &paper, "--site", "HQ", "--by", "0"])
            .contains("--by")
    );
    assert!(
        cli.fails(&["stock", "count", &paper, "--site", "HQ", "--counted", "-1"])
            .contains("--counted")
    );
    assert!(
        cli.fails(&["item", "add", "Pens", "--unit", "box", "--reorder-at", "-1"])
            .contains("reorder")
    );
    assert!(
        cli.fails(&[
            "item",
            "add",
            "Pens",
            "--unit",
            "box",
            "--reorder-at",
            "1",
            "--site",
            "Annex",
            "--qty",
            "-5"
        ])
        .contains("--qty")
    );
    assert!(cli.ok(&["export", "--json"]).contains("\"name\": \"HQ\""));
    assert!(
        !cli.ok(&["export", "--json"]).contains("Annex"),
        "a failed item add created no site"
    );
}

#[test]
fn export_is_sorted_complete_and_identical_on_two_devices() {
    let cli = Cli::new();
    cli.init();
    cli.ok(&["task", "add", "Order toner", "--due", "2026-12-01"]);
    cli.ok(&[
        "item",
        "add",
        "Paper",
        "--unit",
        "box",
        "--reorder-at",
        "3",
        "--site",
        "HQ",
        "--qty",
        "5",
    ]);
    let text = cli.ok(&["export", "--json"]);
    let json: Value = serde_json::from_str(&text).expect("json");
    for key in [
        "workspace",
        "members",
        "sites",
        "tasks",
        "items",
        "movements",
        "vendors",
        "contracts",
        "purchase_orders",
        "invoices",
        "budget_lines",
        "expenses",
        "meetings",
        "onboarding_plans",
        "docs",
        "maintenance",
    ] {
        assert!(json.get(key).is_some(), "export has {key}");
    }
    assert!(
        !text.contains("root_doc") && !text.contains("bureau.lock"),
        "no device-local state"
    );
    // Keys are sorted at every level.
    fn sorted(v: &Value) -> bool {
        match v {
            Value::Object(m) => {
                let keys: Vec<&String> = m.keys().collect();
                keys.windows(2).all(|w| w[0] <= w[1]) && m.values().all(sorted)
            }
            Value::Array(a) => a.iter().all(sorted),
            _ => true,
        }
    }
    assert!(sorted(&json));

    // A second device holding the same changes prints the same bytes.
    let copy = cli._tmp.path().join("copy");
    common::copy_dir(&cli.dir, &copy);
    let out = cli
        .cmd_in(&copy)
        .args(["export", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).expect("utf8"), text);

    let file = cli._tmp.path().join("export.json");
    cli.ok(&["export", "--json", "--out", file.to_str().expect("path")]);
    assert_eq!(std::fs::read_to_string(&file).expect("file"), text);
}

#[test]
fn a_second_process_is_refused_with_the_holder_named() {
    let cli = Cli::new();
    cli.init();
    let rt = common::runtime();
    let holder = rt
        .block_on(bureau::store::Store::open(&cli.dir, "bureau serve"))
        .expect("open");
    cli.cmd()
        .args(["task", "add", "x"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("in use by bureau (pid")
                .and(predicate::str::contains("bureau serve")),
        );
    rt.block_on(holder.close());
    cli.ok(&["task", "add", "x"]);
}

#[test]
fn one_operations_layer_behind_every_command() {
    let cli = Cli::new();
    cli.init();
    let id = cli
        .ok(&["task", "add", "Book the van", "--due", "2026-12-01"])
        .trim()
        .to_string();
    // Creating a project and blocking without a reason: nothing changes.
    let err = cli.fails(&[
        "task",
        "set",
        &id,
        "--project",
        "Move office",
        "--status",
        "blocked",
    ]);
    assert!(err.contains("--reason"), "{err}");
    assert!(
        cli.json(&["project", "list", "--json"])
            .as_array()
            .is_some_and(Vec::is_empty)
    );

    // Any described field, as KEY=VALUE; unknown keys are refused.
    cli.ok(&[
        "task",
        "set",
        &id,
        "tags=vans, logistics",
        "escalate_to=ana",
    ]);
    let shown = cli.json(&["task", "show", &id, "--json"]);
    assert_eq!(
        shown["task"]["tags"],
        serde_json::json!(["vans", "logistics"])
    );
    assert!(
        cli.fails(&["task", "set", &id, "colour=red"])
            .contains("no field")
    );

    // Undo reverts this device's last change, then says there is nothing more.
    cli.ok(&["task", "set", &id, "--title", "Book the big van"]);
    cli.cmd()
        .args(["undo"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Undid"));
    assert_eq!(
        cli.json(&["task", "show", &id, "--json"])["task"]["title"],
        "Book the van"
    );

    // Generic record commands for projects and sites.
    let p = cli
        .ok(&["project", "add", "name=Move office", "due=2027-01-15"])
        .trim()
        .to_string();
    cli.ok(&["project", "set", &p, "owner=Ana Ruiz"]);
    let projects = cli.json(&["project", "list", "--json"]);
    assert_eq!(projects[0]["owner"], "Ana Ruiz");
    assert_eq!(projects[0]["due"], "2027-01-15");

    // Stock moves between sites in one step.
    let paper = cli
        .ok(&[
            "item",
            "add",
            "Paper",
            "--unit",
            "box",
            "--reorder-at",
            "2",
            "--site",
            "HQ",
            "--qty",
            "10",
        ])
        .trim()
        .to_string();
    cli.ok(&["site", "add", "name=Annex"]);
    cli.ok(&[
        "stock", "transfer", &paper, "--from", "HQ", "--to", "Annex", "--qty", "4",
    ]);
    let items = cli.json(&["item", "list", "--json"]);
    assert_eq!(items[0]["on_hand_by_site"]["HQ"], 6);
    assert_eq!(items[0]["on_hand_by_site"]["Annex"], 4);
    assert!(
        cli.fails(&[
            "stock", "transfer", &paper, "--from", "HQ", "--to", "HQ", "--qty", "1"
        ])
        .contains("different site")
    );
}

#[test]
fn sites_and_projects_by_name_and_the_trash() {
    let cli = Cli::new();
    cli.init();
    let hq = cli.ok(&["site", "add", "HQ"]).trim().to_string();
    // Names are unique ignoring case and surrounding spaces.
    assert!(
        cli.fails(&["site", "add", " hq "])
            .contains("already exists")
    );
    cli.ok(&["site", "add", "Annex"]);
    cli.ok(&["site", "rename", "annex", "Storeroom"]);
    let sites = cli.json(&["site", "list", "--json"]);
    let names: Vec<&str> = sites
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, vec!["HQ", "Storeroom"]);
    assert!(
        cli.fails(&["site", "rename", "Storeroom", "hq"])
            .contains("already exists")
    );

    cli.ok(&["project", "add", "Office move", "due=2027-01-15"]);
    cli.ok(&["project", "archive", "office move"]);
    assert_eq!(
        cli.json(&["project", "list", "--json"])[0]["archived"],
        true
    );

    // Deleting moves to the Trash, with who and when; restore brings it back.
    let t = cli.ok(&["task", "add", "Order chairs"]).trim().to_string();
    cli.ok(&["task", "delete", &t]);
    cli.ok(&["site", "delete", &hq]);
    let trash = cli.json(&["trash", "--json"]);
    let entries = trash.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["deleted_by"] == "Ana Ruiz"));
    assert!(
        entries
            .iter()
            .any(|e| e["name"] == "Order chairs" && e["label"] == "task")
    );
    cli.ok(&["task", "restore", &t]);
    cli.ok(&["site", "restore", "HQ"]);
    assert!(cli.ok(&["trash"]).is_empty());
}
