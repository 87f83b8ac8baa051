//! `bureau doc ...`: SOPs, policies and guides. A document's body is
//! Markdown, co-edited (`doc edit` sends what changed, so a teammate's
//! words typed meanwhile stay), with every version kept: `doc history`
//! lists them, `doc diff` compares two, `doc restore` puts one back.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use super::output::{note, opt, print_json, say, table};
use super::records::{ChangeCommand, fields, resolve, run_change};
use crate::model::{Doc, Member, Record};
use crate::ops::{Op, Session, TextChange};
use crate::store::{BodyVersion, Store};
use crate::views::docs::DiffRow;

#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// Add a document; prints the new id alone.
    Add(DocArgs),
    /// Show a document and its text (--markdown: only the text, as stored).
    Show {
        id: String,
        #[arg(long)]
        markdown: bool,
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
    },
    /// Replace the text with a file's: only what differs is changed, so
    /// edits others made meanwhile stay.
    Edit {
        id: String,
        #[arg(long)]
        body_file: PathBuf,
    },
    /// Every version of the text: who changed it, when, and how much.
    History {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The lines of two versions, `+` added and `-` removed (numbers from
    /// `doc history`; TO defaults to the latest).
    Diff {
        id: String,
        from: String,
        to: Option<String>,
    },
    /// Put the text back as it was in a version (a new change, undoable);
    /// without --version, bring the document back from the trash.
    Restore {
        id: String,
        #[arg(long)]
        version: Option<String>,
    },
    /// Record a review today: the next one is due a cycle later.
    Reviewed { id: String },
    /// Documents by title (--review-due: only those due for review).
    List {
        #[arg(long)]
        review_due: bool,
        #[arg(long)]
        json: bool,
    },
    /// Set fields as KEY=VALUE (title, category, owner, review_months,
    /// last_reviewed, review_date).
    Set {
        id: String,
        #[arg(value_name = "KEY=VALUE")]
        fields: Vec<String>,
    },
    /// Move a document to the trash.
    Delete { id: String },
}

#[derive(Debug, Args)]
pub struct DocArgs {
    pub title: String,
    /// sop, policy or guide.
    #[arg(long)]
    pub category: String,
    #[arg(long)]
    pub owner: Option<String>,
    /// How often it is reviewed: 6m, 12m, 1y…
    #[arg(long)]
    pub review_every: Option<String>,
    /// The text, in Markdown.
    #[arg(long)]
    pub body_file: Option<PathBuf>,
}

fn read_body(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

pub fn run(store: &Store, session: &mut Session, command: DocCommand) -> Result<()> {
    match command {
        DocCommand::Add(a) => {
            let body = a.body_file.as_ref().map(read_body).transpose()?;
            let op = Op::CreateDoc {
                fields: fields(vec![
                    ("title", Some(a.title)),
                    ("category", Some(a.category)),
                    ("owner", a.owner),
                    ("review_months", a.review_every),
                ]),
                body: body.unwrap_or_default(),
            };
            say!("{}", session.apply(store, op)?.created.unwrap_or_default());
            Ok(())
        }
        DocCommand::Show { id, markdown, json } => show(store, &id, markdown, json),
        DocCommand::Edit { id, body_file } => {
            let id = resolve::<Doc>(store, &id)?;
            let doc = store.require::<Doc>(&id)?;
            let after = read_body(&body_file)?;
            let before = store.doc_text(&doc)?;
            if before == after {
                note!("the text is already the same as {}", body_file.display());
                return Ok(());
            }
            let op = Op::EditText {
                kind: Doc::KIND.into(),
                id,
                field: "body".into(),
                change: TextChange::Replace { before, after },
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        DocCommand::History { id, json } => history(store, &id, json),
        DocCommand::Diff { id, from, to } => diff(store, &id, &from, to.as_deref()),
        DocCommand::Restore { id, version: None } => {
            run_change::<Doc>(store, session, ChangeCommand::Restore { id })
        }
        DocCommand::Restore {
            id,
            version: Some(version),
        } => {
            let id = resolve::<Doc>(store, &id)?;
            let doc = store.require::<Doc>(&id)?;
            let versions = store.body_versions(&doc.body_doc)?;
            let version = pick(&versions, &version)?.hash.clone();
            let op = Op::RestoreDocVersion { doc: id, version };
            super::report_outcome(&session.apply(store, op)?)
        }
        DocCommand::Reviewed { id } => {
            let op = Op::Edit {
                kind: Doc::KIND.into(),
                id: resolve::<Doc>(store, &id)?,
                fields: vec![("last_reviewed".into(), "today".into())],
            };
            super::report_outcome(&session.apply(store, op)?)?;
            Ok(())
        }
        DocCommand::List { review_due, json } => list(store, review_due, json),
        DocCommand::Set { id, fields } => {
            run_change::<Doc>(store, session, ChangeCommand::Set { id, fields })
        }
        DocCommand::Delete { id } => {
            run_change::<Doc>(store, session, ChangeCommand::Delete { id })
        }
    }
}

fn show(store: &Store, id: &str, markdown: bool, json: bool) -> Result<()> {
    let id = resolve::<Doc>(store, id)?;
    let doc = store.require::<Doc>(&id)?;
    let body = store.doc_text(&doc)?;
    if markdown {
        super::output::write_out(&body);
        return Ok(());
    }
    if json {
        return print_json(&serde_json::json!({ "document": doc, "body": body }));
    }
    say!("{}  {}", doc.id, doc.title);
    say!("category:        {}", doc.category.title());
    say!("owner:           {}", opt(doc.owner.as_ref()));
    if let Some(months) = doc.review_months {
        say!("review every:    {months} months");
    }
    say!("next review:     {}", opt(doc.review_date));
    if let Some(at) = doc.body_edited_at {
        say!(
            "text edited:     {at} by {}",
            opt(doc.body_edited_by.as_ref())
        );
    }
    if doc.is_deleted() {
        say!("in the trash");
    }
    say!("");
    say!("{body}");
    Ok(())
}

/// A version as given: its number in `doc history` or a hash prefix.
fn pick<'a>(versions: &'a [BodyVersion], given: &str) -> Result<&'a BodyVersion> {
    if let Ok(n) = given.trim().parse::<usize>()
        && (1..=versions.len()).contains(&n)
    {
        return Ok(&versions[n - 1]);
    }
    let found: Vec<&BodyVersion> = versions
        .iter()
        .filter(|v| given.len() >= 6 && v.hash.starts_with(given))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        _ => anyhow::bail!(
            "no version {given:?}: give a number from 1 to {} (see `bureau doc history`)",
            versions.len()
        ),
    }
}

/// Lines added and removed from `before` to `after`.
fn line_counts(before: &str, after: &str) -> (usize, usize) {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut counts = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => counts.0 += 1,
            similar::ChangeTag::Delete => counts.1 += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    counts
}

#[derive(serde::Serialize)]
struct HistoryRow<'a> {
    number: usize,
    #[serde(flatten)]
    version: &'a BodyVersion,
    who: String,
    lines_added: usize,
    lines_removed: usize,
}

