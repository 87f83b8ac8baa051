//! The yearly archive's data: rotation entries in the root document, the
//! chain of documents an area has lived in, splitting an area's records
//! into a new live document and one archive per past year, and finding the
//! late edits a retired document received after its rotation.
//!
//! Automerge keeps every change, so only a new document is small. A
//! rotation writes a new live document (the open records and the recently
//! closed ones, as they are now) and per-year archives (records closed in
//! that year), then names them in one root-document entry,
//! `rotation:<live document id>`, written once by its author (so two
//! rotations never race on one key). The retired document keeps its
//! history.
//!
//! Two rotations of the same document made apart both land: the one whose
//! live document has the smaller id wins on every device, and the other's
//! live document counts as retired from its first heads. Edits a retired
//! document received beyond the heads it was retired at (a device that was
//! offline) are written again on the live document by whichever device
//! holds them ([`super::archive`]).

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use automerge::hydrate::Value as Hv;
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use samod::DocumentId;

use super::copy;
use super::{Result, StoreError};
use crate::model::{Area, Date, Record, Stamp, Task, TaskStatus};

/// Root-document keys of rotation entries start with this.
pub(crate) const ENTRY_PREFIX: &str = "rotation:";

/// One rotation of an area's document, as its entry in the root says.
#[derive(Debug, Clone, PartialEq)]
pub struct Rotation {
    /// The new live document (the entry's key names it too).
    pub live: DocumentId,
    pub area: Area,
    /// The document it retired, and that document's heads at the time.
    pub retired: DocumentId,
    pub retired_heads: Vec<ChangeHash>,
    /// The live document's heads as the rotation wrote it.
    pub live_heads: Vec<ChangeHash>,
    /// Records closed before this day went to the archives.
    pub before: Date,
    /// The member who made it, and when.
    pub by: String,
    pub at: Stamp,
    /// One archive document per year.
    pub archives: BTreeMap<i32, DocumentId>,
    /// Records kept live and records archived.
    pub kept: u64,
    pub archived: u64,
    /// Late edits already written again (change hashes).
    pub replayed: BTreeSet<ChangeHash>,
    /// The device whose change wrote the entry (its actor's key).
    pub author: Option<String>,
}

impl Rotation {
    pub(crate) fn key(&self) -> String {
        format!("{ENTRY_PREFIX}{}", self.live)
    }
}

/// Areas whose records can close, and so can be archived.
pub const ARCHIVABLE: &[Area] = &[Area::Tasks];

/// The year a record is archived under, if it closed before `before`.
/// Steps of an onboarding plan stay live (the plan counts them).
fn archive_year(kind: &str, record: &Hv, before: Date) -> Option<i32> {
    if kind != Task::KIND {
        return None;
    }
    let task = serde_json::from_value::<Task>(super::fast_read::to_json(record)).ok()?;
    closed_year(&task, before)
}

fn closed_year(task: &Task, before: Date) -> Option<i32> {
    let closed = task.completed_at?.date();
    (task.status == TaskStatus::Done && task.plan.is_none() && closed < before)
        .then(|| chrono::Datelike::year(&closed.0))
}

fn hashes_text(heads: &[ChangeHash]) -> String {
    heads
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_hashes(text: &str) -> Option<Vec<ChangeHash>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| ChangeHash::from_str(s).ok())
        .collect()
}

fn get_str(doc: &Automerge, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn get_int(doc: &Automerge, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => s.as_i64(),
        _ => None,
    }
}

