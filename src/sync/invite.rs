//! Invite tickets: one-time, expiring, carrying everything a new device
//! needs to find the inviter and prove it was invited.
//!
//! A ticket is `bureau2` followed by base32 of a postcard-encoded record:
//! workspace id and name, root document, founder key (the joiner's trust
//! anchor), the inviter's endpoint address (only addresses another machine
//! can use: no loopback or link-local ones unless there is nothing else), a
//! 16-byte random secret, the role offered and the expiry. About 300
//! characters, in a character set QR codes store compactly, so the code on
//! screen stays readable. The inviter keeps its pending invites in
//! `invites.json` (mode 0600) and accepts each secret once, before it
//! expires.

use std::path::Path;

use iroh::{EndpointAddr, PublicKey, TransportAddr};
use serde::{Deserialize, Serialize};

use crate::model::{Role, Stamp};
use crate::store::StoreError;

/// What every ticket starts with.
pub const PREFIX: &str = "bureau2";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub workspace: String,
    pub workspace_name: String,
    pub root_doc: String,
    pub founder: PublicKey,
    pub inviter: EndpointAddr,
    pub secret: String,
    pub role: Role,
    /// Expiry, milliseconds since the epoch.
    pub expires: i64,
}

/// A ticket as it travels: ids as the bytes they stand for.
#[derive(Serialize, Deserialize)]
struct Wire {
    workspace: Packed,
    workspace_name: String,
    root_doc: Packed,
    founder: PublicKey,
    inviter: EndpointAddr,
    secret: Packed,
    role: Role,
    expires: i64,
}

/// An id in its shortest form, restored to the same text on arrival.
#[derive(Serialize, Deserialize)]
enum Packed {
    Text(String),
    Uuid([u8; 16]),
    Hex(Vec<u8>),
    /// A document id (bs58 with a checksum as text).
    Document(Vec<u8>),
}

impl Packed {
    fn uuid(text: &str) -> Packed {
        uuid::Uuid::parse_str(text)
            .ok()
            .filter(|u| u.hyphenated().to_string() == text)
            .map_or_else(
                || Packed::Text(text.into()),
                |u| Packed::Uuid(*u.as_bytes()),
            )
    }

    fn hex(text: &str) -> Packed {
        data_encoding::HEXLOWER
            .decode(text.as_bytes())
            .map_or_else(|_| Packed::Text(text.into()), Packed::Hex)
    }

    fn document(text: &str) -> Packed {
        text.parse::<samod::DocumentId>()
            .ok()
            .filter(|d| d.to_string() == text)
            .map_or_else(
                || Packed::Text(text.into()),
                |d| Packed::Document(d.as_bytes().to_vec()),
            )
    }

    fn unpack(self) -> Result<String, String> {
        Ok(match self {
            Packed::Text(text) => text,
            Packed::Uuid(bytes) => uuid::Uuid::from_bytes(bytes).hyphenated().to_string(),
            Packed::Hex(bytes) => data_encoding::HEXLOWER.encode(&bytes),
            Packed::Document(bytes) => samod::DocumentId::try_from(bytes)
                .map_err(|_| "bad document id".to_string())?
                .to_string(),
        })
    }
}

impl Ticket {
    pub fn encode(&self) -> String {
        let wire = Wire {
            workspace: Packed::uuid(&self.workspace),
            workspace_name: self.workspace_name.clone(),
            root_doc: Packed::document(&self.root_doc),
            founder: self.founder,
            inviter: self.inviter.clone(),
            secret: Packed::hex(&self.secret),
            role: self.role,
            expires: self.expires,
        };
        let bytes = postcard::to_stdvec(&wire).unwrap_or_default();
        format!("{PREFIX}{}", data_encoding::BASE32_NOPAD.encode(&bytes)).to_ascii_lowercase()
    }

    /// Reads a ticket typed, pasted or scanned (any case, spaces and line
    /// breaks ignored).
    pub fn decode(text: &str) -> Result<Ticket, String> {
        let text: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let body = text
            .strip_prefix(&PREFIX.to_ascii_uppercase())
            .ok_or("this is not a Bureau invite ticket (it should start with \"bureau2\")")?;
        let damaged = || "the invite ticket is damaged (was it copied completely?)".to_string();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(body.as_bytes())
            .map_err(|_| damaged())?;
        let wire: Wire = postcard::from_bytes(&bytes).map_err(|_| damaged())?;
        Ok(Ticket {
            workspace: wire.workspace.unpack().map_err(|_| damaged())?,
            workspace_name: wire.workspace_name,
            root_doc: wire.root_doc.unpack().map_err(|_| damaged())?,
            founder: wire.founder,
            inviter: wire.inviter,
            secret: wire.secret.unpack().map_err(|_| damaged())?,
            role: wire.role,
            expires: wire.expires,
        })
    }

