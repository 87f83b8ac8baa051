//! The yearly archive: `bureau archive run [--before DATE]` (admins),
//! `bureau archive list` and `bureau archive search [TEXT] [--year YEAR]`.

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use crate::model::{Area, Date};
use crate::ops::Session;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Move tasks finished before a day (default: January 1 of this year)
    /// to one archive document per year; the rest stay live. Admins only.
    Run {
        /// Tasks finished before this day are archived (YYYY-MM-DD).
        #[arg(long)]
        before: Option<Date>,
    },
    /// Archived years, and whether each is on this machine.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Find archived tasks by words in their title, description, owner,
    /// tags or comments (no words: every archived task).
    Search {
        /// Words that must all appear.
        text: Vec<String>,
        /// Only this year's archive.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(store: &Store, session: &Session, command: ArchiveCommand) -> Result<()> {
    match command {
        ArchiveCommand::Run { before } => {
            let r = session.archive(store, Area::Tasks, before)?;
            let years: Vec<String> = r.archives.keys().map(|y| y.to_string()).collect();
            let tasks = |n: u64| format!("{n} task{}", if n == 1 { "" } else { "s" });
            let into = if years.len() == 1 {
                "one archive"
            } else {
                "yearly archives"
            };
            say!(
                "archived {} finished before {} into {into} ({}); {} in the live list",
                tasks(r.archived),
                r.before,
                years.join(", "),
                tasks(r.kept)
            );
            note!("find them with `bureau archive search WORDS`");
            Ok(())
        }
        ArchiveCommand::List { json } => list(store, json),
        ArchiveCommand::Search { text, year, json } => {
            let found = store.search_archive(&text.join(" "), year)?;
            if json {
                return print_json(&found);
            }
            if found.is_empty() {
                note!("no archived task matches");
                return Ok(());
            }
            let mut out = table(&["YEAR", "ID", "FINISHED", "OWNER", "TITLE"]);
            for f in &found {
                out.add_row(vec![
                    f.year.to_string(),
                    f.task.id.clone(),
                    f.task
                        .completed_at
                        .map(|s| s.date().to_string())
                        .unwrap_or_default(),
                    f.task.owner.clone().unwrap_or_default(),
                    f.task.title.clone(),
                ]);
            }
            say!("{out}");
            Ok(())
        }
    }
}

fn list(store: &Store, json: bool) -> Result<()> {
    let archives = store.archives()?;
    if json {
        let value: Vec<serde_json::Value> = archives
            .iter()
            .map(|a| {
                serde_json::json!({
                    "area": a.area.name(),
                    "live_here": a.live_here,
                    "years": a.years.iter().map(|(y, here)| serde_json::json!({"year": y, "here": here})).collect::<Vec<_>>(),
                    "rotations": a.rotations.iter().map(|r| serde_json::json!({
                        "before": r.before.to_string(),
                        "by": r.by,
                        "at": r.at,
                        "archived": r.archived,
                        "kept": r.kept,
                        "live_document": r.live.to_string(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return print_json(&value);
    }
    if archives.is_empty() {
        note!("nothing is archived yet (`bureau archive run` moves past years' finished tasks)");
        return Ok(());
    }
    let members = store.list::<crate::model::Member>(true).unwrap_or_default();
    let name = |id: &str| {
        members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut out = table(&["AREA", "YEAR", "ON THIS MACHINE"]);
    for a in &archives {
        for (year, here) in &a.years {
            out.add_row(vec![
                a.area.name().to_string(),
                year.to_string(),
                if *here { "yes" } else { "not yet" }.to_string(),
            ]);
        }
    }
    say!("{out}");
    for a in &archives {
        for r in &a.rotations {
            say!(
                "{}: {} archived before {} by {} on {} ({} stayed live)",
                a.area.name(),
                r.archived,
                r.before,
                name(&r.by),
                r.at.date(),
                r.kept
            );
        }
        if !a.live_here {
            note!(
                "this device has not received the new {} document yet; it keeps using the old one until then",
                a.area.name()
            );
        }
    }
    Ok(())
}
