//! Meetings, rooms and onboarding across devices, through the operations
//! layer: action items and their tasks linked both ways after a sync;
//! two people taking notes offline both keep their words; a room booked
//! twice on two offline devices shows the same clash on both and one move
//! ends it; plan due dates from offsets; the leaver's revoke-access step
//! removes the person's devices, and only an admin can complete it.

use bureau::model::bookings::{self, Move};
use bureau::model::{
    Date, Meeting, OnboardingPlan, PlanKind, Role, Room, StepCategory, Task, TaskStatus,
};
use bureau::ops::{AgendaInput, Op, PlanInput, Session, TextChange};
use bureau::store::Store;

use crate::common;
use common::Fixture;
use common::net::Net;
use common::purchasing::{apply, create, merge};

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).expect("date")
}

/// Replica "a" with a site and two rooms, cloned to "b".
fn two_devices(fx: &Fixture) -> (Store, Session, Store, Session) {
    let a = fx.init("a");
    let mut s = Session::open(&a).expect("session");
    create(&a, &mut s, "sites", &[("name", "HQ")]);
    create(
        &a,
        &mut s,
        "rooms",
        &[("name", "Room 1"), ("site", "HQ"), ("capacity", "6")],
    );
    create(
        &a,
        &mut s,
        "rooms",
        &[("name", "Big room"), ("site", "HQ"), ("capacity", "12")],
    );
    drop(s);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    let today = day(2026, 11, 27);
    let sa = Session::open(&a).expect("a").with_today(today);
    let sb = Session::open(&b).expect("b").with_today(today);
    (a, sa, b, sb)
}

fn meeting(store: &Store, session: &mut Session, title: &str, at: &str, room: &str) -> String {
    create(
        store,
        session,
        "meetings",
        &[
            ("title", title),
            ("starts_at", at),
            ("duration_minutes", "60"),
            ("room", room),
            ("attendees", "Ana Ruiz, Guest"),
        ],
    )
}

/// The notes of meeting `m` changed as the meeting page sends it.
fn edit_notes(m: &str, change: TextChange) -> Op {
    Op::EditText {
        kind: "meetings".into(),
        id: m.to_string(),
        field: "notes".into(),
        change,
    }
}

fn action_items(store: &Store, meeting: &str) -> Vec<Task> {
    store
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .filter(|t| t.meeting.as_deref() == Some(meeting))
        .collect()
}

#[test]
fn an_action_item_and_its_task_are_linked_both_ways_after_sync() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb) = two_devices(&fx);
    let m = meeting(&a, &mut sa, "Ops weekly", "2026-11-30 14:00", "Room 1");
    merge(&a, &b);
    // Ben's device records the action item; Ana's sees it on the meeting.
    let task = create(
        &b,
        &mut sb,
        "tasks",
        &[
            ("title", "Call the landlord"),
            ("owner", "Ana Ruiz"),
            ("due", "2026-12-02"),
            ("meeting", &m),
        ],
    );
    merge(&a, &b);
    let seen = action_items(&a, &m);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].id, task);
    assert_eq!(
        a.require::<Task>(&task).expect("task").meeting.as_deref(),
        Some(m.as_str())
    );
    // The meeting shows the task's live status: done on A, seen on B.
    apply(&a, &mut sa, Op::set("tasks", &task, "status", "done"));
    merge(&a, &b);
    assert_eq!(action_items(&b, &m)[0].status, TaskStatus::Done);
    // A meeting named by a title that is not one is refused, saving nothing.
    let refused = sb.apply(
        &b,
        Op::Create {
            kind: "tasks".into(),
            fields: vec![
                ("title".into(), "Stray".into()),
                ("meeting".into(), "No such meeting".into()),
            ],
        },
    );
    assert!(refused.is_err());
    assert_eq!(b.list::<Task>(false).expect("tasks").len(), 1);
}

#[test]
fn two_people_taking_notes_offline_both_keep_their_words() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb) = two_devices(&fx);
    let m = meeting(&a, &mut sa, "Ops weekly", "2026-11-30 14:00", "Room 1");
    let notes = |store: &Store| {
        store
            .require::<Meeting>(&m)
            .expect("meeting")
            .notes
            .as_str()
            .to_string()
    };
    apply(
        &a,
        &mut sa,
        edit_notes(
            &m,
            TextChange::Append {
                text: "Budget: on track".into(),
            },
        ),
    );
    merge(&a, &b);
    let base = notes(&a);
    // Offline: Ana fixes a word at the start, Ben adds a line at the end.
    apply(
        &a,
        &mut sa,
        edit_notes(
            &m,
            TextChange::Replace {
                before: base.clone(),
                after: base.replace("on track", "on track (café costs up)"),
            },
        ),
    );
    apply(
        &b,
        &mut sb,
        edit_notes(
            &m,
            TextChange::Replace {
                before: base.clone(),
                after: format!("{base}Printer: call the vendor\n"),
            },
        ),
    );
    merge(&a, &b);
    assert_eq!(
        notes(&a),
        "Budget: on track (café costs up)\nPrinter: call the vendor\n"
    );
    // Ana's text edit sent against the copy she had (before Ben's line
    // arrived) still keeps Ben's line.
    let stale = "Budget: on track (café costs up)\n";
    apply(
        &a,
        &mut sa,
        edit_notes(
            &m,
            TextChange::Replace {
                before: stale.into(),
                after: "Budget: on track (café costs up)\nChairs: order 4\n".into(),
            },
        ),
    );
    assert_eq!(
        notes(&a),
        "Budget: on track (café costs up)\nChairs: order 4\nPrinter: call the vendor\n"
    );
    // Undo takes back only Ana's last change.
    sa.undo(&a).expect("undo");
    assert_eq!(
        notes(&a),
        "Budget: on track (café costs up)\nPrinter: call the vendor\n"
    );
}

