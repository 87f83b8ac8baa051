//! The maintenance CLI contract: `maint add` prints the id alone, `maint
//! set --status` moves a request from new to done (closing it), `maint
//! list --past-sla` shows what is past the time its priority allows (an
//! older request imported from a spreadsheet with when it was reported),
//! refusals are one line and save nothing; the report lists open requests.

use crate::common;

use common::process::{fails, id, init, json, run, weekly_report_csv};

#[test]
fn maintenance_requests_as_scripts_use_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    run(&dir, &["site", "add", "HQ"]);
    run(&dir, &["vendor", "add", "FixIt Ltd"]);
    let tap = id(&run(
        &dir,
        &[
            "maint",
            "add",
            "Kitchen tap leaks",
            "--site",
            "HQ",
            "--location",
            "2nd floor kitchen",
            "--category",
            "plumbing",
            "--priority",
            "urgent",
            "--vendor",
            "FixIt Ltd",
        ],
    ));
    let shown = json(&dir, &["maint", "show", &tap, "--json"]);
    let request = &shown["maintenance request"];
    assert_eq!(request["status"], "new");
    assert_eq!(request["reporter"], "Ana Ruiz", "who reported it");
    assert_eq!(request["category"], "plumbing");
    run(
        &dir,
        &[
            "maint",
            "set",
            &tap,
            "--status",
            "scheduled",
            "assignee=ana",
            "cost=85.00",
        ],
    );
    let listed = json(&dir, &["maint", "list", "--json"]);
    assert_eq!(listed[0]["status"], "scheduled");
    assert_eq!(listed[0]["assignee"], "Ana Ruiz");
    assert_eq!(listed[0]["site_name"], "HQ");
    assert_eq!(listed[0]["past_sla"], false, "reported just now");

    // An older request from a spreadsheet, with when it was reported.
    let site = json(&dir, &["site", "list", "--json"])[0]["id"]
        .as_str()
        .expect("site")
        .to_string();
    let csv = tmp.path().join("old.csv");
    std::fs::write(
        &csv,
        format!("title,site,priority,opened_at\nBroken door,{site},high,2026-01-05T09:00:00Z\n"),
    )
    .expect("csv");
    run(
        &dir,
        &["import", "maintenance", csv.to_str().expect("path")],
    );
    let late = json(&dir, &["maint", "list", "--past-sla", "--json"]);
    let late = late.as_array().expect("list");
    assert_eq!(late.len(), 1);
    assert_eq!(late[0]["title"], "Broken door");
    assert_eq!(
        late[0]["due_by"].as_str().map(|d| &d[..10]),
        Some("2026-01-08"),
        "high: 3 days"
    );
    let text = weekly_report_csv(&dir);
    assert!(
        text.contains("Open maintenance") && text.contains("(past SLA)"),
        "{text}"
    );

    // Done closes it: out of the open list, with when.
    run(&dir, &["maint", "set", &tap, "--status", "done"]);
    let open = json(&dir, &["maint", "list", "--json"]);
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    let all = json(&dir, &["maint", "list", "--all", "--json"]);
    let done = all
        .as_array()
        .expect("all")
        .iter()
        .find(|r| r["id"] == tap.as_str())
        .expect("tap");
    assert!(done["closed_at"].is_string());

    // Refusals: one line, nothing saved.
    let before = json(&dir, &["maint", "list", "--all", "--json"])
        .as_array()
        .map_or(0, Vec::len);
    assert!(fails(&dir, &["maint", "add", "X", "--site", "Attic"]).contains("no site named"));
    assert!(
        fails(
            &dir,
            &["maint", "add", "X", "--site", "HQ", "--priority", "asap"]
        )
        .contains("urgent")
    );
    assert!(fails(&dir, &["maint", "set", &tap, "--status", "fixed"]).contains("wont-fix"));
    assert!(fails(&dir, &["maint", "set", &tap]).contains("--status"));
    assert_eq!(
        json(&dir, &["maint", "list", "--all", "--json"])
            .as_array()
            .map_or(0, Vec::len),
        before
    );
}

#[test]
fn equipment_as_scripts_use_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    run(&dir, &["site", "add", "HQ"]);
    let laptop = id(&run(
        &dir,
        &[
            "asset",
            "add",
            "Laptop",
            "--tag",
            "LT-0042",
            "--serial",
            "SN1",
            "--model",
            "T14",
            "--site",
            "HQ",
            "--warranty-end",
            "2027-06-30",
        ],
    ));
    run(&dir, &["asset", "assign", "LT-0042", "--to", "Dana Lee"]);
    let held = json(&dir, &["asset", "list", "--holder", "dana lee", "--json"]);
    assert_eq!(held[0]["id"], laptop.as_str());
    assert_eq!(held[0]["status"], "assigned");
    assert_eq!(held[0]["site_name"], "HQ");
    assert_eq!(held[0]["holder_conflict"].as_array().map(Vec::len), Some(0));
    assert!(
        fails(&dir, &["asset", "assign", "LT-0042", "--to", "Ben"]).contains("return it first")
    );
    assert!(fails(&dir, &["asset", "set", "LT-0042", "holder=Ben"]).contains("assign"));
    assert!(
        fails(&dir, &["asset", "add", "Laptop", "--tag", "lt-0042"]).contains("already exists")
    );
    let dana = id(&run(
        &dir,
        &[
            "offboarding",
            "start",
            "Dana Lee",
            "--last-day",
            "2026-12-18",
        ],
    ));
    assert!(run(&dir, &["plan", "show", &dana]).contains("Dana Lee holds: LT-0042 Laptop"));
    run(&dir, &["asset", "return", "LT-0042"]);
    let shown = run(&dir, &["asset", "show", "LT-0042"]);
    assert!(
        shown.contains("assigned Dana Lee") && shown.contains("returned Dana Lee"),
        "{shown}"
    );
    assert_eq!(
        json(&dir, &["asset", "list", "--holder", "Dana Lee", "--json"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}
