//! History, restore, conflicts and the trash through the operations layer
//! and real replicas: a record's history names who changed which field
//! after a merge; an earlier version comes back as a new change that undo
//! takes back; a conflict in any area shows in the inbox and resolving it
//! on one peer clears it on all three; every kind's deleted records are in
//! the trash and come back.

use std::collections::BTreeSet;

use bureau::model::*;
use bureau::ops::conflicts::inbox;
use bureau::ops::history::history;
use bureau::ops::{Op, Session};
use bureau::store::{Moment, Store};

use crate::common;
use common::Fixture;
use common::net::Net;
use common::purchasing::{apply, create, merge};

/// Ana's workspace and Ben, who joined it: both stores open, nodes stopped.
fn ana_and_ben(net: &Net) -> (Store, Store) {
    let a = net.found("ana");
    let ticket = net.invite(&a, Role::Member);
    let b = net.join("ben", &ticket, "Ben Ode");
    net.stop(b);
    net.stop(a);
    (net.open("ana"), net.open("ben"))
}

#[test]
fn history_after_a_merge_names_both_authors_and_their_fields() {
    let net = Net::new();
    let (ana, ben) = ana_and_ben(&net);
    let mut sa = Session::open(&ana).expect("ana's session");
    let mut sb = Session::open(&ben).expect("ben's session");
    let id = create(&ana, &mut sa, "tasks", &[("title", "Order toner")]);
    merge(&ana, &ben);
    apply(
        &ana,
        &mut sa,
        Op::set("tasks", &id, "title", "Order toner (HP 305)"),
    );
    apply(
        &ben,
        &mut sb,
        Op::set("tasks", &id, "status", "in-progress"),
    );
    merge(&ana, &ben);
    for store in [&ana, &ben] {
        let entries = history(store, "tasks", &id).expect("history");
        assert!(
            entries[0].created && entries[0].by == "Ana Ruiz",
            "{entries:#?}"
        );
        let by = |name: &str, key: &str| {
            entries
                .iter()
                .find(|e| e.by == name && e.keys.iter().any(|k| k == key))
                .unwrap_or_else(|| panic!("{name} changed {key}: {entries:#?}"))
        };
        let (title, status) = (by("Ana Ruiz", "title"), by("Ben Ode", "status"));
        assert_eq!(title.fields, ["Title"], "only the field Ana changed");
        assert_eq!(status.fields, ["Status"], "only the field Ben changed");
        assert_ne!(title.device, status.device, "two devices");
        assert!(!title.device.is_empty() && title.device.len() == 64);
    }
}

#[test]
fn an_earlier_version_comes_back_as_a_change_and_undo_takes_it_back() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let id = create(&store, &mut session, "tasks", &[("title", "Book the van")]);
    apply(
        &store,
        &mut session,
        Op::set("tasks", &id, "status", "in-progress"),
    );
    apply(
        &store,
        &mut session,
        Op::set("tasks", &id, "priority", "high"),
    );
    let created = history(&store, "tasks", &id).expect("history")[0]
        .change
        .clone();
    let outcome = session
        .apply(
            &store,
            Op::RestoreVersion {
                kind: "tasks".into(),
                id: id.clone(),
                to: Moment::After(created),
            },
        )
        .expect("restore");
    assert!(
        outcome
            .message
            .as_deref()
            .is_some_and(|m| m.contains("as at")),
        "{outcome:?}"
    );
    let task = store.require::<Task>(&id).expect("task");
    assert_eq!(
        (task.status, task.priority),
        (TaskStatus::Todo, Priority::Normal)
    );
    assert_eq!(task.title, "Book the van");
    let last = history(&store, "tasks", &id).expect("history");
    let restore = last.last().expect("a new change");
    assert!(
        restore.action.starts_with("Restore an earlier version"),
        "{restore:?}"
    );
    assert_eq!(
        restore.keys,
        ["priority", "status"],
        "only what differed is written"
    );
    session.undo(&store).expect("undo the restore");
    let task = store.require::<Task>(&id).expect("task");
    assert_eq!(
        (task.status, task.priority),
        (TaskStatus::InProgress, Priority::High)
    );
    // Before the record existed: one clear refusal, nothing written.
    let heads = store.heads().expect("heads");
    let err = session
        .apply(
            &store,
            Op::RestoreVersion {
                kind: "tasks".into(),
                id: id.clone(),
                to: Moment::Time(Stamp::from_millis(0)),
            },
        )
        .expect_err("did not exist then");
    assert!(err.to_string().contains("did not exist yet"), "{err}");
    assert_eq!(store.heads().expect("heads"), heads);
}

