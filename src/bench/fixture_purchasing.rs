//! The purchasing part of a generated office: vendors a real office buys
//! from, their contracts (some with a notice deadline coming up), purchase
//! orders for stocked items at the sites, receipts (most orders delivered,
//! some partly), and invoices that mostly match, with the few
//! discrepancies a coordinator really meets (billed before delivery, a
//! price gone up).

use std::collections::BTreeMap;

use rand::Rng;
use rand::rngs::StdRng;

use crate::model::*;
use crate::store::{Result, Store};

const VENDORS: &[(&str, &str, &str, &str)] = &[
    (
        "Office Depot",
        "Supplies",
        "Stationery and paper supply",
        "30 days",
    ),
    (
        "CleanCo Services",
        "Facilities",
        "Office cleaning service",
        "30 days",
    ),
    (
        "Metro Coffee Supply",
        "Kitchen",
        "Coffee machine lease and beans",
        "14 days",
    ),
    (
        "PrintWorks",
        "Equipment",
        "Printer lease and toner plan",
        "30 days",
    ),
    ("TechSource IT", "IT", "IT support retainer", "30 days"),
    (
        "SecureShred",
        "Facilities",
        "Confidential shredding",
        "30 days",
    ),
    (
        "GreenLeaf Plants",
        "Facilities",
        "Office plant care",
        "30 days",
    ),
    ("FastCourier", "Logistics", "Courier account", "14 days"),
    ("Facility Pros", "Facilities", "HVAC maintenance", "45 days"),
    (
        "Staples Business",
        "Supplies",
        "Breakroom supplies framework",
        "30 days",
    ),
];

const PRICES: &[i64] = &[
    450, 3_995, 1_890, 219, 899, 349, 525, 780, 310, 415, 650, 990, 275, 1_250, 1_999, 899, 540,
    385, 299, 2_450,
];

fn vendor_name(i: usize) -> String {
    match i / VENDORS.len() {
        0 => VENDORS[i].0.to_string(),
        n => format!("{} ({})", VENDORS[i % VENDORS.len()].0, n + 1),
    }
}

/// Creates `n` vendors with a contact and a contract each; returns their ids.
pub fn vendors(store: &Store, rng: &mut StdRng, n: usize, today: Date) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let (_, category, contract, terms) = VENDORS[i % VENDORS.len()];
        let name = vendor_name(i);
        let domain: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let mut contacts = BTreeMap::new();
        contacts.insert(
            new_id(),
            Contact {
                name: super::fixture::PEOPLE[(i + 3) % super::fixture::PEOPLE.len()]
                    .replace("Ana", "Rosa")
                    .replace("Ben", "Marc"),
                email: Some(format!("accounts@{domain}.example")),
                phone: Some(format!(
                    "+351 21 {:03} {:04}",
                    100 + i % 900,
                    1000 + i * 7 % 9000
                )),
                role: Some("Account manager".into()),
            },
        );
        let id = store.create(Vendor {
            id: new_id(),
            name,
            category: Some(category.into()),
            email: Some(format!("orders@{domain}.example")),
            payment_terms: Some(terms.into()),
            account_number: Some(format!("C-{:06}", 100_000 + i * 37)),
            contacts,
            ..Default::default()
        })?;
        // Terms of a year; ends spread over the next 13 months, so a few
        // notice deadlines always fall within the month.
        let end = today.add_days(rng.random_range(-20..400));
        store.create(Contract {
            id: new_id(),
            vendor: id.clone(),
            title: contract.to_string(),
            start: end.add_days(-364),
            end: Some(end),
            notice_days: [30, 60, 90][rng.random_range(0..3)],
            auto_renew: rng.random_bool(0.6),
            annual_value: Money::new(rng.random_range(60..600) * 10_000, "EUR"),
            owner: Some(super::fixture::PEOPLE[i % 3].to_string()),
            ..Default::default()
        })?;
        ids.push(id);
    }
    Ok(ids)
}

/// The vendors that sell stock (paper, coffee, toner, breakroom).
pub fn suppliers(vendors: &[String]) -> Vec<String> {
    let picked: Vec<String> = vendors
        .iter()
        .enumerate()
        .filter(|(i, _)| matches!(i % VENDORS.len(), 0 | 2 | 3 | 9))
        .map(|(_, v)| v.clone())
        .collect();
    if picked.is_empty() {
        vendors.to_vec()
    } else {
        picked
    }
}

/// The stocked items a generated office orders: (id, name, preferred vendor).
pub struct Stocked {
    pub id: String,
    pub name: String,
    pub vendor: Option<String>,
}

/// What orders are made from: the office's sites, vendors and stock.
pub struct Office<'a> {
    pub today: Date,
    pub sites: &'a [String],
    pub vendors: &'a [String],
    pub items: &'a [Stocked],
}

