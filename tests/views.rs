//! Incremental views: after a change only the records it touched are read
//! again, untouched areas keep their data, and unreadable records are
//! reported instead of emptying a list.

mod common;

use std::sync::Arc;

use bureau::ops::{Op, Session};
use bureau::views::{ViewModel, Views};
use common::Fixture;

#[test]
fn a_change_rereads_only_the_records_it_touched() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut session = Session::open(&store).expect("session");
    let mut ids = Vec::new();
    for i in 0..100 {
        let op = Op::Create {
            kind: "tasks".into(),
            fields: vec![("title".into(), format!("task {i}"))],
        };
        ids.push(
            session
                .apply(&store, op)
                .expect("create")
                .created
                .expect("id"),
        );
    }
    let (item, hq) = common::add_paper(&store, 5);
    let mut views = Views::new();
    let mut vm = ViewModel::default();
    views.refresh(&store, &mut vm).expect("first refresh");
    assert_eq!(vm.tasks.len(), 100);
    assert_eq!(views.last_reads(), (100, 1));
    // Purchasing is read by the next refresh, so the first frame with
    // tasks does not wait for it; tasks are not read again.
    assert!(views.loading());
    let rebuilt = views.refresh(&store, &mut vm).expect("second refresh");
    assert!(rebuilt.purchasing && !rebuilt.tasks && !views.loading());
    assert_eq!(views.last_reads(), (0, 0));

    // Nothing changed: nothing is read, every part is the same Arc.
    let before = vm.clone();
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(!rebuilt.any());
    assert!(Arc::ptr_eq(&before.tasks, &vm.tasks));

    // One task edited: one task read; inventory untouched.
    session
        .apply(&store, Op::set("tasks", &ids[42], "title", "renamed"))
        .expect("edit");
    let rebuilt = views.refresh(&store, &mut vm).expect("refresh");
    assert!(rebuilt.tasks && !rebuilt.inventory);
    assert_eq!(views.last_reads(), (1, 0));
    assert!(Arc::ptr_eq(&before.items, &vm.items));
    assert!(vm.tasks.iter().any(|t| t.title == "renamed"));

    // Stock moved: only that item is read again.
    session
        .apply(
            &store,
            Op::AdjustStock {
                item: item.clone(),
                site: hq.clone(),
                by: -5,
                reason: None,
            },
        )
        .expect("adjust");
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(views.last_reads(), (0, 1));
    assert_eq!(vm.items[0].on_hand[&hq], 0);
    assert_eq!(vm.low_stock.len(), 1, "at or below the reorder level");

    // Deleted: gone from the view.
    session
        .apply(
            &store,
            Op::Delete {
                kind: "tasks".into(),
                id: ids[0].clone(),
            },
        )
        .expect("delete");
    views.refresh(&store, &mut vm).expect("refresh");
    assert_eq!(vm.tasks.len(), 99);
}
