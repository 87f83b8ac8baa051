//! Rules an admin sets ("when a task is overdue 3 days, escalate to Ana
//! Ruiz") and the log of what they did.
//!
//! Every peer evaluates the rules, offline too. A firing is identified by
//! its rule, the record it is about and the period (the due date an overdue
//! task missed, the week stock was low), and everything it writes is keyed
//! by that identity ([`firing_id`]): three peers that fire the same rule
//! while apart write the same keys, which merge into one firing and one
//! created task.

use super::record::{ValidationError, record, require_text};
use super::values::Stamp;

/// What makes a rule fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Trigger {
    /// An open task whose due date is `days` or more behind.
    TaskOverdue { days: i64 },
    /// A task blocked for `days` or more.
    TaskBlocked { days: i64 },
    /// Stock at or below its reorder level at a site.
    StockLow,
    /// A contract's notice deadline within `days`.
    ContractNotice { days: i64 },
    /// An invoice that does not match its order and receipts.
    InvoiceDiscrepancy,
}

/// What a rule does when it fires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// Tells the person named (their inbox, a notification).
    Escalate(String),
    /// Creates a follow-up task owned by the person named.
    CreateTask(String),
    /// Tells everyone.
    Notify,
    /// Drafts a purchase order for what is low (stock rules).
    DraftOrder,
}

const WHEN_FORMS: &str = "\"task overdue 3d\", \"task blocked 5d\", \"stock low\", \"contract notice 30d\" or \"invoice discrepancy\"";
const THEN_FORMS: &str = "\"escalate NAME\", \"create task for NAME\", \"notify\" or \"draft po\"";

/// "3d", "3 days", "2w", "3": a number of days.
fn parse_days(words: &[&str]) -> Option<i64> {
    let text: String = words
        .iter()
        .copied()
        .filter(|w| *w != "by")
        .collect::<Vec<_>>()
        .join("");
    let text = text.trim_end_matches("days").trim_end_matches("day");
    let (number, unit) = match text
        .strip_suffix('w')
        .or_else(|| text.strip_suffix("weeks"))
    {
        Some(n) => (n, 7),
        None => (text.strip_suffix('d').unwrap_or(text), 1),
    };
    let n: i64 = number.trim().parse().ok()?;
    (0..=3650).contains(&n).then_some(n * unit)
}

impl Trigger {
    pub fn parse(text: &str) -> Result<Trigger, ValidationError> {
        let lower = text.trim().to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let wrong =
            || ValidationError::new("when", format!("{:?}: type {WHEN_FORMS}", text.trim()));
        let days = |rest: &[&str]| parse_days(rest).ok_or_else(wrong);
        match words.as_slice() {
            ["task" | "tasks", "overdue", rest @ ..] if !rest.is_empty() => {
                Ok(Trigger::TaskOverdue { days: days(rest)? })
            }
            ["task" | "tasks", "overdue"] => Ok(Trigger::TaskOverdue { days: 0 }),
            ["task" | "tasks", "blocked", rest @ ..] if !rest.is_empty() => {
                Ok(Trigger::TaskBlocked { days: days(rest)? })
            }
            ["stock", "low"] | ["stock", "at", "reorder", ..] | ["low", "stock"] => {
                Ok(Trigger::StockLow)
            }
            ["contract" | "contracts", "notice", rest @ ..] if !rest.is_empty() => {
                Ok(Trigger::ContractNotice {
                    days: days(rest.strip_prefix(&["within"]).unwrap_or(rest))?,
                })
            }
            ["invoice" | "invoices", "discrepancy"] => Ok(Trigger::InvoiceDiscrepancy),
            _ => Err(wrong()),
        }
    }

    /// The canonical text (what `parse` reads back).
    pub fn text(&self) -> String {
        match self {
            Trigger::TaskOverdue { days } => format!("task overdue {days}d"),
            Trigger::TaskBlocked { days } => format!("task blocked {days}d"),
            Trigger::StockLow => "stock low".into(),
            Trigger::ContractNotice { days } => format!("contract notice {days}d"),
            Trigger::InvoiceDiscrepancy => "invoice discrepancy".into(),
        }
    }

