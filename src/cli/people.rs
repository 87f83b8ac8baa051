//! `bureau person ...` and `bureau org`: the people directory (members and
//! people who are not on Bureau) and the org chart by manager.

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use super::records::{ChangeCommand, ReadCommand, fields, run_change, run_read};
use crate::model::people::{OrgNode, org_chart};
use crate::model::{Member, Person, Site};
use crate::ops::{Op, Session};
use crate::report::directory;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add someone to the directory or change their entry (only the
    /// options given change). A manager not in the directory yet is added.
    Set {
        name: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
    /// Everyone in the directory (--search: only those matching every word).
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One entry with every field.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Move an entry to the trash.
    Delete { name: String },
    /// Bring an entry back from the trash.
    Restore { name: String },
}

pub fn run(store: &Store, session: &mut Session, command: PersonCommand) -> Result<()> {
    match command {
        PersonCommand::Set {
            name,
            title,
            department,
            manager,
            site,
            email,
            phone,
        } => {
            let given = fields(vec![
                ("title", title),
                ("department", department),
                ("manager", manager),
                ("site", site),
                ("email", email),
                ("phone", phone),
            ]);
            let outcome = session.apply(
                store,
                Op::SetPerson {
                    name,
                    fields: given,
                },
            )?;
            if let Some(id) = &outcome.created {
                say!("{id}");
            }
            super::report_outcome(&outcome)
        }
        PersonCommand::List { search, json } => {
            let entries: Vec<directory::Entry> = everyone(store)?
                .into_iter()
                .filter(|e| search.as_deref().is_none_or(|q| e.matches(q)))
                .collect();
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                note!("nobody matches");
                return Ok(());
            }
            let mut t = table(&directory::COLUMNS);
            for e in &entries {
                t.add_row(e.cells().to_vec());
            }
            say!("{t}");
            Ok(())
        }
        PersonCommand::Show { name, json } => {
            run_read::<Person>(store, ReadCommand::Show { id: name, json })
        }
        PersonCommand::Delete { name } => {
            run_change::<Person>(store, session, ChangeCommand::Delete { id: name })
        }
        PersonCommand::Restore { name } => {
            run_change::<Person>(store, session, ChangeCommand::Restore { id: name })
        }
    }
}

/// The directory: entries and members without one.
pub fn everyone(store: &Store) -> Result<Vec<directory::Entry>> {
    let listing = store.listing::<Person>(false)?;
    super::report_unreadable(&listing.unreadable);
    Ok(directory::entries(
        &listing.records,
        &store
            .list::<Member>(false)?
            .into_iter()
            .map(|m| m.name)
            .collect::<Vec<_>>(),
        &store.list::<Site>(true)?,
    ))
}

/// `bureau org [--json] [--csv]`: the org chart as an indented tree.
pub fn org(store: &Store, json: bool, csv: bool) -> Result<()> {
    if csv {
        let bytes = directory::csv(&everyone(store)?)?;
        super::output::write_out(&String::from_utf8(bytes)?);
        return Ok(());
    }
    let people = store.list::<Person>(false)?;
    let chart = org_chart(&people);
    if json {
        return print_json(&chart);
    }
    if chart.is_empty() {
        note!(
            "nobody in the directory yet (add someone with `bureau person set NAME --manager NAME`)"
        );
        return Ok(());
    }
    fn print(node: &OrgNode, depth: usize) {
        let role = [node.title.as_str(), node.department.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let role = if role.is_empty() {
            String::new()
        } else {
            format!(" ({role})")
        };
        say!("{}{}{role}", "  ".repeat(depth), node.name);
        for r in &node.reports {
            print(r, depth + 1);
        }
    }
    for node in &chart {
        print(node, 0);
    }
    Ok(())
}
