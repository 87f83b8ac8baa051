//! Rules that hold across kinds, applied by the operations layer: person
//! fields name members, some kinds have unique names, and reference fields
//! are typed by name (creating the referenced record when new).

use automerge::transaction::Transaction;

use super::journal::Step;
use super::kinds::with_kind;
use crate::model::schema::{Described, FieldKind, same_name};
use crate::model::{Audit, Person, Project, Record, new_id};
use crate::store::records::{kind_map_mut, read_all};
use crate::store::{Result, Store, StoreError};

/// Person fields name members: each typed name becomes the member's exact
/// name (any case, or a unique start of it: "ben" is "Ben Ode"); a name that
/// is no member's is refused with the members to choose from.
pub(super) fn people<R: Described>(
    store: &Store,
    fields: &[super::FieldInput],
) -> Result<Vec<super::FieldInput>> {
    let is_person = |key: &str| {
        R::spec(key).is_ok_and(|s| matches!(s.kind, FieldKind::Person | FieldKind::People))
    };
    if !fields.iter().any(|(k, _)| is_person(k)) {
        return Ok(fields.to_vec());
    }
    let members: Vec<String> = store
        .list::<crate::model::Member>(false)?
        .into_iter()
        .map(|m| m.name)
        .collect();
    fields
        .iter()
        .map(|(key, text)| {
            if !is_person(key) {
                return Ok((key.clone(), text.clone()));
            }
            let names: Result<Vec<String>> = text
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("none"))
                .map(|n| member_named(&members, n, key))
                .collect();
            Ok((key.clone(), names?.join(", ")))
        })
        .collect()
}

/// The member called `typed`, exactly (any case) or by a unique start of
/// their name or of one of its words.
pub(super) fn member_named(members: &[String], typed: &str, field: &str) -> Result<String> {
    if let Some(exact) = members.iter().find(|m| same_name(m, typed)) {
        return Ok(exact.clone());
    }
    let wanted = typed.trim().to_lowercase();
    let starts: Vec<&String> = members
        .iter()
        .filter(|m| {
            let m = m.to_lowercase();
            m.starts_with(&wanted) || m.split_whitespace().any(|w| w.starts_with(&wanted))
        })
        .collect();
    match starts.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(StoreError::Rejected(format!(
            "{field}: {typed:?} is not a member (members: {}); invite them first with `bureau invite`",
            members.join(", ")
        ))),
        many => Err(StoreError::Rejected(format!(
            "{field}: {typed:?} could be {}; type more of the name",
            many.iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ))),
    }
}

/// Refuses a name another live record of the kind already has (for kinds
/// found by name: sites, projects, items).
pub(super) fn check_unique_name<R: Described>(tx: &Transaction<'_>, record: &R) -> Result<()> {
    if !R::UNIQUE_NAME {
        return Ok(());
    }
    let taken = read_all::<R, _>(tx, false)
        .records
        .into_iter()
        .find(|other| other.id() != record.id() && same_name(other.name(), record.name()));
    match taken {
        Some(other) => Err(crate::model::ValidationError::new(
            "name",
            format!(
                "a {} named {:?} already exists (id {}); pick another name",
                R::LABEL,
                other.name(),
                other.id()
            ),
        )
        .into()),
        None => Ok(()),
    }
}

/// For a reference field, turns what was typed (a name or an id) into the
/// id, creating the referenced record (a project) in the same transaction
/// if no record has that name. Other fields pass through.
pub(super) fn resolve_reference<R: Described>(
    tx: &mut Transaction<'_>,
    key: &str,
    text: &str,
    audit: &Audit,
    steps: &mut Vec<Step>,
) -> Result<String> {
    let spec = R::spec(key)?;
    let FieldKind::Reference(target) = spec.kind else {
        return Ok(text.to_string());
    };
    let wanted = text.trim();
    if wanted.is_empty() || wanted.eq_ignore_ascii_case("none") {
        return Ok(String::new());
    }
    match target {
        "projects" if Project::AREA == R::AREA => {
            let projects = read_all::<Project, _>(&*tx, false).records;
            if let Some(p) = projects
                .iter()
                .find(|p| p.id == wanted || p.name.eq_ignore_ascii_case(wanted))
            {
                return Ok(p.id.clone());
            }
            let project = Project {
                id: new_id(),
                name: wanted.to_string(),
                ..Default::default()
            };
            create_referenced(tx, project, audit, steps)
        }
        // A manager not in the directory yet gets an entry.
        "people" if Person::AREA == R::AREA => {
            let people = read_all::<Person, _>(&*tx, false).records;
            if let Some(p) = people
                .iter()
                .find(|p| p.id == wanted || same_name(&p.name, wanted))
            {
                return Ok(p.id.clone());
            }
            let person = Person {
                id: new_id(),
                name: wanted.to_string(),
                ..Default::default()
            };
            create_referenced(tx, person, audit, steps)
        }
        other if area_of(other) != Some(R::AREA) => {
            // In another document: resolved before the transaction
            // (`cross_references`).
            Ok(wanted.to_string())
        }
        other => {
            with_kind!(other, T => one_named::<T>(key, wanted, find_named::<T, _>(&*tx, wanted)))
        }
    }
}

