//! Driving the app's screens in kittest harnesses.

use bureau::ui::BureauApp;
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
