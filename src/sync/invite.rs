//! Invite tickets: one-time, expiring, carrying everything a new device
//! needs to find the inviter and prove it was invited.
//!
//! A ticket is `bureau1` followed by base64url of a small JSON object:
//! workspace id, root document, founder key (the joiner's trust anchor), the
//! inviter's endpoint address, a 32-byte random secret, the role offered and
//! the expiry. The inviter keeps its pending invites in `invites.json`
//! (mode 0600) and accepts each secret once, before it expires.

use std::path::Path;

use iroh::EndpointAddr;
use serde::{Deserialize, Serialize};

use crate::model::{Role, Stamp};
use crate::store::StoreError;

const PREFIX: &str = "bureau1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub workspace: String,
    pub workspace_name: String,
    pub root_doc: String,
    pub founder: String,
    pub inviter: EndpointAddr,
    pub secret: String,
    pub role: Role,
    /// Expiry, milliseconds since the epoch.
    pub expires: i64,
}

impl Ticket {
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("{PREFIX}{}", data_encoding::BASE64URL_NOPAD.encode(&json))
    }

    pub fn decode(text: &str) -> Result<Ticket, String> {
        let text = text.trim();
        let body = text
            .strip_prefix(PREFIX)
            .ok_or("this is not a Bureau invite ticket (it should start with \"bureau1\")")?;
        let json = data_encoding::BASE64URL_NOPAD
            .decode(body.as_bytes())
            .map_err(|_| "the invite ticket is damaged (was it copied completely?)")?;
        serde_json::from_slice(&json)
            .map_err(|_| "the invite ticket is damaged (was it copied completely?)".to_string())
    }
}

/// An invite this device issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvite {
    pub secret: String,
    pub role: Role,
    pub expires: i64,
    pub created_by: String,
    pub used_by: Option<String>,
}

fn invites_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("invites.json")
}

pub fn load_invites(data_dir: &Path) -> Result<Vec<PendingInvite>, StoreError> {
    match std::fs::read(invites_path(data_dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::Corrupt(format!("invites.json: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(StoreError::io("reading invites.json", e)),
    }
}

pub fn save_invites(data_dir: &Path, invites: &[PendingInvite]) -> Result<(), StoreError> {
    let text = serde_json::to_string_pretty(invites).unwrap_or_default();
    super::identity::write_private(&invites_path(data_dir), &text)
}

/// Makes and records a one-time invite from this device (an admin) at
/// `inviter`, valid for `ttl_ms`.
pub fn create(
    store: &crate::store::Store,
    key: &iroh::SecretKey,
    access: &super::Access,
    inviter: EndpointAddr,
    role: Role,
    ttl_ms: i64,
) -> Result<Ticket, StoreError> {
    if !access.current().is_admin_device(&key.public().to_string()) {
        return Err(StoreError::Rejected(
            "only admins can invite; ask an admin of this workspace".into(),
        ));
    }
    let workspace = store.workspace()?;
    let secret = new_secret();
    let now = Stamp::now().millis();
    let expires = now + ttl_ms;
    let mut pending = load_invites(store.data_dir())?;
    pending.retain(|i| i.used_by.is_none() && i.expires > now);
    pending.push(PendingInvite {
        secret: secret.clone(),
        role,
        expires,
        created_by: store.member_id().to_string(),
        used_by: None,
    });
    save_invites(store.data_dir(), &pending)?;
    Ok(Ticket {
        workspace: workspace.id,
        workspace_name: workspace.name,
        root_doc: store.device().root_doc.clone(),
        founder: store.device().founder.clone().unwrap_or_default(),
        inviter,
        secret,
        role,
        expires,
    })
}

/// A fresh random secret, hex.
pub fn new_secret() -> String {
    data_encoding::HEXLOWER.encode(&rand::random::<[u8; 32]>())
}

/// Why a presented secret is refused, or the invite it redeems (marked used).
pub fn redeem(
    data_dir: &Path,
    secret: &str,
    joiner: &str,
    now: Stamp,
) -> Result<PendingInvite, String> {
    let mut invites = load_invites(data_dir).map_err(|e| e.to_string())?;
    let Some(invite) = invites.iter_mut().find(|i| i.secret == secret) else {
        return Err("this invite is not valid here (unknown or forged ticket)".into());
    };
    match &invite.used_by {
        // The same device again: its first join was interrupted; let it finish.
        Some(device) if device == joiner => return Ok(invite.clone()),
        Some(_) => return Err("this invite was already used; ask for a new one".into()),
        None => {}
    }
    if invite.expires < now.millis() {
        return Err(format!(
            "this invite expired at {}; ask for a new one",
            Stamp::from_millis(invite.expires)
        ));
    }
    invite.used_by = Some(joiner.to_string());
    let redeemed = invite.clone();
    save_invites(data_dir, &invites).map_err(|e| e.to_string())?;
    Ok(redeemed)
}

/// Parses "24h", "7d", "30m" into milliseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: i64 = number
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: use e.g. 30m, 24h or 7d"))?;
    let ms = match unit {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => {
            return Err(format!(
                "invalid duration {text:?}: use e.g. 30m, 24h or 7d"
            ));
        }
    };
    if n <= 0 || n > 365 * 24 * 60 {
        return Err(format!(
            "invalid duration {text:?}: must be positive and at most a year"
        ));
    }
    Ok(n * ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_roundtrip_and_damage_is_reported() {
        let key = iroh::SecretKey::generate();
        let ticket = Ticket {
            workspace: "ws".into(),
            workspace_name: "Acme".into(),
            root_doc: "doc".into(),
            founder: key.public().to_string(),
            inviter: EndpointAddr::new(key.public()),
            secret: new_secret(),
            role: Role::Member,
            expires: 1,
        };
        let text = ticket.encode();
        assert!(text.starts_with("bureau1"));
        assert_eq!(Ticket::decode(&text).unwrap(), ticket);
        assert!(Ticket::decode(&text[..text.len() - 5]).is_err());
        assert!(Ticket::decode("hello").is_err());
        assert_eq!(parse_duration("24h").unwrap(), 86_400_000);
        assert!(parse_duration("soon").is_err());
    }
}
