//! Purchasing rules through the operations layer: prices within the match
//! tolerance and not a cent beyond, invoice numbers per vendor, goods billed
//! twice, contracts whose notice is longer than their term and the renewal
//! calendar, receipts interrupted by a crash, taken back and undone.

use crate::common;

use bureau::model::matching::MatchState;
use bureau::model::*;
use bureau::ops::{Op, Session};
use common::Fixture;
use common::purchasing::{
    apply, create, invoice, matched, merge, office, order_line, receive, stock, two_sites,
};

#[test]
fn prices_match_up_to_the_tolerance_and_not_a_cent_beyond() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let office = office(&store, &mut session);
    receive(&store, &mut session, &office, Vec::new());
    let check =
        |session: &mut Session, percent_bp: i64, absolute_minor: i64, number: &str, price: &str| {
            session
                .apply(
                    &store,
                    Op::SetTolerance {
                        percent_bp,
                        absolute_minor,
                    },
                )
                .expect("tolerance");
            let inv = invoice(&store, session, &office, number, 10, price);
            let (state, reasons, _) = matched(&store, &inv, &office.po);
            session
                .apply(
                    &store,
                    Op::Delete {
                        kind: "invoices".into(),
                        id: inv,
                    },
                )
                .expect("delete");
            (state, reasons)
        };
    // 10 at 3.95 is 39.50; 2% of it is 0.79.
    assert_eq!(
        check(&mut session, 200, 0, "A", "4.02").0,
        MatchState::Matched
    );
    let (state, reasons) = check(&mut session, 200, 0, "B", "4.03");
    assert_eq!(state, MatchState::Discrepancy);
    assert_eq!(reasons, vec!["Copy paper: price 4.03 vs 3.95".to_string()]);
    // An absolute 0.80 allows exactly 0.80 over.
    assert_eq!(
        check(&mut session, 0, 80, "C", "4.03").0,
        MatchState::Matched
    );
    assert_eq!(
        check(&mut session, 0, 80, "D", "4.04").0,
        MatchState::Discrepancy
    );
    // Cheaper beyond the tolerance is a discrepancy too.
    assert_eq!(
        check(&mut session, 0, 0, "E", "3.94").0,
        MatchState::Discrepancy
    );
}

#[test]
fn invoice_numbers_are_unique_per_vendor_and_a_bill_entered_twice_offline_is_flagged() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb, office) = two_sites(&fx);
    invoice(&a, &mut sa, &office, "INV-9", 10, "3.95");
    let err = sa
        .apply(
            &a,
            Op::CreateInvoice {
                vendor: office.vendor.clone(),
                number: " inv-9 ".into(),
                date: "today".into(),
                due: None,
                order: None,
                lines: Vec::new(),
                total: Some("39.50".into()),
            },
        )
        .expect_err("the same number from the same vendor");
    assert!(err.to_string().contains("already entered"), "{err}");
    let other = create(&a, &mut sa, "vendors", &[("name", "Staples")]);
    sa.apply(
        &a,
        Op::CreateInvoice {
            vendor: other,
            number: "INV-9".into(),
            date: "today".into(),
            due: None,
            order: None,
            lines: Vec::new(),
            total: Some("12.00".into()),
        },
    )
    .expect("another vendor may use the number");
    // Entered at both sites while offline: both are kept and flagged.
    let twin = invoice(&b, &mut sb, &office, "INV-9", 10, "3.95");
    merge(&a, &b);
    let (_, reasons, _) = matched(&a, &twin, &office.po);
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("INV-9 from this vendor was entered 2 times")),
        "{reasons:?}"
    );
}

