//! `bureau item ...` and `bureau stock ...`

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{note, opt, print_json, say, table};
use super::records::{ChangeCommand, run_change};
use super::resolve_id;
use crate::model::{InventoryItem, Site};
use crate::ops::{FieldInput, Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Add an item; prints the new id alone.
    Add(AddArgs),
    /// List items with on-hand quantities per site.
    List {
        #[arg(long)]
        json: bool,
        /// Only items at or below their reorder threshold somewhere.
        #[arg(long)]
        low: bool,
    },
    /// Show an item's stock levels and movement history.
    Show { id: String },
    /// set (KEY=VALUE: name, unit, reorder_at, sku, category), delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    pub name: String,
    /// Counting unit, e.g. box, pack, each.
    #[arg(long)]
    pub unit: String,
    /// Reorder when on hand falls to this level.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub reorder_at: i64,
    /// Site for the opening stock (created if new).
    #[arg(long, requires = "qty")]
    pub site: Option<String>,
    /// Opening quantity at --site.
    #[arg(long, requires = "site", allow_negative_numbers = true)]
    pub qty: Option<i64>,
    #[arg(long)]
    pub sku: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum StockCommand {
    /// Add or remove stock at a site (negative to take out).
    Adjust {
        item_id: String,
        #[arg(long)]
        site: String,
        #[arg(long, allow_negative_numbers = true)]
        by: i64,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record a physical count at a site.
    Count {
        item_id: String,
        #[arg(long)]
        site: String,
        #[arg(long, allow_negative_numbers = true)]
        counted: i64,
    },
    /// Move stock from one site to another.
    Transfer {
        item_id: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, allow_negative_numbers = true)]
        qty: i64,
    },
}

pub fn run_item(store: &Store, session: &mut Session, command: ItemCommand) -> Result<()> {
    match command {
        ItemCommand::Add(args) => add(store, session, args),
        ItemCommand::List { json, low } => list(store, json, low),
        ItemCommand::Show { id } => show(store, &id),
        ItemCommand::Change(change) => run_change::<InventoryItem>(store, session, change),
    }
}

fn add(store: &Store, session: &mut Session, args: AddArgs) -> Result<()> {
    if args.qty.is_some_and(|q| q < 0) {
        anyhow::bail!("--qty must be 0 or more");
    }
    let mut fields: Vec<FieldInput> = vec![
        ("name".into(), args.name),
        ("unit".into(), args.unit),
        ("reorder_at".into(), args.reorder_at.to_string()),
    ];
    fields.extend(
        [("sku", args.sku), ("category", args.category)]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v))),
    );
    let outcome = session.apply(
        store,
        Op::CreateItem {
            fields,
            site: args.site,
            qty: args.qty.unwrap_or(0),
        },
    )?;
    say!("{}", outcome.created.unwrap_or_default());
    Ok(())
}

