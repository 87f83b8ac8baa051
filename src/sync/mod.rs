//! Peer-to-peer sync over iroh: device identity, the signed membership log,
//! invite tickets, the recovery kit, framing, the endpoint, protocol handlers, sync status and
//! the running node. No egui here.

pub mod access;
mod dialer;
pub mod framing;
pub mod handlers;
pub mod identity;
pub mod invite;
pub mod membership;
pub mod net;
pub mod node;
pub mod recovery;
pub mod removal;
pub mod status;
pub mod workspace;

pub use access::Access;
pub use invite::Ticket;
pub use net::NetOptions;
pub use node::Node;
