//! Record-kind descriptions: what a kind is called, which fields people
//! edit, how each field is typed in and shown. One description per kind
//! drives the generic CLI (`set --field value`), the app's record table and
//! details form, and the operations layer's field edits, so a rule about a
//! field (how a date is typed, which values a status takes) lives here once.
//!
//! Every value crosses this boundary as text: what a person types on the
//! command line or in a field editor. [`FieldText`] turns a field's value
//! into that text and parses it back with one clear error.

use super::record::{Record, ValidationError};
use super::values::{Date, Money, Stamp};

/// How a field is edited and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines (descriptions, notes).
    LongText,
    /// A whole number.
    Int,
    /// A calendar day; accepts `today`, `tomorrow`, `fri`, `+3d`, `2w`.
    Date,
    /// A day and a time of day, in this device's time zone:
    /// `2026-11-24 14:00`, `tomorrow 9:30`, `fri 14:00`.
    Time,
    /// One of a fixed set of values.
    Choice(&'static [&'static str]),
    /// A member, by name (a unique start of the name is enough).
    Person,
    /// Several members, comma-separated.
    People,
    /// A comma-separated list.
    List,
    /// The id of another record, typed by its name.
    Reference(&'static str),
    /// Yes or no.
    Flag,
    /// An amount such as `12.50` or `12.50 USD` (the workspace currency
    /// when none is typed).
    Money,
}

/// One editable field of a record kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Name in the document, in JSON and on the command line (`--due`).
    pub key: &'static str,
    /// Label before the control in the app.
    pub label: &'static str,
    pub kind: FieldKind,
    /// May not be left empty.
    pub required: bool,
    /// Shown as a column in the record table.
    pub column: bool,
    /// Left out of the generic details form: the area's screen shows it
    /// where it belongs (a task's blocked reason, next to its status).
    pub own_place: bool,
}

/// What parsing relative input needs to know.
#[derive(Debug, Clone)]
pub struct FieldContext {
    pub today: Date,
    /// The workspace currency, for amounts typed without one.
    pub currency: String,
}

/// A record kind with a description. Implemented with [`describe!`].
pub trait Described: Record + Default {
    /// "task", "item": for messages and the CLI.
    const LABEL: &'static str;
    /// "Tasks", "Inventory": the area's title.
    const TITLE: &'static str;
    /// The field holding the record's name (`title`, `name`).
    const NAME_FIELD: &'static str;
    /// Names are unique in the workspace, ignoring case and surrounding
    /// spaces (sites, projects, items): commands find records by name.
    const UNIQUE_NAME: bool;

    /// The fields people edit, in form order.
    fn fields() -> &'static [FieldSpec];
    /// The record's name in lists, pickers and messages.
    fn name(&self) -> &str;
    /// A field's current value as text ("" when empty).
    fn field_text(&self, key: &str) -> Option<String>;
    /// Sets a field from typed text, or says what to type instead.
    fn set_field_text(
        &mut self,
        key: &str,
        text: &str,
        cx: &FieldContext,
    ) -> Result<(), ValidationError>;

    /// Keeps derived fields right after fields changed (e.g. the blocked
    /// bookkeeping of a task); may return a record to create with it (the
    /// next occurrence of a recurring task).
    fn after_edit(&mut self, _before: &Self, _at: Stamp) -> Option<Self> {
        None
    }

    fn spec(key: &str) -> Result<&'static FieldSpec, ValidationError> {
        Self::fields().iter().find(|f| f.key == key).ok_or_else(|| {
            let known: Vec<&str> = Self::fields().iter().map(|f| f.key).collect();
            ValidationError::new(
                "field name",
                format!(
                    "a {} has no field {key:?}; use one of {}",
                    Self::LABEL,
                    known.join(", ")
                ),
            )
        })
    }
}

/// A field value's text form: how it is shown and how it is typed.
pub trait FieldText: Sized {
    fn to_text(&self) -> String;
    fn from_text(text: &str, spec: &FieldSpec, cx: &FieldContext) -> Result<Self, ValidationError>;
}

