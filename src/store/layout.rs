//! Which Automerge document holds which record kinds, and creating or
//! finding those documents.
//!
//! The root document holds the workspace settings, members, sites and an
//! `areas` map from area name to document id. Every other area is its own
//! document (see `docs/performance.md` for the measurement behind the split).
//! All kind maps are created once, when the workspace is created, so no two
//! peers can ever race to create the same map (which would hide one side's
//! records behind a conflict).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use samod::storage::StorageKey;
use samod::{DocHandle, DocumentId, Repo};

use super::{Result, StoreError, storage::DurableStorage};
use crate::model::*;

/// Every record kind and the area it lives in.
pub const ALL_KINDS: &[(&str, Area)] = {
    macro_rules! table {
        ($($R:ty),*) => { &[$((<$R>::KIND, <$R>::AREA)),*] };
    }
    crate::model::every_kind!(table)
};

/// How areas map to documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One document per area (the default).
    #[default]
    PerArea,
    /// Everything in the root document (kept for measurement).
    Single,
}

fn kinds_in(area: Area) -> impl Iterator<Item = &'static str> {
    ALL_KINDS
        .iter()
        .filter(move |(_, a)| *a == area)
        .map(|(k, _)| *k)
}

/// Builds and saves the documents of a new workspace.
pub(super) async fn create_documents(
    repo: &Repo,
    storage: &DurableStorage,
    workspace: &Workspace,
    member_id: &str,
    layout: Layout,
) -> Result<BTreeMap<Area, DocHandle>> {
    let mut docs = BTreeMap::new();
    let root = repo.create(Automerge::new()).await?;
    docs.insert(Area::Root, root.clone());
    for area in Area::ALL.into_iter().filter(|a| *a != Area::Root) {
        let handle = match layout {
            Layout::PerArea => {
                let handle = repo.create(Automerge::new()).await?;
                init_document(storage, &handle, area, member_id)?;
                handle
            }
            Layout::Single => root.clone(),
        };
        docs.insert(area, handle);
    }
    let mut ws = workspace.clone();
    ws.created_by = member_id.to_string();
    let areas: BTreeMap<String, String> = docs
        .iter()
        .filter(|(a, _)| **a != Area::Root)
        .map(|(a, h)| (a.name().to_string(), h.document_id().to_string()))
        .collect();
    let chunk = root.with_document(|doc| -> Result<_> {
        let mut tx = doc.transaction();
        tx.put(ROOT, "schema_version", SCHEMA_VERSION)?;
        // Maps every peer writes to concurrently: created once, here.
        tx.put_object(ROOT, "membership", ObjType::Map)?;
        tx.put_object(ROOT, "addresses", ObjType::Map)?;
        tx.put_object(ROOT, super::inbox::INBOX, ObjType::Map)?;
        autosurgeon::reconcile_prop(&mut tx, ROOT, "workspace", &ws)?;
        autosurgeon::reconcile_prop(&mut tx, ROOT, "areas", &areas)?;
        let root_areas: Vec<Area> = match layout {
            Layout::PerArea => vec![Area::Root],
            Layout::Single => Area::ALL.to_vec(),
        };
        for area in root_areas {
            for kind in kinds_in(area) {
                tx.put_object(ROOT, kind, ObjType::Map)?;
            }
        }
        let (hash, _) = tx.commit_with(
            CommitOptions::default()
                .with_message(format!("{member_id}: create workspace"))
                .with_time(ws.created_at.millis() / 1000),
        );
        Ok(hash.and_then(|h| {
            doc.get_change_by_hash(&h)
                .map(|c| (h, c.raw_bytes().to_vec()))
        }))
    })?;
    persist(storage, &root, chunk)?;
    Ok(docs)
}

fn init_document(
    storage: &DurableStorage,
    handle: &DocHandle,
    area: Area,
    member_id: &str,
) -> Result<()> {
    let chunk = handle.with_document(|doc| -> Result<_> {
        let mut tx = doc.transaction();
        tx.put(ROOT, "area", area.name())?;
        for kind in kinds_in(area) {
            tx.put_object(ROOT, kind, ObjType::Map)?;
        }
        let (hash, _) = tx.commit_with(
            CommitOptions::default()
                .with_message(format!("{member_id}: create {} area", area.name())),
        );
        Ok(hash.and_then(|h| {
            doc.get_change_by_hash(&h)
                .map(|c| (h, c.raw_bytes().to_vec()))
        }))
    })?;
    persist(storage, handle, chunk)
}

fn persist(
    storage: &DurableStorage,
    handle: &DocHandle,
    chunk: Option<(automerge::ChangeHash, Vec<u8>)>,
) -> Result<()> {
    if let Some((hash, bytes)) = chunk {
        let key = StorageKey::incremental_path(handle.document_id(), hash);
        storage
            .put_durable(&key, &bytes)
            .map_err(|e| StoreError::io("saving the new workspace", e))?;
    }
    Ok(())
}

/// Finds the root document and reads which document holds each area.
pub(super) async fn find_root(
    repo: &Repo,
    storage: &DurableStorage,
    root_id: DocumentId,
    data_dir: &Path,
) -> Result<(DocHandle, BTreeMap<Area, DocumentId>)> {
    let missing = |what: &str| super::documents::missing_document(storage, data_dir, what);
    let root = repo
        .find(root_id.clone())
        .await?
        .ok_or_else(|| missing("workspace root"))?;
    let areas: BTreeMap<String, String> = root
        .with_document(|doc| {
            if automerge::ReadDoc::get(doc, ROOT, "areas")?.is_none() {
                return Ok(None);
            }
            autosurgeon::hydrate_prop::<_, BTreeMap<String, String>, _, _>(doc, ROOT, "areas")
                .map(Some)
                .map_err(StoreError::from)
        })?
        .ok_or_else(|| missing("workspace root"))?;
    let mut ids = BTreeMap::new();
    ids.insert(Area::Root, root_id);
    for area in Area::ALL.into_iter().filter(|a| *a != Area::Root) {
        let id = areas.get(area.name()).ok_or_else(|| missing(area.name()))?;
        let id = DocumentId::from_str(id)
            .map_err(|_| StoreError::Corrupt(format!("bad document id for {}", area.name())))?;
        ids.insert(area, id);
    }
    Ok((root, ids))
}
