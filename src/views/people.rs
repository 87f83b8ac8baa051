//! The People part of the view model: the directory (entries, and members
//! who have none) and the org chart, rebuilt when people, members or sites
//! change.

use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use crate::model::people::{OrgNode, org_chart};
use crate::model::{Person, Record, Site};
use crate::report::directory::{Entry, entries};
use crate::store::{Result, Store, Unreadable};

#[derive(Debug, Clone, Default)]
pub struct PeopleView {
    /// Live entries, by name.
    pub people: Arc<Vec<Arc<Person>>>,
    /// Everyone, as the directory shows them, by name.
    pub directory: Arc<Vec<Entry>>,
    pub chart: Arc<Vec<OrgNode>>,
}

impl PeopleView {
    pub fn person(&self, id: &str) -> Option<&Arc<Person>> {
        self.people.iter().find(|p| p.id == id)
    }
}

fn read(doc: &Automerge, obj: &ObjId) -> Result<Person> {
    crate::store::read_record_at(doc, obj)
}

pub struct PeopleCaches {
    people: RecordCache<Person>,
}

impl Default for PeopleCaches {
    fn default() -> Self {
        PeopleCaches {
            people: RecordCache::new(Person::KIND, Person::AREA, read).on_one_thread(),
        }
    }
}

impl PeopleCaches {
    /// Brings the cache up to date; says whether anything changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        self.people.refresh(store)
    }

    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.people.unreadable()
    }

    pub fn build(&self, members: &[String], sites: &[Arc<Site>]) -> PeopleView {
        let mut people = self.people.records();
        people.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
        let plain: Vec<Person> = people.iter().map(|p| (**p).clone()).collect();
        let sites: Vec<Site> = sites.iter().map(|s| (**s).clone()).collect();
        PeopleView {
            directory: Arc::new(entries(&plain, members, &sites)),
            chart: Arc::new(org_chart(&plain)),
            people: Arc::new(people),
        }
    }
}
