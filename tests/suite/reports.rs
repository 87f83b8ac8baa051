//! The leadership report as leadership reads it: a past month's report
//! carries its spend, budget, blocked work and low stock into CSV,
//! self-contained HTML and a PDF that renders; this week's report counts
//! tasks opened and completed, and a later one lists what is overdue.

use crate::common;

use std::path::Path;

use bureau::model::*;
use bureau::ops::{Op, Session};
use bureau::report::leadership::{self, BudgetRow};
use bureau::report::{Cadence, Format, Span};
use common::Fixture;
use common::budget::{budget_line, day, expense};
use common::purchasing::{apply, create};
use common::tools::{browse, tool};

/// The report's CSV as rows of cells.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect()
}

fn cells(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Every PNG page `pdftoppm` made of `pdf`.
fn render_pages(pdf: &Path, dir: &Path) -> Vec<Vec<u8>> {
    let prefix = dir.join("page");
    let status = std::process::Command::new("/usr/bin/pdftoppm")
        .args(["-png", "-r", "50"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("run pdftoppm");
    assert!(status.success(), "pdftoppm could not render the report");
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "png")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("page"))
        })
        .collect();
    pages.sort();
    pages
        .into_iter()
        .map(|p| std::fs::read(p).expect("png"))
        .collect()
}

