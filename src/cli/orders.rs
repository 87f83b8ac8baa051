//! `bureau po ...` and `bureau reorder`: ordering, receiving into stock,
//! taking a receipt back, and drafting orders from what is low. Invoices
//! are in [`super::invoices`].

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::output::{note, opt, print_json, say, table};
use super::records::{ChangeCommand, resolve, run_change};
use crate::model::orders::{amount_text, ordered_lines, parse_percent};
use crate::model::schema::same_name;
use crate::model::{InventoryItem, PurchaseOrder, Receipt, Record, Vendor};
use crate::ops::{LineInput, Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum PoCommand {
    /// Draft a purchase order; prints the new id alone.
    Add(PoArgs),
    /// Mark an order as sent to the vendor.
    Send { id: String },
    /// Receive goods at a site (no --line: everything outstanding); stock
    /// is added there. Prints the receipt id alone.
    Receive {
        id: String,
        #[arg(long)]
        site: String,
        /// ITEM=QTY (repeatable); ITEM is an item id or name, or the line's text.
        #[arg(long = "line", value_name = "ITEM=QTY")]
        lines: Vec<String>,
    },
    /// Take a receipt back (recorded twice, or by mistake): its stock leaves again.
    Unreceive { receipt: String },
    /// Mark a receipt flagged as a possible duplicate as a real second delivery.
    KeepReceipt { receipt: String },
    /// Add lines to an open order: --line ITEM=QTY@PRICE (repeatable).
    AddLine {
        id: String,
        #[arg(long = "line", value_name = "ITEM=QTY@PRICE", required = true)]
        lines: Vec<String>,
        #[arg(long, value_name = "PERCENT")]
        tax: Option<String>,
    },
    /// Remove a line nothing was received on (ITEM: item or the line's text).
    RemoveLine { id: String, item: String },
    /// Close an order (nothing more expected).
    Close { id: String },
    /// Cancel an order.
    Cancel { id: String },
    /// List orders with status and total (open ones unless --all).
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show an order: lines ordered and received, receipts, invoices.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// set (KEY=VALUE: vendor, site, requested_by, notes), delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct PoArgs {
    /// Vendor name or id.
    #[arg(long)]
    pub vendor: String,
    /// Ship-to site.
    #[arg(long)]
    pub site: String,
    /// ITEM=QTY@PRICE (repeatable); ITEM is an item id or name, or
    /// "text:Desk lamp" for something not kept in stock.
    #[arg(long = "line", value_name = "ITEM=QTY@PRICE", required = true)]
    pub lines: Vec<String>,
    /// Tax rate on every line, in percent.
    #[arg(long, value_name = "PERCENT")]
    pub tax: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReorderArgs {
    /// Only what is low at this site.
    #[arg(long)]
    pub site: Option<String>,
    /// Draft the suggested orders.
    #[arg(long)]
    pub create: bool,
    /// Buffer above the reorder level, in percent of it.
    #[arg(long, default_value_t = crate::model::reorder::DEFAULT_BUFFER_PERCENT)]
    pub buffer: i64,
    #[arg(long)]
    pub json: bool,
}

/// "ITEM=QTY@PRICE" (or "ITEM=QTY" when `price` is false) as its parts.
fn split_line(text: &str, price: bool) -> Result<(String, i64, Option<String>)> {
    let form = if price { "ITEM=QTY@PRICE" } else { "ITEM=QTY" };
    let (item, rest) = text
        .rsplit_once('=')
        .with_context(|| format!("--line {text:?}: type {form}, e.g. Paper=10@3.95"))?;
    let (qty, unit_price) = match (rest.split_once('@'), price) {
        (Some((q, p)), true) => (q, Some(p.trim().to_string())),
        (None, false) => (rest, None),
        _ => bail!("--line {text:?}: type {form}"),
    };
    let qty: i64 = qty
        .trim()
        .parse()
        .ok()
        .filter(|q| *q > 0)
        .with_context(|| format!("--line {text:?}: the quantity must be a whole number above 0"))?;
    if item.trim().is_empty() {
        bail!("--line {text:?}: name the item before '='");
    }
    Ok((item.trim().to_string(), qty, unit_price))
}

/// Typed lines for an order or invoice: items by id or name, or
/// "text:…" for anything else.
pub(super) fn line_inputs(
    store: &Store,
    lines: &[String],
    tax: Option<&str>,
) -> Result<Vec<LineInput>> {
    let tax_rate = tax
        .map(parse_percent)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--tax {e}"))?
        .unwrap_or(0);
    lines
        .iter()
        .map(|text| {
            let (item, quantity, price) = split_line(text, true)?;
            let (item, description) = match item.strip_prefix("text:") {
                Some(free) => (None, free.trim().to_string()),
                None => (Some(resolve::<InventoryItem>(store, &item).with_context(|| {
                    format!("--line {text:?}: no such item; use \"text:{item}\" for something not kept in stock")
                })?), String::new()),
            };
            Ok(LineInput {
                item,
                description,
                quantity,
                unit_price: price.unwrap_or_default(),
                tax_rate,
            })
        })
        .collect()
}

/// An order by number, id or id prefix.
pub(super) fn order_id(store: &Store, given: &str) -> Result<String> {
    resolve::<PurchaseOrder>(store, given)
}

pub fn run_po(store: &Store, session: &mut Session, command: PoCommand) -> Result<()> {
    let set_status = |session: &mut Session, id: &str, status: &str| -> Result<()> {
        let id = order_id(store, id)?;
        session.apply(store, Op::set(PurchaseOrder::KIND, &id, "status", status))?;
        Ok(())
    };
    match command {
        PoCommand::Add(args) => {
            let vendor = resolve::<Vendor>(store, &args.vendor)?;
            let site = store.resolve_site(&args.site)?;
            let lines = line_inputs(store, &args.lines, args.tax.as_deref())?;
            let outcome = session.apply(
                store,
                Op::CreateOrder {
                    vendor,
                    site: Some(site),
                    lines,
                    notes: args.notes.unwrap_or_default(),
                },
            )?;
            super::report_outcome(&outcome)?;
            say!("{}", outcome.created.unwrap_or_default());
            Ok(())
        }
        PoCommand::Send { id } => set_status(session, &id, "sent"),
        PoCommand::AddLine { id, lines, tax } => {
            let order = order_id(store, &id)?;
            for line in line_inputs(store, &lines, tax.as_deref())? {
                let op = Op::AddOrderLine {
                    order: order.clone(),
                    line,
                };
                session.apply(store, op)?;
            }
            Ok(())
        }
        PoCommand::RemoveLine { id, item } => {
            let order = order_id(store, &id)?;
            let po = store.require::<PurchaseOrder>(&order)?;
            let line = order_line(store, &po, &item)?;
            super::report_outcome(&session.apply(store, Op::RemoveOrderLine { order, line })?)
        }
        PoCommand::Close { id } => set_status(session, &id, "closed"),
        PoCommand::Cancel { id } => set_status(session, &id, "cancelled"),
        PoCommand::Receive { id, site, lines } => {
            let id = order_id(store, &id)?;
            let po = store.require::<PurchaseOrder>(&id)?;
            let site = store.resolve_site(&site)?;
            let lines = lines
                .iter()
                .map(|text| {
                    let (item, qty, _) = split_line(text, false)?;
                    Ok((order_line(store, &po, &item)?, qty))
                })
                .collect::<Result<Vec<_>>>()?;
            let outcome = session.apply(
                store,
                Op::Receive {
                    order: id,
                    site,
                    lines,
                    receipt: None,
                },
            )?;
            super::report_outcome(&outcome)?;
            say!("{}", outcome.created.unwrap_or_default());
            Ok(())
        }
        PoCommand::Unreceive { receipt } => {
            let receipt = super::resolve_id::<Receipt>(store, &receipt)?;
            super::report_outcome(&session.apply(
                store,
                Op::VoidReceipt {
                    receipt,
                    attempt: None,
                },
            )?)
        }
        PoCommand::KeepReceipt { receipt } => {
            let receipt = super::resolve_id::<Receipt>(store, &receipt)?;
            let op = Op::set(Receipt::KIND, &receipt, "not_duplicate", "yes");
            super::report_outcome(&session.apply(store, op)?)
        }
        PoCommand::List { all, json } => list_orders(store, all, json),
        PoCommand::Show { id, json } => show_order(store, &order_id(store, &id)?, json),
        PoCommand::Change(change) => run_change::<PurchaseOrder>(store, session, change),
    }
}

/// The order line `given` names: its item (id or name) or its text.
fn order_line(store: &Store, po: &PurchaseOrder, given: &str) -> Result<String> {
    let given = given.strip_prefix("text:").unwrap_or(given).trim();
    let item = resolve::<InventoryItem>(store, given).ok();
    po.lines
        .iter()
        .find(|(_, l)| item.is_some() && l.item == item)
        .or_else(|| {
            po.lines
                .iter()
                .find(|(_, l)| same_name(&l.description, given))
        })
        .map(|(id, _)| id.clone())
        .with_context(|| {
            let names: Vec<&str> = ordered_lines(&po.lines)
                .into_iter()
                .map(|(_, l)| l.description.as_str())
                .collect();
            format!(
                "{} has no line for {given:?} (its lines: {})",
                po.number,
                names.join(", ")
            )
        })
}

fn names<R: crate::model::schema::Described>(store: &Store) -> Result<BTreeMap<String, String>> {
    Ok(store
        .list::<R>(true)?
        .into_iter()
        .map(|r| (r.id().to_string(), r.name().to_string()))
        .collect())
}

fn list_orders(store: &Store, all: bool, json: bool) -> Result<()> {
    let records = store.purchasing(false)?;
    super::report_unreadable(&records.unreadable());
    let book = records.book();
    let vendors = names::<Vendor>(store)?;
    let sites = names::<crate::model::Site>(store)?;
    let orders: Vec<&PurchaseOrder> = records
        .orders
        .records
        .iter()
        .filter(|p| all || p.is_open())
        .collect();
    if json {
        let rows: Vec<serde_json::Value> = orders
            .iter()
            .map(|p| {
                let mut v = serde_json::to_value(p).unwrap_or_default();
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("progress".into(), book.status_text(p).into());
                    obj.insert(
                        "total".into(),
                        serde_json::to_value(p.total().ok()).unwrap_or_default(),
                    );
                }
                v
            })
            .collect();
        return print_json(&rows);
    }
    if orders.is_empty() {
        note!("no purchase orders");
        return Ok(());
    }
    let mut out = table(&[
        "ID", "NUMBER", "VENDOR", "SHIP TO", "STATUS", "TOTAL", "SENT",
    ]);
    for p in orders {
        out.add_row(vec![
            p.id().to_string(),
            p.number.clone(),
            vendors.get(&p.vendor).cloned().unwrap_or_default(),
            p.site
                .as_ref()
                .and_then(|s| sites.get(s).cloned())
                .unwrap_or_default(),
            book.status_text(p).to_string(),
            p.total().map_or("-".into(), |t| t.to_string()),
            opt(p.sent_on),
        ]);
    }
    say!("{out}");
    Ok(())
}

fn show_order(store: &Store, id: &str, json: bool) -> Result<()> {
    let records = store.purchasing(false)?;
    let book = records.book();
    let po = store.require::<PurchaseOrder>(id)?;
    let sites = names::<crate::model::Site>(store)?;
    let progress = book.progress(&po);
    let receipts = book.receipts_of(&po.id);
    if json {
        let duplicates: Vec<&str> = receipts
            .iter()
            .filter(|r| book.duplicate_of(r).is_some())
            .map(|r| r.id.as_str())
            .collect();
        return print_json(&serde_json::json!({
            "purchase_order": po,
            "status": book.status_text(&po),
            "lines": progress,
            "receipts": receipts,
            "possible_duplicates": duplicates,
            "invoices": book.invoices_of(&po.id),
        }));
    }
    say!(
        "{}  {} — {} ({})",
        po.number,
        book.vendor_name(&po.vendor),
        book.status_text(&po),
        po.total().map_or("-".into(), |t| t.to_string())
    );
    let mut out = table(&["LINE", "ORDERED", "RECEIVED", "OUTSTANDING", "PRICE"]);
    for (line, (_, ordered)) in progress.iter().zip(ordered_lines(&po.lines)) {
        out.add_row(vec![
            line.description.clone(),
            line.ordered.to_string(),
            line.received.to_string(),
            line.outstanding().to_string(),
            amount_text(ordered.unit_price.minor),
        ]);
    }
    say!("{out}");
    for r in receipts {
        let flag = match book.duplicate_of(r) {
            Some(first) => format!(
                "  POSSIBLE DUPLICATE of {} (take one back with `bureau po unreceive ID`, or keep both with `bureau po keep-receipt ID`)",
                first.id
            ),
            None => String::new(),
        };
        let count: i64 = r.total_quantity();
        say!(
            "receipt {}  {} at {}: {count}{flag}",
            r.id,
            r.received_on,
            sites.get(&r.site).map_or(r.site.as_str(), |s| s)
        );
    }
    for inv in book.invoices_of(&po.id) {
        say!(
            "invoice {}  {} ({})",
            inv.number,
            inv.total,
            book.invoice_status(inv)
        );
    }
    Ok(())
}

pub fn reorder(store: &Store, session: &mut Session, args: ReorderArgs) -> Result<()> {
    let site = args
        .site
        .as_deref()
        .map(|s| store.resolve_site(s))
        .transpose()?;
    if args.create {
        let op = Op::Reorder {
            site,
            buffer_percent: args.buffer,
        };
        return super::report_outcome(&session.apply(store, op)?);
    }
    let plan = store.reorder_plan(site.as_deref(), args.buffer)?;
    if args.json {
        return print_json(&plan);
    }
    let vendors = names::<Vendor>(store)?;
    let sites = names::<crate::model::Site>(store)?;
    let name = |map: &BTreeMap<String, String>, id: &str| map.get(id).cloned().unwrap_or_default();
    if plan.orders.is_empty() && plan.without_vendor.is_empty() {
        note!("nothing to reorder");
        return Ok(());
    }
    let mut out = table(&[
        "VENDOR",
        "SHIP TO",
        "ITEM",
        "ON HAND",
        "REORDER AT",
        "ON ORDER",
        "ORDER",
        "LAST PRICE",
    ]);
    let rows = plan
        .orders
        .iter()
        .flat_map(|d| d.lines.iter().map(|s| (name(&vendors, &d.vendor), s)))
        .chain(
            plan.without_vendor
                .iter()
                .map(|s| ("(no preferred vendor)".to_string(), s)),
        );
    for (vendor, s) in rows {
        out.add_row(vec![
            vendor,
            name(&sites, &s.site),
            s.item_name.clone(),
            s.on_hand.to_string(),
            s.threshold.to_string(),
            s.on_order.to_string(),
            format!("{} {}", s.quantity, s.unit),
            opt(s.last_price.as_ref()),
        ]);
    }
    say!("{out}");
    if !plan.orders.is_empty() {
        note!("draft these with `bureau reorder --create`");
    }
    Ok(())
}
