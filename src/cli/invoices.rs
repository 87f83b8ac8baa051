//! `bureau invoice ...`: vendors' invoices, their three-way match with
//! orders and receipts, approving and paying, and the match tolerance.

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use super::orders::{line_inputs, order_id};
use super::output::{note, opt, print_json, say, table};
use super::records::{ChangeCommand, resolve, run_change};
use crate::model::matching::MatchState;
use crate::model::orders::parse_percent;
use crate::model::schema::same_name;
use crate::model::{Invoice, Vendor};
use crate::ops::{Decision, Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum InvoiceCommand {
    /// Enter a vendor's invoice; prints the new id alone.
    Add(InvoiceArgs),
    /// The three-way match of every open invoice: status and reasons.
    Match {
        #[arg(long)]
        json: bool,
    },
    /// Approve for payment (refused if it does not match, unless --despite REASON).
    Approve {
        id: String,
        #[arg(long, value_name = "REASON")]
        despite: Option<String>,
    },
    /// Record the payment of an approved invoice.
    Pay { id: String },
    /// Put an invoice in dispute with the vendor.
    Dispute { id: String },
    /// List invoices with their match status.
    List {
        #[arg(long)]
        json: bool,
    },
    /// The tolerance within which invoiced amounts still match.
    Tolerance {
        /// Percent of the expected amount, e.g. 2.
        #[arg(long)]
        percent: Option<String>,
        /// An absolute amount, e.g. 5.00.
        #[arg(long)]
        amount: Option<String>,
    },
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct InvoiceArgs {
    #[arg(long)]
    pub vendor: String,
    /// The vendor's invoice number.
    #[arg(long)]
    pub number: String,
    #[arg(long)]
    pub date: String,
    /// Due date (default: the date plus the vendor's payment terms).
    #[arg(long)]
    pub due: Option<String>,
    /// The purchase order it bills (number or id).
    #[arg(long)]
    pub po: Option<String>,
    #[arg(long = "line", value_name = "ITEM=QTY@PRICE", conflicts_with = "total")]
    pub lines: Vec<String>,
    #[arg(long, value_name = "AMOUNT")]
    pub total: Option<String>,
    #[arg(long, value_name = "PERCENT")]
    pub tax: Option<String>,
}

pub fn run_invoice(store: &Store, session: &mut Session, command: InvoiceCommand) -> Result<()> {
    let invoice_id = |given: &str| -> Result<String> {
        if let Ok(id) = super::resolve_id::<Invoice>(store, given) {
            return Ok(id);
        }
        let found: Vec<Invoice> = store
            .list::<Invoice>(false)?
            .into_iter()
            .filter(|i| same_name(&i.number, given))
            .collect();
        match found.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => bail!("no invoice numbered or with id {given:?}"),
            many => bail!(
                "{} invoices are numbered {given:?} (from different vendors); give the id: {}",
                many.len(),
                many.iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    };
    let decide = |session: &mut Session, id: &str, decision: Decision| -> Result<()> {
        let op = Op::DecideInvoice {
            invoice: invoice_id(id)?,
            decision,
        };
        super::report_outcome(&session.apply(store, op)?)
    };
    match command {
        InvoiceCommand::Add(args) => {
            let vendor = resolve::<Vendor>(store, &args.vendor)?;
            let order = args.po.as_deref().map(|p| order_id(store, p)).transpose()?;
            let lines = line_inputs(store, &args.lines, args.tax.as_deref())?;
            let outcome = session.apply(
                store,
                Op::CreateInvoice {
                    vendor,
                    number: args.number,
                    date: args.date,
                    due: args.due,
                    order,
                    lines,
                    total: args.total,
                },
            )?;
            say!("{}", outcome.created.unwrap_or_default());
            Ok(())
        }
        InvoiceCommand::Match { json } => match_report(store, json, true),
        InvoiceCommand::List { json } => match_report(store, json, false),
        InvoiceCommand::Approve { id, despite } => {
            decide(session, &id, Decision::Approve { note: despite })
        }
        InvoiceCommand::Pay { id } => decide(session, &id, Decision::Pay),
        InvoiceCommand::Dispute { id } => decide(session, &id, Decision::Dispute),
        InvoiceCommand::Tolerance { percent, amount } => {
            let current = store.tolerance()?;
            if percent.is_none() && amount.is_none() {
                say!("{}", current.describe());
                return Ok(());
            }
            let percent_bp = match percent {
                Some(p) => parse_percent(&p).map_err(|e| anyhow::anyhow!("--percent {e}"))?,
                None => current.percent_bp,
            };
            let absolute_minor = match amount {
                Some(a) => {
                    let m = crate::model::Money::parse(&a, "XXX")
                        .map_err(|e| anyhow::anyhow!("--amount {e}"))?;
                    if m.minor < 0 {
                        bail!("--amount must be 0 or more");
                    }
                    m.minor
                }
                None => current.absolute_minor,
            };
            let op = Op::SetTolerance {
                percent_bp,
                absolute_minor,
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        InvoiceCommand::Change(change) => run_change::<Invoice>(store, session, change),
    }
}

/// Every live invoice (open ones only for `match`) with its status and
/// the match's reasons.
fn match_report(store: &Store, json: bool, open_only: bool) -> Result<()> {
    let records = store.purchasing(false)?;
    super::report_unreadable(&records.unreadable());
    let book = records.book();
    let invoices: Vec<&Invoice> = book
        .invoices()
        .iter()
        .copied()
        .filter(|i| !open_only || i.is_open())
        .collect();
    if json {
        let rows: Vec<serde_json::Value> = invoices
            .iter()
            .map(|i| {
                let m = book.match_invoice(i);
                serde_json::json!({
                    "id": i.id,
                    "number": i.number,
                    "vendor": book.vendor_name(&i.vendor),
                    "purchase_order": i.purchase_order.as_deref().and_then(|p| book.order(p)).map(|p| &p.number),
                    "total": i.total,
                    "due": i.due,
                    "status": book.invoice_status(i),
                    "match": m.state,
                    "reasons": m.reasons,
                    "lines": m.lines,
                })
            })
            .collect();
        return print_json(&rows);
    }
    if invoices.is_empty() {
        note!("no invoices");
        return Ok(());
    }
    let mut out = table(&[
        "ID", "NUMBER", "VENDOR", "PO", "TOTAL", "DUE", "STATUS", "REASONS",
    ]);
    for i in &invoices {
        let m = book.match_invoice(i);
        let status = book.invoice_status(i);
        let status = if m.state == MatchState::Discrepancy && status != "discrepancy" {
            format!("{status} (discrepancy)")
        } else {
            status
        };
        out.add_row(vec![
            i.id.clone(),
            i.number.clone(),
            book.vendor_name(&i.vendor).to_string(),
            i.purchase_order
                .as_deref()
                .and_then(|p| book.order(p))
                .map_or("-".into(), |p| p.number.clone()),
            i.total.to_string(),
            opt(i.due),
            status,
            m.reasons.join("; "),
        ]);
    }
    say!("{out}");
    Ok(())
}
