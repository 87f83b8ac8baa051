//! Purchasing as two or three offline sites live it: a partial delivery
//! received at the Warehouse and the invoice entered at HQ while both are
//! offline give the same three-way match on both after merging; the same
//! delivery recorded twice is flagged (and taking one back takes its stock
//! back); tolerance boundaries; invoice rules; purchase order numbers that
//! three offline devices never both give out, and exports identical on
//! every peer.

mod common;

use bureau::model::matching::MatchState;
use bureau::model::*;
use bureau::ops::{Decision, LineInput, Op, Session};
use bureau::store::Store;
use common::Fixture;
use common::net::{Net, export};
use common::purchasing::{Office, apply, create, line as paper_line, office};

/// Replica "a" with the office, cloned to "b"; both opened with sessions.
fn two_sites(fx: &Fixture) -> (Store, Session, Store, Session, Office) {
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session");
    let office = office(&a, &mut session);
    drop(session);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    let sa = Session::open(&a).expect("session a");
    let sb = Session::open(&b).expect("session b");
    (a, sa, b, sb, office)
}

fn merge(a: &Store, b: &Store) {
    a.merge_from(b).expect("merge into a");
    b.merge_from(a).expect("merge into b");
    assert_eq!(export_of(a), export_of(b), "replicas differ after merging");
}

fn export_of(store: &Store) -> String {
    serde_json::to_string_pretty(&store.export_json().expect("export")).expect("json")
}

fn receive(
    store: &Store,
    session: &mut Session,
    office: &Office,
    lines: Vec<(String, i64)>,
) -> String {
    apply(
        store,
        session,
        Op::Receive {
            order: office.po.clone(),
            site: office.warehouse.clone(),
            lines,
            receipt: None,
        },
    )
}

fn order_line(store: &Store, office: &Office) -> String {
    let po = store.require::<PurchaseOrder>(&office.po).expect("po");
    po.lines.keys().next().expect("a line").clone()
}

fn stock(store: &Store, office: &Office) -> i64 {
    store.item_stock(&office.paper).expect("stock").on_hand[&office.warehouse]
}

fn invoice(
    store: &Store,
    session: &mut Session,
    office: &Office,
    number: &str,
    qty: i64,
    price: &str,
) -> String {
    apply(
        store,
        session,
        Op::CreateInvoice {
            vendor: office.vendor.clone(),
            number: number.into(),
            date: "2026-11-20".into(),
            due: None,
            order: Some(office.po.clone()),
            lines: vec![paper_line(&office.paper, qty, price)],
            total: None,
        },
    )
}

/// (match state, reasons, order status) as this store computes them.
fn matched(store: &Store, invoice: &str, po: &str) -> (MatchState, Vec<String>, String) {
    let records = store.purchasing(false).expect("records");
    let book = records.book();
    let inv = store.require::<Invoice>(invoice).expect("invoice");
    let po = store.require::<PurchaseOrder>(po).expect("po");
    let m = book.match_invoice(&inv);
    (m.state, m.reasons, book.status_text(&po).to_string())
}

