//! The people directory: members and people who are not (contractors, new
//! hires not on Bureau yet), each with a title, department, manager, site
//! and how to reach them. The org chart is the tree of managers; a manager
//! chain that comes back to where it started is refused.

use std::collections::{BTreeMap, BTreeSet};

use super::record::{ValidationError, check_len, record, require_text};

record! {
    pub struct Person ("people" in Onboarding) {
        /// Unique; a member's person record carries the member's name.
        pub name: String,
        pub title: String,
        pub department: String,
        /// Their manager's person id.
        pub manager: Option<String>,
        /// Site id.
        pub site: Option<String>,
        pub email: String,
        pub phone: String,
    }
    validate(p) {
        require_text("name", &p.name)?;
        check_len("title", &p.title, 200)?;
        check_len("department", &p.department, 200)?;
        check_len("phone", &p.phone, 60)?;
        if !p.email.trim().is_empty() && !p.email.contains('@') {
            return Err(ValidationError::new("email", "must look like name@example.com"));
        }
        if p.manager.as_deref() == Some(p.id.as_str()) {
            return Err(ValidationError::new("manager", "cannot be the person themselves"));
        }
        check_len("email", &p.email, 200)
    }
}

super::schema::describe! {
    Person, label: "person", title: "People", name: name, unique_name: true,
    fields {
        name: "Name", Text, required, column;
        title: "Title", Text, column;
        department: "Department", Text, column;
        manager: "Manager", Reference("people"), column;
        site: "Site", Reference("sites"), column;
        email: "Email", Text;
        phone: "Phone", Text;
    }
}

/// The manager chain from `start` would come back to `start` if `person`
/// reported to `manager`: returns the names around the loop.
pub fn manager_cycle(people: &[Person], person: &str, manager: &str) -> Option<Vec<String>> {
    let by_id: BTreeMap<&str, &Person> = people.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut chain = vec![person.to_string()];
    let mut seen = BTreeSet::new();
    let mut at = Some(manager.to_string());
    while let Some(id) = at {
        if id == person {
            return Some(
                chain
                    .iter()
                    .chain(std::iter::once(&id))
                    .map(|i| by_id.get(i.as_str()).map_or(i.clone(), |p| p.name.clone()))
                    .collect(),
            );
        }
        if !seen.insert(id.clone()) {
            return None; // an older loop further up, not through `person`
        }
        chain.push(id.clone());
        at = by_id.get(id.as_str()).and_then(|p| p.manager.clone());
    }
    None
}

/// One person in the org chart with the people who report to them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgNode {
    pub id: String,
    pub name: String,
    pub title: String,
    pub department: String,
    pub reports: Vec<OrgNode>,
}

/// The org chart: people without a manager (or whose manager is gone) at
/// the top, each with their reports, by name. A loop that arrived by
/// merging two offline edits is broken where it was first met, so
/// everyone still appears once.
pub fn org_chart(people: &[Person]) -> Vec<OrgNode> {
    let live: Vec<&Person> = people.iter().filter(|p| p.deleted_at.is_none()).collect();
    let ids: BTreeSet<&str> = live.iter().map(|p| p.id.as_str()).collect();
    let mut reports: BTreeMap<&str, Vec<&Person>> = BTreeMap::new();
    let mut roots = Vec::new();
    for p in &live {
        match p.manager.as_deref().filter(|m| ids.contains(m)) {
            Some(m) => reports.entry(m).or_default().push(p),
            None => roots.push(*p),
        }
    }
    let mut placed = BTreeSet::new();
    let mut out: Vec<OrgNode> = roots
        .iter()
        .map(|p| node(p, &reports, &mut placed))
        .collect();
    // Whoever is left sits in a manager loop: start each loop at its first
    // name so nobody disappears.
    let mut left: Vec<&Person> = live
        .iter()
        .filter(|p| !placed.contains(p.id.as_str()))
        .copied()
        .collect();
    left.sort_by(|a, b| a.name.cmp(&b.name));
    for p in left {
        if !placed.contains(p.id.as_str()) {
            out.push(node(p, &reports, &mut placed));
        }
    }
    out.sort_by_key(|a| a.name.to_lowercase());
    out
}

fn node<'a>(
    p: &'a Person,
    reports: &BTreeMap<&str, Vec<&'a Person>>,
    placed: &mut BTreeSet<&'a str>,
) -> OrgNode {
    placed.insert(p.id.as_str());
    let mut under: Vec<&Person> = reports
        .get(p.id.as_str())
        .map(|r| {
            r.iter()
                .filter(|r| !placed.contains(r.id.as_str()))
                .copied()
                .collect()
        })
        .unwrap_or_default();
    under.sort_by_key(|a| a.name.to_lowercase());
    let mut children = Vec::new();
    for r in under {
        if !placed.contains(r.id.as_str()) {
            children.push(node(r, reports, placed));
        }
    }
    OrgNode {
        id: p.id.clone(),
        name: p.name.clone(),
        title: p.title.clone(),
        department: p.department.clone(),
        reports: children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, manager: Option<&str>) -> Person {
        Person {
            id: id.into(),
            name: id.to_uppercase(),
            manager: manager.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn a_manager_chain_back_to_the_person_is_a_cycle() {
        let people = vec![
            person("a", None),
            person("b", Some("a")),
            person("c", Some("b")),
        ];
        assert_eq!(
            manager_cycle(&people, "a", "c"),
            Some(vec!["A".into(), "C".into(), "B".into(), "A".into()])
        );
        assert_eq!(manager_cycle(&people, "c", "a"), None);
    }

    #[test]
    fn the_chart_nests_reports_and_keeps_everyone_in_a_merged_loop() {
        let people = vec![
            person("a", None),
            person("b", Some("a")),
            person("c", Some("a")),
            person("x", Some("y")),
            person("y", Some("x")),
        ];
        let chart = org_chart(&people);
        assert_eq!(chart[0].name, "A");
        assert_eq!(chart[0].reports.len(), 2);
        let total = |n: &OrgNode| -> usize {
            fn count(n: &OrgNode) -> usize {
                1 + n.reports.iter().map(count).sum::<usize>()
            }
            count(n)
        };
        assert_eq!(chart.iter().map(total).sum::<usize>(), 5, "{chart:#?}");
    }
}
