//! The budget CLI contract as scripts call it: `budget add` and `expense
//! add` print the new id alone; bad input is refused with one clear line
//! and changes nothing; `budget status --json` gives exact figures; `report`
//! writes the leadership report to a file, and refuses a week that does not
//! exist. Every period here is in the past, so forecasts equal what was
//! spent whatever day the tests run (forecast arithmetic for a running
//! period is in `budget.rs`, against a fixed day).

use crate::common;

use std::path::Path;

use common::process::{fails, id, init, json, run};
use serde_json::Value;

/// A status row's budget, spent, remaining, forecast and flag.
fn figures(row: &Value) -> [&str; 5] {
    ["budget", "spent", "remaining", "forecast", "flag"].map(|k| row[k].as_str().unwrap_or("?"))
}

fn count(dir: &Path, kind: &str) -> usize {
    json(dir, &[kind, "list", "--json"])
        .as_array()
        .expect("list")
        .len()
}

/// The row of `budget status --json` for the line `id`.
fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("line {id} in {rows:#}"))
}

fn has_row(rows: &[Vec<String>], cells: &[&str]) -> bool {
    rows.iter().any(|r| r.as_slice() == cells)
}

/// Lines added by `office`.
struct Lines {
    /// Office supplies, November 2025, every site: 500.00.
    all: String,
    /// Office supplies, November 2025, HQ only: 50.00, owned by Ana.
    hq: String,
    /// Software, Q4 2025: 200.00.
    software: String,
}

/// A workspace with HQ and the Warehouse, Office Depot, three budget lines
/// and November 2025's expenses (with one in October and one in December).
fn office(dir: &Path) -> Lines {
    init(dir);
    run(dir, &["site", "add", "HQ"]);
    run(dir, &["site", "add", "Warehouse"]);
    let vendor = id(&run(dir, &["vendor", "add", "Office Depot"]));
    let all = id(&run(
        dir,
        &[
            "budget",
            "add",
            "--category",
            "Office supplies",
            "--period",
            "2025-11",
            "--amount",
            "500.00",
        ],
    ));
    let hq = id(&run(
        dir,
        &[
            "budget",
            "add",
            "--category",
            "Office supplies",
            "--period",
            "2025-11",
            "--amount",
            "50.00",
            "--site",
            "HQ",
            "--owner",
            "Ana",
        ],
    ));
    let software = id(&run(
        dir,
        &[
            "budget",
            "add",
            "--category",
            "Software",
            "--period",
            "2025-Q4",
            "--amount",
            "200.00",
        ],
    ));
    for (amount, category, date, site) in [
        ("20.00", "Office supplies", "2025-11-18", Some("HQ")),
        ("100.00", "Office supplies", "2025-11-25", Some("Warehouse")),
        ("30.00", "Software", "2025-11-12", None),
        ("80.00", "Software", "2025-10-05", None),
        ("99.00", "Office supplies", "2025-12-02", Some("HQ")),
    ] {
        let mut args = vec![
            "expense",
            "add",
            "--amount",
            amount,
            "--category",
            category,
            "--date",
            date,
        ];
        if let Some(site) = site {
            args.extend(["--site", site]);
        }
        id(&run(dir, &args));
    }
    // One at HQ bought from a known vendor, with a note.
    let paper = id(&run(
        dir,
        &[
            "expense",
            "add",
            "--amount",
            "42.50",
            "--category",
            "Office supplies",
            "--date",
            "2025-11-03",
            "--site",
            "HQ",
            "--vendor",
            "Office Depot",
            "--note",
            "Printer paper",
        ],
    ));
    let expenses = json(dir, &["expense", "list", "--json"]);
    let entered = expenses
        .as_array()
        .expect("expenses")
        .iter()
        .find(|e| e["id"] == paper.as_str())
        .expect("the paper expense");
    assert_eq!(
        entered["vendor"],
        vendor.as_str(),
        "the vendor typed by name, kept as its id"
    );
    assert_eq!(entered["amount"]["minor"], 4_250);
    assert_eq!(entered["amount"]["currency"], "EUR");
    assert_eq!(entered["note"], "Printer paper");
    Lines { all, hq, software }
}

