//! Handing equipment out and taking it back: the holder, the status and
//! an event in the asset's history, in one commit. Assets are created and
//! edited as records (`Op::Create` / `Op::Edit`, kind `assets`); who holds
//! one changes only here.

use super::apply::{Edit, edit_record};
use super::journal::Action;
use super::rules::member_named;
use super::{Op, Outcome};
use crate::model::equipment::{AssetEvent, AssetStatus};
use crate::model::{Asset, Member, new_id, require_text};
use crate::store::{Result, Store, StoreError};

/// Applies an equipment action (the operations layer sends these here).
pub(super) fn apply(store: &Store, op: &Op) -> Result<(Outcome, Action)> {
    match op {
        Op::AssignAsset { asset, to } => assign(store, asset, to),
        Op::ReturnAsset { asset } => give_back(store, asset),
        _ => Err(StoreError::Rejected("not an equipment action".into())),
    }
}

/// The holder as typed: a member's exact name when it names one, else the
/// name as typed (a new hire who is not on Bureau yet).
fn holder_name(store: &Store, typed: &str) -> Result<String> {
    let typed = typed.trim();
    require_text("holder", typed)?;
    let members: Vec<String> = store
        .list::<Member>(false)?
        .into_iter()
        .map(|m| m.name)
        .collect();
    Ok(member_named(&members, typed, "holder").unwrap_or_else(|_| typed.to_string()))
}

fn assign(store: &Store, asset: &str, to: &str) -> Result<(Outcome, Action)> {
    let person = holder_name(store, to)?;
    let by = store.me()?.name;
    edit_record::<Asset>(store, asset, Edit::new("Hand out"), |_, a, audit, _| {
        match (&a.holder, a.status) {
            (_, AssetStatus::Retired) => {
                return Err(StoreError::Rejected(format!(
                    "{} is retired; set its status to in-stock first",
                    a.tag
                )));
            }
            (Some(other), _) if !a.is_held_by(&person) => {
                return Err(StoreError::Rejected(format!(
                    "{} is with {other}; return it first (`bureau asset return {}`)",
                    a.tag, a.tag
                )));
            }
            _ => {}
        }
        a.holder = Some(person.clone());
        a.status = AssetStatus::Assigned;
        a.history.insert(
            new_id(),
            AssetEvent {
                at: audit.at,
                action: "assigned".into(),
                person: Some(person),
                by,
            },
        );
        Ok(())
    })
}

fn give_back(store: &Store, asset: &str) -> Result<(Outcome, Action)> {
    let by = store.me()?.name;
    edit_record::<Asset>(store, asset, Edit::new("Take back"), |_, a, audit, _| {
        let Some(person) = a.holder.take() else {
            return Err(StoreError::Rejected(format!("{} is not handed out", a.tag)));
        };
        a.status = AssetStatus::InStock;
        a.history.insert(
            new_id(),
            AssetEvent {
                at: audit.at,
                action: "returned".into(),
                person: Some(person),
                by,
            },
        );
        Ok(())
    })
}
