//! Purchasing as two or three offline sites live it: a partial delivery
//! received at the Warehouse and the invoice entered at HQ while both are
//! offline give the same three-way match on both after merging; the same
//! delivery recorded twice is flagged (and taking one back takes its stock
//! back); purchase order numbers that three offline devices never both give
//! out, and exports identical on every peer. Rules one device can check
//! alone are in `purchasing_rules.rs`.

use crate::common;

use bureau::model::matching::MatchState;
use bureau::model::*;
use bureau::ops::{Decision, LineInput, Op, Session};
use common::Fixture;
use common::net::{Net, export};
use common::purchasing::{invoice, matched, merge, order_line, receive, stock, two_sites};

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