fn site_names(store: &Store) -> Result<std::collections::BTreeMap<String, String>> {
    Ok(store
        .list::<Site>(true)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

fn list(store: &Store, json: bool, low: bool) -> Result<()> {
    let names = site_names(store)?;
    let mut items = store.list_item_stock(false)?;
    let low_stock = store.low_stock()?;
    if low {
        items.retain(|i| low_stock.iter().any(|l| l.item.id == i.item.id));
    }
    if json {
        let out: Vec<serde_json::Value> = items
            .iter()
            .map(|i| {
                let mut v = serde_json::to_value(i).unwrap_or_default();
                let by_name: serde_json::Map<String, serde_json::Value> = i
                    .on_hand
                    .iter()
                    .map(|(site, qty)| {
                        (
                            names.get(site).cloned().unwrap_or(site.clone()),
                            (*qty).into(),
                        )
                    })
                    .collect();
                let low_at: Vec<String> = low_stock
                    .iter()
                    .filter(|l| l.item.id == i.item.id)
                    .map(|l| names.get(&l.site_id).cloned().unwrap_or(l.site_id.clone()))
                    .collect();
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("on_hand_by_site".into(), by_name.into());
                    obj.insert("low_at".into(), low_at.into());
                }
                v
            })
            .collect();
        return print_json(&out);
    }
    let mut out = table(&["ID", "NAME", "UNIT", "REORDER AT", "ON HAND", "LOW"]);
    for i in &items {
        let on_hand: Vec<String> = i
            .on_hand
            .iter()
            .map(|(site, qty)| format!("{}: {qty}", names.get(site).map_or(site.as_str(), |s| s)))
            .collect();
        let low_at: Vec<String> = low_stock
            .iter()
            .filter(|l| l.item.id == i.item.id)
            .map(|l| names.get(&l.site_id).cloned().unwrap_or_default())
            .collect();
        out.add_row(vec![
            i.item.id.clone(),
            i.item.name.clone(),
            i.item.unit.clone(),
            i.item.reorder_at.to_string(),
            if on_hand.is_empty() {
                "-".into()
            } else {
                on_hand.join(", ")
            },
            if low_at.is_empty() {
                String::new()
            } else {
                format!("LOW at {}", low_at.join(", "))
            },
        ]);
    }
    if items.is_empty() {
        note!("no items match");
    } else {
        say!("{out}");
    }
    Ok(())
}

fn show(store: &Store, id: &str) -> Result<()> {
    let id = resolve_id::<InventoryItem>(store, id)?;
    let names = site_names(store)?;
    let stock = store.item_stock(&id)?;
    say!(
        "{}  {} ({})",
        stock.item.id,
        stock.item.name,
        stock.item.unit
    );
    say!("sku:        {}", opt(stock.item.sku.clone()));
    for (site, qty) in &stock.on_hand {
        let name = names.get(site).map_or(site.as_str(), |s| s);
        say!(
            "{name}: {qty} on hand (reorder at {})",
            stock.item.reorder_threshold(site)
        );
    }
    say!("\nmovements:");
    for m in store.movements(&id)? {
        let site = names.get(&m.site).map_or(m.site.as_str(), |s| s);
        let counted = m
            .counted
            .map(|c| format!(" (counted {c})"))
            .unwrap_or_default();
        say!(
            "{}  {site}  {} {:+}{counted}  {}",
            m.created_at,
            m.kind,
            m.delta,
            m.reason.unwrap_or_default()
        );
    }
    Ok(())
}

pub fn run_stock(store: &Store, session: &mut Session, command: StockCommand) -> Result<()> {
    match command {
        StockCommand::Adjust {
            item_id,
            site,
            by,
            reason,
        } => {
            let item = resolve_id::<InventoryItem>(store, &item_id)?;
            let site = store.resolve_site(&site)?;
            let before = on_hand(store, &item, &site)?;
            session.apply(
                store,
                Op::AdjustStock {
                    item: item.clone(),
                    site: site.clone(),
                    by,
                    reason,
                },
            )?;
            note!("on hand: {} -> {}", before, on_hand(store, &item, &site)?);
        }
        StockCommand::Count {
            item_id,
            site,
            counted,
        } => {
            let item = resolve_id::<InventoryItem>(store, &item_id)?;
            let site = store.resolve_site(&site)?;
            let before = on_hand(store, &item, &site)?;
            session.apply(
                store,
                Op::CountStock {
                    item: item.clone(),
                    site: site.clone(),
                    counted,
                },
            )?;
            let after = on_hand(store, &item, &site)?;
            note!(
                "on hand: {before} -> {after} (difference {:+})",
                after - before
            );
        }
        StockCommand::Transfer {
            item_id,
            from,
            to,
            qty,
        } => {
            let item = resolve_id::<InventoryItem>(store, &item_id)?;
            let from = store.resolve_site(&from)?;
            let to = store.resolve_site(&to)?;
            session.apply(
                store,
                Op::TransferStock {
                    item: item.clone(),
                    from: from.clone(),
                    to: to.clone(),
                    qty,
                },
            )?;
            note!(
                "on hand: {} at the source, {} at the destination",
                on_hand(store, &item, &from)?,
                on_hand(store, &item, &to)?
            );
        }
    }
    Ok(())
}

fn on_hand(store: &Store, item: &str, site: &str) -> Result<i64> {
    Ok(store
        .item_stock(item)?
        .on_hand
        .get(site)
        .copied()
        .unwrap_or(0))
}
