//! Budget and spend as offices live them: expenses entered offline at two
//! sites add up exactly on both after merging (each is a record, never a
//! shared running total); an invoice approved on two offline devices is
//! spent once, and stops counting when disputed; a budget line's spent,
//! remaining and forecast follow the pace so far and the workspace
//! threshold; the leadership report for a past month carries the same
//! numbers into CSV, self-contained HTML and a PDF that renders. Everything
//! here runs against fixed days, never the wall clock, except where the
//! value checked does not depend on the date. The CLI contract is in
//! `budget_cli.rs`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use bureau::model::spend::{self, Flag, LineStatus, Source};
use bureau::model::*;
use bureau::ops::{Decision, Op, Session};
use bureau::report::leadership::{self, BudgetRow};
use bureau::report::{Cadence, Format, Span};
use bureau::store::Store;
use common::Fixture;
use common::purchasing::{apply, create, invoice, merge, receive, two_sites};

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).expect("date")
}

/// Adds a budget line as typed; its id.
fn budget_line(
    store: &Store,
    session: &mut Session,
    category: &str,
    period: &str,
    amount: &str,
    site: Option<&str>,
) -> String {
    let mut fields = vec![
        ("category", category),
        ("period", period),
        ("amount", amount),
    ];
    if let Some(site) = site {
        fields.push(("site", site));
    }
    create(store, session, "budget_lines", &fields)
}

/// Adds an expense as typed (the site by name); its id.
fn expense(
    store: &Store,
    session: &mut Session,
    amount: &str,
    category: &str,
    date: &str,
    site: Option<&str>,
) -> String {
    let mut fields = vec![("amount", amount), ("category", category), ("date", date)];
    if let Some(site) = site {
        fields.push(("site", site));
    }
    create(store, session, "expenses", &fields)
}

/// Every budget line's status on `today` (only lines overlapping `period`
/// when given), by line id.
fn status_by_line(
    store: &Store,
    period: Option<Period>,
    today: Date,
) -> BTreeMap<String, LineStatus> {
    let budget = store.budget(false).expect("budget");
    let ledger = store.spend_ledger().expect("ledger");
    spend::statuses(
        &budget.lines.records,
        &ledger,
        period,
        today,
        budget.threshold_bp,
    )
    .into_iter()
    .map(|(line, status)| (line.id.clone(), status))
    .collect()
}

/// (budget, spent, remaining, forecast, flag), in minor units.
fn figures(status: &LineStatus) -> (i64, i64, i64, i64, Flag) {
    (
        status.budget,
        status.spent,
        status.remaining,
        status.forecast,
        status.flag,
    )
}

fn site_id(store: &Store, name: &str) -> String {
    store
        .list::<Site>(false)
        .expect("sites")
        .into_iter()
        .find(|s| s.name == name)
        .expect("site")
        .id
}

fn expense_ids(ledger: &[spend::Spend]) -> BTreeSet<String> {
    ledger
        .iter()
        .map(|s| match &s.source {
            Source::Expense(id) => id.clone(),
            other => panic!("only expenses were entered: {other:?}"),
        })
        .collect()
}

fn decide(store: &Store, session: &mut Session, invoice: &str, decision: Decision) {
    session
        .apply(
            store,
            Op::DecideInvoice {
                invoice: invoice.to_string(),
                decision,
            },
        )
        .expect("decision");
}

fn approve() -> Decision {
    Decision::Approve { note: None }
}

