//! The integration tests, as one test program.
//!
//! Each module is one subject (the file names say which). They share one
//! binary because every test program links the whole app: thirty of them
//! took ~15 GB of disk and most of CI's link time. Run one subject with
//! `cargo test --test suite budget::` (a module path filters).

mod common;

mod app_core;
mod app_history;
mod archive;
mod archive_gui;
mod budget;
mod budget_cli;
mod budget_gui;
mod cli;
mod cli_sync;
mod convergence;
mod corrupt;
mod crash;
mod docs;
mod docs_cli;
mod docs_gui;
mod equipment;
mod exchange_cli;
mod facilities_cli;
mod facilities_gui;
mod fuzz_replay;
mod gui;
mod history;
mod history_cli;
mod history_gui;
mod mdns;
mod meetings;
mod meetings_cli;
mod meetings_gui;
mod membership;
mod merge;
mod offline;
mod ops;
mod overlay;
mod purchasing;
mod purchasing_cli;
mod purchasing_gui;
mod purchasing_rules;
mod removal;
mod reports;
mod rules;
mod security;
mod storage_faults;
mod storage_props;
mod store_records;
mod sync;
mod sync_hostile;
mod sync_scale;
mod views;
