//! Incremental views: after a change only the records it touched are read
//! again, untouched areas keep their data, and unreadable records are
//! reported instead of emptying a list.

use crate::common;

use std::sync::Arc;

use bureau::ops::{Op, Session};
use bureau::views::{ViewModel, Views};
use common::Fixture;

#[test]
fn a_change_rereads_only_the_records_it_touched() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let mut ids = Vec::new();
    for i in 0..100 {
        let op = Op::Create {
            kind: "tasks".into(),
            fields: vec![("title".into(), format!("task {i}"))],
        };
        ids.push(
            session
                .apply(&store, op)
                .expect("create")
                .created
                .expect("id"),
        );
    }
    let (item, hq) = common::add_paper(&store, 5);
    let mut views = Views::new();
    let mut vm = ViewModel::default();
    views.refresh(&store, &mut vm).expect("first refresh");
    assert_eq!(vm.tasks.len(), 100);
    assert_eq!(views.last_reads(), (100, 1));
    // Purchasing is read by the next refresh, so the first frame with
    // tasks does not wait for it; tasks are not read again.
    assert!(views.loading());
    let rebuilt = views.refresh(&store, &mut vm).expect("second refresh");
    assert!(rebuilt.purchasing && !rebuilt.tasks && !views.loading());
    assert_eq!(views.last_reads(), (0, 0));

    // Nothing changed: nothing is read, every part is the same Arc.
    let before = vm.clone();
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(!rebuilt.any());
    assert!(Arc::ptr_eq(&before.tasks, &vm.tasks));

    // One task edited: one task read; inventory untouched.
    session
        .apply(&store, Op::set("tasks", &ids[42], "title", "renamed"))
        .expect("edit");
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(rebuilt.tasks && !rebuilt.inventory);
    assert_eq!(views.last_reads(), (1, 0));
    assert!(Arc::ptr_eq(&before.items, &vm.items));
    assert!(vm.tasks.iter().any(|t| t.title == "renamed"));

    // Stock moved: only that item is read again.
    session
        .apply(
            &store,
            Op::AdjustStock {
                item: item.clone(),
                site: hq.clone(),
                by: -5,
                reason: None,
            },
        )
        .expect("adjust");
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(views.last_reads(), (0, 1));
    assert_eq!(vm.items[0].on_hand[&hq], 0);
    assert_eq!(vm.low_stock.len(), 1, "at or below the reorder level");

    // Deleted: gone from the view.
    session
        .apply(
            &store,
            Op::Delete {
                kind: "tasks".into(),
                id: ids[0].clone(),
            },
        )
        .expect("delete");
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(vm.tasks.len(), 99);
}

/// Refreshes until nothing is left to read.
fn settle(views: &mut Views, store: &bureau::store::Store, vm: &mut ViewModel) {
    views.refresh(store, vm).expect("refresh");
    while views.loading() {
        views.refresh(store, vm).expect("refresh");
    }
}

/// After every purchasing action, the view computed incrementally (only
/// what the change touched) equals one computed from scratch.
#[test]
fn purchasing_computed_again_only_where_touched_equals_computed_from_scratch() {
    use bureau::ops::LineInput;
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let mut apply = |op: Op| {
        session
            .apply(&store, op)
            .expect("op")
            .created
            .unwrap_or_default()
    };
    let (paper, hq) = common::add_paper(&store, 1);
    let vendor = apply(Op::Create {
        kind: "vendors".into(),
        fields: vec![("name".into(), "Office Depot".into())],
    });
    let mut views = Views::new();
    let mut vm = ViewModel::default();
    let check = |views: &mut Views, vm: &mut ViewModel, step: &str| {
        settle(views, &store, vm);
        let mut fresh = ViewModel::default();
        settle(&mut Views::new(), &store, &mut fresh);
        let (a, b) = (&vm.purchasing, &fresh.purchasing);
        assert_eq!(a.order_status, b.order_status, "{step}: order status");
        assert_eq!(a.progress, b.progress, "{step}: progress");
        assert_eq!(a.matches, b.matches, "{step}: matches");
        assert_eq!(a.duplicates, b.duplicates, "{step}: duplicates");
        assert_eq!(a.reorder, b.reorder, "{step}: reorder");
        assert_eq!(a.invoices.len(), b.invoices.len(), "{step}: invoices");
        let ids = |v: &bureau::views::purchasing::PurchasingView| -> Vec<String> {
            v.to_reconcile().map(|i| i.id.clone()).collect()
        };
        assert_eq!(ids(a), ids(b), "{step}: to reconcile");
    };
    check(&mut views, &mut vm, "start");
    let line = |qty: i64, price: &str| LineInput {
        item: Some(paper.clone()),
        description: String::new(),
        quantity: qty,
        unit_price: price.into(),
        tax_rate: 0,
    };
    let po = apply(Op::CreateOrder {
        vendor: vendor.clone(),
        site: Some(hq.clone()),
        lines: vec![line(10, "3.95")],
        notes: String::new(),
    });
    check(&mut views, &mut vm, "order");
    let invoice = |number: &str| Op::CreateInvoice {
        vendor: vendor.clone(),
        number: number.into(),
        date: "today".into(),
        due: None,
        order: Some(po.clone()),
        lines: vec![line(10, "3.95")],
        total: None,
    };
    let inv = apply(invoice("INV-1"));
    check(&mut views, &mut vm, "invoice");
    let first = apply(Op::Receive {
        order: po.clone(),
        site: hq.clone(),
        lines: Vec::new(),
        receipt: None,
    });
    check(&mut views, &mut vm, "received");
    let matched = bureau::model::matching::MatchState::Matched;
    assert_eq!(vm.purchasing.matches[&inv].state, matched);
    apply(Op::VoidReceipt {
        receipt: first,
        attempt: None,
    });
    check(&mut views, &mut vm, "taken back");
    assert_ne!(vm.purchasing.matches[&inv].state, matched);
    let second = apply(invoice("INV-2"));
    check(&mut views, &mut vm, "a second bill");
    apply(Op::set("invoices", &second, "number", "inv-1"));
    check(&mut views, &mut vm, "renumbered to the first's number");
    apply(Op::set("invoices", &inv, "purchase_order", "none"));
    check(&mut views, &mut vm, "unlinked");
    apply(Op::SetTolerance {
        percent_bp: 0,
        absolute_minor: 0,
    });
    check(&mut views, &mut vm, "tolerance");
    apply(Op::AdjustStock {
        item: paper.clone(),
        site: hq.clone(),
        by: 20,
        reason: None,
    });
    check(&mut views, &mut vm, "stock");
    apply(Op::Delete {
        kind: "purchase_orders".into(),
        id: po,
    });
    check(&mut views, &mut vm, "order deleted");
}

