//! The backend's engine: owns the store (and the node, when syncing),
//! applies each [`Command`] through the operations layer, and keeps the
//! [`ViewModel`] current through incremental views. Runs on the backend
//! thread ([`super::backend`]), never on the UI thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::view_model::{Command, Notice, ViewModel};
use crate::model::Date;
use crate::ops::Op;
use crate::ops::Session;
use crate::store::Store;
use crate::sync::access::Access;
use crate::sync::{NetOptions, Node, Ticket, node};
use crate::views::Views;

/// What applying a command has to say.
enum Reply {
    Said(String),
    /// The id of a record the command created, and what the operation said.
    Created(String, Option<String>),
}

/// Peer status reads every document and `peers.json`: at most this often.
pub(super) const PEER_STATUS_EVERY: Duration = Duration::from_millis(250);

/// Applies commands to the store/node and keeps the view model current.
pub struct Engine {
    pub(super) data_dir: PathBuf,
    pub(super) net: NetOptions,
    pub(super) runtime: tokio::runtime::Handle,
    pub(super) store: Option<Arc<Store>>,
    pub(super) node: Option<Arc<Node>>,
    pub(super) session: Option<Session>,
    pub(super) access: Option<Access>,
    pub(super) device: Option<String>,
    pub(super) networked: bool,
    pub(super) views: Views,
    pub(super) vm: ViewModel,
    pub(super) movements_of: Option<String>,
    /// The document whose text is open (`vm.body` kept current), and when
    /// a text that had not arrived was last asked for.
    pub(super) body_of: Option<String>,
    pub(super) body_asked_at: Option<Instant>,
    /// The versions of the open text to compare (History).
    pub(super) body_compare: (usize, usize),
    /// The Trash area is open: keep `vm.trash` current.
    pub(super) trash_open: bool,
    /// Past years are shown: `vm.archive` kept current (read again when
    /// these years, or which of them are here, change).
    pub(super) archive_open: Option<Vec<(i32, bool)>>,
    /// Serves commands other `bureau` processes hand over.
    pub(super) control: Option<tokio::task::JoinHandle<()>>,
    /// Peer status wanted, and when it was last computed.
    pub(super) peers_wanted: bool,
    pub(super) peers_at: Option<Instant>,
    /// Rate-limit peer status (the threaded app); inline backends compute
    /// it whenever it is wanted, so tests never depend on time passing.
    pub(super) throttle_peers: bool,
    /// Removals and document heads the "changes after a removal" list was
    /// last computed for.
    after_removal_key: Vec<String>,
    /// The minute the rules last ran in.
    pub(super) rules_minute: Option<i64>,
    /// Show new reminders as desktop notifications (the app, not tests).
    pub(super) desktop_notifications: bool,
    /// The record whose history is open (kind, id): `vm.history` kept current.
    pub(super) history_of: Option<(String, String)>,
}

/// What removing someone does, said when it is done: how many devices
/// connected now get it at once.
fn spreads(connected: usize) -> String {
    format!(
        "Removed. {} now; the others when they next sync. What they already had stays with them.",
        match connected {
            0 => "No device is connected, so nobody knows yet".to_string(),
            1 => "The 1 device connected gets it".to_string(),
            n => format!("The {n} devices connected get it"),
        }
    )
}

impl Engine {
    pub(super) fn new(
        data_dir: &Path,
        net: NetOptions,
        runtime: tokio::runtime::Handle,
        networked: bool,
    ) -> Engine {
        Engine {
            data_dir: data_dir.to_path_buf(),
            net,
            runtime,
            store: None,
            node: None,
            session: None,
            access: None,
            device: None,
            networked,
            views: Views::new(),
            vm: ViewModel {
                data_dir: data_dir.to_path_buf(),
                ..Default::default()
            },
            movements_of: None,
            body_of: None,
            body_asked_at: None,
            body_compare: (0, 0),
            trash_open: false,
            archive_open: None,
            control: None,
            peers_wanted: true,
            peers_at: None,
            throttle_peers: false,
            after_removal_key: Vec::new(),
            rules_minute: None,
            desktop_notifications: false,
            history_of: None,
        }
    }

