//! Budget lines (planned spend for a category over a month, quarter or
//! year) and the expenses people enter by hand. What was spent against a
//! line is computed (see [`super::spend`]), never stored as a shared total,
//! so expenses entered offline at several sites merge exactly.

use std::fmt;
use std::str::FromStr;

use chrono::Datelike;

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Date, Money};

/// A budget period: a month (`2026-11`), a quarter (`2026-Q4`) or a year
/// (`2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Month(i32, u32),
    Quarter(i32, u32),
    Year(i32),
}

impl Period {
    /// The month holding `date`.
    pub fn month_of(date: Date) -> Period {
        Period::Month(date.0.year(), date.0.month())
    }

    /// The quarter holding `date`.
    pub fn quarter_of(date: Date) -> Period {
        Period::Quarter(date.0.year(), (date.0.month() - 1) / 3 + 1)
    }

    /// The period of the same length holding `date`.
    pub fn same_kind_at(self, date: Date) -> Period {
        match self {
            Period::Month(..) => Period::month_of(date),
            Period::Quarter(..) => Period::quarter_of(date),
            Period::Year(_) => Period::Year(date.0.year()),
        }
    }

    /// The first day.
    pub fn start(self) -> Date {
        let (y, m) = match self {
            Period::Month(y, m) => (y, m),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1),
            Period::Year(y) => (y, 1),
        };
        Date::new(y, m, 1).unwrap_or_default()
    }

    /// The last day (inclusive).
    pub fn end(self) -> Date {
        self.next().start().add_days(-1)
    }

    /// The period right after this one.
    pub fn next(self) -> Period {
        match self {
            Period::Month(y, 12) => Period::Month(y + 1, 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
            Period::Year(y) => Period::Year(y + 1),
        }
    }

    /// The period right before this one.
    pub fn previous(self) -> Period {
        self.same_kind_at(self.start().add_days(-1))
    }

    pub fn contains(self, date: Date) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Whether `other` lies entirely inside this period.
    pub fn covers(self, other: Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// Days in the period.
    pub fn days(self) -> i64 {
        self.start().days_until(self.end()) + 1
    }

    /// "November 2026", "Q4 2026", "2026".
    pub fn label(self) -> String {
        match self {
            Period::Month(..) => self.start().0.format("%B %Y").to_string(),
            Period::Quarter(y, q) => format!("Q{q} {y}"),
            Period::Year(y) => y.to_string(),
        }
    }
}

impl Default for Period {
    fn default() -> Self {
        Period::Year(1970)
    }
}

/// Stored and sent as its text ("2026-11", "2026-Q4", "2026").
impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl autosurgeon::Reconcile for Period {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: autosurgeon::Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.str(self.to_string())
    }
}

impl autosurgeon::Hydrate for Period {
    fn hydrate_string(s: &'_ str) -> Result<Self, autosurgeon::HydrateError> {
        s.parse().map_err(|_| {
            autosurgeon::HydrateError::unexpected("a period such as 2026-11", s.to_string())
        })
    }
}

super::field_write::leaf_fields!(Period);

impl super::schema::FieldText for Period {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(
        text: &str,
        spec: &super::schema::FieldSpec,
        _: &super::schema::FieldContext,
    ) -> Result<Self, ValidationError> {
        text.parse().map_err(|e| ValidationError::new(spec.key, e))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Period::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Period::Year(y) => write!(f, "{y:04}"),
        }
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{s:?} is not a period; type a month (2026-11), a quarter (2026-Q4) or a year (2026)"
            )
        };
        let t = s.trim().to_uppercase();
        let year = |y: &str| {
            y.parse::<i32>()
                .ok()
                .filter(|y| (1900..=9999).contains(y) && y.to_string().len() == 4)
        };
        match t.split_once('-') {
            None => year(&t).map(Period::Year).ok_or_else(bad),
            Some((y, rest)) => {
                let y = year(y).ok_or_else(bad)?;
                if let Some(q) = rest.strip_prefix('Q') {
                    match q.parse::<u32>() {
                        Ok(q @ 1..=4) if rest.len() == 2 => Ok(Period::Quarter(y, q)),
                        _ => Err(bad()),
                    }
                } else {
                    match rest.parse::<u32>() {
                        Ok(m @ 1..=12) if rest.len() <= 2 => Ok(Period::Month(y, m)),
                        _ => Err(bad()),
                    }
                }
            }
        }
    }
}

