//! What flows between the UI and the backend: the [`Command`]s the screens
//! send, the [`ViewModel`] they read, and [`Notice`]s shown as toasts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::model::{Date, InventoryItem, Role, Site, Task, TaskStatus};
use crate::store::{ItemStock, LowStock};
use crate::sync::membership::MemberInfo;
use crate::sync::status::PeerStatus;

/// What the UI asks for.
#[derive(Debug, Clone)]
pub enum Command {
    CreateWorkspace {
        workspace: String,
        name: String,
    },
    Join {
        ticket: String,
        name: String,
    },
    AddTask {
        title: String,
        owner: Option<String>,
        due: Option<Date>,
    },
    SaveTask(Box<Task>),
    SetTaskStatus {
        id: String,
        status: TaskStatus,
        reason: Option<String>,
    },
    AddItem {
        name: String,
        unit: String,
        reorder_at: i64,
        site: Option<String>,
        qty: i64,
    },
    AdjustStock {
        item: String,
        site: String,
        by: i64,
        reason: Option<String>,
    },
    CountStock {
        item: String,
        site: String,
        counted: i64,
    },
    Invite {
        role: Role,
        hours: u64,
    },
    AddComment {
        task: String,
        text: String,
    },
    AddChecklistItem {
        task: String,
        text: String,
    },
    ToggleChecklistItem {
        task: String,
        item: String,
    },
    /// Show an item's movement history (loaded on demand).
    ShowMovements {
        item: Option<String>,
    },
    SetMemberRole {
        member_id: String,
        role: Role,
    },
    RemoveMember {
        member_id: String,
    },
    SaveItem(Box<InventoryItem>),
    Refresh,
}

/// Everything the screens show, computed in the background.
#[derive(Debug, Clone, Default)]
pub struct ViewModel {
    /// `None` until a workspace exists (first run).
    pub workspace: Option<String>,
    pub me: Option<String>,
    pub my_role: Option<Role>,
    pub data_dir: PathBuf,
    pub today: Date,
    pub tasks: Vec<Task>,
    pub projects: BTreeMap<String, String>,
    pub items: Vec<ItemStock>,
    pub sites: Vec<Site>,
    pub low_stock: Vec<LowStock>,
    pub members: Vec<MemberInfo>,
    pub peers: Vec<PeerStatus>,
    pub online: bool,
    pub last_ticket: Option<String>,
    /// Movement history of the item shown in Inventory, newest first.
    pub movements: Option<(String, Vec<crate::model::StockMovement>)>,
    /// Increases with every new view model.
    pub version: u64,
}

impl ViewModel {
    pub fn overdue(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|t| t.is_overdue(self.today))
    }

    pub fn blocked(&self) -> impl Iterator<Item = &Task> {
        self.tasks
            .iter()
            .filter(|t| t.is_open() && t.status == TaskStatus::Blocked)
    }

    pub fn due_this_week(&self) -> impl Iterator<Item = &Task> {
        let end = self.today.add_days(7);
        self.tasks
            .iter()
            .filter(move |t| t.is_open() && t.due.is_some_and(|d| d >= self.today && d <= end))
    }

    pub fn site_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.sites
            .iter()
            .find(|s| s.id == id)
            .map_or(id, |s| s.name.as_str())
    }

    /// Peers online, our changes nobody has seen yet (best peer), last sync.
    pub fn sync_summary(&self) -> String {
        let online = self.peers.iter().filter(|p| p.online).count();
        let unseen = self.peers.iter().filter_map(|p| p.unseen_changes).min();
        let last = self
            .peers
            .iter()
            .filter_map(|p| p.last_synced.clone())
            .max();
        match (online, unseen, last) {
            (0, Some(0), Some(last)) => {
                format!("offline — everything was synced (last sync {last})")
            }
            (0, Some(n), _) if n > 0 => format!("offline — {n} change(s) not yet seen by anyone"),
            (0, _, _) if self.peers.is_empty() => {
                "no other devices yet — invite your team in Team & Sync".into()
            }
            (0, _, last) => format!(
                "offline — last sync {}",
                last.unwrap_or_else(|| "never".into())
            ),
            (n, Some(0), _) => format!("{n} peer(s) online — in sync"),
            (n, Some(u), _) => format!("{n} peer(s) online — syncing {u} change(s)"),
            (n, None, _) => format!("{n} peer(s) online — syncing"),
        }
    }
}

/// Something to tell the user (a toast).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}
