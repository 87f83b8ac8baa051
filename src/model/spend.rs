//! What was spent, computed from records: the spend ledger (expenses
//! entered by hand plus approved and paid invoices) and each budget line's
//! variance and forecast.
//!
//! An approved invoice counts as spend through the invoice itself, not
//! through a copied expense record, so approving it on two offline devices,
//! or approving it again after a dispute, can never count it twice; a
//! disputed or deleted invoice stops counting.

use std::collections::BTreeMap;

use super::budget::{BudgetLine, Expense, Period};
use super::orders::{Invoice, InvoiceStatus, PurchaseOrder};
use super::purchasing::Vendor;
use super::record::Record;
use super::schema::same_name;
use super::values::{Date, Money};

/// The category of spend nobody categorised.
pub const UNCATEGORISED: &str = "Uncategorised";

/// Where a ledger entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// An expense record (its id).
    Expense(String),
    /// An approved or paid invoice (its id).
    Invoice(String),
}

/// One entry of the spend ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Spend {
    pub date: Date,
    pub amount: Money,
    pub category: String,
    /// Site id.
    pub site: Option<String>,
    /// Vendor id.
    pub vendor: Option<String>,
    pub note: String,
    pub source: Source,
}

/// Every live expense and every approved or paid invoice, newest first.
/// Vendors and orders name an invoice's category and site.
pub fn ledger<'a>(
    expenses: impl IntoIterator<Item = &'a Expense>,
    invoices: impl IntoIterator<Item = &'a Invoice>,
    vendors: impl IntoIterator<Item = &'a Vendor>,
    orders: impl IntoIterator<Item = &'a PurchaseOrder>,
) -> Vec<Spend> {
    let vendors: BTreeMap<&str, &Vendor> =
        vendors.into_iter().map(|v| (v.id.as_str(), v)).collect();
    let orders: BTreeMap<&str, &PurchaseOrder> =
        orders.into_iter().map(|o| (o.id.as_str(), o)).collect();
    let mut out: Vec<Spend> = expenses
        .into_iter()
        .filter(|e| !e.is_deleted())
        .map(|e| Spend {
            date: e.date,
            amount: e.amount.clone(),
            category: e.category.trim().to_string(),
            site: e.site.clone(),
            vendor: e.vendor.clone(),
            note: e.note.clone(),
            source: Source::Expense(e.id.clone()),
        })
        .collect();
    for invoice in invoices.into_iter().filter(|i| counts_as_spend(i)) {
        let vendor = vendors.get(invoice.vendor.as_str());
        let category = [
            invoice.budget_category.trim(),
            vendor
                .and_then(|v| v.category.as_deref())
                .map_or("", str::trim),
        ]
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap_or(UNCATEGORISED)
        .to_string();
        let note = match vendor {
            Some(v) => format!("Invoice {} from {}", invoice.number, v.name),
            None => format!("Invoice {}", invoice.number),
        };
        out.push(Spend {
            date: invoice.date,
            amount: invoice.total.clone(),
            category,
            site: invoice
                .purchase_order
                .as_deref()
                .and_then(|id| orders.get(id))
                .and_then(|o| o.site.clone()),
            vendor: Some(invoice.vendor.clone()),
            note,
            source: Source::Invoice(invoice.id.clone()),
        });
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.source.cmp(&b.source)));
    out
}

/// What of an invoice the ledger reads, when it counts as spend: an edit
/// that leaves this the same (a due date, a note) changes no spend.
pub fn as_spend(invoice: &Invoice) -> Option<(Date, &Money, &str, &str, Option<&str>)> {
    counts_as_spend(invoice).then_some((
        invoice.date,
        &invoice.total,
        invoice.vendor.as_str(),
        invoice.budget_category.as_str(),
        invoice.purchase_order.as_deref(),
    ))
}

/// Whether an invoice's total is money spent: approved or paid, not deleted.
pub fn counts_as_spend(invoice: &Invoice) -> bool {
    !invoice.is_deleted()
        && matches!(
            invoice.status,
            InvoiceStatus::Approved | InvoiceStatus::Paid
        )
}

/// Whether a ledger entry counts against a budget line.
pub fn counts_against(line: &BudgetLine, period: Period, spend: &Spend) -> bool {
    same_name(&line.category, &spend.category)
        && period.contains(spend.date)
        && spend.amount.currency == line.amount.currency
        && line
            .site
            .as_ref()
            .is_none_or(|s| spend.site.as_ref() == Some(s))
}

/// Spent by the end of the period at the pace so far: linear from the
/// first day to `today`. Before the period starts, or after it ends, what
/// was spent is the forecast.
pub fn forecast(spent: i64, period: Period, today: Date) -> i64 {
    if !period.contains(today) {
        return spent;
    }
    let elapsed = period.start().days_until(today) + 1;
    let total = i128::from(spent) * i128::from(period.days()) / i128::from(elapsed);
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// How a budget line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Flag {
    Ok,
    /// The forecast passes the budget by more than the workspace threshold.
    ForecastOver,
    /// Already spent more than the budget.
    Over,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Ok => "ok",
            Flag::ForecastOver => "forecast over",
            Flag::Over => "over budget",
        }
    }
}

