//! Length-prefixed frames on an iroh QUIC stream, with an explicit maximum
//! frame size checked before anything is allocated. A peer that announces a
//! larger frame, or sends bytes that do not decode, ends its own connection
//! only.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures::{SinkExt, StreamExt, TryStreamExt};
use iroh::endpoint::{RecvStream, SendStream};
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};

/// The largest frame we accept or send: 32 MiB. A whole-document sync
/// message for the L office's largest document is ~1 MiB.
pub const MAX_FRAME_BYTES: usize = 32 * 1024 * 1024;

pub fn codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .length_field_length(4)
        .max_frame_length(MAX_FRAME_BYTES)
        .new_codec()
}

/// Bytes of frames one node sent and received (payload plus the 4-byte
/// length), for benchmarks, tests and diagnostics.
#[derive(Debug, Default)]
pub struct Traffic {
    sent: AtomicU64,
    received: AtomicU64,
}

impl Traffic {
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    pub(crate) fn count_sent(&self, payload: usize) {
        self.sent.fetch_add(payload as u64 + 4, Ordering::Relaxed);
    }

    pub(crate) fn count_received(&self, payload: usize) {
        self.received
            .fetch_add(payload as u64 + 4, Ordering::Relaxed);
    }
}

/// A samod transport over one bidirectional stream, counted in `traffic`.
pub fn transport(send: SendStream, recv: RecvStream, traffic: Arc<Traffic>) -> samod::Transport {
    let counted = traffic.clone();
    let stream = FramedRead::new(recv, codec()).map_ok(move |bytes| {
        counted.count_received(bytes.len());
        bytes.to_vec()
    });
    let sink = FramedWrite::new(send, codec()).with(move |msg: Vec<u8>| {
        traffic.count_sent(msg.len());
        futures::future::ready(Ok::<_, std::io::Error>(Bytes::from(msg)))
    });
    samod::Transport::new(stream, Box::pin(sink))
}

/// Reads one frame (for the small join handshake).
pub async fn read_frame(recv: &mut RecvStream) -> std::io::Result<Vec<u8>> {
    let mut framed = FramedRead::new(recv, codec());
    match framed.next().await {
        Some(frame) => Ok(frame?.to_vec()),
        None => Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the peer closed the stream",
        )),
    }
}

/// Writes one frame (for the small join handshake).
pub async fn write_frame(send: &mut SendStream, bytes: Vec<u8>) -> std::io::Result<()> {
    let mut framed = FramedWrite::new(send, codec());
    framed.send(Bytes::from(bytes)).await
}
