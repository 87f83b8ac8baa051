//! The yearly archive as the store runs it: rotating an area's document
//! ([`Store::rotate`]), following rotations made on other devices
//! ([`Store::follow_rotations`]: late edits written again on the live
//! document) and reading past years' archives ([`Store::archived`]).
//!
//! A late edit is written on a fork of the live document taken at its
//! rotation, then merged: it stays concurrent with every edit made after
//! the rotation, as it really was, so two people who changed the same
//! field see a conflict and different fields both stand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use automerge::{Automerge, ChangeHash, ReadDoc};
use samod::storage::StorageKey;
use samod::{DocHandle, DocumentId};

use super::rotation::{self, ARCHIVABLE, Rotation};
use super::{Listing, Result, Store, StoreError};
use crate::model::{Area, Date, Record, Stamp, Task};

/// Given the membership log, the devices whose archives count.
pub type ArchiveAuthors =
    std::sync::Arc<dyn Fn(&[super::StoredEntry]) -> BTreeSet<String> + Send + Sync>;

/// What [`Store::follow_rotations`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Followed {
    /// Late edits (changes) written again, and the records they touched.
    pub late_edits: usize,
    pub records: usize,
}

/// An area's yearly archive as this device knows it.
#[derive(Debug, Clone)]
pub struct AreaArchive {
    pub area: Area,
    /// The rotations every device follows, oldest first.
    pub rotations: Vec<Rotation>,
    /// Years with archived records, and whether each is on this machine.
    pub years: BTreeMap<i32, bool>,
    /// Whether the live document is on this machine yet.
    pub live_here: bool,
}

/// A task found in a past year's archive.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArchivedTask {
    pub year: i32,
    #[serde(flatten)]
    pub task: Task,
}

/// Device-local record of retired documents checked for late edits: the
/// storage keys each had then (unchanged keys: nothing new to look at).
const CHECKED_FILE: &str = "archive-checked.json";

fn checked_path(store: &Store) -> PathBuf {
    store.data_dir.join(CHECKED_FILE)
}

impl Store {
    /// Reads the rotation entries again if the root document changed;
    /// returns whether an area moved to another document.
    pub fn refresh_layout(&self) -> bool {
        self.docs.refresh_chains()
    }

    /// Who may archive, as the membership says: given the root
    /// document's membership log, every device that has been an admin's.
    /// An entry written by any other device is ignored (a member's device
    /// that skipped the role check); without it (a workspace with no
    /// membership) every entry counts.
    pub fn trust_archives_from(&self, admins: ArchiveAuthors) {
        self.docs.set_archive_authors(admins);
    }

    /// [`Store::rotate`] without the operations layer's role check: for
    /// tests of what peers do with an entry they should not have written.
    #[cfg(feature = "test-support")]
    pub fn rotate_unchecked(&self, area: Area, before: Date) -> Result<Rotation> {
        self.rotate(area, before)
    }

    /// Every document loaded here (areas' live and retired documents,
    /// archives, bodies), for whoever waits on their changes.
    pub fn loaded_handles(&self) -> Vec<DocHandle> {
        self.docs.every_loaded()
    }

    /// Every area that was archived, with its years.
    pub fn archives(&self) -> Result<Vec<AreaArchive>> {
        self.docs.refresh_chains();
        Ok(self
            .docs
            .chains()
            .into_iter()
            .filter(|(_, c)| !c.rotations.is_empty())
            .map(|(area, chain)| AreaArchive {
                area,
                live_here: self.docs.is_here(chain.live()),
                years: chain
                    .archives
                    .iter()
                    .map(|(y, ids)| (*y, ids.iter().all(|id| self.docs.is_here(id))))
                    .collect(),
                rotations: chain.rotations,
            })
            .collect())
    }

