//! Rules and reminders on replicas that work apart: three offline peers
//! that fire the same rule make one escalation and one task after they
//! merge; a member's two devices show a reminder once and agree on what
//! was read.

use bureau::model::automation::RuleFiring;
use bureau::model::*;
use bureau::ops::{Op, Session};
use bureau::store::{Mark, Store};
use bureau::views::{ViewModel, Views};

use crate::common;
use common::Fixture;
use common::purchasing::{apply, create, merge};

fn today() -> Date {
    Date::new(2026, 11, 20).expect("date")
}

/// The view as the app computes it at noon of `today()`.
fn view(store: &Store) -> ViewModel {
    let mut views = Views::new();
    let mut vm = ViewModel {
        today: today(),
        now: Stamp::from_millis(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .expect("noon")
                .and_utc()
                .timestamp_millis(),
        ),
        ..Default::default()
    };
    views.refresh(store, &mut vm).expect("refresh");
    while views.loading() {
        views.refresh(store, &mut vm).expect("refresh");
    }
    vm
}

/// A task of Ana's due on `due` (a past day: overdue).
fn anas_task(store: &Store, session: &mut Session, title: &str, due: &str) -> String {
    create(
        store,
        session,
        "tasks",
        &[("title", title), ("due", due), ("owner", "Ana Ruiz")],
    )
}

fn follow_ups(store: &Store) -> Vec<Task> {
    store
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .filter(|t| t.title.starts_with("Follow up"))
        .collect()
}

#[test]
fn three_offline_peers_fire_a_rule_once_after_they_merge() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session").with_today(today());
    anas_task(&a, &mut session, "Renew the lease", "2026-11-15");
    for then in ["escalate Ana Ruiz", "create task for ana"] {
        apply(
            &a,
            &mut session,
            Op::AddRule {
                when: "task overdue 3d".into(),
                then: then.into(),
            },
        );
    }
    drop(session);
    fx.close(a);
    fx.clone_replica("a", "b");
    fx.clone_replica("a", "c");
    let peers: Vec<Store> = ["a", "b", "c"].iter().map(|p| fx.open(p)).collect();
    for store in &peers {
        let mut session = Session::open(store).expect("session").with_today(today());
        let fired = session.run_rules(store).expect("run");
        assert_eq!(fired.len(), 2, "each peer, alone, fires both rules");
        assert_eq!(follow_ups(store).len(), 1);
    }
    merge(&peers[0], &peers[1]);
    merge(&peers[1], &peers[2]);
    merge(&peers[0], &peers[1]);
    for store in &peers {
        let log = store.list::<RuleFiring>(false).expect("log");
        assert_eq!(
            log.len(),
            2,
            "one escalation and one task creation: {log:#?}"
        );
        let escalation = log
            .iter()
            .find(|f| f.did.starts_with("escalated"))
            .expect("escalation");
        assert_eq!(escalation.person.as_deref(), Some("Ana Ruiz"));
        assert!(escalation.what.contains("Renew the lease") && escalation.what.contains("5 day"));
        let tasks = follow_ups(store);
        assert_eq!(tasks.len(), 1, "one follow-up task, not three");
        assert_eq!(tasks[0].owner.as_deref(), Some("Ana Ruiz"));
        // Nothing is due again: the firings are known.
        let mut session = Session::open(store).expect("session").with_today(today());
        assert!(session.run_rules(store).expect("run").is_empty());
        assert!(
            store
                .conflicts::<Task>(&tasks[0].id)
                .expect("conflicts")
                .is_empty()
        );
    }
}

#[test]
fn a_rule_is_checked_when_added() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session");
    let err = session
        .apply(
            &a,
            Op::AddRule {
                when: "task overdue 3d".into(),
                then: "escalate Zed".into(),
            },
        )
        .expect_err("not a member");
    assert!(err.to_string().contains("Ana Ruiz"), "{err}");
    let err = session
        .apply(
            &a,
            Op::AddRule {
                when: "task overdue 3d".into(),
                then: "draft po".into(),
            },
        )
        .expect_err("orders are for stock");
    assert!(err.to_string().contains("stock low"), "{err}");
    assert!(a.list::<automation::Rule>(true).expect("rules").is_empty());
}

