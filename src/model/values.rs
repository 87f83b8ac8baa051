//! Value types shared by every record: calendar dates, instants, money and
//! string-backed enums, each with its Automerge (autosurgeon) and JSON form.

use std::fmt;
use std::str::FromStr;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// A calendar day (due dates, contract dates). Stored as `"YYYY-MM-DD"`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        (other.0 - self.0).num_days()
    }

    /// The same day `months` later (the month's last day when it has no
    /// such day: 31 January + 1 month is 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        Date(
            self.0
                .checked_add_months(chrono::Months::new(months))
                .unwrap_or(self.0),
        )
    }

    /// `days` later (earlier when negative); a result past the calendar's
    /// range stays at `self` rather than panicking on hostile input.
    /// The ISO week the day is in, as "2026-W49" (a rule or reminder that
    /// holds all week long counts once per week).
    pub fn iso_week(self) -> String {
        use chrono::Datelike;
        let w = self.0.iso_week();
        format!("{}-W{:02}", w.year(), w.week())
    }

    pub fn add_days(self, days: i64) -> Date {
        chrono::Duration::try_days(days)
            .and_then(|d| self.0.checked_add_signed(d))
            .map_or(self, Date)
    }
}

impl Date {
    /// Parses what people type for a day: `2026-12-01`, `today`,
    /// `tomorrow`, `yesterday`, a weekday (`fri`, `friday`: the next one
    /// after today), or an offset from today (`+3d`, `3d`, `2w`, `-1d`).
    pub fn parse_relative(text: &str, today: Date) -> Result<Date, String> {
        let t = text.trim().to_lowercase();
        if let Ok(d) = t.parse::<Date>() {
            return Ok(d);
        }
        match t.as_str() {
            "today" => return Ok(today),
            "tomorrow" | "tmr" => return Ok(today.add_days(1)),
            "yesterday" => return Ok(today.add_days(-1)),
            _ => {}
        }
        let weekdays = [
            ("mon", chrono::Weekday::Mon),
            ("tue", chrono::Weekday::Tue),
            ("wed", chrono::Weekday::Wed),
            ("thu", chrono::Weekday::Thu),
            ("fri", chrono::Weekday::Fri),
            ("sat", chrono::Weekday::Sat),
            ("sun", chrono::Weekday::Sun),
        ];
        if t.len() >= 3
            && let Some((_, day)) = weekdays.iter().find(|(short, _)| t.starts_with(short))
        {
            use chrono::Datelike;
            let from = today.0.weekday().num_days_from_monday() as i64;
            let to = day.num_days_from_monday() as i64;
            let ahead = (to - from).rem_euclid(7);
            return Ok(today.add_days(if ahead == 0 { 7 } else { ahead }));
        }
        let body = t.strip_prefix('+').unwrap_or(&t);
        let split = body.char_indices().last().map_or(0, |(i, _)| i);
        let (number, unit) = body.split_at(split);
        if let Ok(n) = number.parse::<i64>()
            && n.abs() <= 3650
        {
            match unit {
                "d" => return Ok(today.add_days(n)),
                "w" => return Ok(today.add_days(n * 7)),
                _ => {}
            }
        }
        Err(format!(
            "{:?} is not a date: type YYYY-MM-DD (2026-12-01), today, tomorrow, a weekday (fri) or +3d / 2w",
            text.trim()
        ))
    }
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Date)
            .map_err(|_| format!("invalid date {s:?}: use YYYY-MM-DD, e.g. 2026-12-01"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Reconcile for Date {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for Date {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        s.parse()
            .map_err(|_| HydrateError::unexpected("a YYYY-MM-DD date", s.to_string()))
    }
}

/// An instant (created/updated/deleted times, comment times), millisecond
/// precision, stored as an Automerge timestamp.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Stamp(pub DateTime<Utc>);

/// Stamps are written as RFC 3339 text and read from that or from epoch
/// milliseconds (the form Automerge timestamps take when read in bulk).
impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Millis(i64),
            Text(DateTime<Utc>),
        }
        Ok(match Form::deserialize(d)? {
            Form::Millis(ms) => Stamp::from_millis(ms),
            Form::Text(t) => Stamp(t),
        })
    }
}

impl Stamp {
    pub fn now() -> Self {
        Self::from_millis(Utc::now().timestamp_millis())
    }

    pub fn from_millis(ms: i64) -> Self {
        Stamp(Utc.timestamp_millis_opt(ms).single().unwrap_or_default())
    }

    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    /// The zero stamp a record's time field has until it is set.
    pub fn is_unset(&self) -> bool {
        self.millis() == 0
    }

    /// The UTC calendar day (stable on every device).
    pub fn date(self) -> Date {
        Date(self.0.date_naive())
    }

    /// The calendar day in this device's time zone ("blocked 3 days",
    /// compared with a local today).
    pub fn local_date(self) -> Date {
        Date(self.0.with_timezone(&chrono::Local).date_naive())
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d %H:%M"))
    }
}

