//! Security, in one place: what a stranger, a removed member, a viewer, a
//! forger and a ticket thief can and cannot do, over real iroh endpoints on
//! loopback, and the permissions of the files that hold secrets.
//! (Hostile bytes — garbage frames, perturbed messages — are in
//! `tests/sync_hostile.rs` and `tests/fuzz_replay.rs`.)

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use bureau::model::*;
use bureau::store::StoredEntry;
use bureau::sync::membership::{Action, Entry, SignedEntry};
use bureau::sync::{NetOptions, Node, Ticket, net, node};
use common::net::{Net, TIMEOUT, add_task, has_task};

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
    let ben = a.access().current().find("Ben").cloned().expect("ben");
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

#[test]
fn forged_and_self_signed_membership_entries_are_ignored() {
    let net = Net::new();
    let a = net.found("a");
    let b = net.join("b", &net.invite(&a, Role::Member), "Ben");
    let ben = a.access().current().find("Ben").cloned().expect("ben");
    let workspace = a.workspace_id().to_string();
    let promote = |id: &str| Entry {
        workspace: workspace.clone(),
        id: id.into(),
        at: 4_000_000_000_000,
        action: Action::SetRole {
            member_id: ben.member_id.clone(),
            role: Role::Admin,
        },
        covers: Default::default(),
    };
    let store = |e: SignedEntry| StoredEntry {
        payload: e.payload,
        signer: e.signer,
        signature: e.signature,
    };
    // Ben signs his own promotion (he is not an admin)...
    let own = SignedEntry::sign(&promote("self-promotion"), b.key());
    b.store()
        .append_membership("self-promotion", store(own), None)
        .expect("write");
    // ...and claims A signed another (the signature is his own).
    let mut forged = SignedEntry::sign(&promote("forged"), b.key());
    forged.signer = a.id();
    b.store()
        .append_membership("forged", store(forged), None)
        .expect("write");
    // Wait until both forged entries reached A and A re-read its membership.
    let seen = |node: &Node| node.access().current().rejected >= 2;
    net.rt.block_on(async {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while !(seen(&a) && seen(&b)) && tokio::time::Instant::now() < deadline {
            let _ = b.wait_in_sync(Duration::from_millis(200)).await;
        }
    });
    for (who, node) in [("A", &a), ("B", &b)] {
        let membership = node.access().current();
        assert_eq!(
            membership.role_of(&b.id()),
            Some(Role::Member),
            "{who} must still see Ben as a member"
        );
        assert!(
            membership.rejected >= 2,
            "{who} rejected {}",
            membership.rejected
        );
    }
    assert!(node::ensure_can_write(b.store()).is_ok());
    let err = node::change_membership(
        b.store(),
        b.key(),
        b.access(),
        Action::SetRole {
            member_id: ben.member_id.clone(),
            role: Role::Admin,
        },
    )
    .expect_err("a member cannot change roles");
    assert!(err.to_string().contains("admin"), "{err}");
    for node in [a, b] {
        net.stop(node);
    }
}

#[test]
fn secret_files_are_readable_by_their_owner_only() {
    let net = Net::new();
    let a = net.found("a");
    let _ticket = net.invite(&a, Role::Member);
    net.stop(a);
    for file in ["device.key", "invites.json"] {
        let path = net.path("a").join(file);
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file} has mode {:o}", mode & 0o777);
    }
}
