//! Incremental view models: what the screens show, computed in the
//! background and handed to the UI as an immutable [`ViewModel`] of `Arc`s.
//!
//! Each area's part is rebuilt only when that area's document changed, and
//! then only the records the change touched are read again
//! ([`cache::RecordCache`]); the parts that did not change are the same
//! `Arc`s as before. Peer status, which looks at every document and
//! `peers.json`, is refreshed separately and at most a few times a second.
//! No egui here: the UI reads these, the backend builds them.

pub mod archive;
pub mod budget;
pub mod cache;
pub mod conflicts;
pub mod docs;
pub mod facilities;
pub mod meetings;
pub mod people;
pub mod purchasing;
pub mod reminders;
pub mod trash;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use cache::RecordCache;

use crate::model::{Date, InventoryItem, Member, Project, Record, Role, Site, Task, TaskStatus};
use crate::store::{ItemStock, LowStock, Result, Store, Unreadable};
use crate::sync::membership::MemberInfo;
use crate::sync::status::PeerStatus;

/// Everything the screens show. Cheap to clone (every part is shared).
#[derive(Debug, Clone, Default)]
pub struct ViewModel {
    /// `None` until a workspace exists (first run).
    pub workspace: Option<String>,
    pub me: Option<String>,
    /// This device's member id ("you" in member lists).
    pub my_member_id: Option<String>,
    /// This device's id (its own row is never offered for removal).
    pub my_device: Option<String>,
    pub my_role: Option<Role>,
    /// The workspace currency (amounts typed without one).
    pub currency: String,
    pub data_dir: PathBuf,
    pub today: Date,
    /// The moment the view was computed (reminders due "now").
    pub now: crate::model::Stamp,
    pub tasks: Arc<Vec<Arc<Task>>>,
    /// Project id -> name (including archived and deleted ones, for labels).
    pub projects: Arc<BTreeMap<String, String>>,
    /// The live projects themselves (to manage them).
    pub project_records: Arc<Vec<Arc<Project>>>,
    pub items: Arc<Vec<Arc<ItemStock>>>,
    pub sites: Arc<Vec<Arc<Site>>>,
    pub low_stock: Arc<Vec<LowStock>>,
    /// Vendors, contracts, orders, receipts, invoices and what follows.
    pub purchasing: Arc<purchasing::PurchasingView>,
    /// Budget lines, expenses, the spend ledger and charts' totals.
    pub budget: Arc<budget::BudgetView>,
    /// Meetings, rooms, clashes, onboarding plans and templates.
    pub meetings: Arc<meetings::MeetingsView>,
    /// Maintenance requests.
    pub facilities: Arc<facilities::FacilitiesView>,
    /// SOPs, policies and guides.
    pub docs: Arc<docs::DocsView>,
    /// The open document's text and versions (loaded while it is open).
    pub body: Option<Arc<docs::BodyView>>,
    /// The people directory and the org chart.
    pub people: Arc<people::PeopleView>,
    /// Every field holding concurrent values, in words.
    pub conflicts: Arc<Vec<crate::ops::conflicts::Conflict>>,
    /// Rules and what they did.
    pub automation: Arc<reminders::AutomationView>,
    /// This member's reminders, with read and snooze state.
    pub inbox: Arc<reminders::InboxView>,
    /// The history of the record shown (loaded while it is shown).
    pub history: Option<Arc<RecordHistory>>,
    pub members: Arc<Vec<MemberInfo>>,
    /// The current members' names (person fields pick from them).
    pub member_names: Arc<Vec<String>>,
    pub peers: Arc<Vec<PeerStatus>>,
    /// "1 task could not be read (…)", one line per kind.
    pub unreadable: Arc<Vec<String>>,
    pub online: bool,
    pub last_ticket: Option<String>,
    /// A recovery phrase just made, shown until the user has written it down.
    pub recovery_phrase: Option<String>,
    /// Whether the workspace has a recovery kit.
    pub has_recovery_kit: bool,
    /// "You were removed from … by … on …" once this device was removed.
    pub removed: Option<String>,
    /// What removed devices changed after their removal (shown to admins).
    pub after_removal: Arc<Vec<crate::sync::removal::AfterRemoval>>,
    /// What the last invite allows: "member, one use, until 2026-11-29 07:30".
    pub last_ticket_terms: Option<String>,
    /// Past years' tasks, loaded while they are shown.
    pub archive: Option<Arc<archive::ArchiveView>>,
    /// The Trash, loaded while the Trash area is open.
    pub trash: Option<Arc<Vec<trash::TrashEntry>>>,
    /// The report last made (Reports' preview).
    pub report: Option<Arc<crate::report::page::Preview>>,
    /// Movement history of the item shown in Inventory, newest first.
    pub movements: Option<(String, Arc<Vec<crate::model::StockMovement>>)>,
    /// What Ctrl+Z would undo on this device.
    pub undo_label: Option<String>,
    /// Increases with every new view model.
    pub version: u64,
    /// How many commands the backend has applied (each exactly once).
    pub applied: u64,
}

