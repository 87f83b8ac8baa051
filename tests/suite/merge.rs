//! Two replicas of one workspace edit concurrently, then merge: counters
//! add up, same-field conflicts keep both values, soft delete racing an
//! edit loses neither, and both replicas export the same bytes.

use crate::common;

use bureau::model::*;
use bureau::store::Store;
use common::Fixture;

/// Creates replica "a" with `setup`, clones it to "b", opens both.
fn two_replicas(fx: &Fixture, setup: impl FnOnce(&Store)) -> (Store, Store) {
    let a = fx.init("a");
    setup(&a);
    fx.close(a);
    fx.clone_replica("a", "b");
    (fx.open("a"), fx.open("b"))
}

fn sync(a: &Store, b: &Store) {
    a.merge_from(b).expect("merge into a");
    b.merge_from(a).expect("merge into b");
    let ea = serde_json::to_string_pretty(&a.export_json().expect("export a")).expect("json");
    let eb = serde_json::to_string_pretty(&b.export_json().expect("export b")).expect("json");
    assert_eq!(ea, eb, "replicas differ after merging");
    assert_eq!(a.heads().expect("heads"), b.heads().expect("heads"));
}

#[test]
fn concurrent_stock_adjustments_add_up() {
    let fx = Fixture::new();
    let mut ids = (String::new(), String::new());
    let (a, b) = two_replicas(&fx, |s| {
        let hq = s.ensure_site("HQ").expect("site");
        let item = InventoryItem {
            id: new_id(),
            name: "Paper".into(),
            unit: "box".into(),
            reorder_at: 10,
            ..Default::default()
        };
        ids = (s.create_item(item, Some((&hq, 25))).expect("item"), hq);
    });
    let (item, hq) = ids;
    a.adjust_stock(&item, &hq, -3, Some("a took 3")).expect("a");
    b.adjust_stock(&item, &hq, -4, Some("b took 4")).expect("b");
    sync(&a, &b);
    assert_eq!(a.item_stock(&item).expect("stock").on_hand[&hq], 18);
    assert_eq!(b.item_stock(&item).expect("stock").on_hand[&hq], 18);
    assert_eq!(
        a.movements(&item).expect("log").len(),
        3,
        "both movements logged"
    );

    // A count on one side and an adjustment on the other: the count applied
    // its difference against what that device saw; the adjustment still adds.
    a.count_stock(&item, &hq, 20).expect("count");
    b.adjust_stock(&item, &hq, -1, None).expect("adjust");
    sync(&a, &b);
    assert_eq!(b.item_stock(&item).expect("stock").on_hand[&hq], 19);
}

#[test]
fn concurrent_edits_to_one_field_keep_both_values() {
    let fx = Fixture::new();
    let mut id = String::new();
    let (a, b) = two_replicas(&fx, |s| {
        id = s
            .create(Task {
                id: new_id(),
                title: "Order toner".into(),
                ..Default::default()
            })
            .expect("task");
    });
    a.update::<Task, _>(&id, "edit", |t| {
        t.title = "Order black toner".into();
        Ok(())
    })
    .expect("a");
    b.update::<Task, _>(&id, "edit", |t| {
        t.title = "Order colour toner".into();
        Ok(())
    })
    .expect("b");
    sync(&a, &b);
    let winner = a.require::<Task>(&id).expect("task").title;
    assert_eq!(winner, b.require::<Task>(&id).expect("task").title);
    let conflicts = a.conflicts::<Task>(&id).expect("conflicts");
    let title = conflicts
        .iter()
        .find(|c| c.field == "title")
        .expect("title conflict");
    assert_eq!(
        title.values[0],
        serde_json::json!(winner),
        "winner listed first"
    );
    let mut values: Vec<String> = title
        .values
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect();
    values.sort();
    assert_eq!(values, vec!["Order black toner", "Order colour toner"]);
}

