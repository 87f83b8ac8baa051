//! The desktop app driven as a person would, with egui_kittest (no display,
//! no GPU): every flow runs against a real store in a temporary directory.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ui::backend::Backend;
use bureau::ui::{AreaTab, BureauApp};
use common::app::{App, click, harness, type_into, workspace};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// Drags the board card `card` onto the column headed `column`, as a
/// mouse would (press, move in steps, release).
fn drag_card(h: &mut Harness<'_, BureauApp>, card: &str, column: &str) {
    let from = h.get_by_label(card).rect().center();
    let to = h.get_by_label(column).rect().center() + egui::vec2(0.0, 40.0);
    drag(h, from, to);
}

/// Presses at `from`, moves in steps and releases at `to`.
fn drag(h: &mut Harness<'_, BureauApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for step in 1..=10 {
        h.hover_at(from + (to - from) * (step as f32 / 10.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
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
    click(&mut h, "Create workspace");
    h.get_by_label("Bureau — Acme Office");
    h.get_by_label_contains("Ana Ruiz (admin)");
    // The recovery kit is shown once, until it is written down.
    h.get_by_label("Write down your recovery phrase");
    h.get_by_label_contains(" 1. ");
    h.get_by_label_contains("24. ");
    click(&mut h, "I have written it down");
    assert!(
        h.query_by_label("Write down your recovery phrase")
            .is_none()
    );
    // Team & Sync knows there is one, and does not warn of a single admin.
    click(&mut h, "Team & Sync");
    h.get_by_label_contains("A recovery kit exists");
    assert!(h.query_by_label_contains("Only one admin device").is_none());
}

#[test]
fn quick_add_a_task() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    type_into(&mut h, "New task", "Order toner");
    // People are picked from the members.
    click(&mut h, "Assign to");
    click(&mut h, "Ana Ruiz");
    click(&mut h, "Add task");
    h.get_by_label("Order toner");
    h.get_by_label("1 task(s)");
    click(&mut h, "Mine");
    h.get_by_label("1 task(s)");
    click(&mut h, "Unassigned");
    h.get_by_label("0 task(s)");
}

#[test]
fn block_a_task_with_a_reason_and_find_it_on_the_dashboard() {
    let app = workspace(|s| {
        s.create(task("Renew the lease", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Renew the lease");
    // Blocking needs a reason: the button is disabled until there is one.
    assert!(h.get_by_label("Block").accesskit_node().is_disabled());
    type_into(&mut h, "Blocked reason", "waiting for the landlord");
    click(&mut h, "Block");
    h.get_by_label("Blocked: waiting for the landlord");
    h.get_by_label_contains("Dashboard").click();
    h.run();
    h.get_by_label("Blocked tasks: 1");
    h.get_by_label_contains("waiting for the landlord (blocked today)");
    click(&mut h, "Open blocked tasks");
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
    click(&mut h, "Overdue");
    h.get_by_label("1 task(s)");
    h.get_by_label("Pay the cleaners");
    assert!(h.query_by_label("Plan the party").is_none());
    // Search narrows the list too.
    click(&mut h, "All open");
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
    click(&mut h, "−");
    h.get_by_label("10 LOW");
    // The count dialog names the item and the site; Enter records it.
    click(&mut h, "Count…");
    h.get_by_label("Count Paper at HQ");
    common::app::retype(&mut h, "Counted", "twelve");
    h.get_by_label("type a whole number, e.g. 12");
    common::app::retype(&mut h, "Counted", "25");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("25");
    assert!(h.query_by_label_contains("LOW").is_none());
    // Adjust by a number with a reason from the list.
    click(&mut h, "Adjust…");
    common::app::retype(&mut h, "Change by", "-30");
    click(&mut h, "damaged");
    // Going below zero asks first.
    h.get_by_label_contains("below zero");
    click(&mut h, "Adjust");
    click(&mut h, "Yes, go below zero");
    h.get_by_label("-5 LOW");
    let vm = h.state_mut().backend_mut().view();
    let item = vm.items[0].item.id.clone();
    drop(vm);
    h.state_mut()
        .backend_mut()
        .send(bureau::ui::backend::Command::ShowMovements { item: Some(item) });
    h.run();
    h.get_by_label_contains("adjust -30  damaged  — Ana Ruiz");
}

#[test]
fn stock_moves_to_another_site_from_its_row() {
    let app = workspace(|s| {
        let hq = s.ensure_site("HQ").expect("site");
        s.ensure_site("Annex").expect("site");
        let item = InventoryItem {
            id: new_id(),
            name: "Toner".into(),
            unit: "each".into(),
            ..Default::default()
        };
        s.create_item(item, Some((&hq, 8))).expect("item");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Inventory);
    click(&mut h, "Move…");
    h.get_by_label("Move Toner from HQ");
    common::app::retype(&mut h, "Quantity to move", "3");
    h.key_press(egui::Key::Enter);
    h.run();
    let vm = h.state_mut().backend_mut().view();
    let on_hand = &vm.items[0].on_hand;
    let site = |name: &str| {
        vm.sites
            .iter()
            .find(|s| s.name == name)
            .expect("site")
            .id
            .clone()
    };
    assert_eq!(on_hand[&site("HQ")], 5);
    assert_eq!(on_hand[&site("Annex")], 3);
}

#[test]
fn invite_shows_a_ticket() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline_networked(&app.path), AreaTab::Team);
    // "You" is decided by member id, and said.
    h.get_by_label("Ana Ruiz (you)");
    click(&mut h, "Create invite");
    h.get_by_label_contains("Joins as member, works once, valid until");
    click(&mut h, "Copy ticket");
    h.get_by_label("Copied to the clipboard.");
    h.get_by_label("Invite QR code");
}

/// Two devices of one workspace: Ana's (founder, the returned app) and
/// Ben's (joined; his data directory is returned).
fn two_devices() -> (App, std::path::PathBuf) {
    let app_a = workspace(|_| {});
    let b_dir = app_a._dir.path().join("ben");
    {
        let rt = common::runtime();
        let a = rt
            .block_on(bureau::sync::Node::start(
                &app_a.path,
                "test",
                &bureau::sync::NetOptions::loopback(),
            ))
            .expect("node a");
        let ticket = a
            .invite(Role::Member, std::time::Duration::from_secs(600))
            .expect("invite");
        let b = rt
            .block_on(bureau::sync::Node::join(
                &b_dir,
                &ticket,
                "Ben Ode",
                &bureau::sync::NetOptions::loopback(),
            ))
            .expect("join");
        rt.block_on(b.shutdown());
        rt.block_on(a.shutdown());
    }
    (app_a, b_dir)
}

#[test]
fn an_edit_in_one_app_appears_in_the_other() {
    let (app_a, b_dir) = two_devices();
    let mut a = harness(Backend::inline_networked(&app_a.path), AreaTab::Tasks);
    let mut b = harness(Backend::inline_networked(&b_dir), AreaTab::Tasks);
    type_into(&mut a, "New task", "Book the plumber");
    a.get_by_label("Add task").click();
    a.run();
    a.get_by_label("Book the plumber");
    let timeout = std::time::Duration::from_secs(30);
    a.state_mut()
        .backend_mut()
        .wait_in_sync(timeout)
        .expect("a in sync");
    b.state_mut()
        .backend_mut()
        .wait_in_sync(timeout)
        .expect("b in sync");
    b.run();
    b.get_by_label("Book the plumber");
}

#[test]
fn the_status_bar_says_when_the_other_device_comes_and_goes() {
    // The real threaded app on both devices: status follows connections.
    let (app_a, b_dir) = two_devices();
    let threaded = |dir: &std::path::Path| {
        Backend::threaded(
            dir.to_path_buf(),
            bureau::sync::NetOptions::loopback(),
            || {},
        )
    };
    let mut a = harness(threaded(&app_a.path), AreaTab::Dashboard);
    let b = harness(threaded(&b_dir), AreaTab::Dashboard);
    let timeout = std::time::Duration::from_secs(60);
    a.state_mut()
        .backend_mut()
        .wait_until(timeout, |vm| vm.peers.iter().any(|p| p.online && p.in_sync))
        .expect("Ben's device connects and syncs");
    a.run();
    a.get_by_label("1 device connected — in sync");
    // Ben closes the app: his device says goodbye, so Ana sees it at once.
    drop(b);
    a.state_mut()
        .backend_mut()
        .wait_until(timeout, |vm| vm.peers.iter().all(|p| !p.online))
        .expect("Ben's device shown offline");
    a.run();
    a.get_by_label_contains("no device connected — everything was synced (last sync ");
}

#[test]
fn drag_a_card_to_done() {
    let app = workspace(|s| {
        s.create(task("Water the plants", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Board");
    h.get_by_label("To do (1)");
    drag_card(&mut h, "Water the plants", "Done (0)");
    h.get_by_label("Done (1)");
    h.get_by_label("To do (0)");
}

#[test]
fn command_palette_jumps_to_a_task() {
    let app = workspace(|s| {
        s.create(task("Renew the insurance", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    h.get_by_label("Go to area or record").type_text("insur");
    h.run();
    click(&mut h, "Task: Renew the insurance");
    // The Tasks area is open with the task's details on the right.
    h.get_by_label("Mark done");
    h.get_by_label("Blocked reason");
}

#[test]
fn comments_checklists_and_stock_history() {
    let app = workspace(|s| {
        s.create(task("Prepare onboarding", None)).expect("task");
        let hq = s.ensure_site("HQ").expect("site");
        let item = InventoryItem {
            id: new_id(),
            name: "Toner".into(),
            unit: "each".into(),
            reorder_at: 1,
            ..Default::default()
        };
        let id = s.create_item(item, Some((&hq, 5))).expect("item");
        s.adjust_stock(&id, &hq, -2, Some("printer room"))
            .expect("adjust");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Prepare onboarding");
    type_into(&mut h, "New checklist item", "Order a laptop");
    click(&mut h, "Add item");
    click(&mut h, "Order a laptop");
    type_into(&mut h, "New comment", "IT is on it");
    click(&mut h, "Add comment");
    h.get_by_label_contains("Ana Ruiz: IT is on it");
    h.get_by_label_contains("Inventory").click();
    h.run();
    click(&mut h, "Toner");
    h.get_by_label("History: Toner");
    h.get_by_label_contains("adjust -2  printer room");
    // Edit the item from its panel: the field commits on Enter.
    common::app::retype(&mut h, "Reorder at", "4");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("3 LOW");
}

#[test]
fn an_admin_changes_a_role_and_removes_a_member() {
    let app = workspace(|s| {
        let key = bureau::sync::identity::load_or_create(s.data_dir()).expect("key");
        let other = iroh::SecretKey::generate().public().to_string();
        bureau::sync::handlers::add_member(
            s,
            &key,
            &s.workspace().expect("ws").id,
            &new_id(),
            "Ben Ode",
            Role::Member,
            &other,
        )
        .expect("add member");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Team);
    h.get_by_label("Remove Ben Ode");
    click(&mut h, "viewer");
    let vm = h.state_mut().backend_mut().view();
    let ben = vm
        .members
        .iter()
        .find(|m| m.name == "Ben Ode")
        .expect("ben");
    assert_eq!(ben.role, Role::Viewer, "Ben is now a viewer");
    click(&mut h, "Remove Ben Ode");
    // Removing asks first and says what happens.
    h.get_by_label_contains("Every peer stops syncing with their devices");
    assert!(
        h.state_mut().backend_mut().view().members.len() == 2,
        "not yet"
    );
    click(&mut h, "Yes, remove ben ode");
    assert!(
        h.query_by_label("Remove Ben Ode").is_none(),
        "removed members leave the list"
    );
    assert!(h.query_by_label("Ben Ode").is_none(), "and the device list");
    // It says who has heard: nobody is connected in this test.
    h.get_by_label_contains("Removed. No device is connected, so nobody knows yet");
}

#[test]
fn a_field_commits_on_enter_and_ctrl_z_undoes_it() {
    let app = workspace(|s| {
        s.create(task("Renew the lease", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Renew the lease");
    common::app::retype(&mut h, "Title", "Renew the office lease");
    // Esc while typing puts the old value back and sends nothing.
    h.key_press(egui::Key::Escape);
    h.run();
    let titles = |h: &mut Harness<'_, BureauApp>| -> Vec<String> {
        let vm = h.state_mut().backend_mut().view();
        vm.tasks.iter().map(|t| t.title.clone()).collect()
    };
    assert_eq!(titles(&mut h), vec!["Renew the lease"]);
    common::app::retype(&mut h, "Title", "Renew the office lease");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(titles(&mut h), vec!["Renew the office lease"]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(titles(&mut h), vec!["Renew the lease"]);
    h.get_by_label_contains("Undid");
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run();
    assert_eq!(titles(&mut h), vec!["Renew the office lease"]);
}

#[test]
fn a_record_this_version_cannot_read_does_not_empty_the_list() {
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;
    let app = workspace(|s| {
        s.create(task("Readable", None)).expect("task");
        let bad = s.create(task("Damaged", None)).expect("task");
        s.change(Area::Tasks, "by hand", |tx, _| {
            let (_, tasks) = tx.get(automerge::ROOT, "tasks")?.expect("tasks");
            let (_, t) = tx.get(&tasks, bad.as_str())?.expect("task");
            tx.put(&t, "due", 12345)?;
            Ok(())
        })
        .expect("hand edit");
    });
    let h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    h.get_by_label("Readable");
    h.get_by_label("1 task(s)");
    h.get_by_label_contains("1 task could not be read");
}

#[test]
fn delete_asks_first_and_the_trash_gives_it_back() {
    let app = workspace(|s| {
        s.create(task("Order chairs", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Order chairs");
    click(&mut h, "Delete");
    h.get_by_label_contains("you can restore it from Trash");
    click(&mut h, "Cancel");
    h.get_by_label("1 task(s)");
    click(&mut h, "Delete");
    click(&mut h, "Yes, delete");
    h.get_by_label("0 task(s)");
    click(&mut h, "Trash");
    h.get_by_label("Order chairs");
    h.get_by_label_contains("by Ana Ruiz");
    click(&mut h, "Restore");
    h.get_by_label("The trash is empty.");
    click(&mut h, "Tasks");
    h.get_by_label("1 task(s)");
}

#[test]
fn a_date_is_picked_typed_relatively_or_cleared() {
    let app = workspace(|s| {
        s.create(task("Renew the lease", Some("2030-06-01")))
            .expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Renew the lease");
    let due = |h: &mut Harness<'_, BureauApp>| {
        let vm = h.state_mut().backend_mut().view();
        vm.tasks[0].due.map(|d| d.to_string())
    };
    // The calendar opens on the task's month; pick the 15th and save.
    h.get_all_by_label("Pick").next().expect("picker").click();
    h.run();
    click(&mut h, "15");
    click(&mut h, "Save");
    assert_eq!(due(&mut h).as_deref(), Some("2030-06-15"));
    // Typing a full date works; an empty field clears the date.
    common::app::retype(&mut h, "Due", "2030-07-04");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(due(&mut h).as_deref(), Some("2030-07-04"));
    common::app::retype(&mut h, "Due", "");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(due(&mut h), None);
    // Nonsense is refused next to the field, saying what to type.
    common::app::retype(&mut h, "Due", "someday");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label_contains("is not a date: type YYYY-MM-DD");
    assert_eq!(due(&mut h), None);
}

#[test]
fn dropping_a_card_on_blocked_asks_why() {
    let app = workspace(|s| {
        s.create(task("Fix the door", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Board");
    drag_card(&mut h, "Fix the door", "Blocked (0)");
    // A focused dialog asks for the reason; typing goes straight into it.
    h.get_by_label("Why is “Fix the door” blocked?");
    h.get_by_label("Blocked reason")
        .type_text("waiting for the locksmith");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Blocked (1)");
    let vm = h.state_mut().backend_mut().view();
    assert_eq!(
        vm.tasks[0].blocked_reason.as_deref(),
        Some("waiting for the locksmith")
    );
}

#[test]
fn dashboard_rows_open_their_records_and_the_badge_counts_each_task_once() {
    let app = workspace(|s| {
        let mut late = task("Pay the cleaners", Some("2000-01-10"));
        late.set_status(
            TaskStatus::Blocked,
            Some("invoice missing".into()),
            Stamp::now(),
        );
        s.create(late).expect("task");
        s.create(task("Plan the party", Some("2999-12-01")))
            .expect("task");
        common::add_paper(s, 0);
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    // Overdue and blocked, but one task: the badge says 1.
    h.get_by_label("Dashboard (1)");
    h.get_by_label("Overdue tasks: 1");
    h.get_by_label("Blocked tasks: 1");
    h.get_by_label_contains("Pay the cleaners — invoice missing")
        .click();
    h.run();
    h.get_by_label("Mark done");
    h.get_by_label("Blocked: invoice missing");
    h.get_by_label_contains("Dashboard").click();
    h.run();
    click(&mut h, "Open low stock");
    assert!(h.state_mut().backend_mut().view().low_stock.len() == 1);
    h.get_by_label("Paper");
}

#[test]
fn a_new_task_hidden_by_the_filter_says_so_and_show_opens_it() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Overdue");
    type_into(&mut h, "New task", "Book the venue");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Created task “Book the venue”");
    h.get_by_label("The current filter hides it.");
    h.get_by_label("0 task(s)");
    click(&mut h, "Show");
    // The filter is cleared and the task's details are open.
    h.get_by_label("1 task(s)");
    h.get_by_label("Mark done");
}

#[test]
fn the_palette_ranks_fuzzily_moves_with_arrows_and_runs_actions() {
    let app = workspace(|s| {
        s.create(task("Order printer toner cartridges", None))
            .expect("task");
        s.create(task("Toner", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    h.get_by_label("Go to area or record").type_text("toner");
    h.run();
    // The exact name ranks first and is highlighted; ↓ moves to the next.
    let first = h.get_by_label("Task: Toner").rect().top();
    let second = h
        .get_by_label("Task: Order printer toner cartridges")
        .rect()
        .top();
    assert!(first < second, "the closer match comes first");
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Mark done");
    let vm = h.state_mut().backend_mut().view();
    let picked = vm
        .tasks
        .iter()
        .find(|t| t.title.starts_with("Order"))
        .expect("task")
        .id
        .clone();
    drop(vm);
    assert_eq!(h.state().screens_selected_task(), Some(picked));
    // Actions as well as places: "new task" focuses quick add.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    h.get_by_label("Go to area or record").type_text("new task");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("New task").type_text("Buy milk");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Created task “Buy milk”");
}

#[test]
fn adding_an_item_says_what_to_type_and_enter_adds_it() {
    let app = workspace(|s| {
        s.ensure_site("HQ").expect("site");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Inventory);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run();
    h.get_by_label_contains("To add it, type the item's name");
    common::app::retype(&mut h, "Item name", "Staples");
    common::app::retype(&mut h, "Unit", "box");
    common::app::retype(&mut h, "Reorder at", "twelve");
    h.get_by_label_contains("reorder at: type a whole number");
    common::app::retype(&mut h, "Reorder at", "12");
    common::app::retype(&mut h, "Quantity here", "30");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Staples");
    h.get_by_label("Created item “Staples”");
}

#[test]
fn sites_and_projects_are_made_renamed_and_archived_in_the_app() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline(&app.path), AreaTab::Inventory);
    // The window resizes itself over a few frames as rows come and go:
    // step through that instead of waiting for it to settle.
    let settle = |h: &mut Harness<'_, BureauApp>| {
        h.run_steps(40);
    };
    h.get_by_label("Sites…").click();
    settle(&mut h);
    h.get_by_label("No sites yet.");
    type_into(&mut h, "New site", "Basement");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    // A second "basement" is refused: names are unique.
    h.get_by_label("New site").focus();
    settle(&mut h);
    h.get_by_label("New site").type_text(" basement ");
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label_contains("already exists");
    let role = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(role, "Name").focus();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.get_by_role_and_label(role, "Name").type_text("Storeroom");
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let vm = h.state_mut().backend_mut().view();
    let names: Vec<String> = vm.sites.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, vec!["Storeroom"]);
    drop(vm);
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(
        h.query_by_label("New site").is_none(),
        "Esc closes the window"
    );

    h.get_by_label("Tasks").click();
    settle(&mut h);
    h.get_by_label("Projects…").click();
    settle(&mut h);
    h.get_by_label("New project").focus();
    settle(&mut h);
    h.get_by_label("New project").type_text("Office move");
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label("Archived").click();
    settle(&mut h);
    let vm = h.state_mut().backend_mut().view();
    assert!(vm.project_records[0].archived);
}

#[test]
fn inventory_sorts_by_any_column() {
    let app = workspace(|s| {
        let hq = s.ensure_site("HQ").expect("site");
        for (name, qty) in [("Envelopes", 3), ("Batteries", 40), ("Coffee", 12)] {
            let item = InventoryItem {
                id: new_id(),
                name: name.into(),
                unit: "box".into(),
                ..Default::default()
            };
            s.create_item(item, Some((&hq, qty))).expect("item");
        }
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Inventory);
    let order = |h: &Harness<'_, BureauApp>| {
        let mut rows: Vec<(f32, &str)> = ["Envelopes", "Batteries", "Coffee"]
            .into_iter()
            .map(|n| (h.get_by_label(n).rect().top(), n))
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    assert_eq!(order(&h), vec!["Batteries", "Coffee", "Envelopes"]);
    click(&mut h, "On hand");
    assert_eq!(order(&h), vec!["Envelopes", "Coffee", "Batteries"]);
    click(&mut h, "On hand ^");
    assert_eq!(order(&h), vec!["Batteries", "Coffee", "Envelopes"]);
}

#[test]
fn all_sites_totals_and_a_reorder_level_per_site() {
    let app = workspace(|s| {
        let hq = s.ensure_site("HQ").expect("site");
        let annex = s.ensure_site("Annex").expect("site");
        let item = InventoryItem {
            id: new_id(),
            name: "Toner".into(),
            unit: "each".into(),
            reorder_at: 2,
            ..Default::default()
        };
        let id = s.create_item(item, Some((&hq, 8))).expect("item");
        s.adjust_stock(&id, &annex, 5, None).expect("stock");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Inventory);
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Site")
        .click();
    h.run();
    click(&mut h, "All sites");
    h.get_by_label("13");
    h.get_by_label_contains("Annex 5");
    // Annex needs more on the shelf than HQ does.
    click(&mut h, "Toner");
    common::app::retype(&mut h, "Reorder at Annex", "6");
    h.key_press(egui::Key::Enter);
    h.run();
    let vm = h.state_mut().backend_mut().view();
    let annex = vm
        .sites
        .iter()
        .find(|s| s.name == "Annex")
        .expect("annex")
        .id
        .clone();
    assert_eq!(vm.low_stock.len(), 1, "low at Annex only");
    assert_eq!(vm.low_stock[0].site_id, annex);
    assert_eq!(vm.low_stock[0].threshold, 6);
}

#[test]
fn cards_are_put_in_order_by_dragging_within_a_column() {
    let app = workspace(|s| {
        s.create(task("A: call the landlord", Some("2030-01-01")))
            .expect("task");
        s.create(task("B: order chairs", Some("2030-01-02")))
            .expect("task");
        s.create(task("C: book the van", Some("2030-01-03")))
            .expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Board");
    let top = |h: &Harness<'_, BureauApp>, label: &str| h.get_by_label(label).rect().top();
    let order = |h: &Harness<'_, BureauApp>| {
        let mut cards = ["A: call the landlord", "B: order chairs", "C: book the van"]
            .map(|l| (top(h, l), l.chars().next().unwrap_or('?')));
        cards.sort_by(|a, b| a.0.total_cmp(&b.0));
        cards.map(|(_, c)| c).iter().collect::<String>()
    };
    assert_eq!(order(&h), "ABC", "by due date until someone orders them");
    // Drop C just above B's middle: C goes between A and B.
    let from = h.get_by_label("C: book the van").rect().center();
    let to = h.get_by_label("B: order chairs").rect().center() - egui::vec2(0.0, 8.0);
    drag(&mut h, from, to);
    assert_eq!(order(&h), "ACB");
    // The order is stored (merge-safe keys), not just drawn.
    let vm = h.state_mut().backend_mut().view();
    assert!(vm.tasks.iter().filter(|t| t.rank.is_some()).count() >= 2);
}

#[test]
fn an_owner_is_found_by_typing_part_of_their_name() {
    let app = workspace(|s| {
        s.create(task("Order chairs", None)).expect("task");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Order chairs");
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Owner")
        .click();
    h.run();
    h.get_by_label("Find a member").type_text("ruiz");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let vm = h.state_mut().backend_mut().view();
    assert_eq!(vm.tasks[0].owner.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn an_admin_sees_and_keeps_what_a_removed_device_changed_after_its_removal() {
    use bureau::sync::{handlers, identity, membership::Action, node, removal};
    let app = workspace(|_| {});
    let eve_dir = app._dir.path().join("eve");
    let rt = common::runtime();
    {
        // Eve joins (a copy of Ana's data with her own key), is removed,
        // and adds a task; it reaches Ana, whose node undoes it.
        let ana = rt
            .block_on(bureau::store::Store::open(&app.path, "test"))
            .expect("open");
        let key = identity::load_or_create(&app.path).expect("key");
        let eve_key = iroh::SecretKey::generate();
        let eve_member = bureau::model::new_id();
        let ws = ana.workspace().expect("ws").id;
        handlers::add_member(
            &ana,
            &key,
            &ws,
            &eve_member,
            "Eve Novak",
            Role::Member,
            &eve_key.public().to_string(),
        )
        .expect("add eve");
        rt.block_on(ana.close());
        common::copy_dir(&app.path, &eve_dir);
        std::fs::write(
            eve_dir.join("device.key"),
            data_encoding::HEXLOWER.encode(&eve_key.to_bytes()),
        )
        .expect("key");
        let ana = rt
            .block_on(bureau::store::Store::open(&app.path, "test"))
            .expect("open");
        let access = node::offline_access(&ana).expect("access");
        node::change_membership(
            &ana,
            &key,
            &access,
            Action::Remove {
                member_id: eve_member,
            },
        )
        .expect("remove");
        let eve = rt
            .block_on(bureau::store::Store::open(&eve_dir, "test"))
            .expect("open");
        eve.create(task("Eve's task after her removal", None))
            .expect("eve adds");
        ana.merge_from(&eve).expect("merge");
        ana.documents().expect("load");
        let removed =
            removal::removed_devices(&node::offline_access(&ana).expect("access").current());
        assert!(removal::sweep(&ana, &removed).expect("sweep").undone > 0);
        rt.block_on(eve.close());
        rt.block_on(ana.close());
    }
    let mut h = harness(Backend::inline(&app.path), AreaTab::Team);
    h.get_by_label("Changes after a removal");
    h.get_by_label_contains("1 change(s) by Eve Novak's device");
    click(&mut h, "Keep them");
    click(&mut h, "Yes, keep them");
    h.get_by_label_contains("Kept: 1 record(s)");
    click(&mut h, "Tasks");
    h.get_by_label("Eve's task after her removal");
}
