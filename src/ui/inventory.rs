//! Inventory: items with on-hand per site (low stock highlighted), +/−
//! buttons and a count dialog that record movements, and adding items.

use egui_extras::{Column, TableBuilder};

use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form};
use super::stock_dialog::{StockAction, StockDialog};
use crate::model::{InventoryItem, Record};
use crate::ops::Op;

#[derive(Default)]
pub struct InventoryState {
    pub site: Option<String>,
    pub search: String,
    /// The open count / adjust / move dialog.
    pub dialog: Option<StockDialog>,
    pub adding: bool,
    pub new_name: String,
    pub new_unit: String,
    pub new_reorder: String,
    pub new_qty: String,
    pub errors: FieldErrors,
    pub confirm: super::confirm::Pending,
    /// Show only items low at the chosen site.
    pub low_only: bool,
    /// "Sites…" was clicked: the shell opens the sites window.
    pub manage_sites: bool,
    /// Sort column and whether descending.
    pub sort: (Sort, bool),
    /// Totals over every site instead of one site's stock.
    pub all_sites: bool,
    /// The site whose typed reorder level was not a number.
    pub level_error: Option<String>,
}

/// What the inventory table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    OnHand,
    Reorder,
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut InventoryState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    if let Some((item, moves)) = &vm.movements {
        egui::Panel::right("movements")
            .default_size(320.0)
            .show(ui, |ui| {
                let name = vm
                    .items
                    .iter()
                    .find(|i| &i.item.id == item)
                    .map_or("", |i| i.item.name.as_str());
                ui.horizontal(|ui| {
                    ui.heading(format!("History: {name}"));
                    if ui.button("Close").clicked() {
                        commands.push(Command::ShowMovements { item: None });
                    }
                });
                edit_item(ui, state, vm, item, commands);
                ui.strong("Movements");
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for m in moves.iter() {
                        let counted = m
                            .counted
                            .map(|c| format!(" (counted {c})"))
                            .unwrap_or_default();
                        let who = vm
                            .members
                            .iter()
                            .find(|p| p.member_id == m.created_by)
                            .map_or("someone", |p| p.name.as_str());
                        ui.label(format!(
                            "{}  {}  {} {:+}{counted}  {}  — {who}",
                            m.created_at,
                            vm.site_name(&m.site),
                            m.kind,
                            m.delta,
                            m.reason.as_deref().unwrap_or("")
                        ));
                    }
                });
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if state
            .site
            .as_ref()
            .is_none_or(|s| !vm.sites.iter().any(|site| &site.id == s))
        {
            state.site = vm.sites.first().map(|s| s.id.clone());
        }
        ui.horizontal(|ui| {
            let current = if state.all_sites {
                "All sites".to_string()
            } else {
                state
                    .site
                    .as_deref()
                    .map(|s| vm.site_name(s).to_string())
                    .unwrap_or_else(|| "no sites yet".into())
            };
            let label = ui.label("Site");
            egui::ComboBox::from_id_salt("inventory site")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(state.all_sites, "All sites").clicked() {
                        state.all_sites = true;
                    }
                    for site in vm.sites.iter() {
                        let chosen = !state.all_sites && state.site.as_ref() == Some(&site.id);
                        if ui.selectable_label(chosen, &site.name).clicked() {
                            state.site = Some(site.id.clone());
                            state.all_sites = false;
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label("Search");
            ui.add(egui::TextEdit::singleline(&mut state.search))
                .labelled_by(label.id);
            ui.checkbox(&mut state.low_only, "Low stock only");
            if ui.button("Sites…").clicked() {
                state.manage_sites = true;
            }
            if ui.button("Add item (Ctrl+N)").clicked() {
                state.adding = true;
            }
        });
        if state.adding {
            add_form(ui, state, vm, commands);
        }
        if let Some(dialog) = state.dialog.as_mut()
            && !super::stock_dialog::show(ui.ctx(), dialog, vm, commands)
        {
            state.dialog = None;
        }
        ui.separator();
        let search = state.search.trim().to_lowercase();
        let mut items: Vec<_> = vm
            .items
            .iter()
            .filter(|i| search.is_empty() || i.item.name.to_lowercase().contains(&search))
            .filter(|i| {
                !state.low_only
                    || vm.low_stock.iter().any(|l| {
                        l.item.id == i.item.id
                            && (state.all_sites || Some(&l.site_id) == state.site.as_ref())
                    })
            })
            .collect();
        if state.all_sites {
            all_sites_table(ui, &items, vm, commands);
            return;
        }
        let Some(site) = state.site.clone() else {
            ui.label("Add an item with a site to start tracking stock.");
            return;
        };
        let here = |i: &crate::store::ItemStock| i.on_hand.get(&site).copied().unwrap_or(0);
        match state.sort {
            (Sort::Name, _) => items.sort_by_key(|i| i.item.name.to_lowercase()),
            (Sort::OnHand, _) => items.sort_by_key(|i| here(i)),
            (Sort::Reorder, _) => items.sort_by_key(|i| i.item.reorder_threshold(&site)),
        }
        if state.sort.1 {
            items.reverse();
        }
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::remainder().at_least(100.0).clip(true))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(280.0))
            .header(22.0, |mut row| {
                for (h, sort) in [
                    ("Item", Some(Sort::Name)),
                    ("Unit", None),
                    ("On hand", Some(Sort::OnHand)),
                    ("Reorder at", Some(Sort::Reorder)),
                    ("", None),
                ] {
                    row.col(|ui| match sort {
                        Some(sort) => {
                            let arrow = match state.sort {
                                (s, false) if s == sort => " ^",
                                (s, true) if s == sort => " v",
                                _ => "",
                            };
                            if ui.button(format!("{h}{arrow}")).clicked() {
                                state.sort = if state.sort.0 == sort {
                                    (sort, !state.sort.1)
                                } else {
                                    (sort, false)
                                };
                            }
                        }
                        None => {
                            ui.strong(h);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(26.0, items.len(), |mut row| {
                    let stock = items[row.index()];
                    let on_hand = stock.on_hand.get(&site).copied().unwrap_or(0);
                    let threshold = stock.item.reorder_threshold(&site);
                    let low = vm
                        .low_stock
                        .iter()
                        .any(|l| l.item.id == stock.item.id && l.site_id == site);
                    row.col(|ui| {
                        let name = ui
                            .add(egui::Label::new(&stock.item.name).sense(egui::Sense::click()))
                            .on_hover_text("Show the movement history");
                        if name.clicked() {
                            commands.push(Command::ShowMovements {
                                item: Some(stock.item.id.clone()),
                            });
                        }
                    });
                    row.col(|ui| {
                        ui.label(&stock.item.unit);
                    });
                    row.col(|ui| {
                        if low {
                            ui.colored_label(super::ERROR_COLOR, format!("{on_hand} LOW"));
                        } else {
                            ui.label(on_hand.to_string());
                        }
                    });
                    row.col(|ui| {
                        ui.label(threshold.to_string());
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            let below_zero = on_hand <= 0;
                            let take = ui.button("−").on_hover_text(if below_zero {
                                "Nothing on hand: opens Adjust to confirm going below zero"
                            } else {
                                "Take one out"
                            });
                            if take.clicked() {
                                if below_zero {
                                    let mut d = StockDialog::new(
                                        &stock.item.id,
                                        &site,
                                        StockAction::Adjust,
                                        on_hand,
                                    );
                                    d.quantity = "-1".into();
                                    state.dialog = Some(d);
                                } else {
                                    commands.push(Command::Op(Op::AdjustStock {
                                        item: stock.item.id.clone(),
                                        site: site.clone(),
                                        by: -1,
                                        reason: Some("used".into()),
                                    }));
                                }
                            }
                            if ui.button("+").on_hover_text("Put one in").clicked() {
                                commands.push(Command::Op(Op::AdjustStock {
                                    item: stock.item.id.clone(),
                                    site: site.clone(),
                                    by: 1,
                                    reason: Some("received".into()),
                                }));
                            }
                            for (label, action) in [
                                ("Adjust…", StockAction::Adjust),
                                ("Count…", StockAction::Count),
                                ("Move…", StockAction::Move),
                            ] {
                                if ui.button(label).clicked() {
                                    state.dialog = Some(StockDialog::new(
                                        &stock.item.id,
                                        &site,
                                        action,
                                        on_hand,
                                    ));
                                }
                            }
                        });
                    });
                });
            });
    });
}