impl ViewModel {
    pub fn overdue(&self) -> impl Iterator<Item = &Task> {
        self.tasks
            .iter()
            .map(|t| &**t)
            .filter(|t| t.is_overdue(self.today))
    }

    pub fn blocked(&self) -> impl Iterator<Item = &Task> {
        self.tasks
            .iter()
            .map(|t| &**t)
            .filter(|t| t.is_open() && t.status == TaskStatus::Blocked)
    }

    pub fn due_this_week(&self) -> impl Iterator<Item = &Task> {
        let end = self.today.add_days(7);
        self.tasks
            .iter()
            .map(|t| &**t)
            .filter(move |t| t.is_open() && t.due.is_some_and(|d| d >= self.today && d <= end))
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().map(|t| &**t).find(|t| t.id == id)
    }

    pub fn site_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.sites
            .iter()
            .find(|s| s.id == id)
            .map_or(id, |s| s.name.as_str())
    }

    /// Peers connected, our changes nobody has seen yet (best peer), last
    /// sync. "No device connected" rather than "offline": this machine may
    /// well be online while every peer is away.
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
                format!("no device connected — everything was synced (last sync {last})")
            }
            (0, Some(n), _) if n > 0 => {
                format!("no device connected — {n} change(s) not yet seen by anyone")
            }
            (0, _, _) if self.peers.is_empty() => {
                "no other devices yet — invite your team in Team & Sync".into()
            }
            (0, _, last) => format!(
                "no device connected — last sync {}",
                last.unwrap_or_else(|| "never".into())
            ),
            (n, Some(0), _) => format!("{} connected — in sync", devices(n)),
            (n, Some(u), _) => format!("{} connected — syncing {u} change(s)", devices(n)),
            (n, None, _) => format!("{} connected — syncing", devices(n)),
        }
    }
}

fn devices(n: usize) -> String {
    if n == 1 {
        "1 device".into()
    } else {
        format!("{n} devices")
    }
}

fn read_task(doc: &automerge::Automerge, obj: &automerge::ObjId) -> Result<Task> {
    crate::store::read_record_at(doc, obj)
}

fn read_project(doc: &automerge::Automerge, obj: &automerge::ObjId) -> Result<Project> {
    crate::store::read_record_at(doc, obj)
}

fn read_site(doc: &automerge::Automerge, obj: &automerge::ObjId) -> Result<Site> {
    crate::store::read_record_at(doc, obj)
}

fn read_member(doc: &automerge::Automerge, obj: &automerge::ObjId) -> Result<Member> {
    crate::store::read_record_at(doc, obj)
}

fn read_item(doc: &automerge::Automerge, obj: &automerge::ObjId) -> Result<ItemStock> {
    crate::store::read_item_stock_at(doc, obj)
}

/// The record caches behind a [`ViewModel`], one per kind shown.
pub struct Views {
    tasks: RecordCache<Task>,
    projects: RecordCache<Project>,
    items: RecordCache<ItemStock>,
    sites: RecordCache<Site>,
    members: RecordCache<Member>,
    purchasing: purchasing::PurchasingCaches,
    budget: budget::BudgetCaches,
    meetings: meetings::MeetingsCaches,
    facilities: facilities::FacilitiesCaches,
    docs: docs::DocsCaches,
    people: people::PeopleCaches,
    conflicts: conflicts::ConflictsCache,
    /// The minute the inbox was computed for.
    inbox_minute: Option<i64>,
    /// The budget view is behind its documents (built on the next refresh).
    budget_stale: bool,
    budget_built: bool,
    people_built: bool,
    /// Purchasing is read on the refresh after the first, so the first
    /// frame with tasks does not wait for it.
    purchasing_deferred: bool,
}

/// Which parts of the view model a refresh rebuilt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub tasks: bool,
    pub inventory: bool,
    pub root: bool,
    pub purchasing: bool,
    pub budget: bool,
    pub meetings: bool,
    pub facilities: bool,
    pub docs: bool,
    pub people: bool,
    pub conflicts: bool,
    pub inbox: bool,
}

impl Rebuilt {
    pub fn any(self) -> bool {
        self.tasks
            || self.inventory
            || self.root
            || self.purchasing
            || self.budget
            || self.meetings
            || self.facilities
            || self.docs
            || self.people
            || self.conflicts
            || self.inbox
    }
}

impl Default for Views {
    fn default() -> Self {
        Self::new()
    }
}

