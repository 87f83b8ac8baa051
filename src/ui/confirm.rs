//! Asking before a destructive action: the first click arms the action and
//! says what will happen; only "Yes" does it. One confirmation at a time
//! per screen, remembered by a key (e.g. the record id).

/// Which action, if any, is waiting for confirmation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pending(Option<String>);

impl Pending {
    /// Draws `button`; once clicked, shows `question` with Yes / Cancel in
    /// its place. Returns true on the click that confirms.
    pub fn button(&mut self, ui: &mut egui::Ui, key: &str, button: &str, question: &str) -> bool {
        if self.0.as_deref() != Some(key) {
            if ui.button(button).clicked() {
                self.0 = Some(key.to_string());
            }
            return false;
        }
        let mut confirmed = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.colored_label(super::WARN_COLOR, question);
            ui.horizontal(|ui| {
                if ui
                    .button(format!("Yes, {}", button.to_lowercase()))
                    .clicked()
                {
                    confirmed = true;
                    self.0 = None;
                }
                if ui.button("Cancel").clicked() {
                    self.0 = None;
                }
            });
        });
        confirmed
    }

    /// A "Delete …" button that asks `question` first, then moves the
    /// record to the trash. Returns true when it did.
    pub fn trash(
        &mut self,
        ui: &mut egui::Ui,
        kind: &str,
        id: &str,
        button: &str,
        question: &str,
        commands: &mut Vec<super::backend::Command>,
    ) -> bool {
        let confirmed = self.button(ui, id, button, question);
        if confirmed {
            commands.push(super::backend::Command::Op(crate::ops::Op::Delete {
                kind: kind.into(),
                id: id.into(),
            }));
        }
        confirmed
    }
}
