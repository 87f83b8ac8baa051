//! Meeting actions that are not plain field edits: agenda points (added,
//! edited, moved and removed one by one, so two people shaping the agenda
//! offline both keep their points). Their notes are co-edited text
//! (`ops::text`).
//!
//! Meetings, rooms and action items (tasks naming their meeting) are
//! created and edited as records (`Op::Create` / `Op::Edit`).

use super::apply::{Edit, edit_record};
use super::journal::Action;
use super::rules::member_named;
use super::{FieldInput, Op, Outcome};
use crate::model::{AgendaItem, Meeting, ValidationError, new_id, require_text};
use crate::store::{Result, Store, StoreError};

/// Applies a meeting action (the operations layer sends these here).
pub(super) fn apply(store: &Store, op: &Op) -> Result<(Outcome, Action)> {
    match op {
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
