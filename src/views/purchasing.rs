//! The purchasing part of the view model: vendors, contracts, orders,
//! receipts and invoices, and what the screens show about them computed
//! once per change of the purchasing document (not per frame): each
//! order's progress, each invoice's three-way match, receipts that look
//! recorded twice, the renewal calendar and the reorder plan.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use crate::model::matching::{Book, InvoiceMatch, LineProgress, MatchState, Tolerance};
use crate::model::reorder::{self, ReorderPlan, Shortfall};
use crate::model::schema::same_name;
use crate::model::{
    Contract, Date, Invoice, InvoiceStatus, PoStatus, PurchaseOrder, Receipt, Record, Vendor,
};
use crate::store::{LowStock, Renewal, Result, Store, Unreadable};

/// How far ahead the renewal calendar looks.
pub const RENEWAL_HORIZON_DAYS: i64 = 365;

/// Everything the Vendors and Purchasing areas show.
#[derive(Debug, Clone, Default)]
pub struct PurchasingView {
    pub vendors: Arc<Vec<Arc<Vendor>>>,
    pub contracts: Arc<Vec<Arc<Contract>>>,
    pub orders: Arc<Vec<Arc<PurchaseOrder>>>,
    pub receipts: Arc<Vec<Arc<Receipt>>>,
    pub invoices: Arc<Vec<Arc<Invoice>>>,
    pub tolerance: Tolerance,
    /// Order id -> "partially received" etc.
    pub order_status: BTreeMap<String, &'static str>,
    /// Order id -> its lines with what arrived.
    pub progress: BTreeMap<String, Arc<Vec<LineProgress>>>,
    /// Invoice id -> its three-way match.
    pub matches: BTreeMap<String, Arc<InvoiceMatch>>,
    /// Receipt id -> the earlier receipt it may repeat.
    pub duplicates: BTreeMap<String, String>,
    /// Notice deadlines within a year, soonest first.
    pub renewals: Vec<Renewal>,
    pub reorder: ReorderPlan,
    /// Invoices not approved and not matching (see [`Self::to_reconcile`]).
    pub reconcile: Vec<Arc<Invoice>>,
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

    /// Invoices waiting for someone: not approved and not matching (kept
    /// with the view, not found again every frame).
    pub fn to_reconcile(&self) -> impl Iterator<Item = &Invoice> {
        self.reconcile.iter().map(|i| &**i)
    }

    fn find_to_reconcile(&self) -> Vec<Arc<Invoice>> {
        self.invoices
            .iter()
            .filter(|i| {
                matches!(i.status, InvoiceStatus::Received | InvoiceStatus::Disputed)
                    && self
                        .matches
                        .get(&i.id)
                        .is_some_and(|m| m.state != MatchState::Matched)
            })
            .cloned()
            .collect()
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
            // Read just after the first frame: one core stays with the UI.
            orders: RecordCache::new(
                PurchaseOrder::KIND,
                PurchaseOrder::AREA,
                read::<PurchaseOrder>,
            )
            .on_one_thread(),
            receipts: RecordCache::new(Receipt::KIND, Receipt::AREA, read::<Receipt>)
                .on_one_thread(),
            invoices: RecordCache::new(Invoice::KIND, Invoice::AREA, read::<Invoice>)
                .on_one_thread(),
            heads: Vec::new(),
        }
    }
}

