//! Bureau: an offline-first workspace for office and operations coordinators.
//!
//! - [`model`]: plain record types and validation (no I/O).
//! - [`store`]: Automerge documents through samod, durable storage on disk,
//!   typed reads and writes, queries.
//! - [`cli`]: the command-line interface.

pub mod cli;
pub mod model;
pub mod store;
