//! Past years on the Tasks screen, driven as an admin would with
//! egui_kittest: nothing archived yet, "Archive past years" asked and
//! confirmed, the archived tasks listed and searched, the live list left
//! with open work.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, type_into, workspace};
use egui_kittest::kittest::Queryable;

fn finished(store: &bureau::store::Store, title: &str, y: i32) -> String {
    let at = chrono::NaiveDate::from_ymd_opt(y, 6, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("time")
        .and_utc();
    store
        .create(Task {
            id: new_id(),
            title: title.into(),
            status: TaskStatus::Done,
            completed_at: Some(Stamp(at)),
            ..Default::default()
        })
        .expect("task")
}

#[test]
fn an_admin_archives_past_years_and_finds_an_old_task_by_its_words() {
    let mut old = String::new();
    let app = workspace(|s| {
        common::net::add_task(s, "Order toner");
        old = finished(s, "Renew the lease", 2024);
        finished(s, "Move the server room", 2023);
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Tasks);
    click(&mut h, "Past years");
    h.run_steps(2);
    h.get_by_label("Nothing is archived yet.");

    click(&mut h, "Archive past years");
    h.get_by_label_contains("move to one archive per year");
    click(&mut h, "Yes, archive past years");
    h.run_steps(3);
    h.get_by_label("2 archived task(s)");
    h.get_by_label("Renew the lease");
    h.get_by_label("Move the server room");
    let store = h.state_mut().backend_mut().store().expect("store");
    assert!(
        store.get::<Task>(&old).expect("read").is_none(),
        "left the live list"
    );

    type_into(&mut h, "Search", "server");
    h.run_steps(2);
    h.get_by_label("1 archived task(s)");
    assert!(h.query_by_label("Renew the lease").is_none());

    // Back to the table: open work only.
    click(&mut h, "Table");
    h.run_steps(2);
    h.get_by_label("Order toner");
    assert!(h.query_by_label("Move the server room").is_none());
}
