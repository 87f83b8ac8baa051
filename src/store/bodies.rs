//! Body documents: a long co-edited text (an SOP's body) kept in an
//! Automerge document of its own, so opening the workspace, or a
//! `bureau task add`, never loads it. A body is loaded when it is opened,
//! and [`Store::fetch_bodies`] loads every body the records name in the
//! background after sync, so each is on this machine for the next outage.
//!
//! Each change of a body is one version: who, when, from which device
//! ([`ChangeMeta`]); the text as it stood after any version can be read
//! back, to compare two or to restore one as a new change.

use automerge::transaction::{CommitOptions, Transactable, Transaction};
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, Value};
use samod::DocHandle;

use super::history::ChangeMeta;
use super::{Result, Store, StoreError};
use crate::model::{Doc, Stamp};

/// The key of the text object in a body document.
const BODY: &str = "body";

/// One version of a body: the change that made it.
pub type BodyVersion = ChangeMeta;

/// What [`Store::fetch_bodies`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchedBodies {
    /// Loaded now (from disk or from a peer).
    pub loaded: usize,
    /// Named by a record but neither here nor with a connected peer.
    pub missing: usize,
}

impl Store {
    /// Creates a body document holding `text`; returns its id.
    pub fn create_body(&self, text: &str) -> Result<String> {
        let mut doc = Automerge::new();
        doc.set_author(Some(automerge::Author::from(
            self.member_id().as_bytes().to_vec(),
        )));
        doc.set_actor(self.actor.clone());
        let at = Stamp::now();
        let mut tx = doc.transaction();
        tx.put(ROOT, "kind", "body")?;
        let obj = tx.put_object(ROOT, BODY, ObjType::Text)?;
        tx.splice_text(&obj, 0, 0, text)?;
        tx.commit_with(
            CommitOptions::default()
                .with_message("write the first version")
                .with_time(at.millis() / 1000),
        );
        let handle = self.docs.runtime().block_on(self.repo().create(doc))?;
        self.docs.add_body(handle.clone());
        Ok(handle.document_id().to_string())
    }

    /// Keeps `doc` as a standalone document: stored, synced and sent to a
    /// joiner like a body, though no record names it (`bench sync --shape
    /// anchor` measures sync on a document of its own shape this way).
    pub fn create_standalone(&self, doc: Automerge) -> Result<DocHandle> {
        let handle = self.docs.runtime().block_on(self.repo().create(doc))?;
        self.docs.add_body(handle.clone());
        Ok(handle)
    }

    /// The standalone (or body) document `id`, from here or a peer.
    pub fn standalone(&self, id: &str) -> Result<DocHandle> {
        self.body_document(id)
    }

    /// Body documents loaded so far (to watch their changes).
    pub fn loaded_bodies(&self) -> Vec<DocHandle> {
        self.docs.bodies()
    }

    /// Changes whenever another document is loaded: a body, or the new
    /// live document of an area after a yearly archive.
    pub fn watch_documents(&self) -> tokio::sync::watch::Receiver<usize> {
        self.docs.watch_added()
    }

    /// Whether body `id` is loaded in this process (for tests and figures).
    pub fn is_body_loaded(&self, id: &str) -> bool {
        self.docs.loaded_body(id).is_some()
    }

    /// The heads of body `id` if it is loaded (what a view was read at).
    pub fn body_heads(&self, id: &str) -> Vec<String> {
        self.docs
            .loaded_body(id)
            .map(|h| {
                h.with_document(|d| d.get_heads())
                    .iter()
                    .map(|h| h.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The body document `id`, loaded on first use; a clear error while it
    /// has not reached this machine.
    pub(crate) fn body_document(&self, id: &str) -> Result<DocHandle> {
        if id.is_empty() {
            return Err(StoreError::Rejected("this document has no text yet".into()));
        }
        self.docs.body(id)?.ok_or_else(|| {
            StoreError::Rejected(
                "the text of this document has not reached this machine yet: it arrives \
                 the next time you sync with a teammate who has it"
                    .into(),
            )
        })
    }

    /// The text of body `id` as it is now.
    pub fn body_text(&self, id: &str) -> Result<String> {
        self.body_document(id)?
            .with_document(|doc| Ok(body_obj(doc)?.map(|o| doc.text(&o)).transpose()?))
            .map(Option::unwrap_or_default)
    }

    /// The text of document `doc` as it is now: empty for a document that
    /// has no body yet (an imported record, until its first edit).
    pub fn doc_text(&self, doc: &Doc) -> Result<String> {
        if doc.body_doc.is_empty() {
            return Ok(String::new());
        }
        self.body_text(&doc.body_doc)
    }

    /// Changes the text of body `id` in one commit (`f` gets the text
    /// object, created if a peer's first version has not arrived).
    pub fn change_body<T>(
        &self,
        id: &str,
        action: &str,
        f: impl FnOnce(&mut Transaction<'_>, &ObjId) -> Result<T>,
    ) -> Result<T> {
        let handle = self.body_document(id)?;
        self.change_document(&handle, action, |tx, _| {
            let text = match body_obj(&*tx)? {
                Some(obj) => obj,
                None => tx.put_object(ROOT, BODY, ObjType::Text)?,
            };
            f(tx, &text)
        })
    }

    /// Every version of body `id`, oldest first.
    pub fn body_versions(&self, id: &str) -> Result<Vec<BodyVersion>> {
        Ok(self.body_document(id)?.with_document(|doc| {
            doc.get_changes_meta(&[])
                .iter()
                .map(ChangeMeta::of_meta)
                .collect()
        }))
    }

    /// The text of body `id` as it stood right after version `hash`.
    pub fn body_text_at(&self, id: &str, hash: &str) -> Result<String> {
        let hash: ChangeHash = hash
            .parse()
            .map_err(|_| StoreError::Rejected(format!("{hash:?} is not a version")))?;
        self.body_document(id)?.with_document(|doc| {
            if doc.get_change_by_hash(&hash).is_none() {
                return Err(StoreError::Rejected(
                    "no such version of this document".into(),
                ));
            }
            let heads = [hash];
            match doc.get_at(ROOT, BODY, &heads)? {
                Some((Value::Object(ObjType::Text), obj)) => Ok(doc.text_at(&obj, &heads)?),
                _ => Ok(String::new()),
            }
        })
    }

    /// Loads every body a document record names that is not loaded yet:
    /// from disk, or from connected peers (which samod then keeps in sync).
    /// Blocks: call from a background thread.
    pub fn fetch_bodies(&self) -> Result<FetchedBodies> {
        let mut done = FetchedBodies::default();
        for doc in self.list::<Doc>(true)? {
            if doc.body_doc.is_empty() || self.is_body_loaded(&doc.body_doc) {
                continue;
            }
            match self.docs.body(&doc.body_doc) {
                Ok(Some(_)) => done.loaded += 1,
                Ok(None) => done.missing += 1,
                Err(e) => {
                    tracing::warn!(doc = %doc.id, error = %e, "could not load a document's text");
                    done.missing += 1;
                }
            }
        }
        Ok(done)
    }
}

fn body_obj<D: ReadDoc>(doc: &D) -> Result<Option<ObjId>> {
    Ok(match doc.get(ROOT, BODY)? {
        Some((Value::Object(ObjType::Text), obj)) => Some(obj),
        _ => None,
    })
}
