//! Ctrl+K: jump to any area or record by typing part of its name.

use super::areas::{AREAS, Jump};
use super::backend::ViewModel;

#[derive(Default)]
pub struct PaletteState {
    pub open: bool,
    pub query: String,
    pub just_opened: bool,
}

pub fn show(ctx: &egui::Context, state: &mut PaletteState, vm: &ViewModel) -> Option<Jump> {
    if !state.open {
        return None;
    }
    let mut choice = None;
    let mut open = true;
    egui::Window::new("Go to")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .open(&mut open)
        .show(ctx, |ui| {
            let label = ui.label("Go to area or record");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("type a name…")
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut state.just_opened) {
                edit.request_focus();
            }
            let query = state.query.trim().to_lowercase();
            let mut results: Vec<(String, Jump)> = Vec::new();
            for area in &AREAS {
                if query.is_empty() || area.label.to_lowercase().contains(&query) {
                    results.push((format!("Area: {}", area.label), Jump::Area(area.tab)));
                }
            }
            if !query.is_empty() {
                for area in &AREAS {
                    results.extend((area.find)(vm, &query));
                }
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let mut first = None;
            for (index, (label, jump)) in results.into_iter().enumerate() {
                if ui
                    .selectable_label(index == 0 && !query.is_empty(), &label)
                    .clicked()
                {
                    choice = Some(jump);
                } else if index == 0 {
                    first = Some(jump);
                }
            }
            if enter && choice.is_none() {
                choice = first;
            }
        });
    if !open || choice.is_some() {
        state.open = false;
        state.query.clear();
    }
    choice
}
