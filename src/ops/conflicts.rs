//! The conflicts inbox: every field, of every kind, that holds concurrent
//! values after a merge, told in words (the values as the field shows
//! them, who set each and when), and resolving one by keeping a value.
//!
//! The CLI (`bureau conflicts`, `bureau resolve`) and the app's Conflicts
//! area both read [`inbox`] / [`describe`] and resolve through
//! [`crate::ops::Op::Resolve`].

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::apply::json_fields;
use super::journal::{Action, FieldChange, Step};
use super::kinds::with_kind;
use crate::model::schema::{Described, FieldKind};
use crate::model::{Member, Stamp};
use crate::store::{ALL_KINDS, RecordConflicts, Result, Store, StoreError};

/// One conflicting field of one record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Conflict {
    /// The kind's map name (`"tasks"`).
    pub kind: &'static str,
    /// "task", "vendor": what the record is.
    pub label: &'static str,
    pub id: String,
    /// The record's name.
    pub name: String,
    /// The field's path (`status`, `checklist.<id>.text`).
    pub field: String,
    /// The field as the app labels it ("Status").
    pub field_label: String,
    /// The values, the one every device shows first.
    pub values: Vec<ConflictValue>,
}

/// One of the values a conflicting field holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConflictValue {
    /// The value as the field shows it ("In progress", "Ana Ruiz").
    pub text: String,
    /// Who set it (their name).
    pub by: String,
    pub at: Option<Stamp>,
    /// The device it was set on (public key, hex).
    pub device: String,
}

/// Names of members by id, and of referenced records by kind and id.
struct Names<'a> {
    store: &'a Store,
    members: BTreeMap<String, String>,
    references: BTreeMap<&'static str, BTreeMap<String, String>>,
}

impl<'a> Names<'a> {
    fn new(store: &'a Store) -> Result<Self> {
        let members = store
            .list::<Member>(true)?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        Ok(Names {
            store,
            members,
            references: BTreeMap::new(),
        })
    }

    fn member(&self, id: &str) -> String {
        match self.members.get(id) {
            Some(name) => name.clone(),
            None if id.is_empty() => "someone".into(),
            None => id.to_string(),
        }
    }

