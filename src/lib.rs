//! Bureau: an offline-first workspace for office and operations coordinators.
//!
//! - [`model`]: plain record types and validation (no I/O).
//! - [`store`]: Automerge documents through samod, durable storage on disk,
//!   typed reads and writes, queries.
//! - [`sync`]: peer-to-peer sync over iroh, membership, invites.
//! - [`cli`]: the command-line interface.
//! - `ui` (feature `gui`): the egui desktop app.
//! - [`fixture`] and [`bench`]: generated offices and the store benchmark.

pub mod bench;
pub mod cli;
pub mod minder;
pub mod model;
pub mod notifications;
pub mod ops;
pub mod report;
pub mod store;
pub mod sync;
#[cfg(feature = "gui")]
pub mod ui;
pub mod untrusted;
pub mod views;