impl PurchasingCaches {
    /// Brings the caches up to date; says what changed.
    pub fn refresh(&mut self, store: &Store) -> Result<Change> {
        let heads = store.read(Vendor::AREA, |doc| Ok(doc.get_heads()))?;
        if heads == self.heads {
            return Ok(Change::Nothing);
        }
        let first = self.heads.is_empty();
        self.heads = heads;
        self.vendors.refresh(store)?;
        self.contracts.refresh(store)?;
        self.orders.refresh(store)?;
        self.receipts.refresh(store)?;
        self.invoices.refresh(store)?;
        let changed = |cache: Option<&BTreeSet<String>>| cache.cloned();
        let (Some(vendors), Some(contracts), Some(orders), Some(receipts), Some(invoices)) = (
            changed(self.vendors.last_changed.as_ref()),
            changed(self.contracts.last_changed.as_ref()),
            changed(self.orders.last_changed.as_ref()),
            changed(self.receipts.last_changed.as_ref()),
            changed(self.invoices.last_changed.as_ref()),
        ) else {
            return Ok(Change::Everything);
        };
        // Vendors' names are in reasons; a change of no record is a setting
        // (the tolerance): both redo everything, which is rare.
        let none = orders.is_empty() && receipts.is_empty() && invoices.is_empty();
        if first || !vendors.is_empty() || (none && contracts.is_empty()) {
            return Ok(Change::Everything);
        }
        Ok(Change::Records {
            contracts: !contracts.is_empty(),
            orders,
            receipts,
            invoices,
        })
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

    /// Builds the view from the records as of the last refresh, doing
    /// again only what `change` can have changed since `before`. `low`:
    /// what is low at each site, for the reorder plan.
    pub fn build(
        &self,
        store: &Store,
        today: Date,
        low: &[LowStock],
        before: &PurchasingView,
        change: &Change,
    ) -> Result<PurchasingView> {
        let mut view = match change {
            Change::Nothing => PurchasingView {
                reorder: ReorderPlan::default(),
                renewals: Vec::new(),
                ..before.clone()
            },
            _ => PurchasingView {
                vendors: fresh(&self.vendors, &before.vendors, change, |v| {
                    v.sort_by_key(|v| v.name.to_lowercase())
                }),
                contracts: fresh(&self.contracts, &before.contracts, change, |_| {}),
                orders: fresh(&self.orders, &before.orders, change, |_| {}),
                receipts: fresh(&self.receipts, &before.receipts, change, |_| {}),
                invoices: fresh(&self.invoices, &before.invoices, change, |_| {}),
                tolerance: store.tolerance()?,
                ..Default::default()
            },
        };
        // A new tolerance changes every match, whatever else came with it.
        let retolerated = view.tolerance != before.tolerance;
        match change {
            Change::Nothing => {}
            Change::Records { .. } if retolerated => computed_all(&mut view),
            Change::Everything => computed_all(&mut view),
            Change::Records {
                orders,
                receipts,
                invoices,
                ..
            } => computed_again(&mut view, before, orders, receipts, invoices),
        }
        view.renewals = match change {
            Change::Records {
                contracts: false, ..
            }
            | Change::Nothing
                if before.renewals_for == today =>
            {
                before.renewals.clone()
            }
            _ => crate::store::renewal_calendar(
                view.contracts.iter().map(|c| &**c),
                today,
                RENEWAL_HORIZON_DAYS,
            ),
        };
        let vendor_ids: Vec<&str> = view.vendors.iter().map(|v| v.id.as_str()).collect();
        let orders: Vec<&PurchaseOrder> = view.orders.iter().map(|o| &**o).collect();
        let shortfalls = low.iter().map(|l| Shortfall {
            item: &l.item,
            site: &l.site_id,
            on_hand: l.on_hand,
            threshold: l.threshold,
        });
        let progress = |po: &PurchaseOrder| view.progress.get(&po.id).cloned().unwrap_or_default();
        view.reorder = reorder::plan(
            shortfalls,
            &vendor_ids,
            &orders,
            &progress,
            reorder::DEFAULT_BUFFER_PERCENT,
        );
        if !matches!(change, Change::Nothing) {
            view.reconcile = view.find_to_reconcile();
        }
        Ok(view)
    }
}

/// A kind's records: the cache's when they changed, else the ones shown.
fn fresh<T: Send>(
    cache: &RecordCache<T>,
    before: &Arc<Vec<Arc<T>>>,
    change: &Change,
    arrange: impl FnOnce(&mut Vec<Arc<T>>),
) -> Arc<Vec<Arc<T>>> {
    let unchanged = matches!(change, Change::Records { .. })
        && cache.last_changed.as_ref().is_some_and(BTreeSet::is_empty);
    if unchanged {
        return before.clone();
    }
    let mut records = cache.records();
    arrange(&mut records);
    Arc::new(records)
}

/// What a refresh of the purchasing document found.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Nothing,
    /// Some records changed (ids per kind).
    Records {
        contracts: bool,
        orders: BTreeSet<String>,
        receipts: BTreeSet<String>,
        invoices: BTreeSet<String>,
    },
    /// Read everything again (first load, a large sync, vendors renamed,
    /// the tolerance changed).
    Everything,
}

fn book(view: &PurchasingView) -> Book<'_> {
    Book::new(
        view.vendors.iter().map(|v| &**v),
        view.orders.iter().map(|o| &**o),
        view.receipts.iter().map(|r| &**r),
        view.invoices.iter().map(|i| &**i),
        view.tolerance,
    )
}