    /// Opens the workspace if the data directory has one.
    pub(super) fn open_existing(&mut self) -> Result<(), String> {
        if !self.data_dir.join("device.json").exists() {
            return Ok(());
        }
        self.open()
    }

    fn open(&mut self) -> Result<(), String> {
        let store = if self.networked {
            let node = self
                .runtime
                .block_on(Node::start(&self.data_dir, "bureau (app)", &self.net))
                .map_err(|e| e.to_string())?;
            let store = node.store().clone();
            self.node = Some(node);
            store
        } else {
            let store = self
                .runtime
                .block_on(Store::open(&self.data_dir, "bureau (app)"))
                .map_err(|e| e.to_string())?;
            Arc::new(store)
        };
        self.attach(store)
    }

    /// Starts working on an open store: session, membership, fresh views;
    /// with a node, other `bureau` commands on this data directory are
    /// handed to it (as to `bureau serve`) instead of being locked out.
    fn attach(&mut self, store: Arc<Store>) -> Result<(), String> {
        let err = |e: crate::store::StoreError| e.to_string();
        #[cfg(unix)]
        if let Some(node) = &self.node {
            let serve = crate::cli::serve_control(node.clone(), self.data_dir.clone());
            self.control = Some(self.runtime.spawn(async move {
                if let Err(e) = serve.await {
                    tracing::warn!("commands from other bureau processes are refused: {e}");
                }
            }));
        }
        self.access = match &self.node {
            Some(node) => Some(node.access().clone()),
            None => node::offline_access(&store).ok(),
        };
        self.device = crate::sync::identity::load_or_create(store.data_dir())
            .ok()
            .map(|k| k.public().to_string());
        self.session = Some(Session::open_with(&store, self.access.as_ref()).map_err(err)?);
        self.views = Views::new();
        self.peers_wanted = true;
        self.store = Some(store);
        Ok(())
    }

    pub(super) fn store(&self) -> Result<&Arc<Store>, String> {
        self.store
            .as_ref()
            .ok_or_else(|| "no workspace is open".to_string())
    }

    /// Applies one command; returns what to tell the user.
    pub fn handle(&mut self, command: Command) -> Option<Notice> {
        let created = match &command {
            Command::Op(Op::Create { kind, fields }) => Some((kind.clone(), fields.clone())),
            Command::Op(Op::CreateItem { fields, .. }) => Some(("items".into(), fields.clone())),
            Command::Op(Op::CreateOrder { .. }) => Some(("purchase_orders".into(), Vec::new())),
            Command::Op(Op::CreateInvoice { number, .. }) => Some((
                "invoices".into(),
                vec![("name".to_string(), number.clone())],
            )),
            Command::Op(Op::Receive { .. }) => Some(("receipts".into(), Vec::new())),
            Command::Op(Op::StartPlan { plan, .. }) => Some((
                "onboarding_plans".into(),
                vec![("name".to_string(), plan.person.clone())],
            )),
            _ => None,
        };
        match self.apply(command) {
            Ok(Some(Reply::Created(id, said))) => {
                let (kind, fields) = created?;
                let name = fields
                    .iter()
                    .find(|(k, _)| k == "title" || k == "name")
                    .map(|(_, v)| v.trim().to_string())
                    .unwrap_or_default();
                let label = crate::store::singular_kind(&kind);
                Some(Notice::Created {
                    text: said.unwrap_or_else(|| format!("Created {label} “{name}”")),
                    kind,
                    id,
                })
            }
            Ok(Some(Reply::Said(note))) => Some(Notice::Info(note)),
            Ok(None) => None,
            Err(e) => Some(Notice::Error(e)),
        }
    }

