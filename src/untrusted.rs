//! Every kind of bytes Bureau accepts from outside, behind one function
//! each, so fuzzers (`fuzz/`) and the replay test (`tests/suite/fuzz_replay.rs`)
//! drive exactly the code a damaged disk or a hostile peer reaches:
//!
//! - [`chunk`]: a storage chunk file, then the Automerge data inside it;
//! - [`frame`]: our length-delimited frame decoder on a byte stream;
//! - [`peer_message`]: a samod wire message and the Automerge sync message
//!   it carries, received into a document;
//! - [`ticket`]: invite tickets, join requests and signed membership entries.
//!
//! Each returns normally for any input; a panic, hang or runaway
//! allocation is a bug. Automerge is called through samod-core's
//! `sync_guard` exactly as samod calls it (Bureau's patch 4: panics inside
//! Automerge's decoders become errors), so a panic that escapes is ours.

use automerge::sync::{self, SyncDoc};
use automerge::{AutoCommit, Automerge, ROOT, transaction::Transactable};
use bytes::BytesMut;
use samod_core::sync_guard;
use tokio_util::codec::Decoder;

use crate::store::storage::unframe;
use crate::sync::framing::{MAX_FRAME_BYTES, codec};
use crate::sync::handlers::JoinRequest;
use crate::sync::invite::Ticket;
use crate::sync::membership::SignedEntry;

/// A chunk file as read from disk: checked, then loaded like samod does.
/// The first byte picks whether the rest is a framed file or a payload that
/// passed its checksum (a bug upstream of the checksum must not crash us).
pub fn chunk(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let payload = if mode & 1 == 0 {
        match unframe(rest) {
            Ok(payload) => payload,
            Err(_) => return,
        }
    } else {
        rest
    };
    // As samod's loader does it (Bureau's samod-core patch 4).
    let mut doc = Automerge::new();
    let _ = sync_guard::load_chunk(&mut doc, payload);
}

/// A byte stream from a peer, cut into frames by our codec.
pub fn frame(data: &[u8]) {
    let mut codec = codec();
    let mut buf = BytesMut::from(data);
    while let Ok(Some(frame)) = codec.decode(&mut buf) {
        assert!(frame.len() <= MAX_FRAME_BYTES, "frame over the limit");
    }
    let _ = codec.decode_eof(&mut buf);
}

/// One frame's payload from a peer: a samod wire message, and the
/// Automerge sync message a `sync` or `request` message carries, received
/// into a document that has content. The bytes are also tried as a bare
/// sync message (mutations rarely keep the CBOR envelope intact).
pub fn peer_message(data: &[u8]) {
    use samod_core::network::wire_protocol::WireMessage;
    if let Ok(WireMessage::Sync { data, .. } | WireMessage::Request { data, .. }) =
        WireMessage::decode(data)
    {
        receive_sync(&data);
    }
    receive_sync(data);
}

fn receive_sync(data: &[u8]) {
    // Exactly what samod does with a peer's message (Bureau's patch 4).
    let Ok(message) = sync_guard::decode(data) else {
        return;
    };
    let mut doc = sample_doc();
    let mut state = sync::State::new();
    if sync_guard::receive(&mut doc, &mut state, message).is_ok() {
        let _ = doc.generate_sync_message(&mut state);
    }
}

/// Valid inputs for each entry point, to seed fuzzers and to perturb in
/// property tests: `(target, input)`.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    use samod_core::network::wire_protocol::WireMessage;
    let doc = sample_doc();
    let mut out = Vec::new();
    let mut framed = vec![0u8];
    framed.extend(crate::store::storage::frame(&doc.save()));
    out.push(("chunk", framed));
    let mut raw = vec![1u8];
    raw.extend(doc.save_after(&[]));
    out.push(("chunk", raw));

    let mut stream = BytesMut::new();
    for payload in [&b"hello"[..], &[0u8; 300][..]] {
        tokio_util::codec::Encoder::encode(
            &mut codec(),
            bytes::Bytes::copy_from_slice(payload),
            &mut stream,
        )
        .expect("encode frame");
    }
    out.push(("frame", stream.to_vec()));

    let message = doc
        .clone()
        .generate_sync_message(&mut sync::State::new())
        .map(|m| m.encode())
        .unwrap_or_default();
    out.push(("peer_message", message.clone()));
    let peer = |s: &str| samod_core::PeerId::from(s.to_string());
    let wire = WireMessage::Sync {
        document_id: "3KZs4SwJNun9ZHXX1sruiwBDt3tE".parse().expect("document id"),
        sender_id: peer("alice"),
        target_id: peer("bob"),
        data: message,
    };
    out.push(("peer_message", wire.encode()));
    let join = WireMessage::Join {
        sender_id: peer("alice"),
        supported_protocol_versions: vec!["1".into()],
        metadata: None,
    };
    out.push(("peer_message", join.encode()));

    let key = iroh::SecretKey::from_bytes(&[7; 32]);
    let ticket = Ticket {
        workspace: "01a2-workspace".into(),
        workspace_name: "Acme Office".into(),
        root_doc: "3KZs4SwJNun9ZHXX1sruiwBDt3tE".into(),
        founder: key.public(),
        inviter: iroh::EndpointAddr::new(key.public()),
        secret: "secret".into(),
        role: crate::model::Role::Member,
        expires: 1_800_000_000_000,
    };
    out.push(("ticket", ticket.encode().into_bytes()));
    let request = JoinRequest {
        workspace: "01a2-workspace".into(),
        secret: "secret".into(),
        name: "Ben".into(),
    };
    out.push(("ticket", serde_json::to_vec(&request).unwrap_or_default()));
    out
}

fn sample_doc() -> Automerge {
    let mut doc = AutoCommit::new();
    let _ = doc.put(ROOT, "title", "Order toner");
    let _ = doc.put(ROOT, "count", 3);
    doc.commit();
    doc.document().clone()
}

/// Text a person pastes or a joiner sends: an invite ticket, a join
/// request, a signed membership entry.
pub fn ticket(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = Ticket::decode(&text);
    let _ = serde_json::from_slice::<JoinRequest>(data);
    if let Ok(entry) = serde_json::from_slice::<SignedEntry>(data) {
        let _ = entry.verify();
    }
}
