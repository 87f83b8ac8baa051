//! Vendors and their contracts: who the office buys from, and the renewal
//! calendar that keeps contracts from lapsing (or renewing unnoticed).
//! Purchase orders, receipts and invoices are in [`super::orders`].

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Date, Money, string_enum};

/// A person to call at a vendor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
}

record! {
    pub struct Vendor ("vendors" in Purchasing) {
        pub name: String,
        pub category: Option<String>,
        /// The vendor's main email and phone (people are in `contacts`).
        pub email: Option<String>,
        pub phone: Option<String>,
        /// "30 days", "on delivery".
        pub payment_terms: Option<String>,
        /// Our customer number with the vendor.
        pub account_number: Option<String>,
        /// Contacts keyed by id.
        pub contacts: BTreeMap<String, Contact>,
        pub notes: String,
    }
    validate(v) {
        require_text("vendor name", &v.name)?;
        for c in v.contacts.values() {
            require_text("contact name", &c.name)?;
        }
        check_len("notes", &v.notes, 20_000)
    }
}

string_enum! {
    /// Where a contract stands: running, cancelled with notice given, or over.
    pub enum ContractStatus { Active = "active", NoticeGiven = "notice-given", Ended = "ended" }
}

record! {
    /// A service or supply agreement with a vendor.
    pub struct Contract ("contracts" in Purchasing) {
        pub vendor: String,
        pub title: String,
        pub start: Date,
        /// Last day of the current term (none: open-ended).
        pub end: Option<Date>,
        /// Days of notice needed to cancel before the end of the term.
        pub notice_days: i64,
        /// Renews for another term of the same length unless cancelled.
        pub auto_renew: bool,
        pub annual_value: Money,
        pub owner: Option<String>,
        pub status: ContractStatus,
        pub notes: String,
    }
    validate(c) {
        require_text("vendor", &c.vendor)?;
        require_text("contract title", &c.title)?;
        if c.notice_days < 0 {
            return Err(ValidationError::new("notice period", "must be 0 or more days"));
        }
        if let Some(end) = c.end {
            if end < c.start {
                return Err(ValidationError::new("end", "must not be before the start date"));
            }
            let term = c.start.days_until(end);
            if c.notice_days > term {
                return Err(ValidationError::new(
                    "notice period",
                    format!(
                        "{} days is longer than the contract term ({term} days from {} to {end}); check the dates or the notice",
                        c.notice_days, c.start
                    ),
                ));
            }
        }
        if c.annual_value.minor < 0 || !c.annual_value.is_valid() {
            return Err(ValidationError::new(
                "annual value",
                "must be 0 or more with a 3-letter currency code",
            ));
        }
        check_len("notes", &c.notes, 20_000)
    }
}

/// A contract's next decision: the end of the term it is in and the last
/// day to give notice before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Renewal {
    pub term_end: Date,
    pub deadline: Date,
}

impl Contract {
    /// The end of the term running on `today`. An auto-renewing active
    /// contract past its end rolls forward by its term length: in whole
    /// months when the term is (a year from 29 February ends on 28 February
    /// and renews to the next 28 February), else in days. `None` for
    /// open-ended contracts.
    pub fn current_term_end(&self, today: Date) -> Option<Date> {
        let end = self.end?;
        if end >= today || !self.auto_renew || self.status != ContractStatus::Active {
            return Some(end);
        }
        let months = whole_months(self.start, end);
        let days = self.start.days_until(end).max(0) + 1;
        // Terms until today, at most ten thousand (a typo'd 1-day term).
        let mut term_end = end;
        for n in 2..10_000u32 {
            term_end = match months {
                Some(m) => term_end_after(self.start, m.saturating_mul(n)),
                None => self.start.add_days(days * i64::from(n) - 1),
            };
            if term_end >= today {
                break;
            }
        }
        Some(term_end)
    }

    /// The next decision on `today`: the end of the running term and the
    /// last day to give notice. `None` for contracts not active, open-ended
    /// or in the trash.
    pub fn renewal(&self, today: Date) -> Option<Renewal> {
        if self.deleted_at.is_some() || self.status != ContractStatus::Active {
            return None;
        }
        let term_end = self.current_term_end(today)?;
        Some(Renewal {
            term_end,
            deadline: term_end.add_days(self.notice_days.saturating_neg()),
        })
    }
}

/// The last day of a term of `months` from `start`: the day before the
/// anniversary, or the month's last day when the anniversary does not
/// exist (a start on 29 February or the 31st).
fn term_end_after(start: Date, months: u32) -> Date {
    use chrono::Datelike;
    let anniversary = start.add_months(months);
    if anniversary.0.day() < start.0.day() {
        anniversary
    } else {
        anniversary.add_days(-1)
    }
}