impl Views {
    pub fn new() -> Self {
        Views {
            tasks: RecordCache::new(Task::KIND, Task::AREA, read_task),
            projects: RecordCache::new(Project::KIND, Project::AREA, read_project),
            items: RecordCache::new(InventoryItem::KIND, InventoryItem::AREA, read_item),
            sites: RecordCache::new(Site::KIND, Site::AREA, read_site),
            members: RecordCache::new(Member::KIND, Member::AREA, read_member),
            purchasing: Default::default(),
            budget: Default::default(),
            meetings: Default::default(),
            facilities: Default::default(),
            docs: Default::default(),
            people: Default::default(),
            conflicts: Default::default(),
            inbox_minute: None,
            budget_stale: false,
            budget_built: false,
            people_built: false,
            purchasing_deferred: true,
        }
    }

    /// Records read again by the last refresh, per kind (tasks, items).
    pub fn last_reads(&self) -> (usize, usize) {
        (self.tasks.last_reads, self.items.last_reads)
    }

    /// Whether part of the workspace is still to be read (the backend
    /// refreshes again at once, after publishing what it has).
    pub fn loading(&self) -> bool {
        self.purchasing_deferred || self.budget_stale
    }

    /// Brings `vm` up to date with the store, replacing only the parts whose
    /// documents changed.
    pub fn refresh(&mut self, store: &Store, vm: &mut ViewModel) -> Result<Rebuilt> {
        let mut rebuilt = Rebuilt::default();
        // A yearly archive made elsewhere moves an area to a new document:
        // the caches notice their document changed and read it whole.
        store.refresh_layout();
        // The first refresh loads the documents and reads every record:
        // the tasks on one core, everything else (inventory, purchasing,
        // members) on the other.
        let (tasks_changed, projects_changed, items_changed, root_changed, purchasing_changed) =
            std::thread::scope(|scope| -> Result<_> {
                let (tasks, projects) = (&mut self.tasks, &mut self.projects);
                let first = !tasks.is_loaded();
                let mut task_side = move || -> Result<(bool, bool)> {
                    Ok((tasks.refresh(store)?, projects.refresh(store)?))
                };
                let (task_side, pending) = if first {
                    (None, Some(scope.spawn(task_side)))
                } else {
                    (Some(task_side()?), None)
                };
                let root = self.sites.refresh(store)? | self.members.refresh(store)?;
                let items = self.items.refresh(store)?;
                let purchasing = match std::mem::replace(&mut self.purchasing_deferred, first) {
                    _ if first => purchasing::Change::Nothing,
                    _ => self.purchasing.refresh(store)?,
                };
                let (t, p) = match (task_side, pending) {
                    (Some(done), _) => done,
                    (None, Some(handle)) => handle.join().map_err(|_| {
                        crate::store::StoreError::Corrupt("reading the tasks failed".into())
                    })??,
                    (None, None) => (false, false),
                };
                Ok((t, p, items, root, purchasing))
            })?;
        if tasks_changed || projects_changed {
            rebuilt.tasks = true;
            vm.tasks = Arc::new(self.tasks.records());
            if projects_changed {
                vm.project_records = Arc::new(self.projects.records());
                // Deleted projects drop out of the cache; their names are
                // still wanted as labels on tasks, so read those few apart.
                let mut names: BTreeMap<String, String> = self
                    .projects
                    .records()
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect();
                for p in store.list::<Project>(true)? {
                    names.entry(p.id).or_insert(p.name);
                }
                vm.projects = Arc::new(names);
            }
        }
        if root_changed {
            rebuilt.root = true;
            vm.sites = Arc::new(self.sites.records());
            let workspace = store.workspace().ok();
            vm.currency = workspace
                .as_ref()
                .map(|w| w.currency.clone())
                .unwrap_or_default();
            vm.workspace = workspace.map(|w| w.name);
            vm.me = store.me().ok().map(|m| m.name);
            vm.my_member_id = Some(store.member_id().to_string());
        }
        if items_changed || root_changed {
            rebuilt.inventory = true;
            let items = self.items.records();
            let sites: Vec<&str> = vm.sites.iter().map(|s| s.id.as_str()).collect();
            vm.low_stock = Arc::new(crate::store::low_stock_in(
                items.iter().map(|i| &**i),
                &sites,
            ));
            vm.items = Arc::new(items);
        }
        let stale = rebuilt.inventory || vm.purchasing.renewals_for != vm.today;
        let changed = purchasing_changed != purchasing::Change::Nothing;
        let mut spend_changed = false;
        if changed || (stale && !self.purchasing_deferred) {
            rebuilt.purchasing = true;
            let before = vm.purchasing.clone();
            let mut view = self.purchasing.build(
                store,
                vm.today,
                &vm.low_stock,
                &vm.purchasing,
                &purchasing_changed,
            )?;
            view.renewals_for = vm.today;
            spend_changed = budget::spend_changed(&before, &view, &purchasing_changed);
            vm.purchasing = Arc::new(view);
        }
        // Budget, like purchasing, is read from the second refresh on. It
        // follows purchasing (approved invoices are spend) one refresh
        // later, so an edit elsewhere shows without waiting for it.
        if !self.purchasing_deferred {
            self.budget_stale |=
                self.budget.refresh(store)? || spend_changed || vm.budget.computed_for != vm.today;
        }
        // Its first build comes with purchasing's; later ones wait for a
        // refresh that has nothing else to show.
        if self.budget_stale && !self.purchasing_deferred && (!self.budget_built || !rebuilt.any())
        {
            self.budget_stale = false;
            self.budget_built = true;
            rebuilt.budget = true;
            vm.budget = Arc::new(self.budget.build(store, vm.today, &vm.purchasing)?);
        }
        // Meetings and onboarding, like purchasing, from the second refresh
        // on; again when tasks change (action items and plan steps).
        if !self.purchasing_deferred {
            let changed = self.meetings.refresh(store)?;
            if changed || vm.meetings.computed_for != vm.today {
                rebuilt.meetings = true;
                vm.meetings = Arc::new(self.meetings.build(&vm.tasks, vm.today));
            } else if rebuilt.tasks {
                rebuilt.meetings = true;
                vm.meetings = Arc::new(self.meetings.link(&vm.meetings, &vm.tasks));
            }
            if self.facilities.refresh(store)? {
                rebuilt.facilities = true;
                vm.facilities = Arc::new(self.facilities.build(store)?);
            }
            if self.docs.refresh(store)? {
                rebuilt.docs = true;
                vm.docs = Arc::new(self.docs.build());
            }
            if self.people.refresh(store)? || rebuilt.root || !self.people_built {
                self.people_built = true;
                rebuilt.people = true;
                let members: Vec<String> = self
                    .members
                    .records()
                    .iter()
                    .filter(|m| !m.is_deleted())
                    .map(|m| m.name.clone())
                    .collect();
                vm.people = Arc::new(self.people.build(&members, &vm.sites));
            }
        }
        if rebuilt.root {
            vm.automation = Arc::new(automation_view(store)?);
        }
        if !self.purchasing_deferred && self.conflicts.refresh(store)? {
            rebuilt.conflicts = true;
            vm.conflicts = Arc::new(self.conflicts.build(store)?);
        }
        let minute = vm.now.millis().div_euclid(60_000);
        if rebuilt.any() || self.inbox_minute != Some(minute) {
            self.inbox_minute = Some(minute);
            let inbox = inbox_view(store, vm)?;
            if *vm.inbox != inbox {
                rebuilt.inbox = true;
                vm.inbox = Arc::new(inbox);
            }
        }
        if rebuilt.any() {
            let mut lines = Vec::new();
            let mut lists = vec![
                self.tasks.unreadable(),
                self.items.unreadable(),
                self.projects.unreadable(),
                self.sites.unreadable(),
            ];
            lists.extend(self.purchasing.unreadable());
            lists.extend(self.budget.unreadable());
            lists.extend(self.meetings.unreadable());
            lists.extend(self.facilities.unreadable());
            lists.push(self.docs.unreadable());
            lists.push(self.people.unreadable());
            for list in lists {
                lines.extend(Unreadable::summary(&list));
            }
            lines.extend(store.damage().iter().map(|d| {
                let mut line = d.describe();
                if let Some(first) = line.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                line
            }));
            vm.unreadable = Arc::new(lines);
        }
        Ok(rebuilt)
    }
}

