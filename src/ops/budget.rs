//! Budget actions that are not field edits: the forecast threshold.
//! Budget lines and expenses are created and edited as records
//! (`Op::Create` / `Op::Edit` with kinds `budget_lines` and `expenses`).

use super::Outcome;
use super::journal::Action;
use crate::model::matching::percent_text;
use crate::store::{Result, Store};

pub(super) fn set_threshold(store: &Store, percent_bp: i64) -> Result<(Outcome, Action)> {
    store.set_budget_threshold(percent_bp)?;
    Ok((
        Outcome {
            created: None,
            message: Some(format!(
                "Forecasts more than {}% over budget are now flagged",
                percent_text(percent_bp)
            )),
        },
        Action {
            label: "Set the forecast threshold".into(),
            steps: Vec::new(),
        },
    ))
}
