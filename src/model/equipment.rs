//! Equipment: serial-tracked things (laptops, phones, the projector) with
//! a unique asset tag, who holds each one, and its history of being handed
//! out and returned. Two devices handing one laptop to two people while
//! offline leave two values of `holder`: shown as a conflict, never
//! silently one (see `store::conflicts`).

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, record, require_text};
use super::values::{Date, Stamp, string_enum};

string_enum! {
    pub enum AssetStatus {
        InStock = "in-stock", Assigned = "assigned", InRepair = "in-repair", Retired = "retired"
    }
}

/// One hand-out or return, kept under its own id so two devices' events
/// both survive a merge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct AssetEvent {
    pub at: Stamp,
    /// "assigned" or "returned".
    pub action: String,
    pub person: Option<String>,
    /// The member who recorded it.
    pub by: String,
}

super::field_write::nested_fields!(AssetEvent {
    at,
    action,
    person,
    by
});

record! {
    pub struct Asset ("assets" in Facilities) {
        /// Unique: "LT-0042".
        pub tag: String,
        /// What it is: "Laptop".
        pub name: String,
        pub model: String,
        pub serial: String,
        /// Site id.
        pub site: Option<String>,
        pub status: AssetStatus,
        /// Who has it (a name: new hires need not use Bureau yet).
        pub holder: Option<String>,
        pub purchased: Option<Date>,
        pub warranty_end: Option<Date>,
        pub notes: String,
        pub history: BTreeMap<String, AssetEvent>,
    }
    validate(a) {
        require_text("tag", &a.tag)?;
        require_text("name", &a.name)?;
        match (a.status, a.holder.is_some()) {
            (AssetStatus::Assigned, false) => Err(ValidationError::new(
                "status",
                "is assigned only with a holder: use `bureau asset assign ID --to NAME`",
            )),
            (AssetStatus::InStock | AssetStatus::InRepair | AssetStatus::Retired, true) => {
                Err(ValidationError::new(
                    "status",
                    "cannot change while someone holds it: return it first (`bureau asset return ID`)",
                ))
            }
            _ => Ok(()),
        }
    }
}

impl Asset {
    /// The history, oldest first.
    pub fn events(&self) -> Vec<&AssetEvent> {
        let mut events: Vec<(&String, &AssetEvent)> = self.history.iter().collect();
        events.sort_by(|a, b| (a.1.at, a.0).cmp(&(b.1.at, b.0)));
        events.into_iter().map(|(_, e)| e).collect()
    }

    /// Held by `person` (trimmed, any case).
    pub fn is_held_by(&self, person: &str) -> bool {
        self.holder
            .as_deref()
            .is_some_and(|h| super::tasks::owner_matches(h, person))
    }

    /// The warranty ends within `days` of `today` (or has ended).
    pub fn warranty_ending(&self, today: Date, days: i64) -> bool {
        self.status != AssetStatus::Retired
            && self
                .warranty_end
                .is_some_and(|end| end >= today && end <= today.add_days(days))
    }
}

super::schema::describe! {
    Asset, label: "asset", title: "Equipment", name: tag,
    unique_name: true,
    fields {
        tag: "Asset tag", Text, required, column;
        name: "Name", Text, required, column;
        model: "Model", Text, column;
        serial: "Serial", Text;
        site: "Site", Reference("sites"), column;
        status: "Status", Choice(AssetStatus::NAMES), column;
        holder: "Held by", Text, column, own_place;
        purchased: "Purchased", Date;
        warranty_end: "Warranty ends", Date, column;
        notes: "Notes", LongText;
    }
}

#[cfg(test)]
mod tests {
    use super::super::record::Record;
    use super::*;

    #[test]
    fn assigned_goes_with_a_holder_and_only_then() {
        let mut a = Asset {
            tag: "LT-1".into(),
            name: "Laptop".into(),
            ..Default::default()
        };
        assert!(a.validate().is_ok());
        a.status = AssetStatus::Assigned;
        assert!(a.validate().is_err());
        a.holder = Some("Dana Lee".into());
        assert!(a.validate().is_ok());
        a.status = AssetStatus::InRepair;
        assert!(
            a.validate()
                .unwrap_err()
                .to_string()
                .contains("return it first")
        );
    }

    #[test]
    fn a_warranty_ending_soon_is_found_and_an_ended_one_is_not() {
        let today = Date::new(2026, 11, 28).unwrap();
        let mut a = Asset {
            warranty_end: Date::new(2026, 12, 20),
            ..Default::default()
        };
        assert!(a.warranty_ending(today, 30));
        assert!(!a.warranty_ending(today, 10));
        a.warranty_end = Date::new(2026, 11, 1);
        assert!(!a.warranty_ending(today, 30));
    }
}