    /// Whether `text` looks like a ticket (for forms, before decoding).
    pub fn looks_like(text: &str) -> bool {
        text.trim()
            .get(..PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
    }
}

/// The part of `addr` worth giving another machine: relays and addresses
/// it can reach. Loopback, link-local and unspecified IPs are left out
/// unless they are all there is (a device listening on loopback only, as in
/// tests on one machine).
pub fn shareable(addr: &EndpointAddr) -> EndpointAddr {
    let local_only = |a: &TransportAddr| match a {
        TransportAddr::Ip(ip) => {
            let ip = ip.ip();
            ip.is_loopback()
                || ip.is_unspecified()
                || match ip {
                    std::net::IpAddr::V4(v4) => v4.is_link_local(),
                    std::net::IpAddr::V6(v6) => v6.is_unicast_link_local(),
                }
        }
        _ => false,
    };
    if addr.addrs.iter().all(local_only) {
        return addr.clone();
    }
    let mut out = EndpointAddr::new(addr.id);
    out.addrs = addr
        .addrs
        .iter()
        .filter(|a| !local_only(a))
        .cloned()
        .collect();
    out
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
    let founder = store
        .device()
        .founder
        .as_deref()
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| StoreError::Corrupt("device.json has no founder key".into()))?;
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
        founder,
        inviter: shareable(&inviter),
        secret,
        role,
        expires,
    })
}

/// A fresh random secret (128 bits), hex.
pub fn new_secret() -> String {
    data_encoding::HEXLOWER.encode(&rand::random::<[u8; 16]>())
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

    fn ticket(inviter: EndpointAddr) -> Ticket {
        let key = iroh::SecretKey::generate();
        Ticket {
            workspace: crate::model::new_id(),
            workspace_name: "Acme Office".into(),
            root_doc: "3KZs4SwJNun9ZHXX1sruiwBDt3tE".into(),
            founder: key.public(),
            inviter,
            secret: new_secret(),
            role: Role::Member,
            expires: 1_800_000_000_000,
        }
    }

    #[test]
    fn tickets_roundtrip_in_any_case_and_damage_is_reported() {
        let key = iroh::SecretKey::generate();
        let ticket = ticket(EndpointAddr::new(key.public()));
        let text = ticket.encode();
        assert!(text.starts_with("bureau2") && Ticket::looks_like(&text));
        assert_eq!(Ticket::decode(&text).unwrap(), ticket);
        // Scanned from a QR code (upper case) or wrapped by a mail client.
        let scanned = text.to_ascii_uppercase();
        let wrapped = format!("{}\n  {}", &text[..40], &text[40..]);
        assert_eq!(Ticket::decode(&scanned).unwrap(), ticket);
        assert_eq!(Ticket::decode(&wrapped).unwrap(), ticket);
        assert!(Ticket::decode(&text[..text.len() - 5]).is_err());
        assert!(Ticket::decode("hello").is_err());
        assert_eq!(parse_duration("24h").unwrap(), 86_400_000);
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn a_ticket_for_another_machine_is_short_and_has_no_loopback_address() {
        let key = iroh::SecretKey::generate();
        let mut addr = EndpointAddr::new(key.public());
        for a in [
            "127.0.0.1:4433",
            "[::1]:4433",
            "[fe80::1]:4433",
            "192.168.1.20:4433",
            "[2001:db8::7]:4433",
        ] {
            addr.addrs.insert(TransportAddr::Ip(a.parse().unwrap()));
        }
        addr.addrs.insert(TransportAddr::Relay(
            "https://relay.acme.example./".parse().unwrap(),
        ));
        let shared = shareable(&addr);
        let kept: Vec<String> = shared.ip_addrs().map(|a| a.to_string()).collect();
        assert_eq!(kept, ["192.168.1.20:4433", "[2001:db8::7]:4433"]);
        assert_eq!(shared.relay_urls().count(), 1);
        let text = ticket(shared).encode();
        assert!(
            text.len() <= 340,
            "ticket of {} characters: {text}",
            text.len()
        );
        // Upper case is what QR codes store in their compact alphanumeric mode.
        #[cfg(feature = "gui")]
        {
            let code = qrcode::QrCode::new(text.to_ascii_uppercase().as_bytes()).unwrap();
            assert!(code.width() <= 65, "QR code of {} modules", code.width());
        }

        // A device listening on loopback only keeps it (tests on one machine).
        let mut local = EndpointAddr::new(key.public());
        local
            .addrs
            .insert(TransportAddr::Ip("127.0.0.1:4433".parse().unwrap()));
        assert_eq!(shareable(&local), local);
    }
}