fn add_form(
    ui: &mut egui::Ui,
    state: &mut InventoryState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.group(|ui| {
        let mut enter = false;
        ui.horizontal_wrapped(|ui| {
            let fields = [
                (
                    "Item name",
                    &mut state.new_name,
                    "e.g. printer paper",
                    160.0,
                ),
                ("Unit", &mut state.new_unit, "box, pack, each", 90.0),
                ("Reorder at", &mut state.new_reorder, "number", 60.0),
                ("Quantity here", &mut state.new_qty, "0", 60.0),
            ];
            for (label, text, hint, width) in fields {
                let label = ui.label(label);
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(text)
                            .hint_text(hint)
                            .desired_width(width),
                    )
                    .labelled_by(label.id);
                enter |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            }
        });
        let whole = |text: &str, empty: Option<i64>| -> Result<i64, ()> {
            match text.trim() {
                "" => empty.ok_or(()),
                t => t.parse::<i64>().ok().filter(|v| *v >= 0).ok_or(()),
            }
        };
        let reorder = whole(&state.new_reorder, None);
        let qty = whole(&state.new_qty, Some(0));
        let mut missing = Vec::new();
        if state.new_name.trim().is_empty() {
            missing.push("the item's name");
        }
        if state.new_unit.trim().is_empty() {
            missing.push("how it is counted (box, pack, each)");
        }
        if state.new_reorder.trim().is_empty() {
            missing.push("the level to reorder at");
        }
        let mut problems = Vec::new();
        if reorder.is_err() && !state.new_reorder.trim().is_empty() {
            problems.push(format!(
                "reorder at: type a whole number, 0 or more (not {:?})",
                state.new_reorder.trim()
            ));
        }
        if qty.is_err() {
            problems.push(format!(
                "quantity: type a whole number, 0 or more (not {:?})",
                state.new_qty.trim()
            ));
        }
        for problem in &problems {
            ui.colored_label(super::ERROR_COLOR, problem);
        }
        if !missing.is_empty() {
            ui.weak(format!("To add it, type {}.", missing.join(", ")));
        }
        let site_name = state
            .site
            .as_deref()
            .map(|s| vm.site_name(s).to_string())
            .unwrap_or_else(|| "HQ".into());
        ui.horizontal(|ui| {
            let ready = problems.is_empty() && missing.is_empty();
            let add = ui
                .add_enabled(ready, egui::Button::new(format!("Add at {site_name}")))
                .clicked();
            if (add || enter)
                && let (Ok(reorder_at), Ok(qty)) = (reorder, qty)
                && ready
            {
                commands.push(Command::Op(Op::CreateItem {
                    fields: vec![
                        ("name".into(), state.new_name.trim().into()),
                        ("unit".into(), state.new_unit.trim().into()),
                        ("reorder_at".into(), reorder_at.to_string()),
                    ],
                    site: Some(site_name),
                    qty,
                }));
                state.new_name.clear();
                state.new_qty.clear();
                state.adding = false;
            }
            if ui.button("Cancel").clicked() {
                state.adding = false;
            }
        });
    });
}

