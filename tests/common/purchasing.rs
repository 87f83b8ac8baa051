//! A small purchasing office for tests: HQ and the Warehouse, copy paper
//! kept at the Warehouse (none yet), Office Depot (30 days to pay) and a
//! sent order for 10 boxes at 3.95 shipped to the Warehouse.

use bureau::model::PurchaseOrder;
use bureau::ops::{LineInput, Op, Session};
use bureau::store::Store;

pub struct Office {
    pub warehouse: String,
    pub paper: String,
    pub vendor: String,
    pub po: String,
    /// The order's number ("PO-…").
    pub number: String,
}

/// Applies `op`; the id it created ("" if none).
pub fn apply(store: &Store, session: &mut Session, op: Op) -> String {
    session
        .apply(store, op)
        .expect("operation")
        .created
        .unwrap_or_default()
}

pub fn create(store: &Store, session: &mut Session, kind: &str, fields: &[(&str, &str)]) -> String {
    let fields = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    apply(
        store,
        session,
        Op::Create {
            kind: kind.into(),
            fields,
        },
    )
}

/// `qty` of the stocked item `item` at `price`, no tax.
pub fn line(item: &str, qty: i64, price: &str) -> LineInput {
    LineInput {
        item: Some(item.into()),
        description: String::new(),
        quantity: qty,
        unit_price: price.into(),
        tax_rate: 0,
    }
}

pub fn office(store: &Store, session: &mut Session) -> Office {
    create(store, session, "sites", &[("name", "HQ")]);
    let warehouse = create(store, session, "sites", &[("name", "Warehouse")]);
    let paper = apply(
        store,
        session,
        Op::CreateItem {
            fields: vec![
                ("name".into(), "Copy paper".into()),
                ("unit".into(), "box".into()),
                ("reorder_at".into(), "2".into()),
            ],
            site: Some("Warehouse".into()),
            qty: 0,
        },
    );
    let vendor = create(
        store,
        session,
        "vendors",
        &[("name", "Office Depot"), ("payment_terms", "30 days")],
    );
    let po = apply(
        store,
        session,
        Op::CreateOrder {
            vendor: vendor.clone(),
            site: Some(warehouse.clone()),
            lines: vec![line(&paper, 10, "3.95")],
            notes: String::new(),
        },
    );
    session
        .apply(store, Op::set("purchase_orders", &po, "status", "sent"))
        .expect("send");
    let number = store.require::<PurchaseOrder>(&po).expect("po").number;
    Office {
        warehouse,
        paper,
        vendor,
        po,
        number,
    }
}