/// For every kind people edit: a text field and two values to set at once.
const EDITS: &[(&str, &str, &str, &str)] = &[
    ("tasks", "title", "Call the landlord", "Email the landlord"),
    ("projects", "name", "Move north", "Move south"),
    ("items", "sku", "SKU-A", "SKU-B"),
    ("sites", "address", "1 High St", "2 Low St"),
    ("vendors", "phone", "555-0101", "555-0202"),
    ("contracts", "title", "Cleaning 2027", "Cleaning (renewed)"),
    ("purchase_orders", "requested_by", "Dana Lee", "Eve Tran"),
    ("invoices", "number", "INV-A1", "INV-B1"),
    ("budget_lines", "notes", "keep an eye", "watch closely"),
    ("expenses", "note", "taxi", "train"),
    ("meetings", "location", "Room 1", "Room 2"),
    ("rooms", "notes", "projector", "no projector"),
    ("onboarding_templates", "name", "Starter kit", "Welcome kit"),
    ("onboarding_plans", "person", "Fay Moss", "Fay K. Moss"),
    ("people", "title", "Office manager", "Operations lead"),
    ("docs", "title", "Fire drill", "Fire drill (2027)"),
    ("maintenance", "location", "Loft A", "Loft B"),
    ("assets", "model", "T14", "T16"),
    ("rules", "when", "task overdue 4d", "task overdue 5d"),
];

/// The demo office with a rule and a template of its own (the kinds the
/// demo does not make), cloned to `b` and `c` when asked.
fn demo_office(fx: &Fixture) {
    common::process::run(&fx.path("a"), &["demo"]);
    let a = fx.open("a");
    let mut session = Session::open(&a).expect("session");
    apply(
        &a,
        &mut session,
        Op::AddRule {
            when: "task overdue 3d".into(),
            then: "notify".into(),
        },
    );
    apply(
        &a,
        &mut session,
        Op::CustomizeTemplate {
            template: "New hire".into(),
            id: None,
        },
    );
    drop(session);
    fx.close(a);
}

/// The id of a live record of `kind`.
fn any_live(store: &Store, kind: &str) -> String {
    let export = store.export_json().expect("export");
    let records = export[kind]
        .as_object()
        .unwrap_or_else(|| panic!("no {kind}"));
    records
        .iter()
        .find(|(_, r)| r["deleted_at"].is_null())
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("no live {kind} in the demo office"))
}

