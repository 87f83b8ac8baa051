//! Hostile input on the sync protocol from a member's device: oversized,
//! truncated, random and perturbed frames. The node must not panic, must
//! drop that connection, and every other session must carry on.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use bureau::model::*;
use bureau::sync::{NetOptions, Node, net, node};
use proptest::prelude::*;

struct World {
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    a: Arc<Node>,
    b: Arc<Node>,
    attacker_key: iroh::SecretKey,
    attacker_dir: std::path::PathBuf,
}

fn world() -> World {
    let rt = common::runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = rt
        .block_on(node::create_workspace(&dir.path().join("a"), "Acme", "Ana"))
        .expect("workspace");
    rt.block_on(store.close());
    let a = rt
        .block_on(Node::start(
            &dir.path().join("a"),
            "test",
            &NetOptions::loopback(),
        ))
        .expect("a");
    let join = |name: &str| {
        let ticket = a
            .invite(Role::Member, Duration::from_secs(600))
            .expect("invite");
        let n = rt
            .block_on(Node::join(
                &dir.path().join(name),
                &ticket,
                name,
                &NetOptions::loopback(),
            ))
            .expect("join");
        rt.block_on(n.wait_in_sync(Duration::from_secs(30)))
            .expect("sync");
        n
    };
    let b = join("b");
    // The attacker is a real member whose device sends garbage.
    let c = join("c");
    rt.block_on(c.shutdown());
    let attacker_dir = dir.path().join("c");
    let attacker_key = bureau::sync::identity::load_or_create(&attacker_dir).expect("key");
    World {
        rt,
        _dir: dir,
        a,
        b,
        attacker_key,
        attacker_dir,
    }
}

impl World {
    /// The attacker's endpoint, connected to A's sync protocol.
    async fn connect(&self) -> (iroh::Endpoint, iroh::endpoint::Connection) {
        let scratch = self.attacker_dir.join("scratch");
        let _ = std::fs::create_dir_all(&scratch);
        let endpoint = net::bind(&scratch, self.attacker_key.clone(), &NetOptions::loopback())
            .await
            .expect("bind");
        let conn = endpoint
            .connect(self.a.addr(), net::SYNC_ALPN)
            .await
            .expect("connect");
        (endpoint, conn)
    }

    /// Sends `bytes` raw on a sync stream; true if A then dropped the connection.
    fn attack(&self, bytes: &[u8], finish: bool) -> bool {
        self.rt.block_on(async {
            let (endpoint, conn) = self.connect().await;
            let (mut send, _recv) = conn.open_bi().await.expect("stream");
            let _ = send.write_all(bytes).await;
            if finish {
                let _ = send.finish();
            }
            let dropped = tokio::time::timeout(Duration::from_secs(10), conn.closed())
                .await
                .is_ok();
            endpoint.close().await;
            dropped
        })
    }

    /// Completes samod's handshake as the member it is, then sends `data` as
    /// a sync message for the tasks document. Returns once A has read it.
    fn send_sync_message(&self, data: Vec<u8>) {
        use bureau::sync::framing::{read_frame, write_frame};
        use samod_core::network::wire_protocol::WireMessage;
        let me = samod_core::PeerId::from(self.attacker_key.public().to_string());
        let them = samod_core::PeerId::from(self.a.id());
        let tasks = self
            .a
            .store()
            .document_id(Area::Tasks)
            .expect("tasks doc")
            .parse()
            .expect("doc id");
        self.rt.block_on(async {
            let (endpoint, conn) = self.connect().await;
            let (mut send, mut recv) = conn.open_bi().await.expect("stream");
            let join = WireMessage::Join {
                sender_id: me.clone(),
                supported_protocol_versions: vec!["1".into()],
                metadata: None,
            };
            write_frame(&mut send, join.encode()).await.expect("join");
            let reply = read_frame(&mut recv).await.expect("peer reply");
            assert!(
                matches!(WireMessage::decode(&reply), Ok(WireMessage::Peer { .. })),
                "the handshake completed"
            );
            let sync = WireMessage::Request {
                document_id: tasks,
                sender_id: me,
                target_id: them,
                data,
            };
            write_frame(&mut send, sync.encode()).await.expect("sync");
            // Whatever A answers (or closing), it has read the message.
            let _ = tokio::time::timeout(Duration::from_secs(5), read_frame(&mut recv)).await;
            conn.close(0u32.into(), b"done");
            endpoint.close().await;
        });
    }

    /// B can still sync an edit to A.
    fn others_carry_on(&self) {
        let id = self
            .b
            .store()
            .create(Task {
                id: new_id(),
                title: "still working".into(),
                ..Default::default()
            })
            .expect("task");
        self.rt
            .block_on(self.b.wait_in_sync(Duration::from_secs(30)))
            .expect("b syncs");
        assert!(self.a.store().get::<Task>(&id).expect("read").is_some());
    }
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = (payload.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(payload);
    out
}

#[test]
fn oversized_truncated_and_garbage_frames_drop_only_that_peer() {
    let w = world();
    // A length prefix far beyond the limit: refused before allocating.
    let mut oversized = u32::MAX.to_be_bytes().to_vec();
    oversized.extend_from_slice(&[0u8; 64]);
    assert!(
        w.attack(&oversized, false),
        "oversized frame: connection dropped"
    );
    // A frame cut short, then the stream ends.
    let mut truncated = 1000u32.to_be_bytes().to_vec();
    truncated.extend_from_slice(b"short");
    assert!(
        w.attack(&truncated, true),
        "truncated frame: connection dropped"
    );
    // A well-framed message that is not CBOR.
    assert!(
        w.attack(&frame(b"\xff\x00 definitely not a sync message"), false),
        "garbage: dropped"
    );
    w.others_carry_on();
}

#[test]
fn a_sync_message_with_a_poisoned_bloom_filter_is_refused() {
    // Found by `cargo fuzz run peer_message`: automerge 0.12 divides by
    // zero on a Bloom filter with entries but no bits (samod-core patch 4).
    let crasher = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/regressions/peer_message/bloom-zero-bits-per-entry"
    ))
    .expect("kept crasher");
    let w = world();
    w.send_sync_message(crasher);
    // The tasks document's actor is alive: B's new task reaches A.
    w.others_carry_on();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_and_perturbed_frames_never_hurt_the_node(
        payload in prop::collection::vec(any::<u8>(), 0..512),
        flips in prop::collection::vec((0usize..64, any::<u8>()), 0..8),
    ) {
        use std::sync::OnceLock;
        static WORLD: OnceLock<std::sync::Mutex<World>> = OnceLock::new();
        let w = WORLD.get_or_init(|| std::sync::Mutex::new(world()));
        let w = w.lock().unwrap_or_else(|p| p.into_inner());
        // A plausible automerge-repo "join" message (CBOR map), perturbed.
        let mut message = b"\xa3dtypedjoinhsenderIdx@".to_vec();
        message.extend_from_slice(w.attacker_key.public().to_string().as_bytes());
        message.extend_from_slice(&payload);
        for (pos, bits) in flips {
            let i = pos % message.len();
            message[i] ^= bits;
        }
        prop_assert!(w.attack(&frame(&message), true), "the node dropped the hostile connection");
        w.others_carry_on();
    }
}
