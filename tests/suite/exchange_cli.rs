//! Data exchange as scripts use it: every record kind exported as CSV and
//! imported into an empty workspace gives the same records; a file with a
//! bad row writes nothing (`--dry-run` lists every bad row with its line);
//! the calendar feed reads back with an independent iCalendar parser.

use crate::common;

use common::process::{bureau, init, run};

/// Kinds in an order where each file's references are already there.
const IMPORT_ORDER: &[&str] = &[
    "sites",
    "projects",
    "vendors",
    "items",
    "contracts",
    "purchase_orders",
    "invoices",
    "budget_lines",
    "expenses",
    "rooms",
    "meetings",
    "onboarding_plans",
    "maintenance",
    "assets",
    "tasks",
];

#[test]
fn every_kind_exported_as_csv_imports_into_an_empty_workspace_as_the_same_records() {
    let root = tempfile::tempdir().expect("tempdir");
    let (from, to) = (root.path().join("from"), root.path().join("to"));
    run(&from, &["demo"]);
    run(
        &from,
        &[
            "budget",
            "add",
            "--category",
            "Software",
            "--period",
            "2026-Q4",
            "--amount",
            "900",
        ],
    );
    run(
        &from,
        &[
            "expense",
            "add",
            "--amount",
            "12.40",
            "--category",
            "Travel",
            "--date",
            "2026-11-02",
            "--note",
            "Taxi, \"late\" meeting",
        ],
    );
    init(&to);
    for kind in IMPORT_ORDER {
        let file = root.path().join(format!("{kind}.csv"));
        run(
            &from,
            &[
                "export",
                "--csv",
                kind,
                "--out",
                file.to_str().expect("path"),
            ],
        );
        let exported = std::fs::read_to_string(&file).expect("read");
        assert!(
            exported.lines().count() > 1,
            "{kind}: the demo has some: {exported}"
        );
        run(&to, &["import", kind, file.to_str().expect("path")]);
        assert_eq!(
            run(&from, &["export", "--csv", kind]),
            run(&to, &["export", "--csv", kind]),
            "{kind} differ after the round trip"
        );
    }
    // Every other kind exports with its header row too.
    for kind in [
        "members",
        "movements",
        "receipts",
        "onboarding_templates",
        "docs",
    ] {
        let out = run(&from, &["export", "--csv", kind]);
        assert!(out.starts_with("id,"), "{kind}: {out}");
    }
    let out = bureau(&to)
        .args(["import", "receipts", "/dev/null"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("po receive"));
}

#[test]
fn a_file_with_bad_rows_writes_nothing_and_the_dry_run_lists_every_bad_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    init(dir.path());
    let file = dir.path().join("tasks.csv");
    std::fs::write(
        &file,
        "Title,Status,Due,Tags\n\
         Order toner,todo,2026-12-01,\"printer, urgent\"\n\
         Book the van,someday,2026-12-02,\n\
         Fix the door,todo,31/12/2026,\n\
         ,todo,,\n",
    )
    .expect("write");
    let path = file.to_str().expect("path");
    let dry = bureau(dir.path())
        .args(["import", "tasks", path, "--dry-run"])
        .output()
        .expect("run");
    assert!(!dry.status.success());
    let said = String::from_utf8_lossy(&dry.stderr);
    for line in ["line 3:", "line 4:", "line 5:", "3 of 4 rows are bad"] {
        assert!(said.contains(line), "{line} missing from {said}");
    }
    assert!(!said.contains("line 2:"), "{said}");
    let real = bureau(dir.path())
        .args(["import", "tasks", path])
        .output()
        .expect("run");
    assert!(!real.status.success());
    assert!(String::from_utf8_lossy(&real.stderr).contains("nothing was imported"));
    assert_eq!(run(dir.path(), &["task", "list", "--json"]).trim(), "[]");
    run(dir.path(), &["import", "tasks", path, "--skip-bad"]);
    let tasks: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["task", "list", "--json"])).expect("json");
    let tasks = tasks.as_array().expect("list");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["title"], "Order toner");
    assert_eq!(tasks[0]["tags"], serde_json::json!(["printer", "urgent"]));
    // The same file again: the good row would be a second "Order toner",
    // which tasks allow, but a file with ids already here is refused.
    let again = dir.path().join("again.csv");
    run(
        dir.path(),
        &[
            "export",
            "--csv",
            "tasks",
            "--out",
            again.to_str().expect("path"),
        ],
    );
    let out = bureau(dir.path())
        .args(["import", "tasks", again.to_str().expect("path")])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}

#[test]
fn the_calendar_feed_reads_back_with_an_independent_parser_and_is_stable() {
    let dir = tempfile::tempdir().expect("tempdir");
    init(dir.path());
    run(
        dir.path(),
        &["task", "add", "Renew the lease", "due=2027-01-15"],
    );
    run(
        dir.path(),
        &["task", "add", "Order toner", "due=2027-01-20", "owner=Ana"],
    );
    run(dir.path(), &["task", "add", "No date"]);
    run(dir.path(), &["vendor", "add", "CleanCo"]);
    run(
        dir.path(),
        &[
            "contract",
            "add",
            "--title",
            "Cleaning",
            "--vendor",
            "CleanCo",
            "--start",
            "2026-01-01",
            "--end",
            "2027-12-31",
            "--notice-days",
            "60",
        ],
    );
    let file = dir.path().join("office.ics");
    let path = file.to_str().expect("path");
    run(dir.path(), &["calendar", "--out", path]);
    let first = std::fs::read(&file).expect("feed");
    let reader = std::io::BufReader::new(first.as_slice());
    let calendars: Vec<_> = ical::IcalParser::new(reader)
        .collect::<Result<Vec<_>, _>>()
        .expect("the feed parses");
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let summaries: Vec<String> = events.iter().map(|e| prop(e, "SUMMARY")).collect();
    assert_eq!(events.len(), 3, "{summaries:?}");
    assert!(
        summaries.contains(&"Due: Renew the lease".to_string()),
        "{summaries:?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.starts_with("Last day to give notice: Cleaning"))
    );
    let notice = events
        .iter()
        .find(|e| prop(e, "SUMMARY").starts_with("Last day"))
        .expect("notice");
    assert_eq!(prop(notice, "DTSTART"), "20271101");
    let mut uids: Vec<String> = events.iter().map(|e| prop(e, "UID")).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 3, "every event has its own UID");
    // Written again with nothing changed: the same bytes (no new UIDs or stamps).
    run(dir.path(), &["calendar", "--out", path]);
    assert_eq!(std::fs::read(&file).expect("feed"), first);
}
