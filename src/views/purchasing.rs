//! The purchasing part of the view model: vendors, contracts, orders,
//! receipts and invoices, and what the screens show about them computed
//! once per change of the purchasing document (not per frame): each
//! order's progress, each invoice's three-way match, receipts that look
//! recorded twice, the renewal calendar and the reorder plan.

use std::collections::BTreeMap;
use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use crate::model::matching::{Book, InvoiceMatch, LineProgress, MatchState, Tolerance};
use crate::model::reorder::{self, ReorderPlan, Shortfall};
use crate::model::{
    Contract, Date, Invoice, InvoiceStatus, PoStatus, PurchaseOrder, Receipt, Record, Vendor,
};
use crate::store::{LowStock, Renewal, Result, Store, Unreadable};

/// How far ahead the renewal calendar looks.
pub const RENEWAL_HORIZON_DAYS: i64 = 365;

/// Everything the Vendors and Purchasing areas show.
#[derive(Debug, Clone, Default)]
pub struct PurchasingView {
    pub vendors: Vec<Arc<Vendor>>,
    pub contracts: Vec<Arc<Contract>>,
    pub orders: Vec<Arc<PurchaseOrder>>,
    pub receipts: Vec<Arc<Receipt>>,
    pub invoices: Vec<Arc<Invoice>>,
    pub tolerance: Tolerance,
    /// Order id -> "partially received" etc.
    pub order_status: BTreeMap<String, &'static str>,
    /// Order id -> its lines with what arrived.
    pub progress: BTreeMap<String, Vec<LineProgress>>,
    /// Invoice id -> its three-way match.
    pub matches: BTreeMap<String, InvoiceMatch>,
    /// Receipt id -> the earlier receipt it may repeat.
    pub duplicates: BTreeMap<String, String>,
    /// Notice deadlines within a year, soonest first.
    pub renewals: Vec<Renewal>,
    pub reorder: ReorderPlan,
    /// The day the calendar was computed for (rebuilt when the day changes).
    pub renewals_for: Date,
}

impl PurchasingView {
    pub fn vendor_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.vendors
            .iter()
            .find(|v| v.id == id)
            .map_or(id, |v| v.name.as_str())
    }

    pub fn order(&self, id: &str) -> Option<&PurchaseOrder> {
        self.orders.iter().map(|o| &**o).find(|o| o.id == id)
    }

    pub fn invoice(&self, id: &str) -> Option<&Invoice> {
        self.invoices.iter().map(|i| &**i).find(|i| i.id == id)
    }

    /// How an invoice reads in lists: the decision once made, else the match.
    pub fn invoice_status(&self, invoice: &Invoice) -> &str {
        match invoice.status {
            InvoiceStatus::Received => self
                .matches
                .get(&invoice.id)
                .map_or("received", |m| m.state.as_str()),
            other => other.as_str(),
        }
    }

    /// Invoices waiting for someone: not approved and not matching.
    pub fn to_reconcile(&self) -> impl Iterator<Item = &Invoice> {
        self.invoices.iter().map(|i| &**i).filter(|i| {
            matches!(i.status, InvoiceStatus::Received | InvoiceStatus::Disputed)
                && self
                    .matches
                    .get(&i.id)
                    .is_some_and(|m| m.state != MatchState::Matched)
        })
    }

    /// Unpaid invoices due from `today` to a week later (or overdue).
    pub fn due_within_week(&self, today: Date) -> impl Iterator<Item = &Invoice> {
        let end = today.add_days(7);
        self.invoices
            .iter()
            .map(|i| &**i)
            .filter(move |i| i.is_open() && i.due.is_some_and(|d| d <= end))
    }

    /// Sent orders not fully received more than `days` after sending.
    pub fn awaiting_delivery(
        &self,
        today: Date,
        days: i64,
    ) -> impl Iterator<Item = &PurchaseOrder> {
        self.orders
            .iter()
            .map(|o| &**o)
            .filter(move |o| self.is_late(o, today, days))
    }

    /// Sent more than `days` before `today` and not all received.
    pub fn is_late(&self, order: &PurchaseOrder, today: Date, days: i64) -> bool {
        order.status == PoStatus::Sent
            && order.sent_on.is_some_and(|s| s.days_until(today) > days)
            && self.order_status.get(&order.id).copied() != Some("received")
    }
}