#[test]
fn a_room_booked_twice_offline_shows_one_clash_on_both_devices_and_one_move_ends_it() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb) = two_devices(&fx);
    let mine = meeting(&a, &mut sa, "Budget review", "2026-12-01 10:00", "Room 1");
    let theirs = meeting(&b, &mut sb, "Vendor call", "2026-12-01 10:30", "Room 1");
    merge(&a, &b);
    let report = |store: &Store| {
        let meetings = store.list::<Meeting>(false).expect("meetings");
        let rooms = store.list::<Room>(false).expect("rooms");
        let (from, to) = bookings::window(day(2026, 11, 27));
        bookings::resolutions(
            &meetings.iter().collect::<Vec<_>>(),
            &rooms.iter().collect::<Vec<_>>(),
            from,
            to,
        )
    };
    let (on_a, on_b) = (report(&a), report(&b));
    assert_eq!(
        on_a, on_b,
        "both devices report the same clash and the same move"
    );
    assert_eq!(on_a.len(), 1);
    let ids = [
        on_a[0].clash.first.meeting.as_str(),
        on_a[0].clash.second.meeting.as_str(),
    ];
    assert!(ids.contains(&mine.as_str()) && ids.contains(&theirs.as_str()));
    // One click: the suggested move, as an edit of the room alone.
    let moving = on_a[0].moving.clone().expect("a meeting to move");
    let Some(Move::Room { room }) = on_a[0].to.clone() else {
        panic!("a free room is suggested: {:?}", on_a[0].to)
    };
    let big = a
        .list::<Room>(false)
        .expect("rooms")
        .into_iter()
        .find(|r| r.name == "Big room")
        .expect("big room");
    assert_eq!(room, big.id);
    apply(&b, &mut sb, Op::set("meetings", &moving, "room", &room));
    merge(&a, &b);
    assert!(
        report(&a).is_empty() && report(&b).is_empty(),
        "the clash is gone on both"
    );
}

#[test]
fn a_plan_gives_each_step_an_owner_and_a_working_day_from_its_offset() {
    let fx = Fixture::new();
    let (a, mut sa, _b, _sb) = two_devices(&fx);
    // Monday 1 March 2027: the badge (−2 days) falls on Saturday and moves
    // to Friday 26 February; the first-week check-in (+4) is Friday 5 March;
    // the 30-day check-in (+30) is Wednesday 31 March.
    let plan = apply(
        &a,
        &mut sa,
        Op::StartPlan {
            plan: PlanInput {
                kind: PlanKind::Onboarding,
                person: "Dana Lee".into(),
                template: "New hire".into(),
                date: "2027-03-01".into(),
                manager: Some("ana".into()),
                site: Some("HQ".into()),
            },
            id: None,
        },
    );
    let steps: Vec<Task> = a
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .filter(|t| t.plan.as_deref() == Some(plan.as_str()))
        .collect();
    assert_eq!(steps.len(), 7);
    let due = |category: StepCategory, title: &str| {
        steps
            .iter()
            .find(|t| t.step == Some(category) && t.title.starts_with(title))
            .and_then(|t| t.due)
            .expect("step")
    };
    assert_eq!(due(StepCategory::Badge, "Badge"), day(2027, 2, 26));
    assert_eq!(due(StepCategory::Hr, "First-week"), day(2027, 3, 5));
    assert_eq!(due(StepCategory::Hr, "30-day"), day(2027, 3, 31));
    let check_in = steps
        .iter()
        .find(|t| t.title.starts_with("First-week"))
        .expect("check-in");
    assert_eq!(
        check_in.owner.as_deref(),
        Some("Ana Ruiz"),
        "the manager's step is the manager's"
    );
    let stored = a.require::<OnboardingPlan>(&plan).expect("plan");
    assert_eq!(
        (stored.person.as_str(), stored.start_date),
        ("Dana Lee", day(2027, 3, 1))
    );
    // A leaver's template is not an onboarding one.
    let wrong = sa.apply(
        &a,
        Op::StartPlan {
            plan: PlanInput {
                kind: PlanKind::Onboarding,
                person: "Eve".into(),
                template: "Leaver".into(),
                date: "2027-03-01".into(),
                manager: None,
                site: None,
            },
            id: None,
        },
    );
    assert!(wrong.unwrap_err().to_string().contains("offboarding"));
}

