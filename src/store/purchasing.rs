//! Purchasing's stored settings and the reads its rules need: the match
//! tolerance (two scalars at the purchasing document's root, so no two
//! peers ever race to create a map for them), the purchase order numbers
//! given out so far, and every purchasing record at once for a
//! [`crate::model::matching::Book`].

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc, ScalarValue, Value};

use super::records::{Listing, read_all};
use super::{Result, Store, kind_map};
use crate::model::matching::Tolerance;
use crate::model::reorder::{self, ReorderPlan, Shortfall};
use crate::model::{Area, Contract, Invoice, PurchaseOrder, Receipt, Record, Vendor};

const TOLERANCE_PERCENT: &str = "match_tolerance_bp";
const TOLERANCE_ABSOLUTE: &str = "match_tolerance_minor";

/// Every purchasing record, read in one pass over the document.
#[derive(Debug, Default)]
pub struct PurchasingRecords {
    pub vendors: Listing<Vendor>,
    pub contracts: Listing<Contract>,
    pub orders: Listing<PurchaseOrder>,
    pub receipts: Listing<Receipt>,
    pub invoices: Listing<Invoice>,
    pub tolerance: Tolerance,
}

/// An integer scalar at the document root.
pub(super) fn read_int<D: ReadDoc>(doc: &D, key: &str) -> Option<i64> {
    match doc.get(ROOT, key).ok().flatten() {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Int(i) => Some(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            _ => None,
        },
        _ => None,
    }
}

/// The tolerance stored in the purchasing document (the default where a
/// value is missing or not a number).
pub(crate) fn read_tolerance<D: ReadDoc>(doc: &D) -> Tolerance {
    let default = Tolerance::default();
    Tolerance {
        percent_bp: read_int(doc, TOLERANCE_PERCENT)
            .filter(|v| *v >= 0)
            .unwrap_or(default.percent_bp),
        absolute_minor: read_int(doc, TOLERANCE_ABSOLUTE)
            .filter(|v| *v >= 0)
            .unwrap_or(default.absolute_minor),
    }
}

/// The numbers of every purchase order in the document (trash included:
/// a number once given out is never given again).
pub(crate) fn order_numbers<D: ReadDoc>(doc: &D) -> Vec<String> {
    let Some(map) = kind_map(doc, PurchaseOrder::KIND) else {
        return Vec::new();
    };
    super::fast_read::child_maps(doc, &map)
        .into_iter()
        .filter_map(|(_, obj)| match doc.get(&obj, "number").ok().flatten() {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(n) => Some(n.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

impl Store {
    /// The three-way match tolerance.
    pub fn tolerance(&self) -> Result<Tolerance> {
        self.read(Area::Purchasing, |doc| Ok(read_tolerance(doc)))
    }

    /// Sets the match tolerance (each value written only if it changed).
    pub fn set_tolerance(&self, tolerance: Tolerance) -> Result<()> {
        if tolerance.percent_bp < 0 || tolerance.absolute_minor < 0 {
            return Err(
                crate::model::ValidationError::new("tolerance", "must be 0 or more").into(),
            );
        }
        self.change(Area::Purchasing, "set match tolerance", |tx, _| {
            let current = read_tolerance(&*tx);
            if current.percent_bp != tolerance.percent_bp {
                tx.put(ROOT, TOLERANCE_PERCENT, tolerance.percent_bp)?;
            }
            if current.absolute_minor != tolerance.absolute_minor {
                tx.put(ROOT, TOLERANCE_ABSOLUTE, tolerance.absolute_minor)?;
            }
            Ok(())
        })
    }

    /// Every purchasing record (trash included when asked) and the tolerance.
    pub fn purchasing(&self, include_deleted: bool) -> Result<PurchasingRecords> {
        self.read(Area::Purchasing, |doc| {
            Ok(PurchasingRecords {
                vendors: read_all(doc, include_deleted),
                contracts: read_all(doc, include_deleted),
                orders: read_all(doc, include_deleted),
                receipts: read_all(doc, include_deleted),
                invoices: read_all(doc, include_deleted),
                tolerance: read_tolerance(doc),
            })
        })
    }
}

impl Store {
    /// The reorder plan: what is low (at `site` only, if given) drafted into
    /// orders per preferred vendor and site, less what is on order.
    pub fn reorder_plan(&self, site: Option<&str>, buffer_percent: i64) -> Result<ReorderPlan> {
        let low = self.low_stock()?;
        let records = self.purchasing(false)?;
        let book = records.book();
        let vendors: Vec<&str> = records
            .vendors
            .records
            .iter()
            .map(|v| v.id.as_str())
            .collect();
        let orders: Vec<&PurchaseOrder> = records.orders.records.iter().collect();
        let shortfalls = low
            .iter()
            .filter(|l| site.is_none_or(|s| l.site_id == s))
            .map(|l| Shortfall {
                item: &l.item,
                site: &l.site_id,
                on_hand: l.on_hand,
                threshold: l.threshold,
            });
        Ok(reorder::plan(
            shortfalls,
            &vendors,
            &orders,
            &|po| book.progress(po).into(),
            buffer_percent,
        ))
    }
}

impl PurchasingRecords {
    /// The ledger of these records.
    pub fn book(&self) -> crate::model::matching::Book<'_> {
        crate::model::matching::Book::new(
            &self.vendors.records,
            &self.orders.records,
            &self.receipts.records,
            &self.invoices.records,
            self.tolerance,
        )
    }

    /// Records of every kind that could not be read.
    pub fn unreadable(&self) -> Vec<super::Unreadable> {
        [
            &self.vendors.unreadable,
            &self.contracts.unreadable,
            &self.orders.unreadable,
            &self.receipts.unreadable,
            &self.invoices.unreadable,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}
