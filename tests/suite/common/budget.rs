//! Budget records for tests, entered as a person types them.

use bureau::model::Date;
use bureau::ops::Session;
use bureau::store::Store;

use super::purchasing::create;

pub fn day(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).expect("date")
}

/// Adds a budget line as typed; its id.
pub fn budget_line(
    store: &Store,
    session: &mut Session,
    category: &str,
    period: &str,
    amount: &str,
    site: Option<&str>,
) -> String {
    let mut fields = vec![
        ("category", category),
        ("period", period),
        ("amount", amount),
    ];
    if let Some(site) = site {
        fields.push(("site", site));
    }
    create(store, session, "budget_lines", &fields)
}

/// Adds an expense as typed (the site by name); its id.
pub fn expense(
    store: &Store,
    session: &mut Session,
    amount: &str,
    category: &str,
    date: &str,
    site: Option<&str>,
) -> String {
    let mut fields = vec![("amount", amount), ("category", category), ("date", date)];
    if let Some(site) = site {
        fields.push(("site", site));
    }
    create(store, session, "expenses", &fields)
}
