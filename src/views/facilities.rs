//! The Facilities part of the view model: maintenance requests, open ones
//! first by when they must be fixed, and equipment with who holds it (and
//! which hand-outs conflict). Rebuilt when the facilities document
//! changes; whether a request is past its SLA depends on the clock, so the
//! screens ask each request (`past_sla(now)`), which is cheap.

use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use std::collections::BTreeMap;

use crate::model::{Asset, MaintenanceRequest, Record, Stamp};
use crate::store::{Result, Store, Unreadable};

#[derive(Debug, Clone, Default)]
pub struct FacilitiesView {
    /// Live requests: open ones by when they must be fixed, then closed
    /// ones, newest first.
    pub requests: Arc<Vec<Arc<MaintenanceRequest>>>,
    /// The open ones only, in the same order.
    pub open: Arc<Vec<Arc<MaintenanceRequest>>>,
    /// Equipment, by tag.
    pub assets: Arc<Vec<Arc<Asset>>>,
    /// Asset id -> everyone it was handed to at once on different devices.
    pub asset_conflicts: Arc<BTreeMap<String, Vec<String>>>,
}

impl FacilitiesView {
    pub fn request(&self, id: &str) -> Option<&Arc<MaintenanceRequest>> {
        self.requests.iter().find(|r| r.id == id)
    }

    pub fn asset(&self, id: &str) -> Option<&Arc<Asset>> {
        self.assets.iter().find(|a| a.id == id)
    }

    /// What `person` holds.
    pub fn held_by<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a Arc<Asset>> {
        self.assets.iter().filter(move |a| a.is_held_by(person))
    }

    pub fn past_sla(&self, now: Stamp) -> impl Iterator<Item = &Arc<MaintenanceRequest>> {
        self.open.iter().filter(move |r| r.past_sla(now))
    }
}

fn read<R: Record>(doc: &Automerge, obj: &ObjId) -> Result<R> {
    crate::store::read_record_at(doc, obj)
}

pub struct FacilitiesCaches {
    requests: RecordCache<MaintenanceRequest>,
    assets: RecordCache<Asset>,
    heads: Vec<automerge::ChangeHash>,
}

impl Default for FacilitiesCaches {
    fn default() -> Self {
        FacilitiesCaches {
            requests: RecordCache::new(
                MaintenanceRequest::KIND,
                MaintenanceRequest::AREA,
                read::<MaintenanceRequest>,
            )
            .on_one_thread(),
            assets: RecordCache::new(Asset::KIND, Asset::AREA, read::<Asset>).on_one_thread(),
            heads: Vec::new(),
        }
    }
}

impl FacilitiesCaches {
    /// Brings the cache up to date; says whether the document changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        let heads = store.read(MaintenanceRequest::AREA, |doc| Ok(doc.get_heads()))?;
        if heads == self.heads {
            return Ok(false);
        }
        self.heads = heads;
        self.requests.refresh(store)?;
        self.assets.refresh(store)?;
        Ok(true)
    }

    pub fn unreadable(&self) -> Vec<Vec<Unreadable>> {
        vec![self.requests.unreadable(), self.assets.unreadable()]
    }

    /// The view; reads which assets have two holders at once from `store`.
    pub fn build(&self, store: &Store) -> Result<FacilitiesView> {
        let mut requests = self.requests.records();
        requests.sort_by(|a, b| {
            (
                !a.is_open(),
                a.is_open().then(|| a.due_by()),
                std::cmp::Reverse(a.closed_at),
                &a.id,
            )
                .cmp(&(
                    !b.is_open(),
                    b.is_open().then(|| b.due_by()),
                    std::cmp::Reverse(b.closed_at),
                    &b.id,
                ))
        });
        let open = requests.iter().filter(|r| r.is_open()).cloned().collect();
        let mut assets = self.assets.records();
        assets.sort_by(|a, b| (&a.tag, &a.id).cmp(&(&b.tag, &b.id)));
        let mut asset_conflicts = BTreeMap::new();
        for asset in assets.iter().filter(|a| a.holder.is_some()) {
            let holders: Vec<String> = store
                .field_conflict::<Asset>(&asset.id, "holder")?
                .iter()
                .map(|v| v.as_str().unwrap_or("nobody").to_string())
                .collect();
            if holders.len() > 1 {
                asset_conflicts.insert(asset.id.clone(), holders);
            }
        }
        Ok(FacilitiesView {
            requests: Arc::new(requests),
            open: Arc::new(open),
            assets: Arc::new(assets),
            asset_conflicts: Arc::new(asset_conflicts),
        })
    }
}