    /// Moves `area`'s records closed before `before` to one archive
    /// document per year and the rest to a new live document, named in
    /// one root-document entry. Role checks are the caller's
    /// (`ops::Session::archive`).
    pub(crate) fn rotate(&self, area: Area, before: Date) -> Result<Rotation> {
        if !ARCHIVABLE.contains(&area) {
            return Err(StoreError::Rejected(format!(
                "only tasks can be archived; {} records never close",
                area.name()
            )));
        }
        self.docs.refresh_chains();
        let chain = self.docs.chains().remove(&area);
        let handle = self.handle(area)?;
        if chain
            .as_ref()
            .is_some_and(|c| c.live() != handle.document_id())
        {
            return Err(StoreError::Rejected(format!(
                "this device does not have the newest {} document yet; sync with a teammate first",
                area.name()
            )));
        }
        if handle.document_id() == self.handle(Area::Root)?.document_id() {
            return Err(StoreError::Rejected(
                "a workspace kept in one document cannot be archived".into(),
            ));
        }
        let started = std::time::Instant::now();
        let conflicted = handle.with_document(|doc| {
            super::ALL_KINDS
                .iter()
                .filter(|(_, a)| *a == area)
                .map(|(k, _)| super::conflicts_of(doc, k, None).len())
                .sum::<usize>()
        });
        if conflicted > 0 {
            return Err(StoreError::Rejected(format!(
                "{conflicted} {} record(s) have conflicting edits; settle them first (`bureau conflicts`)",
                area.name()
            )));
        }
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "archive: conflicts looked for"
        );
        let member = self.member_id().to_string();
        let (retired_heads, split) = handle.with_document(|doc| -> Result<_> {
            let mut new_doc = || self.new_document();
            Ok((
                doc.get_heads(),
                rotation::split(doc, area, before, &mut new_doc)?,
            ))
        })?;
        if split.archived == 0 {
            return Err(StoreError::Rejected(format!(
                "no {} closed before {before}: nothing to archive",
                area.name()
            )));
        }
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "archive: records split"
        );
        let live_heads = split.live.get_heads();
        let live = self.create_document(split.live)?;
        let mut archives = BTreeMap::new();
        for (year, doc) in split.archives {
            archives.insert(year, self.create_document(doc)?);
        }
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "archive: documents saved"
        );
        let entry = Rotation {
            live,
            area,
            retired: handle.document_id().clone(),
            retired_heads,
            live_heads,
            before,
            by: member.clone(),
            at: Stamp::now(),
            archives,
            kept: split.kept,
            archived: split.archived,
            replayed: BTreeSet::new(),
            author: None,
        };
        self.change(
            Area::Root,
            &format!("{member}: archive {} closed before {before}", area.name()),
            |tx, _| rotation::write_entry(tx, &entry),
        )?;
        self.docs.refresh_chains();
        // Nothing here is late: remember that without reading it again.
        self.remember_checked(&entry.retired);
        Ok(entry)
    }

    /// An empty document whose changes are this device's and member's.
    fn new_document(&self) -> Automerge {
        let mut doc = Automerge::new();
        doc.set_author(Some(automerge::Author::from(
            self.member_id().as_bytes().to_vec(),
        )));
        doc.set_actor(super::author_actor(&self.data_dir));
        doc
    }

    /// Hands `doc` to samod as a new document and saves it durably.
    fn create_document(&self, doc: Automerge) -> Result<DocumentId> {
        let handle = self.docs.runtime().block_on(self.repo().create(doc))?;
        super::seed::save_handle(&self.storage, &handle, "an archive document")?;
        Ok(handle.document_id().clone())
    }

    /// Writes again, on each archived area's live document, the edits its
    /// retired documents received after their rotation (made on a device
    /// that had not heard of it yet) and not written again by anyone.
    /// Does nothing until the live document is on this machine.
    pub fn follow_rotations(&self) -> Result<Followed> {
        let _one_at_a_time = super::documents::lock(&self.docs.follow);
        self.docs.refresh_chains();
        let mut out = Followed::default();
        for (area, chain) in self.docs.chains() {
            if chain.sources.is_empty() {
                continue;
            }
            let live = self.handle(area)?;
            if live.document_id() != chain.live() {
                continue;
            }
            for source in &chain.sources {
                let Some(doc) = self.source_to_check(&source.doc)? else {
                    continue;
                };
                let late = doc.with_document(|d| super::late_edits::late_edits(d, source))?;
                if let Some(late) = late {
                    out.late_edits += late.hashes.len();
                    out.records += late.records.len();
                    self.write_late(area, &live, &chain.live_base, &late)?;
                    self.change(Area::Root, "write late edits again", |tx, _| {
                        rotation::mark_replayed(tx, &source.entry, &late.hashes)
                    })?;
                }
                self.remember_checked(&source.doc);
            }
        }
        if out.late_edits > 0 {
            tracing::info!(
                late_edits = out.late_edits,
                records = out.records,
                "edits made before a yearly archive was heard of were written again"
            );
        }
        Ok(out)
    }

    /// Writes `late` on the live document: records it held at its
    /// rotation on a fork taken there, the others (new since, or brought
    /// back from an archive) on the document as it is now.
    fn write_late(
        &self,
        area: Area,
        live: &DocHandle,
        base: &[ChangeHash],
        late: &super::late_edits::LateEdits,
    ) -> Result<()> {
        let at_base = live.with_document(|d| {
            late.records
                .iter()
                .map(|r| has_record_at(d, &r.kind, &r.id, base))
                .collect::<Vec<bool>>()
        });
        let (old, new): (Vec<_>, Vec<_>) = late
            .records
            .iter()
            .zip(at_base)
            .partition(|(_, at_base)| *at_base);
        let old: Vec<_> = old.into_iter().map(|(r, _)| r).collect();
        let new: Vec<_> = new.into_iter().map(|(r, _)| r).collect();
        let action = format!(
            "{}: write {} edit(s) made before the archive again",
            self.member_id(),
            area.name()
        );
        if !old.is_empty() {
            self.change_document_at(live, base, &action, |tx| {
                super::late_edits::write_late(tx, &old)
            })?;
        }
        if !new.is_empty() {
            self.change_document(live, &action, |tx, _| {
                super::late_edits::write_late(tx, &new)
            })?;
        }
        Ok(())
    }

    /// Commits `f` on a fork of `handle` at `heads` and merges it, so the
    /// change is concurrent with everything after `heads`; durable before
    /// it returns. A fresh actor: the fork cannot know this device's later
    /// sequence numbers.
    fn change_document_at(
        &self,
        handle: &DocHandle,
        heads: &[ChangeHash],
        action: &str,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let author = self.member_id().as_bytes().to_vec();
        let chunk = handle.with_document(|doc| -> Result<_> {
            let mut fork = doc.fork_at(heads)?;
            fork.set_author(Some(automerge::Author::from(author)));
            fork.set_actor(super::author_actor(&self.data_dir));
            let mut tx = fork.transaction();
            if let Err(e) = f(&mut tx) {
                tx.rollback();
                return Err(e);
            }
            let (hash, _) = tx.commit_with(
                automerge::transaction::CommitOptions::default()
                    .with_message(action)
                    .with_time(Stamp::now().millis() / 1000),
            );
            let Some(change) = hash.and_then(|h| fork.get_change_by_hash(&h)) else {
                return Ok(None);
            };
            let bytes = change.raw_bytes().to_vec();
            let hash = change.hash();
            doc.apply_changes([change])?;
            Ok(Some((hash, bytes)))
        })?;
        self.save_change(handle, chunk)
    }

    /// A retired document to look at for late edits: loaded already, or
    /// on disk with chunks that changed since it was last looked at.
    fn source_to_check(&self, id: &DocumentId) -> Result<Option<DocHandle>> {
        if let Some(handle) = self.docs.loaded_any(id) {
            return Ok(Some(handle));
        }
        if !self.docs.is_here(id) {
            return Ok(None);
        }
        let checked = self.checked();
        if checked.get(&id.to_string()) == Some(&self.chunk_keys(id)) {
            return Ok(None);
        }
        Ok(Some(self.docs.find(id, "retired")?))
    }

    fn chunk_keys(&self, id: &DocumentId) -> Vec<String> {
        let mut keys: Vec<String> = self
            .storage
            .list_keys(&StorageKey::snapshot_prefix(id))
            .into_iter()
            .chain(self.storage.list_keys(&StorageKey::incremental_prefix(id)))
            .map(|k| k.to_string())
            .collect();
        keys.sort();
        keys
    }

    fn checked(&self) -> BTreeMap<String, Vec<String>> {
        std::fs::read(checked_path(self))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn remember_checked(&self, id: &DocumentId) {
        let mut checked = self.checked();
        checked.insert(id.to_string(), self.chunk_keys(id));
        let written = serde_json::to_vec(&checked)
            .map_err(std::io::Error::other)
            .and_then(|b| super::datadir::write_atomic(&checked_path(self), &b));
        if let Err(e) = written {
            // Only costs a second look next time.
            tracing::debug!(error = %e, "could not note a checked retired document");
        }
    }

    /// The `R` records archived for `year`, newest archive first for a
    /// record in two; a record that is live again is left out.
    pub fn archived<R: Record>(&self, year: i32) -> Result<Listing<R>> {
        self.docs.refresh_chains();
        let ids = self
            .docs
            .chains()
            .get(&R::AREA)
            .and_then(|c| c.archives.get(&year).cloned())
            .unwrap_or_default();
        let live: BTreeSet<String> = self
            .list::<R>(true)?
            .into_iter()
            .map(|r| r.id().to_string())
            .collect();
        let mut out = Listing::default();
        let mut seen = live;
        for id in ids.iter().rev() {
            let handle = self.docs.fetch(id)?.ok_or_else(|| {
                StoreError::Rejected(format!(
                    "the {year} archive is not on this machine yet; it is fetched from a teammate's device when one is reachable"
                ))
            })?;
            let listing = handle.with_document(|d| super::records::read_all::<R, _>(d, true));
            for record in listing.records {
                if seen.insert(record.id().to_string()) {
                    out.records.push(record);
                }
            }
            out.unreadable.extend(listing.unreadable);
        }
        Ok(out)
    }

    /// Archived tasks mentioning every word of `search` (all of them when
    /// empty), in `year` or every archived year, newest year first.
    pub fn search_archive(&self, search: &str, year: Option<i32>) -> Result<Vec<ArchivedTask>> {
        self.docs.refresh_chains();
        let years: Vec<i32> = match year {
            Some(y) => vec![y],
            None => self
                .docs
                .chains()
                .get(&Task::AREA)
                .map(|c| c.archives.keys().rev().copied().collect())
                .unwrap_or_default(),
        };
        let mut out = Vec::new();
        for year in years {
            let listing = self.archived::<Task>(year)?;
            out.extend(
                listing
                    .records
                    .into_iter()
                    .filter(|t| t.mentions(search))
                    .map(|task| ArchivedTask { year, task }),
            );
        }
        Ok(out)
    }

    /// Loads every archive document the root names (from disk, or from a
    /// connected peer), so each is here for the next outage. Returns how
    /// many are here and how many could not be found.
    pub fn fetch_archives(&self) -> Result<(usize, usize)> {
        self.docs.refresh_chains();
        let (mut here, mut missing) = (0, 0);
        for chain in self.docs.chains().values() {
            if chain.rotations.is_empty() {
                continue;
            }
            // The live document first: the area moves to it once here.
            let wanted = std::iter::once(chain.live()).chain(chain.archives.values().flatten());
            for id in wanted {
                if self.docs.fetch(id)?.is_some() {
                    here += 1;
                } else {
                    missing += 1;
                }
            }
        }
        Ok((here, missing))
    }
}

fn has_record_at(doc: &Automerge, kind: &str, id: &str, heads: &[ChangeHash]) -> bool {
    let Some(map) = super::kind_map(doc, kind) else {
        return false;
    };
    matches!(
        doc.get_at(&map, id, heads),
        Ok(Some((automerge::Value::Object(automerge::ObjType::Map), _)))
    )
}
