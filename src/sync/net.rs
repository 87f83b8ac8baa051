//! The iroh endpoint: our ALPNs, how the endpoint is configured (internet
//! services on or off), and the stable listening port kept in the data dir.

use std::net::SocketAddr;
use std::path::Path;

use iroh::endpoint::{PortmapperConfig, QuicTransportConfig, presets};
use iroh::{
    Endpoint, EndpointAddr, NetReportConfig, RelayMode, RelayUrl, SecretKey, TransportAddr,
};
use serde::{Deserialize, Serialize};

use crate::store::StoreError;

/// Document sync (samod's automerge-repo protocol over our framing).
pub const SYNC_ALPN: &[u8] = b"bureau/sync/1";
/// Redeeming an invite ticket.
pub const JOIN_ALPN: &[u8] = b"bureau/join/1";

/// Longest wait at start for the team relay to answer.
const RELAY_WAIT: std::time::Duration = std::time::Duration::from_secs(4);

/// How long a silent connection lives. A peer that quits closes its
/// connections at once; one that crashed or lost its network is noticed
/// after this (the other side's idle timeout, if shorter, wins), so the
/// status on screen is true within about five seconds.
const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);
/// Keep-alives well inside the idle timeout, so a quiet but healthy
/// connection never times out.
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(1);

/// The round trip assumed before one is measured. QUIC's default (333 ms)
/// makes closing the endpoint wait ~3 s for a dial to an absent peer to
/// drain; Bureau's peers are mostly on the LAN, and a longer real round
/// trip only means the first handshake packet may be sent twice.
const INITIAL_RTT: std::time::Duration = std::time::Duration::from_millis(60);

fn transport() -> QuicTransportConfig {
    QuicTransportConfig::builder()
        .initial_rtt(INITIAL_RTT)
        .keep_alive_interval(KEEP_ALIVE)
        .max_idle_timeout(IDLE_TIMEOUT.try_into().ok())
        .build()
}

/// How a node reaches the network.
#[derive(Debug, Clone, Default)]
pub struct NetOptions {
    /// LAN only: no relays, no DNS lookup, no port mapping, nothing outside
    /// the local network.
    pub offline: bool,
    /// Listen here. Port 0 means the port used last time (else any free
    /// port), so peers' remembered addresses stay valid across restarts.
    pub bind: Option<SocketAddr>,
    /// Find peers on the LAN by multicast DNS.
    pub mdns: bool,
    /// Peers to dial at addresses the user typed (VPNs, other subnets).
    pub static_peers: Vec<EndpointAddr>,
    /// The team's own relay (an `iroh-relay` it runs), used instead of the
    /// public ones, also with `offline`: peers that cannot reach each other
    /// directly meet there.
    pub relay: Option<RelayUrl>,
    /// Which member devices to dial: the bounded ring (the default) or
    /// every one (`sync::overlay`).
    pub fanout: super::overlay::Fanout,
}

impl NetOptions {
    /// Loopback only, any port, no discovery: for tests and benchmarks.
    pub fn loopback() -> Self {
        NetOptions {
            offline: true,
            bind: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
            mdns: false,
            static_peers: Vec::new(),
            relay: None,
            fanout: Default::default(),
        }
    }
}

/// Parses `ENDPOINT_ID@IP:PORT` (the address part may repeat, comma-separated).
pub fn parse_static_peer(text: &str) -> Result<EndpointAddr, String> {
    let bad = || format!("invalid --peer {text:?}: use ENDPOINT_ID@IP:PORT");
    let (id, addrs) = text.split_once('@').ok_or_else(bad)?;
    let id: iroh::PublicKey = id.trim().parse().map_err(|_| bad())?;
    let mut addr = EndpointAddr::new(id);
    for a in addrs.split(',') {
        let socket: SocketAddr = a.trim().parse().map_err(|_| bad())?;
        addr.addrs.insert(TransportAddr::Ip(socket));
    }
    Ok(addr)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct NetState {
    port: Option<u16>,
}

fn state_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("net.json")
}

fn last_port(data_dir: &Path) -> Option<u16> {
    let bytes = std::fs::read(state_path(data_dir)).ok()?;
    serde_json::from_slice::<NetState>(&bytes).ok()?.port
}

fn remember_port(data_dir: &Path, port: u16) {
    let text = serde_json::to_string(&NetState { port: Some(port) }).unwrap_or_default();
    if let Err(e) = super::identity::write_private(&state_path(data_dir), &text) {
        tracing::warn!(error = %e, "could not remember the listening port");
    }
}