#[test]
fn concurrent_edits_to_different_fields_both_survive() {
    let fx = Fixture::new();
    let mut id = String::new();
    let (a, b) = two_replicas(&fx, |s| {
        id = s
            .create(Task {
                id: new_id(),
                title: "Book venue".into(),
                ..Default::default()
            })
            .expect("task");
    });
    a.update::<Task, _>(&id, "edit", |t| {
        t.owner = Some("Ben".into());
        Ok(())
    })
    .expect("a");
    b.update::<Task, _>(&id, "edit", |t| {
        t.due = Some("2026-12-24".parse().expect("date"));
        t.priority = Priority::Urgent;
        Ok(())
    })
    .expect("b");
    sync(&a, &b);
    let t = a.require::<Task>(&id).expect("task");
    assert_eq!(t.owner.as_deref(), Some("Ben"));
    assert_eq!(t.priority, Priority::Urgent);
    assert_eq!(t.due.map(|d| d.to_string()).as_deref(), Some("2026-12-24"));
    let conflicts = a.conflicts::<Task>(&id).expect("conflicts");
    assert!(
        conflicts
            .iter()
            .all(|c| c.field != "owner" && c.field != "due"),
        "{conflicts:?}"
    );
}

#[test]
fn soft_delete_racing_an_edit_loses_neither() {
    let fx = Fixture::new();
    let mut id = String::new();
    let (a, b) = two_replicas(&fx, |s| {
        id = s
            .create(Task {
                id: new_id(),
                title: "Fix chair".into(),
                ..Default::default()
            })
            .expect("task");
    });
    a.delete::<Task>(&id).expect("delete");
    b.update::<Task, _>(&id, "edit", |t| {
        t.description = "Wheel is broken".into();
        Ok(())
    })
    .expect("edit");
    sync(&a, &b);
    let t = b.require::<Task>(&id).expect("task");
    assert!(t.deleted_at.is_some(), "delete kept");
    assert_eq!(t.description, "Wheel is broken", "edit kept");
    b.restore::<Task>(&id).expect("restore");
    assert_eq!(
        b.require::<Task>(&id).expect("task").description,
        "Wheel is broken"
    );
}

#[test]
fn concurrent_creates_on_both_sides_all_arrive() {
    let fx = Fixture::new();
    let (a, b) = two_replicas(&fx, |_| {});
    for i in 0..5 {
        a.create(Task {
            id: new_id(),
            title: format!("a{i}"),
            ..Default::default()
        })
        .expect("a");
        b.create(Task {
            id: new_id(),
            title: format!("b{i}"),
            ..Default::default()
        })
        .expect("b");
    }
    b.ensure_site("Lisbon").expect("site");
    sync(&a, &b);
    assert_eq!(a.list::<Task>(false).expect("list").len(), 10);
    assert!(a.site_by_name("lisbon").expect("site").is_some());
    // Merged changes were saved: they survive a restart.
    let before = a.export_json().expect("export");
    fx.close(a);
    assert_eq!(fx.open("a").export_json().expect("export"), before);
}

#[test]
fn concurrent_edits_to_one_meetings_notes_merge_as_text() {
    let fx = Fixture::new();
    let mut id = String::new();
    let (a, b) = two_replicas(&fx, |s| {
        id = s
            .create(Meeting {
                id: new_id(),
                title: "Fire drill".into(),
                duration_minutes: 30,
                notes: autosurgeon::Text::with_value("Leave the building."),
                ..Default::default()
            })
            .expect("meeting");
    });
    // Two people edit different places of the same body offline.
    a.update::<Meeting, _>(&id, "edit", |d| {
        d.notes.splice(0, 0, "1. ");
        Ok(())
    })
    .expect("edit a");
    b.update::<Meeting, _>(&id, "edit", |d| {
        let end = d.notes.as_str().chars().count();
        d.notes.splice(end, 0, " Meet at the car park.");
        Ok(())
    })
    .expect("edit b");
    sync(&a, &b);
    let body = a.get::<Meeting>(&id).expect("read").expect("meeting").notes;
    assert_eq!(
        body.as_str(),
        "1. Leave the building. Meet at the car park.",
        "both text edits survive"
    );
    fx.close(a);
    fx.close(b);
}
