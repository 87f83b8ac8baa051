//! Budget's stored setting and reads: the forecast threshold (a scalar at
//! the budget document's root), every budget record at once, and the spend
//! ledger, which also reads purchasing (approved invoices are spend).

use automerge::ROOT;
use automerge::transaction::Transactable;

use super::purchasing::read_int;
use super::records::{Listing, read_all};
use super::{Result, Store};
use crate::model::spend::{self, DEFAULT_THRESHOLD_BP, Spend};
use crate::model::{Area, BudgetLine, Expense, ValidationError};

const THRESHOLD: &str = "forecast_threshold_bp";

/// Every budget record, read in one pass over the document.
#[derive(Debug, Default)]
pub struct BudgetRecords {
    pub lines: Listing<BudgetLine>,
    pub expenses: Listing<Expense>,
    /// How far (basis points) a forecast may pass a budget unflagged.
    pub threshold_bp: i64,
}

fn read_threshold<D: automerge::ReadDoc>(doc: &D) -> i64 {
    read_int(doc, THRESHOLD)
        .filter(|v| (0..=100_000).contains(v))
        .unwrap_or(DEFAULT_THRESHOLD_BP)
}

impl Store {
    /// Every budget record (trash included when asked) and the threshold.
    pub fn budget(&self, include_deleted: bool) -> Result<BudgetRecords> {
        self.read(Area::Budget, |doc| {
            Ok(BudgetRecords {
                lines: read_all(doc, include_deleted),
                expenses: read_all(doc, include_deleted),
                threshold_bp: read_threshold(doc),
            })
        })
    }

    /// The forecast threshold (basis points).
    pub fn budget_threshold(&self) -> Result<i64> {
        self.read(Area::Budget, |doc| Ok(read_threshold(doc)))
    }

    /// Sets the forecast threshold (written only if it changed).
    pub fn set_budget_threshold(&self, threshold_bp: i64) -> Result<()> {
        if !(0..=100_000).contains(&threshold_bp) {
            return Err(ValidationError::new("threshold", "must be between 0% and 1000%").into());
        }
        self.change(Area::Budget, "set forecast threshold", |tx, _| {
            if read_threshold(&*tx) != threshold_bp {
                tx.put(ROOT, THRESHOLD, threshold_bp)?;
            }
            Ok(())
        })
    }

    /// The spend ledger: live expenses and approved or paid invoices.
    pub fn spend_ledger(&self) -> Result<Vec<Spend>> {
        let budget = self.budget(false)?;
        let buying = self.purchasing(false)?;
        Ok(spend::ledger(
            &budget.expenses.records,
            &buying.invoices.records,
            &buying.vendors.records,
            &buying.orders.records,
        ))
    }
}
