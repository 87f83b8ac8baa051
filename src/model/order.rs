//! Sortable keys for orders people set by hand (cards in a board column):
//! strings over `a`–`z` compared as text, where a key can always be made
//! between any two others ("fractional indexing"). Two people reordering
//! offline each write only the keys of the cards they moved, so both moves
//! survive a merge; equal keys fall back to the record id.

const DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

fn digit(c: u8) -> usize {
    DIGITS.iter().position(|d| *d == c).unwrap_or(0)
}

/// A key strictly between `lo` and `hi` (`None`: no bound on that side).
/// Keys never end in `a`, so one always fits.
pub fn between(lo: Option<&str>, hi: Option<&str>) -> String {
    let lo = lo.unwrap_or("").as_bytes();
    let hi = hi.map(str::as_bytes);
    match hi {
        Some(hi) if hi <= lo => {
            // Out of order (a concurrent move): just go after `lo`.
            midpoint(lo, None)
        }
        _ => midpoint(lo, hi),
    }
}

fn midpoint(lo: &[u8], hi: Option<&[u8]>) -> String {
    // Keep the common prefix.
    if let Some(hi) = hi {
        let mut n = 0;
        while n < hi.len() && lo.get(n).copied().unwrap_or(b'a') == hi[n] {
            n += 1;
        }
        if n > 0 {
            let prefix = String::from_utf8_lossy(&hi[..n]).to_string();
            let rest_lo = if n < lo.len() { &lo[n..] } else { &[][..] };
            return prefix + &midpoint(rest_lo, Some(&hi[n..]));
        }
    }
    let low = lo.first().map_or(0, |c| digit(*c));
    let high = hi
        .and_then(|h| h.first())
        .map_or(DIGITS.len(), |c| digit(*c));
    if high > low + 1 {
        return (DIGITS[(low + high).div_ceil(2)] as char).to_string();
    }
    // Adjacent digits: take `lo`'s digit and go deeper after the rest of `lo`.
    match hi {
        Some(h) if h.len() > 1 => String::from_utf8_lossy(&h[..1]).to_string(),
        _ => {
            let rest = if lo.len() > 1 { &lo[1..] } else { &[][..] };
            (DIGITS[low] as char).to_string() + &midpoint(rest, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::between;

    #[test]
    fn a_key_always_fits_between_two_others() {
        let mut keys = vec![between(None, None)];
        // Keep inserting at the front, the back and the middle.
        for i in 0..200 {
            let k = match i % 3 {
                0 => between(None, Some(&keys[0])),
                1 => between(keys.last().map(String::as_str), None),
                _ => {
                    let m = keys.len() / 2;
                    between(Some(&keys[m - 1]), Some(&keys[m]))
                }
            };
            keys.push(k);
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), i + 2, "every key is new");
        }
        assert!(keys.iter().all(|k| !k.ends_with('a')));
        assert!(between(Some("b"), Some("c")).as_str() > "b");
        assert!(between(Some("b"), Some("c")).as_str() < "c");
    }
}
