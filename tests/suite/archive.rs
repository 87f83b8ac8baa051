//! The yearly archive through real nodes: an admin archives past years'
//! finished tasks while a teammate is offline and editing; when they meet
//! again the teammate's edits land on the new live document (different
//! fields both stand, the same field shows a conflict, a new task and an
//! archived task edited offline are live); two admins who archived apart
//! end on the same live document; a device joining later gets the live
//! document and fetches the archives.

use std::sync::Arc;

use bureau::model::*;
use bureau::ops::{Op, Session};
use bureau::store::Store;
use bureau::sync::Node;
use bureau::views::{ViewModel, Views};
use futures::StreamExt;

use crate::common::net::{Net, TIMEOUT, add_task};

fn day(y: i32, m: u32, d: u32) -> Date {
    Date(chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date"))
}

/// A task finished on `finished`, long enough ago to be archived.
fn finished_task(store: &Store, title: &str, finished: Date) -> String {
    store
        .create(Task {
            id: new_id(),
            title: title.into(),
            status: TaskStatus::Done,
            completed_at: Some(Stamp::from_millis(
                finished
                    .0
                    .and_hms_opt(12, 0, 0)
                    .expect("time")
                    .and_utc()
                    .timestamp_millis(),
            )),
            ..Default::default()
        })
        .expect("task")
}

fn task(store: &Store, id: &str) -> Option<Task> {
    store.get::<Task>(id).expect("read")
}

fn edit(store: &Store, session: &mut Session, id: &str, field: &str, value: &str) {
    session
        .apply(store, Op::set("tasks", id, field, value))
        .unwrap_or_else(|e| panic!("set {field}: {e}"));
}

/// Waits, woken by the documents' own change signals (never a timer),
/// until `done` holds on `node`'s store.
fn until(net: &Net, node: &Arc<Node>, done: impl Fn(&Store) -> bool) -> bool {
    let store = node.store().clone();
    net.rt.block_on(async move {
        tokio::time::timeout(TIMEOUT, async {
            loop {
                // Listen first, then look: a change between the two wakes us.
                let mut added = store.watch_documents();
                let docs: Vec<_> = {
                    let store = store.clone();
                    tokio::task::spawn_blocking(move || {
                        store.refresh_layout();
                        let _ = store.documents();
                        store.loaded_handles()
                    })
                    .await
                    .expect("documents")
                };
                let mut changes = futures::stream::select_all(docs.iter().map(|d| d.changes()));
                let check = {
                    let store = store.clone();
                    let done = &done;
                    tokio::task::block_in_place(|| done(&store))
                };
                if check {
                    return true;
                }
                tokio::select! {
                    _ = changes.next() => {}
                    _ = added.changed() => {}
                }
            }
        })
        .await
        .unwrap_or(false)
    })
}

#[test]
fn offline_edits_made_before_hearing_of_the_archive_land_on_the_live_document() {
    let net = Net::new();
    let a = net.found("a");
    let open = add_task(a.store(), "Order toner");
    let old = finished_task(a.store(), "Renew the 2024 lease", day(2024, 3, 5));
    let older = finished_task(a.store(), "Move the server room", day(2023, 9, 1));
    let b = net.join("b", &net.invite(&a, Role::Member), "Ben Ode");
    net.stop(b);

    // Ana archives; then she changes the open task's priority and owner.
    let mut ana = Session::open_with(a.store(), Some(a.access())).expect("session");
    let rotation = ana
        .archive(a.store(), Area::Tasks, Some(day(2026, 1, 1)))
        .expect("archive");
    assert_eq!((rotation.archived, rotation.kept), (2, 1));
    assert_eq!(
        rotation.archives.keys().copied().collect::<Vec<_>>(),
        [2023, 2024]
    );
    assert!(
        task(a.store(), &old).is_none(),
        "archived tasks leave the live list"
    );
    edit(a.store(), &mut ana, &open, "priority", "high");
    edit(a.store(), &mut ana, &open, "owner", "Ana Ruiz");

    // Ben, offline and unaware, edits the same task, an archived one, and
    // adds one.
    let store = net.open("b");
    let mut ben = Session::open(&store).expect("session");
    let refused = ben
        .archive(&store, Area::Tasks, None)
        .expect_err("a member may not");
    assert!(refused.to_string().contains("only an admin"), "{refused}");
    edit(&store, &mut ben, &open, "title", "Order toner and paper");
    edit(&store, &mut ben, &open, "owner", "Ben Ode");
    edit(
        &store,
        &mut ben,
        &old,
        "title",
        "Renew the 2024 lease (signed copy filed)",
    );
    let new = add_task(&store, "Book the cleaners");
    net.close(store);

    let b = net.start("b");
    let landed = |s: &Store| {
        s.document_id(Area::Tasks).ok().as_deref() == Some(rotation.live.to_string().as_str())
            && task(s, &open)
                .is_some_and(|t| t.title == "Order toner and paper" && t.priority == Priority::High)
            && task(s, &new).is_some()
            && task(s, &old).is_some_and(|t| t.title.ends_with("(signed copy filed)"))
            && s.conflicts::<Task>(&open)
                .expect("conflicts")
                .iter()
                .any(|c| c.field == "owner")
    };
    assert!(
        until(&net, &b, landed),
        "Ben's device wrote its late edits on the live document"
    );
    assert!(until(&net, &a, landed), "and Ana's device has them");

    // Both owners are kept until someone picks one.
    let owners = a
        .store()
        .conflicts::<Task>(&open)
        .expect("conflicts")
        .into_iter()
        .find(|c| c.field == "owner")
        .expect("owner conflict");
    assert_eq!(owners.values.len(), 2, "{owners:?}");

    // The archive is searchable on both; the task Ben brought back is live.
    for node in [&a, &b] {
        let found = node.store().search_archive("server", None).expect("search");
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].year, found[0].task.id.as_str()),
            (2023, older.as_str())
        );
        assert!(
            node.store()
                .search_archive("lease", None)
                .expect("search")
                .is_empty()
        );
    }
    // Written again once: a restart finds nothing more to do.
    net.stop(b);
    let store = net.open("b");
    assert_eq!(store.follow_rotations().expect("follow").late_edits, 0);
    net.close(store);
    net.stop(a);
}

