//! The operations layer: every user action, from the CLI and from the app,
//! as a typed [`Op`] applied in one place.
//!
//! An operation is checked (the member's role, then the fields people
//! typed), committed as one Automerge transaction that writes only the
//! fields it changes, made durable, and recorded in this device's undo
//! journal. A failing operation changes nothing. The few actions that touch
//! two documents (an item with opening stock at a new site) are written to
//! the journal as an intent first and completed on the next open if the
//! process stopped half way (see [`journal`]).
//!
//! Front ends only build `Op`s: `cli` from arguments, `ui` from clicks.

mod apply;
mod archive;
mod automation;
mod budget;
pub mod conflicts;
mod docs;
mod equipment;
pub mod history;
pub mod import;
mod invoicing;
mod items;
mod journal;
pub(crate) mod kinds;
mod many;
mod meetings;
mod numbers;
mod onboarding;
mod people;
mod purchasing;
mod receiving;
mod rules;
mod text;
mod undo;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::schema::FieldContext;
use crate::model::{Date, Stamp};
use crate::store::{Result, Store, StoreError};
use crate::sync::access::Access;

pub use archive::start_of_year;
pub use automation::{Due, due_firings};
pub use journal::{Action, FieldChange, Step};
pub use meetings::AgendaInput;
pub use onboarding::{PlanInput, find_template};
pub use rules::reference_names;
pub use text::TextChange;

/// A field edit as typed: the field's key and the text for it.
pub type FieldInput = (String, String);

