//! Co-edited text: a change typed against one copy of a text, replayed on
//! the text as it is now. Two people editing notes at once each send what
//! *they* changed (as character splices); what someone else wrote in the
//! meantime stays. Positions are in Unicode scalar values, the unit
//! Automerge's text uses.

use similar::{DiffOp, TextDiff};

/// Replace `delete` characters at `at` with `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub at: usize,
    pub delete: usize,
    pub insert: String,
}

/// The splices that turn `current` into `current` with the change from
/// `before` to `after` made on it, in the order to apply them (last
/// position first, so earlier positions stay valid).
pub fn rebase(before: &str, after: &str, current: &str) -> Vec<Splice> {
    let after_chars: Vec<char> = after.chars().collect();
    let mine: Vec<(usize, usize, String)> = char_diff(before, after)
        .ops()
        .iter()
        .filter_map(|op| match *op {
            DiffOp::Equal { .. } => None,
            DiffOp::Delete {
                old_index, old_len, ..
            } => Some((old_index, old_len, String::new())),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => Some((
                old_index,
                0,
                after_chars[new_index..new_index + new_len].iter().collect(),
            )),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => Some((
                old_index,
                old_len,
                after_chars[new_index..new_index + new_len].iter().collect(),
            )),
        })
        .collect();
    let theirs: Vec<DiffOp> = if before == current {
        Vec::new()
    } else {
        char_diff(before, current).ops().to_vec()
    };
    let map = |p: usize| {
        if theirs.is_empty() {
            p
        } else {
            map_position(&theirs, p)
        }
    };
    let mut out: Vec<Splice> = mine
        .into_iter()
        .map(|(at, delete, insert)| {
            let start = map(at);
            let end = map(at + delete).max(start);
            Splice {
                at: start,
                delete: end - start,
                insert,
            }
        })
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.at));
    out
}

/// How long a diff may take before it settles for a coarser answer (two
/// texts with nothing in common, a huge file): still correct, just less
/// fine-grained, and never a frozen app.
const DIFF_TIME: std::time::Duration = std::time::Duration::from_millis(500);

fn char_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    TextDiff::configure()
        .timeout(DIFF_TIME)
        .diff_chars(old, new)
}

/// Where position `p` of the old text is in the new one, given the diff
/// between them. Inside text that was replaced, the position goes to the
/// start of what replaced it (the end, for its last position).
fn map_position(ops: &[DiffOp], p: usize) -> usize {
    for op in ops {
        let (old, old_len, new, new_len) = match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (old_index, len, new_index, len),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_len, new_index, 0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len),
        };
        if p < old || p > old + old_len {
            continue;
        }
        return match op {
            DiffOp::Equal { .. } => new + (p - old),
            // Their insertion at my position: mine goes after theirs.
            DiffOp::Insert { .. } => new + new_len,
            _ if p == old + old_len => new + new_len,
            _ => new,
        };
    }
    // Past the end of every range (cannot happen: the ranges cover the
    // old text, both ends included).
    p
}

/// `text` with `splices` applied (for checks and previews).
pub fn apply(text: &str, splices: &[Splice]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for s in splices {
        let at = s.at.min(chars.len());
        let end = (at + s.delete).min(chars.len());
        chars.splice(at..end, s.insert.chars());
    }
    chars.into_iter().collect()
}

/// JSON form of Automerge text: a plain string.
pub mod text_serde {
    use autosurgeon::Text;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(text: &Text, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(text.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        Ok(Text::with_value(String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_change_on_an_unchanged_text_gives_exactly_what_i_typed() {
        let before = "Agenda: budget, café move";
        let after = "Agenda: budget review, café move, hiring";
        assert_eq!(apply(before, &rebase(before, after, before)), after);
    }

    #[test]
    fn both_people_keep_their_words() {
        let before = "Notes:\nbudget ok\n";
        let mine = "Notes:\nbudget ok\nAna: order chairs\n";
        let theirs = "Notes — Tuesday:\nbudget ok\n";
        let merged = apply(theirs, &rebase(before, mine, theirs));
        assert_eq!(merged, "Notes — Tuesday:\nbudget ok\nAna: order chairs\n");
    }

    #[test]
    fn a_deletion_of_text_someone_else_changed_deletes_only_what_i_saw() {
        let before = "one two three";
        let mine = "one three";
        let theirs = "ONE two three four";
        let merged = apply(theirs, &rebase(before, mine, theirs));
        assert_eq!(merged, "ONE three four");
    }
}
