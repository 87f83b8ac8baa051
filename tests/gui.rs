//! The desktop app driven as a person would, with egui_kittest (no display,
//! no GPU): every flow runs against a real store in a temporary directory.

#![cfg(feature = "gui")]

mod common;

use bureau::model::*;
use bureau::ui::backend::Backend;
use bureau::ui::{AreaTab, BureauApp, Prefs};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

struct App {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// A data directory with a workspace (and whatever `fill` adds).
fn workspace(fill: impl FnOnce(&bureau::store::Store)) -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data");
    let rt = common::runtime();
    let store = rt
        .block_on(bureau::sync::node::create_workspace(
            &path,
            "Acme Office",
            "Ana Ruiz",
        ))
        .expect("workspace");
    fill(&store);
    rt.block_on(store.close());
    App { _dir: dir, path }
}

fn harness(backend: Backend, area: AreaTab) -> Harness<'static, BureauApp> {
    let prefs = Prefs {
        area,
        dark_mode: Some(false),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_ui_state(
            |ui, app: &mut BureauApp| app.show(ui),
            BureauApp::new(backend, prefs),
        );
    harness.run();
    harness
}

fn type_into(harness: &mut Harness<'_, BureauApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

fn task(title: &str, due: Option<&str>) -> Task {
    Task {
        id: new_id(),
        title: title.into(),
        due: due.map(|d| d.parse().expect("date")),
        ..Default::default()
    }
}

#[test]
fn first_run_creates_a_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(Backend::inline(&dir.path().join("new")), AreaTab::Dashboard);
    h.get_by_label("Welcome to Bureau");
    type_into(&mut h, "Workspace name", "Acme Office");
    type_into(&mut h, "Your name", "Ana Ruiz");
    h.get_by_label("Create workspace").click();
    h.run();
    h.get_by_label("Bureau — Acme Office");
    h.get_by_label_contains("Ana Ruiz (admin)");
}

#[test]
fn quick_add_a_task() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    type_into(&mut h, "New task", "Order toner");
    type_into(&mut h, "Assign to", "Ben");
    h.get_by_label("Add task").click();
    h.run();
    h.get_by_label("Order toner");
    h.get_by_label("1 task(s)");
}

#[test]
fn block_a_task_with_a_reason_and_find_it_on_the_dashboard() {
    let app = workspace(|s| {
        s.create(task("Renew the lease", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    h.get_by_label("Renew the lease").click();
    h.run();
    // Blocking needs a reason: the button is disabled until there is one.
    assert!(h.get_by_label("Block").accesskit_node().is_disabled());
    type_into(&mut h, "Blocked reason", "waiting for the landlord");
    h.get_by_label("Block").click();
    h.run();
    h.get_by_label("Blocked: waiting for the landlord");
    h.get_by_label_contains("Dashboard").click();
    h.run();
    h.get_by_label("Blocked tasks: 1");
    h.get_by_label_contains("waiting for the landlord (blocked 0 day(s))");
    h.get_by_label("Open blocked tasks").click();
    h.run();
    h.get_by_label("1 task(s)");
}

#[test]
fn filter_overdue() {
    let app = workspace(|s| {
        s.create(task("Pay the cleaners", Some("2000-01-10")))
            .expect("task");
        s.create(task("Plan the party", Some("2999-12-01")))
            .expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    h.get_by_label("2 task(s)");
    h.get_by_label("Overdue").click();
    h.run();
    h.get_by_label("1 task(s)");
    h.get_by_label("Pay the cleaners");
    assert!(h.query_by_label("Plan the party").is_none());
    // Search narrows the list too.
    h.get_by_label("All open").click();
    h.run();
    type_into(&mut h, "Search", "party");
    h.get_by_label("1 task(s)");
}

#[test]
fn adjust_and_count_stock_and_see_low_stock() {
    let app = workspace(|s| {
        let hq = s.ensure_site("HQ").expect("site");
        let item = InventoryItem {
            id: new_id(),
            name: "Paper".into(),
            unit: "box".into(),
            reorder_at: 10,
            ..Default::default()
        };
        s.create_item(item, Some((&hq, 11))).expect("item");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Inventory);
    h.get_by_label("11");
    h.get_by_label("−").click();
    h.run();
    h.get_by_label("10 LOW");
    h.get_by_label("Count").click();
    h.run();
    h.get_by_label("Counted").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Counted").type_text("25");
    h.run();
    h.get_by_label("Record count").click();
    h.run();
    h.get_by_label("25");
    assert!(h.query_by_label_contains("LOW").is_none());
}

#[test]
fn invite_shows_a_ticket() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline_networked(&app.path), AreaTab::Team);
    h.get_by_label("Ana Ruiz");
    h.get_by_label("Create invite").click();
    h.run();
    h.get_by_label("Copy ticket");
    h.get_by_label("Invite QR code");
}