/// One user action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// Creates a record of `kind` (e.g. `"tasks"`) from typed fields.
    Create {
        kind: String,
        fields: Vec<FieldInput>,
    },
    /// Creates an inventory item, with opening stock at the site *named*
    /// `site` (created if new).
    CreateItem {
        fields: Vec<FieldInput>,
        site: Option<String>,
        qty: i64,
    },
    /// Sets some fields of one record; the others are not touched.
    Edit {
        kind: String,
        id: String,
        fields: Vec<FieldInput>,
    },
    AddComment {
        task: String,
        text: String,
    },
    AddChecklistItem {
        task: String,
        text: String,
    },
    SetChecklistDone {
        task: String,
        item: String,
        done: bool,
    },
    /// Adds `by` (negative to take out) to an item's stock at a site (id).
    AdjustStock {
        item: String,
        site: String,
        by: i64,
        reason: Option<String>,
    },
    /// Records a physical count at a site (id).
    CountStock {
        item: String,
        site: String,
        counted: i64,
    },
    /// Moves `qty` of an item from one site to another (ids).
    TransferStock {
        item: String,
        from: String,
        to: String,
        qty: i64,
    },
    /// Merges a duplicate (two sites or projects made with one name on two
    /// offline devices) into the one to keep: tasks move to the kept
    /// project, stock to the kept site; the duplicate goes to the Trash.
    MergeInto {
        kind: String,
        from: String,
        into: String,
    },
    /// Sets the board position of several tasks at once (one drag can give
    /// positions to the cards above the drop as well).
    RankTasks {
        ranks: Vec<(String, String)>,
    },
    /// Sets an item's reorder level at one site (`None`: use the item's own).
    SetSiteReorder {
        item: String,
        site: String,
        level: Option<i64>,
    },
    /// Creates a purchase order, numbered from this device's series.
    CreateOrder {
        /// Vendor id.
        vendor: String,
        /// Ship-to site id.
        site: Option<String>,
        lines: Vec<LineInput>,
        notes: String,
    },
    /// Records goods received against an order at a site (id) and adds
    /// the stock of its inventory lines there. `lines`: (order line id,
    /// quantity); none means everything outstanding.
    Receive {
        order: String,
        site: String,
        lines: Vec<(String, i64)>,
        /// Fixed before the first write (see `apply::prepare`).
        receipt: Option<String>,
    },
    /// Takes a receipt back: it goes to the trash and its stock leaves.
    VoidReceipt {
        receipt: String,
        /// This take-back's own id, fixed before the first write (a
        /// receipt undone and taken back again is a second take-back).
        attempt: Option<String>,
    },
    /// Enters a vendor's invoice: lines, or only a total.
    CreateInvoice {
        vendor: String,
        number: String,
        date: String,
        due: Option<String>,
        order: Option<String>,
        lines: Vec<LineInput>,
        total: Option<String>,
    },
    /// Approves, pays or disputes an invoice.
    DecideInvoice {
        invoice: String,
        decision: Decision,
    },
    /// Adds a line to an order not yet received against.
    AddOrderLine {
        order: String,
        line: LineInput,
    },
    /// Removes a line nothing has been received on.
    RemoveOrderLine {
        order: String,
        line: String,
    },
    AddContact {
        vendor: String,
        contact: crate::model::Contact,
    },
    RemoveContact {
        vendor: String,
        contact: String,
    },
    /// Sets the three-way match tolerance.
    SetTolerance {
        percent_bp: i64,
        absolute_minor: i64,
    },
    /// Sets how far (basis points of the budget) a budget line's forecast
    /// may pass its budget before it is flagged.
    SetBudgetThreshold {
        percent_bp: i64,
    },
    /// Drafts the purchase orders the reorder plan suggests (one per
    /// preferred vendor and site), at `site` only if given.
    Reorder {
        site: Option<String>,
        buffer_percent: i64,
    },
    /// Creates the records of `kind` read from a file (see [`import`]):
    /// every row is checked again and nothing is written if any is bad.
    /// `rows`: (line in the file, the record as JSON).
    Import {
        kind: String,
        rows: Vec<(u64, serde_json::Value)>,
    },
    /// Changes co-edited text (meeting notes, a document's body): what the
    /// person changed, replayed on the text as it is now.
    EditText {
        kind: String,
        id: String,
        field: String,
        change: TextChange,
    },
    AddAgendaItem {
        meeting: String,
        point: AgendaInput,
        /// The new point's id, fixed before the first write.
        id: Option<String>,
    },
    /// Sets some fields (`text`, `owner`, `minutes`) of one agenda point.
    EditAgendaItem {
        meeting: String,
        item: String,
        fields: Vec<FieldInput>,
    },
    /// Puts an agenda point after another (first when `after` is none).
    MoveAgendaItem {
        meeting: String,
        item: String,
        after: Option<String>,
    },
    RemoveAgendaItem {
        meeting: String,
        item: String,
    },
    /// Starts an onboarding or offboarding plan: its steps become tasks.
    StartPlan {
        plan: PlanInput,
        /// The plan's id (its tasks' ids follow from it), fixed before the
        /// first write.
        id: Option<String>,
    },
    /// Completes a leaver's "revoke access" step (admins): the person is
    /// removed from the workspace, their devices with them.
    RevokeAccess {
        task: String,
    },
    /// Copies a built-in template into the workspace to edit it.
    CustomizeTemplate {
        template: String,
        id: Option<String>,
    },
    /// Adds a step (`title`, `category`, `responsible`, `offset`).
    AddTemplateStep {
        template: String,
        fields: Vec<FieldInput>,
        id: Option<String>,
    },
    EditTemplateStep {
        template: String,
        step: String,
        fields: Vec<FieldInput>,
    },
    RemoveTemplateStep {
        template: String,
        step: String,
    },
    /// Hands an asset (id) to a person (a member or anyone, by name).
    AssignAsset {
        asset: String,
        to: String,
    },
    /// Takes an asset back from whoever holds it.
    ReturnAsset {
        asset: String,
    },
    /// Creates a document (SOP, policy, guide) from typed fields, with its
    /// body in a document of its own.
    CreateDoc {
        fields: Vec<FieldInput>,
        body: String,
    },
    /// Puts a document's body back as it was after `version` (a change
    /// hash), as a new change.
    RestoreDocVersion {
        doc: String,
        version: String,
    },
    /// Creates or updates the directory entry of the person named `name`.
    SetPerson {
        name: String,
        fields: Vec<FieldInput>,
    },
    /// Moves a record to the trash.
    Delete {
        kind: String,
        id: String,
    },
    /// Brings a record back from the trash.
    Restore {
        kind: String,
        id: String,
    },
    /// Sets a record back to how it was at a moment (a time: the end of
    /// that minute; or right after one of its changes), as a new change.
    RestoreVersion {
        kind: String,
        id: String,
        to: crate::store::Moment,
    },
    /// Adds a "when … then …" rule (admins): `when` as in "task overdue
    /// 3d", `then` as in "escalate Ana Ruiz".
    AddRule {
        when: String,
        then: String,
    },
    /// Keeps one of the values a field holds after concurrent edits:
    /// `pick` is the value as shown (see [`conflicts::Conflict`]).
    Resolve {
        kind: String,
        id: String,
        field: String,
        pick: String,
    },
}