/// The term from `start` to `end` in whole months, if it is one.
fn whole_months(start: Date, end: Date) -> Option<u32> {
    use chrono::Datelike;
    let diff = (end.0.year() - start.0.year()) * 12 + end.0.month() as i32 - start.0.month() as i32;
    [diff, diff + 1]
        .into_iter()
        .filter(|m| *m > 0)
        .map(|m| m as u32)
        .find(|m| term_end_after(start, *m) == end)
}

super::field_write::nested_fields!(Contact {
    name,
    email,
    phone,
    role
});

super::schema::describe! {
    Vendor, label: "vendor", title: "Vendors", name: name,
    unique_name: true,
    fields {
        name: "Name", Text, required, column;
        category: "Category", Text, column;
        email: "Email", Text, column;
        phone: "Phone", Text, column;
        payment_terms: "Payment terms", Text, column;
        account_number: "Account number", Text;
        notes: "Notes", LongText;
    }
}

super::schema::describe! {
    Contract, label: "contract", title: "Contracts", name: title,
    fields {
        title: "Title", Text, required, column;
        vendor: "Vendor", Reference("vendors"), required, column;
        start: "Start", Date, required, column;
        end: "End", Date, column;
        notice_days: "Notice (days)", Int, column;
        auto_renew: "Auto-renews", Flag, column;
        annual_value: "Annual value", Money, column;
        owner: "Owner", Person;
        status: "Status", Choice(ContractStatus::NAMES), column;
        notes: "Notes", LongText;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn contract(start: Date, end: Date, notice: i64, auto: bool) -> Contract {
        Contract {
            vendor: "v".into(),
            title: "Cleaning".into(),
            start,
            end: Some(end),
            notice_days: notice,
            auto_renew: auto,
            annual_value: Money::new(0, "EUR"),
            ..Default::default()
        }
    }

    #[test]
    fn the_deadline_is_the_end_less_the_notice_across_month_ends_and_leap_days() {
        let c = contract(d(2025, 3, 1), d(2026, 2, 28), 30, false);
        assert_eq!(c.renewal(d(2026, 1, 1)).unwrap().deadline, d(2026, 1, 29));
        let leap = contract(d(2023, 3, 1), d(2024, 2, 29), 29, false);
        assert_eq!(
            leap.renewal(d(2024, 1, 1)).unwrap().deadline,
            d(2024, 1, 31)
        );
        let month_end = contract(d(2026, 1, 1), d(2026, 3, 31), 31, false);
        assert_eq!(
            month_end.renewal(d(2026, 1, 1)).unwrap().deadline,
            d(2026, 2, 28)
        );
    }

    #[test]
    fn auto_renewing_contracts_roll_forward_by_whole_terms() {
        // A year from 29 Feb 2024 ends 28 Feb 2025 and renews to 28 Feb 2026.
        let c = contract(d(2024, 2, 29), d(2025, 2, 28), 60, true);
        let r = c.renewal(d(2025, 6, 1)).unwrap();
        assert_eq!(r.term_end, d(2026, 2, 28));
        assert_eq!(r.deadline, d(2025, 12, 30));
        // A calendar year renews to the next calendar year.
        let year = contract(d(2025, 1, 1), d(2025, 12, 31), 90, true);
        assert_eq!(
            year.renewal(d(2027, 3, 3)).unwrap().term_end,
            d(2027, 12, 31)
        );
        // Not auto-renewing and past its end: nothing to decide.
        let over = contract(d(2025, 1, 1), d(2025, 12, 31), 90, false);
        assert_eq!(
            over.renewal(d(2026, 1, 5)).unwrap().term_end,
            d(2025, 12, 31)
        );
        // A term that is not whole months rolls by days.
        let weeks = contract(d(2026, 1, 1), d(2026, 1, 14), 7, true);
        assert_eq!(
            weeks.renewal(d(2026, 1, 20)).unwrap().term_end,
            d(2026, 1, 28)
        );
        let ended = Contract {
            status: ContractStatus::Ended,
            ..over
        };
        assert_eq!(ended.renewal(d(2026, 1, 5)), None);
    }

    #[test]
    fn a_notice_period_longer_than_the_term_is_refused() {
        let c = contract(d(2026, 1, 1), d(2026, 1, 31), 45, false);
        let err = crate::model::Record::validate(&c).unwrap_err();
        assert_eq!(err.field, "notice period");
        assert!(
            err.message.contains("longer than the contract term"),
            "{err}"
        );
        assert!(
            crate::model::Record::validate(&contract(d(2026, 1, 1), d(2026, 1, 31), 30, false))
                .is_ok()
        );
    }
}