    /// In words, for lists: "a task is overdue by 3 days".
    pub fn words(&self) -> String {
        let days = |n: i64| {
            if n == 1 {
                "1 day".to_string()
            } else {
                format!("{n} days")
            }
        };
        match self {
            Trigger::TaskOverdue { days: 0 } => "a task is overdue".into(),
            Trigger::TaskOverdue { days: n } => format!("a task is overdue by {}", days(*n)),
            Trigger::TaskBlocked { days: n } => format!("a task is blocked for {}", days(*n)),
            Trigger::StockLow => "stock is at or below its reorder level".into(),
            Trigger::ContractNotice { days: n } => {
                format!("a contract's notice deadline is within {}", days(*n))
            }
            Trigger::InvoiceDiscrepancy => "an invoice has a discrepancy".into(),
        }
    }
}

impl Effect {
    /// Reads "escalate Ana Ruiz"; the name is checked by the operation
    /// (it must be a member's).
    pub fn parse(text: &str) -> Result<Effect, ValidationError> {
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        let wrong = || ValidationError::new("then", format!("{trimmed:?}: type {THEN_FORMS}"));
        let rest_after = |prefixes: &[&str]| {
            prefixes.iter().find_map(|p| {
                lower
                    .starts_with(p)
                    .then(|| trimmed[p.len()..].trim().to_string())
                    .filter(|name| !name.is_empty())
            })
        };
        if let Some(name) = rest_after(&["escalate to ", "escalate "]) {
            return Ok(Effect::Escalate(name));
        }
        if let Some(name) = rest_after(&["create task for ", "create a task for ", "task for "]) {
            return Ok(Effect::CreateTask(name));
        }
        match lower.as_str() {
            "notify" | "notify everyone" => Ok(Effect::Notify),
            "draft po"
            | "draft a po"
            | "draft order"
            | "draft purchase order"
            | "draft a purchase order" => Ok(Effect::DraftOrder),
            _ => Err(wrong()),
        }
    }

    pub fn text(&self) -> String {
        match self {
            Effect::Escalate(name) => format!("escalate {name}"),
            Effect::CreateTask(name) => format!("create task for {name}"),
            Effect::Notify => "notify".into(),
            Effect::DraftOrder => "draft po".into(),
        }
    }

    /// The person the effect names, if any.
    pub fn person(&self) -> Option<&str> {
        match self {
            Effect::Escalate(name) | Effect::CreateTask(name) => Some(name),
            Effect::Notify | Effect::DraftOrder => None,
        }
    }
}

/// A rule's name in lists: "When a task is overdue by 3 days: escalate Ana Ruiz".
pub fn rule_name(trigger: &Trigger, effect: &Effect) -> String {
    format!("When {}: {}", trigger.words(), effect.text())
}

record! {
    /// A "when … then …" rule.
    pub struct Rule ("rules" in Root) {
        /// "When a task is overdue by 3 days: escalate Ana Ruiz".
        pub name: String,
        /// The trigger's canonical text ("task overdue 3d").
        pub when: String,
        /// The effect's canonical text ("escalate Ana Ruiz").
        pub then: String,
        /// A paused rule does not fire.
        pub paused: bool,
    }
    validate(r) {
        require_text("when", &r.when)?;
        let trigger = Trigger::parse(&r.when)?;
        let effect = Effect::parse(&r.then)?;
        if effect == Effect::DraftOrder && trigger != Trigger::StockLow {
            return Err(ValidationError::new(
                "then",
                "a purchase order is drafted for low stock only (when \"stock low\")",
            ));
        }
        Ok(())
    }
}

