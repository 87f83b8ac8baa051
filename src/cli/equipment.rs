//! `bureau asset ...`: equipment with asset tags, who holds what, handing
//! out and taking back, and a hand-out made twice offline shown as a
//! conflict.

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use super::records::{ChangeCommand, ReadCommand, create, fields, resolve, run_change, run_read};
use crate::model::{Asset, Record, Site};
use crate::ops::{Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum AssetCommand {
    /// Add a piece of equipment; prints the new id alone.
    Add {
        name: String,
        #[arg(long)]
        tag: String,
        #[arg(long)]
        serial: Option<String>,
        #[arg(long)]
        model: Option<String>,
        #[arg(long)]
        site: Option<String>,
        /// 2027-06-30, +1y…
        #[arg(long)]
        warranty_end: Option<String>,
    },
    /// Hand it to someone (a member, or anyone by name).
    Assign {
        id: String,
        #[arg(long)]
        to: String,
    },
    /// Take it back.
    Return { id: String },
    /// Equipment with who holds it; --holder NAME: what one person holds.
    List {
        #[arg(long)]
        holder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One asset with every field, its history and any conflict.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// set (KEY=VALUE: tag, name, model, serial, site, status, purchased,
    /// warranty_end, notes), rename, delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

pub fn run(store: &Store, session: &mut Session, command: AssetCommand) -> Result<()> {
    match command {
        AssetCommand::Add {
            name,
            tag,
            serial,
            model,
            site,
            warranty_end,
        } => create(
            store,
            session,
            Asset::KIND,
            fields(vec![
                ("tag", Some(tag)),
                ("name", Some(name)),
                ("serial", serial),
                ("model", model),
                ("site", site),
                ("warranty_end", warranty_end),
            ]),
        ),
        AssetCommand::Assign { id, to } => {
            let asset = resolve::<Asset>(store, &id)?;
            super::report_outcome(&session.apply(store, Op::AssignAsset { asset, to })?)
        }
        AssetCommand::Return { id } => {
            let asset = resolve::<Asset>(store, &id)?;
            super::report_outcome(&session.apply(store, Op::ReturnAsset { asset })?)
        }
        AssetCommand::List { holder, json } => list(store, holder.as_deref(), json),
        AssetCommand::Show { id, json } => {
            run_read::<Asset>(
                store,
                ReadCommand::Show {
                    id: id.clone(),
                    json,
                },
            )?;
            if !json {
                let asset = store.require::<Asset>(&resolve::<Asset>(store, &id)?)?;
                for e in asset.events() {
                    say!(
                        "{}  {} {} (recorded by {})",
                        e.at,
                        e.action,
                        e.person.as_deref().unwrap_or(""),
                        e.by
                    );
                }
            }
            Ok(())
        }
        AssetCommand::Change(change) => run_change::<Asset>(store, session, change),
    }
}

/// One line of `asset list --json`.
#[derive(serde::Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    asset: &'a Asset,
    site_name: Option<String>,
    /// Everyone it was handed to at once on different devices (empty when
    /// there is no conflict).
    holder_conflict: Vec<String>,
}

/// The holders an asset has at once (a hand-out made on two offline
/// devices): empty when there is one or none.
pub fn holder_conflict(store: &Store, asset: &Asset) -> Result<Vec<String>> {
    Ok(store
        .field_conflict::<Asset>(&asset.id, "holder")?
        .iter()
        .map(|v| v.as_str().unwrap_or("nobody").to_string())
        .collect())
}

fn list(store: &Store, holder: Option<&str>, json: bool) -> Result<()> {
    let listing = store.listing::<Asset>(false)?;
    super::report_unreadable(&listing.unreadable);
    let sites: std::collections::BTreeMap<String, String> = store
        .list::<Site>(true)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut rows = Vec::new();
    for asset in listing
        .records
        .iter()
        .filter(|a| holder.is_none_or(|h| a.is_held_by(h)))
    {
        rows.push(Row {
            site_name: asset.site.as_ref().and_then(|s| sites.get(s).cloned()),
            holder_conflict: holder_conflict(store, asset)?,
            asset,
        });
    }
    rows.sort_by(|a, b| a.asset.tag.cmp(&b.asset.tag));
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        note!(
            "no equipment{}",
            holder.map(|h| format!(" held by {h}")).unwrap_or_default()
        );
        return Ok(());
    }
    let mut t = table(&["Tag", "Name", "Site", "Status", "Held by", "Warranty ends"]);
    for r in &rows {
        let held = if r.holder_conflict.len() > 1 {
            format!("CONFLICT: {}", r.holder_conflict.join(" / "))
        } else {
            r.asset.holder.clone().unwrap_or_default()
        };
        t.add_row(vec![
            r.asset.tag.clone(),
            r.asset.name.clone(),
            r.site_name.clone().unwrap_or_default(),
            r.asset.status.to_string(),
            held,
            r.asset
                .warranty_end
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ]);
    }
    say!("{t}");
    Ok(())
}