#[test]
fn contracts_refuse_a_notice_longer_than_the_term_and_list_by_deadline() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store)
        .expect("session")
        .with_today("2026-11-28".parse().expect("date"));
    create(&store, &mut session, "vendors", &[("name", "CleanCo")]);
    let contract = |title: &str, end: &str, notice: &str| Op::Create {
        kind: "contracts".into(),
        fields: [
            ("vendor", "CleanCo"),
            ("title", title),
            ("start", "2026-01-01"),
            ("end", end),
            ("notice_days", notice),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
    };
    let err = session
        .apply(&store, contract("Too short", "2026-01-31", "45"))
        .expect_err("notice longer than the term");
    assert!(
        err.to_string().contains("longer than the contract term"),
        "{err}"
    );
    session
        .apply(&store, contract("Cleaning", "2026-12-31", "30"))
        .expect("contract");
    session
        .apply(&store, contract("Plants", "2027-02-28", "60"))
        .expect("contract");
    let today = "2026-11-28".parse().expect("date");
    let calendar = store
        .contracts_renewing_within(today, 90)
        .expect("calendar");
    let rows: Vec<(String, String, i64)> = calendar
        .iter()
        .map(|r| {
            (
                r.contract.title.clone(),
                r.deadline.to_string(),
                r.days_left,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Cleaning".to_string(), "2026-12-01".to_string(), 3),
            ("Plants".to_string(), "2026-12-30".to_string(), 32),
        ]
    );
}

#[test]
fn a_receipt_interrupted_between_its_two_commits_is_finished_once_on_the_next_open() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let office = office(&store, &mut session);
    drop(session);
    let line = order_line(&store, &office);
    // The receipt was committed; the process stopped before the stock.
    let receipt = "0190a0a0-0000-7000-8000-0000000000aa";
    let mut lines = std::collections::BTreeMap::new();
    lines.insert(
        line.clone(),
        ReceivedLine {
            po_line: line.clone(),
            quantity: 6,
        },
    );
    store
        .create(Receipt {
            id: receipt.into(),
            purchase_order: office.po.clone(),
            site: office.warehouse.clone(),
            received_on: "2026-11-28".parse().expect("date"),
            lines,
            ..Default::default()
        })
        .expect("first commit");
    let journal = serde_json::json!({
        "pending": { "Receive": {
            "order": office.po, "site": office.warehouse,
            "lines": [[line, 6]], "receipt": receipt } }
    });
    std::fs::write(
        store.data_dir().join("journal.json"),
        serde_json::to_vec(&journal).expect("json"),
    )
    .expect("write journal");
    let session = Session::open(&store).expect("session finishes the receipt");
    assert_eq!(stock(&store, &office), 6);
    drop(session);
    let _again = Session::open(&store).expect("session");
    assert_eq!(stock(&store, &office), 6, "not twice");
    let receipts = store.purchasing(false).expect("records").receipts.records;
    assert_eq!(receipts.len(), 1);
    let moves = store.movements(&office.paper).expect("movements");
    assert_eq!(
        moves
            .iter()
            .filter(|m| m.kind == MovementKind::Receipt)
            .count(),
        1
    );
}

#[test]
fn goods_billed_twice_by_a_total_and_by_lines_do_not_both_match() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let office = office(&store, &mut session);
    receive(&store, &mut session, &office, Vec::new());
    let by_total = apply(
        &store,
        &mut session,
        Op::CreateInvoice {
            vendor: office.vendor.clone(),
            number: "A-1".into(),
            date: "today".into(),
            due: None,
            order: Some(office.po.clone()),
            lines: Vec::new(),
            total: Some("39.50".into()),
        },
    );
    assert_eq!(
        matched(&store, &by_total, &office.po).0,
        MatchState::Matched
    );
    let by_lines = invoice(&store, &mut session, &office, "A-2", 10, "3.95");
    let (state, reasons, _) = matched(&store, &by_lines, &office.po);
    assert_eq!(state, MatchState::Discrepancy);
    assert_eq!(
        reasons,
        vec!["bills 39.50 but only 0.00 of what arrived is not billed yet".to_string()]
    );
}

#[test]
fn a_receipt_taken_back_undone_and_taken_back_again_takes_its_stock_each_time() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let office = office(&store, &mut session);
    let receipt = receive(&store, &mut session, &office, Vec::new());
    assert_eq!(stock(&store, &office), 10);
    let take_back = |session: &mut Session| {
        session
            .apply(
                &store,
                Op::VoidReceipt {
                    receipt: receipt.clone(),
                    attempt: None,
                },
            )
            .expect("take back")
    };
    take_back(&mut session);
    assert_eq!(stock(&store, &office), 0);
    session.undo(&store).expect("undo the take-back");
    assert_eq!(stock(&store, &office), 10);
    take_back(&mut session);
    assert_eq!(
        stock(&store, &office),
        0,
        "the second take-back takes it too"
    );
    session.undo(&store).expect("undo");
    session.undo(&store).expect("undo the receipt itself");
    assert_eq!(stock(&store, &office), 0);
}
