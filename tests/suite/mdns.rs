//! LAN discovery: two nodes with no addresses for each other find each
//! other by endpoint id alone over multicast DNS, then sync.
//!
//! Needs a network where multicast works and nothing leaves the machine, so
//! it is ignored by default and `.ci/run` runs it inside a private network
//! namespace: `../shared/tools/offline.sh cargo test --test mdns -- --ignored`.

use crate::common;

use std::time::Duration;

use bureau::model::*;
use bureau::sync::{NetOptions, Node, node};

fn lan() -> NetOptions {
    NetOptions {
        offline: true,
        bind: None,
        mdns: true,
        static_peers: Vec::new(),
        relay: None,
        fanout: Default::default(),
    }
}

#[test]
#[ignore = "needs multicast in a private network namespace: run through ../shared/tools/offline.sh"]
fn nodes_find_each_other_by_id_alone_and_sync() {
    let rt = common::runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = rt
        .block_on(node::create_workspace(&dir.path().join("a"), "Acme", "Ana"))
        .expect("workspace");
    let id = store
        .create(Task {
            id: new_id(),
            title: "Found over mDNS".into(),
            ..Default::default()
        })
        .expect("task");
    rt.block_on(store.close());
    let a = rt
        .block_on(Node::start(&dir.path().join("a"), "test", &lan()))
        .expect("a");
    let mut ticket = a
        .invite(Role::Member, Duration::from_secs(600))
        .expect("invite");
    // No addresses at all: only the endpoint id.
    ticket.inviter.addrs.clear();
    let b = rt
        .block_on(Node::join(&dir.path().join("b"), &ticket, "Ben", &lan()))
        .expect("join by id alone");
    rt.block_on(b.wait_in_sync(Duration::from_secs(30)))
        .expect("sync");
    assert!(b.store().get::<Task>(&id).expect("read").is_some());
    rt.block_on(b.shutdown());
    rt.block_on(a.shutdown());
}