fn read<T: Record>(doc: &Automerge, obj: &ObjId) -> Result<T> {
    crate::store::read_record_at(doc, obj)
}

/// The record caches behind [`PurchasingView`].
pub struct PurchasingCaches {
    vendors: RecordCache<Vendor>,
    contracts: RecordCache<Contract>,
    orders: RecordCache<PurchaseOrder>,
    receipts: RecordCache<Receipt>,
    invoices: RecordCache<Invoice>,
    /// The document's heads at the last refresh (settings such as the
    /// tolerance change the document without changing a record).
    heads: Vec<automerge::ChangeHash>,
}

impl Default for PurchasingCaches {
    fn default() -> Self {
        PurchasingCaches {
            vendors: RecordCache::new(Vendor::KIND, Vendor::AREA, read::<Vendor>),
            contracts: RecordCache::new(Contract::KIND, Contract::AREA, read::<Contract>),
            orders: RecordCache::new(
                PurchaseOrder::KIND,
                PurchaseOrder::AREA,
                read::<PurchaseOrder>,
            ),
            receipts: RecordCache::new(Receipt::KIND, Receipt::AREA, read::<Receipt>),
            invoices: RecordCache::new(Invoice::KIND, Invoice::AREA, read::<Invoice>),
            heads: Vec::new(),
        }
    }
}

impl PurchasingCaches {
    /// Brings the caches up to date; returns whether the document changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        let heads = store.read(Vendor::AREA, |doc| Ok(doc.get_heads()))?;
        if heads == self.heads {
            return Ok(false);
        }
        self.heads = heads;
        self.vendors.refresh(store)?;
        self.contracts.refresh(store)?;
        self.orders.refresh(store)?;
        self.receipts.refresh(store)?;
        self.invoices.refresh(store)?;
        Ok(true)
    }

    pub fn unreadable(&self) -> Vec<Vec<Unreadable>> {
        vec![
            self.vendors.unreadable(),
            self.contracts.unreadable(),
            self.orders.unreadable(),
            self.receipts.unreadable(),
            self.invoices.unreadable(),
        ]
    }

    /// Builds the view (records as of the last refresh). `low`: what is
    /// low at each site, for the reorder plan.
    pub fn build(&self, store: &Store, today: Date, low: &[LowStock]) -> Result<PurchasingView> {
        let mut view = PurchasingView {
            vendors: self.vendors.records(),
            contracts: self.contracts.records(),
            orders: self.orders.records(),
            receipts: self.receipts.records(),
            invoices: self.invoices.records(),
            tolerance: store.tolerance()?,
            ..Default::default()
        };
        view.vendors.sort_by_key(|v| v.name.to_lowercase());
        let book = Book::new(
            view.vendors.iter().map(|v| &**v),
            view.orders.iter().map(|o| &**o),
            view.receipts.iter().map(|r| &**r),
            view.invoices.iter().map(|i| &**i),
            view.tolerance,
        );
        for po in &view.orders {
            view.order_status
                .insert(po.id.clone(), book.status_text(po));
            view.progress.insert(po.id.clone(), book.progress(po));
        }
        for invoice in &view.invoices {
            view.matches
                .insert(invoice.id.clone(), book.match_invoice(invoice));
        }
        for (receipt, first) in book.possible_duplicates() {
            view.duplicates.insert(receipt.id.clone(), first.id.clone());
        }
        view.renewals = crate::store::renewal_calendar(
            view.contracts.iter().map(|c| &**c),
            today,
            RENEWAL_HORIZON_DAYS,
        );
        let vendor_ids: Vec<&str> = view.vendors.iter().map(|v| v.id.as_str()).collect();
        let orders: Vec<&PurchaseOrder> = view.orders.iter().map(|o| &**o).collect();
        let shortfalls = low.iter().map(|l| Shortfall {
            item: &l.item,
            site: &l.site_id,
            on_hand: l.on_hand,
            threshold: l.threshold,
        });
        view.reorder = reorder::plan(
            shortfalls,
            &vendor_ids,
            &orders,
            &book,
            reorder::DEFAULT_BUFFER_PERCENT,
        );
        Ok(view)
    }
}
