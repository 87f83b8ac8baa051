//! Driving the app's screens in kittest harnesses.

use bureau::ui::backend::Backend;
use bureau::ui::{AreaTab, BureauApp, Prefs};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Replaces the text of the text box labelled `label` with `text`, as a
/// person would: focus it, select everything, delete it, type. Does not
/// commit.
pub fn retype(h: &mut Harness<'_, BureauApp>, label: &str, text: &str) {
    let role = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(role, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

pub struct App {
    pub _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

/// A data directory with a workspace (and whatever `fill` adds).
pub fn workspace(fill: impl FnOnce(&bureau::store::Store)) -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data");
    let rt = super::runtime();
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

pub fn harness(backend: Backend, area: AreaTab) -> Harness<'static, BureauApp> {
    let prefs = Prefs {
        area,
        dark_mode: Some(false),
        ..Default::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        // Frames 1/60 s apart, as on screen (toasts stay for seconds).
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, app: &mut BureauApp| app.show(ui),
            BureauApp::new(backend, prefs),
        );
    harness.run();
    harness
}

/// Clicks the widget labelled `label` and lets the app settle.
pub fn click(harness: &mut Harness<'_, BureauApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

pub fn type_into(harness: &mut Harness<'_, BureauApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}