/// A budget line's spent, remaining and forecast, in minor units of its
/// currency.
#[derive(Debug, Clone, PartialEq)]
pub struct LineStatus {
    pub line: String,
    pub period: Period,
    pub budget: i64,
    pub spent: i64,
    pub remaining: i64,
    pub forecast: i64,
    pub flag: Flag,
    pub currency: String,
}

/// The workspace threshold as a default: a forecast more than 10 % over
/// budget is flagged.
pub const DEFAULT_THRESHOLD_BP: i64 = 1_000;

/// Spent against `line` and its forecast as of `today`; `threshold_bp` is
/// how far (basis points of the budget) the forecast may pass the budget
/// before it is flagged.
pub fn line_status(
    line: &BudgetLine,
    ledger: &[Spend],
    today: Date,
    threshold_bp: i64,
) -> LineStatus {
    status_of(line, ledger.iter(), today, threshold_bp)
}

/// A line's status from candidate entries (each checked with
/// [`counts_against`]; [`statuses`] passes only the line's category's).
fn status_of<'s>(
    line: &BudgetLine,
    candidates: impl Iterator<Item = &'s Spend>,
    today: Date,
    threshold_bp: i64,
) -> LineStatus {
    let period = line.period;
    let spent = candidates
        .filter(|s| counts_against(line, period, s))
        .fold(0i64, |sum, s| sum.saturating_add(s.amount.minor));
    let budget = line.amount.minor;
    let forecast = forecast(spent, period, today);
    let allowed = i128::from(budget) + i128::from(budget) * i128::from(threshold_bp) / 10_000;
    let flag = if spent > budget {
        Flag::Over
    } else if i128::from(forecast) > allowed {
        Flag::ForecastOver
    } else {
        Flag::Ok
    };
    LineStatus {
        line: line.id.clone(),
        period,
        budget,
        spent,
        remaining: budget.saturating_sub(spent),
        forecast,
        flag,
        currency: line.amount.currency.clone(),
    }
}

/// The budget lines whose period overlaps `period` (all when `None`),
/// with their status, soonest period first then by category. Lines may be
/// owned or shared (`Arc`): each comes back as it was given.
pub fn statuses<'a, L: std::borrow::Borrow<BudgetLine>>(
    lines: &'a [L],
    ledger: &[Spend],
    period: Option<Period>,
    today: Date,
    threshold_bp: i64,
) -> Vec<(&'a L, LineStatus)> {
    // Each line looks only at its category's entries (a year of lines
    // against a year of spending would otherwise be lines × entries).
    let key = |category: &str| category.trim().to_lowercase();
    let mut by_category: BTreeMap<String, Vec<&Spend>> = BTreeMap::new();
    for spend in ledger {
        by_category
            .entry(key(&spend.category))
            .or_default()
            .push(spend);
    }
    let mut out: Vec<(&L, LineStatus)> = lines
        .iter()
        .filter(|l| !l.borrow().is_deleted())
        .map(|l| {
            let line: &BudgetLine = l.borrow();
            let candidates = by_category.get(&key(&line.category)).into_iter().flatten();
            (l, status_of(line, candidates.copied(), today, threshold_bp))
        })
        .filter(|(_, s)| {
            period.is_none_or(|p| s.period.start() <= p.end() && p.start() <= s.period.end())
        })
        .collect();
    let key = |(l, s): &(&L, LineStatus)| {
        let l: &BudgetLine = (*l).borrow();
        (s.period.start(), s.period.end(), l.category.to_lowercase())
    };
    out.sort_by_key(key);
    out
}

/// Spend per month for each key (category, site…), over `months`:
/// `key → one total per month`, in minor units.
pub fn monthly_by(
    ledger: &[Spend],
    months: &[Period],
    key: impl Fn(&Spend) -> String,
) -> BTreeMap<String, Vec<i64>> {
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for spend in ledger {
        if let Some(i) = months.iter().position(|m| m.contains(spend.date)) {
            let row = out
                .entry(key(spend))
                .or_insert_with(|| vec![0; months.len()]);
            row[i] = row[i].saturating_add(spend.amount.minor);
        }
    }
    out
}

/// The `n` months up to and including the month of `today`, oldest first.
pub fn last_months(today: Date, n: usize) -> Vec<Period> {
    let mut months = vec![Period::month_of(today)];
    while months.len() < n {
        let before = months[0].previous();
        months.insert(0, before);
    }
    months
}

