//! Every record kind round-trips through the store and through save/load;
//! soft delete and restore; queries; recurrence.

use crate::common;

use std::collections::BTreeMap;

use bureau::model::*;
use bureau::store::StoreError;
use common::Fixture;

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

/// One fully populated record of every kind (a tuple: each kind has its own type).
#[allow(clippy::type_complexity)]
fn sample_records(
    site: &str,
) -> (
    Vec<Task>,
    Project,
    Vendor,
    Contract,
    PurchaseOrder,
    Receipt,
    Invoice,
    BudgetLine,
    Expense,
    Meeting,
    OnboardingTemplate,
    OnboardingPlan,
    Doc,
    MaintenanceRequest,
) {
    let mut checklist = BTreeMap::new();
    checklist.insert(
        new_id(),
        ChecklistItem {
            text: "Ask for quote".into(),
            done: true,
            order: 1,
        },
    );
    let mut comments = BTreeMap::new();
    comments.insert(
        new_id(),
        Comment {
            author: "Ana Ruiz".into(),
            at: Stamp::from_millis(1_790_000_000_000),
            text: "Called them".into(),
        },
    );
    let project = Project {
        id: new_id(),
        name: "Office move".into(),
        description: "Move to floor 3".into(),
        owner: Some("Ben".into()),
        due: Some(date("2027-01-31")),
        ..Default::default()
    };
    let task = Task {
        id: new_id(),
        title: "Order toner".into(),
        description: "Black and colour".into(),
        project: Some(project.id.clone()),
        owner: Some("Ben Ode".into()),
        watchers: vec!["Ana Ruiz".into()],
        status: TaskStatus::Blocked,
        blocked_reason: Some("waiting for budget".into()),
        blocked_since: Some(Stamp::from_millis(1_790_000_000_000)),
        priority: Priority::High,
        due: Some(date("2026-12-01")),
        tags: vec!["supplies".into()],
        checklist,
        escalate_to: Some("Chloé".into()),
        recurrence: Some(Recurrence::Monthly),
        comments,
        ..Default::default()
    };
    let mut contacts = BTreeMap::new();
    contacts.insert(
        new_id(),
        Contact {
            name: "Sam".into(),
            email: Some("sam@paper.example".into()),
            phone: Some("+351 1".into()),
            role: Some("sales".into()),
        },
    );
    let vendor = Vendor {
        id: new_id(),
        name: "Paper Co".into(),
        category: Some("supplies".into()),
        contacts,
        notes: "Net 30".into(),
        ..Default::default()
    };
    let contract = Contract {
        id: new_id(),
        vendor: vendor.id.clone(),
        title: "Copier lease".into(),
        start: date("2026-01-01"),
        end: Some(date("2027-12-31")),
        notice_days: 30,
        auto_renew: true,
        annual_value: Money::new(240_000, "EUR"),
        ..Default::default()
    };
    let mut lines = BTreeMap::new();
    let line_id = new_id();
    lines.insert(
        line_id.clone(),
        OrderLine {
            description: "Toner black".into(),
            item: None,
            quantity: 4,
            unit_price: Money::new(4_550, "EUR"),
            tax_rate: 0,
            order: 1,
        },
    );
    let po = PurchaseOrder {
        id: new_id(),
        number: "PO-001".into(),
        vendor: vendor.id.clone(),
        site: Some(site.into()),
        lines: lines.clone(),
        status: PoStatus::Sent,
        requested_by: "Ana".into(),
        sent_on: Some(date("2026-11-20")),
        ..Default::default()
    };
    let mut received = BTreeMap::new();
    received.insert(
        new_id(),
        ReceivedLine {
            po_line: line_id,
            quantity: 4,
        },
    );
    let receipt = Receipt {
        id: new_id(),
        purchase_order: po.id.clone(),
        received_on: date("2026-11-25"),
        lines: received,
        notes: "all good".into(),
        ..Default::default()
    };
    let invoice = Invoice {
        id: new_id(),
        vendor: vendor.id.clone(),
        number: "INV-77".into(),
        date: date("2026-11-26"),
        due: Some(date("2026-12-26")),
        lines,
        total: Money::new(18_200, "EUR"),
        purchase_order: Some(po.id.clone()),
        status: InvoiceStatus::Approved,
        ..Default::default()
    };
    let budget = BudgetLine {
        id: new_id(),
        category: "Supplies".into(),
        period: "2026-Q4".parse().expect("period"),
        amount: Money::new(500_000, "EUR"),
        notes: String::new(),
        ..Default::default()
    };
    let expense = Expense {
        id: new_id(),
        category: "Supplies".into(),
        amount: Money::new(18_200, "EUR"),
        date: date("2026-11-26"),
        note: "Toner".into(),
        vendor: Some(vendor.id.clone()),
        ..Default::default()
    };
    let mut agenda = BTreeMap::new();
    agenda.insert(
        new_id(),
        AgendaItem {
            text: "Budget".into(),
            owner: Some("Ana".into()),
            minutes: Some(10),
            rank: "n".into(),
        },
    );
    let meeting = Meeting {
        id: new_id(),
        title: "Ops weekly".into(),
        starts_at: Stamp::from_millis(1_790_000_000_000),
        duration_minutes: 45,
        location: Some("Room 2".into()),
        attendees: vec!["Ana".into(), "Ben".into()],
        repeat: Some(Repeat::TwoWeeks),
        agenda,
        notes: autosurgeon::Text::with_value("Discussed the move."),
        decisions: "Move in March".into(),
        ..Default::default()
    };
    let mut steps = BTreeMap::new();
    steps.insert(
        new_id(),
        TemplateStep {
            title: "Laptop".into(),
            category: StepCategory::It,
            responsible: "coordinator".into(),
            offset_days: -3,
            rank: "n".into(),
        },
    );
    let template = OnboardingTemplate {
        id: new_id(),
        name: "Office hire".into(),
        steps,
        ..Default::default()
    };
    let plan = OnboardingPlan {
        id: new_id(),
        person: "Eva Novak".into(),
        start_date: date("2026-12-01"),
        manager: Some("Ana".into()),
        site: Some(site.into()),
        template: template.name.clone(),
        ..Default::default()
    };
    let doc = Doc {
        id: new_id(),
        title: "Fire drill SOP".into(),
        category: DocKind::Sop,
        review_months: Some(12),
        owner: Some("Ana".into()),
        review_date: Some(date("2027-06-01")),
        ..Default::default()
    };
    let request = MaintenanceRequest {
        id: new_id(),
        site: site.into(),
        location: "Kitchen".into(),
        description: "Tap leaks".into(),
        priority: Priority::Urgent,
        status: RequestStatus::Scheduled,
        assignee: Some("Hugo".into()),
        vendor: Some(vendor.id.clone()),
        opened_at: Some(Stamp::from_millis(1_790_000_000_000)),
        title: "Kitchen tap".into(),
        closed_at: None,
        ..Default::default()
    };
    (
        vec![task],
        project,
        vendor,
        contract,
        po,
        receipt,
        invoice,
        budget,
        expense,
        meeting,
        template,
        plan,
        doc,
        request,
    )
}