#[test]
fn two_admins_who_archive_apart_end_on_the_same_live_document() {
    let net = Net::new();
    let a = net.found("a");
    let open = add_task(a.store(), "Order toner");
    finished_task(a.store(), "Renew the lease", day(2024, 3, 5));
    let b = net.join("b", &net.invite(&a, Role::Admin), "Ben Ode");
    net.stop(b);

    let ana = Session::open_with(a.store(), Some(a.access())).expect("session");
    let ours = ana
        .archive(a.store(), Area::Tasks, None)
        .expect("archive")
        .live
        .to_string();
    let store = net.open("b");
    let mut ben = Session::open(&store).expect("session");
    let theirs = ben
        .archive(&store, Area::Tasks, None)
        .expect("archive")
        .live
        .to_string();
    edit(&store, &mut ben, &open, "title", "Order toner and paper");
    net.close(store);

    let winner = ours.clone().min(theirs.clone());
    let b = net.start("b");
    let agreed = |s: &Store| {
        s.document_id(Area::Tasks).ok().as_deref() == Some(winner.as_str())
            && task(s, &open).is_some_and(|t| t.title == "Order toner and paper")
    };
    assert!(
        until(&net, &a, agreed),
        "Ana's device follows the winning archive"
    );
    assert!(until(&net, &b, agreed), "so does Ben's, with his edit");
    assert_eq!(
        a.store().archives().expect("archives")[0].rotations.len(),
        1,
        "one rotation wins"
    );

    // A device joining now receives the live document and fetches the
    // archive in the background.
    let c = net.join("c", &net.invite(&a, Role::Member), "Chloé");
    assert_eq!(
        c.store().document_id(Area::Tasks).expect("tasks"),
        winner,
        "the joiner starts on the live document"
    );
    assert!(
        until(&net, &c, |s| s
            .search_archive("lease", None)
            .is_ok_and(|found| found.len() == 1)),
        "the joiner fetched the archive"
    );
    for node in [a, b, c] {
        net.stop(node);
    }
}