/// Total spend in a period.
pub fn total_in(ledger: &[Spend], period: Period) -> i64 {
    ledger
        .iter()
        .filter(|s| period.contains(s.date))
        .fold(0i64, |sum, s| sum.saturating_add(s.amount.minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn line(category: &str, period: &str, amount: i64, site: Option<&str>) -> BudgetLine {
        BudgetLine {
            id: format!("{category}-{period}"),
            category: category.into(),
            period: period.parse().unwrap(),
            site: site.map(Into::into),
            amount: Money::new(amount, "EUR"),
            ..Default::default()
        }
    }

    fn spend(date: Date, minor: i64, category: &str, site: Option<&str>) -> Spend {
        Spend {
            date,
            amount: Money::new(minor, "EUR"),
            category: category.into(),
            site: site.map(Into::into),
            vendor: None,
            note: String::new(),
            source: Source::Expense(format!("{date}-{minor}")),
        }
    }

    #[test]
    fn forecast_runs_at_the_pace_so_far() {
        let nov = Period::Month(2026, 11);
        // 100.00 in the first 10 of 30 days: 300.00 by the end.
        assert_eq!(forecast(10_000, nov, d(2026, 11, 10)), 30_000);
        // On the last day the forecast is what was spent.
        assert_eq!(forecast(10_000, nov, d(2026, 11, 30)), 10_000);
        // Outside the period nothing more is expected.
        assert_eq!(forecast(10_000, nov, d(2026, 12, 5)), 10_000);
        assert_eq!(forecast(0, nov, d(2026, 10, 5)), 0);
        // Never overflows.
        assert_eq!(forecast(i64::MAX, nov, d(2026, 11, 1)), i64::MAX);
    }

    #[test]
    fn variance_flags_over_and_forecast_over_the_threshold() {
        let today = d(2026, 11, 15);
        let ledger = vec![
            spend(d(2026, 11, 2), 20_000, "Office supplies", Some("hq")),
            spend(d(2026, 11, 9), 5_000, "office supplies", Some("lisbon")),
            spend(d(2026, 10, 30), 99_900, "Office supplies", Some("hq")),
            spend(d(2026, 11, 3), 7_000, "Software", None),
        ];
        // 250.00 spent by the 15th of 30 days: forecast 500.00.
        let all = line("Office supplies", "2026-11", 50_000, None);
        let s = line_status(&all, &ledger, today, 1_000);
        assert_eq!((s.spent, s.remaining, s.forecast), (25_000, 25_000, 50_000));
        assert_eq!(s.flag, Flag::Ok);
        // A 450.00 line: forecast 500.00 is 11 % over, past a 10 % threshold.
        let tight = line("Office supplies", "2026-11", 45_000, None);
        assert_eq!(
            line_status(&tight, &ledger, today, 1_000).flag,
            Flag::ForecastOver
        );
        // …but within a 20 % one.
        assert_eq!(line_status(&tight, &ledger, today, 2_000).flag, Flag::Ok);
        // A site line counts only that site's spend.
        let hq = line("Office supplies", "2026-11", 15_000, Some("hq"));
        let s = line_status(&hq, &ledger, today, 1_000);
        assert_eq!((s.spent, s.remaining, s.flag), (20_000, -5_000, Flag::Over));
        // A quarter line counts October and November.
        let q = line("Office supplies", "2026-Q4", 200_000, None);
        assert_eq!(line_status(&q, &ledger, today, 1_000).spent, 124_900);
    }

    #[test]
    fn approved_invoices_count_once_and_disputed_ones_not_at_all() {
        let vendor = Vendor {
            id: "v".into(),
            name: "Paper Co".into(),
            category: Some("Office supplies".into()),
            ..Default::default()
        };
        let invoice = |id: &str, status| Invoice {
            id: id.into(),
            vendor: "v".into(),
            number: id.to_uppercase(),
            date: d(2026, 11, 4),
            total: Money::new(12_300, "EUR"),
            status,
            ..Default::default()
        };
        let invoices = vec![
            invoice("a", InvoiceStatus::Approved),
            invoice("b", InvoiceStatus::Paid),
            invoice("c", InvoiceStatus::Disputed),
            invoice("d", InvoiceStatus::Received),
        ];
        let ledger = ledger([], &invoices, [&vendor], []);
        assert_eq!(ledger.len(), 2);
        assert!(ledger.iter().all(|s| s.category == "Office supplies"));
        assert_eq!(ledger[0].note, "Invoice A from Paper Co");
    }

    #[test]
    fn monthly_totals_by_key() {
        let ledger = vec![
            spend(d(2026, 11, 2), 100, "A", None),
            spend(d(2026, 11, 3), 50, "A", None),
            spend(d(2026, 10, 3), 7, "B", None),
            spend(d(2025, 1, 3), 9, "B", None),
        ];
        let months = last_months(d(2026, 11, 28), 3);
        assert_eq!(months[0], Period::Month(2026, 9));
        let by = monthly_by(&ledger, &months, |s| s.category.clone());
        assert_eq!(by["A"], vec![0, 0, 150]);
        assert_eq!(by["B"], vec![0, 7, 0]);
        assert_eq!(total_in(&ledger, Period::Month(2026, 11)), 150);
    }
}
