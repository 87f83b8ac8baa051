//! An office of eight devices on the bounded overlay (`sync::overlay`):
//! each device dials two ring successors and one half-way round, not all
//! seven others, yet an edit reaches everyone, also while the devices
//! right after the editor on the ring are off, and those catch up when
//! they come back.

use std::sync::Arc;

use bureau::model::*;
use bureau::sync::Node;
use bureau::sync::overlay::{self, Fanout, Reach};
use futures::StreamExt;

use crate::common::net::{Net, TIMEOUT, add_task, has_task};

/// Waits (on the documents' own change signals, never a timer) until
/// task `id` is on `node`.
fn until_has_task(net: &Net, node: &Arc<Node>, id: &str) -> bool {
    let store = node.store();
    let docs = store.documents().expect("documents");
    net.rt.block_on(async {
        let mut changes = futures::stream::select_all(docs.iter().map(|d| d.changes()));
        tokio::time::timeout(TIMEOUT, async {
            while !has_task(store, id) {
                if changes.next().await.is_none() {
                    return false;
                }
            }
            true
        })
        .await
        .unwrap_or(false)
    })
}

#[test]
fn eight_devices_reach_each_other_through_the_overlay_and_around_devices_that_are_off() {
    let net = Net::in_memory();
    let mut nodes = vec![net.found("n0")];
    for i in 1..8 {
        let ticket = net.invite(&nodes[0], Role::Member);
        nodes.push(net.join(&format!("n{i}"), &ticket, &format!("Person {i}")));
    }
    let ids: Vec<String> = nodes.iter().map(|n| n.id()).collect();
    let index = |id: &str| ids.iter().position(|d| d == id).expect("a node");

    // Eight devices do not make a mesh: each picks three to dial.
    let picks = overlay::to_dial(&ids[0], &ids, |_| Reach::Untried, Fanout::Ring);
    assert_eq!(picks.len(), 3, "two successors and one half-way round");

    // An edit reaches every device, most of them through others.
    let first = add_task(nodes[0].store(), "Order toner for the second floor");
    for node in &nodes[1..] {
        assert!(
            until_has_task(&net, node, &first),
            "the edit reached {}",
            node.id()
        );
    }

    // The two devices right after n0 on the ring go off.
    let mut ring = ids.clone();
    ring.sort();
    let at = ring.iter().position(|d| *d == ids[0]).expect("on the ring");
    let off: Vec<usize> = (1..=2)
        .map(|k| index(&ring[(at + k) % ring.len()]))
        .collect();
    for &i in &off {
        let stand_in = nodes[0].clone();
        let node = std::mem::replace(&mut nodes[i], stand_in);
        net.stop(node);
    }
    let second = add_task(nodes[0].store(), "Book the boardroom for Friday");
    for (i, node) in nodes.iter().enumerate().skip(1) {
        if !off.contains(&i) {
            assert!(
                until_has_task(&net, node, &second),
                "with n0's successors off, the edit still reached n{i}"
            );
        }
    }

    // They come back and catch up.
    for &i in &off {
        nodes[i] = net.start(&format!("n{i}"));
        assert!(
            until_has_task(&net, &nodes[i], &second),
            "n{i} caught up when it came back"
        );
    }
    for node in nodes {
        net.stop(node);
    }
}