impl Reconcile for Stamp {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.timestamp(self.millis())
    }
}

impl Hydrate for Stamp {
    fn hydrate_timestamp(ms: i64) -> Result<Self, HydrateError> {
        Ok(Stamp::from_millis(ms))
    }
    fn hydrate_int(ms: i64) -> Result<Self, HydrateError> {
        Ok(Stamp::from_millis(ms))
    }
}

crate::model::field_write::leaf_fields!(Date, Stamp, Money);

/// An amount of money: integer minor units (cents) and an ISO 4217 code.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, Reconcile, Hydrate,
)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: &str) -> Self {
        Money {
            minor,
            currency: currency.to_string(),
        }
    }

    /// Parses `"12.50"` or `"12.50 EUR"` (the default currency when absent).
    pub fn parse(s: &str, default_currency: &str) -> Result<Self, String> {
        let mut parts = s.split_whitespace();
        let amount = parts.next().ok_or("empty amount")?;
        let currency = parts.next().unwrap_or(default_currency).to_uppercase();
        if parts.next().is_some() || !is_currency_code(&currency) {
            return Err(format!(
                "invalid amount {s:?}: use e.g. 12.50 or \"12.50 EUR\""
            ));
        }
        let (whole, frac) = amount.split_once('.').unwrap_or((amount, ""));
        let negative = whole.starts_with('-');
        let whole_digits = whole.trim_start_matches('-');
        let bad = || format!("invalid amount {s:?}: use digits with at most 2 decimals");
        if whole_digits.is_empty()
            || !whole_digits.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 2
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let units: i64 = whole_digits.parse().map_err(|_| bad())?;
        let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let minor = units
            .checked_mul(100)
            .and_then(|v| v.checked_add(cents))
            .ok_or_else(bad)?;
        Ok(Money::new(if negative { -minor } else { minor }, &currency))
    }

    pub fn is_valid(&self) -> bool {
        is_currency_code(&self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        write!(f, "{sign}{}.{:02} {}", abs / 100, abs % 100, self.currency)
    }
}

pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

/// A size for people: "1.5 MiB", "12.0 KiB", "300 B".
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

/// Declares an enum stored as a short lowercase string in Automerge and JSON,
/// parsed from the same string on the command line.
///
/// Forward compatible: a value this version does not know (written by a
/// newer peer) reads as `Unknown` instead of making the whole record
/// unreadable. `Unknown` is never parsed from user input, and because edits
/// write only the fields they change, the newer value stays in the document
/// until someone deliberately sets that field.
macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value written by a newer version of Bureau.
            Unknown,
        }

        impl Default for $name {
            fn default() -> Self {
                $name::ALL[0]
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored (and typed) names, in `ALL`'s order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ $name::Unknown => "unknown" }
            }

            /// Reads a stored value; values from newer versions become `Unknown`.
            pub fn from_stored(s: &str) -> Self {
                $name::ALL.iter().copied().find(|v| v.as_str() == s).unwrap_or($name::Unknown)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().to_lowercase().replace(['_', ' '], "-");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("{s:?} is not one of {}", names.join(", "))
                    })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from_stored(&s))
            }
        }

        impl autosurgeon::Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;
            fn reconcile<R: autosurgeon::Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
                r.str(self.as_str())
            }
        }

        impl autosurgeon::Hydrate for $name {
            fn hydrate_string(s: &'_ str) -> Result<Self, autosurgeon::HydrateError> {
                Ok($name::from_stored(s))
            }
        }

        $crate::model::field_write::leaf_fields!($name);
        $crate::model::schema::choice_text!($name);
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parses_and_prints() {
        assert_eq!(
            Money::parse("12.5", "EUR").unwrap(),
            Money::new(1250, "EUR")
        );
        assert_eq!(
            Money::parse("3 usd", "EUR").unwrap(),
            Money::new(300, "USD")
        );
        assert_eq!(Money::parse("-0.07", "EUR").unwrap().minor, -7);
        assert!(Money::parse("1.234", "EUR").is_err());
        assert!(Money::parse("abc", "EUR").is_err());
        assert!(Money::parse("99999999999999999999", "EUR").is_err());
        assert_eq!(Money::new(-1205, "EUR").to_string(), "-12.05 EUR");
    }

    #[test]
    fn relative_dates_never_panic_on_any_text() {
        let today = Date::new(2026, 11, 28).unwrap();
        for text in ["3€", "明日", "+€", "d", "+", "-9999999999999d", "1w"] {
            let _ = Date::parse_relative(text, today);
        }
        assert_eq!(
            Date::parse_relative("+3d", today).unwrap(),
            Date::new(2026, 12, 1).unwrap()
        );
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            "2026-12-01".parse::<Date>().unwrap(),
            Date::new(2026, 12, 1).unwrap()
        );
        assert!("2026-13-01".parse::<Date>().is_err());
        assert!("tomorrow".parse::<Date>().is_err());
    }
}
