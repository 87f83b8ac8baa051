//! What every record kind has in common: a stable id, audit fields, soft
//! delete, the area (Automerge document) it lives in, and validation.

use autosurgeon::{Hydrate, Reconcile};
use serde::{Serialize, de::DeserializeOwned};

use super::values::Stamp;

/// The part of the workspace a record belongs to. Each area is one Automerge
/// document, so loading, saving and syncing stay proportional to what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    /// Workspace settings, members and sites.
    Root,
    Tasks,
    Inventory,
    Purchasing,
    Budget,
    Meetings,
    Onboarding,
    Docs,
    Facilities,
}

impl Area {
    pub const ALL: [Area; 9] = [
        Area::Root,
        Area::Tasks,
        Area::Inventory,
        Area::Purchasing,
        Area::Budget,
        Area::Meetings,
        Area::Onboarding,
        Area::Docs,
        Area::Facilities,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Area::Root => "root",
            Area::Tasks => "tasks",
            Area::Inventory => "inventory",
            Area::Purchasing => "purchasing",
            Area::Budget => "budget",
            Area::Meetings => "meetings",
            Area::Onboarding => "onboarding",
            Area::Docs => "docs",
            Area::Facilities => "facilities",
        }
    }

    /// The area named `name` (as [`Area::name`] writes it).
    pub fn from_name(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// A validation failure: which field, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        ValidationError {
            field,
            message: message.into(),
        }
    }
}

/// Checks that a required text field is present and not absurdly long.
pub fn require_text(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    check_len(field, value, 500)
}

pub fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("is too long (at most {max} characters)"),
        ));
    }
    Ok(())
}

/// Who changed a record and when.
#[derive(Debug, Clone)]
pub struct Audit {
    pub member_id: String,
    pub at: Stamp,
}

/// A record kind kept in a map keyed by id inside its area's document.
pub trait Record:
    Reconcile
    + Hydrate
    + Serialize
    + DeserializeOwned
    + Clone
    + PartialEq
    + std::fmt::Debug
    + Send
    + 'static
{
    /// Name of the map holding this kind, e.g. `"tasks"`; also the export key.
    const KIND: &'static str;
    /// The document the kind lives in.
    const AREA: Area;

    fn id(&self) -> &str;
    fn deleted_at(&self) -> Option<Stamp>;
    fn set_deleted_at(&mut self, at: Option<Stamp>);
    /// Stamps creation (first save) or update audit fields.
    fn touch(&mut self, audit: &Audit, creating: bool);
    /// Checks the record's own fields; cross-record checks live in the store.
    fn validate(&self) -> Result<(), ValidationError>;
    /// Writes into the record's map `obj` only the fields that differ from
    /// `before` (see [`super::field_write`]); returns the names written.
    fn write_changed<D: autosurgeon::Doc>(
        &self,
        before: &Self,
        doc: &mut D,
        obj: &automerge::ObjId,
    ) -> Result<Vec<&'static str>, autosurgeon::ReconcileError>;

    fn is_deleted(&self) -> bool {
        self.deleted_at().is_some()
    }
}

/// Declares a record struct with the common fields every kind carries
/// (`id`, `created_at`, `created_by`, `updated_at`, `updated_by`,
/// `deleted_at`) and implements [`Record`] for it.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($kind:literal in $area:ident) {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
        validate($this:ident) $validate:block
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, autosurgeon::Reconcile, autosurgeon::Hydrate)]
        pub struct $name {
            pub id: String,
            $( $(#[$fmeta])* pub $field: $ty, )*
            pub created_at: $crate::model::Stamp,
            pub created_by: String,
            pub updated_at: $crate::model::Stamp,
            pub updated_by: String,
            pub deleted_at: Option<$crate::model::Stamp>,
        }

        impl $crate::model::Record for $name {
            const KIND: &'static str = $kind;
            const AREA: $crate::model::Area = $crate::model::Area::$area;

            fn id(&self) -> &str {
                &self.id
            }
            fn deleted_at(&self) -> Option<$crate::model::Stamp> {
                self.deleted_at
            }
            fn set_deleted_at(&mut self, at: Option<$crate::model::Stamp>) {
                self.deleted_at = at;
            }
            fn touch(&mut self, audit: &$crate::model::Audit, creating: bool) {
                if creating {
                    self.created_at = audit.at;
                    self.created_by = audit.member_id.clone();
                }
                self.updated_at = audit.at;
                self.updated_by = audit.member_id.clone();
            }
            fn validate(&self) -> Result<(), $crate::model::ValidationError> {
                let $this = self;
                $validate
            }
            fn write_changed<D: autosurgeon::Doc>(
                &self,
                before: &Self,
                doc: &mut D,
                obj: &automerge::ObjId,
            ) -> Result<Vec<&'static str>, autosurgeon::ReconcileError> {
                use $crate::model::field_write::WriteField;
                let mut written = Vec::new();
                $(
                    if self.$field.write_field(&before.$field, doc, obj, stringify!($field))? {
                        written.push(stringify!($field));
                    }
                )*
                for (name, changed) in [
                    ("created_at", self.created_at.write_field(&before.created_at, doc, obj, "created_at")?),
                    ("created_by", self.created_by.write_field(&before.created_by, doc, obj, "created_by")?),
                    ("updated_at", self.updated_at.write_field(&before.updated_at, doc, obj, "updated_at")?),
                    ("updated_by", self.updated_by.write_field(&before.updated_by, doc, obj, "updated_by")?),
                    ("deleted_at", self.deleted_at.write_field(&before.deleted_at, doc, obj, "deleted_at")?),
                ] {
                    if changed {
                        written.push(name);
                    }
                }
                Ok(written)
            }
        }
    };
}
pub(crate) use record;

/// A new record id: a UUID v7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