#[test]
fn a_members_two_devices_show_a_reminder_once_and_agree_it_was_read() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session").with_today(today());
    anas_task(&a, &mut session, "Pay the rent", "2026-11-18");
    create(
        &a,
        &mut session,
        "tasks",
        &[("title", "Ben's errand"), ("due", "2026-11-18")],
    );
    drop(session);
    fx.close(a);
    fx.clone_replica("a", "laptop");
    let (desk, laptop) = (fx.open("a"), fx.open("laptop"));
    let (vd, vl) = (view(&desk), view(&laptop));
    for vm in [&vd, &vl] {
        let titles: Vec<&str> = vm
            .inbox
            .entries
            .iter()
            .map(|e| e.reminder.title.as_str())
            .collect();
        assert_eq!(titles, ["Overdue: Pay the rent"], "only Ana's own task");
        assert_eq!(vm.inbox.unread, 1);
    }
    assert_eq!(
        vd.inbox.entries[0].reminder.key,
        vl.inbox.entries[0].reminder.key
    );
    // The desk notifies first; once synced, the laptop does not again.
    let sd = Session::open(&desk).expect("desk");
    bureau::minder::deliver(&sd, &desk, &vd.inbox, false);
    assert_eq!(view(&desk).inbox.to_notify().count(), 0);
    merge(&desk, &laptop);
    assert_eq!(view(&laptop).inbox.to_notify().count(), 0, "notified once");
    // Read on the laptop is read on the desk.
    let key = vl.inbox.entries[0].reminder.key.clone();
    let sl = Session::open(&laptop).expect("laptop");
    sl.mark_reminder(&laptop, &key, Mark::Read).expect("read");
    merge(&desk, &laptop);
    let on_desk = view(&desk);
    assert_eq!(on_desk.inbox.unread, 0);
    assert!(on_desk.inbox.entries[0].state.read_at.is_some());
    sd.mark_reminder(&desk, &key, Mark::Unread).expect("unread");
    assert_eq!(view(&desk).inbox.unread, 1);
    // Snoozed till later: not counted until then.
    let later = Stamp::from_millis(on_desk.now.millis() + 3_600_000);
    sd.mark_reminder(&desk, &key, Mark::Snooze(later))
        .expect("snooze");
    let snoozed = view(&desk);
    assert!(snoozed.inbox.entries[0].snoozed && snoozed.inbox.unread == 0);
}

#[test]
fn two_offline_peers_drafting_an_order_for_low_stock_make_one_order() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session").with_today(today());
    create(&a, &mut session, "vendors", &[("name", "Office Depot")]);
    apply(
        &a,
        &mut session,
        Op::CreateItem {
            fields: vec![
                ("name".into(), "Copy paper".into()),
                ("unit".into(), "box".into()),
                ("reorder_at".into(), "5".into()),
                ("preferred_vendor".into(), "Office Depot".into()),
            ],
            site: Some("HQ".into()),
            qty: 1,
        },
    );
    apply(
        &a,
        &mut session,
        Op::AddRule {
            when: "stock low".into(),
            then: "draft po".into(),
        },
    );
    drop(session);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    for store in [&a, &b] {
        let mut session = Session::open(store).expect("session").with_today(today());
        let fired = session.run_rules(store).expect("run");
        assert_eq!(fired.len(), 1, "{fired:#?}");
        assert!(fired[0].did.starts_with("Drafted"), "{fired:#?}");
    }
    merge(&a, &b);
    for store in [&a, &b] {
        let orders = store.list::<PurchaseOrder>(false).expect("orders");
        assert_eq!(orders.len(), 1, "one draft, not two: {orders:#?}");
        assert!(orders[0].notes.starts_with("Drafted by the rule"));
        assert_eq!(orders[0].lines.len(), 1);
        assert_eq!(store.list::<RuleFiring>(false).expect("log").len(), 1);
    }
}

