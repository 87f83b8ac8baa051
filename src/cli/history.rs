//! History, restore-version, conflicts and resolve: `bureau history ID`,
//! `bureau restore-version ID --at "2026-11-20 14:00"`, `bureau conflicts`
//! and `bureau resolve ID FIELD --pick VALUE`. Records are named by id (or
//! a unique start of it), whatever their kind.

use anyhow::Result;

use super::output::{note, print_json, say, table};
use crate::model::schema::{FieldText, parse_local_time};
use crate::ops::{Op, Session};
use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct RestoreVersionArgs {
    /// The record's id (or a unique start of it).
    pub id: String,
    /// The moment to go back to, in this device's time zone
    /// ("2026-11-20 14:00", "yesterday 9:30"): every change made by the
    /// end of that minute counts.
    #[arg(long)]
    pub at: String,
}

#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// The record's id (or a unique start of it).
    pub id: String,
    /// The field, as `bureau conflicts` names it (e.g. `status`).
    pub field: String,
    /// The value to keep, as `bureau conflicts` shows it.
    #[arg(long)]
    pub pick: String,
}

/// `bureau history ID [--json]`.
pub fn history(store: &Store, id: &str, json: bool) -> Result<()> {
    let (kind, _, id) = store.locate(id)?;
    let entries = crate::ops::history::history(store, kind, &id)?;
    if json {
        return print_json(&serde_json::json!({ "kind": kind, "id": id, "changes": entries }));
    }
    let mut out = table(&["WHEN", "WHO", "DEVICE", "WHAT"]);
    for e in &entries {
        let what = if e.created {
            "created it".to_string()
        } else {
            format!("changed {}", e.fields.join(", ").to_lowercase())
        };
        out.add_row(vec![
            e.at.to_text(),
            e.by.clone(),
            e.device.chars().take(8).collect(),
            what,
        ]);
    }
    say!("{out}");
    note!("go back with `bureau restore-version {id} --at \"YYYY-MM-DD HH:MM\"`");
    Ok(())
}

/// `bureau restore-version ID --at WHEN`.
pub fn restore_version(
    store: &Store,
    session: &mut Session,
    args: &RestoreVersionArgs,
) -> Result<()> {
    let (kind, _, id) = store.locate(&args.id)?;
    let at = parse_local_time(&args.at, session.today()).map_err(anyhow::Error::msg)?;
    let outcome = session.apply(
        store,
        Op::RestoreVersion {
            kind: kind.to_string(),
            id,
            to: crate::store::Moment::Time(at),
        },
    )?;
    super::report_outcome(&outcome)
}

/// `bureau conflicts [--json]`.
pub fn conflicts(store: &Store, json: bool) -> Result<()> {
    let inbox = crate::ops::conflicts::inbox(store)?;
    if json {
        return print_json(&inbox);
    }
    if inbox.is_empty() {
        note!("no conflicts: every field holds one value");
        return Ok(());
    }
    for c in &inbox {
        say!(
            "{} “{}” ({}): {} [{}]",
            c.label,
            c.name,
            c.id,
            c.field_label,
            c.field
        );
        for (i, v) in c.values.iter().enumerate() {
            let shown = if i == 0 { " (shown now)" } else { "" };
            let at = v.at.map(|a| a.to_text()).unwrap_or_default();
            say!("  “{}” set by {} {at}{shown}", v.text, v.by);
        }
    }
    note!("keep one with `bureau resolve ID FIELD --pick VALUE`");
    Ok(())
}

/// `bureau resolve ID FIELD --pick VALUE`.
pub fn resolve(store: &Store, session: &mut Session, args: &ResolveArgs) -> Result<()> {
    let (kind, _, id) = store.locate(&args.id)?;
    let outcome = session.apply(
        store,
        Op::Resolve {
            kind: kind.to_string(),
            id,
            field: args.field.trim().to_string(),
            pick: args.pick.clone(),
        },
    )?;
    super::report_outcome(&outcome)
}