#[test]
fn a_conflict_in_every_area_shows_in_the_inbox_and_resolving_clears_it_on_three_peers() {
    let fx = Fixture::new();
    demo_office(&fx);
    fx.clone_replica("a", "b");
    fx.clone_replica("a", "c");
    let (a, b, c) = (fx.open("a"), fx.open("b"), fx.open("c"));
    let (mut sa, mut sb) = (Session::open(&a).expect("a"), Session::open(&b).expect("b"));
    let mut ids = Vec::new();
    for (kind, field, one, other) in EDITS {
        let id = any_live(&a, kind);
        apply(&a, &mut sa, Op::set(kind, &id, field, *one));
        apply(&b, &mut sb, Op::set(kind, &id, field, *other));
        ids.push((kind, field, id));
    }
    merge(&a, &b);
    merge(&b, &c);
    let found = inbox(&c).expect("inbox");
    let kinds: BTreeSet<&str> = found.iter().map(|c| c.kind).collect();
    let wanted: BTreeSet<&str> = EDITS.iter().map(|(k, ..)| *k).collect();
    assert_eq!(
        kinds, wanted,
        "every kind's conflict is in the inbox: {found:#?}"
    );
    let mut sc = Session::open(&c).expect("c");
    for conflict in &found {
        assert!(conflict.values.len() == 2, "{conflict:#?}");
        assert!(
            conflict
                .values
                .iter()
                .all(|v| v.by == "Ana Ruiz" && v.at.is_some())
        );
        assert!(
            !conflict.field.contains("updated"),
            "no bookkeeping noise: {conflict:#?}"
        );
        // Keep the value that is not shown now.
        let pick = conflict.values[1].text.clone();
        let op = Op::Resolve {
            kind: conflict.kind.into(),
            id: conflict.id.clone(),
            field: conflict.field.clone(),
            pick: pick.clone(),
        };
        sc.apply(&c, op)
            .unwrap_or_else(|e| panic!("resolve {conflict:?}: {e}"));
    }
    assert!(inbox(&c).expect("inbox").is_empty());
    merge(&a, &c);
    merge(&b, &c);
    for store in [&a, &b, &c] {
        assert!(
            inbox(store).expect("inbox").is_empty(),
            "resolved everywhere"
        );
    }
    // A task's title: the value kept is the one picked.
    let task = found.iter().find(|f| f.kind == "tasks").expect("task");
    let kept = a.require::<Task>(&task.id).expect("task").title;
    assert_eq!(kept, task.values[1].text);
}

#[test]
fn a_resolve_that_names_no_value_says_which_to_pick() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut sa = Session::open(&a).expect("a");
    let id = create(&a, &mut sa, "tasks", &[("title", "Water the plants")]);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    let (mut sa, mut sb) = (Session::open(&a).expect("a"), Session::open(&b).expect("b"));
    apply(&a, &mut sa, Op::set("tasks", &id, "priority", "high"));
    apply(&b, &mut sb, Op::set("tasks", &id, "priority", "low"));
    merge(&a, &b);
    let op = Op::Resolve {
        kind: "tasks".into(),
        id: id.clone(),
        field: "priority".into(),
        pick: "urgent".into(),
    };
    let err = sa.apply(&a, op).expect_err("no such value");
    assert!(
        err.to_string().contains("“high”") && err.to_string().contains("“low”"),
        "{err}"
    );
    // Resolving keeps the value as shown ("High"), and undo brings the
    // value every device showed before.
    let shown = a.require::<Task>(&id).expect("task").priority;
    let other = if shown == Priority::High {
        "low"
    } else {
        "high"
    };
    let op = Op::Resolve {
        kind: "tasks".into(),
        id: id.clone(),
        field: "priority".into(),
        pick: other.into(),
    };
    sa.apply(&a, op).expect("resolve");
    assert_ne!(a.require::<Task>(&id).expect("task").priority, shown);
    assert!(a.conflicts::<Task>(&id).expect("conflicts").is_empty());
    sa.undo(&a).expect("undo");
    assert_eq!(a.require::<Task>(&id).expect("task").priority, shown);
}

#[test]
fn every_kind_deleted_is_in_the_trash_with_who_and_when_and_comes_back() {
    let fx = Fixture::new();
    demo_office(&fx);
    let a = fx.open("a");
    let mut session = Session::open(&a).expect("session");
    for (kind, ..) in EDITS {
        let id = any_live(&a, kind);
        apply(
            &a,
            &mut session,
            Op::Delete {
                kind: kind.to_string(),
                id,
            },
        );
    }
    let trash = bureau::views::trash::trash(&a).expect("trash");
    let kinds: BTreeSet<&str> = trash.iter().map(|e| e.kind).collect();
    let wanted: BTreeSet<&str> = EDITS.iter().map(|(k, ..)| *k).collect();
    assert!(kinds.is_superset(&wanted), "{kinds:?}");
    assert!(trash.iter().all(|e| e.deleted_by == "Ana Ruiz"));
    for entry in &trash {
        apply(
            &a,
            &mut session,
            Op::Restore {
                kind: entry.kind.into(),
                id: entry.id.clone(),
            },
        );
    }
    let left = bureau::views::trash::trash(&a).expect("trash");
    assert!(
        left.iter().all(|e| !wanted.contains(e.kind)),
        "restored: {left:#?}"
    );
}
