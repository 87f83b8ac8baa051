//! History, conflicts, reminders and rules driven as a coordinator would,
//! with egui_kittest: a conflict counted in the sidebar and resolved with
//! one click; a reminder read; a rule typed in that fires and shows in the
//! log; a task's change history with an earlier version put back.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ops::{Op, Session};
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, retype, workspace};
use egui_kittest::kittest::Queryable;

fn today() -> Date {
    Date(chrono::Local::now().date_naive())
}

fn add_task(store: &bureau::store::Store, fields: &[(&str, &str)]) -> String {
    let mut session = Session::open(store).expect("session");
    let fields = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    session
        .apply(
            store,
            Op::Create {
                kind: "tasks".into(),
                fields,
            },
        )
        .expect("task")
        .created
        .expect("id")
}

#[test]
fn a_conflict_is_counted_in_the_sidebar_and_one_click_keeps_a_value() {
    let mut id = String::new();
    let app = workspace(|s| id = add_task(s, &[("title", "Order toner")]));
    // A second device of Ana's edits the priority while apart.
    let other = app._dir.path().join("laptop");
    common::copy_dir(&app.path, &other);
    let rt = common::runtime();
    let (a, b) = (
        rt.block_on(bureau::store::Store::open(&app.path, "test"))
            .expect("a"),
        rt.block_on(bureau::store::Store::open(&other, "test"))
            .expect("b"),
    );
    for (store, priority) in [(&a, "high"), (&b, "low")] {
        Session::open(store)
            .expect("session")
            .apply(store, Op::set("tasks", &id, "priority", priority))
            .expect("edit");
    }
    a.merge_from(&b).expect("merge");
    rt.block_on(b.close());
    rt.block_on(a.close());

    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.get_by_label("Conflicts to resolve: 1");
    click(&mut h, "Conflicts (1)");
    h.get_by_label("Task “Order toner”");
    h.get_by_label("· Priority");
    h.get_by_label("“high”");
    h.get_by_label("“low”");
    click(&mut h, "Keep “low”");
    h.run_steps(2);
    h.get_by_label("No conflicts: every field holds one value.");
    assert!(h.query_by_label("Conflicts (1)").is_none());
    let store = h.state_mut().backend_mut().store().expect("store");
    assert_eq!(
        store.require::<Task>(&id).expect("task").priority,
        Priority::Low
    );
    assert!(store.conflicts::<Task>(&id).expect("conflicts").is_empty());
}

#[test]
fn a_reminder_is_read_and_a_rule_typed_in_fires_once_and_is_logged() {
    let due = today().add_days(-5).to_string();
    let app = workspace(|s| {
        add_task(
            s,
            &[
                ("title", "Renew the lease"),
                ("due", &due),
                ("owner", "Ana Ruiz"),
            ],
        );
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    click(&mut h, "Inbox (1)");
    h.get_by_label("Overdue: Renew the lease");
    h.get_all_by_label("Mark read")
        .next()
        .expect("Mark read")
        .click();
    h.run();
    h.run_steps(2);
    assert!(h.query_by_label("Inbox (1)").is_none(), "read: no count");
    h.get_by_label("Mark unread");

    click(&mut h, "Rules (0)");
    retype(&mut h, "When", "task overdue 3d");
    retype(&mut h, "Then", "create task for ana");
    click(&mut h, "Add rule");
    h.run_steps(2);
    h.get_by_label("When a task is overdue by 3 days: create task for Ana Ruiz");
    click(&mut h, "Rule log");
    h.get_by_label("created the task “Follow up: Renew the lease” for Ana Ruiz");
    h.get_by_label_contains("is 5 day(s) overdue");
    let store = h.state_mut().backend_mut().store().expect("store");
    let follow_ups: Vec<Task> = store
        .list::<Task>(false)
        .expect("tasks")
        .into_iter()
        .filter(|t| t.title.starts_with("Follow up"))
        .collect();
    assert_eq!(follow_ups.len(), 1);
    // The new task is due today and Ana's: a reminder of its own.
    click(&mut h, "Reminders (1)");
    h.get_by_label("Due today: Follow up: Renew the lease");
}

#[test]
fn a_tasks_change_history_names_who_changed_what_and_puts_a_version_back() {
    let mut id = String::new();
    let app = workspace(|s| {
        id = add_task(s, &[("title", "Book the van")]);
        Session::open(s)
            .expect("session")
            .apply(s, Op::set("tasks", &id, "status", "in-progress"))
            .expect("status");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    h.get_by_label("Book the van").click();
    h.run();
    click(&mut h, "Change history");
    h.run_steps(2);
    h.get_by_label("Ana Ruiz created it");
    h.get_by_label("Ana Ruiz changed status");
    click(&mut h, "Restore version 1");
    h.run_steps(2);
    let store = h.state_mut().backend_mut().store().expect("store");
    assert_eq!(
        store.require::<Task>(&id).expect("task").status,
        TaskStatus::Todo
    );
    // The restore is a change of its own, which can be gone back on too.
    h.get_by_label("Restore version 2");
    // Ctrl+Z takes the restore back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(
        store.require::<Task>(&id).expect("task").status,
        TaskStatus::InProgress
    );
}
