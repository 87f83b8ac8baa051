//! The people directory as people read it: one row per person (members
//! without an entry too), with the manager and site by name, for
//! `bureau org --csv` and the People area's "Export CSV".

use std::collections::BTreeMap;

use crate::model::{Person, Site};

/// The directory's columns, in order.
pub const COLUMNS: [&str; 7] = [
    "Name",
    "Title",
    "Department",
    "Manager",
    "Site",
    "Email",
    "Phone",
];

/// One person as the directory shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The person record's id; empty for a member with no entry yet.
    pub id: String,
    pub name: String,
    pub title: String,
    pub department: String,
    pub manager: String,
    pub site: String,
    pub email: String,
    pub phone: String,
    /// Uses Bureau (a member of the workspace).
    pub member: bool,
}

impl Entry {
    /// The entry's cells, in [`COLUMNS`] order.
    pub fn cells(&self) -> [&str; 7] {
        [
            &self.name,
            &self.title,
            &self.department,
            &self.manager,
            &self.site,
            &self.email,
            &self.phone,
        ]
    }

    /// Whether every word of `query` is in the name, title, department,
    /// manager, site or email (any case).
    pub fn matches(&self, query: &str) -> bool {
        let hay = format!(
            "{} {} {} {} {} {}",
            self.name, self.title, self.department, self.manager, self.site, self.email
        )
        .to_lowercase();
        query
            .to_lowercase()
            .split_whitespace()
            .all(|w| hay.contains(w))
    }
}

/// Everyone in the directory by name: people's entries, then members who
/// have none.
pub fn entries(people: &[Person], members: &[String], sites: &[Site]) -> Vec<Entry> {
    let person_names: BTreeMap<&str, &str> = people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let site_names: BTreeMap<&str, &str> = sites
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let is_member = |name: &str| {
        members
            .iter()
            .any(|m| crate::model::schema::same_name(m, name))
    };
    let mut out: Vec<Entry> = people
        .iter()
        .filter(|p| p.deleted_at.is_none())
        .map(|p| Entry {
            id: p.id.clone(),
            name: p.name.clone(),
            title: p.title.clone(),
            department: p.department.clone(),
            manager: p
                .manager
                .as_deref()
                .map(|m| person_names.get(m).copied().unwrap_or(m).to_string())
                .unwrap_or_default(),
            site: p
                .site
                .as_deref()
                .map(|s| site_names.get(s).copied().unwrap_or(s).to_string())
                .unwrap_or_default(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            member: is_member(&p.name),
        })
        .collect();
    for m in members {
        if !out
            .iter()
            .any(|e| crate::model::schema::same_name(&e.name, m))
        {
            out.push(Entry {
                name: m.clone(),
                member: true,
                ..Default::default()
            });
        }
    }
    out.sort_by_key(|a| a.name.to_lowercase());
    out
}

/// The directory as CSV, with a header row.
pub fn csv(entries: &[Entry]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS.iter().chain(&["Member"]))?;
    for e in entries {
        w.write_record(
            e.cells()
                .iter()
                .chain(&[if e.member { "yes" } else { "no" }]),
        )?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
