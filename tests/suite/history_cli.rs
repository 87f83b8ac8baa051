//! The CLI contract for history, conflicts, trash, reminders and rules, run
//! as a script would: `bureau history ID [--json]`, `restore-version ID
//! --at`, `conflicts [--json]`, `resolve ID FIELD --pick VALUE`, `trash
//! [--json]`, `reminders [--json]`, `rule add|list|delete|log`.

use crate::common;
use common::process::{fails, id, init, json, run};

#[test]
fn history_restore_version_and_a_clear_refusal_before_the_record_existed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("a");
    init(&d);
    let t = id(&run(&d, &["task", "add", "Book the van"]));
    run(&d, &["task", "set", &t, "--status", "in-progress"]);
    let history = json(&d, &["history", &t[..30], "--json"]);
    assert_eq!(history["kind"], "tasks");
    let changes = history["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2, "{history:#}");
    assert_eq!(changes[0]["created"], true);
    assert_eq!(changes[1]["by"], "Ana Ruiz");
    assert_eq!(changes[1]["keys"], serde_json::json!(["status"]));
    assert_eq!(changes[1]["device"].as_str().map(str::len), Some(64));
    let table = run(&d, &["history", &t]);
    assert!(table.contains("changed status"), "{table}");
    let err = fails(&d, &["restore-version", &t, "--at", "2020-01-01 09:00"]);
    assert!(err.contains("did not exist yet"), "{err}");
    let err = fails(&d, &["restore-version", &t, "--at", "last tuesdayish"]);
    assert!(err.contains("2026-11-24 14:00"), "says what to type: {err}");
    let err = fails(&d, &["history", "nope"]);
    assert!(err.contains("no record"), "{err}");
}

#[test]
fn conflicts_resolve_and_trash_speak_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("a");
    init(&d);
    let t = id(&run(&d, &["task", "add", "Water the plants"]));
    assert_eq!(json(&d, &["conflicts", "--json"]), serde_json::json!([]));
    let err = fails(&d, &["resolve", &t, "title", "--pick", "x"]);
    assert!(err.contains("holds one value"), "{err}");
    run(&d, &["task", "delete", &t]);
    let trash = json(&d, &["trash", "--json"]);
    assert_eq!(trash[0]["kind"], "tasks");
    assert_eq!(trash[0]["deleted_by"], "Ana Ruiz");
}

#[test]
fn a_rule_added_by_script_fires_once_and_its_reminder_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().join("a");
    init(&d);
    let t = id(&run(
        &d,
        &[
            "task",
            "add",
            "Renew the lease",
            "--due",
            "2020-03-02",
            "--owner",
            "Ana",
        ],
    ));
    let rule = id(&run(
        &d,
        &[
            "rule",
            "add",
            "--when",
            "task overdue 3d",
            "--then",
            "escalate Ana Ruiz",
        ],
    ));
    let rules = json(&d, &["rule", "list", "--json"]);
    assert_eq!(rules[0]["id"], rule.as_str());
    assert_eq!(rules[0]["when"], "task overdue 3d");
    let fired = run(&d, &["rule", "run"]);
    assert!(fired.contains("escalated to Ana Ruiz"), "{fired}");
    assert!(run(&d, &["rule", "run"]).is_empty(), "fires once");
    let log = json(&d, &["rule", "log", "--json"]);
    assert_eq!(log.as_array().map(Vec::len), Some(1));
    assert_eq!(log[0]["record"], t.as_str());
    assert_eq!(log[0]["period"], "2020-03-02");
    let reminders = json(&d, &["reminders", "--json"]);
    let keys: Vec<&str> = reminders
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["key"].as_str())
        .collect();
    assert!(keys.iter().any(|k| k.starts_with("rule:")), "{keys:?}");
    let due = keys
        .iter()
        .find(|k| k.starts_with("task-due:"))
        .expect("the task's own reminder");
    run(&d, &["reminders", "read", due]);
    let after = json(&d, &["reminders", "--json"]);
    let entry = after
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["key"] == *due)
        .expect("still listed");
    assert_eq!(entry["unread"], false);
    let err = fails(
        &d,
        &["rule", "add", "--when", "task late", "--then", "notify"],
    );
    assert!(err.contains("task overdue 3d"), "{err}");
    run(&d, &["rule", "delete", &rule]);
    assert_eq!(json(&d, &["rule", "list", "--json"]), serde_json::json!([]));
}