/// Saves `record`, reads it back, and checks only the audit fields changed.
fn roundtrip<R: Record>(store: &bureau::store::Store, record: R) -> R {
    let id = store.create(record.clone()).expect("create");
    let back: R = store.get(&id).expect("get").expect("present");
    let mut expected = serde_json::to_value(&record).expect("json");
    let got = serde_json::to_value(&back).expect("json");
    for field in ["created_at", "created_by", "updated_at", "updated_by"] {
        expected[field] = got[field].clone();
    }
    assert_eq!(expected, got, "{} did not round-trip", R::KIND);
    assert_eq!(back.id(), id);
    assert!(
        !got["created_by"].as_str().unwrap_or("").is_empty(),
        "author recorded"
    );
    back
}

#[test]
fn every_record_kind_round_trips_through_store_and_reopen() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let site = store.ensure_site("HQ").expect("site");
    let (
        tasks,
        project,
        vendor,
        contract,
        po,
        receipt,
        invoice,
        budget,
        expense,
        meeting,
        template,
        plan,
        doc,
        request,
    ) = sample_records(&site);
    for t in tasks {
        roundtrip(&store, t);
    }
    roundtrip(&store, project);
    roundtrip(&store, vendor);
    roundtrip(&store, contract);
    roundtrip(&store, po);
    roundtrip(&store, receipt);
    roundtrip(&store, invoice);
    roundtrip(&store, budget);
    roundtrip(&store, expense);
    roundtrip(&store, meeting);
    roundtrip(
        &store,
        Person {
            id: new_id(),
            name: "Dana Lee".into(),
            title: "Office manager".into(),
            department: "Operations".into(),
            site: Some(site.clone()),
            email: "dana@example.com".into(),
            ..Default::default()
        },
    );
    roundtrip(
        &store,
        Asset {
            id: new_id(),
            tag: "LT-0042".into(),
            name: "Laptop".into(),
            site: Some(site.clone()),
            status: AssetStatus::Assigned,
            holder: Some("Dana Lee".into()),
            warranty_end: Some(date("2027-06-30")),
            ..Default::default()
        },
    );
    roundtrip(
        &store,
        Room {
            id: new_id(),
            name: "Room 1".into(),
            site: Some(site.clone()),
            capacity: 6,
            kind: RoomKind::Room,
            ..Default::default()
        },
    );
    roundtrip(&store, template);
    roundtrip(&store, plan);
    roundtrip(&store, doc);
    roundtrip(&store, request);
    roundtrip(
        &store,
        Member {
            id: new_id(),
            name: "Ben Ode".into(),
            role: Role::Viewer,
            email: Some("ben@acme.example".into()),
            ..Default::default()
        },
    );
    let item = InventoryItem {
        id: new_id(),
        name: "Paper".into(),
        unit: "box".into(),
        reorder_at: 10,
        sku: Some("P-1".into()),
        category: Some("paper".into()),
        reorder_at_site: [(site.clone(), 5)].into(),
        preferred_vendor: None,
        ..Default::default()
    };
    store.create_item(item, Some((&site, 25))).expect("item");
    let rule = store
        .create(automation::Rule {
            id: new_id(),
            name: "When a task is overdue by 3 days: notify".into(),
            when: "task overdue 3d".into(),
            then: "notify".into(),
            ..Default::default()
        })
        .expect("rule");
    store
        .create(automation::RuleFiring {
            id: automation::firing_id(&rule, "t1", "2026-11-20"),
            rule,
            rule_name: "When a task is overdue by 3 days: notify".into(),
            kind: "tasks".into(),
            record: "t1".into(),
            did: "told everyone".into(),
            notify_all: true,
            ..Default::default()
        })
        .expect("firing");

    let before = store.export_json().expect("export");
    fx.close(store);
    let reopened = fx.open("a");
    assert_eq!(
        reopened.export_json().expect("export"),
        before,
        "load(save) equals what was saved"
    );
    let counts = reopened.counts().expect("counts");
    for (kind, _) in bureau::store::ALL_KINDS {
        assert!(counts[kind] >= 1, "{kind} missing after reopen");
    }
}