/// Every order's progress, every invoice's match, every duplicate.
fn computed_all(view: &mut PurchasingView) {
    let (mut status, mut progress, mut matches, mut duplicates) = Default::default();
    {
        let book = book(view);
        for po in view.orders.iter() {
            set_order(&book, po, &mut status, &mut progress);
        }
        for invoice in view.invoices.iter() {
            let m = book.match_invoice(invoice);
            matches_insert(&mut matches, invoice, m);
        }
        for (receipt, first) in book.possible_duplicates() {
            duplicates_insert(&mut duplicates, receipt, first);
        }
    }
    view.order_status = status;
    view.progress = progress;
    view.matches = matches;
    view.duplicates = duplicates;
}

fn set_order(
    book: &Book<'_>,
    po: &PurchaseOrder,
    status: &mut BTreeMap<String, &'static str>,
    progress: &mut BTreeMap<String, Arc<Vec<LineProgress>>>,
) {
    status.insert(po.id.clone(), book.status_text(po));
    progress.insert(po.id.clone(), Arc::new(book.progress(po)));
}

fn matches_insert(
    matches: &mut BTreeMap<String, Arc<InvoiceMatch>>,
    invoice: &Invoice,
    m: InvoiceMatch,
) {
    matches.insert(invoice.id.clone(), Arc::new(m));
}

fn duplicates_insert(
    duplicates: &mut BTreeMap<String, String>,
    receipt: &Receipt,
    first: &Receipt,
) {
    duplicates.insert(receipt.id.clone(), first.id.clone());
}

/// Only what the changed records touch: the orders changed or received
/// against or billed (before and after the change), those orders'
/// invoices and receipts, and invoices sharing a number with a changed one.
fn computed_again(
    view: &mut PurchasingView,
    before: &PurchasingView,
    orders: &BTreeSet<String>,
    receipts: &BTreeSet<String>,
    invoices: &BTreeSet<String>,
) {
    let mut touched: BTreeSet<String> = orders.clone();
    let receipt_order = |list: &[Arc<Receipt>], id: &str| {
        list.iter()
            .find(|r| r.id == id)
            .map(|r| r.purchase_order.clone())
    };
    for id in receipts {
        touched.extend(receipt_order(&view.receipts, id));
        touched.extend(receipt_order(&before.receipts, id));
    }
    let mut numbers: BTreeSet<(String, String)> = BTreeSet::new();
    for id in invoices {
        for inv in [view.invoice(id), before.invoice(id)].into_iter().flatten() {
            touched.extend(inv.purchase_order.clone());
            numbers.insert((inv.vendor.clone(), inv.number.trim().to_lowercase()));
        }
    }
    let (mut status, mut progress, mut matches, mut duplicates) = (
        before.order_status.clone(),
        before.progress.clone(),
        before.matches.clone(),
        before.duplicates.clone(),
    );
    {
        let book = book(view);
        for id in &touched {
            status.remove(id);
            progress.remove(id);
            if let Some(po) = book.order(id) {
                set_order(&book, po, &mut status, &mut progress);
            }
        }
        // Invoices to match again.
        let again: Vec<&Invoice> = view
            .invoices
            .iter()
            .map(|i| &**i)
            .filter(|i| {
                invoices.contains(&i.id)
                    || i.purchase_order
                        .as_ref()
                        .is_some_and(|p| touched.contains(p))
                    || numbers
                        .iter()
                        .any(|(vendor, number)| *vendor == i.vendor && same_name(number, &i.number))
            })
            .collect();
        for id in invoices {
            matches.remove(id);
        }
        for invoice in again {
            let m = book.match_invoice(invoice);
            matches_insert(&mut matches, invoice, m);
        }
        // Receipts of the touched orders: flagged again from scratch.
        duplicates.retain(|receipt, _| {
            receipt_order(&before.receipts, receipt).is_none_or(|po| !touched.contains(&po))
                && !receipts.contains(receipt)
        });
        for po in &touched {
            for receipt in book.receipts_of(po) {
                if let Some(first) = book.duplicate_of(receipt) {
                    duplicates_insert(&mut duplicates, receipt, first);
                }
            }
        }
    }
    view.order_status = status;
    view.progress = progress;
    view.matches = matches;
    view.duplicates = duplicates;
}
