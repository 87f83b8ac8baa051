//! The conflicts inbox, kept up to date per document: after a change only
//! the records it touched are looked at again (the first look reads every
//! record's map once, noting only fields Automerge flags as conflicted).

use std::collections::BTreeMap;

use automerge::ChangeHash;

use crate::model::Area;
use crate::ops::conflicts::{Conflict, describe};
use crate::store::{ALL_KINDS, RecordConflicts, Result, Store};

/// Conflicted records per area, and the heads they were found at.
#[derive(Default)]
pub struct ConflictsCache {
    heads: BTreeMap<Area, Vec<ChangeHash>>,
    /// (kind, id) -> the record's conflicts.
    found: BTreeMap<(&'static str, String), RecordConflicts>,
}

impl ConflictsCache {
    /// Brings the cache up to date; returns whether anything changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        let mut changed = false;
        for area in Area::ALL {
            let kinds: Vec<&'static str> = ALL_KINDS
                .iter()
                .filter(|(_, a)| *a == area)
                .map(|(k, _)| *k)
                .collect();
            let old = self.heads.get(&area).cloned();
            let (heads, updates) = store.read(area, |doc| {
                let heads = doc.get_heads();
                if old.as_ref() == Some(&heads) {
                    return Ok((heads, None));
                }
                let touched = old
                    .as_deref()
                    .and_then(|old| super::cache::changed_records(doc, old));
                let mut updates = Vec::new();
                for kind in &kinds {
                    match &touched {
                        Some(by_kind) => {
                            let ids: Vec<String> = by_kind
                                .get(*kind)
                                .map(|ids| ids.iter().cloned().collect())
                                .unwrap_or_default();
                            if !ids.is_empty() {
                                let found = crate::store::conflicts_of(doc, kind, Some(&ids));
                                updates.push((*kind, Some(ids), found));
                            }
                        }
                        None => {
                            updates.push((*kind, None, crate::store::conflicts_of(doc, kind, None)))
                        }
                    }
                }
                Ok((heads, Some(updates)))
            })?;
            self.heads.insert(area, heads);
            for (kind, ids, found) in updates.into_iter().flatten() {
                let before = self.found.len();
                let had: Vec<RecordConflicts> = match &ids {
                    Some(ids) => ids
                        .iter()
                        .filter_map(|id| self.found.remove(&(kind, id.clone())))
                        .collect(),
                    None => {
                        let keys: Vec<_> = self
                            .found
                            .keys()
                            .filter(|(k, _)| *k == kind)
                            .cloned()
                            .collect();
                        keys.into_iter()
                            .filter_map(|key| self.found.remove(&key))
                            .collect()
                    }
                };
                changed |= !had.is_empty() || !found.is_empty() || before != self.found.len();
                for record in found {
                    self.found.insert((kind, record.id.clone()), record);
                }
            }
        }
        Ok(changed)
    }

    /// The conflicts in words.
    pub fn build(&self, store: &Store) -> Result<Vec<Conflict>> {
        let raw: Vec<RecordConflicts> = self.found.values().cloned().collect();
        describe(store, &raw)
    }
}