#[test]
fn a_partial_delivery_and_an_invoice_entered_offline_match_the_same_on_both_sites() {
    let fx = Fixture::new();
    let (hq, mut at_hq, wh, mut at_wh, office) = two_sites(&fx);
    let line = order_line(&wh, &office);

    // The Warehouse receives 6 of 10 while HQ enters the invoice for 10.
    receive(&wh, &mut at_wh, &office, vec![(line.clone(), 6)]);
    assert_eq!(stock(&wh, &office), 6, "receiving adds the stock");
    let inv = invoice(&hq, &mut at_hq, &office, "INV-77", 10, "3.95");
    let due = hq.require::<Invoice>(&inv).expect("invoice").due;
    assert_eq!(
        due,
        Some("2026-12-20".parse().expect("date")),
        "due from the vendor's terms"
    );
    let before = matched(&hq, &inv, &office.po);
    assert_eq!(
        before.0,
        MatchState::Discrepancy,
        "HQ alone sees nothing received"
    );

    merge(&hq, &wh);
    for store in [&hq, &wh] {
        let (state, reasons, status) = matched(store, &inv, &office.po);
        assert_eq!(state, MatchState::Discrepancy);
        assert_eq!(
            reasons,
            vec!["Copy paper: invoiced 10, received 6".to_string()]
        );
        assert_eq!(status, "partially received");
        assert_eq!(stock(store, &office), 6);
    }
    let refused = at_hq
        .apply(
            &hq,
            Op::DecideInvoice {
                invoice: inv.clone(),
                decision: Decision::Approve { note: None },
            },
        )
        .expect_err("a discrepancy is not approved without a reason");
    assert!(
        refused.to_string().contains("invoiced 10, received 6"),
        "{refused}"
    );

    // The other 4 arrive: everything matches, on both.
    receive(&wh, &mut at_wh, &office, Vec::new());
    merge(&hq, &wh);
    for store in [&hq, &wh] {
        let (state, reasons, status) = matched(store, &inv, &office.po);
        assert_eq!((state, reasons), (MatchState::Matched, Vec::new()));
        assert_eq!(status, "received");
        assert_eq!(stock(store, &office), 10);
    }
    let movements = hq.movements(&office.paper).expect("movements");
    assert!(
        movements
            .iter()
            .filter(|m| m.kind == MovementKind::Receipt)
            .all(|m| m
                .reason
                .as_deref()
                .is_some_and(|r| r.starts_with("received PO-"))),
        "each receipt is a movement naming the order: {movements:?}"
    );
    at_hq
        .apply(
            &hq,
            Op::DecideInvoice {
                invoice: inv.clone(),
                decision: Decision::Pay,
            },
        )
        .expect_err("not approved yet");
    at_hq
        .apply(
            &hq,
            Op::DecideInvoice {
                invoice: inv.clone(),
                decision: Decision::Approve { note: None },
            },
        )
        .expect("approve");
    at_hq
        .apply(
            &hq,
            Op::DecideInvoice {
                invoice: inv.clone(),
                decision: Decision::Pay,
            },
        )
        .expect("pay");
    assert_eq!(
        hq.require::<Invoice>(&inv).expect("inv").status,
        InvoiceStatus::Paid
    );
}

#[test]
fn the_same_delivery_recorded_twice_offline_is_flagged_and_taking_one_back_takes_its_stock() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb, office) = two_sites(&fx);
    let first = receive(&a, &mut sa, &office, Vec::new());
    let second = receive(&b, &mut sb, &office, Vec::new());
    merge(&a, &b);
    assert_eq!(
        stock(&a, &office),
        20,
        "both receipts count until someone decides"
    );
    let records = a.purchasing(false).expect("records");
    let flagged: Vec<(String, String)> = records
        .book()
        .possible_duplicates()
        .into_iter()
        .map(|(r, f)| (r.id.clone(), f.id.clone()))
        .collect();
    let (later, earlier) = if first < second {
        (&second, &first)
    } else {
        (&first, &second)
    };
    assert_eq!(
        flagged,
        vec![(later.clone(), earlier.clone())],
        "the second is flagged"
    );

    // Taking the flagged one back takes its stock back, on both.
    sb.apply(
        &b,
        Op::VoidReceipt {
            receipt: later.clone(),
            attempt: None,
        },
    )
    .expect("take back");
    merge(&a, &b);
    for store in [&a, &b] {
        assert_eq!(stock(store, &office), 10);
        let records = store.purchasing(false).expect("records");
        assert!(records.book().possible_duplicates().is_empty());
        assert_eq!(records.receipts.records.len(), 1);
    }
    sa.apply(
        &a,
        Op::Restore {
            kind: "receipts".into(),
            id: later.clone(),
        },
    )
    .expect_err("a receipt taken back does not come back");
}

