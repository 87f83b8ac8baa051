//! Peer-to-peer sync over iroh: device identity, the signed membership log,
//! invite tickets, the recovery kit, framing, the endpoint, one connection per pair of devices, protocol handlers, sync status and
//! the running node. No egui here.

pub mod access;
pub mod connections;
mod dialer;
pub mod framing;
pub mod handlers;
pub mod identity;
pub mod invite;
pub mod membership;
pub mod net;
pub mod node;
pub mod overlay;
pub mod recovery;
pub mod removal;
pub mod snapshot;
pub mod status;
pub mod workspace;

pub use access::Access;
pub use invite::Ticket;
pub use net::NetOptions;
pub use node::Node;