/// Binds this device's endpoint. Nothing here waits on the internet.
pub async fn bind(
    data_dir: &Path,
    key: SecretKey,
    options: &NetOptions,
) -> Result<Endpoint, StoreError> {
    // Port 0 (or no --bind) means: the port used last time, else any.
    let mut bind_to = options.bind.unwrap_or(SocketAddr::from(([0, 0, 0, 0], 0)));
    if bind_to.port() == 0 {
        bind_to.set_port(last_port(data_dir).unwrap_or(0));
    }
    let remembered = options.bind.is_none_or(|b| b.port() == 0);
    let make = || {
        let mut builder = if options.offline {
            Endpoint::builder(presets::Minimal)
                .relay_mode(RelayMode::Disabled)
                .clear_address_lookup()
                .portmapper_config(PortmapperConfig::Disabled)
                .net_report_config(NetReportConfig::minimal())
        } else {
            Endpoint::builder(presets::N0)
        };
        if let Some(relay) = &options.relay {
            // HTTPS latency probes pick it as the home relay where QUIC
            // address discovery does not answer (an HTTP-only relay); no
            // captive-portal check, which would go to the internet.
            builder = builder
                .relay_mode(RelayMode::custom([relay.clone()]))
                .net_report_config({
                    let mut report = NetReportConfig::minimal();
                    report.https_probes = true;
                    report
                });
        }
        if options.mdns {
            builder =
                builder.address_lookup(iroh_mdns_address_lookup::MdnsAddressLookup::builder());
        }
        builder
            .transport_config(transport())
            .secret_key(key.clone())
            .alpns(vec![
                SYNC_ALPN.to_vec(),
                JOIN_ALPN.to_vec(),
                super::snapshot::DOCS_ALPN.to_vec(),
            ])
    };
    let bound = match make().bind_addr(bind_to) {
        Ok(b) => b.bind().await,
        Err(e) => return Err(StoreError::Rejected(format!("invalid --bind address: {e}"))),
    };
    let endpoint = match bound {
        Ok(endpoint) => endpoint,
        // The remembered port is taken: take any port rather than fail.
        Err(_) if remembered => make()
            .bind_addr(SocketAddr::from((bind_to.ip(), 0)))
            .map_err(|e| StoreError::Rejected(e.to_string()))?
            .bind()
            .await
            .map_err(|e| StoreError::Rejected(format!("could not start networking: {e}")))?,
        Err(e) => {
            return Err(StoreError::Rejected(format!(
                "could not listen on {bind_to}: {e}"
            )));
        }
    };
    if let Some(addr) = endpoint.bound_sockets().first() {
        remember_port(data_dir, addr.port());
    }
    // With the team's relay, be reachable there before saying "ready" (a
    // peer that can only reach us through it may dial at once); a relay that
    // does not answer is an outage like any other: go on without it.
    if let Some(relay) = &options.relay
        && tokio::time::timeout(RELAY_WAIT, endpoint.online())
            .await
            .is_err()
    {
        tracing::info!(%relay, "the team relay does not answer yet; LAN peers still sync");
    }
    Ok(endpoint)
}

/// The addresses peers can dial us at: the bound sockets, with an
/// unspecified IP replaced by loopback (so tests and same-machine peers work;
/// LAN peers find us through mDNS or the published interface addresses).
pub fn local_addr(endpoint: &Endpoint) -> EndpointAddr {
    let mut addr = endpoint.addr();
    for socket in endpoint.bound_sockets() {
        let socket = if socket.ip().is_unspecified() {
            match socket {
                SocketAddr::V4(s) => SocketAddr::from(([127, 0, 0, 1], s.port())),
                SocketAddr::V6(s) => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, s.port())),
            }
        } else {
            socket
        };
        addr.addrs.insert(TransportAddr::Ip(socket));
    }
    addr
}

/// `addr` with the team relay added (every device of a team that runs its
/// own relay is at home there, so a peer is reachable through it).
pub fn via_relay(mut addr: EndpointAddr, relay: Option<&RelayUrl>) -> EndpointAddr {
    if let Some(relay) = relay {
        addr.addrs.insert(TransportAddr::Relay(relay.clone()));
    }
    addr
}

/// Text forms of the direct addresses (for `ready` lines and publishing).
pub fn addr_strings(addr: &EndpointAddr) -> Vec<String> {
    addr.ip_addrs().map(|a| a.to_string()).collect()
}
