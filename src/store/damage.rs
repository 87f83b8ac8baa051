//! What a damaged file hides: documents missing changes (a chunk was set
//! aside), whose later changes wait, hidden, until a peer supplies them.
//! Said on every open until repaired.

use automerge::ReadDoc;

use super::Store;

impl Store {
    /// Documents (among those loaded) that cannot show all they hold: some
    /// of their changes are missing (a damaged file was set aside), so the
    /// changes made after those wait, hidden, until a peer supplies them.
    /// Said on every open until repaired.
    pub fn damage(&self) -> Vec<Damage> {
        self.docs
            .loaded()
            .into_iter()
            .filter_map(|(area, handle)| {
                let missing = handle.with_document(|d| d.get_missing_deps(&[]).len());
                (missing > 0).then_some(Damage {
                    area: area.name(),
                    missing_changes: missing,
                })
            })
            .collect()
    }
}

/// A document with changes missing (see [`Store::damage`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Damage {
    /// The area the document holds ("tasks", "inventory", …).
    pub area: &'static str,
    /// Changes it knows of but does not have.
    pub missing_changes: usize,
}

impl Damage {
    /// One line saying what is hidden and how it comes back.
    pub fn describe(&self) -> String {
        format!(
            "the {} document is missing {} change(s) (a damaged file was set aside), so the changes made after them are hidden; they come back when a peer that has them syncs (`bureau sync`)",
            self.area, self.missing_changes
        )
    }
}
