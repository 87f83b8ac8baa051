//! `bureau bench years`: the XL office, five years of a 30-person office
//! (about 50,000 tasks and 500,000 changes), and what it costs to open and
//! to join.
//!
//! The workspace is made by `init` and filled through the store like any
//! office (a small one: the other areas). The five years of tasks are
//! written in memory on the workspace's own Tasks document, as the store
//! writes them (the record's map reconciled, then only the changed fields,
//! one Automerge change per edit, each by one of 30 members' devices at its
//! time in the past), then saved as one snapshot: one fsync per change
//! would take hours. Every task is created and then edited about nine times
//! over its life (started, retitled, re-dated, reassigned, commented,
//! finished); the last months' are still open.
//!
//! Figures: cold open to a usable dashboard (root document, the dashboard's
//! documents, its queries) and peak RSS, in a child process as `bench open`
//! measures them; and an initial sync to an empty peer on loopback.
//!
//! Then the office is archived as `bureau archive run` does it (a live
//! Tasks document holding every open task and this year's closed ones,
//! current state only, and one document per past year with that year's
//! closed tasks) and measured again: cold open, each year's archive loaded
//! on demand, a search of every year, and a join.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use automerge::transaction::CommitOptions;
use automerge::{ActorId, Automerge, ReadDoc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::fixture::{OfficeSize, PEOPLE, build_office, words};
use super::sync::ms;
use super::{ColdOpen, measure_cold_open_in_child};
use crate::model::*;
use crate::store::records::{kind_map_mut, write_edit};
use crate::sync::{NetOptions, Node, node};

/// How big the office of years is.
#[derive(Debug, Clone, Copy)]
pub struct YearsSize {
    pub members: usize,
    pub years: i64,
    pub tasks: usize,
    /// Edits over each task's life after its creation (on average).
    pub edits_per_task: usize,
}

impl YearsSize {
    /// Five years of a 30-person office: 50,000 tasks, 500,000 changes.
    pub const XL: YearsSize = YearsSize {
        members: 30,
        years: 5,
        tasks: 50_000,
        edits_per_task: 9,
    };

    pub fn scaled(self, factor: f64) -> YearsSize {
        YearsSize {
            tasks: ((self.tasks as f64 * factor).round() as usize).max(10),
            ..self
        }
    }
}

/// What `bench years` measured.
#[derive(Debug)]
pub struct YearsReport {
    pub size: YearsSize,
    pub changes: usize,
    /// Operations in the Tasks document (every value ever written).
    pub ops: u64,
    pub build: Duration,
    pub tasks_doc_bytes: u64,
    pub all_docs_bytes: u64,
    pub cold_open: Option<ColdOpen>,
    pub initial_sync: Duration,
    pub initial_bytes: u64,
    pub archived: Archived,
}

/// The office of years after `bureau archive run`.
#[derive(Debug)]
pub struct Archived {
    pub live_tasks: usize,
    pub archived_tasks: usize,
    /// How long the archive itself took.
    pub rotate: Duration,
    pub live_bytes: u64,
    pub live_ops: u64,
    pub cold_open: Option<ColdOpen>,
    /// Per past year: its closed tasks, the archive's size, its load time.
    pub years: Vec<(i32, usize, u64, Duration)>,
    /// Searching every year from a fresh open: time, tasks found.
    pub search: (Duration, usize),
    /// Joining after the archive: time to in sync, bytes on the wire.
    pub join: (Duration, u64),
}

/// The cold-open rows of a table, and the one the goal is about.
fn cold_open_rows(f: &mut fmt::Formatter<'_>, cold_open: &Option<ColdOpen>) -> fmt::Result {
    let Some(open) = cold_open else {
        return writeln!(f, "| cold open | could not be measured |");
    };
    write!(f, "{open}")?;
    writeln!(
        f,
        "| **cold open to a usable dashboard** (root + dashboard documents + queries) | {} |",
        ms(open.open + open.load_dashboard_docs + open.dashboard_queries)
    )
}

impl fmt::Display for YearsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = |b: u64| format!("{:.1} MiB", b as f64 / 1048576.0);
        writeln!(f, "| figure | value |")?;
        writeln!(f, "|---|---|")?;
        writeln!(
            f,
            "| fixture | {} members, {} years, {} tasks, {} changes and {} operations in the Tasks document |",
            self.size.members, self.size.years, self.size.tasks, self.changes, self.ops
        )?;
        writeln!(f, "| build | {:.1} s |", self.build.as_secs_f64())?;
        writeln!(
            f,
            "| compacted size: Tasks document / every document | {} / {} |",
            mib(self.tasks_doc_bytes),
            mib(self.all_docs_bytes)
        )?;
        cold_open_rows(f, &self.cold_open)?;
        writeln!(
            f,
            "| initial sync to an empty peer (join -> in sync) | {}, {} on the wire ({:.2}x compacted) |",
            ms(self.initial_sync),
            mib(self.initial_bytes),
            self.initial_bytes as f64 / self.all_docs_bytes.max(1) as f64
        )?;
        let a = &self.archived;
        writeln!(f)?;
        writeln!(
            f,
            "After `bureau archive run` ({} to archive {} tasks): the live Tasks document holds {} tasks (open, or closed this year), current state only: {} operations, {}",
            ms(a.rotate),
            a.archived_tasks,
            a.live_tasks,
            a.live_ops,
            mib(a.live_bytes)
        )?;
        writeln!(f)?;
        writeln!(f, "| figure | value |")?;
        writeln!(f, "|---|---|")?;
        cold_open_rows(f, &a.cold_open)?;
        writeln!(
            f,
            "| initial sync to an empty peer after the archive | {}, {} on the wire |",
            ms(a.join.0),
            mib(a.join.1)
        )?;
        writeln!(
            f,
            "| search every archived year from a fresh open ({} found) | {} |",
            a.search.1,
            ms(a.search.0)
        )?;
        for (year, tasks, bytes, load) in &a.years {
            writeln!(
                f,
                "| archive {year}: {tasks} closed tasks | {}, loads in {} |",
                mib(*bytes),
                ms(*load)
            )?;
        }
        Ok(())
    }
}