fn read_entry(doc: &Automerge, key: &str, obj: &ObjId) -> Option<Rotation> {
    let live = DocumentId::from_str(key.strip_prefix(ENTRY_PREFIX)?).ok()?;
    let area = Area::from_name(&get_str(doc, obj, "area")?)?;
    let archives_obj = match doc.get(obj, "archives").ok()?? {
        (Value::Object(ObjType::Map), id) => id,
        _ => return None,
    };
    let mut archives = BTreeMap::new();
    for item in doc.map_range(&archives_obj, ..) {
        let year: i32 = item.key.parse().ok()?;
        let id = get_str(doc, &archives_obj, &item.key)?;
        archives.insert(year, DocumentId::from_str(&id).ok()?);
    }
    let replayed = match doc.get(obj, "replayed").ok().flatten() {
        Some((Value::Object(ObjType::Map), id)) => doc
            .keys(&id)
            .filter_map(|k| ChangeHash::from_str(&k).ok())
            .collect(),
        _ => BTreeSet::new(),
    };
    (area != Area::Root).then_some(())?;
    Some(Rotation {
        live,
        area,
        retired: DocumentId::from_str(&get_str(doc, obj, "retired")?).ok()?,
        retired_heads: parse_hashes(&get_str(doc, obj, "retired_heads")?)?,
        live_heads: parse_hashes(&get_str(doc, obj, "live_heads")?)?,
        before: Date::from_str(&get_str(doc, obj, "before")?).ok()?,
        by: get_str(doc, obj, "by")?,
        at: Stamp::from_millis(get_int(doc, obj, "at")?),
        archives,
        kept: get_int(doc, obj, "kept")?.max(0) as u64,
        archived: get_int(doc, obj, "archived")?.max(0) as u64,
        replayed,
        author: match obj {
            automerge::ObjId::Id(_, actor, _) => Some(super::history::device_of(actor)),
            automerge::ObjId::Root => None,
        },
    })
}

/// Every rotation entry in the root document, and how many could not be
/// read (written by a newer version, or damaged: skipped, and logged).
pub(crate) fn read_rotations(root: &Automerge) -> (Vec<Rotation>, usize) {
    let mut out = Vec::new();
    let mut unreadable = 0;
    let start = ENTRY_PREFIX.to_string();
    for item in root.map_range(ROOT, start..) {
        if !item.key.starts_with(ENTRY_PREFIX) {
            break;
        }
        let entry = match item.value {
            automerge::ValueRef::Object(ObjType::Map) => read_entry(root, &item.key, &item.id()),
            _ => None,
        };
        match entry {
            Some(e) => out.push(e),
            None => unreadable += 1,
        }
    }
    (out, unreadable)
}

/// Writes a new rotation entry (its maps made here, once).
pub(crate) fn write_entry<T: Transactable>(tx: &mut T, r: &Rotation) -> Result<()> {
    let obj = tx.put_object(ROOT, r.key(), ObjType::Map)?;
    tx.put(&obj, "area", r.area.name())?;
    tx.put(&obj, "retired", r.retired.to_string())?;
    tx.put(&obj, "retired_heads", hashes_text(&r.retired_heads))?;
    tx.put(&obj, "live_heads", hashes_text(&r.live_heads))?;
    tx.put(&obj, "before", r.before.to_string())?;
    tx.put(&obj, "by", r.by.as_str())?;
    tx.put(&obj, "at", r.at.millis())?;
    tx.put(&obj, "kept", r.kept as i64)?;
    tx.put(&obj, "archived", r.archived as i64)?;
    let archives = tx.put_object(&obj, "archives", ObjType::Map)?;
    for (year, id) in &r.archives {
        tx.put(&archives, year.to_string(), id.to_string())?;
    }
    tx.put_object(&obj, "replayed", ObjType::Map)?;
    Ok(())
}

/// Marks late edits as written again, in the entry `key`.
pub(crate) fn mark_replayed<T: Transactable>(
    tx: &mut T,
    key: &str,
    hashes: &[ChangeHash],
) -> Result<()> {
    let Some((Value::Object(ObjType::Map), entry)) = tx.get(ROOT, key)? else {
        return Err(StoreError::Corrupt(format!(
            "the rotation entry {key} is gone"
        )));
    };
    let Some((Value::Object(ObjType::Map), map)) = tx.get(&entry, "replayed")? else {
        return Err(StoreError::Corrupt(format!(
            "the rotation entry {key} is damaged"
        )));
    };
    for hash in hashes {
        tx.put(&map, hash.to_string(), true)?;
    }
    Ok(())
}

/// A document whose edits beyond `since` must be written again on the
/// area's live document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Source {
    pub doc: DocumentId,
    pub since: Vec<ChangeHash>,
    /// The entry whose `replayed` map records what was written again.
    pub entry: String,
    pub replayed: BTreeSet<ChangeHash>,
}