#[test]
fn invalid_records_are_refused_and_change_nothing() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let before = store.export_json().expect("export");
    let blank = Task {
        id: new_id(),
        title: "  ".into(),
        ..Default::default()
    };
    assert!(matches!(store.create(blank), Err(StoreError::Invalid(_))));
    let blocked = Task {
        id: new_id(),
        title: "x".into(),
        status: TaskStatus::Blocked,
        ..Default::default()
    };
    let err = store.create(blocked).expect_err("blocked needs a reason");
    assert!(err.to_string().contains("blocked reason"), "{err}");
    let item = InventoryItem {
        id: new_id(),
        name: "Paper".into(),
        unit: "box".into(),
        reorder_at: -1,
        ..Default::default()
    };
    assert!(store.create_item(item, None).is_err());
    let missing = store.require::<Task>("nope");
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
    assert_eq!(store.export_json().expect("export"), before);
}

#[test]
fn soft_delete_and_restore() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let id = store
        .create(Task {
            id: new_id(),
            title: "Water plants".into(),
            ..Default::default()
        })
        .expect("create");
    store.delete::<Task>(&id).expect("delete");
    assert!(store.list::<Task>(false).expect("list").is_empty());
    assert_eq!(store.list::<Task>(true).expect("list").len(), 1);
    assert!(
        store
            .require::<Task>(&id)
            .expect("still there")
            .deleted_at
            .is_some()
    );
    store.restore::<Task>(&id).expect("restore");
    assert_eq!(store.list::<Task>(false).expect("list").len(), 1);
}

