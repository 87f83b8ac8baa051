//! Co-edited text (a meeting's notes, a document's body): what the person
//! changed, from the text they saw to the text they made of it, replayed as
//! character splices on the text as it is now, so two people typing at
//! once, online or not, both keep their words. Undo replays the change
//! backwards the same way, so what others wrote since stays.
//!
//! A meeting's notes live in its record; a document's body lives in a
//! document of its own (`store::bodies`), created on its first edit if the
//! record came without one (an import).

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, Value};

use super::Outcome;
use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::kinds::with_kind;
use crate::model::schema::Described;
use crate::model::text_edit::{Splice, rebase};
use crate::model::{Doc, Record, ValidationError, require_text};
use crate::store::records::kind_map_mut;
use crate::store::{Result, Store, StoreError};

/// The longest co-edited text, in characters.
pub(super) const MAX_CHARS: usize = 500_000;

/// A change of co-edited text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TextChange {
    /// What the person saw and what they made of it.
    Replace { before: String, after: String },
    /// A paragraph added at the end.
    Append { text: String },
}

/// Where a kind's co-edited text lives.
enum Place {
    /// A Text object in the record's own map.
    Record,
    /// The record's body document.
    Body,
}

fn place(kind: &str, field: &str) -> Result<Place> {
    match (kind, field) {
        ("meetings", "notes") => Ok(Place::Record),
        ("docs", "body") => Ok(Place::Body),
        _ => Err(StoreError::Rejected(format!(
            "{field} of {kind} is not text that is edited together"
        ))),
    }
}

/// Applies `change` to the text `field` of record `id` as it is now.
pub(super) fn edit_text(
    store: &Store,
    kind: &str,
    id: &str,
    field: &str,
    change: &TextChange,
) -> Result<(Outcome, Action)> {
    let verb = match change {
        TextChange::Append { .. } => "Add to the text of",
        TextChange::Replace { .. } => "Edit the text of",
    };
    match place(kind, field)? {
        Place::Record => {
            with_kind!(kind, R => splice_in_record::<R>(store, id, field, change, verb))
        }
        Place::Body => splice_body(store, id, change, verb),
    }
}

/// Undoes a text step: what it changed, changed back on the text as it is
/// now (what others wrote since stays).
pub(super) fn revert_text(
    store: &Store,
    kind: &str,
    id: &str,
    field: &str,
    before: &str,
    after: &str,
) -> Result<Vec<Step>> {
    let change = TextChange::Replace {
        before: after.to_string(),
        after: before.to_string(),
    };
    Ok(edit_text(store, kind, id, field, &change)?.1.steps)
}

/// Applies `change` to the text object `text`; returns (before, after).
fn splice(tx: &mut Transaction<'_>, text: &ObjId, change: &TextChange) -> Result<(String, String)> {
    let current = tx.text(text)?;
    let splices = match change {
        TextChange::Replace { before, after } => rebase(before, after, &current),
        TextChange::Append { text: added } => {
            let added = added.trim_end();
            require_text("text to add", added)?;
            let sep = if current.is_empty() || current.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            vec![Splice {
                at: current.chars().count(),
                delete: 0,
                insert: format!("{sep}{added}\n"),
            }]
        }
    };
    for s in &splices {
        tx.splice_text(text, s.at, s.delete as isize, &s.insert)?;
    }
    let after = tx.text(text)?;
    if after.chars().count() > MAX_CHARS {
        return Err(ValidationError::new("text", "is too long (over 500,000 characters)").into());
    }
    Ok((current, after))
}

fn text_step(kind: &str, id: &str, field: &str, before: String, after: String) -> Option<Step> {
    (before != after).then(|| Step::Text {
        kind: kind.into(),
        id: id.to_string(),
        field: field.to_string(),
        before,
        after,
    })
}

fn splice_in_record<R: Described>(
    store: &Store,
    id: &str,
    field: &str,
    change: &TextChange,
    verb: &'static str,
) -> Result<(Outcome, Action)> {
    edit_record::<R>(store, id, Edit::new(verb), move |tx, _, _, steps| {
        let map = kind_map_mut(tx, R::KIND)?;
        let Some((Value::Object(ObjType::Map), obj)) = tx.get(&map, id)? else {
            return Err(StoreError::Rejected(format!("no {} {id}", R::LABEL)));
        };
        let text = match tx.get(&obj, field)? {
            Some((Value::Object(ObjType::Text), text)) => text,
            _ => tx.put_object(&obj, field, ObjType::Text)?,
        };
        let (before, after) = splice(tx, &text, change)?;
        steps.extend(text_step(R::KIND, id, field, before, after));
        Ok(())
    })
}

/// Edits a document's body in its own document, then notes on the record
/// when and by whom (which also tells peers that have not loaded the body
/// to fetch it).
fn splice_body(
    store: &Store,
    id: &str,
    change: &TextChange,
    verb: &'static str,
) -> Result<(Outcome, Action)> {
    let doc = store
        .get::<Doc>(id)?
        .ok_or_else(|| StoreError::Rejected(format!("no document {id}")))?;
    if doc.is_deleted() {
        return Err(StoreError::Rejected(
            "this document is in the trash; restore it first".into(),
        ));
    }
    let body_doc = if doc.body_doc.is_empty() {
        store.create_body("")?
    } else {
        doc.body_doc.clone()
    };
    let (before, after) =
        store.change_body(&body_doc, &format!("{verb} docs {id}"), |tx, text| {
            splice(tx, text, change)
        })?;
    if before == after {
        return Ok((
            Outcome::default(),
            Action {
                label: format!("{verb} “{}”", doc.title),
                steps: Vec::new(),
            },
        ));
    }
    let me = store.me()?.name;
    let (outcome, mut action) =
        edit_record::<Doc>(store, id, Edit::new(verb), |_, d, audit, _| {
            d.body_doc = body_doc;
            d.body_edited_at = Some(audit.at);
            d.body_edited_by = Some(me);
            Ok(())
        })?;
    // Undo takes back the words, not when they were written.
    action.steps = text_step(Doc::KIND, id, "body", before, after)
        .into_iter()
        .collect();
    Ok((outcome, action))
}
