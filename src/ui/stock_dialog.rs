//! The stock dialog of one item at one site: record a count, adjust by a
//! number with a reason, or move stock to another site. It names the item
//! and the site, says next to the field what to type, submits on Enter, and
//! asks before taking stock below zero.

use super::backend::{Command, ViewModel};
use crate::ops::Op;

/// What the dialog does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockAction {
    Count,
    Adjust,
    Move,
}

/// Reasons offered for an adjustment (stored with the movement).
pub const REASONS: [&str; 5] = ["used", "damaged", "found", "received", "other"];

/// An open stock dialog.
#[derive(Debug, Clone)]
pub struct StockDialog {
    pub item: String,
    pub site: String,
    pub action: StockAction,
    pub quantity: String,
    pub reason: &'static str,
    pub note: String,
    pub to_site: Option<String>,
    /// Below-zero result awaiting a second "Yes".
    pub confirm_negative: bool,
    focus: bool,
}

impl StockDialog {
    pub fn new(item: &str, site: &str, action: StockAction, on_hand: i64) -> Self {
        StockDialog {
            item: item.to_string(),
            site: site.to_string(),
            action,
            quantity: match action {
                StockAction::Count => on_hand.to_string(),
                _ => String::new(),
            },
            reason: REASONS[0],
            note: String::new(),
            to_site: None,
            confirm_negative: false,
            focus: true,
        }
    }
}

/// Draws the dialog; returns false once it is closed.
pub fn show(
    ctx: &egui::Context,
    dialog: &mut StockDialog,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) -> bool {
    let Some(stock) = vm.items.iter().find(|i| i.item.id == dialog.item) else {
        return false;
    };
    let site_name = vm.site_name(&dialog.site).to_string();
    let on_hand = stock.on_hand.get(&dialog.site).copied().unwrap_or(0);
    let title = match dialog.action {
        StockAction::Count => format!("Count {} at {site_name}", stock.item.name),
        StockAction::Adjust => format!("Adjust {} at {site_name}", stock.item.name),
        StockAction::Move => format!("Move {} from {site_name}", stock.item.name),
    };
    let mut open = true;
    let mut done = false;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .open(&mut open)
        .show(ctx, |ui| {
            ui.label(format!("On hand here: {on_hand} {}", stock.item.unit));
            let label = ui.label(match dialog.action {
                StockAction::Count => "Counted",
                StockAction::Adjust => "Change by",
                StockAction::Move => "Quantity to move",
            });
            let edit = ui
                .add(egui::TextEdit::singleline(&mut dialog.quantity).desired_width(120.0))
                .labelled_by(label.id);
            if std::mem::take(&mut dialog.focus) {
                edit.request_focus();
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let parsed = dialog.quantity.trim().parse::<i64>().ok();
            let problem = match (dialog.action, parsed) {
                (_, None) => Some("type a whole number, e.g. 12"),
                (StockAction::Count, Some(n)) if n < 0 => Some("a count is 0 or more"),
                (StockAction::Adjust, Some(0)) => {
                    Some("type how many to add (12) or take out (-3)")
                }
                (StockAction::Move, Some(n)) if n <= 0 => Some("type how many to move (1 or more)"),
                _ => None,
            };
            if let Some(problem) = problem {
                ui.colored_label(super::ERROR_COLOR, problem);
            }
            if dialog.action == StockAction::Adjust {
                ui.horizontal_wrapped(|ui| {
                    ui.label("Reason");
                    for reason in REASONS {
                        ui.selectable_value(&mut dialog.reason, reason, reason);
                    }
                });
                let label = ui.label("Note (optional)");
                ui.add(egui::TextEdit::singleline(&mut dialog.note))
                    .labelled_by(label.id);
            }
            if dialog.action == StockAction::Move {
                let others: Vec<_> = vm.sites.iter().filter(|s| s.id != dialog.site).collect();
                if dialog.to_site.is_none() {
                    dialog.to_site = others.first().map(|s| s.id.clone());
                }
                let label = ui.label("To site");
                let shown = dialog
                    .to_site
                    .as_deref()
                    .map_or("no other site yet".to_string(), |s| {
                        vm.site_name(s).to_string()
                    });
                egui::ComboBox::from_id_salt("move to site")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for s in &others {
                            ui.selectable_value(&mut dialog.to_site, Some(s.id.clone()), &s.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
            let after = match (dialog.action, parsed) {
                (StockAction::Count, Some(n)) => n,
                (StockAction::Adjust, Some(n)) => on_hand + n,
                (StockAction::Move, Some(n)) => on_hand - n,
                _ => on_hand,
            };
            let negative = after < 0;
            if negative {
                ui.colored_label(
                    super::WARN_COLOR,
                    format!("This leaves {after} on hand here (below zero)."),
                );
            }
            let verb = match dialog.action {
                StockAction::Count => "Record count",
                StockAction::Adjust => "Adjust",
                StockAction::Move => "Move",
            };
            let ready = problem.is_none()
                && (dialog.action != StockAction::Move || dialog.to_site.is_some());
            ui.horizontal(|ui| {
                let label = if negative && dialog.confirm_negative {
                    "Yes, go below zero".to_string()
                } else {
                    verb.to_string()
                };
                let go =
                    ui.add_enabled(ready, egui::Button::new(label)).clicked() || (enter && ready);
                if go && negative && !dialog.confirm_negative {
                    dialog.confirm_negative = true;
                } else if go {
                    commands.push(Command::Op(op(dialog, parsed.unwrap_or(0))));
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
    open && !done
}

fn op(dialog: &StockDialog, n: i64) -> Op {
    let (item, site) = (dialog.item.clone(), dialog.site.clone());
    match dialog.action {
        StockAction::Count => Op::CountStock {
            item,
            site,
            counted: n,
        },
        StockAction::Adjust => {
            let note = dialog.note.trim();
            let reason = if note.is_empty() {
                dialog.reason.to_string()
            } else {
                format!("{}: {note}", dialog.reason)
            };
            Op::AdjustStock {
                item,
                site,
                by: n,
                reason: Some(reason),
            }
        }
        StockAction::Move => Op::TransferStock {
            item,
            from: site,
            to: dialog.to_site.clone().unwrap_or_default(),
            qty: n,
        },
    }
}