/// The documents an area has lived in, as every device agrees on them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chain {
    /// The area's first document, then each winning rotation's, oldest
    /// first (the last is the live document).
    pub docs: Vec<DocumentId>,
    live: DocumentId,
    /// The live document's heads as its rotation wrote it (empty when the
    /// area was never rotated).
    pub live_base: Vec<ChangeHash>,
    pub sources: Vec<Source>,
    /// Archive documents by year, every winning rotation's.
    pub archives: BTreeMap<i32, Vec<DocumentId>>,
    /// The winning rotations, oldest first.
    pub rotations: Vec<Rotation>,
}

impl Chain {
    pub fn live(&self) -> &DocumentId {
        &self.live
    }
}

/// Follows `area` from its first document through the rotations: at each
/// step the rotation with the smallest new document id wins.
pub(crate) fn chain_of(first: &DocumentId, area: Area, rotations: &[Rotation]) -> Chain {
    let mut chain = Chain {
        docs: vec![first.clone()],
        live: first.clone(),
        live_base: Vec::new(),
        sources: Vec::new(),
        archives: BTreeMap::new(),
        rotations: Vec::new(),
    };
    let mut seen = BTreeSet::from([first.to_string()]);
    loop {
        let current = chain.live().clone();
        let mut candidates: Vec<&Rotation> = rotations
            .iter()
            .filter(|r| r.area == area && r.retired == current)
            .collect();
        candidates.sort_by_key(|r| r.live.to_string());
        let Some((winner, losers)) = candidates.split_first() else {
            break;
        };
        if !seen.insert(winner.live.to_string()) {
            break;
        }
        chain.sources.push(Source {
            doc: current,
            since: winner.retired_heads.clone(),
            entry: winner.key(),
            replayed: winner.replayed.clone(),
        });
        for loser in losers {
            chain.sources.push(Source {
                doc: loser.live.clone(),
                since: loser.live_heads.clone(),
                entry: loser.key(),
                replayed: loser.replayed.clone(),
            });
        }
        for (year, id) in &winner.archives {
            chain.archives.entry(*year).or_default().push(id.clone());
        }
        chain.live_base = winner.live_heads.clone();
        chain.docs.push(winner.live.clone());
        chain.live = winner.live.clone();
        chain.rotations.push((*winner).clone());
    }
    chain
}

/// Records by kind, each with its id, as value trees.
type ByKind<'a> = BTreeMap<&'a str, Vec<(String, Hv)>>;

/// An area's records split for a rotation.
pub(crate) struct Split {
    pub live: Automerge,
    pub archives: BTreeMap<i32, Automerge>,
    pub kept: u64,
    pub archived: u64,
}

/// Copies `doc` (an area document) as it is now into a new live document
/// and per-year archives: records closed before `before` go to the
/// archive of the year they closed, everything else stays live.
pub(crate) fn split(
    doc: &Automerge,
    area: Area,
    before: Date,
    new_doc: &mut dyn FnMut() -> Automerge,
) -> Result<Split> {
    let kinds: Vec<&str> = super::ALL_KINDS
        .iter()
        .filter(|(_, a)| *a == area)
        .map(|(k, _)| *k)
        .collect();
    let started = std::time::Instant::now();
    let mut live_records: ByKind = BTreeMap::new();
    let mut archived: BTreeMap<i32, ByKind> = BTreeMap::new();
    let (mut n_kept, mut n_archived) = (0, 0);
    for kind in &kinds {
        let Some(map) = super::kind_map(doc, kind) else {
            continue;
        };
        for (id, obj) in super::fast_read::child_maps(doc, &map) {
            let record = ReadDoc::hydrate(doc, &obj, None)?;
            match archive_year(kind, &record, before) {
                Some(year) => {
                    n_archived += 1;
                    archived
                        .entry(year)
                        .or_default()
                        .entry(kind)
                        .or_default()
                        .push((id, record));
                }
                None => {
                    n_kept += 1;
                    live_records.entry(kind).or_default().push((id, record));
                }
            }
        }
    }
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "archive: records read"
    );
    // Other root values of the area (settings) stay with the live document.
    let mut root = Vec::new();
    for key in doc.keys(ROOT) {
        if !kinds.contains(&key.as_str())
            && key != "area"
            && let Some(value) = copy::read_entry(doc, &ROOT, &key)?
        {
            root.push((key, value));
        }
    }
    let mut live = new_doc();
    write_document(&mut live, area, None, &root, &kinds, &live_records)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "archive: live document written"
    );
    let mut archives = BTreeMap::new();
    for (year, records) in archived {
        let mut archive = new_doc();
        write_document(&mut archive, area, Some(year), &[], &kinds, &records)?;
        archives.insert(year, archive);
    }
    Ok(Split {
        live,
        archives,
        kept: n_kept,
        archived: n_archived,
    })
}