/// The selected item's described fields, each committing on its own.
fn edit_item(
    ui: &mut egui::Ui,
    state: &mut InventoryState,
    vm: &ViewModel,
    item: &str,
    commands: &mut Vec<Command>,
) {
    let Some(stock) = vm.items.iter().find(|i| i.item.id == item) else {
        return;
    };
    let vendors: Vec<(String, String)> = vm
        .purchasing
        .vendors
        .iter()
        .map(|v| (v.id.clone(), v.name.clone()))
        .collect();
    let references = [("vendors", vendors)].into();
    let cx = FormContext::of(vm, &references);
    details_form(ui, &stock.item, &cx, &mut state.errors, commands);
    site_levels(ui, state, vm, &stock.item, commands);
    let question = format!(
        "Move “{}” to the Trash? Its stock and history stay with it; you can restore it from Trash.",
        stock.item.name
    );
    if state
        .confirm
        .button(ui, &stock.item.id, "Delete item", &question)
    {
        commands.push(Command::Op(Op::Delete {
            kind: InventoryItem::KIND.into(),
            id: stock.item.id.clone(),
        }));
        commands.push(Command::ShowMovements { item: None });
    }
    ui.separator();
}

/// Every item with its total over all sites and the split per site; the
/// stock buttons need a site, so this view only reads.
fn all_sites_table(
    ui: &mut egui::Ui,
    items: &[&std::sync::Arc<crate::store::ItemStock>],
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    ui.weak("Totals over every site. Pick a site to count, adjust or move stock.");
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::remainder().at_least(140.0).clip(true))
        .column(Column::auto().at_least(60.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(260.0).clip(true))
        .header(22.0, |mut row| {
            for h in ["Item", "Unit", "Total", "By site"] {
                row.col(|ui| {
                    ui.strong(h);
                });
            }
        })
        .body(|body| {
            body.rows(24.0, items.len(), |mut row| {
                let stock = items[row.index()];
                row.col(|ui| {
                    if ui
                        .add(egui::Label::new(&stock.item.name).sense(egui::Sense::click()))
                        .clicked()
                    {
                        commands.push(Command::ShowMovements {
                            item: Some(stock.item.id.clone()),
                        });
                    }
                });
                row.col(|ui| {
                    ui.label(&stock.item.unit);
                });
                row.col(|ui| {
                    ui.label(stock.on_hand.values().sum::<i64>().to_string());
                });
                row.col(|ui| {
                    let split: Vec<String> = vm
                        .sites
                        .iter()
                        .filter_map(|s| {
                            stock
                                .on_hand
                                .get(&s.id)
                                .map(|qty| format!("{} {qty}", s.name))
                        })
                        .collect();
                    ui.label(split.join(" · "));
                });
            });
        });
}

