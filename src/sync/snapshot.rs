//! `bureau/docs/1`: a joining device receives every document whole, in
//! Automerge's compacted (saved) form, instead of replaying each document's
//! change stream through the sync protocol. Bytes on the wire are then the
//! compacted size, and the joiner loads each document once.
//!
//! The inviter announces each document (id, heads, length) and sends its
//! saved bytes. The joiner trusts nothing it was sent: a document is kept
//! only if its bytes load (through the same guard samod uses for chunks
//! from disk) and its heads are exactly the ones announced; one that does
//! not is refused and the whole transfer with it, so nothing half-checked
//! reaches the store. What was received is then written to storage as a
//! snapshot and handed to samod already loaded (`samod_core::carry`), and
//! both ends start their sync from the heads just shared, so the sync that
//! follows only confirms them.
//!
//! Only a member of the workspace (the joiner is one once its ticket is
//! redeemed) is answered.

use std::sync::Weak;

use automerge::{Automerge, ChangeHash};
use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use iroh::endpoint::{Connection, VarInt};
use iroh::protocol::{AcceptError, ProtocolHandler};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::codec::{FramedRead, FramedWrite};

use super::access::Access;
use super::connections::Connections;
use super::framing::{self, Traffic};
use crate::store::{Seed, Store, StoreError};

/// Whole documents for a joining device.
pub const DOCS_ALPN: &[u8] = b"bureau/docs/1";

/// Bytes of one document per frame (frames stay well under the maximum).
const PART_BYTES: usize = 4 * 1024 * 1024;
/// The most documents and bytes a joiner accepts in one transfer.
const MAX_DOCUMENTS: usize = 100_000;
const MAX_TOTAL_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// What the joiner asks for.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    workspace: String,
}

/// What precedes each document, and ends the transfer.
#[derive(Debug, Serialize, Deserialize)]
enum Header {
    Document {
        id: String,
        heads: Vec<String>,
        bytes: u64,
    },
    End,
}

/// What one transfer carried.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sent {
    pub documents: usize,
    pub bytes: u64,
}

fn io_error(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Sends `documents` (id, heads, saved bytes, produced one at a time by
/// `next`) on `writer`, then the end marker.
pub async fn send_documents<W, N, F>(
    writer: W,
    traffic: &Traffic,
    mut next: N,
) -> std::io::Result<Sent>
where
    W: AsyncWrite + Unpin,
    N: FnMut() -> F,
    F: std::future::Future<Output = Option<(String, Vec<ChangeHash>, Vec<u8>)>>,
{
    let mut framed = FramedWrite::new(writer, framing::codec());
    let mut sent = Sent::default();
    let send = async |framed: &mut FramedWrite<W, _>, bytes: Vec<u8>| {
        traffic.count_sent(bytes.len());
        framed.feed(Bytes::from(bytes)).await
    };
    while let Some((id, heads, bytes)) = next().await {
        let header = Header::Document {
            id,
            heads: heads.iter().map(|h| h.to_string()).collect(),
            bytes: bytes.len() as u64,
        };
        send(&mut framed, serde_json::to_vec(&header).map_err(io_error)?).await?;
        for part in bytes.chunks(PART_BYTES) {
            send(&mut framed, part.to_vec()).await?;
        }
        sent.documents += 1;
        sent.bytes += bytes.len() as u64;
    }
    send(
        &mut framed,
        serde_json::to_vec(&Header::End).map_err(io_error)?,
    )
    .await?;
    SinkExt::<Bytes>::flush(&mut framed).await?;
    Ok(sent)
}

/// Checks one received document: it must load and have exactly the
/// announced heads.
pub fn verify(id: &str, announced: &[ChangeHash], bytes: Vec<u8>) -> Result<Seed, StoreError> {
    let refused = |why: String| {
        StoreError::Rejected(format!(
            "the inviting device sent document {id} {why}; nothing was kept, ask for a new invite"
        ))
    };
    let mut doc = Automerge::new();
    samod_core::sync_guard::load_chunk(&mut doc, &bytes)
        .map_err(|e| refused(format!("that does not load ({e})")))?;
    let mut heads = doc.get_heads();
    let mut expected = announced.to_vec();
    heads.sort();
    expected.sort();
    if heads != expected || heads.is_empty() {
        return Err(refused(
            "whose contents do not match the heads it announced".into(),
        ));
    }
    Ok(Seed {
        doc_id: id.to_string(),
        bytes,
        doc,
    })
}

/// Reads a whole transfer from `reader`, verifying each document as it
/// arrives (on the blocking pool, while the next one is read). Any bad
/// document refuses the whole transfer.
pub async fn receive_documents<R: AsyncRead + Unpin>(
    reader: R,
    traffic: &Traffic,
) -> Result<Vec<Seed>, StoreError> {
    let hung_up =
        |e: std::io::Error| StoreError::Rejected(format!("the inviting device hung up: {e}"));
    let garbled =
        || StoreError::Rejected("the inviting device sent a garbled document list".into());
    let mut framed = FramedRead::new(reader, framing::codec());
    let mut next_frame = async || -> Result<Bytes, StoreError> {
        let frame = framed
            .next()
            .await
            .ok_or_else(|| hung_up(std::io::ErrorKind::UnexpectedEof.into()))?
            .map_err(hung_up)?;
        traffic.count_received(frame.len());
        Ok(frame.freeze())
    };
    let mut checks = Vec::new();
    let mut total = 0u64;
    loop {
        let header: Header = serde_json::from_slice(&next_frame().await?).map_err(|_| garbled())?;
        let (id, heads, len) = match header {
            Header::End => break,
            Header::Document { id, heads, bytes } => (id, heads, bytes),
        };
        total = total.saturating_add(len);
        if checks.len() >= MAX_DOCUMENTS || total > MAX_TOTAL_BYTES {
            return Err(StoreError::Rejected(
                "the inviting device sent more than a workspace can hold".into(),
            ));
        }
        if id.parse::<samod::DocumentId>().is_err() {
            return Err(garbled());
        }
        let heads: Vec<ChangeHash> = heads
            .iter()
            .map(|h| h.parse().map_err(|_| garbled()))
            .collect::<Result<_, _>>()?;
        let mut bytes = Vec::with_capacity(len.min(PART_BYTES as u64) as usize);
        while (bytes.len() as u64) < len {
            let part = next_frame().await?;
            if bytes.len() as u64 + part.len() as u64 > len {
                return Err(garbled());
            }
            bytes.extend_from_slice(&part);
        }
        checks.push(tokio::task::spawn_blocking(move || {
            verify(&id, &heads, bytes)
        }));
    }
    let mut seeds = Vec::with_capacity(checks.len());
    for check in checks {
        seeds.push(check.await.map_err(|_| StoreError::Stopped)??);
    }
    Ok(seeds)
}

/// Asks the inviter (already connected on [`DOCS_ALPN`]) for every
/// document of `workspace`.
pub async fn fetch(
    conn: &Connection,
    workspace: &str,
    traffic: &Traffic,
) -> Result<Vec<Seed>, StoreError> {
    let hung_up = |e: &dyn std::fmt::Display| {
        StoreError::Rejected(format!("the inviting device hung up: {e}"))
    };
    let (mut send, recv) = conn.open_bi().await.map_err(|e| hung_up(&e))?;
    let request = Request {
        workspace: workspace.to_string(),
    };
    let request = serde_json::to_vec(&request).unwrap_or_default();
    traffic.count_sent(request.len());
    framing::write_frame(&mut send, request)
        .await
        .map_err(|e| hung_up(&e))?;
    let _ = send.finish();
    receive_documents(recv, traffic).await
}

/// The inviter's side of [`DOCS_ALPN`].
#[derive(Clone)]
pub struct DocsHandler {
    /// Weak, like the join handler's: a draining router must not keep the
    /// store open.
    pub store: Weak<Store>,
    pub access: Access,
    pub workspace: String,
    /// The node's connections (for the traffic count).
    pub connections: Connections,
}

impl std::fmt::Debug for DocsHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocsHandler")
    }
}

