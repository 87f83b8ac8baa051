//! Property tests: after any sequence of edits, reopening the data directory
//! (load(save)) and loading every chunk file into a fresh Automerge document
//! (load(all chunks)) both give exactly the live document.

use crate::common;

use std::collections::BTreeMap;

use automerge::Automerge;
use bureau::model::*;
use bureau::store::storage::unframe;
use common::{Fixture, chunk_files};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    AddTask(String),
    Retitle(usize, String),
    Block(usize),
    Done(usize),
    Delete(usize),
    Restore(usize),
    Adjust(i64),
    Count(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => "[a-z ]{1,12}".prop_map(Op::AddTask),
        2 => (0usize..8, "[a-z ]{1,12}").prop_map(|(i, t)| Op::Retitle(i, t)),
        1 => (0usize..8).prop_map(Op::Block),
        1 => (0usize..8).prop_map(Op::Done),
        1 => (0usize..8).prop_map(Op::Delete),
        1 => (0usize..8).prop_map(Op::Restore),
        2 => (-5i64..5).prop_map(Op::Adjust),
        1 => (0i64..40).prop_map(Op::Count),
    ]
}

fn apply(store: &bureau::store::Store, tasks: &mut Vec<String>, item: &str, site: &str, op: Op) {
    let pick = |i: usize, tasks: &Vec<String>| tasks.get(i % tasks.len().max(1)).cloned();
    // Errors (e.g. titles of only spaces, adjust by 0) are fine: they must change nothing.
    let _ = match op {
        Op::AddTask(title) => store
            .create(Task {
                id: new_id(),
                title,
                ..Default::default()
            })
            .map(|id| tasks.push(id)),
        Op::Retitle(i, title) => match pick(i, tasks) {
            Some(id) => store.update::<Task, _>(&id, "edit", |t| {
                t.title = title;
                Ok(())
            }),
            None => Ok(()),
        },
        Op::Block(i) => match pick(i, tasks) {
            Some(id) => store
                .set_task_status(&id, TaskStatus::Blocked, Some("vendor".into()))
                .map(|_| ()),
            None => Ok(()),
        },
        Op::Done(i) => match pick(i, tasks) {
            Some(id) => store
                .set_task_status(&id, TaskStatus::Done, None)
                .map(|_| ()),
            None => Ok(()),
        },
        Op::Delete(i) => match pick(i, tasks) {
            Some(id) => store.delete::<Task>(&id),
            None => Ok(()),
        },
        Op::Restore(i) => match pick(i, tasks) {
            Some(id) => store.restore::<Task>(&id),
            None => Ok(()),
        },
        Op::Adjust(by) => store.adjust_stock(item, site, by, None).map(|_| ()),
        Op::Count(n) => store.count_stock(item, site, n).map(|_| ()),
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn reopen_and_chunk_replay_equal_the_live_document(ops in prop::collection::vec(op(), 1..40)) {
        let fx = Fixture::new();
        let store = fx.init("a");
        let site = store.ensure_site("HQ").expect("site");
        let item = store
            .create_item(InventoryItem { id: new_id(), name: "Paper".into(), unit: "box".into(), ..Default::default() }, Some((&site, 10)))
            .expect("item");
        let mut tasks = Vec::new();
        for op in ops {
            apply(&store, &mut tasks, &item, &site, op);
        }
        let live_export = store.export_json().expect("export");
        let live_heads = store.heads().expect("heads");
        fx.close(store);

        // load(all chunks): replay every chunk file of each document.
        let mut replayed: BTreeMap<String, Automerge> = BTreeMap::new();
        for file in chunk_files(&fx.path("a")) {
            let rel = file.strip_prefix(fx.path("a").join("store")).expect("under store");
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
            // <doc>/<incremental|snapshot>/<hash>; other keys (samod's storage id) are not chunks.
            if parts.len() != 3 {
                continue;
            }
            let doc_id = parts[0].clone();
            let bytes = std::fs::read(&file).expect("read chunk");
            let payload = unframe(&bytes).expect("chunk intact");
            replayed.entry(doc_id).or_default().load_incremental(payload).expect("chunk loads");
        }
        for (doc_id, heads) in &live_heads {
            let doc = replayed.get(doc_id).expect("document on disk");
            let mut replay_heads: Vec<String> = doc.get_heads().iter().map(|h| h.to_string()).collect();
            replay_heads.sort();
            let mut expected = heads.clone();
            expected.sort();
            prop_assert_eq!(replay_heads, expected, "chunks of {} replay to the live heads", doc_id);
        }

        // load(save): reopening gives the same records.
        let reopened = fx.open("a");
        prop_assert_eq!(reopened.export_json().expect("export"), live_export);
        prop_assert_eq!(reopened.heads().expect("heads"), live_heads);
    }
}
