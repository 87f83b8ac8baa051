//! Documents (SOPs, policies, guides): creating one with its body in a
//! document of its own, reading a review cycle as people type it, and
//! putting an old version of the body back as a new change.
//!
//! Titles, categories, owners and reviews are plain field edits
//! (`Op::Edit`); the body is co-edited text (`ops::text`).

use super::apply::create_with;
use super::journal::Action;
use super::rules::{cross_references, people};
use super::text::{TextChange, edit_text};
use super::{FieldInput, Op, Outcome};
use crate::model::docs::{next_review, parse_review_cycle};
use crate::model::schema::FieldContext;
use crate::model::{Doc, Record, Stamp};
use crate::store::{Result, Store, StoreError};

pub(super) fn apply(store: &Store, op: &Op, cx: &FieldContext) -> Result<(Outcome, Action)> {
    match op {
        Op::CreateDoc { fields, body } => create_doc(store, fields, body, cx),
        Op::RestoreDocVersion { doc, version } => restore_version(store, doc, version),
        _ => Err(StoreError::Rejected("not a document action".into())),
    }
}

/// The review cycle as typed (`12m`, `1y`) becomes a number of months.
pub(super) fn typed_cycle(kind: &str, fields: &[FieldInput]) -> Result<Vec<FieldInput>> {
    fields
        .iter()
        .map(|(key, text)| {
            if kind == Doc::KIND && key == "review_months" {
                let months = parse_review_cycle(text)?;
                Ok((
                    key.clone(),
                    months.map(|m| m.to_string()).unwrap_or_default(),
                ))
            } else {
                Ok((key.clone(), text.clone()))
            }
        })
        .collect()
}

pub(super) fn create_doc(
    store: &Store,
    fields: &[FieldInput],
    body: &str,
    cx: &FieldContext,
) -> Result<(Outcome, Action)> {
    let mut fields = typed_cycle(Doc::KIND, fields)?;
    // A cycle with no date yet: the first review is one cycle from today.
    let months = fields
        .iter()
        .find(|(k, _)| k == "review_months")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    if !fields
        .iter()
        .any(|(k, v)| k == "review_date" && !v.trim().is_empty())
        && let Some(date) = next_review(cx.today, months)
    {
        fields.push(("review_date".into(), date.to_string()));
    }
    let fields = people::<Doc>(store, &fields)?;
    let fields = cross_references::<Doc>(store, &fields)?;
    // Checked before the body document is made, so a bad title leaves
    // nothing behind.
    let mut check = Doc::default();
    for (key, text) in fields.iter().filter(|(k, _)| k != "id") {
        crate::model::schema::Described::set_field_text(&mut check, key, text, cx)?;
    }
    check.validate()?;
    if body.chars().count() > super::text::MAX_CHARS {
        return Err(StoreError::Rejected(
            "the text is too long (over 500,000 characters)".into(),
        ));
    }
    let body_doc = store.create_body(body)?;
    let me = store.me()?.name;
    create_with::<Doc>(store, &fields, cx, |doc| {
        doc.body_doc = body_doc;
        if !body.is_empty() {
            doc.body_edited_at = Some(Stamp::now());
            doc.body_edited_by = Some(me);
        }
    })
}

fn restore_version(store: &Store, id: &str, version: &str) -> Result<(Outcome, Action)> {
    let doc = store
        .get::<Doc>(id)?
        .ok_or_else(|| StoreError::Rejected(format!("no document {id}")))?;
    let old = store.body_text_at(&doc.body_doc, version)?;
    let now = store.body_text(&doc.body_doc)?;
    if old == now {
        return Err(StoreError::Rejected(
            "the text is already as it was in that version".into(),
        ));
    }
    let (outcome, mut action) = edit_text(
        store,
        Doc::KIND,
        id,
        "body",
        &TextChange::Replace {
            before: now,
            after: old,
        },
    )?;
    action.label = format!("Restore an earlier version of “{}”", doc.title);
    Ok((
        Outcome {
            message: Some("The earlier version is back, as a new change.".into()),
            ..outcome
        },
        action,
    ))
}