/// One member of the office of years: its id (the change's author) and
/// its device's actor.
struct Member {
    id: String,
    actor: ActorId,
}

/// Writes `size`'s years of tasks onto the Tasks document `doc`; returns
/// how many changes it made.
fn write_years(doc: &mut Automerge, size: YearsSize, today: Date, seed: u64) -> Result<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    let members: Vec<Member> = (0..size.members)
        .map(|_| Member {
            id: new_id(),
            actor: ActorId::random(),
        })
        .collect();
    let day_ms = 86_400_000i64;
    // Nine in the morning of `today`, UTC.
    let end = Stamp::from_millis(
        today
            .0
            .and_hms_opt(9, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis()),
    );
    let span = size.years * 365 * day_ms;
    let start = end.millis() - span;
    let mut changes = 0;
    let mut commit = |doc: &mut Automerge,
                      who: &Member,
                      at: i64,
                      message: String,
                      write: &mut dyn FnMut(
        &mut automerge::transaction::Transaction<'_>,
        &Audit,
    ) -> crate::store::Result<()>|
     -> Result<()> {
        doc.set_author(Some(automerge::Author::from(who.id.as_bytes().to_vec())));
        doc.set_actor(who.actor.clone());
        let audit = Audit {
            member_id: who.id.clone(),
            at: Stamp::from_millis(at),
        };
        let mut tx = doc.transaction();
        write(&mut tx, &audit)?;
        tx.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(at / 1000),
        );
        changes += 1;
        Ok(())
    };
    for i in 0..size.tasks {
        let created = start + (span as f64 * i as f64 / size.tasks as f64) as i64;
        let who = &members[rng.random_range(0..members.len())];
        let id = new_id();
        let title = super::fixture::TASKS[i % super::fixture::TASKS.len()].to_string();
        let mut task = Task {
            id: id.clone(),
            title,
            owner: Some(PEOPLE[rng.random_range(0..PEOPLE.len())].to_string()),
            priority: Priority::ALL[rng.random_range(0..Priority::ALL.len())],
            due: Some(
                Stamp::from_millis(created)
                    .date()
                    .add_days(rng.random_range(3..40)),
            ),
            ..Default::default()
        };
        commit(
            doc,
            who,
            created,
            format!("create tasks {id}"),
            &mut |tx, audit| {
                let map = kind_map_mut(tx, Task::KIND)?;
                task.touch(audit, true);
                autosurgeon::reconcile_prop(tx, &map, id.as_str(), &task)?;
                Ok(())
            },
        )?;
        let age_days = (end.millis() - created) / day_ms;
        let edits = rng.random_range(size.edits_per_task / 2..=size.edits_per_task * 3 / 2);
        let mut at = created;
        for e in 0..edits {
            at += rng.random_range(1..(day_ms * 3));
            if at >= end.millis() {
                break;
            }
            let who = &members[rng.random_range(0..members.len())];
            let before = task.clone();
            let last = e + 1 == edits;
            match (last, e % 5) {
                (true, _) if age_days > 90 => {
                    task.set_status(TaskStatus::Done, None, Stamp::from_millis(at));
                }
                (_, 0) => {
                    task.set_status(TaskStatus::InProgress, None, Stamp::from_millis(at));
                }
                (_, 1) => task.due = task.due.map(|d| d.add_days(rng.random_range(1..10))),
                (_, 2) => task.owner = Some(PEOPLE[rng.random_range(0..PEOPLE.len())].to_string()),
                (_, 3) => {
                    let n = rng.random_range(4..14);
                    task.description = format!("{} {}", task.description, words(&mut rng, n))
                        .trim()
                        .to_string();
                }
                _ => task.priority = Priority::ALL[rng.random_range(0..Priority::ALL.len())],
            }
            let after = task.clone();
            commit(
                doc,
                who,
                at,
                format!("edit tasks {id}"),
                &mut |tx, audit| {
                    let map = kind_map_mut(tx, Task::KIND)?;
                    let Some((_, obj)) = tx.get(&map, id.as_str())? else {
                        return Ok(());
                    };
                    write_edit(tx, &obj, &before, after.clone(), audit)?;
                    Ok(())
                },
            )?;
            task.touch(
                &Audit {
                    member_id: who.id.clone(),
                    at: Stamp::from_millis(at),
                },
                false,
            );
        }
        if i % 1000 == 999 {
            eprint!("\rbuilding five years: {}/{} tasks   ", i + 1, size.tasks);
        }
    }
    eprintln!();
    Ok(changes)
}

