//! `bureau vendor ...` and `bureau contract ...`: who the office buys from,
//! their contacts, and the renewal calendar.

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{note, print_json, say, table};
use super::records::{ChangeCommand, ReadCommand, resolve, run_change, run_read};
use crate::model::{Contact, Contract, Vendor};
use crate::ops::{FieldInput, Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum VendorCommand {
    /// Add a vendor; prints the new id alone.
    Add(VendorArgs),
    /// list; show (with contacts, contracts, orders and invoices).
    #[command(flatten)]
    Read(ReadCommand),
    /// Add a contact person to a vendor.
    Contact {
        vendor: String,
        name: String,
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
    /// set (KEY=VALUE: name, category, email, phone, payment_terms,
    /// account_number, notes), rename, delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct VendorArgs {
    pub name: String,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// Payment terms, e.g. "30 days" (invoices are due that long after their date).
    #[arg(long)]
    pub terms: Option<String>,
    /// Our account number with the vendor.
    #[arg(long)]
    pub account: Option<String>,
}

pub fn run_vendor(store: &Store, session: &mut Session, command: VendorCommand) -> Result<()> {
    match command {
        VendorCommand::Add(args) => {
            let mut fields: Vec<FieldInput> = vec![("name".into(), args.name)];
            fields.extend(
                [
                    ("category", args.category),
                    ("email", args.email),
                    ("phone", args.phone),
                    ("payment_terms", args.terms),
                    ("account_number", args.account),
                ]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v))),
            );
            let outcome = session.apply(
                store,
                Op::Create {
                    kind: "vendors".into(),
                    fields,
                },
            )?;
            say!("{}", outcome.created.unwrap_or_default());
            Ok(())
        }
        VendorCommand::Read(ReadCommand::Show { id, json }) => show(store, &id, json),
        VendorCommand::Read(read) => run_read::<Vendor>(store, read),
        VendorCommand::Contact {
            vendor,
            name,
            role,
            email,
            phone,
        } => {
            let vendor = resolve::<Vendor>(store, &vendor)?;
            let op = Op::AddContact {
                vendor,
                contact: Contact {
                    name,
                    email,
                    phone,
                    role,
                },
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        VendorCommand::Change(change) => run_change::<Vendor>(store, session, change),
    }
}

fn show(store: &Store, given: &str, json: bool) -> Result<()> {
    let id = resolve::<Vendor>(store, given)?;
    let vendor = store.require::<Vendor>(&id)?;
    let records = store.purchasing(false)?;
    let book = records.book();
    let contracts: Vec<&Contract> = records
        .contracts
        .records
        .iter()
        .filter(|c| c.vendor == id)
        .collect();
    let orders: Vec<_> = records
        .orders
        .records
        .iter()
        .filter(|p| p.vendor == id)
        .collect();
    let invoices: Vec<_> = records
        .invoices
        .records
        .iter()
        .filter(|i| i.vendor == id)
        .collect();
    if json {
        return print_json(&serde_json::json!({
            "vendor": vendor,
            "contracts": contracts,
            "purchase_orders": orders,
            "invoices": invoices,
        }));
    }
    run_read::<Vendor>(
        store,
        ReadCommand::Show {
            id: id.clone(),
            json: false,
        },
    )?;
    for contact in vendor.contacts.values() {
        let parts: Vec<&str> = [&contact.role, &contact.email, &contact.phone]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        say!("contact:         {} ({})", contact.name, parts.join(", "));
    }
    for c in contracts {
        say!(
            "contract:        {} until {} ({})",
            c.title,
            super::output::opt(c.end),
            c.status
        );
    }
    for po in orders {
        say!(
            "order:           {} {} ({})",
            po.number,
            po.total().map_or("-".into(), |t| t.to_string()),
            book.status_text(po)
        );
    }
    for inv in invoices {
        say!(
            "invoice:         {} {} ({})",
            inv.number,
            inv.total,
            book.invoice_status(inv)
        );
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum ContractCommand {
    /// Add a contract; prints the new id alone.
    Add(ContractArgs),
    /// The renewal calendar: deadlines to give notice, soonest first.
    Renewals {
        /// How far ahead: 90d, 12w, 6m (default 90 days).
        #[arg(long, default_value = "90d")]
        within: String,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Read(ReadCommand),
    /// set (KEY=VALUE: title, vendor, start, end, notice_days, auto_renew,
    /// annual_value, owner, status, notes), rename, delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct ContractArgs {
    /// Vendor name or id.
    #[arg(long)]
    pub vendor: String,
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub start: String,
    #[arg(long)]
    pub end: String,
    /// Days of notice needed to cancel before the end.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub notice_days: i64,
    #[arg(long)]
    pub auto_renew: bool,
    /// Annual value, e.g. 1200.00 (workspace currency unless one is given).
    #[arg(long)]
    pub value: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
}

pub fn run_contract(store: &Store, session: &mut Session, command: ContractCommand) -> Result<()> {
    match command {
        ContractCommand::Add(args) => {
            let mut fields: Vec<FieldInput> = vec![
                ("title".into(), args.title),
                ("vendor".into(), args.vendor),
                ("start".into(), args.start),
                ("end".into(), args.end),
                ("notice_days".into(), args.notice_days.to_string()),
                ("auto_renew".into(), args.auto_renew.to_string()),
                (
                    "annual_value".into(),
                    args.value.unwrap_or_else(|| "0".into()),
                ),
            ];
            if let Some(owner) = args.owner {
                fields.push(("owner".into(), owner));
            }
            let outcome = session.apply(
                store,
                Op::Create {
                    kind: "contracts".into(),
                    fields,
                },
            )?;
            say!("{}", outcome.created.unwrap_or_default());
            Ok(())
        }
        ContractCommand::Renewals { within, json } => renewals(store, &within, json),
        ContractCommand::Read(read) => run_read::<Contract>(store, read),
        ContractCommand::Change(change) => run_change::<Contract>(store, session, change),
    }
}

/// "90d", "12w", "6m", "1y" or a number of days.
fn window_days(text: &str) -> Result<i64> {
    let t = text.trim().to_lowercase();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: i64 = digits
        .parse()
        .map_err(|_| anyhow::anyhow!("--within {text:?}: type e.g. 90d, 12w, 6m or 1y"))?;
    let per = match unit {
        "" | "d" | "days" => 1,
        "w" | "weeks" => 7,
        "m" | "months" => 30,
        "y" | "years" => 365,
        _ => anyhow::bail!("--within {text:?}: type e.g. 90d, 12w, 6m or 1y"),
    };
    Ok(n.saturating_mul(per).min(36_500))
}

fn renewals(store: &Store, within: &str, json: bool) -> Result<()> {
    let days = window_days(within)?;
    let today = super::today();
    let calendar = store.contracts_renewing_within(today, days)?;
    let vendors: std::collections::BTreeMap<String, String> = store
        .list::<Vendor>(true)?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let vendor = |id: &str| vendors.get(id).cloned().unwrap_or_else(|| id.to_string());
    if json {
        let rows: Vec<serde_json::Value> = calendar
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.contract.id,
                    "title": r.contract.title,
                    "vendor": vendor(&r.contract.vendor),
                    "deadline": r.deadline,
                    "term_end": r.term_end,
                    "days_left": r.days_left,
                    "auto_renew": r.contract.auto_renew,
                    "value": r.contract.annual_value,
                })
            })
            .collect();
        return print_json(&rows);
    }
    if calendar.is_empty() {
        note!("no notice deadline in the next {days} days");
        return Ok(());
    }
    let mut out = table(&[
        "DEADLINE",
        "DAYS LEFT",
        "CONTRACT",
        "VENDOR",
        "TERM ENDS",
        "RENEWS",
        "VALUE",
    ]);
    for r in &calendar {
        out.add_row(vec![
            r.deadline.to_string(),
            r.days_left.to_string(),
            r.contract.title.clone(),
            vendor(&r.contract.vendor),
            r.term_end.to_string(),
            if r.contract.auto_renew { "auto" } else { "no" }.into(),
            r.contract.annual_value.to_string(),
        ]);
    }
    say!("{out}");
    Ok(())
}