record! {
    /// Planned spend for a category over a period, optionally at one site.
    pub struct BudgetLine ("budget_lines" in Budget) {
        /// "Office supplies", "Facilities", "Software", "Events"…
        pub category: String,
        pub period: Period,
        /// Only this site's spend counts (site id); all sites when empty.
        pub site: Option<String>,
        pub amount: Money,
        /// Who answers for the line (a member, by name).
        pub owner: Option<String>,
        pub notes: String,
    }
    validate(b) {
        require_text("category", &b.category)?;
        if b.amount.minor < 0 || !b.amount.is_valid() {
            return Err(ValidationError::new("amount", "must be 0 or more with a currency code"));
        }
        check_len("notes", &b.notes, 20_000)
    }
}

record! {
    /// Money spent outside purchasing (card, petty cash), entered by hand.
    /// Approved invoices count as spend without an expense record.
    pub struct Expense ("expenses" in Budget) {
        pub date: Date,
        pub amount: Money,
        pub category: String,
        /// Vendor id, when the money went to a known vendor.
        pub vendor: Option<String>,
        /// Site id.
        pub site: Option<String>,
        pub note: String,
    }
    validate(e) {
        require_text("category", &e.category)?;
        if e.amount.minor <= 0 || !e.amount.is_valid() {
            return Err(ValidationError::new("amount", "must be more than 0 with a currency code"));
        }
        check_len("note", &e.note, 5_000)
    }
}

/// The categories offered when none exist yet.
pub const DEFAULT_CATEGORIES: &[&str] = &[
    "Office supplies",
    "Facilities",
    "Software",
    "Equipment",
    "Events",
    "Travel",
];

super::schema::describe! {
    BudgetLine, label: "budget line", title: "Budget", name: category,
    fields {
        category: "Category", Text, required, column;
        period: "Period", Text, required, column;
        site: "Site", Reference("sites"), column;
        amount: "Amount", Money, required, column;
        owner: "Owner", Person, column;
        notes: "Notes", LongText;
    }
}

super::schema::describe! {
    Expense, label: "expense", title: "Expenses", name: category,
    fields {
        date: "Date", Date, required, column;
        amount: "Amount", Money, required, column;
        category: "Category", Text, required, column;
        vendor: "Vendor", Reference("vendors"), column;
        site: "Site", Reference("sites"), column;
        note: "Note", LongText, column;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn periods_parse_print_and_bound() {
        let nov: Period = "2026-11".parse().unwrap();
        assert_eq!(nov, Period::Month(2026, 11));
        assert_eq!(
            (nov.start(), nov.end(), nov.days()),
            (d(2026, 11, 1), d(2026, 11, 30), 30)
        );
        let q: Period = "2026-q4".parse().unwrap();
        assert_eq!(q.to_string(), "2026-Q4");
        assert_eq!((q.start(), q.end()), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!("2028".parse::<Period>().unwrap().days(), 366);
        assert_eq!(Period::Month(2026, 1).previous(), Period::Month(2025, 12));
        assert_eq!(
            Period::Quarter(2027, 1).previous(),
            Period::Quarter(2026, 4)
        );
        assert!(q.covers(nov) && !nov.covers(q));
        assert_eq!(Period::Month(2026, 2).label(), "February 2026");
        for bad in [
            "", "2026-13", "2026-Q5", "26", "2026-1-1", "Q4", "2026-Q0", "nov",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} should be refused");
        }
    }
}