fn empty_means_none(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.eq_ignore_ascii_case("none")
}

impl FieldText for String {
    fn to_text(&self) -> String {
        self.clone()
    }
    fn from_text(text: &str, spec: &FieldSpec, _: &FieldContext) -> Result<Self, ValidationError> {
        let value = if spec.kind == FieldKind::LongText {
            text.trim_end().to_string()
        } else {
            text.trim().to_string()
        };
        if spec.required && value.is_empty() {
            return Err(ValidationError::new(spec.key, "must not be empty"));
        }
        Ok(value)
    }
}

impl FieldText for i64 {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str, spec: &FieldSpec, _: &FieldContext) -> Result<Self, ValidationError> {
        text.trim().parse().map_err(|_| {
            ValidationError::new(
                spec.key,
                format!(
                    "{:?} is not a whole number; type digits, e.g. 10",
                    text.trim()
                ),
            )
        })
    }
}

impl FieldText for Date {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str, spec: &FieldSpec, cx: &FieldContext) -> Result<Self, ValidationError> {
        Date::parse_relative(text, cx.today).map_err(|e| ValidationError::new(spec.key, e))
    }
}

impl FieldText for Stamp {
    fn to_text(&self) -> String {
        self.0
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
    fn from_text(text: &str, spec: &FieldSpec, cx: &FieldContext) -> Result<Self, ValidationError> {
        parse_local_time(text, cx.today).map_err(|e| ValidationError::new(spec.key, e))
    }
}

/// A day and time as typed (`2026-11-24 14:00`, `tomorrow 9:30`), in this
/// device's time zone.
pub fn parse_local_time(text: &str, today: Date) -> Result<Stamp, String> {
    use chrono::TimeZone;
    let wrong = || {
        format!(
            "{:?} is not a day and time; type e.g. \"2026-11-24 14:00\" or \"tomorrow 9:30\"",
            text.trim()
        )
    };
    let (day, time) = text.trim().rsplit_once(' ').ok_or_else(wrong)?;
    let day = Date::parse_relative(day, today).map_err(|_| wrong())?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| wrong())?;
    let local = chrono::Local
        .from_local_datetime(&day.0.and_time(time))
        .earliest()
        .ok_or_else(|| {
            format!(
                "{} does not exist here (the clocks change then)",
                text.trim()
            )
        })?;
    Ok(Stamp(local.with_timezone(&chrono::Utc)))
}

impl FieldText for bool {
    fn to_text(&self) -> String {
        if *self { "yes" } else { "no" }.to_string()
    }
    fn from_text(text: &str, spec: &FieldSpec, _: &FieldContext) -> Result<Self, ValidationError> {
        match text.trim().to_lowercase().as_str() {
            "yes" | "y" | "true" | "on" | "1" => Ok(true),
            "no" | "n" | "false" | "off" | "0" | "" => Ok(false),
            other => Err(ValidationError::new(
                spec.key,
                format!("{other:?} is not yes or no"),
            )),
        }
    }
}

impl FieldText for Money {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str, spec: &FieldSpec, cx: &FieldContext) -> Result<Self, ValidationError> {
        let currency = if cx.currency.is_empty() {
            "EUR"
        } else {
            &cx.currency
        };
        let money = Money::parse(text, currency).map_err(|e| ValidationError::new(spec.key, e))?;
        if money.minor < 0 {
            return Err(ValidationError::new(spec.key, "must be 0 or more"));
        }
        Ok(money)
    }
}

/// How names are compared for uniqueness: trimmed, any case.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl FieldText for Vec<String> {
    fn to_text(&self) -> String {
        self.join(", ")
    }
    fn from_text(text: &str, _: &FieldSpec, _: &FieldContext) -> Result<Self, ValidationError> {
        let mut out: Vec<String> = Vec::new();
        for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(part)) {
                out.push(part.to_string());
            }
        }
        Ok(out)
    }
}

