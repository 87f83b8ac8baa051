//! Real iroh endpoints on loopback: joining by ticket, edits both ways,
//! offline edits merging. Who is let in is in `tests/security.rs`.

use crate::common;

use bureau::model::*;
use common::net::{Net, add_task, export, has_task};

#[test]
fn join_by_ticket_then_edits_flow_both_ways() {
    let net = Net::new();
    let a = net.found("a");
    let before = add_task(a.store(), "Order toner");
    let ticket = net.invite(&a, Role::Member);
    let b = net.join("b", &ticket, "Ben Ode");
    assert!(
        has_task(b.store(), &before),
        "initial sync brought the existing task"
    );
    assert_eq!(b.access().role_of(&b.id()), Some(Role::Member));

    let from_b = add_task(b.store(), "Book the meeting room");
    net.sync(&b);
    assert!(has_task(a.store(), &from_b), "B's edit reached A");
    let from_a = add_task(a.store(), "Call the landlord");
    net.sync(&a);
    assert!(has_task(b.store(), &from_a), "A's edit reached B");
    assert_eq!(export(a.store()), export(b.store()));

    let status = a.peer_status().expect("status");
    let ben = status
        .iter()
        .find(|p| p.member == "Ben Ode")
        .expect("Ben listed");
    assert!(
        ben.online && ben.in_sync && ben.unseen_changes == Some(0),
        "{ben:?}"
    );
    net.stop(a);
    net.stop(b);
}

#[test]
fn three_nodes_converge_after_offline_stock_adjustments() {
    let net = Net::new();
    let a = net.found("a");
    let hq = a.store().ensure_site("HQ").expect("site");
    let item = a
        .store()
        .create_item(
            InventoryItem {
                id: new_id(),
                name: "Paper".into(),
                unit: "box".into(),
                reorder_at: 5,
                ..Default::default()
            },
            Some((&hq, 25)),
        )
        .expect("item");
    let b = net.join("b", &net.invite(&a, Role::Member), "Ben");
    let c = net.join("c", &net.invite(&a, Role::Member), "Chloé");
    net.stop(b);
    net.stop(c);

    // Everyone works offline.
    a.store()
        .adjust_stock(&item, &hq, -3, Some("A"))
        .expect("a");
    for (name, by) in [("b", -4), ("c", -2)] {
        let store = net.open(name);
        store
            .adjust_stock(&item, &hq, by, Some(name))
            .expect("offline adjust");
        add_task(&store, &format!("offline task from {name}"));
        net.close(store);
    }

    // They meet again.
    let b = net.start("b");
    let c = net.start("c");
    net.sync(&b);
    net.sync(&c);
    net.sync(&a);
    net.sync(&b);
    for node in [&a, &b, &c] {
        assert_eq!(
            node.store().item_stock(&item).expect("stock").on_hand[&hq],
            25 - 3 - 4 - 2
        );
    }
    assert_eq!(export(a.store()), export(b.store()));
    assert_eq!(export(a.store()), export(c.store()));
    for node in [a, b, c] {
        net.stop(node);
    }
}