fn history(store: &Store, id: &str, json: bool) -> Result<()> {
    let id = resolve::<Doc>(store, id)?;
    let doc = store.require::<Doc>(&id)?;
    let versions = store.body_versions(&doc.body_doc)?;
    let names: BTreeMap<String, String> = store
        .list::<Member>(true)?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut rows = Vec::new();
    let mut previous = String::new();
    for (i, version) in versions.iter().enumerate() {
        let text = store.body_text_at(&doc.body_doc, &version.hash)?;
        let (lines_added, lines_removed) = line_counts(&previous, &text);
        previous = text;
        rows.push(HistoryRow {
            number: i + 1,
            who: names
                .get(&version.member_id)
                .cloned()
                .unwrap_or_else(|| version.member_id.clone()),
            version,
            lines_added,
            lines_removed,
        });
    }
    if json {
        return print_json(&rows);
    }
    let mut t = table(&["#", "When", "Who", "Device", "Lines"]);
    for r in &rows {
        t.add_row(vec![
            r.number.to_string(),
            r.version.at.to_string(),
            r.who.clone(),
            r.version.device.chars().take(8).collect(),
            format!("+{} −{}", r.lines_added, r.lines_removed),
        ]);
    }
    say!("{t}");
    Ok(())
}

fn diff(store: &Store, id: &str, from: &str, to: Option<&str>) -> Result<()> {
    let id = resolve::<Doc>(store, id)?;
    let doc = store.require::<Doc>(&id)?;
    let versions = store.body_versions(&doc.body_doc)?;
    let number = |given: &str| -> Result<usize> {
        let hash = &pick(&versions, given)?.hash;
        Ok(versions.iter().position(|v| &v.hash == hash).unwrap_or(0) + 1)
    };
    let from = number(from)?;
    let to = match to {
        Some(to) => number(to)?,
        None => versions.len(),
    };
    let diff = crate::views::docs::version_diff(store, &doc, from, to)?;
    say!("version {from} → version {to}");
    if diff.is_same() {
        note!("the two versions read the same");
    }
    for row in diff.folded(2) {
        match row {
            DiffRow::Line(tag, line) => say!("{tag} {line}"),
            DiffRow::Same(n) => say!("  … {n} lines the same"),
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct ListRow<'a> {
    #[serde(flatten)]
    doc: &'a Doc,
    review_due: bool,
}

fn list(store: &Store, review_due: bool, json: bool) -> Result<()> {
    let today = super::today();
    let listing = store.listing::<Doc>(false)?;
    super::report_unreadable(&listing.unreadable);
    let mut docs: Vec<&Doc> = listing
        .records
        .iter()
        .filter(|d| !review_due || d.review_due(today))
        .collect();
    docs.sort_by_key(|d| (d.title.to_lowercase(), d.id.clone()));
    let rows: Vec<ListRow> = docs
        .into_iter()
        .map(|doc| ListRow {
            review_due: doc.review_due(today),
            doc,
        })
        .collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        note!(
            "{}",
            if review_due {
                "no document is due for review"
            } else {
                "no documents yet (add one with `bureau doc add TITLE --category sop`)"
            }
        );
        return Ok(());
    }
    let mut t = table(&["ID", "Title", "Category", "Owner", "Next review", ""]);
    for r in &rows {
        t.add_row(vec![
            r.doc.id.clone(),
            r.doc.title.clone(),
            r.doc.category.title().to_string(),
            opt(r.doc.owner.as_ref()),
            opt(r.doc.review_date),
            if r.review_due { "review due" } else { "" }.into(),
        ]);
    }
    say!("{t}");
    Ok(())
}
