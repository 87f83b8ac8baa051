//! Purchasing screens driven as a coordinator would, with egui_kittest:
//! receiving part of an order into stock, the three-way match of an
//! invoice that bills more than arrived, and the renewal calendar.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ops::{LineInput, Op, Session};
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, retype, type_into, workspace};
use common::purchasing::{apply, office};
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn receiving_part_of_an_order_adds_the_stock_and_shows_partially_received() {
    let mut ids = None;
    let app = workspace(|s| ids = Some(office(s, &mut Session::open(s).expect("session"))));
    let ids = ids.expect("ids");
    let mut h = harness(Backend::inline(&app.path), AreaTab::Purchasing);
    click(&mut h, &ids.number);
    click(&mut h, "Receive…");
    h.get_by_label(&format!("Receive {}", ids.number));
    retype(&mut h, "Copy paper", "12");
    h.get_by_label_contains("Copy paper: only 10 outstanding");
    retype(&mut h, "Copy paper", "6");
    click(&mut h, "Receive");
    h.get_by_label("partially received");
    h.get_by_label_contains("6 at Warehouse");
    let store = h.state_mut().backend_mut().store().expect("store");
    let stock = store.item_stock(&ids.paper).expect("stock");
    assert_eq!(stock.on_hand[&ids.warehouse], 6);
    // Taking it back asks first, then takes the stock back.
    click(&mut h, "Take back");
    click(&mut h, "Yes, take back");
    let stock = store.item_stock(&ids.paper).expect("stock");
    assert_eq!(stock.on_hand[&ids.warehouse], 0);
    h.get_by_label("sent");
}

#[test]
fn an_invoice_billing_more_than_arrived_shows_why_and_needs_a_reason_to_approve() {
    let mut ids = None;
    let app = workspace(|store| {
        let mut s = Session::open(store).expect("session");
        let o = office(store, &mut s);
        let line = store
            .require::<PurchaseOrder>(&o.po)
            .expect("po")
            .lines
            .into_keys()
            .next();
        s.apply(
            store,
            Op::Receive {
                order: o.po.clone(),
                site: o.warehouse.clone(),
                lines: vec![(line.expect("line"), 6)],
                receipt: None,
            },
        )
        .expect("receive");
        let vendor = store.require::<PurchaseOrder>(&o.po).expect("po").vendor;
        s.apply(
            store,
            Op::CreateInvoice {
                vendor,
                number: "INV-77".into(),
                date: "today".into(),
                due: None,
                order: Some(o.po.clone()),
                lines: vec![LineInput {
                    item: Some(o.paper.clone()),
                    description: String::new(),
                    quantity: 10,
                    unit_price: "3.95".into(),
                    tax_rate: 0,
                }],
                total: None,
            },
        )
        .expect("invoice");
        ids = Some(o);
    });
    let _ids = ids.expect("ids");
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.get_by_label("Invoices to reconcile: 1");
    h.get_by_label_contains("INV-77 (Office Depot) — Copy paper: invoiced 10, received 6");
    click(&mut h, "Open the reconcile queue");
    click(&mut h, "INV-77 from Office Depot (39.50 EUR)");
    h.get_by_label("Invoice INV-77");
    h.get_by_label("• Copy paper: invoiced 10, received 6");
    // Ordered, received and invoiced side by side.
    for cell in ["Ordered", "Received", "Invoiced", "10", "6"] {
        assert!(h.query_all_by_label(cell).next().is_some(), "{cell} shown");
    }
    assert!(
        h.get_by_label("Approve anyway")
            .accesskit_node()
            .is_disabled(),
        "needs a reason"
    );
    type_into(
        &mut h,
        "Approve anyway because",
        "credit note for 4 boxes promised",
    );
    click(&mut h, "Approve anyway");
    h.get_by_label("Approved despite: credit note for 4 boxes promised");
    click(&mut h, "Mark paid");
    h.get_by_label_contains("Paid ");
}