#[test]
fn expenses_entered_offline_at_two_sites_add_up_exactly_on_both_after_merging() {
    let fx = Fixture::new();
    let (hq, mut at_hq, wh, mut at_wh, office) = two_sites(&fx);
    let hq_site = site_id(&hq, "HQ");
    let all = budget_line(
        &hq,
        &mut at_hq,
        "Office supplies",
        "2025-11",
        "500.00",
        None,
    );
    let hq_only = budget_line(
        &hq,
        &mut at_hq,
        "Office supplies",
        "2025-11",
        "100.00",
        Some("HQ"),
    );

    // Both sites spend while offline; the same 12.00 on the same day at
    // both sites is two purchases, and both count.
    let mut entered = BTreeSet::new();
    for (amount, date) in [
        ("42.50", "2025-11-03"),
        ("17.25", "2025-11-20"),
        ("12.00", "2025-11-10"),
    ] {
        entered.insert(expense(
            &hq,
            &mut at_hq,
            amount,
            "Office supplies",
            date,
            Some("HQ"),
        ));
    }
    for (amount, category, date) in [
        ("12.00", "Office supplies", "2025-11-10"),
        ("60.00", "Office supplies", "2025-11-05"),
        // Categories match in any case.
        ("35.10", "office supplies", "2025-11-28"),
        // December: not November's spend.
        ("99.99", "Office supplies", "2025-12-01"),
    ] {
        entered.insert(expense(
            &wh,
            &mut at_wh,
            amount,
            category,
            date,
            Some("Warehouse"),
        ));
    }
    assert_eq!(entered.len(), 7, "every expense is its own record");
    assert_eq!(hq.spend_ledger().expect("ledger").len(), 3, "HQ alone");
    assert_eq!(
        wh.spend_ledger().expect("ledger").len(),
        4,
        "Warehouse alone"
    );

    merge(&hq, &wh);
    let november = Period::Month(2025, 11);
    for store in [&hq, &wh] {
        let ledger = store.spend_ledger().expect("ledger");
        assert_eq!(expense_ids(&ledger), entered, "every expense, once");
        assert_eq!(
            store.budget(false).expect("budget").expenses.records.len(),
            7
        );
        assert_eq!(
            spend::total_in(&ledger, november),
            4_250 + 1_725 + 1_200 + 1_200 + 6_000 + 3_510
        );
        let at = |site: &str| {
            ledger
                .iter()
                .filter(|s| s.site.as_deref() == Some(site))
                .count()
        };
        assert_eq!(
            (at(hq_site.as_str()), at(office.warehouse.as_str())),
            (3, 4),
            "each expense at its own site"
        );

        // After November the forecast is what was spent.
        let status = status_by_line(store, Some(november), day(2025, 12, 15));
        assert_eq!(status.len(), 2);
        assert_eq!(
            figures(&status[&all]),
            (50_000, 17_885, 32_115, 17_885, Flag::Ok)
        );
        assert_eq!(
            figures(&status[&hq_only]),
            (10_000, 7_175, 2_825, 7_175, Flag::Ok),
            "a site's line counts only that site's spend"
        );
    }
}

#[test]
fn an_invoice_approved_on_two_offline_devices_is_spent_once_and_not_while_disputed() {
    let fx = Fixture::new();
    let (hq, mut at_hq, wh, mut at_wh, office) = two_sites(&fx);
    // The Warehouse receives the whole order; HQ enters the matching
    // invoice (39.50, dated 2026-11-20) and files the vendor under Office
    // supplies.
    receive(&wh, &mut at_wh, &office, Vec::new());
    let inv = invoice(&hq, &mut at_hq, &office, "INV-77", 10, "3.95");
    at_hq
        .apply(
            &hq,
            Op::set("vendors", &office.vendor, "category", "Office supplies"),
        )
        .expect("vendor category");
    let line = budget_line(
        &hq,
        &mut at_hq,
        "Office supplies",
        "2026-11",
        "100.00",
        None,
    );
    let warehouse_line = budget_line(
        &hq,
        &mut at_hq,
        "Office supplies",
        "2026-11",
        "30.00",
        Some("Warehouse"),
    );
    merge(&hq, &wh);
    for store in [&hq, &wh] {
        assert!(
            store.spend_ledger().expect("ledger").is_empty(),
            "an invoice only received is not spend yet"
        );
    }

    // Both approve it before hearing from each other.
    decide(&hq, &mut at_hq, &inv, approve());
    decide(&wh, &mut at_wh, &inv, approve());
    merge(&hq, &wh);
    let after_november = day(2026, 12, 1);
    for store in [&hq, &wh] {
        assert_eq!(
            store.require::<Invoice>(&inv).expect("invoice").status,
            InvoiceStatus::Approved
        );
        let ledger = store.spend_ledger().expect("ledger");
        assert_eq!(ledger.len(), 1, "the invoice once: {ledger:?}");
        let spent = &ledger[0];
        assert_eq!(spent.source, Source::Invoice(inv.clone()));
        assert_eq!(spent.amount, Money::new(3_950, "EUR"));
        assert_eq!(spent.category, "Office supplies", "the vendor's category");
        assert_eq!(
            spent.site.as_deref(),
            Some(office.warehouse.as_str()),
            "the order's ship-to site"
        );
        assert_eq!(spent.date, day(2026, 11, 20));
        let status = status_by_line(store, None, after_november);
        assert_eq!(
            figures(&status[&line]),
            (10_000, 3_950, 6_050, 3_950, Flag::Ok)
        );
        assert_eq!(
            figures(&status[&warehouse_line]),
            (3_000, 3_950, -950, 3_950, Flag::Over)
        );
    }
    let err = at_hq
        .apply(
            &hq,
            Op::DecideInvoice {
                invoice: inv.clone(),
                decision: approve(),
            },
        )
        .expect_err("approved already");
    assert!(err.to_string().contains("already approved"), "{err}");

    // Disputed at the Warehouse: it stops counting, on both.
    decide(&wh, &mut at_wh, &inv, Decision::Dispute);
    merge(&hq, &wh);
    for store in [&hq, &wh] {
        assert!(store.spend_ledger().expect("ledger").is_empty());
        let status = status_by_line(store, None, after_november);
        assert_eq!(figures(&status[&line]), (10_000, 0, 10_000, 0, Flag::Ok));
        assert_eq!(status[&warehouse_line].spent, 0);
    }

    // Approved again once resolved: still counted once.
    decide(&hq, &mut at_hq, &inv, approve());
    merge(&hq, &wh);
    for store in [&hq, &wh] {
        let ledger = store.spend_ledger().expect("ledger");
        assert_eq!(ledger.len(), 1, "{ledger:?}");
        assert_eq!(
            status_by_line(store, None, after_november)[&line].spent,
            3_950
        );
    }
}

