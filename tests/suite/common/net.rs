//! A loopback network of real nodes for sync and security tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bureau::model::*;
use bureau::store::Store;
use bureau::sync::{NetOptions, Node, Ticket, node};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Net {
    pub rt: tokio::runtime::Runtime,
    pub dir: tempfile::TempDir,
}

impl Net {
    pub fn new() -> Self {
        Net {
            rt: super::runtime(),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A network whose data directories are in memory (tmpfs, where there
    /// is one): for tests that need thousands of changes, each of which
    /// would otherwise wait for the disk.
    pub fn in_memory() -> Self {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        };
        Net {
            rt: super::runtime(),
            dir: dir.expect("tempdir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn found(&self, name: &str) -> Arc<Node> {
        let store = self
            .rt
            .block_on(node::create_workspace(
                &self.path(name),
                "Acme Office",
                "Ana Ruiz",
            ))
            .expect("create workspace");
        self.rt.block_on(store.close());
        self.start(name)
    }

    pub fn start(&self, name: &str) -> Arc<Node> {
        self.rt
            .block_on(Node::start(
                &self.path(name),
                "test",
                &NetOptions::loopback(),
            ))
            .expect("start node")
    }

    pub fn invite(&self, inviter: &Node, role: Role) -> Ticket {
        inviter
            .invite(role, Duration::from_secs(3600))
            .expect("invite")
    }

    pub fn join(&self, name: &str, ticket: &Ticket, person: &str) -> Arc<Node> {
        let node = self
            .rt
            .block_on(Node::join(
                &self.path(name),
                ticket,
                person,
                &NetOptions::loopback(),
            ))
            .expect("join");
        self.sync(&node);
        node
    }

    pub fn sync(&self, node: &Arc<Node>) {
        self.rt
            .block_on(node.wait_in_sync(TIMEOUT))
            .expect("in sync");
    }

    pub fn stop(&self, node: Arc<Node>) {
        self.rt.block_on(node.shutdown());
    }

    pub fn open(&self, name: &str) -> Store {
        self.rt
            .block_on(Store::open(&self.path(name), "test"))
            .expect("open")
    }

    pub fn close(&self, store: Store) {
        self.rt.block_on(store.close());
    }
}

pub fn export(store: &Store) -> String {
    serde_json::to_string_pretty(&store.export_json().expect("export")).expect("json")
}

pub fn add_task(store: &Store, title: &str) -> String {
    store
        .create(Task {
            id: new_id(),
            title: title.into(),
            ..Default::default()
        })
        .expect("task")
}

pub fn has_task(store: &Store, id: &str) -> bool {
    store.get::<Task>(id).expect("read").is_some()
}
