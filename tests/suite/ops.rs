//! The operations layer as both front ends use it: field-level edits that
//! merge, failures that change nothing, undo that never overwrites someone
//! else, records from newer versions that survive, and a two-document
//! action finished after a crash.

use crate::common;

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};
use bureau::model::*;
use bureau::ops::{Op, Session};
use bureau::store::Store;
use common::Fixture;

fn two_replicas(fx: &Fixture, setup: impl FnOnce(&Store, &mut Session)) -> (Store, Store) {
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session");
    setup(&a, &mut session);
    fx.close(a);
    fx.clone_replica("a", "b");
    (fx.open("a"), fx.open("b"))
}

fn sync(a: &Store, b: &Store) {
    a.merge_from(b).expect("merge into a");
    b.merge_from(a).expect("merge into b");
    assert_eq!(a.heads().expect("heads"), b.heads().expect("heads"));
}

fn add_task(store: &Store, session: &mut Session, title: &str) -> String {
    session
        .apply(
            store,
            Op::Create {
                kind: "tasks".into(),
                fields: vec![("title".into(), title.into())],
            },
        )
        .expect("create")
        .created
        .expect("id")
}

#[test]
fn edits_of_different_fields_both_survive_and_the_same_field_conflicts() {
    let fx = Fixture::new();
    let mut id = String::new();
    let (a, b) = two_replicas(&fx, |s, session| id = add_task(s, session, "Order toner"));
    let mut sa = Session::open(&a).expect("session a");
    let mut sb = Session::open(&b).expect("session b");
    sa.apply(&a, Op::set("tasks", &id, "title", "Order toner (HP 305)"))
        .expect("title on a");
    sb.apply(&b, Op::set("tasks", &id, "status", "in-progress"))
        .expect("status on b");
    sb.apply(
        &b,
        Op::AddComment {
            task: id.clone(),
            text: "asked Ben".into(),
        },
    )
    .expect("comment on b");
    sync(&a, &b);
    for store in [&a, &b] {
        let t = store.require::<Task>(&id).expect("task");
        assert_eq!(t.title, "Order toner (HP 305)");
        assert_eq!(t.status, TaskStatus::InProgress);
        assert_eq!(t.comments.len(), 1);
        assert!(
            store.conflicts::<Task>(&id).expect("conflicts").is_empty(),
            "different fields must not conflict"
        );
    }
    // The same field on both sides: one winner everywhere, both values kept.
    sa.apply(&a, Op::set("tasks", &id, "priority", "high"))
        .expect("a");
    sb.apply(&b, Op::set("tasks", &id, "priority", "low"))
        .expect("b");
    sync(&a, &b);
    let conflicts = a.conflicts::<Task>(&id).expect("conflicts");
    assert!(
        conflicts.iter().any(|c| c.field == "priority"),
        "{conflicts:?}"
    );
}

#[test]
fn a_failing_edit_changes_nothing() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let id = add_task(&store, &mut session, "Book the van");
    let heads = store.heads().expect("heads");
    let err = session
        .apply(
            &store,
            Op::Edit {
                kind: "tasks".into(),
                id: id.clone(),
                fields: vec![
                    ("project".into(), "Move office".into()),
                    ("status".into(), "blocked".into()),
                ],
            },
        )
        .expect_err("blocked without a reason");
    assert!(err.to_string().contains("blocked reason"), "{err}");
    assert_eq!(store.heads().expect("heads"), heads, "nothing committed");
    assert!(store.list::<Project>(true).expect("projects").is_empty());
    let err = session
        .apply(&store, Op::set("tasks", &id, "due", "someday"))
        .expect_err("bad date");
    assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    assert_eq!(store.heads().expect("heads"), heads);
}

#[test]
fn completing_a_recurring_task_makes_the_next_one_in_the_same_commit() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store)
        .expect("session")
        .with_today(Date::new(2026, 11, 27).expect("date"));
    let id = add_task(&store, &mut session, "Water plants");
    session
        .apply(
            &store,
            Op::Edit {
                kind: "tasks".into(),
                id: id.clone(),
                fields: vec![
                    ("recurrence".into(), "weekly".into()),
                    ("due".into(), "fri".into()),
                ],
            },
        )
        .expect("repeat");
    assert_eq!(
        store.require::<Task>(&id).expect("task").due,
        Date::new(2026, 12, 4)
    );
    let changes_before = store
        .read(Area::Tasks, |d| Ok(d.get_changes(&[]).len()))
        .expect("changes");
    let outcome = session
        .apply(&store, Op::set("tasks", &id, "status", "done"))
        .expect("done");
    let next = outcome.created.expect("next occurrence");
    let changes_after = store
        .read(Area::Tasks, |d| Ok(d.get_changes(&[]).len()))
        .expect("changes");
    assert_eq!(changes_after, changes_before + 1, "one commit");
    let next = store.require::<Task>(&next).expect("next");
    assert_eq!(next.due, Date::new(2026, 12, 11));
    assert_eq!(next.status, TaskStatus::Todo);
}

