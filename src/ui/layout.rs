//! Layout shared by the areas: the selected record's details on the right,
//! as a side panel on wide windows and floating over the table below
//! 1200 px (so the table is never squeezed unreadable).

/// Shows `contents` as the details of the selected record.
pub fn details_side(ui: &mut egui::Ui, id_salt: &str, contents: impl FnOnce(&mut egui::Ui)) {
    let screen = ui.ctx().content_rect();
    if screen.width() < 1200.0 {
        egui::Window::new(id_salt)
            .title_bar(false)
            .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-8.0, 96.0))
            .resizable(false)
            .default_width(380.0)
            .show(ui.ctx(), |ui| {
                egui::ScrollArea::vertical()
                    .id_salt(id_salt)
                    .max_height(screen.height() - 150.0)
                    .show(ui, contents);
            });
    } else {
        egui::Panel::right(id_salt)
            .default_size(380.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt(id_salt)
                    .show(ui, contents);
            });
    }
}

/// The record `selected` names, if it is still there; forgets it if not
/// (deleted on another device, or trashed here: its details close).
pub fn still_there(
    selected: &mut Option<String>,
    exists: impl FnOnce(&str) -> bool,
) -> Option<String> {
    match selected.as_deref() {
        Some(id) if exists(id) => selected.clone(),
        _ => {
            *selected = None;
            None
        }
    }
}
