//! Meeting actions that are not plain field edits: agenda points (added,
//! edited, moved and removed one by one, so two people shaping the agenda
//! offline both keep their points) and co-edited text (notes), written as
//! character splices replayed on the text as it is now.
//!
//! Meetings, rooms and action items (tasks naming their meeting) are
//! created and edited as records (`Op::Create` / `Op::Edit`).

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, Value};

use super::apply::{Edit, edit_record};
use super::journal::{Action, Step};
use super::kinds::with_kind;
use super::rules::member_named;
use super::{FieldInput, Op, Outcome};
use crate::model::schema::Described;
use crate::model::text_edit::{Splice, rebase};
use crate::model::{AgendaItem, Meeting, ValidationError, new_id, require_text};
use crate::store::records::kind_map_mut;
use crate::store::{Result, Store, StoreError};

/// The fields of a record kind that are co-edited text.
fn check_text_field(kind: &str, field: &str) -> Result<()> {
    match (kind, field) {
        ("meetings", "notes") => Ok(()),
        _ => Err(StoreError::Rejected(format!(
            "{field} of {kind} is not text that is edited together"
        ))),
    }
}

/// Applies a meeting action (the operations layer sends these here).
pub(super) fn apply(store: &Store, op: &Op) -> Result<(Outcome, Action)> {
    match op {
        Op::EditText {
            kind,
            id,
            field,
            change,
        } => edit_text(store, kind, id, field, change),
        Op::AddAgendaItem { meeting, point, id } => {
            let id = id.clone().unwrap_or_else(new_id);
            add_agenda_item(store, meeting, point, &id)
        }
        Op::EditAgendaItem {
            meeting,
            item,
            fields,
        } => edit_agenda_item(store, meeting, item, fields),
        Op::MoveAgendaItem {
            meeting,
            item,
            after,
        } => move_agenda_item(store, meeting, item, after.as_deref()),
        Op::RemoveAgendaItem { meeting, item } => remove_agenda_item(store, meeting, item),
        _ => Err(StoreError::Rejected("not a meeting action".into())),
    }
}

/// Applies what changed from `before` to `after` (or `append`, at the end)
/// to the text as it is now.
pub(super) fn edit_text(
    store: &Store,
    kind: &str,
    id: &str,
    field: &str,
    change: &TextChange,
) -> Result<(Outcome, Action)> {
    check_text_field(kind, field)?;
    with_kind!(kind, R => splice_text::<R>(store, id, field, change))
}

/// A change of co-edited text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TextChange {
    /// What the person saw and what they made of it.
    Replace { before: String, after: String },
    /// A paragraph added at the end.
    Append { text: String },
}

fn splice_text<R: Described>(
    store: &Store,
    id: &str,
    field: &str,
    change: &TextChange,
) -> Result<(Outcome, Action)> {
    let verb = match change {
        TextChange::Append { .. } => "Add to the notes of",
        TextChange::Replace { .. } => "Edit the notes of",
    };
    edit_record::<R>(store, id, Edit::new(verb), move |tx, _, _, steps| {
        let map = kind_map_mut(tx, R::KIND)?;
        let Some((Value::Object(ObjType::Map), obj)) = tx.get(&map, id)? else {
            return Err(StoreError::Rejected(format!("no {} {id}", R::LABEL)));
        };
        let text = match tx.get(&obj, field)? {
            Some((Value::Object(ObjType::Text), text)) => text,
            _ => tx.put_object(&obj, field, ObjType::Text)?,
        };
        let current = tx.text(&text)?;
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
            tx.splice_text(&text, s.at, s.delete as isize, &s.insert)?;
        }
        let after = tx.text(&text)?;
        if after.chars().count() > 500_000 {
            return Err(
                ValidationError::new("text", "is too long (over 500,000 characters)").into(),
            );
        }
        if after != current {
            steps.push(Step::Text {
                kind: R::KIND.into(),
                id: id.to_string(),
                field: field.to_string(),
                before: current,
                after,
            });
        }
        Ok(())
    })
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
    let (_, action) = with_kind!(kind, R => splice_text::<R>(store, id, field, &change))?;
    Ok(action.steps)
}

/// An agenda point as typed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AgendaInput {
    pub text: String,
    pub owner: Option<String>,
    pub minutes: Option<i64>,
}