/// The view as the app computes it at `now`.
fn view_at(store: &Store, now: Stamp) -> ViewModel {
    let mut views = Views::new();
    let mut vm = ViewModel {
        today: now.local_date(),
        now,
        ..Default::default()
    };
    views.refresh(store, &mut vm).expect("refresh");
    while views.loading() {
        views.refresh(store, &mut vm).expect("refresh");
    }
    vm
}

#[test]
fn each_area_reminds_of_its_own_deadlines() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let now = Stamp::now();
    let today = now.local_date();
    let day = |n: i64| today.add_days(n).to_string();
    let mut s = Session::open(&a).expect("session");
    anas_task(&a, &mut s, "Pay the rent", &day(-1));
    create(&a, &mut s, "vendors", &[("name", "Office Depot")]);
    create(
        &a,
        &mut s,
        "contracts",
        &[
            ("title", "Cleaning"),
            ("vendor", "Office Depot"),
            ("start", &day(-300)),
            ("end", &day(20)),
            ("notice_days", "10"),
        ],
    );
    apply(
        &a,
        &mut s,
        Op::CreateItem {
            fields: vec![
                ("name".into(), "Copy paper".into()),
                ("unit".into(), "box".into()),
                ("reorder_at".into(), "5".into()),
            ],
            site: Some("HQ".into()),
            qty: 1,
        },
    );
    let doc = apply(
        &a,
        &mut s,
        Op::CreateDoc {
            fields: vec![
                ("title".into(), "Fire drill".into()),
                ("category".into(), "sop".into()),
            ],
            body: String::new(),
        },
    );
    let reviewed = vec![
        ("last_reviewed".into(), day(-400)),
        ("review_months".into(), "12".into()),
    ];
    apply(
        &a,
        &mut s,
        Op::Edit {
            kind: "docs".into(),
            id: doc,
            fields: reviewed,
        },
    );
    let soon = chrono::Local::now() + chrono::Duration::minutes(5);
    let starts = soon.format("%Y-%m-%d %H:%M").to_string();
    create(
        &a,
        &mut s,
        "meetings",
        &[
            ("title", "Standup"),
            ("starts_at", &starts),
            ("duration_minutes", "15"),
        ],
    );
    create(
        &a,
        &mut s,
        "maintenance",
        &[
            ("title", "Door sticks"),
            ("site", "HQ"),
            ("priority", "urgent"),
        ],
    );
    let titles = |vm: &ViewModel| -> Vec<String> {
        vm.inbox
            .entries
            .iter()
            .map(|e| e.reminder.title.clone())
            .collect()
    };
    let now_titles = titles(&view_at(&a, now));
    for wanted in [
        "Overdue: Pay the rent",
        "Notice deadline: Cleaning",
        "Low stock: Copy paper",
        "Review due: Fire drill",
    ] {
        assert!(
            now_titles.iter().any(|t| t == wanted),
            "{wanted}: {now_titles:?}"
        );
    }
    assert!(
        now_titles.iter().any(|t| t.ends_with("min: Standup")),
        "{now_titles:?}"
    );
    assert!(
        !now_titles.iter().any(|t| t.contains("Door sticks")),
        "not late yet"
    );
    // Two days on: the urgent request is past its one-day SLA, the
    // meeting is over.
    let later = titles(&view_at(
        &a,
        Stamp::from_millis(now.millis() + 2 * 86_400_000),
    ));
    assert!(
        later.iter().any(|t| t == "Past its SLA: Door sticks"),
        "{later:?}"
    );
    assert!(!later.iter().any(|t| t.contains("Standup")), "{later:?}");
}
