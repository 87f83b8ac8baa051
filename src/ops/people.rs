//! The people directory: `person set NAME …` creates the entry or updates
//! it, and a manager that would make the chain loop back is refused with
//! the loop in words.

use super::apply::{create, edit_fields};
use super::journal::Action;
use super::rules::{cross_references, people};
use super::{FieldInput, Outcome};
use crate::model::people::manager_cycle;
use crate::model::schema::{FieldContext, same_name};
use crate::model::{Person, Record, require_text};
use crate::store::{Result, Store, StoreError};

/// Creates the entry of the person called `name`, or sets `fields` on it.
pub(super) fn set_person(
    store: &Store,
    name: &str,
    fields: &[FieldInput],
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    require_text("name", name)?;
    if fields.iter().any(|(k, _)| k == "name") {
        return Err(StoreError::Rejected(
            "name: to rename someone, edit the name in their entry".into(),
        ));
    }
    let existing = store
        .list::<Person>(false)?
        .into_iter()
        .find(|p| same_name(&p.name, name));
    match existing {
        Some(person) => {
            check_manager(store, Person::KIND, &person.id, fields)?;
            let fields = cross_references::<Person>(store, &people::<Person>(store, fields)?)?;
            edit_fields::<Person>(store, &person.id, &fields, cx)
        }
        None => {
            // A member's entry carries the member's name exactly.
            let members = store.list::<crate::model::Member>(false)?;
            let name = members
                .iter()
                .find(|m| same_name(&m.name, name))
                .map_or_else(|| name.trim().to_string(), |m| m.name.clone());
            let mut all = vec![("name".to_string(), name)];
            all.extend(fields.iter().cloned());
            let all = cross_references::<Person>(store, &people::<Person>(store, &all)?)?;
            create::<Person>(store, &all, cx)
        }
    }
}

/// Refuses a manager for person `id` whose own chain of managers leads
/// back to `id`.
pub(super) fn check_manager(
    store: &Store,
    kind: &str,
    id: &str,
    fields: &[FieldInput],
) -> Result<()> {
    if kind != Person::KIND {
        return Ok(());
    }
    let Some((_, typed)) = fields.iter().find(|(k, _)| k == "manager") else {
        return Ok(());
    };
    let typed = typed.trim();
    if typed.is_empty() || typed.eq_ignore_ascii_case("none") {
        return Ok(());
    }
    let everyone = store.list::<Person>(false)?;
    let Some(manager) = everyone
        .iter()
        .find(|p| p.id == typed || same_name(&p.name, typed))
    else {
        return Ok(()); // someone new: nobody reports to them yet
    };
    match manager_cycle(&everyone, id, &manager.id) {
        Some(names) => Err(StoreError::Rejected(format!(
            "manager: that would make a loop ({} reports to {}); pick someone outside it",
            names.first().cloned().unwrap_or_default(),
            names[1..].join(", who reports to ")
        ))),
        None => Ok(()),
    }
}
