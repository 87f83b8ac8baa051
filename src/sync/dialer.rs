//! samod's dialer over iroh: connects to one peer device on `bureau/sync/1`
//! and hands samod a framed transport. While the peer already has a
//! connection with us (it dialed us), the dialer waits for that one to
//! close: one connection per pair (see `sync::connections`). A failed dial
//! is noted, so the overlay (`sync::overlay`) dials the next device round.

use std::sync::Arc;

use futures::{FutureExt, future::BoxFuture};
use iroh::{Endpoint, EndpointAddr};
use samod::{DialError, PeerId, Transport};

use super::connections::{Connections, Dialed};
use super::framing;
use super::net::SYNC_ALPN;

/// Connects samod to one peer device over iroh.
pub(crate) struct IrohDialer {
    endpoint: Endpoint,
    addr: EndpointAddr,
    url: url::Url,
    connections: Connections,
}

impl IrohDialer {
    pub(crate) fn new(
        endpoint: Endpoint,
        addr: EndpointAddr,
        connections: Connections,
    ) -> Option<Arc<Self>> {
        let url = url::Url::parse(&format!("iroh://{}", addr.id)).ok()?;
        Some(Arc::new(IrohDialer {
            endpoint,
            addr,
            url,
            connections,
        }))
    }
}

impl samod::Dialer for IrohDialer {
    type Error = std::io::Error;

    fn url(&self) -> url::Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<std::io::Error>>> {
        let endpoint = self.endpoint.clone();
        let addr = self.addr.clone();
        let connections = self.connections.clone();
        async move {
            let device = addr.id.to_string();
            connections.until_unconnected(&device).await;
            let failed = |e: std::io::Error| {
                connections.dial_failed(&device);
                DialError::transient(e)
            };
            let conn = endpoint
                .connect(addr.clone(), SYNC_ALPN)
                .await
                .map_err(|e| failed(std::io::Error::other(e)))?;
            connections.watch_for_removal(&conn);
            let (send, recv) = conn
                .open_bi()
                .await
                .map_err(|e| failed(std::io::Error::other(e)))?;
            if !connections.add(&device, conn, Dialed::ByUs) {
                // The peer dialed us at the same moment and the pair keeps
                // its connection; samod dials again after a backoff and
                // then waits for that connection to close.
                return Err(DialError::transient(std::io::Error::other(
                    "the peer's own connection to us is kept",
                )));
            }
            Ok(framing::transport(send, recv, connections.traffic())
                .with_expected_peer_id(PeerId::from(addr.id.to_string())))
        }
        .boxed()
    }
}