fn write_document(
    doc: &mut Automerge,
    area: Area,
    year: Option<i32>,
    root: &[(String, automerge::hydrate::Value)],
    kinds: &[&str],
    records: &ByKind,
) -> Result<()> {
    let message = match year {
        Some(y) => format!("archive of {} closed in {y}", area.name()),
        None => format!("{} after the yearly archive", area.name()),
    };
    let mut tx = doc.transaction();
    for (key, value) in root {
        copy::put_value(&mut tx, &ROOT, key.clone().into(), value)?;
    }
    tx.put(ROOT, "area", area.name())?;
    if let Some(year) = year {
        tx.put(ROOT, "archive_year", i64::from(year))?;
    }
    // Each kind's records as one object tree: Automerge writes a tree in
    // two splices of its operation store, where one put per value took
    // about 0.5 ms per task.
    for kind in kinds {
        let tree: std::collections::HashMap<&str, automerge::hydrate::Value> = records
            .get(kind)
            .into_iter()
            .flatten()
            .map(|(id, record)| (id.as_str(), record.clone()))
            .collect();
        tx.batch_create_object(ROOT, *kind, &tree.into(), false)?;
    }
    tx.commit_with(automerge::transaction::CommitOptions::default().with_message(message));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> DocumentId {
        DocumentId::new(&mut rand::rng())
    }

    fn rotation(retired: &DocumentId, live: &DocumentId, year: i32) -> Rotation {
        Rotation {
            live: live.clone(),
            area: Area::Tasks,
            retired: retired.clone(),
            retired_heads: Vec::new(),
            live_heads: Vec::new(),
            before: Date::new(year + 1, 1, 1).expect("date"),
            by: "ana".into(),
            at: Stamp::from_millis(0),
            archives: BTreeMap::from([(year, id())]),
            kept: 1,
            archived: 1,
            replayed: BTreeSet::new(),
            author: None,
        }
    }

    #[test]
    fn an_area_follows_its_rotations_and_the_smaller_new_id_wins() {
        let first = id();
        let (x, y) = (id(), id());
        let (small, big) = if x.to_string() < y.to_string() {
            (x, y)
        } else {
            (y, x)
        };
        let next = id();
        // Two rotations of the first document made apart, then a later one
        // of the winner's document; the order they are listed in is moot.
        let rotations = vec![
            rotation(&first, &big, 2024),
            rotation(&small, &next, 2025),
            rotation(&first, &small, 2024),
        ];
        let chain = chain_of(&first, Area::Tasks, &rotations);
        assert_eq!(chain.docs, [first.clone(), small.clone(), next.clone()]);
        assert_eq!(chain.live(), &next);
        // The losing rotation's live document is read for late edits too.
        let sources: Vec<&DocumentId> = chain.sources.iter().map(|s| &s.doc).collect();
        assert_eq!(sources, [&first, &big, &small]);
        assert_eq!(
            chain.archives.keys().copied().collect::<Vec<_>>(),
            [2024, 2025]
        );
        // Another area is untouched.
        assert_eq!(chain_of(&first, Area::Docs, &rotations).docs, [first]);
    }

    #[test]
    fn an_entry_reads_back_and_a_damaged_one_is_skipped() {
        let mut doc = Automerge::new();
        let r = rotation(&id(), &id(), 2024);
        let mut tx = doc.transaction();
        write_entry(&mut tx, &r).expect("write");
        let bad = tx
            .put_object(ROOT, format!("{ENTRY_PREFIX}nonsense"), ObjType::Map)
            .expect("bad");
        tx.put(&bad, "area", "tasks").expect("bad");
        tx.commit();
        let (mut read, unreadable) = read_rotations(&doc);
        assert_eq!(
            read[0].author.as_deref(),
            Some(super::super::history::device_of(doc.get_actor()).as_str())
        );
        read[0].author = None;
        assert_eq!(read, [r]);
        assert_eq!(unreadable, 1);
    }
}