/// `orders` purchase orders (with their receipts) and `invoices` invoices.
pub fn orders_and_invoices(
    store: &Store,
    rng: &mut StdRng,
    (orders, invoices): (usize, usize),
    office: Office<'_>,
    mut tick: impl FnMut(usize),
) -> Result<()> {
    let Office {
        today,
        sites,
        vendors,
        items,
    } = office;
    let suppliers = suppliers(vendors);
    let mut catalogue: BTreeMap<&str, Vec<&Stocked>> = BTreeMap::new();
    for item in items {
        if let Some(v) = &item.vendor {
            catalogue.entry(v.as_str()).or_default().push(item);
        }
    }
    let mut billable = Vec::new();
    for i in 0..orders {
        let vendor = suppliers[rng.random_range(0..suppliers.len())].clone();
        let sells: Vec<&Stocked> = match catalogue.get(vendor.as_str()) {
            Some(list) => list.clone(),
            None => items.iter().collect(),
        };
        let site = sites[rng.random_range(0..sites.len())].clone();
        let mut lines = BTreeMap::new();
        let mut on_order = std::collections::BTreeSet::new();
        for order in 0..rng.random_range(1..4) {
            let stocked = sells[rng.random_range(0..sells.len())];
            if !on_order.insert(stocked.id.as_str()) {
                continue;
            }
            let (item, description) = if rng.random_bool(0.85) {
                (Some(stocked.id.clone()), stocked.name.clone())
            } else {
                (
                    None,
                    ["Desk lamp", "Office chair", "Monitor arm", "Wall clock"][order % 4]
                        .to_string(),
                )
            };
            lines.insert(
                new_id(),
                OrderLine {
                    description,
                    item,
                    quantity: rng.random_range(2..40),
                    unit_price: Money::new(PRICES[rng.random_range(0..PRICES.len())], "EUR"),
                    tax_rate: 2_300,
                    order: order as i64,
                },
            );
        }
        // Most orders delivered and closed; some on their way; a few drafts.
        let (status, delivered) = match rng.random_range(0..100) {
            0..50 => (PoStatus::Closed, 1.0),
            50..65 => (PoStatus::Sent, 1.0),
            65..85 => (PoStatus::Sent, 0.5),
            85..93 => (PoStatus::Sent, 0.0),
            _ => (PoStatus::Draft, 0.0),
        };
        let sent_on = (status != PoStatus::Draft).then(|| today.add_days(-rng.random_range(1..90)));
        let po = PurchaseOrder {
            id: new_id(),
            number: format!("PO-{}-{:04}", ["A4", "B7", "C2"][i % 3], i / 3 + 1),
            vendor,
            site: Some(site.clone()),
            lines,
            status,
            requested_by: super::fixture::PEOPLE[i % super::fixture::PEOPLE.len()].to_string(),
            sent_on,
            ..Default::default()
        };
        let id = store.create(po.clone())?;
        if delivered > 0.0 {
            let received: BTreeMap<String, ReceivedLine> = po
                .lines
                .iter()
                .map(|(line_id, l)| {
                    let qty = ((l.quantity as f64 * delivered).ceil() as i64).max(1);
                    (
                        line_id.clone(),
                        ReceivedLine {
                            po_line: line_id.clone(),
                            quantity: qty,
                        },
                    )
                })
                .collect();
            store.create(Receipt {
                id: new_id(),
                purchase_order: id.clone(),
                site,
                received_on: sent_on
                    .unwrap_or(today)
                    .add_days(rng.random_range(1..10))
                    .min(today),
                lines: received.clone(),
                ..Default::default()
            })?;
            billable.push((po, received));
        }
        tick(1);
    }
    for i in 0..invoices {
        let number = format!("INV-{:05}", 10_000 + i);
        let date = today.add_days(-rng.random_range(0..60));
        let due = Some(date.add_days(30));
        let invoice = match billable.get(i) {
            Some((po, received)) => {
                // Bills what arrived; now and then the whole order before
                // it all came, or a price gone up.
                let early = rng.random_bool(0.08);
                let dearer = rng.random_bool(0.05);
                let lines: BTreeMap<String, OrderLine> = po
                    .lines
                    .iter()
                    .map(|(line_id, l)| {
                        let got = received.get(line_id).map_or(0, |r| r.quantity);
                        let mut billed = l.clone();
                        billed.quantity = if early { l.quantity } else { got.max(1) };
                        if dearer {
                            billed.unit_price.minor += billed.unit_price.minor / 10 + 1;
                        }
                        (new_id(), billed)
                    })
                    .collect();
                let total = Money::new(orders::lines_total(&lines).unwrap_or(0), "EUR");
                let status = if po.status == PoStatus::Closed && !early && !dearer {
                    InvoiceStatus::Paid
                } else if rng.random_bool(0.3) && !early && !dearer {
                    InvoiceStatus::Approved
                } else {
                    InvoiceStatus::Received
                };
                Invoice {
                    id: new_id(),
                    vendor: po.vendor.clone(),
                    number,
                    date,
                    due,
                    lines,
                    total,
                    purchase_order: Some(po.id.clone()),
                    paid_on: (status == InvoiceStatus::Paid)
                        .then_some(date.add_days(20).min(today)),
                    status,
                    ..Default::default()
                }
            }
            // Bills with no order: utilities, services on contract.
            None => Invoice {
                id: new_id(),
                vendor: vendors[rng.random_range(0..vendors.len())].clone(),
                number,
                date,
                due,
                total: Money::new(rng.random_range(5_000..90_000), "EUR"),
                status: if rng.random_bool(0.7) {
                    InvoiceStatus::Paid
                } else {
                    InvoiceStatus::Received
                },
                ..Default::default()
            },
        };
        store.create(invoice)?;
        tick(1);
    }
    Ok(())
}