/// An invoice approved shows as spend in the Budget view: not in the
/// refresh that shows the approval (so that shows at once), but in the
/// one right after, which the backend runs without waiting.
#[test]
fn an_approved_invoice_reaches_the_budget_view_one_refresh_after_purchasing() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let office = common::purchasing::office(&store, &mut session);
    let invoice = common::purchasing::invoice(&store, &mut session, &office, "INV-1", 10, "3.95");
    let mut views = Views::new();
    let mut vm = ViewModel::default();
    settle(&mut views, &store, &mut vm);
    assert!(vm.budget.ledger.is_empty());
    session
        .apply(
            &store,
            Op::DecideInvoice {
                invoice: invoice.clone(),
                decision: bureau::ops::Decision::Approve {
                    note: Some("delivery due Monday".into()),
                },
            },
        )
        .expect("approve");
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(rebuilt.purchasing && !rebuilt.budget);
    assert!(views.loading(), "the budget follows at once");
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(rebuilt.budget && !rebuilt.purchasing && !views.loading());
    assert_eq!(vm.budget.ledger.len(), 1);
    assert_eq!(vm.budget.ledger[0].amount.minor, 3_950);
    // A due date is not spend: the budget is not built again.
    let budget = vm.budget.clone();
    session
        .apply(&store, Op::set("invoices", &invoice, "due", "2027-01-31"))
        .expect("due");
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(rebuilt.purchasing && !rebuilt.budget && !views.loading());
    assert!(Arc::ptr_eq(&budget, &vm.budget));
}

#[test]
fn a_task_edit_updates_a_meetings_action_items_without_working_out_clashes_again() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let create = |session: &mut Session, kind: &str, fields: &[(&str, &str)]| {
        let op = Op::Create {
            kind: kind.into(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        session
            .apply(&store, op)
            .expect("create")
            .created
            .expect("id")
    };
    create(&mut session, "rooms", &[("name", "Room 1")]);
    let meeting = create(
        &mut session,
        "meetings",
        &[
            ("title", "Ops weekly"),
            ("starts_at", "+1d 10:00"),
            ("duration_minutes", "30"),
            ("room", "Room 1"),
        ],
    );
    create(
        &mut session,
        "meetings",
        &[
            ("title", "Vendor call"),
            ("starts_at", "+1d 10:15"),
            ("duration_minutes", "30"),
            ("room", "Room 1"),
        ],
    );
    let task = create(
        &mut session,
        "tasks",
        &[("title", "Call the landlord"), ("meeting", &meeting)],
    );
    let mut views = Views::new();
    let mut vm = ViewModel {
        today: session.today(),
        ..Default::default()
    };
    while {
        views.refresh(&store, &mut vm).expect("refresh");
        views.loading()
    } {}
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(vm.meetings.clashes.len(), 1);
    assert_eq!(vm.meetings.actions[&meeting].len(), 1);
    let before = vm.meetings.clone();
    session
        .apply(&store, Op::set("tasks", &task, "status", "done"))
        .expect("done");
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(rebuilt.tasks && rebuilt.meetings);
    assert_eq!(
        vm.meetings.actions[&meeting][0].status,
        bureau::model::TaskStatus::Done
    );
    assert!(
        Arc::ptr_eq(&before.clashes, &vm.meetings.clashes),
        "clashes not worked out again"
    );
    assert!(Arc::ptr_eq(&before.meetings, &vm.meetings.meetings));
    // Moving a meeting to another time is a meetings change: clashes follow.
    session
        .apply(
            &store,
            Op::set("meetings", &meeting, "starts_at", "+1d 12:00"),
        )
        .expect("move");
    views.refresh(&store, &mut vm).expect("refresh");
    assert!(vm.meetings.clashes.is_empty());
}