super::schema::describe! {
    Rule, label: "rule", title: "Rules", name: name,
    fields {
        when: "When", Text, required, column;
        then: "Then", Text, required, column;
        paused: "Paused", Flag, column;
    }
    after_edit(this, _before, _at) {
        if let (Ok(trigger), Ok(effect)) = (Trigger::parse(&this.when), Effect::parse(&this.then)) {
            this.when = trigger.text();
            this.then = effect.text();
            this.name = rule_name(&trigger, &effect);
        }
        None
    }
}

record! {
    /// What a rule did once, keyed by [`firing_id`].
    pub struct RuleFiring ("rule_firings" in Root) {
        pub rule: String,
        /// The rule's name when it fired.
        pub rule_name: String,
        /// The kind (`"tasks"`) and id of the record it fired for.
        pub kind: String,
        pub record: String,
        pub record_name: String,
        /// The period it fired for ("2026-11-20", "2026-W48").
        pub period: String,
        /// Why, in words: "“Book the van” is 3 days overdue".
        pub what: String,
        /// What it did, in words: "escalated to Ana Ruiz".
        pub did: String,
        /// The member escalated to, or owning the created task.
        pub person: Option<String>,
        /// Everyone is told.
        pub notify_all: bool,
        /// The record it created (a task, a purchase order).
        pub created: Option<String>,
        /// The device that fired it (public key, hex).
        pub device: String,
        pub fired_at: Stamp,
    }
    validate(f) {
        require_text("rule", &f.rule)
    }
}

/// The deterministic identity of a firing: the same on every peer for the
/// same rule, record and period.
pub fn firing_id(rule: &str, record: &str, period: &str) -> String {
    derived_id(&format!("firing\u{1f}{rule}\u{1f}{record}\u{1f}{period}"))
}

/// The id of a record a firing creates (its task, its order).
pub fn created_id(firing: &str, what: &str) -> String {
    derived_id(&format!("created\u{1f}{firing}\u{1f}{what}"))
}

fn derived_id(name: &str) -> String {
    /// Bureau's namespace for ids derived from names (UUID v5).
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6a1f_0c2e_5b7d_4e93_9a41_b0c8_d2e5_f317);
    uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_read_as_typed_and_back() {
        for (typed, want) in [
            ("task overdue 3d", Trigger::TaskOverdue { days: 3 }),
            ("Task overdue by 3 days", Trigger::TaskOverdue { days: 3 }),
            ("task blocked 1w", Trigger::TaskBlocked { days: 7 }),
            ("stock at reorder level", Trigger::StockLow),
            (
                "contract notice within 30d",
                Trigger::ContractNotice { days: 30 },
            ),
            ("invoice discrepancy", Trigger::InvoiceDiscrepancy),
        ] {
            let got = Trigger::parse(typed).expect(typed);
            assert_eq!(got, want, "{typed}");
            assert_eq!(Trigger::parse(&got.text()).expect("canonical"), got);
        }
        let err = Trigger::parse("task late").expect_err("unknown");
        assert!(err.to_string().contains("task overdue 3d"), "{err}");
    }

    #[test]
    fn effects_keep_the_name_as_typed() {
        assert_eq!(
            Effect::parse("escalate Ana Ruiz").expect("escalate"),
            Effect::Escalate("Ana Ruiz".into())
        );
        assert_eq!(
            Effect::parse("Create task for Ben").expect("task"),
            Effect::CreateTask("Ben".into())
        );
        assert_eq!(Effect::parse("draft PO").expect("po"), Effect::DraftOrder);
        assert!(Effect::parse("escalate").is_err());
    }

    #[test]
    fn firing_ids_depend_on_rule_record_and_period_only() {
        let a = firing_id("r1", "t1", "2026-11-20");
        assert_eq!(a, firing_id("r1", "t1", "2026-11-20"));
        assert_ne!(a, firing_id("r1", "t1", "2026-11-21"));
        assert_ne!(a, firing_id("r2", "t1", "2026-11-20"));
        assert_ne!(created_id(&a, "task"), a);
    }
}
