//! Each member's reminder inbox state: read, snoozed until, notified. It
//! lives in the shared workspace document, so a member's two devices agree:
//! read on one is read on the other, and once one device showed a desktop
//! notification the other does not show it again.
//!
//! Layout: the root map `inbox`, made with the workspace, holds plain
//! timestamps under `member/reminder key/what`, never nested maps: two
//! devices marking at once write two values of one key (either one says
//! "read"), never two competing maps that would hide each other's marks.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, ScalarValue, Value};

use super::{Result, Store};
use crate::model::{Area, Stamp};

/// The root map holding every member's inbox state.
pub(crate) const INBOX: &str = "inbox";

/// What a member did with one reminder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReminderState {
    pub read_at: Option<Stamp>,
    pub snoozed_until: Option<Stamp>,
    pub notified_at: Option<Stamp>,
}

/// A change to one reminder's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mark {
    Read,
    Unread,
    /// Hidden until then, then unread again.
    Snooze(Stamp),
    /// A desktop notification was shown (on one of the member's devices).
    Notified,
}

impl ReminderState {
    /// Whether it belongs in the inbox's unread count at `now`.
    pub fn is_unread(&self, now: Stamp) -> bool {
        self.read_at.is_none() && self.snoozed_until.is_none_or(|until| until <= now)
    }

    pub fn is_snoozed(&self, now: Stamp) -> bool {
        self.read_at.is_none() && self.snoozed_until.is_some_and(|until| until > now)
    }
}

/// A timestamp written by [`Store::mark_reminders`] (anything else, from a
/// peer, reads as none).
fn stamp(value: &automerge::ValueRef<'_>) -> Option<Stamp> {
    use automerge::ScalarValueRef as S;
    match value {
        automerge::ValueRef::Scalar(S::Timestamp(ms) | S::Int(ms)) => Some(Stamp::from_millis(*ms)),
        _ => None,
    }
}

impl Store {
    /// The inbox state of `member`'s reminders, by reminder key.
    pub fn inbox_state(&self, member: &str) -> Result<BTreeMap<String, ReminderState>> {
        self.read(Area::Root, |doc| {
            let mut out: BTreeMap<String, ReminderState> = BTreeMap::new();
            let Some((Value::Object(ObjType::Map), inbox)) = doc.get(ROOT, INBOX)? else {
                return Ok(out);
            };
            let prefix = format!("{member}/");
            for item in doc.map_range(&inbox, prefix.clone()..) {
                let Some(rest) = item.key.strip_prefix(&prefix) else {
                    break;
                };
                let Some((key, what)) = rest.rsplit_once('/') else {
                    continue;
                };
                let at = stamp(&item.value);
                let state = out.entry(key.to_string()).or_default();
                match what {
                    "read" => state.read_at = at,
                    "snoozed" => state.snoozed_until = at,
                    "notified" => state.notified_at = at,
                    _ => {}
                }
            }
            Ok(out)
        })
    }

    /// Records what `member` did with reminder `key`.
    pub fn mark_reminder(&self, member: &str, key: &str, mark: Mark) -> Result<()> {
        self.mark_reminders(member, &[key], mark)
    }

    /// Records the same for several reminders, in one change.
    pub fn mark_reminders(&self, member: &str, keys: &[&str], mark: Mark) -> Result<()> {
        let action = match keys {
            [key] => format!("inbox {key}: {mark:?}"),
            _ => format!("inbox {} reminders: {mark:?}", keys.len()),
        };
        self.change(Area::Root, &action, |tx, audit| {
            let inbox = match tx.get(ROOT, INBOX)? {
                Some((Value::Object(ObjType::Map), inbox)) => inbox,
                _ => tx.put_object(ROOT, INBOX, ObjType::Map)?,
            };
            let now = ScalarValue::Timestamp(audit.at.millis());
            let clear = |tx: &mut automerge::transaction::Transaction<'_>, key: String| match tx
                .get(&inbox, key.as_str())
            {
                Ok(Some(_)) => tx.delete(&inbox, key.as_str()),
                _ => Ok(()),
            };
            for key in keys {
                let path = |what: &str| format!("{member}/{key}/{what}");
                match mark {
                    Mark::Read => tx.put(&inbox, path("read"), now.clone())?,
                    Mark::Unread => {
                        clear(tx, path("read"))?;
                        clear(tx, path("snoozed"))?;
                    }
                    Mark::Snooze(until) => {
                        clear(tx, path("read"))?;
                        tx.put(
                            &inbox,
                            path("snoozed"),
                            ScalarValue::Timestamp(until.millis()),
                        )?;
                    }
                    Mark::Notified => tx.put(&inbox, path("notified"), now.clone())?,
                }
            }
            Ok(())
        })
    }
}
