//! The receive dialog: what arrived of each outstanding line of a purchase
//! order, at which site. Receiving adds the stock of inventory lines at
//! that site in the same action.

use std::collections::BTreeMap;

use super::backend::{Command, ViewModel};
use crate::ops::Op;

pub struct ReceiveDialog {
    pub order: String,
    pub site: Option<String>,
    /// Order line id -> quantity typed (starts at what is outstanding).
    pub quantities: BTreeMap<String, String>,
    /// Sent; waiting to hear it was saved.
    pub pending: bool,
}

impl ReceiveDialog {
    /// Everything outstanding, at the order's ship-to site.
    pub fn new(order: &str, vm: &ViewModel) -> Self {
        let view = &vm.purchasing;
        let quantities = view
            .progress
            .get(order)
            .map(|lines| {
                lines
                    .iter()
                    .filter(|l| l.outstanding() > 0)
                    .map(|l| (l.line.clone(), l.outstanding().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        ReceiveDialog {
            order: order.to_string(),
            site: view.order(order).and_then(|o| o.site.clone()),
            quantities,
            pending: false,
        }
    }
}

/// Draws the dialog; returns false once it should close.
pub fn show(
    ctx: &egui::Context,
    dialog: &mut ReceiveDialog,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) -> bool {
    let view = &vm.purchasing;
    let Some(po) = view.order(&dialog.order) else {
        return false;
    };
    let progress = view.progress.get(&po.id).cloned().unwrap_or_default();
    let mut keep = true;
    let mut problem: Option<String> = None;
    egui::Window::new(format!("Receive {}", po.number))
        .collapsible(false)
        .open(&mut keep)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Arrived at");
                let shown = dialog
                    .site
                    .as_deref()
                    .map_or("—".to_string(), |s| vm.site_name(s).to_string());
                egui::ComboBox::from_id_salt("receive site")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for site in vm.sites.iter() {
                            let chosen = dialog.site.as_ref() == Some(&site.id);
                            if ui.selectable_label(chosen, &site.name).clicked() {
                                dialog.site = Some(site.id.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(l.id);
            });
            egui::Grid::new("receive lines")
                .num_columns(5)
                .striped(true)
                .show(ui, |ui| {
                    for h in ["Line", "Ordered", "Received", "Outstanding", "Receive now"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for line in progress.iter().filter(|l| l.outstanding() > 0) {
                        let name = ui.label(&line.description);
                        ui.label(line.ordered.to_string());
                        ui.label(line.received.to_string());
                        ui.label(line.outstanding().to_string());
                        let typed = dialog.quantities.entry(line.line.clone()).or_default();
                        let edit = ui
                            .add(egui::TextEdit::singleline(typed).desired_width(50.0))
                            .labelled_by(name.id);
                        edit.on_hover_text("0 or empty: nothing of this line arrived");
                        match typed.trim() {
                            "" => {}
                            t => match t.parse::<i64>() {
                                Ok(q) if q < 0 => {
                                    problem = Some(format!("{}: type 0 or more", line.description))
                                }
                                Ok(q) if q > line.outstanding() => {
                                    problem = Some(format!(
                                        "{}: only {} outstanding",
                                        line.description,
                                        line.outstanding()
                                    ))
                                }
                                Ok(_) => {}
                                Err(_) => {
                                    problem =
                                        Some(format!("{}: type a whole number", line.description))
                                }
                            },
                        }
                        ui.end_row();
                    }
                });
            // Only lines still outstanding (a receipt synced in meanwhile
            // may have completed one).
            let lines: Vec<(String, i64)> = progress
                .iter()
                .filter(|l| l.outstanding() > 0)
                .filter_map(|l| {
                    let typed = dialog.quantities.get(&l.line)?;
                    Some((l.line.clone(), typed.trim().parse::<i64>().ok()?))
                })
                .filter(|(_, q)| *q > 0)
                .collect();
            let ready = match (&dialog.site, &problem) {
                (_, Some(p)) => Err(p.clone()),
                (None, _) => Err("Pick the site where it arrived".to_string()),
                (Some(_), None) if lines.is_empty() => Err("Type what arrived".to_string()),
                (Some(site), None) => Ok(site.clone()),
            };
            match ready {
                _ if dialog.pending => {
                    ui.add_enabled(false, egui::Button::new("Saving…"));
                }
                Ok(site) => {
                    if ui.button("Receive").clicked() {
                        commands.push(Command::Op(Op::Receive {
                            order: po.id.clone(),
                            site,
                            lines,
                            receipt: None,
                        }));
                        dialog.pending = true;
                    }
                }
                Err(why) => {
                    ui.add_enabled(false, egui::Button::new("Receive"));
                    ui.colored_label(super::WARN_COLOR, why);
                }
            }
        });
    keep
}
