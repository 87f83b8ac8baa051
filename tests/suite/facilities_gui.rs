//! Facilities driven as a coordinator would, with egui_kittest: a request
//! reported from the quick-add row (by whoever is using the app), and an
//! older one past its SLA on the dashboard card and in the list.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, retype, workspace};
use egui_kittest::kittest::Queryable;

#[test]
fn a_request_is_reported_and_one_past_its_sla_is_flagged() {
    let app = workspace(|store| {
        let site = store.ensure_site("HQ").expect("site");
        store
            .create(MaintenanceRequest {
                id: new_id(),
                title: "Broken door".into(),
                site,
                priority: Priority::High,
                opened_at: Some(Stamp::from_millis(1_767_600_000_000)),
                ..Default::default()
            })
            .expect("request");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.get_by_label_contains("Maintenance past SLA: 1");
    click(&mut h, "Open facilities");
    h.get_by_label("Past SLA (1)");
    retype(&mut h, "What is wrong", "Kitchen tap leaks");
    retype(&mut h, "Site", "HQ");
    retype(&mut h, "Where", "2nd floor kitchen");
    retype(&mut h, "Priority", "urgent");
    click(&mut h, "Report");
    h.get_by_label("Open (2)");
    h.get_by_label("Broken door (past SLA)").click();
    h.run();
    h.get_by_label_contains("past its SLA");
    let store = h.state_mut().backend_mut().store().expect("store");
    let tap = store
        .list::<MaintenanceRequest>(false)
        .expect("requests")
        .into_iter()
        .find(|r| r.title == "Kitchen tap leaks")
        .expect("reported");
    assert_eq!(tap.priority, Priority::Urgent);
    assert_eq!(tap.reporter.as_deref(), Some("Ana Ruiz"));
    assert_eq!(tap.status, RequestStatus::New);
}

#[test]
fn a_laptop_is_added_handed_out_and_a_leavers_equipment_taken_back() {
    let app = workspace(|store| {
        store.ensure_site("HQ").expect("site");
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Facilities);
    click(&mut h, "Equipment (0)");
    retype(&mut h, "Asset tag", "LT-0042");
    retype(&mut h, "Thing", "Laptop");
    retype(&mut h, "At site", "HQ");
    click(&mut h, "Add asset");
    h.get_by_label("Equipment (1)");
    h.get_by_label("LT-0042").click();
    h.run();
    retype(&mut h, "Hand to", "Ben Ode");
    click(&mut h, "Hand out");
    h.get_by_label("Held by Ben Ode");
    // Ben leaves: his plan's equipment step lists the laptop to take back.
    h.state_mut().prefs.area = AreaTab::Onboarding;
    h.run();
    click(&mut h, "Someone leaves");
    retype(&mut h, "Person's name", "Ben Ode");
    retype(&mut h, "Last day", "2026-12-18");
    click(&mut h, "Start plan");
    h.get_by_label("LT-0042 Laptop");
    click(&mut h, "Take back");
    h.get_by_label("Ben Ode holds no equipment");
    let store = h.state_mut().backend_mut().store().expect("store");
    let laptop = &store.list::<Asset>(false).expect("assets")[0];
    assert_eq!(laptop.holder, None);
    assert_eq!(laptop.status, AssetStatus::InStock);
    assert_eq!(laptop.events().len(), 2, "handed out and taken back");
}
