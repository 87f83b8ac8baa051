//! Budget and Reports driven as a coordinator would, with egui_kittest:
//! an expense typed into the Budget area counts against its line (and a
//! refused one stays typed, to be fixed), and the monthly report is
//! previewed with how complete it is, then saved as a PDF.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ops::Session;
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, retype, workspace};
use common::purchasing::create;
use egui_kittest::kittest::{NodeT, Queryable};

const TEXT: egui::accesskit::Role = egui::accesskit::Role::TextInput;

#[test]
fn an_expense_typed_in_the_budget_area_counts_against_its_line() {
    let app = workspace(|store| {
        let mut s = Session::open(store).expect("session");
        create(store, &mut s, "sites", &[("name", "HQ")]);
        create(
            store,
            &mut s,
            "budget_lines",
            &[
                ("category", "Office supplies"),
                ("period", "2025"),
                ("amount", "500"),
            ],
        );
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Budget);
    // Lines running today come first; last year's is under every period.
    h.get_by_label("Running now (0)");
    click(&mut h, "Every period (1)");
    h.get_by_label_contains("Office supplies · 2025 · all sites");
    h.get_by_label("500.00");
    h.get_by_label_contains("Spending (0)").click();
    h.run();
    retype(&mut h, "Date", "2025-06-10");
    retype(&mut h, "Amount", "-3");
    retype(&mut h, "Category", "Office supplies");
    retype(&mut h, "Site", "HQ");
    retype(&mut h, "Note", "Toner, petty cash");
    click(&mut h, "Add expense");
    // Refused: what was typed stays, to be fixed rather than typed again.
    let amount = h
        .get_by_role_and_label(TEXT, "Amount")
        .accesskit_node()
        .value();
    assert_eq!(amount.as_deref(), Some("-3"));
    retype(&mut h, "Amount", "42.50");
    click(&mut h, "Add expense");
    h.get_by_label("42.50 EUR");
    h.get_by_label("Toner, petty cash");
    h.get_by_label_contains("1 entries, 42.50");
    let amount = h
        .get_by_role_and_label(TEXT, "Amount")
        .accesskit_node()
        .value();
    assert_eq!(amount.as_deref(), Some(""), "saved: the row is empty again");
    let store = h.state_mut().backend_mut().store().expect("store");
    let expenses = store.list::<Expense>(false).expect("expenses");
    assert_eq!(expenses.len(), 1);
    assert_eq!(expenses[0].amount, Money::new(4250, "EUR"));
    h.get_by_label_contains("Budget lines (1)").click();
    h.run();
    h.get_by_label("457.50");
}

#[test]
fn a_monthly_report_is_previewed_with_how_complete_it_is_and_saved_as_pdf() {
    let app = workspace(|store| {
        let mut s = Session::open(store).expect("session");
        create(
            store,
            &mut s,
            "expenses",
            &[
                ("date", "2025-11-12"),
                ("amount", "192.50"),
                ("category", "Software"),
            ],
        );
    });
    let out = app.path.parent().expect("dir").join("november.pdf");
    let mut h = harness(Backend::inline(&app.path), AreaTab::Reports);
    click(&mut h, "Monthly");
    retype(&mut h, "Period", "2025-11");
    h.get_by_label("November 2025");
    click(&mut h, "Preview");
    h.get_by_label("Monthly report: November 2025");
    h.get_by_label_contains("How complete: Includes Ana Ruiz");
    h.get_by_label_contains("Spent 192.50 EUR");
    retype(&mut h, "Save as", out.to_str().expect("path"));
    click(&mut h, "Save");
    let pdf = std::fs::read(&out).expect("the PDF was written");
    assert!(pdf.starts_with(b"%PDF"));
}
