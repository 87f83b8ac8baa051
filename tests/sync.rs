//! Real iroh endpoints on loopback: joining by ticket, edits both ways,
//! offline edits merging, and who is let in.

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bureau::model::*;
use bureau::store::Store;
use bureau::sync::membership::Action;
use bureau::sync::{NetOptions, Node, Ticket, net, node};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Net {
    rt: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
}

impl Net {
    fn new() -> Self {
        Net {
            rt: common::runtime(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn found(&self, name: &str) -> Arc<Node> {
        let store = self
            .rt
            .block_on(node::create_workspace(
                &self.path(name),
                "Acme Office",
                "Ana Ruiz",
            ))
            .expect("create workspace");
        self.rt.block_on(store.close());
        self.start(name)
    }

    fn start(&self, name: &str) -> Arc<Node> {
        self.rt
            .block_on(Node::start(
                &self.path(name),
                "test",
                &NetOptions::loopback(),
            ))
            .expect("start node")
    }

    fn invite(&self, inviter: &Node, role: Role) -> Ticket {
        inviter
            .invite(role, Duration::from_secs(3600))
            .expect("invite")
    }

    fn join(&self, name: &str, ticket: &Ticket, person: &str) -> Arc<Node> {
        let node = self
            .rt
            .block_on(Node::join(
                &self.path(name),
                ticket,
                person,
                &NetOptions::loopback(),
            ))
            .expect("join");
        self.sync(&node);
        node
    }

    fn sync(&self, node: &Arc<Node>) {
        self.rt
            .block_on(node.wait_in_sync(TIMEOUT))
            .expect("in sync");
    }

    fn stop(&self, node: Arc<Node>) {
        self.rt.block_on(node.shutdown());
    }

    fn open(&self, name: &str) -> Store {
        self.rt
            .block_on(Store::open(&self.path(name), "test"))
            .expect("open")
    }

    fn close(&self, store: Store) {
        self.rt.block_on(store.close());
    }
}

fn export(store: &Store) -> String {
    serde_json::to_string_pretty(&store.export_json().expect("export")).expect("json")
}

fn add_task(store: &Store, title: &str) -> String {
    store
        .create(Task {
            id: new_id(),
            title: title.into(),
            ..Default::default()
        })
        .expect("task")
}

fn has_task(store: &Store, id: &str) -> bool {
    store.get::<Task>(id).expect("read").is_some()
}

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

#[test]
fn a_non_member_is_refused_before_any_data() {
    let net = Net::new();
    let a = net.found("a");
    add_task(a.store(), "Secret plans");
    // A stranger with its own key dials A's sync protocol directly.
    let stranger_dir = net.path("stranger");
    std::fs::create_dir_all(&stranger_dir).expect("dir");
    let key = bureau::sync::identity::load_or_create(&stranger_dir).expect("key");
    let received = net.rt.block_on(async {
        let endpoint = net::bind(&stranger_dir, key, &NetOptions::loopback())
            .await
            .expect("bind");
        let conn = endpoint
            .connect(a.addr(), net::SYNC_ALPN)
            .await
            .expect("connect");
        let mut bytes = Vec::new();
        if let Ok((mut send, mut recv)) = conn.open_bi().await {
            // Speak first, as a samod client would.
            let _ = bureau::sync::framing::write_frame(&mut send, b"hello".to_vec()).await;
            while let Ok(Some(chunk)) = recv
                .read_chunk(1 << 16)
                .await
                .map(|c| c.map(|c| c.to_vec()))
            {
                bytes.extend_from_slice(&chunk);
            }
        }
        let reason = conn.closed().await;
        endpoint.close().await;
        (bytes, reason.to_string())
    });
    assert!(
        received.0.is_empty(),
        "a non-member received {} bytes",
        received.0.len()
    );
    assert!(
        received.1.contains("not a member"),
        "closed with: {}",
        received.1
    );
    net.stop(a);
}

#[test]
fn reused_forged_and_expired_tickets_are_refused() {
    let net = Net::new();
    let a = net.found("a");
    let ticket = net.invite(&a, Role::Member);
    let b = net.join("b", &ticket, "Ben");
    net.stop(b);

    let err = |dir: &str, ticket: &Ticket| {
        net.rt
            .block_on(Node::join(
                &net.path(dir),
                ticket,
                "Mallory",
                &NetOptions::loopback(),
            ))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(err("c", &ticket).contains("already used"), "reused ticket");
    let mut forged = net.invite(&a, Role::Admin);
    forged.secret = bureau::sync::invite::new_secret();
    assert!(err("d", &forged).contains("not valid"), "forged ticket");
    let mut expired = net.invite(&a, Role::Member);
    expired.expires = 1;
    assert!(
        err("e", &expired).contains("expired"),
        "expired ticket (checked by the joiner)"
    );
    for dir in ["c", "d", "e"] {
        assert!(
            !net.path(dir).join("device.json").exists(),
            "failed join left no workspace in {dir}"
        );
    }
    net.stop(a);
}

#[test]
fn a_removed_member_is_cut_off_and_a_viewer_cannot_write() {
    let net = Net::new();
    let a = net.found("a");
    let b = net.join("b", &net.invite(&a, Role::Member), "Ben");
    let v = net.join("v", &net.invite(&a, Role::Viewer), "Vera");

    // The viewer's device refuses writes in the CLI; a modified client that
    // writes anyway is ignored by every peer.
    let sneaky = add_task(v.store(), "viewer edit");
    let marker = add_task(a.store(), "after the viewer edit");
    net.rt.block_on(async {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while !has_task(v.store(), &marker) && tokio::time::Instant::now() < deadline {
            let _ = v.wait_in_sync(Duration::from_millis(200)).await;
        }
    });
    assert!(
        has_task(v.store(), &marker),
        "the viewer receives everything"
    );
    assert!(
        !has_task(a.store(), &sneaky),
        "the viewer's edit never reaches A"
    );
    net.sync(&b);
    assert!(!has_task(b.store(), &sneaky), "nor B");

    // Remove Ben: A cuts him off; his later edits never arrive.
    let ben = a.access().current().by_name("Ben").cloned().expect("ben");
    node::change_membership(
        a.store(),
        a.key(),
        a.access(),
        Action::Remove {
            member_id: ben.member_id,
        },
    )
    .expect("remove");
    let late = add_task(b.store(), "edit after removal");
    let outcome = net.rt.block_on(b.wait_in_sync(Duration::from_secs(3)));
    assert!(outcome.is_err(), "a removed member cannot sync");
    assert!(!has_task(a.store(), &late));
    net.stop(b);
    // A restarted removed node is refused at once.
    let b = net.start("b");
    assert!(
        net.rt
            .block_on(b.wait_in_sync(Duration::from_secs(3)))
            .is_err()
    );
    assert!(!has_task(a.store(), &late));
    for node in [a, b, v] {
        net.stop(node);
    }
    // On the viewer's own device, record changes are refused with the reason.
    let store = net.open("v");
    let err = node::ensure_can_write(&store).expect_err("viewer");
    assert!(err.to_string().contains("viewer"), "{err}");
    net.close(store);
}