/// Writes a record typed by name in a reference field of another record.
fn create_referenced<T: Record>(
    tx: &mut Transaction<'_>,
    mut record: T,
    audit: &Audit,
    steps: &mut Vec<Step>,
) -> Result<String> {
    record.validate()?;
    record.touch(audit, true);
    let map = kind_map_mut(tx, T::KIND)?;
    let id = record.id().to_string();
    autosurgeon::reconcile_prop(tx, &map, id.as_str(), &record)?;
    steps.push(Step::Created {
        kind: T::KIND.into(),
        id: id.clone(),
    });
    Ok(id)
}

/// The area (document) holding records of `kind`.
fn area_of(kind: &str) -> Option<crate::model::Area> {
    crate::store::ALL_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, a)| *a)
}

/// Live records of `T` whose id or name is `wanted`: (id, name).
fn find_named<T: Described, D: automerge::ReadDoc>(doc: &D, wanted: &str) -> Vec<(String, String)> {
    let records = read_all::<T, _>(doc, false).records;
    if let Some(exact) = records.iter().find(|r| r.id() == wanted) {
        return vec![(exact.id().to_string(), exact.name().to_string())];
    }
    records
        .iter()
        .filter(|r| same_name(r.name(), wanted))
        .map(|r| (r.id().to_string(), r.name().to_string()))
        .collect()
}

/// The one record found, or an error saying what to type.
fn one_named<T: Described>(
    key: &str,
    wanted: &str,
    found: Vec<(String, String)>,
) -> Result<String> {
    match found.as_slice() {
        [(id, _)] => Ok(id.clone()),
        [] => Err(StoreError::Rejected(format!(
            "{key}: there is no {} named {wanted:?}; check the spelling or add it first",
            T::LABEL
        ))),
        many => Err(StoreError::Rejected(format!(
            "{key}: {} {}s are named {wanted:?} ({}); give the id",
            many.len(),
            T::LABEL,
            many.iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Reference fields naming records in *another* document (a purchase
/// order's ship-to site, an item's preferred vendor): typed names become
/// ids, read before the transaction (which only sees its own document).
pub(super) fn cross_references<R: Described>(
    store: &Store,
    fields: &[super::FieldInput],
) -> Result<Vec<super::FieldInput>> {
    fields
        .iter()
        .map(|(key, text)| {
            let Ok(spec) = R::spec(key) else {
                return Ok((key.clone(), text.clone()));
            };
            let FieldKind::Reference(target) = spec.kind else {
                return Ok((key.clone(), text.clone()));
            };
            let wanted = text.trim();
            let Some(area) = area_of(target).filter(|a| *a != R::AREA) else {
                return Ok((key.clone(), text.clone()));
            };
            if wanted.is_empty() || wanted.eq_ignore_ascii_case("none") {
                return Ok((key.clone(), String::new()));
            }
            let id = with_kind!(target, T => {
                let found = store.read(area, |doc| Ok(find_named::<T, _>(doc, wanted)))?;
                one_named::<T>(key, wanted, found)
            })?;
            Ok((key.clone(), id))
        })
        .collect()
}

/// Fields that change only through their own action, never by a plain
/// edit: an invoice's status (approving checks the match), a purchase
/// order's number (given out once from a device's series).
pub(super) fn check_editable(kind: &str, fields: &[super::FieldInput]) -> Result<()> {
    for (key, _) in fields {
        let how = match (kind, key.as_str()) {
            ("invoices", "status") => "use approve, pay or dispute (`bureau invoice approve ID`)",
            ("purchase_orders", "number") => "numbers are given out once and never change",
            ("assets", "holder" | "history") => {
                "hand it out or take it back (`bureau asset assign ID --to NAME`, `asset return ID`)"
            }
            ("receipts", "lines" | "purchase_order" | "site") => {
                "take the receipt back and receive again"
            }
            _ => continue,
        };
        return Err(StoreError::Rejected(format!(
            "{key} cannot be set here: {how}"
        )));
    }
    Ok(())
}

/// Id -> name of every record of `kind` (trash included, for labels), to
/// show reference fields by name.
pub fn reference_names(
    store: &Store,
    kind: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    with_kind!(kind, T => Ok(store
        .list::<T>(true)?
        .into_iter()
        .map(|r| (r.id().to_string(), r.name().to_string()))
        .collect()))
}
