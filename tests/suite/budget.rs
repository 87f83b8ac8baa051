//! Budget and spend as offices live them: expenses entered offline at two
//! sites add up exactly on both after merging (each is a record, never a
//! shared running total); an invoice approved on two offline devices is
//! spent once, and stops counting when disputed; a budget line's spent,
//! remaining and forecast follow the pace so far and the workspace
//! threshold. Everything here runs against fixed days, never the wall
//! clock. The CLI contract is in `budget_cli.rs`, the leadership report in
//! `reports.rs`.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use bureau::model::spend::{self, Flag, LineStatus, Source};
use bureau::model::*;
use bureau::ops::{Decision, Op, Session};
use bureau::store::Store;
use common::Fixture;
use common::budget::{budget_line, day, expense};
use common::purchasing::{create, invoice, merge, receive, two_sites};

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
