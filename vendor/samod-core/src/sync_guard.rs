//! Bureau patch 4: checks a peer's Automerge sync message before Automerge
//! sees it. automerge 0.12 trusts the Bloom filter parameters in a message:
//! a filter with entries but zero bits per entry divides by zero (a panic
//! that takes the document actor down), and a huge probe count makes it
//! allocate gigabytes. Both were found by Bureau's fuzzer. A message with
//! such a filter is refused like one that does not decode.
//!
//! The fuzzer also found crafted change/document bytes on which automerge's
//! column decoder (hexane) panics, and a 200-byte "bundle" chunk that makes
//! it allocate 2 GiB. [`receive`] and [`load_chunk`], which samod uses for
//! a peer's sync message and for stored chunks, refuse bundle chunks
//! (Automerge's sync never sends them and our storage never writes them)
//! and turn a panic inside Automerge into an error; Automerge parses bytes
//! before it changes the document, so the document is intact.

use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::sync;

/// Runs `f` (Automerge working on untrusted bytes), turning a panic into an
/// error naming `what`.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| format!("automerge panicked on {what}"))
}

/// Applies a peer's (decoded, checked) sync message to `doc`.
pub fn receive(
    doc: &mut automerge::Automerge,
    state: &mut sync::State,
    message: sync::Message,
) -> Result<(), String> {
    use automerge::sync::SyncDoc;
    for chunk in message.changes.iter() {
        check_chunks(chunk)?;
    }
    guarded("a peer's sync message", || doc.receive_sync_message(state, message))?
        .map_err(|e| e.to_string())
}

/// Loads stored chunk bytes into `doc` (as `load_incremental`).
pub fn load_chunk(doc: &mut automerge::Automerge, bytes: &[u8]) -> Result<usize, String> {
    check_chunks(bytes)?;
    guarded("a stored chunk", || doc.load_incremental(bytes))?.map_err(|e| e.to_string())
}

/// Automerge's chunk header: magic, checksum, then the chunk type.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const BUNDLE_CHUNK: u8 = 3;

/// Refuses bytes holding a bundle chunk. Walks the chunk headers only;
/// anything malformed is left to Automerge's own parser to refuse.
pub fn check_chunks(mut bytes: &[u8]) -> Result<(), String> {
    while bytes.len() > 9 && bytes[..4] == MAGIC {
        if bytes[8] == BUNDLE_CHUNK {
            return Err("bundle chunks are not accepted".into());
        }
        let mut rest = &bytes[9..];
        let Ok(len) = leb128::read::unsigned(&mut rest) else {
            return Ok(());
        };
        match usize::try_from(len).ok().and_then(|len| rest.get(len..)) {
            Some(next) => bytes = next,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Largest Bloom filter parameters accepted (automerge sends 10 bits per
/// entry and 7 probes; the format lets a sender choose others).
const MAX_BITS_PER_ENTRY: u64 = 1024;
const MAX_PROBES: u64 = 256;

/// Decodes a sync message and refuses Bloom filters Automerge cannot use.
pub fn decode(data: &[u8]) -> Result<sync::Message, String> {
    let message = sync::Message::decode(data).map_err(|e| e.to_string())?;
    check(&message)?;
    Ok(message)
}

/// Refuses a message whose Bloom filters Automerge cannot safely probe.
pub fn check(message: &sync::Message) -> Result<(), String> {
    for have in &message.have {
        let bytes = have.bloom.to_bytes();
        if bytes.is_empty() {
            continue; // an empty filter (no entries)
        }
        let mut input = bytes.as_slice();
        let mut next = || leb128::read::unsigned(&mut input).map_err(|e| e.to_string());
        let (entries, bits_per_entry, probes) = (next()?, next()?, next()?);
        if entries > 0
            && (bits_per_entry == 0
                || bits_per_entry > MAX_BITS_PER_ENTRY
                || probes == 0
                || probes > MAX_PROBES)
        {
            return Err(format!(
                "unusable Bloom filter ({entries} entries, {bits_per_entry} bits each, {probes} probes)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::SyncDoc;
    use automerge::{AutoCommit, ROOT, transaction::Transactable};

    #[test]
    fn real_messages_pass_and_a_zero_bit_filter_is_refused() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).unwrap();
        doc.commit();
        let mut state = sync::State::new();
        let message = doc.sync().generate_sync_message(&mut state).unwrap();
        assert!(check(&message).is_ok());

        // One entry, zero bits per entry, seven probes.
        let mut filter = Vec::new();
        for v in [1u64, 0, 7] {
            leb128::write::unsigned(&mut filter, v).unwrap();
        }
        let bloom = sync::BloomFilter::try_from(filter.as_slice()).unwrap();
        let mut bad = message.clone();
        bad.have = vec![sync::Have { last_sync: vec![], bloom }];
        assert!(check(&bad).is_err());
        assert!(decode(&bad.encode()).is_err());
    }
}
