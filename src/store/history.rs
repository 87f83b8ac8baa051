//! Who made a change, when and from which device, read from the change's
//! structured metadata: its author (the member it was made as, set on every
//! commit by [`super::Store::change`]), its time, and its actor, which
//! starts with the device's public key. Changes written before authors
//! were recorded name their member in the message ("member id: action").

use automerge::{Automerge, Change, ChangeMetadata};

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

/// The member and the action: from the author when the change has one,
/// else from a legacy "member: action" message.
fn member_and_action(author: Option<&[u8]>, message: Option<&str>) -> (String, String) {
    let message = message.unwrap_or_default();
    match author.map(String::from_utf8_lossy) {
        Some(member) => {
            // A message of the legacy form still starts with the member.
            let action = message
                .strip_prefix(member.as_ref())
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(message);
            (member.into_owned(), action.to_string())
        }
        None => match message.split_once(": ") {
            Some((member, action)) => (member.to_string(), action.to_string()),
            None => (String::new(), message.to_string()),
        },
    }
}

pub(super) fn device_of(actor: &automerge::ActorId) -> String {
    actor.to_hex_string().chars().take(64).collect()
}

impl ChangeMeta {
    /// A change of `doc`. Automerge writes the author into an actor's first
    /// change only; the document knows it for the actor's later ones.
    pub fn of(doc: &Automerge, change: &Change) -> ChangeMeta {
        let author = change
            .author()
            .or_else(|| doc.get_author_for_actor(change.actor_id()));
        let (member_id, action) =
            member_and_action(author.as_ref().map(|a| a.as_bytes()), change.message());
        ChangeMeta {
            hash: change.hash().to_string(),
            at: Stamp::from_millis(change.timestamp() * 1000),
            member_id,
            action,
            device: device_of(change.actor_id()),
        }
    }

    /// [`ChangeMeta::of`] from the metadata alone (no operations decoded).
    pub fn of_meta(meta: &ChangeMetadata<'_>) -> ChangeMeta {
        let (member_id, action) = member_and_action(
            meta.author.as_ref().map(|a| a.as_bytes()),
            meta.message.as_deref(),
        );
        ChangeMeta {
            hash: meta.hash.to_string(),
            at: Stamp::from_millis(meta.timestamp * 1000),
            member_id,
            action,
            device: device_of(&meta.actor),
        }
    }
}
