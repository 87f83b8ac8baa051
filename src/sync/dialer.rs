//! samod's dialer over iroh: connects to one peer device on `bureau/sync/1`
//! and hands samod a framed transport.

use std::sync::Arc;

use futures::{FutureExt, future::BoxFuture};
use iroh::{Endpoint, EndpointAddr};
use samod::{DialError, PeerId, Transport};

use super::framing;
use super::handlers::Connections;
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
            let conn = endpoint
                .connect(addr.clone(), SYNC_ALPN)
                .await
                .map_err(DialError::transient)?;
            connections.watch_for_removal(&conn);
            let (send, recv) = conn.open_bi().await.map_err(DialError::transient)?;
            connections.add(&addr.id.to_string(), conn);
            Ok(framing::transport(send, recv)
                .with_expected_peer_id(PeerId::from(addr.id.to_string())))
        }
        .boxed()
    }
}
