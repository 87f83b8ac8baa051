//! A small purchasing office for tests: HQ and the Warehouse, copy paper
//! kept at the Warehouse (none yet), Office Depot (30 days to pay) and a
//! sent order for 10 boxes at 3.95 shipped to the Warehouse.

use bureau::model::matching::MatchState;
use bureau::model::{Invoice, PurchaseOrder};
use bureau::ops::{LineInput, Op, Session};
use bureau::store::Store;

use super::Fixture;

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

/// Replica "a" with the office, cloned to "b"; both opened with sessions.
pub fn two_sites(fx: &Fixture) -> (Store, Session, Store, Session, Office) {
    let a = fx.init("a");
    let mut session = Session::open(&a).expect("session");
    let office = office(&a, &mut session);
    drop(session);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    let sa = Session::open(&a).expect("session a");
    let sb = Session::open(&b).expect("session b");
    (a, sa, b, sb, office)
}

pub fn merge(a: &Store, b: &Store) {
    a.merge_from(b).expect("merge into a");
    b.merge_from(a).expect("merge into b");
    assert_eq!(export_of(a), export_of(b), "replicas differ after merging");
}

pub fn export_of(store: &Store) -> String {
    serde_json::to_string_pretty(&store.export_json().expect("export")).expect("json")
}

pub fn receive(
    store: &Store,
    session: &mut Session,
    office: &Office,
    lines: Vec<(String, i64)>,
) -> String {
    apply(
        store,
        session,
        Op::Receive {
            order: office.po.clone(),
            site: office.warehouse.clone(),
            lines,
            receipt: None,
        },
    )
}

pub fn order_line(store: &Store, office: &Office) -> String {
    let po = store.require::<PurchaseOrder>(&office.po).expect("po");
    po.lines.keys().next().expect("a line").clone()
}

pub fn stock(store: &Store, office: &Office) -> i64 {
    store.item_stock(&office.paper).expect("stock").on_hand[&office.warehouse]
}

pub fn invoice(
    store: &Store,
    session: &mut Session,
    office: &Office,
    number: &str,
    qty: i64,
    price: &str,
) -> String {
    apply(
        store,
        session,
        Op::CreateInvoice {
            vendor: office.vendor.clone(),
            number: number.into(),
            date: "2026-11-20".into(),
            due: None,
            order: Some(office.po.clone()),
            lines: vec![line(&office.paper, qty, price)],
            total: None,
        },
    )
}

/// (match state, reasons, order status) as this store computes them.
pub fn matched(store: &Store, invoice: &str, po: &str) -> (MatchState, Vec<String>, String) {
    let records = store.purchasing(false).expect("records");
    let book = records.book();
    let inv = store.require::<Invoice>(invoice).expect("invoice");
    let po = store.require::<PurchaseOrder>(po).expect("po");
    let m = book.match_invoice(&inv);
    (m.state, m.reasons, book.status_text(&po).to_string())
}