/// Reorder levels per site: empty uses the item's own level.
fn site_levels(
    ui: &mut egui::Ui,
    state: &mut InventoryState,
    vm: &ViewModel,
    item: &InventoryItem,
    commands: &mut Vec<Command>,
) {
    if vm.sites.len() < 2 {
        return;
    }
    ui.label(format!(
        "Reorder level per site (empty: {} like the item)",
        item.reorder_at
    ));
    egui::Grid::new(("site levels", &item.id)).show(ui, |ui| {
        for site in vm.sites.iter() {
            let label = ui.label(format!("Reorder at {}", site.name));
            let current = item
                .reorder_at_site
                .get(&site.id)
                .map(i64::to_string)
                .unwrap_or_default();
            let key = format!("{}@{}", item.id, site.id);
            if let Some(text) =
                super::fields::text_field(ui, ("site level", &key), &current, false, label.id)
            {
                let level = match text.trim() {
                    "" => Ok(None),
                    t => t
                        .parse::<i64>()
                        .ok()
                        .filter(|v| *v >= 0)
                        .map(Some)
                        .ok_or(()),
                };
                match level {
                    Ok(level) => {
                        state.level_error = None;
                        commands.push(Command::Op(Op::SetSiteReorder {
                            item: item.id.clone(),
                            site: site.id.clone(),
                            level,
                        }));
                    }
                    Err(()) => state.level_error = Some(site.name.clone()),
                }
            }
            ui.end_row();
        }
    });
    if let Some(site) = &state.level_error {
        ui.colored_label(
            super::ERROR_COLOR,
            format!("Reorder at {site}: type a whole number, 0 or more, or leave it empty"),
        );
    }
}