const TODAY: (i32, u32, u32) = (2026, 11, 22);

fn today() -> Date {
    Date::new(TODAY.0, TODAY.1, TODAY.2).unwrap_or_default()
}

/// A new workspace in `dir` with a small office in its other areas (built
/// through the store); its Tasks document's id and the document.
fn small_office(runtime: &tokio::runtime::Runtime, dir: &Path) -> Result<(String, Automerge)> {
    let store = runtime.block_on(node::create_workspace(dir, "Office of years", "Ana"))?;
    let mut others = OfficeSize::LARGE.scaled(0.1);
    others.tasks = 10;
    build_office(&store, others, 11, today(), |_, _| ())?;
    let tasks = store.handle(Area::Tasks)?;
    let doc_id = tasks.document_id().to_string();
    let doc = tasks.with_document(|d| d.clone());
    runtime.block_on(store.close());
    Ok((doc_id, doc))
}

/// Builds the office of years in the empty data directory `dir`; how many
/// changes it wrote, and its Tasks document.
pub fn build(
    runtime: &tokio::runtime::Runtime,
    dir: &Path,
    size: YearsSize,
) -> Result<(usize, Automerge)> {
    let (doc_id, mut doc) = small_office(runtime, dir)?;
    let changes = write_years(&mut doc, size, today(), 5)?;
    crate::store::seed::write_snapshot(dir, &doc_id, &doc)
        .context("saving the five years of tasks")?;
    Ok((changes, doc))
}

