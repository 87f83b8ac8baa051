//! Undo and redo: reverting one of this device's own actions as a new
//! change (so it syncs, and can itself be undone).
//!
//! A field is put back only if it still holds the value the action wrote.
//! If someone else changed it since, the whole undo is refused and says
//! who: undo never overwrites another person's edit.

use serde_json::Value as J;

use super::apply::{Edit, edit_record, json_fields};
use super::journal::{Action, FieldChange, Step};
use super::kinds::with_kind;
use crate::model::schema::Described;
use crate::model::{InventoryItem, Member};
use crate::store::{Result, Store, StoreError};

/// Applies the inverse of `action`; returns the inverse as applied (what
/// redo would revert).
pub(super) fn revert(store: &Store, action: &Action) -> Result<Action> {
    // Check every step before writing any, so a refusal changes nothing.
    for step in &action.steps {
        match step {
            Step::Fields { kind, id, changes } => {
                with_kind!(kind.as_str(), R => check_unchanged::<R>(store, id, changes))?
            }
            Step::Created { kind, id } => {
                with_kind!(kind.as_str(), R => check_live::<R>(store, id))?
            }
            Step::Stock { item, .. } => check_live::<InventoryItem>(store, item)?,
            Step::Text { kind, id, .. } => {
                with_kind!(kind.as_str(), R => check_live::<R>(store, id))?
            }
        }
    }
    // Records before stock: a record step is the one that can still be
    // refused, and stock moved back must not stay moved if it is.
    let (records, stock): (Vec<&Step>, Vec<&Step>) = action
        .steps
        .iter()
        .rev()
        .partition(|s| !matches!(s, Step::Stock { .. }));
    let mut inverse = Vec::new();
    for step in records.into_iter().chain(stock) {
        match step {
            Step::Fields { kind, id, changes } => {
                let back: Vec<FieldChange> = changes
                    .iter()
                    .map(|c| FieldChange {
                        key: c.key.clone(),
                        before: c.after.clone(),
                        after: c.before.clone(),
                    })
                    .collect();
                let applied = with_kind!(kind.as_str(), R => set_json::<R>(store, id, &back))?;
                inverse.extend(applied);
            }
            Step::Created { kind, id } => {
                let now = crate::model::Stamp::now();
                let applied = with_kind!(kind.as_str(), R => set_json::<R>(store, id, &[FieldChange {
                    key: "deleted_at".into(),
                    before: J::Null,
                    after: serde_json::to_value(now).unwrap_or(J::Null),
                }]))?;
                inverse.extend(applied);
            }
            Step::Text {
                kind,
                id,
                field,
                before,
                after,
            } => {
                inverse.extend(super::text::revert_text(
                    store, kind, id, field, before, after,
                )?);
            }
            Step::Stock { item, site, delta } => {
                store.adjust_stock(item, site, -delta, Some("undo"))?;
                inverse.push(Step::Stock {
                    item: item.clone(),
                    site: site.clone(),
                    delta: -delta,
                });
            }
        }
    }
    inverse.reverse();
    Ok(Action {
        label: action.label.clone(),
        steps: inverse,
    })
}

/// Refuses if the record was deleted since (by someone else, or taken back).
fn check_live<R: Described>(store: &Store, id: &str) -> Result<()> {
    let record = store.require::<R>(id)?;
    if record.is_deleted() {
        return Err(StoreError::Rejected(format!(
            "not undone: {} “{}” was deleted since",
            R::LABEL,
            record.name()
        )));
    }
    Ok(())
}

/// Refuses if a field no longer holds what the action wrote.
fn check_unchanged<R: Described>(store: &Store, id: &str, changes: &[FieldChange]) -> Result<()> {
    let record = store.require::<R>(id)?;
    let now = json_fields(&record);
    for c in changes {
        if now.get(&c.key).unwrap_or(&J::Null) != &c.after {
            let who = store
                .get::<Member>(&record_updated_by(&now))
                .ok()
                .flatten()
                .map_or_else(|| "someone else".to_string(), |m| m.name);
            let field = R::spec(&c.key).map_or(c.key.as_str(), |s| s.label);
            return Err(StoreError::Rejected(format!(
                "not undone: {who} changed {} of {} “{}” since; undo would overwrite their edit",
                field.to_lowercase(),
                R::LABEL,
                record.name()
            )));
        }
    }
    Ok(())
}

fn record_updated_by(fields: &serde_json::Map<String, J>) -> String {
    fields
        .get("updated_by")
        .and_then(J::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Sets fields from their JSON values, if they still hold `before`.
/// Returns the step as applied.
fn set_json<R: Described>(store: &Store, id: &str, changes: &[FieldChange]) -> Result<Vec<Step>> {
    let (_, action) = edit_record::<R>(store, id, Edit::UNDO, |_, record, _, _| {
        let mut fields = json_fields(&*record);
        for c in changes {
            if fields.get(&c.key).unwrap_or(&J::Null) != &c.before {
                return Err(StoreError::Rejected(format!(
                    "not undone: the {} of this {} changed meanwhile",
                    c.key,
                    R::LABEL
                )));
            }
            fields.insert(c.key.clone(), c.after.clone());
        }
        *record = serde_json::from_value(J::Object(fields))
            .map_err(|e| StoreError::Corrupt(format!("undo: {e}")))?;
        Ok(())
    })?;
    Ok(action.steps)
}
