//! Who made a change, when and from which device, read from the change
//! itself: the time and message every commit carries (see
//! [`super::Store::change`]: "member id: what was done") and the actor,
//! which starts with the device's public key.

use automerge::Change;

use crate::model::Stamp;

/// What one Automerge change says about itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangeMeta {
    pub hash: String,
    pub at: Stamp,
    /// The member the change was made as (empty if it does not say).
    pub member_id: String,
    /// What was done, in the words of the operation ("Edit the text of …").
    pub action: String,
    /// The device's public key in hex (the actor's first 32 bytes).
    pub device: String,
}

impl ChangeMeta {
    pub fn of(change: &Change) -> ChangeMeta {
        let message = change.message().map(str::to_string).unwrap_or_default();
        let (member_id, action) = match message.split_once(": ") {
            Some((member, action)) => (member.to_string(), action.to_string()),
            None => (String::new(), message),
        };
        let actor = change.actor_id().to_hex_string();
        ChangeMeta {
            hash: change.hash().to_string(),
            at: Stamp::from_millis(change.timestamp() * 1000),
            member_id,
            action,
            device: actor.chars().take(64).collect(),
        }
    }
}