#[test]
fn budget_status_gives_exact_spent_remaining_and_flags_for_a_past_month() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let lines = office(&dir);

    let rows = json(&dir, &["budget", "status", "--period", "2025-11", "--json"]);
    assert_eq!(rows.as_array().expect("rows").len(), 3, "{rows:#}");
    assert_eq!(
        rows[0]["id"],
        lines.software.as_str(),
        "the quarter starts first"
    );
    let all = row(&rows, &lines.all);
    assert_eq!(all["category"], "Office supplies");
    assert_eq!(all["period"], "2025-11");
    assert_eq!(all["site"], Value::Null, "every site");
    assert_eq!(all["owner"], Value::Null);
    assert_eq!(all["currency"], "EUR");
    // 42.50 + 20.00 at HQ and 100.00 at the Warehouse; December's 99.00 is not November's.
    assert_eq!(figures(all), ["500.00", "162.50", "337.50", "162.50", "ok"],);
    let hq = row(&rows, &lines.hq);
    assert_eq!(hq["site"], "HQ", "the site by name");
    assert_eq!(
        hq["owner"], "Ana Ruiz",
        "the member, from a start of the name"
    );
    assert_eq!(
        figures(hq),
        ["50.00", "62.50", "-12.50", "62.50", "over budget"],
    );
    // The quarter counts October's 80.00 and November's 30.00.
    let software = row(&rows, &lines.software);
    assert_eq!(software["period"], "2025-Q4");
    assert_eq!(figures(software)[1..], ["110.00", "90.00", "110.00", "ok"]);

    // December shows only the quarter; no period shows every line.
    let december = json(&dir, &["budget", "status", "--period", "2025-12", "--json"]);
    assert_eq!(december.as_array().expect("rows").len(), 1);
    assert_eq!(december[0]["id"], lines.software.as_str());
    assert_eq!(december[0]["spent"], "110.00");
    let every = json(&dir, &["budget", "status", "--json"]);
    assert_eq!(every.as_array().expect("rows").len(), 3);

    // The threshold changes what a forecast may pass, not what was spent.
    run(&dir, &["budget", "threshold", "25%"]);
    let rows = json(&dir, &["budget", "status", "--period", "2025-11", "--json"]);
    assert_eq!(row(&rows, &lines.hq)["flag"], "over budget");
    assert_eq!(row(&rows, &lines.all)["flag"], "ok");
    let table = run(&dir, &["budget", "status", "--period", "2025-11"]);
    assert!(table.contains("over budget"), "{table}");
}