#[test]
fn revoking_a_leavers_access_removes_their_devices_and_only_an_admin_can() {
    let net = Net::new();
    let ana = net.found("office");
    let ticket = net.invite(&ana, Role::Member);
    let ben = net.join("laptop", &ticket, "Ben Ode");
    let ticket = net.invite(&ana, Role::Member);
    let cleo = net.join("phone", &ticket, "Cleo");
    net.sync(&ana);
    let leaver = |store: &Store, session: &mut Session, person: &str| {
        let plan = apply(
            store,
            session,
            Op::StartPlan {
                plan: PlanInput {
                    kind: PlanKind::Offboarding,
                    person: person.into(),
                    template: String::new(),
                    date: "2026-12-18".into(),
                    manager: None,
                    site: None,
                },
                id: None,
            },
        );
        store
            .list::<Task>(false)
            .expect("tasks")
            .into_iter()
            .find(|t| {
                t.plan.as_deref() == Some(plan.as_str()) && t.step == Some(StepCategory::Access)
            })
            .expect("access step")
            .id
    };
    // Ben (a member, not an admin) cannot complete Cleo's revoke step, by
    // the action or by ticking the task.
    let mut ben_session = Session::open_with(ben.store(), Some(ben.access())).expect("session");
    let step = leaver(ben.store(), &mut ben_session, "Cleo");
    let refused = ben_session.apply(ben.store(), Op::RevokeAccess { task: step.clone() });
    assert!(
        refused.unwrap_err().to_string().contains("only an admin"),
        "a member is refused"
    );
    let ticked = ben_session.apply(ben.store(), Op::set("tasks", &step, "status", "done"));
    assert!(
        ticked.unwrap_err().to_string().contains("revoking"),
        "no way round by the status"
    );
    assert!(
        ben.access().current().find("Cleo").is_ok(),
        "Cleo is still a member"
    );
    // Ana (admin) offboards Ben: completing the step removes his device.
    let mut ana_session = Session::open_with(ana.store(), Some(ana.access())).expect("session");
    let step = leaver(ana.store(), &mut ana_session, "Ben Ode");
    let done = ana_session
        .apply(ana.store(), Op::RevokeAccess { task: step.clone() })
        .expect("revoked");
    assert!(done.message.unwrap_or_default().contains("Removed Ben Ode"));
    assert!(
        ana.access().current().find("Ben Ode").is_err(),
        "Ben is no longer a member"
    );
    assert_eq!(
        ana.store().require::<Task>(&step).expect("step").status,
        TaskStatus::Done
    );
    // Cleo's device hears of it: her membership changes when it arrives
    // (waited for on its watch channel, with a timeout against a hang).
    let mut watch = cleo.access().subscribe();
    let heard = net.rt.block_on(async {
        tokio::time::timeout(common::net::TIMEOUT, async {
            while watch.borrow_and_update().find("Ben Ode").is_ok() {
                if watch.changed().await.is_err() {
                    break;
                }
            }
        })
        .await
    });
    assert!(heard.is_ok(), "Cleo's device knows too");
    assert!(cleo.access().current().find("Ben Ode").is_err());
    for node in [ana, ben, cleo] {
        net.stop(node);
    }
}

/// Keeps `AgendaInput` exercised through the layer the CLI uses.
#[test]
fn agenda_points_added_offline_on_two_devices_all_stay_in_order() {
    let fx = Fixture::new();
    let (a, mut sa, b, mut sb) = two_devices(&fx);
    let m = meeting(&a, &mut sa, "Ops weekly", "2026-11-30 14:00", "Room 1");
    let point = |text: &str| Op::AddAgendaItem {
        meeting: m.clone(),
        point: AgendaInput {
            text: text.into(),
            owner: None,
            minutes: Some(10),
        },
        id: None,
    };
    apply(&a, &mut sa, point("Budget"));
    merge(&a, &b);
    let first = apply(&a, &mut sa, point("Office move"));
    apply(&b, &mut sb, point("Hiring"));
    merge(&a, &b);
    // Ana moves her point first while Ben's arrives: all three stay.
    apply(
        &a,
        &mut sa,
        Op::MoveAgendaItem {
            meeting: m.clone(),
            item: first,
            after: None,
        },
    );
    merge(&a, &b);
    let order: Vec<String> = a
        .require::<Meeting>(&m)
        .expect("meeting")
        .agenda_in_order()
        .into_iter()
        .map(|(_, p)| p.text.clone())
        .collect();
    assert_eq!(order.len(), 3);
    assert_eq!(order[0], "Office move");
    assert!(order.contains(&"Hiring".to_string()) && order.contains(&"Budget".to_string()));
}