    /// Record changes go through the session (the operations layer);
    /// everything else is the engine's own business.
    fn apply(&mut self, command: Command) -> Result<Option<Reply>, String> {
        if let Command::Op(op) = command {
            let store = self.store()?.clone();
            let session = self.session.as_mut().ok_or("no workspace is open")?;
            let creates = matches!(
                op,
                Op::Create { .. }
                    | Op::CreateItem { .. }
                    | Op::CreateOrder { .. }
                    | Op::CreateInvoice { .. }
                    | Op::Receive { .. }
                    | Op::StartPlan { .. }
            );
            // A rule added or changed is looked at now, not next minute.
            let rules_changed = matches!(&op, Op::AddRule { .. })
                || matches!(&op, Op::Edit { kind, .. } | Op::Restore { kind, .. } if kind == "rules");
            let outcome = session.apply(&store, op).map_err(|e| e.to_string())?;
            if rules_changed {
                self.rules_minute = None;
            }
            self.peers_wanted = true;
            return Ok(match (creates, outcome.created, outcome.message) {
                (true, Some(id), said) => Some(Reply::Created(id, said)),
                (_, _, Some(message)) => Some(Reply::Said(message)),
                _ => None,
            });
        }
        Ok(self.apply_other(command)?.map(Reply::Said))
    }