#[test]
fn the_renewal_calendar_puts_the_nearest_notice_deadline_first() {
    let app = workspace(|store| {
        let mut s = Session::open(store).expect("session");
        apply(
            store,
            &mut s,
            Op::Create {
                kind: "vendors".into(),
                fields: vec![("name".into(), "CleanCo".into())],
            },
        );
        let today = Date(chrono::Local::now().date_naive());
        for (title, end_in, notice) in [("Plant care", 200, 30), ("Office cleaning", 40, 30)] {
            let end = today.add_days(end_in);
            apply(
                store,
                &mut s,
                Op::Create {
                    kind: "contracts".into(),
                    fields: [
                        ("vendor", "CleanCo".to_string()),
                        ("title", title.to_string()),
                        ("start", end.add_days(-364).to_string()),
                        ("end", end.to_string()),
                        ("notice_days", notice.to_string()),
                        ("auto_renew", "yes".to_string()),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                },
            );
        }
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.get_by_label("Renewals to decide: 1");
    h.get_by_label("Office cleaning (CleanCo) — give notice within 10 days");
    click(&mut h, "Open the renewal calendar");
    let rows: Vec<f32> = ["Office cleaning", "Plant care"]
        .iter()
        .map(|t| h.get_by_label(t).rect().top())
        .collect();
    assert!(rows[0] < rows[1], "the nearest deadline first");
    h.get_by_label("10");
    click(&mut h, "Office cleaning");
    h.get_by_label_contains("give notice by");
    // Cancelling it (notice given) takes it off the calendar.
    h.get_by_label("Status").click();
    h.run();
    click(&mut h, "notice-given");
    click(&mut h, "Close");
    assert!(
        h.query_by_label("Office cleaning").is_none(),
        "off the calendar"
    );
    h.get_by_label("Plant care");
    click(&mut h, "Dashboard");
    h.get_by_label("Renewals to decide: 0");
}

#[test]
fn a_new_order_is_drafted_from_the_form_and_sent() {
    let app = workspace(|store| {
        let mut s = Session::open(store).expect("session");
        apply(
            store,
            &mut s,
            Op::CreateItem {
                fields: vec![
                    ("name".into(), "Copy paper".into()),
                    ("unit".into(), "box".into()),
                    ("reorder_at".into(), "2".into()),
                ],
                site: Some("Warehouse".into()),
                qty: 0,
            },
        );
        apply(
            store,
            &mut s,
            Op::Create {
                kind: "vendors".into(),
                fields: vec![("name".into(), "Office Depot".into())],
            },
        );
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Purchasing);
    click(&mut h, "New order");
    h.get_by_label("Create draft order");
    h.get_by_label_contains("Pick a vendor");
    let combo = egui::accesskit::Role::ComboBox;
    for (field, choice) in [
        ("Vendor", "Office Depot"),
        ("Ship to", "Warehouse"),
        ("Item", "Copy paper"),
    ] {
        h.get_by_role_and_label(combo, field).click();
        h.run();
        click(&mut h, choice);
    }
    retype(&mut h, "Qty", "12");
    retype(&mut h, "Unit price", "3.95");
    click(&mut h, "Create draft order");
    // The new order opens: a draft, 12 at 3.95.
    h.get_by_label_contains("— draft");
    h.get_by_label("Total 47.40 EUR");
    // A line added from the details.
    click(&mut h, "Add lines…");
    retype(&mut h, "Description", "Desk lamp");
    retype(&mut h, "Unit price", "24.50");
    click(&mut h, "Add to the order");
    h.get_by_label("Total 71.90 EUR");
    h.get_by_label("Desk lamp");
    click(&mut h, "Mark as sent");
    h.get_by_label_contains("— sent");
    let store = h.state_mut().backend_mut().store().expect("store");
    let orders = store.list::<PurchaseOrder>(false).expect("orders");
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].status, PoStatus::Sent);
    assert!(orders[0].sent_on.is_some(), "sending dates it");
}
