//! Docs and People driven as a coordinator would, with egui_kittest: an
//! SOP added, its text typed (saved once typing pauses) and read rendered,
//! an earlier version put back from History; a document due for review on
//! the dashboard; people added with managers and the org chart folded.

#![cfg(feature = "gui")]

use crate::common;

use bureau::model::*;
use bureau::ui::AreaTab;
use bureau::ui::backend::Backend;
use common::app::{click, harness, retype, workspace};
use egui_kittest::kittest::Queryable;

fn body(h: &mut egui_kittest::Harness<'_, bureau::ui::BureauApp>) -> String {
    let store = h.state_mut().backend_mut().store().expect("store");
    let doc = store.list::<Doc>(false).expect("docs")[0].clone();
    store.body_text(&doc.body_doc).expect("text")
}

#[test]
fn an_sop_is_written_read_and_an_earlier_version_put_back() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline(&app.path), AreaTab::Docs);
    retype(&mut h, "Title", "Fire safety");
    retype(&mut h, "Category", "sop");
    click(&mut h, "Add document");
    h.get_by_label("All (1)");
    h.get_by_label("Fire safety").click();
    h.run();
    h.get_by_label("No text yet: write it under Edit.");
    click(&mut h, "Edit");
    h.get_by_label("Text").focus();
    h.run();
    h.get_by_label("Text")
        .type_text("# Fire drill\n\nLeave by the **stairs**.");
    // Saved once typing pauses (under a second).
    h.run_steps(60);
    assert_eq!(body(&mut h), "# Fire drill\n\nLeave by the **stairs**.");
    click(&mut h, "Read");
    h.get_by_label("Fire drill");
    h.get_by_label("stairs");
    // A second version, then the first put back from History.
    click(&mut h, "Edit");
    h.get_by_label("Text").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Text")
        .type_text("# Fire drill\n\nLeave by the lift.");
    h.run_steps(60);
    assert_eq!(body(&mut h), "# Fire drill\n\nLeave by the lift.");
    click(&mut h, "History");
    h.get_by_label("From version 2 to version 3");
    h.get_by_label_contains("+ Leave by the lift.");
    click(&mut h, "Restore version 2");
    click(&mut h, "Yes, restore version 2");
    h.run_steps(4);
    assert_eq!(body(&mut h), "# Fire drill\n\nLeave by the **stairs**.");
}

#[test]
fn a_document_due_for_review_is_on_the_dashboard_and_marked_reviewed() {
    let app = workspace(|store| {
        let mut session = bureau::ops::Session::open(store).expect("session");
        let doc = session
            .apply(
                store,
                bureau::ops::Op::CreateDoc {
                    fields: vec![
                        ("title".into(), "Leave policy".into()),
                        ("category".into(), "policy".into()),
                        ("review_months".into(), "12".into()),
                        ("review_date".into(), "2026-01-05".into()),
                    ],
                    body: "Ask two weeks ahead.".into(),
                },
            )
            .expect("doc")
            .created
            .expect("id");
        assert!(!doc.is_empty());
    });
    let mut h = harness(Backend::inline(&app.path), AreaTab::Dashboard);
    h.get_by_label_contains("Review overdue: 1");
    click(&mut h, "Open documents due for review");
    h.get_by_label("Review due (1)");
    h.get_by_label_contains("Leave policy").click();
    h.run();
    h.get_by_label("Ask two weeks ahead.");
    click(&mut h, "Mark reviewed today");
    h.get_by_label_contains("Next review");
    let store = h.state_mut().backend_mut().store().expect("store");
    let doc = &store.list::<Doc>(false).expect("docs")[0];
    assert!(doc.review_date > Some(Date(chrono::Local::now().date_naive())));
}

#[test]
fn people_are_added_with_managers_and_the_org_chart_shows_the_tree() {
    let app = workspace(|_| {});
    let mut h = harness(Backend::inline(&app.path), AreaTab::People);
    h.get_by_label("Directory (1)");
    retype(&mut h, "Name", "Ben Ode");
    retype(&mut h, "Title", "Facilities lead");
    retype(&mut h, "Manager", "Ana Ruiz");
    click(&mut h, "Add person");
    h.get_by_label("Directory (2)");
    h.get_by_label("Ben Ode");
    click(&mut h, "Org chart");
    h.get_by_label("Ana Ruiz (1)");
    h.get_by_label("Ben Ode — Facilities lead");
    // Folding Ana's reports away hides Ben.
    click(&mut h, "Ana Ruiz (1)");
    assert!(h.query_by_label("Ben Ode — Facilities lead").is_none());
    let store = h.state_mut().backend_mut().store().expect("store");
    let people = store.list::<Person>(false).expect("people");
    let ana = people.iter().find(|p| p.name == "Ana Ruiz").expect("Ana");
    let ben = people.iter().find(|p| p.name == "Ben Ode").expect("Ben");
    assert_eq!(ben.manager.as_deref(), Some(ana.id.as_str()));
}
