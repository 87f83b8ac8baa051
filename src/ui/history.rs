//! A record's history, at the foot of every details form: who changed
//! which field, when and from which device; "Restore version N" sets the
//! record back to how it was right after that change (as a new change,
//! which Ctrl+Z takes back). Loaded by the backend only while open.

use super::backend::Command;
use crate::ops::Op;
use crate::store::Moment;
use crate::views::RecordHistory;

/// The collapsible "History" section for record `id` of `kind`.
pub fn section(
    ui: &mut egui::Ui,
    kind: &'static str,
    id: &str,
    shown: Option<&RecordHistory>,
    commands: &mut Vec<Command>,
) {
    let asked = egui::Id::unique(("history asked", kind, id));
    let header = egui::CollapsingHeader::new("Change history")
        .id_salt(("history", kind, id))
        .default_open(false)
        .show(ui, |ui| {
            let history = shown.filter(|h| h.kind == kind && h.id == id);
            let Some(history) = history else {
                // Ask once per opening; the backend keeps it current.
                if !ui.data(|d| d.get_temp::<bool>(asked).unwrap_or(false)) {
                    ui.data_mut(|d| d.insert_temp(asked, true));
                    commands.push(Command::ShowHistory {
                        record: Some((kind.to_string(), id.to_string())),
                    });
                }
                ui.label("Loading the history…");
                return;
            };
            entries(ui, kind, id, history, commands);
        });
    if header.body_returned.is_none() && ui.data(|d| d.get_temp::<bool>(asked).unwrap_or(false)) {
        ui.data_mut(|d| d.remove::<bool>(asked));
        commands.push(Command::ShowHistory { record: None });
    }
}

fn entries(
    ui: &mut egui::Ui,
    kind: &'static str,
    id: &str,
    history: &RecordHistory,
    commands: &mut Vec<Command>,
) {
    use crate::model::schema::FieldText;
    let last = history.entries.len();
    egui::Grid::new(("history rows", kind, id))
        .num_columns(3)
        .striped(true)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (n, e) in history.entries.iter().enumerate().rev() {
                let what = if e.created {
                    "created it".to_string()
                } else {
                    format!("changed {}", e.fields.join(", ").to_lowercase())
                };
                ui.label(e.at.to_text());
                ui.label(format!("{} {what}", e.by))
                    .on_hover_text(format!("{}\nfrom device {}", e.action, &e.device[..e.device.len().min(12)]));
                if n + 1 < last {
                    let restore = ui
                        .button(format!("Restore version {}", n + 1))
                        .on_hover_text("Set it back to how it was right after this change (Ctrl+Z takes it back)");
                    if restore.clicked() {
                        commands.push(Command::Op(Op::RestoreVersion {
                            kind: kind.to_string(),
                            id: id.to_string(),
                            to: Moment::After(e.change.clone()),
                        }));
                    }
                } else {
                    ui.weak("current");
                }
                ui.end_row();
            }
        });
}