#[test]
fn views_follow_an_area_to_its_new_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = crate::common::runtime();
    let store = rt
        .block_on(Store::init(
            dir.path(),
            "Acme",
            "Ana",
            Default::default(),
            None,
        ))
        .expect("init");
    let open = add_task(&store, "Order toner");
    let old = finished_task(&store, "Renew the lease", day(2024, 3, 5));
    let mut views = Views::new();
    let mut vm = ViewModel::default();
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(vm.tasks.len(), 2);

    let session = Session::open(&store).expect("session");
    session.archive(&store, Area::Tasks, None).expect("archive");
    views.refresh(&store, &mut vm).expect("refresh");
    let ids: Vec<&str> = vm.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, [open.as_str()], "the archived task left the list");
    assert!(!ids.contains(&old.as_str()));

    // An edit on the new document reaches the view incrementally.
    add_task(&store, "Book the cleaners");
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(vm.tasks.len(), 2);
    rt.block_on(store.close());
}

#[test]
fn the_archive_commands_as_a_script_uses_them() {
    use crate::common::process::{fails, init, json, run};
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    init(&data);
    let csv = dir.path().join("tasks.csv");
    std::fs::write(
        &csv,
        "title,status,completed_at\n\
         Renew the lease,done,2024-03-05T10:00:00Z\n\
         Move the server room,done,2023-09-01T10:00:00Z\n\
         Order toner,todo,\n",
    )
    .expect("csv");
    run(&data, &["import", "tasks", csv.to_str().expect("path")]);
    assert_eq!(
        run(&data, &["archive", "search", "lease"]),
        "",
        "nothing archived yet"
    );
    let said = fails(&data, &["archive", "run", "--before", "2999-01-01"]);
    assert!(said.contains("in the future"), "{said}");

    let out = run(&data, &["archive", "run", "--before", "2025-01-01"]);
    assert!(
        out.contains("archived 2 tasks finished before 2025-01-01 into yearly archives (2023, 2024); 1 task in the live list"),
        "{out}"
    );
    let said = fails(&data, &["archive", "run", "--before", "2025-01-01"]);
    assert!(said.contains("nothing to archive"), "{said}");

    let list = json(&data, &["archive", "list", "--json"]);
    assert_eq!(list[0]["area"], "tasks");
    assert_eq!(list[0]["years"][0]["year"], 2023);
    assert_eq!(list[0]["years"][0]["here"], true);

    let found = json(&data, &["archive", "search", "server", "room", "--json"]);
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(found[0]["year"], 2023);
    assert_eq!(found[0]["title"], "Move the server room");
    let out = run(&data, &["archive", "search", "--year", "2024"]);
    assert!(
        out.contains("Renew the lease") && !out.contains("server"),
        "{out}"
    );
    // Nothing is lost from an export: archived tasks are there by year.
    let export = json(&data, &["export", "--json"]);
    let archived = &export["archived_tasks"];
    assert_eq!(archived["2023"].as_object().map(|m| m.len()), Some(1));
    assert_eq!(archived["2024"].as_object().map(|m| m.len()), Some(1));
    assert_eq!(export["tasks"].as_object().map(|m| m.len()), Some(1));
    let live = run(&data, &["task", "list", "--all"]);
    assert!(
        live.contains("Order toner") && !live.contains("Renew the lease"),
        "{live}"
    );
}

#[test]
fn an_archive_written_by_a_members_device_is_ignored_everywhere() {
    let net = Net::new();
    let a = net.found("a");
    let open = add_task(a.store(), "Order toner");
    let old = finished_task(a.store(), "Renew the lease", day(2024, 3, 5));
    let b = net.join("b", &net.invite(&a, Role::Member), "Ben Ode");
    let tasks = a.store().document_id(Area::Tasks).expect("tasks");
    // Ben's device skips the role check (a changed build, say).
    b.store()
        .rotate_unchecked(Area::Tasks, day(2026, 1, 1))
        .expect("written anyway");
    net.sync(&b);
    net.sync(&a);
    for node in [&a, &b] {
        let store = node.store();
        store.refresh_layout();
        assert_eq!(store.document_id(Area::Tasks).expect("tasks"), tasks);
        assert!(store.archives().expect("archives").is_empty());
        assert!(task(store, &old).is_some() && task(store, &open).is_some());
    }
    net.stop(a);
    net.stop(b);
}
