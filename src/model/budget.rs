//! Budget lines and the expenses booked against them.

use super::record::{ValidationError, record, require_text};
use super::values::{Date, Money};

record! {
    /// Planned spend for a category over a period (e.g. "2026-Q4", "2026").
    pub struct BudgetLine ("budget_lines" in Budget) {
        pub category: String,
        pub period: String,
        pub planned: Money,
        pub notes: String,
    }
    validate(b) {
        require_text("category", &b.category)?;
        require_text("period", &b.period)?;
        if b.planned.minor < 0 || !b.planned.is_valid() {
            return Err(ValidationError::new("planned amount", "must be 0 or more with a currency code"));
        }
        Ok(())
    }
}

record! {
    /// Money spent against a budget line, optionally from a PO or invoice.
    pub struct Expense ("expenses" in Budget) {
        pub budget_line: String,
        pub amount: Money,
        pub date: Date,
        pub description: String,
        pub purchase_order: Option<String>,
        pub invoice: Option<String>,
    }
    validate(e) {
        require_text("budget line", &e.budget_line)?;
        if !e.amount.is_valid() {
            return Err(ValidationError::new("amount", "needs a 3-letter currency code"));
        }
        Ok(())
    }
}
