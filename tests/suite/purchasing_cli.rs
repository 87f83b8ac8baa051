//! The purchasing CLI contract, exactly as the issue writes it and scripts
//! call it: ids print alone on create, `--json` where it prints, one clear
//! line when something is refused, and reordering from the low-stock list.

use crate::common;

use common::process::{fails, id, init, json, run};

#[test]
fn vendors_orders_receipts_invoices_and_renewals_as_scripts_use_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    run(&dir, &["site", "add", "HQ"]);
    run(&dir, &["site", "add", "Warehouse"]);
    id(&run(
        &dir,
        &[
            "item",
            "add",
            "Copy paper",
            "--unit",
            "box",
            "--reorder-at",
            "5",
            "--site",
            "Warehouse",
            "--qty",
            "1",
        ],
    ));
    id(&run(
        &dir,
        &[
            "vendor",
            "add",
            "Office Depot",
            "--category",
            "Supplies",
            "--email",
            "orders@od.example",
            "--phone",
            "+351 21 000",
            "--terms",
            "30 days",
        ],
    ));
    fails(&dir, &["vendor", "add", "office depot"]);
    run(
        &dir,
        &["item", "set", "Copy paper", "preferred_vendor=Office Depot"],
    );

    let po = id(&run(
        &dir,
        &[
            "po",
            "add",
            "--vendor",
            "Office Depot",
            "--site",
            "Warehouse",
            "--line",
            "Copy paper=10@3.95",
            "--line",
            "text:Desk lamp=2@24.50",
            "--tax",
            "20",
        ],
    ));
    let err = fails(
        &dir,
        &[
            "po",
            "add",
            "--vendor",
            "Office Depot",
            "--site",
            "Warehouse",
            "--line",
            "Copy paper=ten@3.95",
        ],
    );
    assert!(err.contains("whole number"), "{err}");
    run(
        &dir,
        &["po", "add-line", &po, "--line", "text:Stapler=1@9.90"],
    );
    let lines = |dir| json(dir, &["po", "show", &po, "--json"])["lines"].clone();
    assert_eq!(lines(&dir).as_array().expect("lines").len(), 3);
    run(&dir, &["po", "remove-line", &po, "Stapler"]);
    assert_eq!(lines(&dir).as_array().expect("lines").len(), 2);
    run(&dir, &["po", "send", &po]);
    let receipt = id(&run(
        &dir,
        &[
            "po",
            "receive",
            &po,
            "--site",
            "Warehouse",
            "--line",
            "Copy paper=6",
        ],
    ));
    let err = fails(
        &dir,
        &[
            "po",
            "receive",
            &po,
            "--site",
            "Warehouse",
            "--line",
            "Copy paper=5",
        ],
    );
    let refused = fails(&dir, &["po", "remove-line", &po, "Copy paper"]);
    assert!(refused.contains("were received"), "{refused}");
    assert!(
        err.contains("only 4 of “Copy paper” are outstanding"),
        "{err}"
    );
    let shown = json(&dir, &["po", "show", &po, "--json"]);
    assert_eq!(shown["status"], "partially received");
    assert_eq!(shown["receipts"][0]["id"], receipt.as_str());

    let inv = id(&run(
        &dir,
        &[
            "invoice",
            "add",
            "--vendor",
            "Office Depot",
            "--number",
            "INV-77",
            "--date",
            "2026-11-20",
            "--po",
            &po,
            "--line",
            "Copy paper=10@3.95",
            "--tax",
            "20",
        ],
    ));
    let matched = json(&dir, &["invoice", "match", "--json"]);
    assert_eq!(matched[0]["id"], inv.as_str());
    assert_eq!(matched[0]["match"], "discrepancy");
    assert_eq!(
        matched[0]["reasons"][0],
        "Copy paper: invoiced 10, received 6"
    );
    assert_eq!(matched[0]["due"], "2026-12-20");
    let err = fails(&dir, &["invoice", "approve", "INV-77"]);
    assert!(err.contains("--despite"), "{err}");
    run(&dir, &["po", "receive", &po, "--site", "Warehouse"]);
    let matched = json(&dir, &["invoice", "match", "--json"]);
    assert_eq!(matched[0]["match"], "matched");
    run(&dir, &["invoice", "approve", &inv]);
    run(&dir, &["invoice", "pay", &inv]);
    assert_eq!(
        json(&dir, &["invoice", "list", "--json"])[0]["status"],
        "paid"
    );
    let items = json(&dir, &["item", "list", "--json"]);
    assert_eq!(items[0]["on_hand_by_site"]["Warehouse"], 11);
    run(
        &dir,
        &["invoice", "tolerance", "--percent", "2", "--amount", "5.00"],
    );
    assert_eq!(run(&dir, &["invoice", "tolerance"]).trim(), "2% or 5.00");

    let contract = id(&run(
        &dir,
        &[
            "contract",
            "add",
            "--vendor",
            "Office Depot",
            "--title",
            "Supplies framework",
            "--start",
            "2026-01-01",
            "--end",
            "2026-12-31",
            "--notice-days",
            "30",
            "--auto-renew",
            "--value",
            "1200.00",
        ],
    ));
    let err = fails(
        &dir,
        &[
            "contract",
            "add",
            "--vendor",
            "Office Depot",
            "--title",
            "Short",
            "--start",
            "2026-01-01",
            "--end",
            "2026-01-31",
            "--notice-days",
            "45",
        ],
    );
    assert!(err.contains("longer than the contract term"), "{err}");
    let renewals = json(&dir, &["contract", "renewals", "--within", "10y", "--json"]);
    assert_eq!(renewals[0]["id"], contract.as_str());
    assert!(renewals[0]["deadline"].is_string() && renewals[0]["days_left"].is_i64());
    assert_eq!(renewals[0]["value"]["minor"], 120_000);

    let shown = json(&dir, &["vendor", "show", "Office Depot", "--json"]);
    assert_eq!(shown["purchase_orders"][0]["id"], po.as_str());
    assert_eq!(shown["invoices"][0]["id"], inv.as_str());
    assert_eq!(shown["contracts"][0]["id"], contract.as_str());
    let listed = run(&dir, &["contract", "list"]);
    assert!(
        listed.contains("Office Depot"),
        "references by name: {listed}"
    );

    // Stock falls low: the reorder suggests up to the level plus a buffer.
    let paper = json(&dir, &["item", "list", "--json"])[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    run(
        &dir,
        &[
            "stock",
            "adjust",
            &paper,
            "--site",
            "Warehouse",
            "--by",
            "-10",
        ],
    );
    let plan = json(&dir, &["reorder", "--json"]);
    assert_eq!(
        plan["orders"][0]["lines"][0]["quantity"], 7,
        "up to 5 + 3, from 1"
    );
    run(&dir, &["reorder", "--create"]);
    let plan = json(&dir, &["reorder", "--json"]);
    assert!(
        plan["orders"].as_array().expect("orders").is_empty(),
        "now on order"
    );
    let orders = json(&dir, &["po", "list", "--json"]);
    assert_eq!(orders.as_array().expect("list").len(), 2);
    let numbers: Vec<&str> = orders
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["number"].as_str())
        .collect();
    assert_ne!(numbers[0], numbers[1]);

    // A deleted vendor is in the Trash and comes back from it.
    let staples = id(&run(&dir, &["vendor", "add", "Staples"]));
    run(&dir, &["vendor", "delete", &staples]);
    let trash = json(&dir, &["trash", "--json"]);
    assert!(
        trash
            .as_array()
            .expect("trash")
            .iter()
            .any(|e| e["id"] == staples.as_str() && e["label"] == "vendor"),
        "{trash}"
    );
    run(&dir, &["vendor", "restore", &staples]);

    // Taking a receipt back takes its stock back.
    run(&dir, &["po", "unreceive", &receipt]);
    let items = json(&dir, &["item", "list", "--json"]);
    assert_eq!(items[0]["on_hand_by_site"]["Warehouse"], -5);
}
