//! The Docs part of the view model: documents by title, rebuilt when the
//! Docs document changes, and the open document's text with its versions
//! ([`BodyView`]), loaded only while it is open.

use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use crate::model::{Date, Doc, Record};
use crate::store::{BodyVersion, Result, Store, Unreadable};

#[derive(Debug, Clone, Default)]
pub struct DocsView {
    /// Live documents by title.
    pub docs: Arc<Vec<Arc<Doc>>>,
}

impl DocsView {
    pub fn doc(&self, id: &str) -> Option<&Arc<Doc>> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// Documents due for review on `today`, most overdue first.
    pub fn review_due(&self, today: Date) -> Vec<&Arc<Doc>> {
        let mut due: Vec<&Arc<Doc>> = self.docs.iter().filter(|d| d.review_due(today)).collect();
        due.sort_by_key(|d| (d.review_date, d.title.to_lowercase()));
        due
    }
}

/// The open document's text and every version of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyView {
    /// The document record's id.
    pub doc: String,
    pub text: String,
    /// Oldest first.
    pub versions: Vec<BodyVersion>,
    /// Why the text is not here (it has not reached this machine yet).
    pub unavailable: Option<String>,
    /// The body document's heads this was read at.
    pub heads: Vec<String>,
    /// Two versions compared (History), when asked for.
    pub diff: Option<VersionDiff>,
}

/// The lines of two versions: `+` added, `-` removed, ` ` the same.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VersionDiff {
    /// The version numbers compared (oldest is 1; 0 is the empty text).
    pub compared: (usize, usize),
    pub lines: Vec<(char, String)>,
}

/// One row of a folded comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffRow<'a> {
    /// `+` added, `-` removed, ` ` the same (near a change).
    Line(char, &'a str),
    /// This many lines the same, not shown.
    Same(usize),
}

impl VersionDiff {
    /// Whether the two versions read the same.
    pub fn is_same(&self) -> bool {
        self.lines.iter().all(|(tag, _)| *tag == ' ')
    }

    /// The changed lines with `context` lines around each; runs of lines
    /// further from any change folded into one [`DiffRow::Same`].
    pub fn folded(&self, context: usize) -> Vec<DiffRow<'_>> {
        let changed: Vec<bool> = self.lines.iter().map(|(tag, _)| *tag != ' ').collect();
        let mut out = Vec::new();
        let mut same = 0;
        for (i, (tag, line)) in self.lines.iter().enumerate() {
            let from = i.saturating_sub(context);
            let to = (i + context + 1).min(self.lines.len());
            if changed[from..to].iter().any(|c| *c) {
                if same > 0 {
                    out.push(DiffRow::Same(same));
                    same = 0;
                }
                out.push(DiffRow::Line(*tag, line));
            } else {
                same += 1;
            }
        }
        if same > 0 {
            out.push(DiffRow::Same(same));
        }
        out
    }
}

/// Compares versions `from` and `to` (numbers, oldest is 1) of `doc`'s text.
pub fn version_diff(store: &Store, doc: &Doc, from: usize, to: usize) -> Result<VersionDiff> {
    let versions = store.body_versions(&doc.body_doc)?;
    let text = |n: usize| -> Result<String> {
        match n.checked_sub(1).and_then(|i| versions.get(i)) {
            Some(v) => store.body_text_at(&doc.body_doc, &v.hash),
            None if n == 0 => Ok(String::new()),
            None => Err(crate::store::StoreError::Rejected(format!(
                "no version {n}: the versions are 1 to {}",
                versions.len()
            ))),
        }
    };
    let (old, new) = (text(from)?, text(to)?);
    let lines = similar::TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .map(|c| {
            let tag = match c.tag() {
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Equal => ' ',
            };
            (tag, c.value().trim_end_matches('\n').to_string())
        })
        .collect();
    Ok(VersionDiff {
        compared: (from, to),
        lines,
    })
}

/// Reads the text and versions of `doc`'s body.
pub fn body_view(store: &Store, doc: &Doc) -> BodyView {
    let read = || -> Result<(String, Vec<BodyVersion>)> {
        if doc.body_doc.is_empty() {
            return Ok((String::new(), Vec::new()));
        }
        Ok((
            store.body_text(&doc.body_doc)?,
            store.body_versions(&doc.body_doc)?,
        ))
    };
    match read() {
        Ok((text, versions)) => BodyView {
            doc: doc.id.clone(),
            text,
            heads: store.body_heads(&doc.body_doc),
            versions,
            unavailable: None,
            diff: None,
        },
        Err(e) => BodyView {
            doc: doc.id.clone(),
            unavailable: Some(e.to_string()),
            ..Default::default()
        },
    }
}

fn read(doc: &Automerge, obj: &ObjId) -> Result<Doc> {
    crate::store::read_record_at(doc, obj)
}

pub struct DocsCaches {
    docs: RecordCache<Doc>,
}

impl Default for DocsCaches {
    fn default() -> Self {
        DocsCaches {
            docs: RecordCache::new(Doc::KIND, Doc::AREA, read).on_one_thread(),
        }
    }
}

impl DocsCaches {
    /// Brings the cache up to date; says whether anything changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        self.docs.refresh(store)
    }

    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.docs.unreadable()
    }

    pub fn build(&self) -> DocsView {
        let mut docs = self.docs.records();
        docs.sort_by(|a, b| (a.title.to_lowercase(), &a.id).cmp(&(b.title.to_lowercase(), &b.id)));
        DocsView {
            docs: Arc::new(docs),
        }
    }
}
