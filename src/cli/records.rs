//! Record commands derived from a kind's description
//! ([`crate::model::schema::Described`]): `add`, `list`, `show`, `set`,
//! `rename`, `delete`, `restore`, each with `--json` where it prints. Fields
//! are typed as `KEY=VALUE` (`due=fri`, `owner="Ben Ode"`); the keys are the
//! kind's field names, and a first argument without `=` is the name
//! (`bureau site add Annex`). Records are named by id, id prefix or (for
//! kinds with unique names) name. Every change goes through the operations
//! layer.

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use super::resolve_id;
use crate::model::schema::Described;
use crate::ops::{FieldInput, Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// Add a record: NAME, then any KEY=VALUE fields; prints the new id alone.
    Add {
        #[arg(value_name = "NAME|KEY=VALUE", required = true)]
        fields: Vec<String>,
    },
    #[command(flatten)]
    Read(ReadCommand),
    #[command(flatten)]
    Change(ChangeCommand),
    /// Merge a duplicate into the record to keep (two made with one name on
    /// two offline devices): its tasks or stock move over, it goes to the Trash.
    Merge { duplicate: String, into: String },
}

/// `list` and `show`, shared by every kind's command group.
#[derive(Debug, Subcommand)]
pub enum ReadCommand {
    /// List records (add --all for deleted ones too).
    List {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        all: bool,
    },
    /// Show one record with every field.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

/// The commands that change one existing record, shared by every kind's
/// command group.
#[derive(Debug, Subcommand)]
pub enum ChangeCommand {
    /// Change fields: KEY=VALUE ... (other fields are not touched).
    Set {
        id: String,
        #[arg(value_name = "KEY=VALUE", required = true)]
        fields: Vec<String>,
    },
    /// Give a record a new name.
    Rename { id: String, new_name: String },
    /// Move a record to the trash.
    Delete { id: String },
    /// Bring a record back from the trash.
    Restore { id: String },
}

/// `KEY=VALUE` arguments as field inputs, or one error saying what to type.
pub fn assignments<R: Described>(args: &[String]) -> Result<Vec<FieldInput>> {
    args.iter()
        .map(|arg| {
            let (key, value) = arg.split_once('=').ok_or_else(|| {
                anyhow::anyhow!("{arg:?}: type fields as KEY=VALUE, e.g. name=\"Move office\"")
            })?;
            let key = key.trim().replace('-', "_");
            R::spec(&key)?;
            Ok((key, value.to_string()))
        })
        .collect()
}

pub fn run<R: Described>(
    store: &Store,
    session: &mut Session,
    command: RecordCommand,
) -> Result<()> {
    match command {
        RecordCommand::Add { mut fields } => {
            if let Some(first) = fields.first_mut()
                && !first.contains('=')
            {
                *first = format!("{}={first}", R::NAME_FIELD);
            }
            let fields = assignments::<R>(&fields)?;
            let outcome = session.apply(
                store,
                Op::Create {
                    kind: R::KIND.into(),
                    fields,
                },
            )?;
            say!("{}", outcome.created.unwrap_or_default());
        }
        RecordCommand::Read(read) => run_read::<R>(store, read)?,
        RecordCommand::Change(change) => run_change::<R>(store, session, change)?,
        RecordCommand::Merge { duplicate, into } => {
            let op = Op::MergeInto {
                kind: R::KIND.into(),
                from: resolve::<R>(store, &duplicate)?,
                into: resolve::<R>(store, &into)?,
            };
            super::report_outcome(&session.apply(store, op)?)?;
        }
    }
    Ok(())
}

/// Options given on the command line as field inputs (those not given
/// are left out).
pub fn fields(given: Vec<(&str, Option<String>)>) -> Vec<FieldInput> {
    given
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect()
}

/// Creates a record of `kind` and prints its id alone.
pub fn create(
    store: &Store,
    session: &mut Session,
    kind: &str,
    fields: Vec<FieldInput>,
) -> Result<()> {
    say!("{}", created(store, session, kind, fields)?);
    Ok(())
}

/// Creates a record of `kind`; its id.
pub fn created(
    store: &Store,
    session: &mut Session,
    kind: &str,
    fields: Vec<FieldInput>,
) -> Result<String> {
    let op = Op::Create {
        kind: kind.into(),
        fields,
    };
    Ok(session.apply(store, op)?.created.unwrap_or_default())
}

/// `list` and `show` for a kind.
pub fn run_read<R: Described>(store: &Store, command: ReadCommand) -> Result<()> {
    match command {
        ReadCommand::List { json, all } => {
            let listing = store.listing::<R>(all)?;
            super::report_unreadable(&listing.unreadable);
            if json {
                return print_json(&listing.records);
            }
            print_table(store, &listing.records)?;
        }
        ReadCommand::Show { id, json } => {
            let id = resolve::<R>(store, &id)?;
            let record = store.require::<R>(&id)?;
            let conflicts = store.conflicts::<R>(&id)?;
            if json {
                return print_json(
                    &serde_json::json!({ R::LABEL: record, "conflicts": conflicts }),
                );
            }
            say!("{}  {}", record.id(), record.name());
            for spec in R::fields() {
                let value = record.field_text(spec.key).unwrap_or_default();
                if !value.is_empty() {
                    say!("{:<16} {value}", format!("{}:", spec.key));
                }
            }
            if let Some(deleted) = record.deleted_at() {
                say!("in the trash since {deleted}");
            }
            for c in conflicts {
                let values: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
                say!("conflict in {}: {}", c.field, values.join(" vs "));
            }
        }
    }
    Ok(())
}

/// `set`, `delete` and `restore` for a kind.
pub fn run_change<R: Described>(
    store: &Store,
    session: &mut Session,
    command: ChangeCommand,
) -> Result<()> {
    let kind = R::KIND.to_string();
    let op = match command {
        ChangeCommand::Set { id, fields } => Op::Edit {
            kind,
            id: resolve::<R>(store, &id)?,
            fields: assignments::<R>(&fields)?,
        },
        ChangeCommand::Rename { id, new_name } => Op::Edit {
            kind,
            id: resolve::<R>(store, &id)?,
            fields: vec![(R::NAME_FIELD.to_string(), new_name)],
        },
        ChangeCommand::Delete { id } => Op::Delete {
            kind,
            id: resolve::<R>(store, &id)?,
        },
        ChangeCommand::Restore { id } => Op::Restore {
            kind,
            id: resolve::<R>(store, &id)?,
        },
    };
    super::report_outcome(&session.apply(store, op)?)?;
    Ok(())
}

/// A record named on the command line: its id, a unique id prefix, or (for
/// kinds with unique names) its name. An ambiguous name is refused with the
/// candidates and their ids.
pub fn resolve<R: Described>(store: &Store, given: &str) -> Result<String> {
    if let Ok(id) = resolve_id::<R>(store, given) {
        return Ok(id);
    }
    if R::UNIQUE_NAME {
        let matches: Vec<R> = store
            .list::<R>(true)?
            .into_iter()
            .filter(|r| crate::model::schema::same_name(r.name(), given))
            .collect();
        match matches.as_slice() {
            [one] => return Ok(one.id().to_string()),
            [] => {}
            many => {
                let candidates: Vec<String> = many
                    .iter()
                    .map(|r| format!("{} ({})", r.name(), r.id()))
                    .collect();
                anyhow::bail!(
                    "{} {}s are named {given:?}: {}; give the id",
                    many.len(),
                    R::LABEL,
                    candidates.join(", ")
                );
            }
        }
    }
    resolve_id::<R>(store, given)
}

/// The kind's column fields as a table, id first; references by name.
fn print_table<R: Described>(store: &Store, records: &[R]) -> Result<()> {
    let columns: Vec<_> = R::fields().iter().filter(|f| f.column).collect();
    let mut names = std::collections::BTreeMap::new();
    for spec in &columns {
        if let crate::model::schema::FieldKind::Reference(kind) = spec.kind {
            names.insert(spec.key, crate::ops::reference_names(store, kind)?);
        }
    }
    let shown = |r: &R, key: &str| {
        let text = r.field_text(key).unwrap_or_default();
        names
            .get(key)
            .and_then(|n| n.get(&text))
            .cloned()
            .unwrap_or(text)
    };
    let mut headers = vec!["ID".to_string()];
    headers.extend(columns.iter().map(|f| f.key.to_uppercase()));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut out = table(&headers);
    for r in records {
        let mut row = vec![r.id().to_string()];
        row.extend(columns.iter().map(|f| shown(r, f.key)));
        out.add_row(row);
    }
    if records.is_empty() {
        note!("no {}s", R::LABEL);
    } else {
        say!("{out}");
    }
    Ok(())
}

/// `bureau project ...`: the record commands plus archiving.
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    #[command(flatten)]
    Record(RecordCommand),
    /// Archive a project (it leaves the pickers; its tasks keep it).
    Archive { id: String },
    /// Bring an archived project back.
    Unarchive { id: String },
}

pub fn run_project(store: &Store, session: &mut Session, command: ProjectCommand) -> Result<()> {
    use crate::model::{Project, Record};
    let (id, archived) = match command {
        ProjectCommand::Record(cmd) => return run::<Project>(store, session, cmd),
        ProjectCommand::Archive { id } => (id, "yes"),
        ProjectCommand::Unarchive { id } => (id, "no"),
    };
    let id = resolve::<Project>(store, &id)?;
    session.apply(store, Op::set(Project::KIND, &id, "archived", archived))?;
    Ok(())
}
