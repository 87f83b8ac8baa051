//! The Facilities part of the view model: maintenance requests, open ones
//! first by when they must be fixed. Rebuilt when the facilities document
//! changes; whether a request is past its SLA depends on the clock, so the
//! screens ask each request (`past_sla(now)`), which is cheap.

use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use crate::model::{MaintenanceRequest, Record, Stamp};
use crate::store::{Result, Store, Unreadable};

#[derive(Debug, Clone, Default)]
pub struct FacilitiesView {
    /// Live requests: open ones by when they must be fixed, then closed
    /// ones, newest first.
    pub requests: Arc<Vec<Arc<MaintenanceRequest>>>,
    /// The open ones only, in the same order.
    pub open: Arc<Vec<Arc<MaintenanceRequest>>>,
}

impl FacilitiesView {
    pub fn request(&self, id: &str) -> Option<&Arc<MaintenanceRequest>> {
        self.requests.iter().find(|r| r.id == id)
    }

    pub fn past_sla(&self, now: Stamp) -> impl Iterator<Item = &Arc<MaintenanceRequest>> {
        self.open.iter().filter(move |r| r.past_sla(now))
    }
}

fn read(doc: &Automerge, obj: &ObjId) -> Result<MaintenanceRequest> {
    crate::store::read_record_at(doc, obj)
}

pub struct FacilitiesCaches {
    requests: RecordCache<MaintenanceRequest>,
    heads: Vec<automerge::ChangeHash>,
}

impl Default for FacilitiesCaches {
    fn default() -> Self {
        FacilitiesCaches {
            requests: RecordCache::new(MaintenanceRequest::KIND, MaintenanceRequest::AREA, read)
                .on_one_thread(),
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
        Ok(true)
    }

    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.requests.unreadable()
    }

    pub fn build(&self) -> FacilitiesView {
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
        FacilitiesView {
            requests: Arc::new(requests),
            open: Arc::new(open),
        }
    }
}