#[test]
fn spent_remaining_and_forecast_follow_the_pace_so_far_and_the_workspace_threshold() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let today = day(2026, 11, 10);
    let mut session = Session::open(&store).expect("session").with_today(today);
    create(&store, &mut session, "sites", &[("name", "HQ")]);
    let month = budget_line(
        &store,
        &mut session,
        "Office supplies",
        "2026-11",
        "270.00",
        None,
    );
    let hq = budget_line(
        &store,
        &mut session,
        "Office supplies",
        "2026-11",
        "30.00",
        Some("HQ"),
    );
    let quarter = budget_line(
        &store,
        &mut session,
        "Office supplies",
        "2026-Q4",
        "900.00",
        None,
    );
    expense(
        &store,
        &mut session,
        "40.00",
        "Office supplies",
        "2026-11-02",
        None,
    );
    expense(
        &store,
        &mut session,
        "35.00",
        "Office supplies",
        "2026-11-05",
        Some("HQ"),
    );
    let yesterday = expense(
        &store,
        &mut session,
        "25.00",
        "Office supplies",
        "yesterday",
        None,
    );
    expense(
        &store,
        &mut session,
        "50.00",
        "Office supplies",
        "2026-10-31",
        None,
    );
    expense(
        &store,
        &mut session,
        "80.00",
        "Software",
        "2026-11-03",
        None,
    );
    assert_eq!(
        store.require::<Expense>(&yesterday).expect("expense").date,
        day(2026, 11, 9),
        "relative dates from the session's today"
    );
    assert_eq!(
        store.budget(false).expect("budget").threshold_bp,
        spend::DEFAULT_THRESHOLD_BP,
        "10% unless set"
    );

    let november = Some(Period::Month(2026, 11));
    let status = status_by_line(&store, november, today);
    assert_eq!(status.len(), 3, "the quarter overlaps November");
    // 100.00 in the first 10 of 30 days: 300.00 by the end, 11% over 270.00.
    assert_eq!(
        figures(&status[&month]),
        (27_000, 10_000, 17_000, 30_000, Flag::ForecastOver)
    );
    // HQ has spent 35.00 of 30.00 already.
    assert_eq!(
        figures(&status[&hq]),
        (3_000, 3_500, -500, 10_500, Flag::Over)
    );
    // The quarter counts October too: 150.00 in 41 of 92 days.
    assert_eq!(
        figures(&status[&quarter]),
        (90_000, 15_000, 75_000, 15_000 * 92 / 41, Flag::Ok)
    );
    assert_eq!(status[&quarter].forecast, 33_658);

    // On the last day the forecast is what was spent.
    let last_day = status_by_line(&store, november, day(2026, 11, 30));
    assert_eq!(
        figures(&last_day[&month]),
        (27_000, 10_000, 17_000, 10_000, Flag::Ok)
    );
    // December shows the quarter only.
    let december = status_by_line(&store, Some(Period::Month(2026, 12)), day(2026, 12, 1));
    assert_eq!(
        december.keys().cloned().collect::<Vec<_>>(),
        vec![quarter.clone()]
    );

    // A 25% threshold lets the month's 300.00 forecast pass (up to 337.50).
    session
        .apply(&store, Op::SetBudgetThreshold { percent_bp: 2_500 })
        .expect("threshold");
    assert_eq!(store.budget(false).expect("budget").threshold_bp, 2_500);
    let status = status_by_line(&store, november, today);
    assert_eq!(status[&month].flag, Flag::Ok);
    assert_eq!(
        status[&hq].flag,
        Flag::Over,
        "spent over is over at any threshold"
    );

    // An expense moved to the Trash stops counting.
    session
        .apply(
            &store,
            Op::Delete {
                kind: "expenses".into(),
                id: yesterday,
            },
        )
        .expect("delete");
    let status = status_by_line(&store, november, today);
    assert_eq!(
        figures(&status[&month]),
        (27_000, 7_500, 19_500, 22_500, Flag::Ok)
    );
}

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
    if Path::new("/usr/bin/pdftoppm").exists() {
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
    if Path::new("/usr/bin/pdftotext").exists() {
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