    /// Workspace creation, joining, invites, membership and what is shown.
    fn apply_other(&mut self, command: Command) -> Result<Option<String>, String> {
        let err = |e: crate::store::StoreError| e.to_string();
        match command {
            Command::CreateWorkspace { workspace, name } => {
                let store = self
                    .runtime
                    .block_on(node::create_workspace(&self.data_dir, &workspace, &name))
                    .map_err(err)?;
                // The recovery kit, made now and shown once.
                let phrase =
                    crate::sync::identity::load_or_create(&self.data_dir).and_then(|key| {
                        let access = node::offline_access(&store)?;
                        crate::sync::recovery::create_kit(&store, &key, &access)
                    });
                self.runtime.block_on(store.close());
                self.open()?;
                self.vm.recovery_phrase = Some(phrase.map_err(err)?);
                Ok(Some(format!("Created {workspace}")))
            }
            Command::Join { ticket, name } => {
                let ticket = Ticket::decode(&ticket)?;
                let node = self
                    .runtime
                    .block_on(Node::join(&self.data_dir, &ticket, &name, &self.net))
                    .map_err(err)?;
                let _ = self
                    .runtime
                    .block_on(node.wait_in_sync(Duration::from_secs(30)));
                let store = node.store().clone();
                self.node = Some(node);
                self.attach(store)?;
                Ok(Some(format!("Joined {}", ticket.workspace_name)))
            }
            Command::Op(_) => Ok(None),
            Command::Undo | Command::Redo => {
                let store = self.store()?.clone();
                let session = self.session.as_mut().ok_or("no workspace is open")?;
                let outcome = if matches!(command, Command::Undo) {
                    session.undo(&store)
                } else {
                    session.redo(&store)
                }
                .map_err(err)?;
                Ok(outcome.message)
            }
            Command::Invite { role, hours } => {
                let node = self
                    .node
                    .as_ref()
                    .ok_or("invites need sync, which is off in this window")?;
                let ticket = node
                    .invite(role, Duration::from_secs(hours * 3600))
                    .map_err(err)?;
                self.vm.last_ticket = Some(ticket.encode());
                let until = crate::model::Stamp::from_millis(
                    crate::model::Stamp::now().millis()
                        + i64::try_from(hours).unwrap_or(0) * 3_600_000,
                );
                let local = until
                    .0
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M");
                self.vm.last_ticket_terms = Some(format!(
                    "Joins as {role}, works once, valid until {local} ({hours} h)."
                ));
                Ok(None)
            }
            Command::ShowMovements { item } => {
                self.movements_of = item;
                Ok(None)
            }
            Command::OpenDoc { doc } => {
                self.body_of = doc;
                self.body_asked_at = None;
                self.body_compare = (0, 0);
                Ok(None)
            }
            Command::ExportDirectory { path } => self.export_directory(&path),
            Command::CompareVersions { from, to } => {
                self.body_compare = (from, to);
                Ok(None)
            }
            Command::MakeReport { span, save } => {
                let store = self.store()?.clone();
                let report =
                    crate::report::leadership::build(&store, span, crate::model::Stamp::now())
                        .map_err(err)?;
                let written = match save {
                    None => None,
                    Some((_, path)) if path.as_os_str().is_empty() => {
                        return Err("type where to save the report".into());
                    }
                    Some((format, path)) => Some((path, crate::report::render(&report, format)?)),
                };
                self.vm.report = Some(std::sync::Arc::new(crate::report::page::Preview::of(
                    report,
                )));
                let Some((path, bytes)) = written else {
                    return Ok(None);
                };
                crate::store::datadir::write_atomic(&path, &bytes)
                    .map_err(|e| format!("could not write {}: {e}", path.display()))?;
                Ok(Some(format!("Saved {}", path.display())))
            }
            Command::ShowHistory { record } => {
                self.history_of = record;
                Ok(None)
            }
            Command::MarkReminder { key, mark } => self.mark_reminder(&key, mark).map(|_| None),
            command @ (Command::ShowArchive { .. } | Command::ArchivePastYears) => {
                self.apply_archive(command)
            }
            Command::ShowTrash { open } => {
                self.trash_open = open;
                if !open {
                    self.vm.trash = None;
                }
                Ok(None)
            }
            Command::SetMemberRole { member_id, role } => {
                self.change_membership(crate::sync::membership::Action::SetRole {
                    member_id,
                    role,
                })?;
                self.peers_wanted = true;
                Ok(Some("Role changed".into()))
            }
            Command::RemoveMember { member_id } => {
                self.change_membership(crate::sync::membership::Action::Remove { member_id })?;
                self.peers_wanted = true;
                Ok(Some(spreads(self.connected_members())))
            }
            Command::RemoveDevice { member_id, device } => {
                self.change_membership(crate::sync::membership::Action::RemoveDevice {
                    member_id,
                    device,
                })?;
                self.peers_wanted = true;
                Ok(Some(spreads(self.connected_members())))
            }
            Command::NewRecoveryKit => {
                let store = self.store()?;
                let access = self
                    .access
                    .as_ref()
                    .ok_or("this workspace has no membership")?;
                let key = crate::sync::identity::load_or_create(&self.data_dir).map_err(err)?;
                let phrase = crate::sync::recovery::create_kit(store, &key, access).map_err(err)?;
                self.vm.recovery_phrase = Some(phrase);
                self.peers_wanted = true;
                Ok(None)
            }
            Command::KeepAfterRemoval { device } => {
                let store = self.store()?;
                let access = self
                    .access
                    .as_ref()
                    .ok_or("this workspace has no membership")?;
                let me = self.device.clone().unwrap_or_default();
                let restored = crate::sync::removal::keep(store, &access.current(), &me, &device)
                    .map_err(err)?;
                self.peers_wanted = true;
                Ok(Some(format!(
                    "Kept: {restored} record(s) back as the removed device left them"
                )))
            }
            Command::ForgetRecoveryPhrase => {
                self.vm.recovery_phrase = None;
                Ok(None)
            }
            Command::Refresh | Command::Shutdown => Ok(None),
            Command::PeersChanged => {
                self.peers_wanted = true;
                Ok(None)
            }
        }
    }