impl Op {
    /// An edit of one field (the app's field editors send these).
    pub fn set(kind: &str, id: &str, key: &str, text: impl Into<String>) -> Op {
        Op::Edit {
            kind: kind.to_string(),
            id: id.to_string(),
            fields: vec![(key.to_string(), text.into())],
        }
    }
}

/// An order or invoice line as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineInput {
    /// Inventory item id, for stock.
    pub item: Option<String>,
    /// What is bought ("Desk lamp"); the item's name when empty.
    pub description: String,
    pub quantity: i64,
    /// Unit price as typed: `3.95` or `3.95 USD`.
    pub unit_price: String,
    /// Tax in basis points (2000 = 20%).
    pub tax_rate: i64,
}

/// What to do with an invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Decision {
    /// Approve for payment; `note` says why when it does not match.
    Approve {
        note: Option<String>,
    },
    Pay,
    Dispute,
}

/// What an operation did, to tell the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The record the operation created, if any.
    pub created: Option<String>,
    /// A sentence for the user ("Next occurrence created").
    pub message: Option<String>,
}

/// Who may write on this device, decided once per session.
#[derive(Clone)]
enum WriteCheck {
    /// A workspace without sync (no founder key): no roles to enforce.
    Open,
    /// The signed membership decides; `device` is this device's key.
    Members { access: Access, device: String },
}

/// Applies operations for one device: the role check, the undo journal
/// and unfinished two-document actions. The CLI opens one per command, the
/// app one for its life.
pub struct Session {
    check: WriteCheck,
    journal: journal::Journal,
    today: Option<Date>,
}

impl Session {
    /// Opens the session for `store`, with membership read from the store.
    /// Finishes any two-document action a crash interrupted.
    pub fn open(store: &Store) -> Result<Session> {
        Self::open_with(store, None)
    }

    /// Opens the session with a running node's live membership (`access`).
    pub fn open_with(store: &Store, access: Option<&Access>) -> Result<Session> {
        let check = if store.device().founder.is_none() {
            WriteCheck::Open
        } else {
            let access = match access {
                Some(a) => a.clone(),
                None => crate::sync::node::offline_access(store)?,
            };
            let device = crate::sync::identity::load_or_create(store.data_dir())?
                .public()
                .to_string();
            WriteCheck::Members { access, device }
        };
        let mut session = Session {
            check,
            journal: journal::Journal::load(&journal_path(store)),
            today: None,
        };
        session.finish_pending(store)?;
        Ok(session)
    }

    /// Evaluates relative dates ("tomorrow") against `today` instead of the
    /// local date (tests, `--today`).
    pub fn with_today(mut self, today: Date) -> Session {
        self.today = Some(today);
        self
    }

    /// The day relative dates and forecasts are computed for.
    pub fn today(&self) -> Date {
        self.today
            .unwrap_or_else(|| Date(chrono::Local::now().date_naive()))
    }

    fn context(&self, store: &Store) -> FieldContext {
        FieldContext {
            today: self.today(),
            currency: store.workspace().map(|w| w.currency).unwrap_or_default(),
        }
    }

    /// This device's purchase order series, when `op` numbers orders.
    fn series_for(&self, store: &Store, op: &Op) -> Result<String> {
        if !matches!(op, Op::CreateOrder { .. } | Op::Reorder { .. }) {
            return Ok(String::new());
        }
        let (own, others) = match &self.check {
            WriteCheck::Members { access, device } => {
                let others: Vec<String> = access
                    .current()
                    .members
                    .values()
                    .flat_map(|m| m.devices.iter().chain(&m.removed_devices).cloned())
                    .collect();
                (device.clone(), others)
            }
            WriteCheck::Open => (
                crate::sync::identity::load_or_create(store.data_dir())?
                    .public()
                    .to_string(),
                Vec::new(),
            ),
        };
        Ok(numbers::series_tag(&own, &others))
    }