#[test]
fn undo_restores_my_edit_but_never_overwrites_someone_else() {
    let fx = Fixture::new();
    let mut id = String::new();
    let (a, b) = two_replicas(&fx, |s, session| id = add_task(s, session, "Order toner"));
    let mut sa = Session::open(&a).expect("session a");
    sa.apply(&a, Op::set("tasks", &id, "title", "Order paper"))
        .expect("edit");
    let outcome = sa.undo(&a).expect("undo");
    assert!(outcome.message.expect("message").starts_with("Undid"));
    assert_eq!(a.require::<Task>(&id).expect("task").title, "Order toner");
    sa.redo(&a).expect("redo");
    assert_eq!(a.require::<Task>(&id).expect("task").title, "Order paper");

    // Undo survives a restart: the journal is on disk (`bureau undo`).
    drop(sa);
    let mut sa = Session::open(&a).expect("session a again");
    let mut sb = Session::open(&b).expect("session b");
    sa.apply(&a, Op::set("tasks", &id, "description", "call them Monday"))
        .expect("description on a");
    sync(&a, &b);
    sb.apply(
        &b,
        Op::set("tasks", &id, "description", "Ben: call them Tuesday"),
    )
    .expect("description on b");
    sync(&a, &b);
    let heads = a.heads().expect("heads");
    let err = sa.undo(&a).expect_err("someone changed it since");
    assert!(err.to_string().contains("overwrite"), "{err}");
    assert_eq!(a.heads().expect("heads"), heads, "nothing written");
    assert_eq!(
        a.require::<Task>(&id).expect("task").description,
        "Ben: call them Tuesday"
    );
}

#[test]
fn records_from_a_newer_version_are_skipped_or_kept_never_lost() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let keep = add_task(&store, &mut session, "Readable");
    let newer = add_task(&store, &mut session, "From the future");
    let broken = add_task(&store, &mut session, "Damaged");
    // A newer peer wrote a status this version does not know, and a field
    // it has never heard of; something else wrote a date that is no date.
    store
        .change(Area::Tasks, "by hand", |tx, _| {
            let Some((_, tasks)) = tx.get(ROOT, "tasks")? else {
                panic!("tasks map")
            };
            let Some((_, t)) = tx.get(&tasks, newer.as_str())? else {
                panic!("task")
            };
            tx.put(&t, "status", "waiting-on-legal")?;
            let extra = tx.put_object(&t, "sla", ObjType::Map)?;
            tx.put(&extra, "hours", 48)?;
            let Some((_, t)) = tx.get(&tasks, broken.as_str())? else {
                panic!("task")
            };
            tx.put(&t, "due", 12345)?;
            Ok(())
        })
        .expect("hand edit");
    let listing = store.listing::<Task>(false).expect("listing");
    let ids: Vec<&str> = listing.records.iter().map(|t| t.id.as_str()).collect();
    assert!(ids.contains(&keep.as_str()) && ids.contains(&newer.as_str()));
    assert_eq!(listing.unreadable.len(), 1);
    assert_eq!(listing.unreadable[0].id, broken);
    assert_eq!(
        bureau::store::Unreadable::summary(&listing.unreadable).expect("summary"),
        "1 task could not be read (written by a newer version of Bureau?)"
    );

    // This (older) client edits the title: the unknown status and field stay.
    session
        .apply(&store, Op::set("tasks", &newer, "title", "Renamed"))
        .expect("edit");
    store
        .read(Area::Tasks, |doc| {
            let (_, tasks) = doc.get(ROOT, "tasks")?.expect("tasks");
            let (_, t) = doc.get(&tasks, newer.as_str())?.expect("task");
            let (status, _) = doc.get(&t, "status")?.expect("status");
            assert_eq!(status.as_str(), Some("waiting-on-legal"));
            assert!(doc.get(&t, "sla")?.is_some(), "unknown field kept");
            Ok(())
        })
        .expect("read");
    assert_eq!(
        store.require::<Task>(&newer).expect("task").title,
        "Renamed"
    );
}

