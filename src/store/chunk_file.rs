//! The chunk file format: `BURC` magic, payload length (u64 LE), CRC-32 of
//! the payload, then the payload, so a torn or flipped file is detected
//! before Automerge sees it. Reading refuses files over [`MAX_CHUNK_BYTES`].

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

const MAGIC: &[u8; 4] = b"BURC";
pub(crate) const HEADER_LEN: usize = 4 + 8 + 4;
/// Refuse to read chunk files larger than this (a corrupt length field must
/// never make us allocate gigabytes).
pub const MAX_CHUNK_BYTES: u64 = 1 << 30;

/// Why a chunk file could not be used.
#[derive(Debug)]
pub enum ChunkError {
    Io(io::Error),
    Corrupt(String),
}

/// Frames a payload: magic, length, CRC-32, payload.
pub fn frame(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// Checks a framed chunk and returns its payload.
pub fn unframe(bytes: &[u8]) -> Result<&[u8], String> {
    if bytes.len() < HEADER_LEN {
        return Err(format!("truncated header ({} bytes)", bytes.len()));
    }
    if &bytes[..4] != MAGIC {
        return Err("not a Bureau chunk (bad magic)".into());
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[4..12]);
    let len = u64::from_le_bytes(len_bytes);
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != len {
        return Err(format!(
            "length mismatch: header says {len} bytes, file has {}",
            payload.len()
        ));
    }
    let mut crc_bytes = [0u8; 4];
    crc_bytes.copy_from_slice(&bytes[12..16]);
    if crc32fast::hash(payload) != u32::from_le_bytes(crc_bytes) {
        return Err("checksum mismatch".into());
    }
    Ok(payload)
}

pub(crate) fn read_chunk(path: &Path) -> Result<Vec<u8>, ChunkError> {
    let file = File::open(path).map_err(ChunkError::Io)?;
    let len = file.metadata().map_err(ChunkError::Io)?.len();
    if len > MAX_CHUNK_BYTES {
        return Err(ChunkError::Corrupt(format!("file too large ({len} bytes)")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_CHUNK_BYTES)
        .read_to_end(&mut bytes)
        .map_err(ChunkError::Io)?;
    let payload = unframe(&bytes).map_err(ChunkError::Corrupt)?;
    Ok(payload.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_roundtrip_and_detects_damage() {
        let framed = frame(b"hello automerge");
        assert_eq!(unframe(&framed).unwrap(), b"hello automerge");
        assert!(unframe(&framed[..framed.len() - 1]).is_err());
        let mut flipped = framed.clone();
        flipped[20] ^= 0x40;
        assert!(unframe(&flipped).is_err());
        assert!(unframe(b"BUR").is_err());
    }
}