    /// How long the backend loop may wait for a command: not at all while
    /// part of the workspace is still to be read, else until peer status is
    /// due.
    pub(super) fn next_work_in(&self) -> Option<Duration> {
        if self.views.loading() && self.store.is_some() {
            return Some(Duration::ZERO);
        }
        // Rules and reminders are looked at each minute.
        let minute = self.store.is_some().then(|| self.next_minute_in());
        match (self.peers_due_in(), minute) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The view model once everything is read (tests and the inline backend).
    pub fn settled_view(&mut self) -> ViewModel {
        let mut vm = self.view();
        while self.views.loading() && self.store.is_some() {
            vm = self.view();
        }
        vm
    }

    /// Brings the view model up to date and returns it. Only the parts
    /// whose documents changed are rebuilt; peer status at most every
    /// [`PEER_STATUS_EVERY`].
    pub fn view(&mut self) -> ViewModel {
        self.vm.version += 1;
        self.vm.today = Date(chrono::Local::now().date_naive());
        self.vm.now = crate::model::Stamp::now();
        self.vm.online = self.node.is_some();
        let Some(store) = self.store.clone() else {
            return self.vm.clone();
        };
        let rebuilt = match self.views.refresh(&store, &mut self.vm) {
            Ok(rebuilt) => rebuilt,
            Err(e) => {
                tracing::warn!("refreshing the views: {e}");
                crate::views::Rebuilt::default()
            }
        };
        if self.trash_open && (rebuilt.any() || self.vm.trash.is_none()) {
            match crate::views::trash::trash(&store) {
                Ok(entries) => self.vm.trash = Some(Arc::new(entries)),
                Err(e) => tracing::warn!("reading the trash: {e}"),
            }
        }
        self.keep_archive(&store);
        self.vm.undo_label = self
            .session
            .as_ref()
            .and_then(|s| s.undo_label().map(str::to_string));
        if let Some(access) = &self.access {
            let membership = access.current();
            self.vm.my_role = self.device.as_deref().and_then(|d| access.role_of(d));
            self.vm.my_device.clone_from(&self.device);
            self.vm.has_recovery_kit = membership.recovery_key.is_some();
            self.vm.removed = self
                .device
                .as_deref()
                .filter(|d| self.vm.my_role.is_none() && membership.removals.contains_key(*d))
                .and_then(|d| membership.removals.get(d))
                .map(|r| r.notice(self.vm.workspace.as_deref().unwrap_or("the workspace")));
            let members = membership.current_members();
            if *self.vm.members != members {
                self.vm.member_names = Arc::new(members.iter().map(|m| m.name.clone()).collect());
                self.vm.members = Arc::new(members);
            }
            if self.peers_due_in() == Some(Duration::ZERO) {
                let me = self.device.clone().unwrap_or_default();
                let peers = match &self.node {
                    Some(node) => node.peer_status(),
                    None => node::peer_status(&store, access, &me, None),
                };
                self.vm.peers = Arc::new(peers.unwrap_or_default());
                // What removed devices changed after their removal (admins),
                // looked at again only when a document or the removals moved.
                let key = if membership.is_admin_device(&me) && !membership.removals.is_empty() {
                    let mut key: Vec<String> = membership.removals.keys().cloned().collect();
                    for (_, handle) in store.loaded_documents() {
                        key.extend(
                            handle
                                .with_document(|d| d.get_heads())
                                .iter()
                                .map(|h| h.to_string()),
                        );
                    }
                    key
                } else {
                    Vec::new()
                };
                if key != self.after_removal_key {
                    let after = if key.is_empty() {
                        Vec::new()
                    } else {
                        crate::sync::removal::after_removal(&store, &membership).unwrap_or_default()
                    };
                    if *self.vm.after_removal != after {
                        self.vm.after_removal = Arc::new(after);
                    }
                    self.after_removal_key = key;
                }
                self.peers_wanted = false;
                self.peers_at = Some(Instant::now());
            }
        }
        self.rules_and_reminders(&store);
        self.keep_body(&store);
        self.keep_history(&store);
        match &self.movements_of {
            Some(item) => {
                let mut moves = store.movements(item).unwrap_or_default();
                moves.reverse();
                self.vm.movements = Some((item.clone(), Arc::new(moves)));
            }
            None => self.vm.movements = None,
        }
        self.vm.clone()
    }

    /// Records read again by the last view refresh (tasks, items).
    pub fn last_reads(&self) -> (usize, usize) {
        self.views.last_reads()
    }

    pub(super) fn shutdown(&mut self) {
        self.session = None;
        if let Some(control) = self.control.take() {
            control.abort();
            crate::cli::remove_control_socket(&self.data_dir);
        }
        if let Some(node) = self.node.take() {
            self.store = None;
            self.runtime.block_on(node.shutdown());
        } else if let Some(store) = self.store.take()
            && let Ok(store) = Arc::try_unwrap(store)
        {
            self.runtime.block_on(store.close());
        }
    }
}