#[test]
fn a_past_months_leadership_report_has_its_spend_budget_and_blocked_work_in_every_format() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    create(&store, &mut session, "sites", &[("name", "HQ")]);
    apply(
        &store,
        &mut session,
        Op::CreateItem {
            fields: vec![
                ("name".into(), "Toner".into()),
                ("unit".into(), "cartridge".into()),
                ("reorder_at".into(), "5".into()),
            ],
            site: Some("HQ".into()),
            qty: 2,
        },
    );
    budget_line(
        &store,
        &mut session,
        "Office supplies",
        "2025-11",
        "500.00",
        None,
    );
    budget_line(
        &store,
        &mut session,
        "Office supplies",
        "2025-11",
        "50.00",
        Some("HQ"),
    );
    budget_line(&store, &mut session, "Events", "2025-11", "200.00", None);
    // Another month's line is not November's.
    budget_line(&store, &mut session, "Software", "2025-12", "80.00", None);
    for (amount, category, date, site) in [
        ("42.50", "Office supplies", "2025-11-03", Some("HQ")),
        ("20.00", "Office supplies", "2025-11-18", Some("HQ")),
        ("100.00", "Office supplies", "2025-11-25", None),
        ("30.00", "Software", "2025-11-12", None),
        // October (the month before) and December (after).
        ("15.00", "Office supplies", "2025-10-20", None),
        ("99.00", "Office supplies", "2025-12-02", Some("HQ")),
    ] {
        expense(&store, &mut session, amount, category, date, site);
    }
    let toner = create(
        &store,
        &mut session,
        "tasks",
        &[
            ("title", "Order toner"),
            ("owner", "Ana Ruiz"),
            ("due", "2025-11-10"),
        ],
    );
    session
        .apply(
            &store,
            Op::Edit {
                kind: "tasks".into(),
                id: toner,
                fields: vec![
                    ("status".into(), "blocked".into()),
                    ("blocked_reason".into(), "waiting on vendor quote".into()),
                ],
            },
        )
        .expect("block");
    create(
        &store,
        &mut session,
        "tasks",
        &[("title", "Book the van"), ("due", "2025-11-20")],
    );

    // Made on 3 December 2025 for November.
    let now = Stamp::from_millis(1_764_763_200_000);
    assert_eq!(now.date(), day(2025, 12, 3));
    let span = Span::parse(Cadence::Monthly, Some("2025-11"), now.local_date()).expect("span");
    assert_eq!(
        (span.start, span.end),
        (day(2025, 11, 1), day(2025, 11, 30))
    );
    let report = leadership::build(&store, span, now).expect("report");

    assert_eq!(report.title, "Monthly report: November 2025");
    assert_eq!(report.workspace, "Acme Office");
    assert_eq!(report.currency, "EUR");
    assert_eq!(report.spent, 4_250 + 2_000 + 10_000 + 3_000);
    assert_eq!(report.spent_before, 1_500, "October");
    assert_eq!(
        report.spent_by_category,
        vec![
            ("Office supplies".to_string(), 16_250),
            ("Software".to_string(), 3_000)
        ],
        "largest first"
    );
    // Reported as November stood at its end: the forecast is what was spent.
    let mut lines = report.budget.clone();
    lines.sort_by(|a, b| a.name.cmp(&b.name));
    let row = |name: &str, budget: i64, spent: i64, flag: &'static str| BudgetRow {
        name: name.into(),
        budget,
        spent,
        remaining: budget - spent,
        forecast: spent,
        flag,
    };
    assert_eq!(
        lines,
        vec![
            row("Events · November 2025", 20_000, 0, ""),
            row("Office supplies · November 2025", 50_000, 16_250, ""),
            row(
                "Office supplies · November 2025 · HQ",
                5_000,
                6_250,
                "over budget"
            ),
        ]
    );
    // Tasks are stamped with when they were really entered (after
    // November), so November opened and completed none and nothing entered
    // later is called overdue back then.
    assert_eq!((report.tasks_opened, report.tasks_completed), (0, 0));
    assert!(report.overdue.is_empty(), "{:?}", report.overdue);
    assert_eq!(report.blocked.len(), 1, "{:?}", report.blocked);
    let blocked = &report.blocked[0];
    assert_eq!(
        (
            blocked.title.as_str(),
            blocked.owner.as_str(),
            blocked.due.as_str(),
            blocked.reason.as_str()
        ),
        (
            "Order toner",
            "Ana Ruiz",
            "2025-11-10",
            "waiting on vendor quote"
        )
    );
    assert_eq!(
        report.low_stock.rows,
        vec![cells(&["HQ", "Toner", "2", "5"])]
    );
    assert!(report.open_orders.rows.is_empty());
    assert!(report.to_reconcile.rows.is_empty());
    assert!(report.renewals.rows.is_empty());
    assert!(!report.completeness.is_empty());

    // CSV: the same numbers, as finance opens them.
    let csv = bureau::report::render(&report, Format::Csv).expect("csv");
    let rows = csv_rows(&csv);
    for expected in [
        cells(&["Monthly report: November 2025"]),
        cells(&["Workspace", "Acme Office"]),
        cells(&["How complete", report.completeness.as_str()]),
        cells(&["Tasks opened", "0"]),
        cells(&["Blocked", "1"]),
        cells(&["Spent", "192.50 EUR"]),
        cells(&["Spent 192.50 EUR, 1183.3% more than last month (15.00 EUR)."]),
        cells(&[
            "Office supplies · November 2025 · HQ",
            "50.00 EUR",
            "62.50 EUR",
            "-12.50 EUR",
            "62.50 EUR",
            "over budget",
        ]),
        cells(&[
            "Office supplies · November 2025",
            "500.00 EUR",
            "162.50 EUR",
            "337.50 EUR",
            "162.50 EUR",
            "",
        ]),
        cells(&["Office supplies", "162.50 EUR"]),
        cells(&["Software", "30.00 EUR"]),
        cells(&["HQ", "Toner", "2", "5"]),
    ] {
        assert!(rows.contains(&expected), "{expected:?} in {rows:#?}");
    }
    assert!(
        rows.iter().any(|r| r.len() == 4
            && r[..3] == cells(&["Order toner", "Ana Ruiz", "waiting on vendor quote"])[..]),
        "the blocked task with its reason: {rows:#?}"
    );

    // HTML: one self-contained file, the chart inline.
    let html = String::from_utf8(bureau::report::render(&report, Format::Html).expect("html"))
        .expect("utf8");
    assert!(html.contains("<svg"), "the chart is inline SVG");
    for text in ["192.50 EUR", "over budget", "waiting on vendor quote"] {
        assert!(html.contains(text), "{text:?} in the page");
    }
    // The SVG namespace is a name, never fetched; `url(#…)` points inside
    // the page. Anything else would reach out of the file.
    let outside = html
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("url(#", "");
    for reference in ["http://", "https://", "<script", "<link", "@import", "url("] {
        assert!(
            !outside.contains(reference),
            "the report must not load anything ({reference:?})"
        );
    }

    // PDF: a real document that renders.
    let pdf = bureau::report::render(&report, Format::Pdf).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"), "a PDF file");
    let file = fx.path("report.pdf");
    std::fs::write(&file, &pdf).expect("write pdf");
    if tool("/usr/bin/pdftoppm").is_some() {
        let pages_dir = fx.path("pages");
        std::fs::create_dir_all(&pages_dir).expect("mkdir");
        let pages = render_pages(&file, &pages_dir);
        assert!(!pages.is_empty(), "at least one page");
        assert!(pages[0].starts_with(b"\x89PNG"));
        assert!(
            pages[0].len() > 2_000,
            "the first page has content ({} bytes)",
            pages[0].len()
        );
    }
    if tool("/usr/bin/pdftotext").is_some() {
        let out = std::process::Command::new("/usr/bin/pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .expect("run pdftotext");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for expected in ["Acme", "192.50"] {
            assert!(text.contains(expected), "{expected:?} in the PDF: {text}");
        }
    }
}