    fn reference(&mut self, kind: &'static str, id: &str) -> String {
        if !self.references.contains_key(kind) {
            let names = super::reference_names(self.store, kind).unwrap_or_default();
            self.references.insert(kind, names);
        }
        self.references
            .get(kind)
            .and_then(|names| names.get(id))
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// A value as the field shows it.
fn value_text<R: Described>(record: &R, field: &str, value: &J, names: &mut Names<'_>) -> String {
    let plain = || match value {
        J::Null => String::new(),
        J::Number(n) if field.ends_with("_at") => n.as_i64().map_or_else(
            || n.to_string(),
            |ms| crate::model::schema::FieldText::to_text(&Stamp::from_millis(ms)),
        ),
        other => json_text(other),
    };
    let text = match R::spec(field) {
        Ok(spec) => {
            let mut fields = json_fields(record);
            fields.insert(field.to_string(), value.clone());
            let shown = serde_json::from_value::<R>(J::Object(fields))
                .ok()
                .and_then(|r| r.field_text(field))
                .unwrap_or_else(plain);
            match (spec.kind, value) {
                (FieldKind::Reference(kind), J::String(id)) if !id.is_empty() => {
                    names.reference(kind, id)
                }
                _ => shown,
            }
        }
        Err(_) => plain(),
    };
    if text.trim().is_empty() {
        "(empty)".into()
    } else {
        text
    }
}

fn field_label<R: Described>(path: &str) -> String {
    let mut parts = path.split('.');
    let top = parts.next().unwrap_or_default();
    let label = R::spec(top).map_or_else(|_| top.replace('_', " "), |s| s.label.to_string());
    match parts.next_back() {
        Some(leaf) if path.contains('.') => format!("{label} ({})", leaf.replace('_', " ")),
        _ => label,
    }
}

fn describe_kind<R: Described>(
    store: &Store,
    raw: &RecordConflicts,
    names: &mut Names<'_>,
) -> Result<Vec<Conflict>> {
    let Some(record) = store.get::<R>(&raw.id)? else {
        return Ok(Vec::new());
    };
    Ok(raw
        .fields
        .iter()
        .map(|f| Conflict {
            kind: R::KIND,
            label: R::LABEL,
            id: raw.id.clone(),
            name: record.name().to_string(),
            field: f.field.clone(),
            field_label: field_label::<R>(&f.field),
            values: f
                .values
                .iter()
                .zip(&f.written)
                .map(|(value, who)| ConflictValue {
                    text: value_text(&record, &f.field, value, names),
                    by: names.member(&who.member_id),
                    at: who.at,
                    device: who.device.clone(),
                })
                .collect(),
        })
        .collect())
}

/// The conflicts of `raw` (as the store found them), in words.
pub fn describe(store: &Store, raw: &[RecordConflicts]) -> Result<Vec<Conflict>> {
    let mut names = Names::new(store)?;
    let mut out = Vec::new();
    for record in raw {
        let described: Result<Vec<Conflict>> =
            with_kind!(record.kind, R => describe_kind::<R>(store, record, &mut names));
        match described {
            Ok(list) => out.extend(list),
            // Kinds nobody edits by hand (members, stock movements) have
            // their own screens.
            Err(StoreError::Rejected(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Every conflict in the workspace, area by area.
pub fn inbox(store: &Store) -> Result<Vec<Conflict>> {
    let mut raw = Vec::new();
    for (kind, area) in ALL_KINDS {
        raw.extend(store.kind_conflicts(*area, kind)?);
    }
    describe(store, &raw)
}

/// Keeps the value shown as `pick` (its text, any case) of `field`.
pub(super) fn resolve<R: Described>(
    store: &Store,
    id: &str,
    field: &str,
    pick: &str,
) -> Result<(super::Outcome, Action)> {
    let raw = RecordConflicts {
        kind: R::KIND,
        id: id.to_string(),
        fields: store.conflicts::<R>(id)?,
    };
    let conflicts = describe_kind::<R>(store, &raw, &mut Names::new(store)?)?;
    let conflict = conflicts.iter().find(|c| c.field == field).ok_or_else(|| {
        StoreError::Rejected(format!(
            "{field} of this {} holds one value (resolved already, here or on another device)",
            R::LABEL
        ))
    })?;
    let wanted = pick.trim();
    let index = conflict
        .values
        .iter()
        .position(|v| v.text.eq_ignore_ascii_case(wanted))
        .or_else(|| {
            // The value as stored (an id, a raw number) also picks it.
            raw.fields
                .iter()
                .find(|f| f.field == field)
                .and_then(|f| f.values.iter().position(|v| json_text(v) == wanted))
        })
        .ok_or_else(|| {
            let choices: Vec<String> = conflict
                .values
                .iter()
                .map(|v| format!("“{}”", v.text))
                .collect();
            StoreError::Rejected(format!(
                "{} holds no value {wanted:?}; pick one of {}",
                conflict.field_label,
                choices.join(", ")
            ))
        })?;
    let kept_text = conflict.values[index].text.clone();
    let (kept, shown) = store.resolve_conflict(R::AREA, R::KIND, id, field, index)?;
    let steps = if field.contains('.') || kept == shown {
        Vec::new()
    } else {
        vec![Step::Fields {
            kind: R::KIND.into(),
            id: id.to_string(),
            changes: vec![FieldChange {
                key: field.to_string(),
                before: shown,
                after: kept,
            }],
        }]
    };
    let label = format!(
        "Keep “{kept_text}” as {} of {} “{}”",
        conflict.field_label.to_lowercase(),
        R::LABEL,
        conflict.name
    );
    Ok((
        super::Outcome {
            created: None,
            message: Some(label.clone()),
        },
        Action { label, steps },
    ))
}

/// A stored value as text (a string as itself, anything else as JSON).
fn json_text(value: &J) -> String {
    match value {
        J::String(s) => s.clone(),
        other => other.to_string(),
    }
}
