//! Sync at scale: a joiner receives every document whole and checked, a
//! reconnect sends what changed (not a summary of the document), and two
//! peers that dial each other at once keep one connection.

use std::sync::Arc;
use std::time::Duration;

use automerge::transaction::Transactable;
use bureau::model::*;
use bureau::sync::Node;
use bureau::sync::framing::Traffic;
use bureau::sync::snapshot;

use crate::common::net::{Net, TIMEOUT, add_task, export};

/// Bytes both nodes sent while `f` ran (each byte sent is received once).
fn bytes_while(nodes: &[&Arc<Node>], f: impl FnOnce()) -> u64 {
    let sent = |n: &Arc<Node>| n.traffic().sent();
    let before: u64 = nodes.iter().map(|n| sent(n)).sum();
    f();
    nodes.iter().map(|n| sent(n)).sum::<u64>() - before
}

fn retitle(node: &Node, id: &str, title: &str) {
    node.store()
        .update::<Task, _>(id, "edit", |t| {
            t.title = title.to_string();
            Ok(())
        })
        .expect("edit");
}

/// Ana's office with `tasks` tasks, and Ben joined and in sync; the ids.
fn office(net: &Net, tasks: usize) -> (Arc<Node>, Arc<Node>, Vec<String>) {
    let ana = net.found("ana");
    let ids: Vec<String> = (0..tasks)
        .map(|i| add_task(ana.store(), &format!("Task number {i} with a title")))
        .collect();
    let ticket = net.invite(&ana, Role::Member);
    let ben = net.join("ben", &ticket, "Ben");
    net.sync(&ana);
    (ana, ben, ids)
}

/// Ben goes offline, both make `edits` edits, Ben comes back: the bytes
/// of that reconnect (until both are in sync).
fn reconnect_bytes(
    net: &Net,
    ana: &Arc<Node>,
    ben: Arc<Node>,
    ids: &[String],
    edits: usize,
) -> (Arc<Node>, u64) {
    net.stop(ben);
    for (i, id) in ids.iter().take(edits).enumerate() {
        retitle(ana, id, &format!("Ana's offline edit {i}"));
    }
    let store = net.open("ben");
    for (i, id) in ids.iter().rev().take(edits).enumerate() {
        store
            .update::<Task, _>(id, "edit", |t| {
                t.description = format!("Ben's offline note {i}");
                Ok(())
            })
            .expect("edit");
    }
    net.close(store);
    let before = ana.traffic().sent();
    let ben = net.start("ben");
    net.sync(&ben);
    net.sync(ana);
    let bytes = ana.traffic().sent() - before + ben.traffic().sent();
    (ben, bytes)
}

#[test]
fn reconnect_bytes_grow_with_the_edits_not_with_the_document() {
    let small = Net::in_memory();
    let (ana, ben, ids) = office(&small, 20);
    let (ben, small_doc) = reconnect_bytes(&small, &ana, ben, &ids, 10);
    assert_eq!(export(ana.store()), export(ben.store()));

    let large = Net::in_memory();
    let (ana_l, ben_l, ids_l) = office(&large, 5_000);
    let (ben_l, large_doc) = reconnect_bytes(&large, &ana_l, ben_l, &ids_l, 10);
    let (ben_l, large_doc_more_edits) = reconnect_bytes(&large, &ana_l, ben_l, &ids_l, 100);
    assert_eq!(export(ana_l.store()), export(ben_l.store()));

    eprintln!(
        "reconnect bytes: 20 tasks, 10 edits: {small_doc}; 5,000 tasks, 10 edits: {large_doc}; 100 edits: {large_doc_more_edits}"
    );
    // A document 250 times larger costs about the same reconnect
    // (a summary of its 5,000 changes alone is some 20 KiB more, measured with the resume off)...
    assert!(
        large_doc < small_doc + 10_240,
        "10 edits each: {large_doc} bytes with 5,000 tasks vs {small_doc} with 20"
    );
    // ... while ten times the edits costs several times the bytes.
    assert!(
        large_doc_more_edits * 2 > 5 * large_doc,
        "5,000 tasks: {large_doc_more_edits} bytes for 100 edits each vs {large_doc} for 10"
    );
    drop((ana, ben, ana_l, ben_l));
}