impl ProtocolHandler for DocsHandler {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let remote = conn.remote_id().to_string();
        if self.access.role_of(&remote).is_none() {
            conn.close(
                VarInt::from_u32(super::handlers::CLOSE_NOT_MEMBER),
                b"not a member of this workspace",
            );
            return Ok(());
        }
        let (send, mut recv) = conn.accept_bi().await.map_err(AcceptError::from_err)?;
        let request = framing::read_frame(&mut recv)
            .await
            .map_err(AcceptError::from_err)?;
        let asked = serde_json::from_slice::<Request>(&request).ok();
        let Some(store) = self.store.upgrade() else {
            return Ok(());
        };
        if asked.is_none_or(|r| r.workspace != self.workspace) {
            conn.close(VarInt::from_u32(400), b"not this workspace");
            return Ok(());
        }
        let docs = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || {
                let _ = store.fetch_bodies();
                // A document with no change yet has nothing to send.
                store.documents().map(|docs| {
                    docs.into_iter()
                        .filter(|d| d.with_document(|doc| !doc.get_heads().is_empty()))
                        .collect::<Vec<_>>()
                })
            })
            .await
            .map_err(AcceptError::from_err)?
            .map_err(AcceptError::from_err)?
        };
        let me = store.repo().peer_id();
        let them = samod_core::PeerId::from(remote.as_str());
        drop(store);
        let mut docs = docs.into_iter();
        let traffic = self.connections.traffic();
        let sent = send_documents(send, &traffic, || {
            let next = docs.next();
            let (me, them) = (me.clone(), them.clone());
            async move {
                let handle = next?;
                let saved = tokio::task::spawn_blocking(move || {
                    let (heads, bytes) = handle.with_document(|d| (d.get_heads(), d.save()));
                    // The joiner starts its sync with us from these heads.
                    samod_core::carry::remember_shared_heads(
                        &me,
                        &them,
                        handle.document_id(),
                        heads.clone(),
                    );
                    (handle.document_id().to_string(), heads, bytes)
                })
                .await
                .ok()?;
                Some(saved)
            }
        })
        .await
        .map_err(AcceptError::from_err)?;
        tracing::info!(peer = %remote, documents = sent.documents, bytes = sent.bytes, "sent every document to a joining device");
        // Wait for the joiner to read everything before the connection goes.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(60), conn.closed()).await;
        Ok(())
    }
}
