//! The budget part of the view model: budget lines and expenses, the
//! spend ledger (expenses plus approved invoices), each line's status, and
//! the monthly totals the charts draw, computed once per change of the
//! budget or purchasing document (or of the day), never per frame.

use std::collections::BTreeMap;
use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use super::purchasing::{Change, PurchasingView};
use crate::model::spend::{self, LineStatus, Spend};
use crate::model::{BudgetLine, Date, Expense, Period, Record};
use crate::store::{Result, Store, Unreadable};

/// Months the charts show.
pub const CHART_MONTHS: usize = 6;

/// Everything the Budget area shows.
#[derive(Debug, Clone, Default)]
pub struct BudgetView {
    pub lines: Arc<Vec<Arc<BudgetLine>>>,
    pub expenses: Arc<Vec<Arc<Expense>>>,
    pub threshold_bp: i64,
    /// Newest first.
    pub ledger: Arc<Vec<Spend>>,
    /// Live lines with their status, soonest period first.
    pub statuses: Arc<Vec<(Arc<BudgetLine>, LineStatus)>>,
    /// The months charted, oldest first.
    pub months: Vec<Period>,
    /// Category -> spend per month of `months` (minor units).
    pub by_category: Arc<BTreeMap<String, Vec<i64>>>,
    /// Site id ("" for none) -> spend per month.
    pub by_site: Arc<BTreeMap<String, Vec<i64>>>,
    /// The categories in use and the usual ones, sorted (the ledger's filter).
    pub categories: Arc<Vec<String>>,
    /// The day this was computed for.
    pub computed_for: Date,
}

impl BudgetView {
    /// Lines flagged over budget or forecast over.
    pub fn flagged(&self) -> impl Iterator<Item = &(Arc<BudgetLine>, LineStatus)> {
        self.statuses
            .iter()
            .filter(|(_, s)| s.flag != spend::Flag::Ok && s.period.contains(self.computed_for))
    }

    /// Spend this month and last month.
    pub fn this_and_last_month(&self) -> (i64, i64) {
        let month = Period::month_of(self.computed_for);
        (
            spend::total_in(&self.ledger, month),
            spend::total_in(&self.ledger, month.previous()),
        )
    }

    /// The categories in use and the usual ones, for pickers.
    fn find_categories(&self) -> Vec<String> {
        let mut out: Vec<String> = crate::model::budget::DEFAULT_CATEGORIES
            .iter()
            .map(|c| c.to_string())
            .collect();
        for c in self
            .lines
            .iter()
            .map(|l| &l.category)
            .chain(self.ledger.iter().map(|s| &s.category))
        {
            if !out.iter().any(|o| crate::model::schema::same_name(o, c)) {
                out.push(c.clone());
            }
        }
        out.sort_by_key(|c| c.to_lowercase());
        out
    }
}

fn read<R: Record>(doc: &Automerge, obj: &ObjId) -> Result<R> {
    crate::store::read_record_at(doc, obj)
}

/// Whether a purchasing change can change spend: vendors (categories) or
/// orders (sites) changed, or an invoice changed what the ledger reads of
/// it. Editing an invoice's due date does not rebuild the budget.
pub fn spend_changed(before: &PurchasingView, after: &PurchasingView, change: &Change) -> bool {
    match change {
        Change::Nothing => false,
        Change::Everything => true,
        Change::Records {
            orders, invoices, ..
        } => {
            !orders.is_empty()
                || invoices.iter().any(|id| {
                    before.invoice(id).and_then(spend::as_spend)
                        != after.invoice(id).and_then(spend::as_spend)
                })
        }
    }
}

/// The budget record caches and the document heads they reflect.
pub struct BudgetCaches {
    lines: RecordCache<BudgetLine>,
    expenses: RecordCache<Expense>,
    heads: Vec<automerge::ChangeHash>,
}

impl Default for BudgetCaches {
    fn default() -> Self {
        BudgetCaches {
            lines: RecordCache::new(BudgetLine::KIND, BudgetLine::AREA, read::<BudgetLine>)
                .on_one_thread(),
            expenses: RecordCache::new(Expense::KIND, Expense::AREA, read::<Expense>)
                .on_one_thread(),
            heads: Vec::new(),
        }
    }
}

impl BudgetCaches {
    /// Brings the caches up to date; says whether the document changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        let heads = store.read(BudgetLine::AREA, |doc| Ok(doc.get_heads()))?;
        if heads == self.heads {
            return Ok(false);
        }
        self.heads = heads;
        self.lines.refresh(store)?;
        self.expenses.refresh(store)?;
        Ok(true)
    }

    pub fn unreadable(&self) -> Vec<Vec<Unreadable>> {
        vec![self.lines.unreadable(), self.expenses.unreadable()]
    }

    /// The view from the records as of the last refresh and the purchasing
    /// view (approved invoices are spend).
    pub fn build(&self, store: &Store, today: Date, buying: &PurchasingView) -> Result<BudgetView> {
        let lines = self.lines.records();
        let expenses = self.expenses.records();
        let threshold_bp = store.budget_threshold()?;
        let ledger = spend::ledger(
            expenses.iter().map(|e| &**e),
            buying.invoices.iter().map(|i| &**i),
            buying.vendors.iter().map(|v| &**v),
            buying.orders.iter().map(|o| &**o),
        );
        let statuses = spend::statuses(&lines, &ledger, None, today, threshold_bp)
            .into_iter()
            .map(|(line, status)| (line.clone(), status))
            .collect();
        let months = spend::last_months(today, CHART_MONTHS);
        let mut view = BudgetView {
            by_category: Arc::new(spend::monthly_by(&ledger, &months, |s| s.category.clone())),
            by_site: Arc::new(spend::monthly_by(&ledger, &months, |s| {
                s.site.clone().unwrap_or_default()
            })),
            months,
            lines: Arc::new(lines),
            expenses: Arc::new(expenses),
            threshold_bp,
            ledger: Arc::new(ledger),
            statuses: Arc::new(statuses),
            computed_for: today,
            categories: Arc::default(),
        };
        view.categories = Arc::new(view.find_categories());
        Ok(view)
    }
}
