//! Importing records from a CSV file: every row checked first (the
//! record's own rules, its id, unique names, references to records that
//! exist), each bad row reported with its line number; then the good rows
//! written in one transaction by [`super::Op::Import`], which checks them
//! all again and writes nothing if any is bad.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::apply::{json_fields, set_id};
use super::journal::{Action, Step};
use super::kinds::with_kind;
use super::{Outcome, reference_names};
use crate::model::schema::{Described, FieldKind, same_name};
use crate::model::{Record, new_id};
use crate::report::records_csv;
use crate::store::records::{kind_map_mut, read_all};
use crate::store::{Result, Store, StoreError};

/// A row of the file: its line and the record as JSON, or what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: u64,
    pub record: std::result::Result<Value, String>,
}

/// Kinds whose records come only from an action with side effects.
fn refuse(kind: &str) -> Result<()> {
    match kind {
        "receipts" => Err(StoreError::Rejected(
            "receipts come from receiving an order (bureau po receive), which also adds the stock; they can be exported but not imported".into(),
        )),
        _ => Ok(()),
    }
}

/// Reads `bytes` as CSV records of `kind` and checks every row against
/// this workspace. Rows without an id get a new one.
pub fn read_rows(store: &Store, kind: &str, bytes: &[u8]) -> Result<Vec<ImportRow>> {
    refuse(kind)?;
    let currency = store.workspace()?.currency;
    with_kind!(kind, R => {
        let rows = records_csv::read::<R>(bytes, &currency).map_err(StoreError::Rejected)?;
        let mut records: Vec<(u64, std::result::Result<R, String>)> = rows
            .into_iter()
            .map(|row| (row.line, row.record.map(|mut r| {
                if r.id().is_empty() {
                    set_id(&mut r, &new_id());
                }
                r
            })))
            .collect();
        let existing = store.read(R::AREA, |doc| Ok(read_all::<R, _>(doc, true).records))?;
        let problems = check::<R>(store, &existing, &records)?;
        Ok(records
            .drain(..)
            .map(|(line, record)| ImportRow {
                line,
                record: match (record, problems.get(&line)) {
                    (Err(e), _) => Err(e),
                    (Ok(_), Some(problem)) => Err(problem.clone()),
                    (Ok(r), None) => serde_json::to_value(&r).map_err(|e| e.to_string()),
                },
            })
            .collect())
    })
}

