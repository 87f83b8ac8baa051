//! The budget part of a generated office: monthly budget lines per
//! spending category for the last twelve months and the next two (the
//! kitchen also per site), and card and petty-cash expenses spread over
//! the year, so some lines run over and some forecast over.

use rand::Rng;
use rand::rngs::StdRng;

use crate::model::*;
use crate::store::{Result, Store};

/// Categories (the vendors' own, so approved invoices count against them)
/// and a month's budget in whole euros.
const MONTHLY: &[(&str, i64)] = &[
    ("Supplies", 1_500),
    ("Facilities", 3_000),
    ("Kitchen", 800),
    ("Equipment", 1_200),
    ("IT", 2_000),
    ("Logistics", 400),
    ("Travel", 600),
    ("Events", 500),
];

/// What people pay by card or from petty cash: category, note, euros.
const SPENDING: &[(&str, &str, i64, i64)] = &[
    ("Travel", "Taxi to the client", 15, 60),
    ("Travel", "Train tickets", 30, 140),
    ("Events", "Team lunch", 60, 260),
    ("Events", "Birthday cake", 20, 45),
    ("Kitchen", "Milk and fruit", 8, 35),
    ("Kitchen", "Coffee beans (shop)", 15, 40),
    ("Supplies", "Stamps and envelopes", 5, 30),
    ("Logistics", "Parking at the warehouse", 5, 25),
    ("Equipment", "USB-C adapter", 15, 45),
];

pub fn budget(
    store: &Store,
    rng: &mut StdRng,
    expenses: usize,
    sites: &[String],
    today: Date,
) -> Result<()> {
    let this_month = Period::month_of(today);
    let mut month = this_month;
    for _ in 0..11 {
        month = month.previous();
    }
    while month <= this_month.next().next() {
        for (category, euros) in MONTHLY {
            store.create(BudgetLine {
                id: new_id(),
                category: category.to_string(),
                period: month,
                amount: Money::new(euros * 100, "EUR"),
                owner: Some(super::fixture::PEOPLE[0].to_string()),
                ..Default::default()
            })?;
        }
        if let Some(hq) = sites.first() {
            store.create(BudgetLine {
                id: new_id(),
                category: "Kitchen".into(),
                period: month,
                site: Some(hq.clone()),
                amount: Money::new(350 * 100, "EUR"),
                owner: Some(super::fixture::PEOPLE[1].to_string()),
                notes: "The HQ kitchen's share".into(),
                ..Default::default()
            })?;
        }
        month = month.next();
    }
    for i in 0..expenses {
        let (category, note, low, high) = SPENDING[rng.random_range(0..SPENDING.len())];
        store.create(Expense {
            id: new_id(),
            // Half in the last two months, where people look first.
            date: today.add_days(-rng.random_range(0..if i % 2 == 0 { 60 } else { 365 })),
            amount: Money::new(rng.random_range(low * 100..=high * 100), "EUR"),
            category: category.into(),
            site: (!sites.is_empty()).then(|| sites[i % sites.len()].clone()),
            note: note.into(),
            ..Default::default()
        })?;
    }
    // This month's offsite deposit: Events forecast to run over.
    store.create(Expense {
        id: new_id(),
        date: this_month.start(),
        amount: Money::new(45_000, "EUR"),
        category: "Events".into(),
        site: sites.first().cloned(),
        note: "Team offsite deposit".into(),
        ..Default::default()
    })?;
    Ok(())
}