#[test]
fn an_item_with_stock_at_a_new_site_is_finished_after_a_crash() {
    let fx = Fixture::new();
    let store = fx.init("a");
    // The process stopped after writing its intent (and perhaps the site).
    let journal = serde_json::json!({
        "pending": { "CreateItem": {
            "fields": [["name", "Toner"], ["unit", "each"], ["reorder_at", "2"],
                       ["id", "0190a0a0-0000-7000-8000-000000000001"],
                       ["site_id", "0190a0a0-0000-7000-8000-000000000002"]],
            "site": "Annex", "qty": 4 } }
    });
    std::fs::write(
        store.data_dir().join("journal.json"),
        serde_json::to_vec(&journal).expect("json"),
    )
    .expect("write journal");
    let _session = Session::open(&store).expect("session finishes the action");
    let item = store
        .item_stock("0190a0a0-0000-7000-8000-000000000001")
        .expect("item created");
    assert_eq!(item.item.name, "Toner");
    assert_eq!(
        item.on_hand.get("0190a0a0-0000-7000-8000-000000000002"),
        Some(&4)
    );
    // Opening again does not do it twice.
    drop(_session);
    let _again = Session::open(&store).expect("session");
    assert_eq!(store.list::<Site>(false).expect("sites").len(), 1);
    assert_eq!(
        store
            .movements("0190a0a0-0000-7000-8000-000000000001")
            .expect("moves")
            .len(),
        1
    );
}

#[test]
fn stock_moves_between_sites_and_undo_takes_it_back() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let (item, hq) = common::add_paper(&store, 10);
    let annex = store.ensure_site("Annex").expect("site");
    session
        .apply(
            &store,
            Op::TransferStock {
                item: item.clone(),
                from: hq.clone(),
                to: annex.clone(),
                qty: 4,
            },
        )
        .expect("transfer");
    let stock = store.item_stock(&item).expect("stock");
    assert_eq!((stock.on_hand[&hq], stock.on_hand[&annex]), (6, 4));
    session.undo(&store).expect("undo");
    let stock = store.item_stock(&item).expect("stock");
    assert_eq!((stock.on_hand[&hq], stock.on_hand[&annex]), (10, 0));
}

#[test]
fn two_offline_sites_with_one_name_are_refused_by_name_not_picked_at_random() {
    let fx = Fixture::new();
    let (a, b) = two_replicas(&fx, |_, _| {});
    let first = a.ensure_site("Basement").expect("site on a");
    let second = b.ensure_site("basement ").expect("site on b");
    sync(&a, &b);
    let err = a.resolve_site("Basement").expect_err("ambiguous");
    let message = err.to_string();
    assert!(message.contains("2 sites are named"), "{message}");
    assert!(
        message.contains(&first) && message.contains(&second),
        "{message}"
    );
    // By id each one still works.
    assert_eq!(a.resolve_site(&second).expect("by id"), second);
}

#[test]
fn duplicates_made_offline_are_merged_into_one() {
    let fx = Fixture::new();
    let mut paper = String::new();
    let (a, b) = two_replicas(&fx, |s, _| paper = common::add_paper(s, 0).0);
    // Both devices create a "Basement" site and put paper there, and a
    // "Move" project with a task each.
    let mut sa = Session::open(&a).expect("session a");
    let mut sb = Session::open(&b).expect("session b");
    let first = a.ensure_site("Basement").expect("site on a");
    let second = b.ensure_site("Basement").expect("site on b");
    a.adjust_stock(&paper, &first, 4, None).expect("stock a");
    b.adjust_stock(&paper, &second, 6, None).expect("stock b");
    for (store, session) in [(&a, &mut sa), (&b, &mut sb)] {
        session
            .apply(
                store,
                Op::Create {
                    kind: "tasks".into(),
                    fields: vec![
                        ("title".into(), "Pack the archive".into()),
                        ("project".into(), "Move".into()),
                    ],
                },
            )
            .expect("task with a new project");
    }
    sync(&a, &b);
    assert!(
        a.resolve_site("Basement").is_err(),
        "two sites share the name"
    );

    sa.apply(
        &a,
        Op::MergeInto {
            kind: "sites".into(),
            from: second.clone(),
            into: first.clone(),
        },
    )
    .expect("merge sites");
    assert_eq!(a.resolve_site("Basement").expect("one site now"), first);
    assert_eq!(a.item_stock(&paper).expect("stock").on_hand[&first], 10);
    assert_eq!(a.item_stock(&paper).expect("stock").on_hand[&second], 0);

    let projects = a.list::<Project>(false).expect("projects");
    assert_eq!(projects.len(), 2);
    sa.apply(
        &a,
        Op::MergeInto {
            kind: "projects".into(),
            from: projects[1].id.clone(),
            into: projects[0].id.clone(),
        },
    )
    .expect("merge projects");
    let tasks = a.list::<Task>(false).expect("tasks");
    assert!(
        tasks
            .iter()
            .all(|t| t.project.as_deref() == Some(projects[0].id.as_str()))
    );
    assert_eq!(a.list::<Project>(false).expect("projects").len(), 1);
    sync(&a, &b);
    assert_eq!(b.list::<Project>(false).expect("projects").len(), 1);
}