pub(super) fn add_agenda_item(
    store: &Store,
    meeting: &str,
    input: &AgendaInput,
    item: &str,
) -> Result<(Outcome, Action)> {
    let text = input.text.trim().to_string();
    require_text("agenda item", &text)?;
    let owner = owner_name(store, input.owner.as_deref())?;
    let (_, action) = edit_record::<Meeting>(
        store,
        meeting,
        Edit::new("Add to the agenda of"),
        |_, m, _, _| {
            let rank = m.next_agenda_rank();
            m.agenda.insert(
                item.to_string(),
                AgendaItem {
                    text,
                    owner,
                    minutes: input.minutes,
                    rank,
                },
            );
            Ok(())
        },
    )?;
    Ok((
        Outcome {
            created: Some(item.to_string()),
            message: None,
        },
        action,
    ))
}

/// Sets some fields of one agenda point: `text`, `owner`, `minutes`.
pub(super) fn edit_agenda_item(
    store: &Store,
    meeting: &str,
    item: &str,
    fields: &[FieldInput],
) -> Result<(Outcome, Action)> {
    let mut owner = None;
    for (key, text) in fields {
        if key == "owner" {
            owner = Some(owner_name(store, Some(text))?);
        }
    }
    edit_record::<Meeting>(
        store,
        meeting,
        Edit::new("Edit the agenda of"),
        |_, m, _, _| {
            let point = m
                .agenda
                .get_mut(item)
                .ok_or_else(|| StoreError::Rejected("that agenda point was removed".into()))?;
            for (key, text) in fields {
                match key.as_str() {
                    "text" => point.text = text.trim().to_string(),
                    "owner" => point.owner = owner.clone().flatten(),
                    "minutes" => point.minutes = parse_minutes(text)?,
                    other => {
                        return Err(ValidationError::new(
                            "field name",
                            format!(
                                "an agenda point has no field {other:?}; use text, owner or minutes"
                            ),
                        )
                        .into());
                    }
                }
            }
            Ok(())
        },
    )
}

/// Puts an agenda point after `after` (first when `None`): only its own
/// rank is written.
pub(super) fn move_agenda_item(
    store: &Store,
    meeting: &str,
    item: &str,
    after: Option<&str>,
) -> Result<(Outcome, Action)> {
    edit_record::<Meeting>(
        store,
        meeting,
        Edit::new("Reorder the agenda of"),
        |_, m, _, _| {
            let order: Vec<(String, String)> = m
                .agenda_in_order()
                .into_iter()
                .filter(|(id, _)| id.as_str() != item)
                .map(|(id, a)| (id.clone(), a.rank.clone()))
                .collect();
            let at = match after {
                None => 0,
                Some(a) => {
                    order.iter().position(|(id, _)| id == a).ok_or_else(|| {
                        StoreError::Rejected("that agenda point was removed".into())
                    })? + 1
                }
            };
            let lo = at.checked_sub(1).map(|i| order[i].1.as_str());
            let hi = order.get(at).map(|(_, r)| r.as_str());
            let rank = crate::model::order::between(lo, hi);
            let point = m
                .agenda
                .get_mut(item)
                .ok_or_else(|| StoreError::Rejected("that agenda point was removed".into()))?;
            point.rank = rank;
            Ok(())
        },
    )
}

pub(super) fn remove_agenda_item(
    store: &Store,
    meeting: &str,
    item: &str,
) -> Result<(Outcome, Action)> {
    edit_record::<Meeting>(
        store,
        meeting,
        Edit::new("Remove a point from the agenda of"),
        |_, m, _, _| {
            m.agenda
                .remove(item)
                .map(|_| ())
                .ok_or_else(|| StoreError::Rejected("that agenda point was removed".into()))
        },
    )
}

/// An owner typed for an agenda point: a member's exact name, or none.
fn owner_name(store: &Store, typed: Option<&str>) -> Result<Option<String>> {
    let typed = typed.map(str::trim).unwrap_or_default();
    if typed.is_empty() || typed.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let members: Vec<String> = store
        .list::<crate::model::Member>(false)?
        .into_iter()
        .map(|m| m.name)
        .collect();
    member_named(&members, typed, "owner").map(Some)
}

fn parse_minutes(text: &str) -> Result<Option<i64>> {
    let t = text.trim().trim_end_matches("min").trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=24 * 60).contains(&n) => Ok(Some(n)),
        _ => Err(ValidationError::new(
            "minutes",
            format!("{text:?} is not a time box; type minutes from 0 to 1440, e.g. 10"),
        )
        .into()),
    }
}
