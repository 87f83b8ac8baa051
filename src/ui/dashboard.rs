//! "What is slipping": every area's cards from the registry, in two columns.

use super::areas::{Jump, all_cards};
use super::backend::ViewModel;

/// Draws the dashboard; returns where to go when a card's button is clicked.
pub fn show(ui: &mut egui::Ui, vm: &ViewModel) -> Option<Jump> {
    let mut jump = None;
    ui.heading("What is slipping");
    ui.add_space(8.0);
    let cards = all_cards(vm);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.columns(2, |cols| {
            let half = cards.len().div_ceil(2);
            for (i, card) in cards.into_iter().enumerate() {
                let ui = &mut cols[usize::from(i >= half)];
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.strong(&card.title);
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                    for (line, open) in &card.lines {
                        let row = ui
                            .add(egui::Button::new(line).frame(false))
                            .on_hover_text("Open");
                        if row.clicked() {
                            jump = Some(open.clone());
                        }
                    }
                    if card.more > 0
                        && ui
                            .add(egui::Button::new(format!("+{} more", card.more)).frame(false))
                            .clicked()
                    {
                        jump = Some(card.open.1.clone());
                    }
                });
                if ui.button(card.open.0).clicked() {
                    jump = Some(card.open.1);
                }
                ui.add_space(6.0);
            }
        });
    });
    jump
}