/// What is wrong with each readable row (by line), given the records of
/// the kind already in the workspace (trash included).
fn check<R: Described>(
    store: &Store,
    existing: &[R],
    rows: &[(u64, std::result::Result<R, String>)],
) -> Result<BTreeMap<u64, String>> {
    let mut references: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for spec in R::fields() {
        if let FieldKind::Reference(kind) = spec.kind
            && !references.contains_key(kind)
        {
            let mut ids: BTreeSet<String> = reference_names(store, kind)?.into_keys().collect();
            if kind == R::KIND {
                ids.extend(
                    rows.iter()
                        .filter_map(|(_, r)| r.as_ref().ok())
                        .map(|r| r.id().to_string()),
                );
            }
            references.insert(kind, ids);
        }
    }
    let taken: BTreeSet<&str> = existing.iter().map(|r| r.id()).collect();
    let mut seen_ids: BTreeMap<String, u64> = BTreeMap::new();
    let mut seen_names: Vec<(String, u64)> = Vec::new();
    let mut problems = BTreeMap::new();
    for (line, record) in rows {
        let Ok(record) = record else { continue };
        let problem = (|| -> Option<String> {
            if let Err(e) = record.validate() {
                return Some(e.to_string());
            }
            let id = record.id();
            if taken.contains(id) {
                return Some(format!(
                    "a {} with id {id} already exists here; leave the id empty to import it as a new record",
                    R::LABEL
                ));
            }
            if let Some(first) = seen_ids.get(id) {
                return Some(format!("id {id} is also on line {first}"));
            }
            for spec in R::fields() {
                // A value this version doesn't know reads as "unknown" (for
                // peers' newer records); a file must say a known one.
                if let FieldKind::Choice(names) = spec.kind {
                    let value = record.field_text(spec.key).unwrap_or_default();
                    if !value.is_empty() && !names.contains(&value.as_str()) {
                        return Some(format!("{}: use one of {}", spec.key, names.join(", ")));
                    }
                }
                if let FieldKind::Reference(kind) = spec.kind {
                    let value = record.field_text(spec.key).unwrap_or_default();
                    let known = references.get(kind).is_some_and(|ids| ids.contains(&value));
                    if !value.is_empty() && !known {
                        return Some(format!(
                            "{}: no {} has id {value:?} (import those first)",
                            spec.key,
                            kind.trim_end_matches('s')
                        ));
                    }
                }
            }
            if R::UNIQUE_NAME && !record.is_deleted() {
                let name = record.name();
                if let Some(other) = existing
                    .iter()
                    .find(|o| !o.is_deleted() && same_name(o.name(), name))
                {
                    return Some(format!(
                        "a {} named {name:?} already exists (id {})",
                        R::LABEL,
                        other.id()
                    ));
                }
                if let Some((_, first)) = seen_names.iter().find(|(n, _)| same_name(n, name)) {
                    return Some(format!("the name {name:?} is also on line {first}"));
                }
            }
            None
        })();
        match problem {
            Some(p) => {
                problems.insert(*line, p);
            }
            None => {
                seen_ids.insert(record.id().to_string(), *line);
                seen_names.push((record.name().to_string(), *line));
            }
        }
    }
    Ok(problems)
}

/// Writes the rows (all good, or nothing) in one transaction.
pub(super) fn import(
    store: &Store,
    kind: &str,
    rows: &[(u64, Value)],
) -> Result<(Outcome, Action)> {
    refuse(kind)?;
    with_kind!(kind, R => {
        let records: Vec<(u64, std::result::Result<R, String>)> = rows
            .iter()
            .map(|(line, v)| (*line, serde_json::from_value::<R>(v.clone()).map_err(|e| e.to_string())))
            .collect();
        if let Some((line, Err(e))) = records.iter().find(|(_, r)| r.is_err()) {
            return Err(StoreError::Rejected(format!("line {line}: {e}")));
        }
        let n = records.len();
        // Checked before the transaction: references may live in this
        // same document, which the transaction holds.
        let existing = store.read(R::AREA, |doc| Ok(read_all::<R, _>(doc, true).records))?;
        let problems = check::<R>(store, &existing, &records)?;
        if let Some((line, problem)) = problems.into_iter().next() {
            return Err(StoreError::Rejected(format!("line {line}: {problem}; nothing was imported")));
        }
        store.change(R::AREA, &format!("import {n} {}", R::KIND), |tx, audit| {
            let map = kind_map_mut(tx, R::KIND)?;
            let mut steps = Vec::new();
            for (line, record) in records.into_iter() {
                let Ok(mut record) = record else { continue };
                if automerge::ReadDoc::get(&*tx, &map, record.id())?.is_some() {
                    return Err(StoreError::Rejected(format!(
                        "line {line}: a {} with id {} arrived meanwhile; nothing was imported",
                        R::LABEL,
                        record.id()
                    )));
                }
                // Records from a file keep who made them and when; rows
                // typed by hand are made by whoever imports them.
                if json_fields(&record).get("created_by").is_none_or(|v| v == "") {
                    record.touch(audit, true);
                }
                autosurgeon::reconcile_prop(tx, &map, record.id(), &record)?;
                steps.push(Step::Created { kind: R::KIND.into(), id: record.id().to_string() });
            }
            let label = format!("Import {n} {}{}", R::LABEL, if n == 1 { "" } else { "s" });
            Ok((
                Outcome { created: None, message: Some(format!("{label}.")) },
                Action { label, steps },
            ))
        })
    })
}