#[test]
fn queries_find_what_is_slipping() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let today = date("2026-11-22");
    let mk = |title: &str, due: Option<&str>, status: TaskStatus, owner: &str| Task {
        id: new_id(),
        title: title.into(),
        due: due.map(date),
        owner: Some(owner.into()),
        blocked_reason: (status == TaskStatus::Blocked).then(|| "waiting".to_string()),
        status,
        ..Default::default()
    };
    let late = store
        .create(mk("late", Some("2026-11-01"), TaskStatus::Todo, "Ana"))
        .expect("t");
    store
        .create(mk(
            "late but done",
            Some("2026-11-01"),
            TaskStatus::Done,
            "Ana",
        ))
        .expect("t");
    store
        .create(mk("future", Some("2026-12-01"), TaskStatus::Todo, "Ben"))
        .expect("t");
    let blocked = store
        .create(mk("blocked", None, TaskStatus::Blocked, "ben"))
        .expect("t");
    let overdue: Vec<String> = store
        .overdue_tasks(today)
        .expect("q")
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(overdue, vec![late]);
    let blocked_ids: Vec<String> = store
        .blocked_tasks()
        .expect("q")
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(blocked_ids, vec![blocked]);
    assert_eq!(store.tasks_by_owner("BEN").expect("q").len(), 2);

    let hq = store.ensure_site("HQ").expect("site");
    let lis = store.ensure_site("Lisbon").expect("site");
    let item = InventoryItem {
        id: new_id(),
        name: "Paper".into(),
        unit: "box".into(),
        reorder_at: 10,
        ..Default::default()
    };
    let paper = store.create_item(item, Some((&hq, 25))).expect("item");
    store.adjust_stock(&paper, &lis, 3, None).expect("adjust");
    let low = store.low_stock().expect("low");
    assert_eq!(low.len(), 1);
    assert_eq!((low[0].site_id.as_str(), low[0].on_hand), (lis.as_str(), 3));

    let vendor = store
        .create(Vendor {
            id: new_id(),
            name: "V".into(),
            ..Default::default()
        })
        .expect("v");
    let contract = |renewal: &str| Contract {
        id: new_id(),
        vendor: vendor.clone(),
        title: "c".into(),
        start: date("2026-01-01"),
        end: Some(date(renewal)),
        annual_value: Money::new(1, "EUR"),
        ..Default::default()
    };
    let soon = store.create(contract("2026-12-10")).expect("c");
    store.create(contract("2027-06-10")).expect("c");
    store.create(contract("2026-10-10")).expect("c");
    let renewals = store.contracts_renewing_within(today, 30).expect("q");
    assert_eq!(renewals.len(), 1);
    assert_eq!(
        (renewals[0].contract.id.clone(), renewals[0].days_left),
        (soon, 18)
    );

    let po = store
        .create(PurchaseOrder {
            id: new_id(),
            number: "PO-1".into(),
            vendor: vendor.clone(),
            requested_by: "Ana".into(),
            ..Default::default()
        })
        .expect("po");
    store
        .create(PurchaseOrder {
            id: new_id(),
            number: "PO-2".into(),
            vendor: vendor.clone(),
            status: PoStatus::Closed,
            requested_by: "Ana".into(),
            ..Default::default()
        })
        .expect("po");
    assert_eq!(store.open_purchase_orders().expect("q").len(), 1);
    store
        .create(Invoice {
            id: new_id(),
            vendor: vendor.clone(),
            number: "I-1".into(),
            date: today,
            total: Money::new(5, "EUR"),
            purchase_order: Some(po),
            ..Default::default()
        })
        .expect("inv");
    let unmatched = store
        .create(Invoice {
            id: new_id(),
            vendor,
            number: "I-2".into(),
            date: today,
            total: Money::new(5, "EUR"),
            ..Default::default()
        })
        .expect("inv");
    let found: Vec<String> = store
        .unmatched_invoices()
        .expect("q")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(found, vec![unmatched]);
}

#[test]
fn completing_a_recurring_task_creates_the_next_one() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let id = store
        .create(Task {
            id: new_id(),
            title: "Water plants".into(),
            due: Some(date("2026-11-30")),
            recurrence: Some(Recurrence::Weekly),
            ..Default::default()
        })
        .expect("create");
    let next = store
        .set_task_status(&id, TaskStatus::Done, None)
        .expect("done")
        .expect("next");
    let next = store.require::<Task>(&next).expect("next task");
    assert_eq!(next.due, Some(date("2026-12-07")));
    assert_eq!(next.status, TaskStatus::Todo);
    assert_eq!(
        store.require::<Task>(&id).expect("t").status,
        TaskStatus::Done
    );
    // Completing it again does not create another occurrence.
    assert!(
        store
            .set_task_status(&id, TaskStatus::Done, None)
            .expect("done")
            .is_none()
    );
}

#[test]
fn stock_counts_apply_the_difference_and_are_logged() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let hq = store.ensure_site("HQ").expect("site");
    let item = InventoryItem {
        id: new_id(),
        name: "Paper".into(),
        unit: "box".into(),
        reorder_at: 10,
        ..Default::default()
    };
    let id = store.create_item(item, Some((&hq, 25))).expect("item");
    let change = store
        .adjust_stock(&id, &hq, -3, Some("used"))
        .expect("adjust");
    assert_eq!((change.before, change.after), (25, 22));
    let change = store.count_stock(&id, &hq, 17).expect("count");
    assert_eq!((change.before, change.after), (22, 17));
    assert_eq!(store.item_stock(&id).expect("stock").on_hand[&hq], 17);
    let log = store.movements(&id).expect("log");
    let kinds: Vec<(MovementKind, i64)> = log.iter().map(|m| (m.kind, m.delta)).collect();
    assert_eq!(
        kinds,
        vec![
            (MovementKind::Initial, 25),
            (MovementKind::Adjust, -3),
            (MovementKind::Count, -5)
        ]
    );
    assert_eq!(log[2].counted, Some(17));
    assert!(store.adjust_stock(&id, "no-such-site", 1, None).is_err());
    assert!(store.adjust_stock("no-such-item", &hq, 1, None).is_err());
    assert!(store.count_stock(&id, &hq, -1).is_err());
}
