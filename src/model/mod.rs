//! Plain record types for everything a coordinator keeps, with validation.
//! No I/O here: the store decides where and how records are kept.

pub mod automation;
pub mod field_write;
pub mod order;
mod record;
pub mod schema;
mod values;

pub mod bookings;
pub mod budget;
pub mod docs;
pub mod equipment;
pub mod facilities;
pub mod inventory;
pub mod matching;
pub mod meetings;
pub mod onboarding;
pub mod orders;
pub mod people;
pub mod purchasing;
pub mod reorder;
pub mod spend;
pub mod tasks;
pub mod text_edit;
pub mod workspace;

pub use budget::{BudgetLine, Expense, Period};
pub use docs::{Doc, DocKind};
pub use equipment::{Asset, AssetStatus};
pub use facilities::{MaintenanceRequest, RequestCategory, RequestStatus};
pub use inventory::{InventoryItem, MovementKind, StockMovement};
pub use meetings::{AgendaItem, Meeting, Repeat, Room, RoomKind};
pub use onboarding::{OnboardingPlan, OnboardingTemplate, PlanKind, StepCategory, TemplateStep};
pub use orders::{
    Invoice, InvoiceStatus, OrderLine, PoStatus, PurchaseOrder, Receipt, ReceivedLine,
};
pub use people::Person;
pub use purchasing::{Contact, Contract, ContractStatus, Vendor};
pub use record::{Area, Audit, Record, ValidationError, new_id, require_text};
pub use tasks::{ChecklistItem, Comment, Priority, Project, Recurrence, Task, TaskStatus};
pub use values::{Date, Money, Stamp, human_bytes};
pub use workspace::{Device, Member, Role, SCHEMA_VERSION, Site, Workspace};

/// Calls `$m!` with every record type, in layout order: the one list of
/// kinds, from which the document layout (`store::ALL_KINDS`), the JSON
/// export and CSV export are made, so a new kind is added here once.
macro_rules! every_kind {
    ($m:ident) => {
        $m!(
            $crate::model::Member,
            $crate::model::Site,
            $crate::model::Task,
            $crate::model::Project,
            $crate::model::InventoryItem,
            $crate::model::StockMovement,
            $crate::model::Vendor,
            $crate::model::Contract,
            $crate::model::PurchaseOrder,
            $crate::model::Receipt,
            $crate::model::Invoice,
            $crate::model::BudgetLine,
            $crate::model::Expense,
            $crate::model::Meeting,
            $crate::model::Room,
            $crate::model::OnboardingTemplate,
            $crate::model::OnboardingPlan,
            $crate::model::Person,
            $crate::model::Doc,
            $crate::model::MaintenanceRequest,
            $crate::model::Asset,
            $crate::model::automation::Rule,
            $crate::model::automation::RuleFiring
        )
    };
}
pub(crate) use every_kind;