#[test]
fn bad_budget_and_expense_input_is_refused_in_one_line_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    office(&dir);
    let (lines, expenses) = (count(&dir, "budget"), count(&dir, "expense"));
    assert_eq!((lines, expenses), (3, 6));

    // (what was typed, what the one line of error says)
    let refused: &[(&[&str], &str)] = &[
        (
            &[
                "budget",
                "add",
                "--category",
                "Events",
                "--period",
                "2026-13",
                "--amount",
                "100.00",
            ][..],
            "\"2026-13\" is not a period",
        ),
        (
            &[
                "budget",
                "add",
                "--category",
                "Events",
                "--period",
                "2026-11",
                "--amount=-3",
            ][..],
            "amount: must be 0 or more",
        ),
        (
            &[
                "budget",
                "add",
                "--category",
                "Events",
                "--period",
                "2026-11",
                "--amount",
                "100.00",
                "--owner",
                "Zed",
            ][..],
            "\"Zed\" is not a member",
        ),
        (
            &[
                "expense",
                "add",
                "--amount=-3",
                "--category",
                "Travel",
                "--date",
                "2025-11-03",
            ][..],
            "amount: must be 0 or more",
        ),
        (
            &[
                "expense",
                "add",
                "--amount",
                "0",
                "--category",
                "Travel",
                "--date",
                "2025-11-03",
            ][..],
            "more than 0",
        ),
        (
            &[
                "expense",
                "add",
                "--amount",
                "12.345",
                "--category",
                "Travel",
                "--date",
                "2025-11-03",
            ][..],
            "at most 2 decimals",
        ),
        (
            &[
                "expense",
                "add",
                "--amount",
                "12.00",
                "--category",
                "Travel",
                "--date",
                "2025-02-30",
            ][..],
            "YYYY-MM-DD",
        ),
        (
            &[
                "expense",
                "add",
                "--amount",
                "12.00",
                "--category",
                "Travel",
                "--date",
                "2025-11-03",
                "--site",
                "Lisbon",
            ][..],
            "no site named \"Lisbon\"",
        ),
        (
            &["budget", "status", "--period", "2025-13", "--json"][..],
            "is not a period",
        ),
        (&["budget", "threshold", "lots"][..], "not a percentage"),
    ];
    for (args, says) in refused {
        let err = fails(&dir, args);
        assert!(err.contains(says), "{args:?}: {err}");
    }

    assert_eq!(
        (count(&dir, "budget"), count(&dir, "expense")),
        (lines, expenses),
        "nothing refused was saved"
    );
}

#[test]
fn a_past_months_report_is_written_to_a_file_and_a_week_that_does_not_exist_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    office(&dir);

    let csv_file = tmp.path().join("november.csv");
    run(
        &dir,
        &[
            "report",
            "monthly",
            "--period",
            "2025-11",
            "--format",
            "csv",
            "--out",
            csv_file.to_str().expect("path"),
        ],
    );
    let text = std::fs::read_to_string(&csv_file).expect("the report file");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect();
    assert!(has_row(&rows, &["Monthly report: November 2025"]), "{text}");
    // 42.50 + 20.00 + 100.00 + 30.00.
    assert!(has_row(&rows, &["Spent", "192.50 EUR"]), "{text}");
    assert!(
        has_row(
            &rows,
            &[
                "Office supplies · November 2025 · HQ",
                "50.00 EUR",
                "62.50 EUR",
                "-12.50 EUR",
                "62.50 EUR",
                "over budget"
            ]
        ),
        "{text}"
    );
    // The quarter as it stood on 30 November: 110.00 in 61 of 92 days.
    assert!(
        has_row(
            &rows,
            &[
                "Software · Q4 2025",
                "200.00 EUR",
                "110.00 EUR",
                "90.00 EUR",
                "165.90 EUR",
                ""
            ]
        ),
        "{text}"
    );
    assert!(has_row(&rows, &["Office supplies", "162.50 EUR"]), "{text}");
    assert!(has_row(&rows, &["Software", "30.00 EUR"]), "{text}");

    let html_file = tmp.path().join("november.html");
    run(
        &dir,
        &[
            "report",
            "monthly",
            "--period",
            "2025-11",
            "--format",
            "html",
            "--out",
            html_file.to_str().expect("path"),
        ],
    );
    let html = std::fs::read_to_string(&html_file).expect("the report file");
    assert!(html.contains("<svg") && html.contains("192.50 EUR"));

    let nowhere = tmp.path().join("nowhere.csv");
    let out = nowhere.to_str().expect("path");
    let err = fails(
        &dir,
        &[
            "report", "weekly", "--period", "2026-W99", "--format", "csv", "--out", out,
        ],
    );
    assert!(err.contains("\"2026-W99\" is not a week"), "{err}");
    let err = fails(
        &dir,
        &[
            "report", "monthly", "--period", "2025-Q4", "--format", "csv", "--out", out,
        ],
    );
    assert!(err.contains("is not a month"), "{err}");
    assert!(!nowhere.exists(), "nothing written for a refused period");
}