#[test]
fn this_weeks_report_counts_tasks_opened_and_completed_and_later_ones_list_overdue_work() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let today = Stamp::now().local_date();
    let tomorrow = today.add_days(1).to_string();
    create(
        &store,
        &mut session,
        "tasks",
        &[("title", "Call the landlord"), ("due", tomorrow.as_str())],
    );
    let filed = create(
        &store,
        &mut session,
        "tasks",
        &[("title", "File receipts"), ("owner", "Ana Ruiz")],
    );
    session
        .apply(&store, Op::set("tasks", &filed, "status", "done"))
        .expect("done");
    create(
        &store,
        &mut session,
        "tasks",
        &[("title", "Plan the party")],
    );

    let now = Stamp::now();
    let span = Span::parse(Cadence::Weekly, None, now.local_date()).expect("span");
    let report = leadership::build(&store, span, now).expect("report");
    assert_eq!(report.title.split(':').next(), Some("Weekly report"));
    assert_eq!((report.tasks_opened, report.tasks_completed), (3, 1));
    assert!(report.overdue.is_empty(), "nothing was due before today");

    // Made three days later, the landlord call is two days overdue.
    let later = Stamp::from_millis(now.millis() + 3 * 86_400_000);
    let span = Span::parse(Cadence::Weekly, None, later.local_date()).expect("span");
    let report = leadership::build(&store, span, later).expect("report");
    let overdue: Vec<(&str, &str, &str)> = report
        .overdue
        .iter()
        .map(|t| (t.title.as_str(), t.due.as_str(), t.age.as_str()))
        .collect();
    assert_eq!(
        overdue,
        vec![("Call the landlord", tomorrow.as_str(), "2 days overdue")]
    );
}

#[test]
fn the_html_report_opens_in_a_headless_browser_without_any_request_outside() {
    let Some(chromium) = tool("/usr/bin/chromium") else {
        return;
    };
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    budget_line(&store, &mut session, "Software", "2025-11", "300", None);
    expense(
        &store,
        &mut session,
        "120.00",
        "Software",
        "2025-11-12",
        None,
    );
    let now = Stamp::from_millis(1_764_763_200_000); // 3 December 2025
    let span = Span::parse(Cadence::Monthly, Some("2025-11"), day(2025, 12, 3)).expect("span");
    let report = leadership::build(&store, span, now).expect("report");
    let page = fx.path("report.html");
    std::fs::write(
        &page,
        bureau::report::render(&report, Format::Html).expect("html"),
    )
    .expect("write");
    let (requests, dom) = browse(chromium, &page, &fx.path("browser"));
    assert!(requests.is_empty(), "the report asked for {requests:?}");
    assert!(
        dom.contains("Monthly report: November 2025"),
        "the page was read"
    );
    assert!(dom.contains("<svg"), "with its chart");

    // The check can fail: a page with one outside image is caught.
    let leaky = fx.path("leaky.html");
    std::fs::write(
        &leaky,
        "<html><body><img src=\"http://127.0.0.1:9/logo.png\"></body></html>",
    )
    .expect("write");
    let (requests, _) = browse(chromium, &leaky, &fx.path("browser2"));
    assert_eq!(requests, vec!["http://127.0.0.1:9/logo.png".to_string()]);
}
