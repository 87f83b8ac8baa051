//! Bureau patches 5 and 6: what a repo carries from one connection, or one
//! process, to the next.
//!
//! **Sync states across reconnects (patch 5).** Upstream starts every
//! connection with a fresh `sync::State`, so the first message of every
//! reconnect carries a Bloom filter of *every* change in the document and
//! the exchange costs bytes proportional to the document. Automerge's own
//! answer is to keep the state's `shared_heads` between sessions
//! (`State::encode`/`decode`). A document actor now remembers, when a
//! connection closes, the heads it shared with that peer, and starts the
//! next connection with that peer from them; the embedding application can
//! seed the table at start-up from what it recorded in an earlier run
//! ([`remember_shared_heads`]). Heads the peer turns out not to have are
//! harmless: Automerge answers them with a reset and a full exchange.
//!
//! **Preloaded documents (patch 6).** An application that received a whole
//! document, verified it and put its bytes in storage itself can hand the
//! loaded document to the repo ([`preload`]), so the document actor starts
//! from it instead of decoding the same bytes from storage a second time.
//! Storage chunks other than the ones named are still loaded on top.
//!
//! Both tables are keyed by the local peer id, so several repos in one
//! process (tests) never see each other's entries.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use automerge::{Automerge, ChangeHash};

use crate::{DocumentId, PeerId, StorageKey};

type SharedKey = (PeerId, PeerId, DocumentId);

fn shared() -> &'static Mutex<HashMap<SharedKey, Vec<ChangeHash>>> {
    static TABLE: OnceLock<Mutex<HashMap<SharedKey, Vec<ChangeHash>>>> = OnceLock::new();
    TABLE.get_or_init(Mutex::default)
}

/// A document handed to the repo with the storage keys it stands for.
pub(crate) struct Preloaded {
    pub(crate) doc: Automerge,
    /// The storage chunks it was loaded from, with their sizes.
    pub(crate) keys: Vec<(StorageKey, usize)>,
}

fn preloaded() -> &'static Mutex<HashMap<(PeerId, DocumentId), Preloaded>> {
    static TABLE: OnceLock<Mutex<HashMap<(PeerId, DocumentId), Preloaded>>> = OnceLock::new();
    TABLE.get_or_init(Mutex::default)
}

/// Records that `local` and `remote` last shared `heads` of `document`; the
/// next connection between them starts from there. Empty heads forget.
pub fn remember_shared_heads(
    local: &PeerId,
    remote: &PeerId,
    document: &DocumentId,
    heads: Vec<ChangeHash>,
) {
    let key = (local.clone(), remote.clone(), document.clone());
    let mut table = shared().lock().unwrap_or_else(|p| p.into_inner());
    if heads.is_empty() {
        table.remove(&key);
    } else {
        table.insert(key, heads);
    }
}

/// The heads `local` last shared with `remote` for `document`, if known.
pub fn shared_heads(local: &PeerId, remote: &PeerId, document: &DocumentId) -> Vec<ChangeHash> {
    shared()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&(local.clone(), remote.clone(), document.clone()))
        .cloned()
        .unwrap_or_default()
}

/// Hands `doc`, already loaded and verified, to the repo of `local`: the
/// actor that next opens `document` starts from it, and does not load the
/// storage chunks `keys` (each with its size in bytes) again, nor writes
/// what they hold again: their bytes must be what `doc` was loaded from.
pub fn preload(
    local: &PeerId,
    document: &DocumentId,
    doc: Automerge,
    keys: Vec<(StorageKey, usize)>,
) {
    preloaded()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert((local.clone(), document.clone()), Preloaded { doc, keys });
}

/// Takes the document preloaded for `local` and `document`, if any.
pub(crate) fn take_preloaded(local: &PeerId, document: &DocumentId) -> Option<Preloaded> {
    preloaded()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&(local.clone(), document.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_heads_are_kept_per_pair_and_document() {
        let (a, b) = (PeerId::from("a"), PeerId::from("b"));
        let doc = DocumentId::new(&mut rand::rng());
        let hash = ChangeHash([7; 32]);
        remember_shared_heads(&a, &b, &doc, vec![hash]);
        assert_eq!(shared_heads(&a, &b, &doc), vec![hash]);
        assert!(shared_heads(&b, &a, &doc).is_empty());
        remember_shared_heads(&a, &b, &doc, Vec::new());
        assert!(shared_heads(&a, &b, &doc).is_empty());
    }
}