#[test]
fn a_second_delivery_seen_by_its_recorder_is_not_a_duplicate_and_undo_takes_stock_back() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb, office) = two_sites(&fx);
    let line = order_line(&a, &office);
    receive(&a, &mut sa, &office, vec![(line.clone(), 5)]);
    merge(&a, &b);
    receive(&b, &mut sb, &office, vec![(line.clone(), 5)]);
    merge(&a, &b);
    let records = a.purchasing(false).expect("records");
    assert!(
        records.book().possible_duplicates().is_empty(),
        "5 then 5, seen: two deliveries"
    );
    assert_eq!(stock(&a, &office), 10);
    let err = sa
        .apply(
            &a,
            Op::Receive {
                order: office.po.clone(),
                site: office.warehouse.clone(),
                lines: vec![(line, 1)],
                receipt: None,
            },
        )
        .expect_err("nothing outstanding");
    assert!(
        err.to_string()
            .contains("only 0 of “Copy paper” are outstanding"),
        "{err}"
    );

    // Undo of a receipt takes its stock back (and the receipt away).
    sb.undo(&b).expect("undo");
    assert_eq!(stock(&b, &office), 5);
    assert_eq!(
        b.purchasing(false).expect("records").receipts.records.len(),
        1
    );
    // Undone already: taking it back too would take its stock twice.
    let undone = b
        .purchasing(true)
        .expect("records")
        .receipts
        .records
        .into_iter()
        .find(|r| r.is_deleted())
        .expect("the undone receipt");
    let err = sb
        .apply(
            &b,
            Op::VoidReceipt {
                receipt: undone.id,
                attempt: None,
            },
        )
        .expect_err("already taken back");
    assert!(err.to_string().contains("already taken back"), "{err}");
    assert_eq!(stock(&b, &office), 5);

    // Two identical receipts offline, but someone checked: two deliveries.
    merge(&a, &b);
    assert_eq!(stock(&a, &office), 5);
    receive(&a, &mut sa, &office, Vec::new());
    receive(&b, &mut sb, &office, Vec::new());
    merge(&a, &b);
    let records = a.purchasing(false).expect("records");
    let flagged: Vec<String> = records
        .book()
        .possible_duplicates()
        .into_iter()
        .map(|(r, _)| r.id.clone())
        .collect();
    assert_eq!(flagged.len(), 1);
    sa.apply(&a, Op::set("receipts", &flagged[0], "not_duplicate", "yes"))
        .expect("keep both");
    assert!(
        a.purchasing(false)
            .expect("records")
            .book()
            .possible_duplicates()
            .is_empty()
    );
    assert_eq!(stock(&a, &office), 15);
}

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
fn three_offline_devices_never_give_out_the_same_order_number_and_export_the_same() {
    let net = Net::new();
    let a = net.found("a");
    let b = net.join("b", &net.invite(&a, Role::Member), "Ben Ode");
    let c = net.join("c", &net.invite(&a, Role::Member), "Chloé Martin");
    let vendor = a
        .store()
        .create(Vendor {
            id: new_id(),
            name: "Office Depot".into(),
            ..Default::default()
        })
        .expect("vendor");
    net.sync(&a);
    net.sync(&b);
    net.sync(&c);
    for node in [a, b, c] {
        net.stop(node);
    }
    // Everyone orders while offline.
    for name in ["a", "b", "c"] {
        let store = net.open(name);
        let mut session = Session::open(&store).expect("session");
        for n in 0..3 {
            session
                .apply(
                    &store,
                    Op::CreateOrder {
                        vendor: vendor.clone(),
                        site: None,
                        lines: vec![LineInput {
                            item: None,
                            description: format!("Chair {n}"),
                            quantity: 1,
                            unit_price: "80.00".into(),
                            tax_rate: 2_300,
                        }],
                        notes: String::new(),
                    },
                )
                .expect("order");
        }
        drop(session);
        net.close(store);
    }
    let (a, b, c) = (net.start("a"), net.start("b"), net.start("c"));
    for node in [&a, &b, &c, &a] {
        net.sync(node);
    }
    let numbers: Vec<String> = a
        .store()
        .list::<PurchaseOrder>(false)
        .expect("orders")
        .into_iter()
        .map(|p| p.number)
        .collect();
    assert_eq!(numbers.len(), 9);
    let unique: std::collections::BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), 9, "every number given out once: {numbers:?}");
    assert!(
        numbers
            .iter()
            .all(|n| n.starts_with("PO-") && n.ends_with(|c: char| c.is_ascii_digit()))
    );
    assert_eq!(export(a.store()), export(b.store()));
    assert_eq!(export(a.store()), export(c.store()));
    for node in [a, b, c] {
        net.stop(node);
    }
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

#[test]
fn undoing_a_receipt_someone_else_took_back_is_refused_and_moves_no_stock() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb, office) = two_sites(&fx);
    let receipt = receive(&a, &mut sa, &office, Vec::new());
    merge(&a, &b);
    sb.apply(
        &b,
        Op::VoidReceipt {
            receipt,
            attempt: None,
        },
    )
    .expect("b takes it back");
    merge(&a, &b);
    assert_eq!(stock(&a, &office), 0);
    let err = sa.undo(&a).expect_err("already taken back by b");
    assert!(err.to_string().contains("deleted since"), "{err}");
    assert_eq!(stock(&a, &office), 0, "undo changed nothing");
}