#[test]
fn two_peers_dialing_each_other_at_once_keep_one_connection() {
    let net = Net::new();
    let (ana, ben, ids) = office(&net, 3);
    let (ana_id, ben_id) = (ana.id(), ben.id());
    let (ana_addr, ben_addr) = (ana.addr(), ben.addr());
    net.stop(ana);
    net.stop(ben);

    // Both start, and each dials the other straight away.
    let ana = net.start("ana");
    let ben = net.start("ben");
    ana.dial(ben_addr.clone());
    ben.dial(ana_addr.clone());
    net.sync(&ana);
    net.sync(&ben);
    // The duplicate is closed by both ends as soon as both see it.
    net.rt.block_on(async {
        tokio::time::timeout(TIMEOUT, async {
            while ana.open_connections(&ben_id) != 1 || ben.open_connections(&ana_id) != 1 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("one connection per pair")
    });
    // And it carries edits both ways, still one connection.
    retitle(&ana, &ids[0], "Ana's edit");
    retitle(&ben, &ids[1], "Ben's edit");
    net.sync(&ana);
    net.sync(&ben);
    assert_eq!(export(ana.store()), export(ben.store()));
    assert_eq!(ana.open_connections(&ben_id), 1);
    assert_eq!(ben.open_connections(&ana_id), 1);
}

fn saved_document(titles: &[&str]) -> (Vec<automerge::ChangeHash>, Vec<u8>) {
    let mut doc = automerge::Automerge::new();
    for title in titles {
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "title", *title).expect("put");
        tx.commit();
    }
    (doc.get_heads(), doc.save())
}

/// The inviter's side of the compacted path with what it announces and
/// what it sends; the joiner's verdict.
fn transfer(announced: Vec<automerge::ChangeHash>, bytes: Vec<u8>) -> Result<usize, String> {
    let rt = crate::common::runtime();
    rt.block_on(async {
        let (inviter, joiner) = tokio::io::duplex(64 * 1024);
        let id = samod::DocumentId::new(&mut rand::rng()).to_string();
        let mut once = Some((id, announced, bytes));
        let sending = tokio::spawn(async move {
            let traffic = Traffic::default();
            snapshot::send_documents(inviter, &traffic, || {
                let next = once.take();
                async move { next }
            })
            .await
        });
        let received = snapshot::receive_documents(joiner, &Traffic::default()).await;
        sending.await.expect("sender").expect("sent");
        received.map(|seeds| seeds.len()).map_err(|e| e.to_string())
    })
}

#[test]
fn the_compacted_path_refuses_a_document_whose_heads_do_not_match() {
    let (heads, bytes) = saved_document(&["Fire drill", "Fire drill on Friday"]);
    assert_eq!(transfer(heads.clone(), bytes.clone()), Ok(1));

    // Heads of another version of the document: refused, nothing kept.
    let (older, _) = saved_document(&["Fire drill"]);
    let refused = transfer(older, bytes.clone()).expect_err("wrong heads");
    assert!(
        refused.contains("do not match the heads it announced"),
        "{refused}"
    );

    // Bytes that are not a document at all.
    let mut garbage = bytes.clone();
    garbage.truncate(bytes.len() / 2);
    let refused = transfer(heads, garbage).expect_err("truncated");
    assert!(refused.contains("does not load"), "{refused}");
}

#[test]
fn a_joiner_receives_every_document_compacted_and_starts_from_its_heads() {
    let net = Net::in_memory();
    let ana = net.found("ana");
    for i in 0..600 {
        let id = add_task(ana.store(), &format!("Task {i}"));
        retitle(&ana, &id, &format!("Task {i}, renamed"));
    }
    let compacted: u64 = ana
        .store()
        .documents()
        .expect("docs")
        .iter()
        .map(|d| d.with_document(|doc| doc.save().len() as u64))
        .sum();
    let ticket = net.invite(&ana, Role::Member);
    let mut ben = None;
    let bytes = bytes_while(&[&ana], || ben = Some(net.join("ben", &ticket, "Ben")));
    let ben = ben.expect("joined");
    let bytes = bytes + ben.traffic().sent();
    assert_eq!(export(ana.store()), export(ben.store()));
    // The documents once, plus the join handshake and the joiner's first
    // changes (its member entry, its address); replaying the changes would
    // be over twice as much.
    assert!(
        (bytes as f64) < 1.1 * compacted as f64 + 16_384.0,
        "{bytes} bytes on the wire for {compacted} compacted"
    );
}
