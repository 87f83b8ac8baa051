//! The recovery kit: a second key that can sign membership changes like
//! an admin, so losing the only admin device does not lock the workspace.
//!
//! Its secret is 32 random bytes shown once as 24 words (BIP-39) for the
//! admin to write down; no device keeps it. The membership log records only
//! its public half ([`Action::SetRecoveryKey`]); it is no device, so it never
//! syncs and cannot be used to connect. `bureau recover` on any member's
//! device reads the words and signs "this device's member is an admin"
//! with it; that admin then invites a new laptop and removes the lost one.
//! A new kit (`bureau recovery-kit`) replaces the old one, which then stops
//! working.

use iroh::SecretKey;

use super::access::Access;
use super::membership::Action;
use super::workspace::change_membership;
use crate::model::Role;
use crate::store::{Store, StoreError};

/// Makes a new recovery kit, signed by `admin` (an admin device's key):
/// returns the 24 words to write down.
pub fn create_kit(store: &Store, admin: &SecretKey, access: &Access) -> Result<String, StoreError> {
    let secret: [u8; 32] = rand::random();
    let phrase = bip39::Mnemonic::from_entropy(&secret)
        .map_err(|e| StoreError::Rejected(format!("making the recovery phrase: {e}")))?
        .to_string();
    let key = SecretKey::from_bytes(&secret);
    change_membership(
        store,
        admin,
        access,
        Action::SetRecoveryKey {
            key: key.public().to_string(),
        },
    )?;
    Ok(phrase)
}

/// The key a recovery phrase stands for (any case and spacing; the
/// numbers `bureau` printed before each word may be copied along).
pub fn key_from_phrase(phrase: &str) -> Result<SecretKey, StoreError> {
    let words = phrase
        .split_whitespace()
        .filter(|w| !w.trim_end_matches('.').chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let mnemonic = bip39::Mnemonic::parse_normalized(&words).map_err(|e| {
        StoreError::Rejected(format!(
            "that is not a recovery phrase ({e}); type the 24 words in order"
        ))
    })?;
    let (entropy, len) = mnemonic.to_entropy_array();
    let secret: [u8; 32] = entropy[..len]
        .try_into()
        .map_err(|_| StoreError::Rejected("a Bureau recovery phrase has 24 words".into()))?;
    Ok(SecretKey::from_bytes(&secret))
}

/// Makes this device's member an admin with the recovery key `phrase`
/// stands for. Returns the member's name.
pub fn recover(store: &Store, access: &Access, phrase: &str) -> Result<String, StoreError> {
    let key = key_from_phrase(phrase)?;
    let membership = access.current();
    if membership.recovery_key.as_deref() != Some(key.public().to_string().as_str()) {
        return Err(StoreError::Rejected(
            "this phrase is not the recovery kit of this workspace (or a newer kit replaced it)"
                .into(),
        ));
    }
    let me = store.member_id().to_string();
    let name = membership
        .members
        .get(&me)
        .filter(|m| !m.removed)
        .map(|m| m.name.clone())
        .ok_or_else(|| {
            StoreError::Rejected(
                "this device is not a current member: recover on a member's device (the office peer, a colleague's laptop)".into(),
            )
        })?;
    change_membership(
        store,
        &key,
        access,
        Action::SetRole {
            member_id: me,
            role: Role::Admin,
        },
    )?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_reads_back_in_any_case_and_spacing_and_damage_is_refused() {
        let secret: [u8; 32] = std::array::from_fn(|i| (i * 37 + 11) as u8);
        let phrase = bip39::Mnemonic::from_entropy(&secret).unwrap().to_string();
        assert_eq!(phrase.split(' ').count(), 24);
        let sloppy = format!("  {}\n", phrase.to_uppercase().replace(' ', "   "));
        assert_eq!(key_from_phrase(&sloppy).unwrap().to_bytes(), secret);
        let numbered: Vec<String> = phrase
            .split(' ')
            .enumerate()
            .map(|(i, w)| format!("{:>2}. {w}", i + 1))
            .collect();
        assert_eq!(
            key_from_phrase(&numbered.join(" ")).unwrap().to_bytes(),
            secret
        );
        let words: Vec<&str> = phrase.split(' ').collect();
        let mut swapped = words.clone();
        swapped.swap(0, 1);
        assert!(
            key_from_phrase(&swapped.join(" ")).is_err(),
            "checksum catches a swap"
        );
        assert!(key_from_phrase(&words[..12].join(" ")).is_err());
        assert!(key_from_phrase("correct horse battery staple").is_err());
    }
}
