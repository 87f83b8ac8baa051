//! Conflicts: every field, in every area, that two people changed at once
//! while apart. Each shows its values in words, who set each and when;
//! "Keep …" writes that value over the others, and once synced the
//! conflict is gone on every device. Until then every device shows the
//! first value.

use super::areas::Jump;
use super::backend::{Command, ViewModel};
use crate::model::schema::FieldText;
use crate::ops::Op;
use crate::ops::conflicts::Conflict;

#[derive(Default)]
pub struct ConflictsState {
    /// A record to open (the app navigates there).
    pub open: Option<Jump>,
}

/// The sidebar's count: fields in conflict.
pub fn badge(vm: &ViewModel) -> Option<(usize, String)> {
    let n = vm.conflicts.len();
    (n > 0).then(|| (n, format!("{n} field(s) hold two values: pick one")))
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut ConflictsState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.heading("Conflicts");
    ui.label(
        "Fields two people changed at once while apart. Nothing was lost: every value is kept until you pick one, and every device shows the first until then.",
    );
    ui.add_space(6.0);
    if vm.conflicts.is_empty() {
        ui.label("No conflicts: every field holds one value.");
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (n, conflict) in vm.conflicts.iter().enumerate() {
            card(ui, state, n, conflict, commands);
        }
    });
}

fn card(
    ui: &mut egui::Ui,
    state: &mut ConflictsState,
    n: usize,
    c: &Conflict,
    commands: &mut Vec<Command>,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{} “{}”", capitalized(c.label), c.name));
            ui.label(format!("· {}", c.field_label));
            if let Some(jump) = Jump::created(c.kind, &c.id)
                && ui.small_button("Open").clicked()
            {
                state.open = Some(jump);
            }
        });
        egui::Grid::new(("conflict", n))
            .num_columns(3)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (i, v) in c.values.iter().enumerate() {
                    ui.label(format!("“{}”", v.text));
                    let when = v.at.map(|a| a.to_text()).unwrap_or_default();
                    let shown = if i == 0 { " (shown now)" } else { "" };
                    ui.weak(format!("set by {} {when}{shown}", v.by));
                    let keep = ui
                        .button(format!("Keep “{}”", short(&v.text)))
                        .on_hover_text(format!(
                            "Keep this value of {} on every device",
                            c.field_label.to_lowercase()
                        ));
                    if keep.clicked() {
                        commands.push(Command::Op(Op::Resolve {
                            kind: c.kind.to_string(),
                            id: c.id.clone(),
                            field: c.field.clone(),
                            pick: v.text.clone(),
                        }));
                    }
                    ui.end_row();
                }
            });
    });
}

fn capitalized(label: &str) -> String {
    let mut out = label.to_string();
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// A value short enough for a button.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}