impl<T: FieldText> FieldText for Option<T> {
    fn to_text(&self) -> String {
        self.as_ref().map(T::to_text).unwrap_or_default()
    }
    fn from_text(text: &str, spec: &FieldSpec, cx: &FieldContext) -> Result<Self, ValidationError> {
        if empty_means_none(text) {
            if spec.required {
                return Err(ValidationError::new(spec.key, "must not be empty"));
            }
            return Ok(None);
        }
        T::from_text(text, spec, cx).map(Some)
    }
}

/// Enums declared with `string_enum!` are typed as their lowercase names.
macro_rules! choice_text {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::model::schema::FieldText for $ty {
            fn to_text(&self) -> String {
                self.as_str().to_string()
            }
            fn from_text(
                text: &str,
                spec: &$crate::model::schema::FieldSpec,
                _: &$crate::model::schema::FieldContext,
            ) -> Result<Self, $crate::model::ValidationError> {
                text.parse().map_err(|e: String| $crate::model::ValidationError::new(spec.key, e))
            }
        }
    )*};
}
pub(crate) use choice_text;

/// Describes a record kind: its label and title, and its editable fields
/// with how each is typed. Generates [`Described`] for it.
macro_rules! describe {
    (
        $ty:ty, label: $label:literal, title: $title:literal, name: $name:ident,
        $( unique_name: $unique:literal, )?
        fields { $( $field:ident : $label_f:literal, $kind:expr $(, $flag:ident)* ; )* }
        $( after_edit($this:ident, $before:ident, $at:ident) $after:block )?
    ) => {
        impl $crate::model::schema::Described for $ty {
            const LABEL: &'static str = $label;
            const TITLE: &'static str = $title;
            const NAME_FIELD: &'static str = stringify!($name);
            const UNIQUE_NAME: bool = $crate::model::schema::describe!(@or_false $($unique)?);

            fn fields() -> &'static [$crate::model::schema::FieldSpec] {
                use $crate::model::schema::FieldKind::*;
                const FIELDS: &[$crate::model::schema::FieldSpec] = &[$(
                    $crate::model::schema::FieldSpec {
                        key: stringify!($field),
                        label: $label_f,
                        kind: $kind,
                        required: $crate::model::schema::describe!(@flag required $($flag)*),
                        column: $crate::model::schema::describe!(@flag column $($flag)*),
                        own_place: $crate::model::schema::describe!(@flag own_place $($flag)*),
                    },
                )*];
                FIELDS
            }

            // The field that names the record, whatever it is called (an
            // asset is named by its tag, though it has a `name` field too).
            #[allow(clippy::misnamed_getters)]
            fn name(&self) -> &str {
                &self.$name
            }

            fn field_text(&self, key: &str) -> Option<String> {
                use $crate::model::schema::FieldText;
                match key {
                    $( stringify!($field) => Some(self.$field.to_text()), )*
                    _ => None,
                }
            }

            fn set_field_text(
                &mut self,
                key: &str,
                text: &str,
                cx: &$crate::model::schema::FieldContext,
            ) -> Result<(), $crate::model::ValidationError> {
                use $crate::model::schema::FieldText;
                let spec = <Self as $crate::model::schema::Described>::spec(key)?;
                match key {
                    $( stringify!($field) => self.$field = FieldText::from_text(text, spec, cx)?, )*
                    _ => {}
                }
                Ok(())
            }

            $(
                fn after_edit(&mut self, before: &Self, at: $crate::model::Stamp) -> Option<Self> {
                    let ($this, $before, $at) = (self, before, at);
                    $after
                }
            )?
        }
    };
    (@or_false) => { false };
    (@or_false $value:literal) => { $value };
    (@flag $want:ident) => { false };
    (@flag required required $($rest:ident)*) => { true };
    (@flag column column $($rest:ident)*) => { true };
    (@flag own_place own_place $($rest:ident)*) => { true };
    (@flag $want:ident $other:ident $($rest:ident)*) => {
        $crate::model::schema::describe!(@flag $want $($rest)*)
    };
}
pub(crate) use describe;