/// Archives the office of years in `dir` (`bureau archive run`, as of
/// January 1 of the fixture's year) and measures the result: the cold
/// open, each past year's archive loaded on demand, a search of every
/// year, and a join.
fn archive_and_measure(
    runtime: &tokio::runtime::Runtime,
    dir: &Path,
    joiner: &Path,
) -> Result<Archived> {
    let store = runtime.block_on(crate::store::Store::open(dir, "bench"))?;
    let session = crate::ops::Session::open(&store)?.with_today(today());
    let started = Instant::now();
    let rotation = session.archive(&store, Area::Tasks, None)?;
    let rotate = started.elapsed();
    let live = store.handle(Area::Tasks)?;
    let (live_bytes, live_ops) = live.with_document(|d| (d.save().len() as u64, d.stats().num_ops));
    runtime.block_on(store.close());

    // The first open after the archive tidies the old document's chunks;
    // the second is timed.
    measure_cold_open_in_child(dir);
    let cold_open = measure_cold_open_in_child(dir);

    // Each past year, loaded on demand by a store that has just opened.
    let store = runtime.block_on(crate::store::Store::open(dir, "bench"))?;
    let mut years = Vec::new();
    for year in rotation.archives.keys() {
        let started = Instant::now();
        let tasks = store.archived::<Task>(*year)?;
        let load = started.elapsed();
        let id = &rotation.archives[year];
        let bytes = store
            .loaded_handles()
            .iter()
            .find(|h| h.document_id() == id)
            .map_or(0, |h| h.with_document(|d| d.save().len() as u64));
        years.push((*year, tasks.records.len(), bytes, load));
    }
    let started = Instant::now();
    let found = store.search_archive("printer toner", None)?;
    let search = (started.elapsed(), found.len());
    runtime.block_on(store.close());

    // A device joining after the archive: the live documents only.
    let a = runtime.block_on(Node::start(dir, "bench", &NetOptions::loopback()))?;
    let ticket = a.invite(Role::Member, Duration::from_secs(600))?;
    let before = a.traffic().sent();
    let started = Instant::now();
    let b = runtime.block_on(Node::join(joiner, &ticket, "Cy", &NetOptions::loopback()))?;
    runtime.block_on(b.wait_in_sync(Duration::from_secs(600)))?;
    let join = (
        started.elapsed(),
        a.traffic().sent() - before + b.traffic().sent(),
    );
    runtime.block_on(b.shutdown());
    runtime.block_on(a.shutdown());
    Ok(Archived {
        live_tasks: rotation.kept as usize,
        archived_tasks: rotation.archived as usize,
        rotate,
        live_bytes,
        live_ops,
        cold_open,
        years,
        search,
        join,
    })
}

/// Builds the office of years (in `dir`, else a temporary directory) and
/// measures it.
pub fn run(
    runtime: &tokio::runtime::Runtime,
    scale: f64,
    dir: Option<&Path>,
) -> Result<YearsReport> {
    let temp = tempfile::tempdir()?;
    let root = dir.map_or_else(|| temp.path().to_path_buf(), Path::to_path_buf);
    let (a_dir, b_dir) = (root.join("years"), root.join("joiner"));
    let size = YearsSize::XL.scaled(scale);
    let started = Instant::now();
    let (changes, years) = build(runtime, &a_dir, size)?;
    let build = started.elapsed();
    let ops = years.stats().num_ops;
    drop(years);

    // The first open compacts what the build wrote; the second is timed.
    measure_cold_open_in_child(&a_dir);
    let cold_open = measure_cold_open_in_child(&a_dir);

    let a = runtime.block_on(Node::start(&a_dir, "bench", &NetOptions::loopback()))?;
    let docs = a.store().documents()?;
    let mut all_docs_bytes = 0;
    let mut tasks_doc_bytes = 0;
    let tasks_id = a.store().handle(Area::Tasks)?.document_id().clone();
    for d in &docs {
        let len = d.with_document(|doc| doc.save().len() as u64);
        all_docs_bytes += len;
        if *d.document_id() == tasks_id {
            tasks_doc_bytes = len;
        }
    }
    let ticket = a.invite(Role::Member, Duration::from_secs(600))?;
    let before = a.traffic().sent();
    let started = Instant::now();
    let b = runtime.block_on(Node::join(&b_dir, &ticket, "Ben", &NetOptions::loopback()))?;
    runtime.block_on(b.wait_in_sync(Duration::from_secs(600)))?;
    let initial_sync = started.elapsed();
    let initial_bytes = a.traffic().sent() - before + b.traffic().sent();
    runtime.block_on(b.shutdown());
    runtime.block_on(a.shutdown());
    let archived = archive_and_measure(runtime, &a_dir, &root.join("joiner-after-archive"))?;
    Ok(YearsReport {
        size,
        changes,
        ops,
        build,
        tasks_doc_bytes,
        all_docs_bytes,
        cold_open,
        initial_sync,
        initial_bytes,
        archived,
    })
}