/// One record's changes, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHistory {
    pub kind: String,
    pub id: String,
    pub entries: Vec<crate::ops::history::HistoryEntry>,
    /// The heads of the record's document it was read at.
    pub heads: Vec<automerge::ChangeHash>,
}

/// Rules and their log, newest firing first.
pub fn automation_view(store: &Store) -> Result<reminders::AutomationView> {
    use crate::model::automation::{Rule, RuleFiring};
    let mut log: Vec<Arc<RuleFiring>> = store
        .list::<RuleFiring>(true)?
        .into_iter()
        .map(Arc::new)
        .collect();
    log.sort_by_key(|f| std::cmp::Reverse(f.fired_at));
    Ok(reminders::AutomationView {
        rules: store
            .list::<Rule>(false)?
            .into_iter()
            .map(Arc::new)
            .collect(),
        log,
    })
}

/// This device's member's reminders now, with their inbox state.
pub fn inbox_view(store: &Store, vm: &ViewModel) -> Result<reminders::InboxView> {
    let Some(me) = vm.me.as_deref() else {
        return Ok(reminders::InboxView::default());
    };
    let now = reminders::Now {
        at: vm.now,
        today: vm.today,
    };
    let due = reminders::reminders_for(vm, me, now);
    let state = store.inbox_state(store.member_id())?;
    Ok(reminders::InboxView::new(due, &state, vm.now))
}
