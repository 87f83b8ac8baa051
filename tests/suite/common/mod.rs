//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use bureau::store::{Layout, Store};

#[cfg(feature = "gui")]
pub mod app;
pub mod budget;
pub mod net;
pub mod process;
pub mod purchasing;
pub mod tools;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A runtime plus a fresh workspace in a temporary directory.
pub struct Fixture {
    pub rt: tokio::runtime::Runtime,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            rt: runtime(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn init(&self, name: &str) -> Store {
        self.rt
            .block_on(Store::init(
                &self.path(name),
                "Acme Office",
                "Ana Ruiz",
                Layout::PerArea,
                None,
            ))
            .expect("init")
    }

    pub fn open(&self, name: &str) -> Store {
        self.rt
            .block_on(Store::open(&self.path(name), "test"))
            .expect("open")
    }

    pub fn close(&self, store: Store) {
        self.rt.block_on(store.close());
    }

    /// Copies a closed replica's data directory (a second device of the same workspace).
    pub fn clone_replica(&self, from: &str, to: &str) {
        copy_dir(&self.path(from), &self.path(to));
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "bureau.lock" {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every chunk file under a data directory's store.
pub fn chunk_files(data_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![data_dir.join("store")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

/// Adds a "Paper" item with `qty` boxes at site "HQ" (created if new);
/// returns (item id, site id).
pub fn add_paper(store: &Store, qty: i64) -> (String, String) {
    let site = store.ensure_site("HQ").expect("site");
    let item = store
        .create_item(
            bureau::model::InventoryItem {
                id: bureau::model::new_id(),
                name: "Paper".into(),
                unit: "box".into(),
                ..Default::default()
            },
            Some((&site, qty)),
        )
        .expect("item");
    (item, site)
}
