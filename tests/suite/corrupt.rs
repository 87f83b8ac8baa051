//! Damaged files: a corrupt or truncated chunk is quarantined and reported,
//! everything else loads, and nothing that depends on it is ever deleted.

use crate::common;

use bureau::model::*;
use common::{Fixture, chunk_files};

fn incremental_path(fx: &Fixture, doc: &str, hash: &str) -> std::path::PathBuf {
    fx.path("a")
        .join("store")
        .join(doc)
        .join("incremental")
        .join(hash)
}

#[test]
fn corrupt_and_truncated_chunks_are_quarantined_and_the_rest_loads() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            store
                .create(Task {
                    id: new_id(),
                    title: format!("task {i}"),
                    ..Default::default()
                })
                .expect("task"),
        );
    }
    let (item, _hq) = common::add_paper(&store, 9);
    let tasks_doc = store.document_id(Area::Tasks).expect("doc id");
    let inventory_doc = store.document_id(Area::Inventory).expect("doc id");
    let heads = store.heads().expect("heads");
    fx.close(store);

    // Truncate the last task's chunk; flip a byte in the item's chunk; drop
    // garbage next to them.
    let last_task_chunk = incremental_path(&fx, &tasks_doc, &heads[&tasks_doc][0]);
    let bytes = std::fs::read(&last_task_chunk).expect("chunk");
    std::fs::write(&last_task_chunk, &bytes[..bytes.len() / 2]).expect("truncate");
    let item_chunk = incremental_path(&fx, &inventory_doc, &heads[&inventory_doc][0]);
    let mut bytes = std::fs::read(&item_chunk).expect("chunk");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&item_chunk, bytes).expect("flip");
    std::fs::write(
        incremental_path(&fx, &tasks_doc, "garbage"),
        b"\x00\x01not a chunk",
    )
    .expect("garbage");

    let store = fx.open("a");
    let present: Vec<bool> = ids
        .iter()
        .map(|id| store.get::<Task>(id).expect("read").is_some())
        .collect();
    assert_eq!(
        present,
        vec![true, true, true, true, false],
        "only the damaged task is missing"
    );
    assert!(
        store.get::<InventoryItem>(&item).expect("read").is_none(),
        "damaged item change is not applied"
    );
    assert!(
        store.site_by_name("HQ").expect("site").is_some(),
        "other documents untouched"
    );
    // The store keeps working.
    store
        .create(Task {
            id: new_id(),
            title: "after damage".into(),
            ..Default::default()
        })
        .expect("still writable");
}

#[test]
fn changes_waiting_on_a_damaged_one_are_never_compacted_away() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let first = store
        .create(Task {
            id: new_id(),
            title: "first".into(),
            ..Default::default()
        })
        .expect("task");
    let tasks_doc = store.document_id(Area::Tasks).expect("doc id");
    let first_head = store.heads().expect("heads")[&tasks_doc][0].clone();
    let later = store
        .create(Task {
            id: new_id(),
            title: "later".into(),
            ..Default::default()
        })
        .expect("task");
    fx.close(store);

    // Damage the middle of the chain: "later" now waits for "first".
    let chunk = incremental_path(&fx, &tasks_doc, &first_head);
    std::fs::write(&chunk, b"BURC garbage").expect("damage");
    let later_chunks_before: Vec<_> = chunk_files(&fx.path("a"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(&tasks_doc))
        .collect();

    let store = fx.open("a");
    assert!(store.get::<Task>(&first).expect("read").is_none());
    assert_eq!(store.quarantined().len(), 1);
    assert!(
        store.get::<Task>(&later).expect("read").is_none(),
        "waits for its dependency"
    );
    assert!(store.storage().is_protected(&tasks_doc));
    // Enough edits to make samod compact the document.
    for i in 0..25 {
        store
            .create(Task {
                id: new_id(),
                title: format!("more {i}"),
                ..Default::default()
            })
            .expect("task");
    }
    fx.close(store);
    for path in later_chunks_before {
        if path.exists() || path == chunk {
            continue;
        }
        panic!(
            "{} was deleted although a change in it is still waiting",
            path.display()
        );
    }
}

#[test]
fn the_store_opens_whatever_the_files_contain() {
    // Every file replaced by garbage of every length: open must not panic.
    let fx = Fixture::new();
    let store = fx.init("a");
    store
        .create(Task {
            id: new_id(),
            title: "t".into(),
            ..Default::default()
        })
        .expect("task");
    fx.close(store);
    let files = chunk_files(&fx.path("a"));
    for (i, file) in files.iter().enumerate() {
        let garbage: Vec<u8> = (0..(i * 37 % 300)).map(|b| (b * 7 + i) as u8).collect();
        std::fs::write(file, garbage).expect("overwrite");
    }
    let result = fx
        .rt
        .block_on(bureau::store::Store::open(&fx.path("a"), "test"));
    let err = result.expect_err("nothing left to load");
    assert!(err.to_string().contains("could not be loaded"), "{err}");
    assert!(err.to_string().contains("quarantine"), "{err}");
}

#[test]
fn what_a_damaged_file_hides_is_said_on_every_open_until_a_peer_supplies_it() {
    let fx = Fixture::new();
    let store = fx.init("a");
    store
        .create(Task {
            id: new_id(),
            title: "first".into(),
            ..Default::default()
        })
        .expect("task");
    let tasks_doc = store.document_id(Area::Tasks).expect("doc id");
    let first_head = store.heads().expect("heads")[&tasks_doc][0].clone();
    let later = store
        .create(Task {
            id: new_id(),
            title: "later".into(),
            ..Default::default()
        })
        .expect("task");
    fx.close(store);
    // A peer that has everything.
    common::copy_dir(&fx.path("a"), &fx.path("peer"));
    std::fs::write(
        incremental_path(&fx, &tasks_doc, &first_head),
        b"BURC garbage",
    )
    .expect("damage");

    let hidden = |store: &bureau::store::Store| {
        store.documents().expect("load all");
        store.damage()
    };
    let store = fx.open("a");
    let damage = hidden(&store);
    assert_eq!(store.quarantined().len(), 1);
    assert_eq!(
        damage,
        [bureau::store::Damage {
            area: "tasks",
            missing_changes: 1
        }]
    );
    assert!(
        damage[0].describe().contains("are hidden"),
        "{}",
        damage[0].describe()
    );
    fx.close(store);

    // The next open has nothing left to quarantine, and still says it.
    let store = fx.open("a");
    assert_eq!(hidden(&store).len(), 1);
    assert!(store.quarantined().is_empty());
    assert!(store.get::<Task>(&later).expect("read").is_none());

    // A peer supplies the missing change: everything shows, nothing is said.
    let peer = fx.open("peer");
    store.merge_from(&peer).expect("merge");
    assert!(hidden(&store).is_empty());
    assert!(store.get::<Task>(&later).expect("read").is_some());
    fx.close(peer);
    fx.close(store);
}
