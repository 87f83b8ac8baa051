//! History, conflicts, reminders and restore on the real app path: two
//! threaded backends, each owning a real node on loopback (see
//! `app_core`). Nothing sleeps: the tests wait on published view models.

#![cfg(feature = "gui")]

use bureau::model::*;
use bureau::ops::Op;
use bureau::store::{Mark, Moment};

use crate::app_core::{WAIT, both_apps, on_store, retitle_and_start, task, team, threaded};

#[test]
fn a_conflict_made_apart_shows_in_both_apps_and_one_resolve_clears_it_on_both() {
    let team = team();
    // Apart: Ana and Ben set the task's priority, each on their own laptop.
    for (path, priority) in [(&team.ana, "high"), (&team.ben, "low")] {
        on_store(path, |store, session| {
            session
                .apply(store, Op::set("tasks", &team.task, "priority", priority))
                .expect("edit");
        });
    }
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    for app in [&mut ana, &mut ben] {
        let vm = app
            .wait_until(WAIT, |vm| vm.conflicts.len() == 1)
            .expect("the conflict shows in both apps");
        let c = &vm.conflicts[0];
        assert_eq!((c.kind, c.field.as_str()), ("tasks", "priority"));
        let mut by: Vec<(&str, &str)> = c
            .values
            .iter()
            .map(|v| (v.text.as_str(), v.by.as_str()))
            .collect();
        by.sort();
        assert_eq!(by, [("high", "Ana Ruiz"), ("low", "Ben Ode")]);
    }
    ben.send(Op::Resolve {
        kind: "tasks".into(),
        id: team.task.clone(),
        field: "priority".into(),
        pick: "high".into(),
    });
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| {
            vm.conflicts.is_empty()
                && task(vm, &team.task).is_some_and(|t| t.priority == Priority::High)
        })
        .expect("resolved on both, Ana's value kept");
    }
}

#[test]
fn history_in_the_app_names_both_people_and_a_restore_reaches_the_other_app() {
    let team = team();
    let (mut ana, mut ben) = both_apps(&team);
    retitle_and_start(&team, &mut ana, &mut ben);
    ana.send(bureau::ui::backend::Command::ShowHistory {
        record: Some(("tasks".into(), team.task.clone())),
    });
    let vm = ana
        .wait_until(WAIT, |vm| {
            vm.history.as_ref().is_some_and(|h| {
                h.entries
                    .iter()
                    .any(|e| e.by == "Ben Ode" && e.keys == ["status"])
                    && h.entries
                        .iter()
                        .any(|e| e.by == "Ana Ruiz" && e.keys == ["title"])
            })
        })
        .expect("Ana's app shows who changed what");
    // Back to how it was when created: title and status both.
    let created = vm.history.as_ref().expect("history").entries[0]
        .change
        .clone();
    ana.send(Op::RestoreVersion {
        kind: "tasks".into(),
        id: team.task.clone(),
        to: Moment::After(created),
    });
    ben.wait_until(WAIT, |vm| {
        task(vm, &team.task)
            .is_some_and(|t| t.title == "Order toner" && t.status == TaskStatus::Todo)
    })
    .expect("the restore reaches Ben");
}

#[test]
fn a_reminder_read_in_one_app_is_read_in_the_other_of_the_same_member() {
    let team = team();
    let due = Date(chrono::Local::now().date_naive())
        .add_days(-2)
        .to_string();
    on_store(&team.ana, |store, session| {
        session
            .apply(
                store,
                Op::Edit {
                    kind: "tasks".into(),
                    id: team.task.clone(),
                    fields: vec![
                        ("due".into(), due.clone()),
                        ("owner".into(), "Ben Ode".into()),
                    ],
                },
            )
            .expect("edit");
    });
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    let vm = ben
        .wait_until(WAIT, |vm| vm.inbox.unread == 1)
        .expect("Ben's reminder");
    let key = vm.inbox.entries[0].reminder.key.clone();
    assert!(key.starts_with("task-due:"), "{key}");
    // Ana's inbox does not have Ben's task.
    let vm = ana
        .wait_until(WAIT, |vm| {
            task(vm, &team.task).is_some_and(|t| t.owner.is_some())
        })
        .expect("ana sees it");
    assert_eq!(vm.inbox.unread, 0);
    ben.send(bureau::ui::backend::Command::MarkReminder {
        key: key.clone(),
        mark: Mark::Read,
    });
    ben.wait_until(WAIT, |vm| vm.inbox.unread == 0)
        .expect("read");
    // The state is Ben's, in the shared document: Ana's device holds it too
    // once the two are in sync (each remote change publishes a view).
    let (on_ana, on_ben) = (ana.store().expect("ana's"), ben.store().expect("ben's"));
    let ben_id = on_ben.member_id().to_string();
    ana.wait_until(WAIT, |_| {
        on_ana
            .inbox_state(&ben_id)
            .is_ok_and(|s| s.get(&key).is_some_and(|s| s.read_at.is_some()))
    })
    .expect("Ben's read state reached Ana's device");
}
