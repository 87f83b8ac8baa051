//! The workspace itself, its members and its sites (all in the root document).

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Stamp, is_currency_code, string_enum};

/// Bumped when the document layout changes incompatibly. Newer fields are
/// always optional, so older clients keep (and never drop) what they don't know.
pub const SCHEMA_VERSION: u64 = 1;

/// The workspace's own settings, stored once at the root document's `workspace` key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub schema_version: u64,
    /// Default currency for amounts typed without one (ISO 4217).
    pub currency: String,
    pub created_at: Stamp,
    pub created_by: String,
}

impl Workspace {
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("workspace name", &self.name)?;
        if !is_currency_code(&self.currency) {
            return Err(ValidationError::new(
                "currency",
                "must be a 3-letter ISO code such as EUR or USD",
            ));
        }
        Ok(())
    }
}

string_enum! {
    /// What a member may do: admins manage membership, viewers only read.
    pub enum Role { Member = "member", Admin = "admin", Viewer = "viewer" }
}

impl Role {
    /// Whether this role may change records (a role from a newer version
    /// counts as read-only until this device understands it).
    pub fn can_write(self) -> bool {
        matches!(self, Role::Admin | Role::Member)
    }
}

/// One of a member's machines, identified by its iroh endpoint id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct Device {
    pub endpoint_id: String,
    pub label: String,
    pub added_at: Stamp,
}

record! {
    /// A person on the team.
    pub struct Member ("members" in Root) {
        pub name: String,
        pub role: Role,
        pub email: Option<String>,
        /// Devices keyed by endpoint id.
        pub devices: std::collections::BTreeMap<String, Device>,
    }
    validate(m) {
        require_text("name", &m.name)?;
        check_len("email", m.email.as_deref().unwrap_or(""), 200)
    }
}

record! {
    /// An office or location where stock is kept and maintenance happens.
    pub struct Site ("sites" in Root) {
        pub name: String,
        pub address: Option<String>,
    }
    validate(s) {
        require_text("site name", &s.name)?;
        check_len("address", s.address.as_deref().unwrap_or(""), 500)
    }
}

/// Checks a person's display name.
pub fn validate_member_name(name: &str) -> Result<(), ValidationError> {
    require_text("name", name)
}

super::field_write::nested_fields!(Device {
    endpoint_id,
    label,
    added_at
});

super::schema::describe! {
    Site, label: "site", title: "Sites", name: name,
    unique_name: true,
    fields {
        name: "Name", Text, required, column;
        address: "Address", Text, column;
    }
}
