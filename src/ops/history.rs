//! Restoring a record as it was at a moment: the fields that differ from
//! then are set back, as one new change (so it syncs, and undo reverts it
//! like any edit). Fields added to the kind since then keep their value.

use serde_json::Value as J;

use super::apply::{Edit, edit_record, json_fields};
use super::journal::Action;
use crate::model::Stamp;
use crate::model::schema::{Described, FieldText};
use crate::store::{Moment, Result, Store, StoreError};

/// Fields that say who and when, not what: never restored.
const STAMPS: [&str; 4] = ["id", "created_at", "updated_at", "updated_by"];

/// Restores record `id` as it stood at `to` (a time counts to the end of
/// its minute: history shows minutes).
pub(super) fn restore_version<R: Described>(
    store: &Store,
    id: &str,
    to: &Moment,
) -> Result<(super::Outcome, Action)> {
    let (moment, when) = match to {
        Moment::Time(at) => (
            Moment::Time(Stamp::from_millis(at.millis() + 59_999)),
            at.to_text(),
        ),
        Moment::After(hash) => {
            let at = store
                .record_history(R::AREA, R::KIND, id)?
                .into_iter()
                .find(|c| c.change.hash == *hash)
                .map(|c| c.change.at)
                .ok_or_else(|| {
                    StoreError::Rejected(format!("that change is not one of this {}'s", R::LABEL))
                })?;
            (to.clone(), at.to_text())
        }
    };
    let at_text = when.clone();
    let then = store
        .record_at(R::AREA, R::KIND, id, &moment)?
        .ok_or_else(|| {
            StoreError::Rejected(format!(
                "this {} did not exist yet at {when}; see `bureau history {id}` for when it was made",
                R::LABEL,
            ))
        })?;
    let J::Object(then) = then else {
        return Err(StoreError::Corrupt(format!(
            "{} {id}: not a record",
            R::LABEL
        )));
    };
    let verb = Edit::UNDO.verb("Restore an earlier version of");
    let (mut outcome, mut action) = edit_record::<R>(store, id, verb, |_, record, _, _| {
        let mut fields = json_fields(&*record);
        for (key, value) in then
            .into_iter()
            .filter(|(k, _)| !STAMPS.contains(&k.as_str()))
        {
            if fields.contains_key(&key) {
                fields.insert(key, value);
            }
        }
        // A field that was empty then and did not exist in the record's
        // stored form reads as its default.
        *record = serde_json::from_value(J::Object(fields)).map_err(|e| {
            StoreError::Rejected(format!(
                "this {} as it was then cannot be read by this version: {e}",
                R::LABEL
            ))
        })?;
        Ok(())
    })?;
    if action.steps.is_empty() {
        outcome.message = Some(format!(
            "nothing to restore: this {} is as it was at {at_text}",
            R::LABEL,
        ));
    } else {
        action.label = format!("{} (as at {at_text})", action.label);
        outcome.message = Some(action.label.clone());
    }
    Ok((outcome, action))
}

/// One change of a record, in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    pub at: Stamp,
    /// Who made it (their name; their id if no member has it).
    pub by: String,
    pub member_id: String,
    /// The device it was made on (public key, hex).
    pub device: String,
    /// What the operation said it did ("Edit task “Book the van” (status)").
    pub action: String,
    /// The fields it set, as the app labels them.
    pub fields: Vec<String>,
    /// The fields it set, by key.
    pub keys: Vec<String>,
    pub created: bool,
    /// The change's hash.
    pub change: String,
}

fn history_of<R: Described>(
    store: &Store,
    id: &str,
    since: Option<&[automerge::ChangeHash]>,
) -> Result<(Vec<HistoryEntry>, Vec<automerge::ChangeHash>)> {
    let members: std::collections::BTreeMap<String, String> = store
        .list::<crate::model::Member>(true)?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let (changes, heads) = store.record_history_since(R::AREA, R::KIND, id, since)?;
    let entries = changes
        .into_iter()
        .map(|c| HistoryEntry {
            by: members
                .get(&c.change.member_id)
                .cloned()
                .unwrap_or_else(|| c.change.member_id.clone()),
            fields: c
                .fields
                .iter()
                .map(|k| R::spec(k).map_or_else(|_| k.replace('_', " "), |s| s.label.to_string()))
                .collect(),
            keys: c.fields,
            at: c.change.at,
            member_id: c.change.member_id,
            device: c.change.device,
            action: c.change.action,
            created: c.created,
            change: c.change.hash,
        })
        .collect();
    Ok((entries, heads))
}

/// Every change of record `id` of `kind`, oldest first.
pub fn history(store: &Store, kind: &str, id: &str) -> Result<Vec<HistoryEntry>> {
    Ok(history_since(store, kind, id, None)?.0)
}

/// The changes of record `id` since `since` (every one when `None`), and
/// the heads of its document they were read at.
pub fn history_since(
    store: &Store,
    kind: &str,
    id: &str,
    since: Option<&[automerge::ChangeHash]>,
) -> Result<(Vec<HistoryEntry>, Vec<automerge::ChangeHash>)> {
    super::kinds::with_kind!(kind, R => history_of::<R>(store, id, since))
}
