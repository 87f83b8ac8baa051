//! Meetings and Onboarding driven as a coordinator would, with
//! egui_kittest: a meeting added from the list, its agenda, notes typed
//! (saved once typing pauses), an action item that becomes a task, a
//! double booking shown with the move that ends it; a new hire's plan
//! started from the form and ticked off, and a leaver's access revoked
//! by the admin after confirming.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ops::Session;
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, retype, workspace};
use common::purchasing::create;
use egui_kittest::kittest::Queryable;

fn office(store: &bureau::store::Store) {
    let mut s = Session::open(store).expect("session");
    create(store, &mut s, "sites", &[("name", "HQ")]);
    create(
        store,
        &mut s,
        "rooms",
        &[("name", "Room 1"), ("site", "HQ"), ("capacity", "6")],
    );
    create(
        store,
        &mut s,
        "rooms",
        &[("name", "Big room"), ("site", "HQ"), ("capacity", "12")],
    );
    create(
        store,
        &mut s,
        "meetings",
        &[
            ("title", "Budget review"),
            ("starts_at", "+2d 10:00"),
            ("duration_minutes", "60"),
            ("room", "Room 1"),
        ],
    );
}

#[test]
fn a_meeting_gets_an_agenda_notes_and_an_action_item_and_its_clash_is_moved() {
    let app = workspace(office);
    let mut h = harness(Backend::inline(&app.path), AreaTab::Meetings);
    h.get_by_label("Meetings (1)");
    // A second booking of Room 1 at an overlapping time.
    retype(&mut h, "Title", "Vendor call");
    retype(&mut h, "When", "+2d 10:30");
    retype(&mut h, "Room", "Room 1");
    click(&mut h, "Add meeting");
    h.get_by_label("Meetings (2)");
    h.get_by_label("Room clashes: 1");
    h.get_by_label("Vendor call (room clash)").click();
    h.run();
    // The page says what clashes and offers the move that ends it.
    h.get_by_label_contains("Room clash: Room 1");
    click(&mut h, "Move “Vendor call” to Big room");
    assert!(
        h.query_by_label("Room clashes: 1").is_none(),
        "the clash is gone"
    );

    retype(&mut h, "New point", "Printer contract");
    retype(&mut h, "Time box (min)", "10");
    click(&mut h, "Add point");
    h.get_by_label_contains("1. Printer contract (10 min)");
    h.get_by_label("Notes").focus();
    h.run();
    h.get_by_label("Notes")
        .type_text("Printer: renew for a year");
    // Saved once typing pauses (under a second).
    h.run_steps(60);
    retype(&mut h, "New action", "Ask for three quotes");
    retype(&mut h, "Action owner", "Ana Ruiz");
    // A due date still ahead whatever day the test runs (a past one reads
    // "late").
    let due = (chrono::Local::now().date_naive() + chrono::Days::new(30)).to_string();
    retype(&mut h, "Action due", &due);
    click(&mut h, "Add action item");
    h.get_by_label("Ask for three quotes");
    h.get_by_label(&format!("due {due}"));

    let store = h.state_mut().backend_mut().store().expect("store");
    let call = store
        .list::<Meeting>(false)
        .expect("meetings")
        .into_iter()
        .find(|m| m.title == "Vendor call")
        .expect("meeting");
    let big = store
        .list::<Room>(false)
        .expect("rooms")
        .into_iter()
        .find(|r| r.name == "Big room")
        .expect("room");
    assert_eq!(
        call.room.as_deref(),
        Some(big.id.as_str()),
        "moved by editing the room alone"
    );
    assert_eq!(call.notes.as_str(), "Printer: renew for a year");
    assert_eq!(
        call.agenda
            .values()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>(),
        ["Printer contract"]
    );
    let task = store
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .find(|t| t.title == "Ask for three quotes")
        .expect("action item");
    assert_eq!(task.meeting.as_deref(), Some(call.id.as_str()));
    assert_eq!(task.owner.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn a_new_hire_plan_is_started_ticked_off_and_a_leavers_access_revoked() {
    let app = workspace(office);
    let mut h = harness(Backend::inline(&app.path), AreaTab::Onboarding);
    retype(&mut h, "Person's name", "Dana Lee");
    retype(&mut h, "Start", "2026-12-07");
    click(&mut h, "Start plan");
    h.get_by_label("Plans (1)");
    h.get_by_label("0 of 7 done");
    // The plan opens: its steps are tasks with owners and dates.
    h.get_by_label("Dana Lee joins");
    h.get_by_label("Badge access (Dana Lee)");
    let store = h.state_mut().backend_mut().store().expect("store");
    let badge = store
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .find(|t| t.title == "Badge access (Dana Lee)")
        .expect("step");
    assert_eq!(
        badge.due,
        Date::new(2026, 12, 4),
        "two days before a Monday start: the Friday"
    );
    click(&mut h, "Badge access (Dana Lee)");
    h.get_by_label("1 of 7 done");

    click(&mut h, "Someone leaves");
    retype(&mut h, "Person's name", "Ben Ode");
    retype(&mut h, "Last day", "2026-12-18");
    click(&mut h, "Start plan");
    h.get_by_label("Ben Ode leaves");
    click(&mut h, "Revoke access…");
    click(&mut h, "Yes, revoke access…");
    h.get_by_label("1 of 5 done");
    let store = h.state_mut().backend_mut().store().expect("store");
    let revoked = store
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .find(|t| t.title == "Revoke access (Ben Ode)")
        .expect("step");
    assert_eq!(revoked.status, TaskStatus::Done);
}

#[test]
fn a_built_in_template_is_made_editable_and_a_step_added() {
    let app = workspace(office);
    let mut h = harness(Backend::inline(&app.path), AreaTab::Onboarding);
    click(&mut h, "Templates (2)");
    click(&mut h, "New hire (onboarding)");
    click(&mut h, "Make editable");
    retype(&mut h, "When", "+7d");
    retype(&mut h, "New step", "Lunch with the team");
    retype(&mut h, "Category", "introductions");
    retype(&mut h, "Who", "manager");
    click(&mut h, "Add step");
    let store = h.state_mut().backend_mut().store().expect("store");
    let own = store.list::<OnboardingTemplate>(false).expect("templates");
    assert_eq!(own.len(), 1, "the copy replaces the built-in one by name");
    assert_eq!(own[0].name, "New hire");
    let added = own[0]
        .steps
        .values()
        .find(|s| s.title == "Lunch with the team")
        .expect("step added");
    assert_eq!(
        (
            added.offset_days,
            added.category,
            added.responsible.as_str()
        ),
        (7, StepCategory::Introductions, "manager")
    );
    assert_eq!(own[0].steps.len(), 8);
    // Plans started from it now have the new step too.
    click(&mut h, "Plans (0)");
    retype(&mut h, "Person's name", "Dana Lee");
    retype(&mut h, "Start", "2026-12-07");
    click(&mut h, "Start plan");
    h.get_by_label("0 of 8 done");
}