    /// Refuses changes on a viewer's device, with the reason.
    pub fn ensure_can_write(&self) -> Result<()> {
        let WriteCheck::Members { access, device } = &self.check else {
            return Ok(());
        };
        match access.role_of(device) {
            Some(role) if role.can_write() => Ok(()),
            Some(_) => Err(StoreError::Rejected(
                "you are a viewer in this workspace; ask an admin for the member role to make changes"
                    .into(),
            )),
            None => Err(StoreError::Rejected(
                match access.current().removals.get(device) {
                    Some(removal) => removal.notice("this workspace"),
                    None => "this device is not a member of the workspace (any more); ask an admin to invite you again".into(),
                },
            )),
        }
    }

    /// Applies one operation: role check, validation, one transaction per
    /// document, durable before it returns; recorded for undo.
    pub fn apply(&mut self, store: &Store, op: Op) -> Result<Outcome> {
        self.ensure_can_write()?;
        self.ensure_admin_for(&op)?;
        // An action a disk error interrupted is finished (or dropped) first.
        self.finish_pending(store)?;
        if let Op::RevokeAccess { task } = &op {
            return self.revoke_access(store, task);
        }
        let cx = self.context(store);
        let op = apply::prepare(op);
        let two_documents = apply::spans_documents(&op);
        if two_documents {
            self.journal.pending = Some(op.clone());
            self.journal.save(&journal_path(store))?;
        }
        let series = self.series_for(store, &op)?;
        let result = apply::apply(store, &op, &cx, &series);
        // A disk error may come after the first document changed: the
        // intent stays, and the next open finishes what it can.
        let unfinished = matches!(result, Err(StoreError::Io { .. }));
        if two_documents && !unfinished {
            self.journal.pending = None;
        }
        let (outcome, action) = match result {
            Ok(done) => done,
            Err(e) => {
                if two_documents {
                    self.journal.save(&journal_path(store))?;
                }
                return Err(e);
            }
        };
        self.journal.record(action);
        self.journal.save(&journal_path(store))?;
        Ok(outcome)
    }

    /// Undoes this device's last action (the inverse field edits, as one new
    /// change). Refused, changing nothing, if someone else changed one of
    /// those fields since.
    pub fn undo(&mut self, store: &Store) -> Result<Outcome> {
        self.revert_last(store, true)
    }

    /// Re-applies the last undone action (the same rule as undo).
    pub fn redo(&mut self, store: &Store) -> Result<Outcome> {
        self.revert_last(store, false)
    }

    /// Reverts the newest action of the undo (or redo) stack and moves its
    /// inverse to the other stack.
    fn revert_last(&mut self, store: &Store, undo: bool) -> Result<Outcome> {
        self.ensure_can_write()?;
        let journal = &mut self.journal;
        let (from, to, verb) = if undo {
            (&mut journal.done, &mut journal.undone, "Undid")
        } else {
            (&mut journal.undone, &mut journal.done, "Redid")
        };
        let action = from.last().cloned().ok_or_else(|| {
            StoreError::Rejected(format!("nothing to {}", if undo { "undo" } else { "redo" }))
        })?;
        let inverse = undo::revert(store, &action)?;
        from.pop();
        to.push(inverse);
        self.journal.save(&journal_path(store))?;
        Ok(Outcome {
            created: None,
            message: Some(format!("{verb}: {}", action.label)),
        })
    }

    /// What Ctrl+Z would undo, for menus and tooltips.
    pub fn undo_label(&self) -> Option<&str> {
        self.journal.done.last().map(|a| a.label.as_str())
    }

    /// Completes a two-document action the last process did not finish.
    /// Each step creates records under ids chosen before the first write,
    /// and skips what already exists, so running it again is safe.
    fn finish_pending(&mut self, store: &Store) -> Result<()> {
        let Some(op) = self.journal.pending.clone() else {
            return Ok(());
        };
        tracing::info!("finishing an action interrupted by a crash: {op:?}");
        let cx = self.context(store);
        let series = self.series_for(store, &op)?;
        // Never a reason not to open: what cannot be finished any more (the
        // order was closed by someone meanwhile) is dropped and said.
        match apply::apply(store, &op, &cx, &series) {
            Ok((_, action)) => self.journal.record(action),
            Err(e) => tracing::warn!("could not finish an interrupted action ({op:?}): {e}"),
        }
        self.journal.pending = None;
        self.journal.save(&journal_path(store))
    }
}

/// This device's undo journal (device-local, never synced).
fn journal_path(store: &Store) -> PathBuf {
    store.data_dir().join("journal.json")
}

/// The time stamped on an operation's records.
pub(crate) fn now() -> Stamp {
    Stamp::now()
}
