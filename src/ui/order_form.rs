//! The forms that make purchasing records: a new purchase order, a new
//! invoice and a new contract, with a lines editor shared by orders and
//! invoices. What is typed is sent as an operation; the operations layer
//! checks it and says what to fix.

use super::backend::{Command, ViewModel};
use crate::model::orders::parse_percent;
use crate::ops::{LineInput, Op};

/// One line being typed.
#[derive(Debug, Clone, Default)]
pub struct LineDraft {
    /// Inventory item id (none: free text).
    pub item: Option<String>,
    pub description: String,
    pub quantity: String,
    pub price: String,
    pub tax: String,
}

impl LineDraft {
    /// An empty line for one of something.
    pub fn new() -> Self {
        LineDraft {
            quantity: "1".into(),
            ..Default::default()
        }
    }

    /// The line as an operation's input, or what to fix.
    fn input(&self) -> Result<LineInput, String> {
        let quantity: i64 = self
            .quantity
            .trim()
            .parse()
            .ok()
            .filter(|q| *q > 0)
            .ok_or("Quantity: type a whole number above 0")?;
        if self.item.is_none() && self.description.trim().is_empty() {
            return Err("Pick an item or describe the line".into());
        }
        let tax_rate = if self.tax.trim().is_empty() {
            0
        } else {
            parse_percent(&self.tax).map_err(|e| format!("Tax: {e}"))?
        };
        Ok(LineInput {
            item: self.item.clone(),
            description: self.description.clone(),
            quantity,
            unit_price: if self.price.trim().is_empty() {
                "0".into()
            } else {
                self.price.clone()
            },
            tax_rate,
        })
    }
}

/// Edits `lines`; returns the inputs when every line reads, else the
/// first problem.
pub(super) fn lines_editor(
    ui: &mut egui::Ui,
    salt: &str,
    lines: &mut Vec<LineDraft>,
    vm: &ViewModel,
) -> Result<Vec<LineInput>, String> {
    let mut remove = None;
    egui::Grid::new((salt, "lines"))
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            let item_label = ui.strong("Item").id;
            let text_label = ui.strong("Description").id;
            let qty_label = ui.strong("Qty").id;
            let price_label = ui.strong("Unit price").id;
            let tax_label = ui.strong("Tax %").id;
            ui.end_row();
            for (i, line) in lines.iter_mut().enumerate() {
                let shown = line
                    .item
                    .as_ref()
                    .and_then(|id| vm.items.iter().find(|s| &s.item.id == id))
                    .map_or("(not stocked)".to_string(), |s| s.item.name.clone());
                egui::ComboBox::from_id_salt((salt, "item", i))
                    .selected_text(shown)
                    .width(170.0)
                    .show_ui(ui, |ui| {
                        if ui
                            .selectable_label(line.item.is_none(), "(not stocked)")
                            .clicked()
                        {
                            line.item = None;
                        }
                        for stock in vm.items.iter() {
                            let picked = line.item.as_ref() == Some(&stock.item.id);
                            if ui.selectable_label(picked, &stock.item.name).clicked() {
                                line.item = Some(stock.item.id.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(item_label);
                if line.item.is_none() {
                    // Sized: a grid cell would otherwise keep its header's width.
                    ui.add_sized(
                        [150.0, 20.0],
                        egui::TextEdit::singleline(&mut line.description)
                            .hint_text("e.g. Desk lamp"),
                    )
                    .labelled_by(text_label);
                } else {
                    ui.weak("the item's name");
                }
                ui.add(egui::TextEdit::singleline(&mut line.quantity).desired_width(40.0))
                    .labelled_by(qty_label);
                ui.add_sized(
                    [80.0, 20.0],
                    egui::TextEdit::singleline(&mut line.price).hint_text(vm.currency.as_str()),
                )
                .labelled_by(price_label);
                ui.add(
                    egui::TextEdit::singleline(&mut line.tax)
                        .hint_text("0")
                        .desired_width(40.0),
                )
                .labelled_by(tax_label);
                if ui.small_button("Remove").clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        lines.remove(i);
    }
    if ui.button("Add line").clicked() {
        lines.push(LineDraft::new());
    }
    if lines.is_empty() {
        return Err("Add at least one line".into());
    }
    lines.iter().map(LineDraft::input).collect()
}

/// A combo box over (id, name) pairs; `None` shows "—".
fn picker(
    ui: &mut egui::Ui,
    salt: &str,
    label: &str,
    chosen: &mut Option<String>,
    options: &[(String, String)],
) {
    let l = ui.label(label);
    let shown = chosen
        .as_ref()
        .and_then(|c| options.iter().find(|(id, _)| id == c))
        .map_or("—", |(_, name)| name.as_str());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (id, name) in options {
                if ui
                    .selectable_label(chosen.as_ref() == Some(id), name)
                    .clicked()
                {
                    *chosen = Some(id.clone());
                }
            }
        })
        .response
        .labelled_by(l.id);
}

fn vendors(vm: &ViewModel) -> Vec<(String, String)> {
    vm.purchasing
        .vendors
        .iter()
        .map(|v| (v.id.clone(), v.name.clone()))
        .collect()
}

fn sites(vm: &ViewModel) -> Vec<(String, String)> {
    vm.sites
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect()
}

/// A purchase order being written.
#[derive(Debug, Clone, Default)]
pub struct OrderDraft {
    /// Sent; waiting to hear it was saved (kept to fix and resend if not).
    pub pending: bool,
    pub vendor: Option<String>,
    pub site: Option<String>,
    pub lines: Vec<LineDraft>,
    pub notes: String,
}

/// The "New purchase order" window; returns false once it is done.
pub fn order_window(
    ctx: &egui::Context,
    draft: &mut OrderDraft,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) -> bool {
    let mut keep = true;
    egui::Window::new("New purchase order")
        .collapsible(false)
        .min_width(620.0)
        .open(&mut keep)
        .show(ctx, |ui| {
            egui::Grid::new("order head").num_columns(2).show(ui, |ui| {
                picker(
                    ui,
                    "order vendor",
                    "Vendor",
                    &mut draft.vendor,
                    &vendors(vm),
                );
                ui.end_row();
                picker(ui, "order site", "Ship to", &mut draft.site, &sites(vm));
                ui.end_row();
            });
            let lines = lines_editor(ui, "order", &mut draft.lines, vm);
            let l = ui.label("Notes");
            ui.add(egui::TextEdit::multiline(&mut draft.notes).desired_rows(2))
                .labelled_by(l.id);
            let ready = match (&draft.vendor, &draft.site, &lines) {
                (None, _, _) => Err("Pick a vendor".to_string()),
                (_, None, _) => Err("Pick the site to ship to".to_string()),
                (_, _, Err(e)) => Err(e.clone()),
                (Some(v), Some(s), Ok(lines)) => Ok((v.clone(), s.clone(), lines.clone())),
            };
            match ready {
                _ if draft.pending => {
                    ui.add_enabled(false, egui::Button::new("Saving…"));
                }
                Ok((vendor, site, lines)) => {
                    if ui.button("Create draft order").clicked() {
                        commands.push(Command::Op(Op::CreateOrder {
                            vendor,
                            site: Some(site),
                            lines,
                            notes: draft.notes.clone(),
                        }));
                        draft.pending = true;
                    }
                }
                Err(why) => {
                    ui.add_enabled(false, egui::Button::new("Create draft order"));
                    ui.weak(why);
                }
            }
        });
    keep
}

/// An invoice being entered.
#[derive(Debug, Clone, Default)]
pub struct InvoiceDraft {
    /// Sent; waiting to hear it was saved (kept to fix and resend if not).
    pub pending: bool,
    pub vendor: Option<String>,
    pub order: Option<String>,
    pub number: String,
    pub date: String,
    pub due: String,
    /// Bill by lines (else by total).
    pub by_lines: bool,
    pub lines: Vec<LineDraft>,
    pub total: String,
}

/// The "New invoice" window; returns false once it is done.
pub fn invoice_window(
    ctx: &egui::Context,
    draft: &mut InvoiceDraft,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) -> bool {
    let mut keep = true;
    egui::Window::new("New invoice")
        .collapsible(false)
        .min_width(620.0)
        .open(&mut keep)
        .show(ctx, |ui| {
            let orders: Vec<(String, String)> = vm
                .purchasing
                .orders
                .iter()
                .filter(|o| {
                    draft.vendor.as_ref().is_none_or(|v| *v == o.vendor) && o.deleted_at.is_none()
                })
                .map(|o| (o.id.clone(), o.number.clone()))
                .collect();
            egui::Grid::new("invoice head")
                .num_columns(2)
                .show(ui, |ui| {
                    picker(
                        ui,
                        "invoice vendor",
                        "Vendor",
                        &mut draft.vendor,
                        &vendors(vm),
                    );
                    ui.end_row();
                    for (label, value, hint) in [
                        (
                            "Invoice number",
                            &mut draft.number,
                            "as printed, e.g. INV-2291",
                        ),
                        ("Date", &mut draft.date, "today, 2026-11-20"),
                        ("Due", &mut draft.due, "from the vendor's terms"),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).hint_text(hint))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                    picker(
                        ui,
                        "invoice order",
                        "Purchase order",
                        &mut draft.order,
                        &orders,
                    );
                    ui.end_row();
                });
            if let Some(po) = draft
                .order
                .as_deref()
                .and_then(|id| vm.purchasing.order(id))
                && ui
                    .button("Copy lines from the order")
                    .on_hover_text("One line per order line, at the order's price")
                    .clicked()
            {
                draft.by_lines = true;
                draft.lines = crate::model::orders::ordered_lines(&po.lines)
                    .into_iter()
                    .map(|(_, l)| LineDraft {
                        item: l.item.clone(),
                        description: if l.item.is_some() {
                            String::new()
                        } else {
                            l.description.clone()
                        },
                        quantity: l.quantity.to_string(),
                        // With its currency: the order's, not the workspace's.
                        price: l.unit_price.to_string(),
                        tax: crate::model::matching::percent_text(l.tax_rate),
                    })
                    .collect();
            }
            ui.horizontal(|ui| {
                ui.radio_value(&mut draft.by_lines, false, "Total only");
                ui.radio_value(&mut draft.by_lines, true, "Line by line");
            });
            let body = if draft.by_lines {
                lines_editor(ui, "invoice", &mut draft.lines, vm).map(|l| (l, None))
            } else {
                let l = ui.label("Total (with tax)");
                ui.add(
                    egui::TextEdit::singleline(&mut draft.total).hint_text(vm.currency.as_str()),
                )
                .labelled_by(l.id);
                if draft.total.trim().is_empty() {
                    Err("Type the total".to_string())
                } else {
                    Ok((Vec::new(), Some(draft.total.clone())))
                }
            };
            let ready = match (&draft.vendor, draft.number.trim().is_empty(), body) {
                (None, _, _) => Err("Pick the vendor".to_string()),
                (_, true, _) => Err("Type the invoice number".to_string()),
                (_, _, Err(e)) => Err(e),
                (Some(v), false, Ok(body)) => Ok((v.clone(), body)),
            };
            match ready {
                _ if draft.pending => {
                    ui.add_enabled(false, egui::Button::new("Saving…"));
                }
                Ok((vendor, (lines, total))) => {
                    if ui.button("Enter invoice").clicked() {
                        let date = match draft.date.trim() {
                            "" => "today".to_string(),
                            typed => typed.to_string(),
                        };
                        commands.push(Command::Op(Op::CreateInvoice {
                            vendor,
                            number: draft.number.trim().to_string(),
                            date,
                            due: Some(draft.due.trim().to_string()).filter(|d| !d.is_empty()),
                            order: draft.order.clone(),
                            lines,
                            total,
                        }));
                        draft.pending = true;
                    }
                }
                Err(why) => {
                    ui.add_enabled(false, egui::Button::new("Enter invoice"));
                    ui.weak(why);
                }
            }
        });
    keep
}

/// A contract being entered.
#[derive(Debug, Clone, Default)]
pub struct ContractDraft {
    /// Sent; waiting to hear it was saved (kept to fix and resend if not).
    pub pending: bool,
    pub vendor: Option<String>,
    pub title: String,
    pub start: String,
    pub end: String,
    pub notice_days: String,
    pub auto_renew: bool,
    pub value: String,
}

/// The "New contract" window; returns false once it is done.
pub fn contract_window(
    ctx: &egui::Context,
    draft: &mut ContractDraft,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) -> bool {
    let mut keep = true;
    egui::Window::new("New contract")
        .collapsible(false)
        .open(&mut keep)
        .show(ctx, |ui| {
            egui::Grid::new("contract head")
                .num_columns(2)
                .show(ui, |ui| {
                    picker(
                        ui,
                        "contract vendor",
                        "Vendor",
                        &mut draft.vendor,
                        &vendors(vm),
                    );
                    ui.end_row();
                    for (label, value, hint) in [
                        ("Title", &mut draft.title, "e.g. Cleaning service"),
                        ("Start", &mut draft.start, "2026-01-01"),
                        ("End", &mut draft.end, "2026-12-31"),
                        ("Notice (days)", &mut draft.notice_days, "30"),
                        ("Annual value", &mut draft.value, "1200.00"),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).hint_text(hint))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                });
            ui.checkbox(
                &mut draft.auto_renew,
                "Renews automatically unless cancelled",
            );
            let ready = match &draft.vendor {
                None => Err("Pick the vendor"),
                Some(_) if draft.title.trim().is_empty() => Err("Type a title"),
                Some(_) if draft.start.trim().is_empty() || draft.end.trim().is_empty() => {
                    Err("Type the start and end dates")
                }
                Some(v) => Ok(v.clone()),
            };
            match ready {
                _ if draft.pending => {
                    ui.add_enabled(false, egui::Button::new("Saving…"));
                }
                Ok(vendor) => {
                    if ui.button("Add contract").clicked() {
                        let value = |t: &str| {
                            if t.trim().is_empty() {
                                "0".to_string()
                            } else {
                                t.to_string()
                            }
                        };
                        commands.push(Command::Op(Op::Create {
                            kind: "contracts".into(),
                            fields: vec![
                                ("vendor".into(), vendor),
                                ("title".into(), draft.title.clone()),
                                ("start".into(), draft.start.clone()),
                                ("end".into(), draft.end.clone()),
                                ("notice_days".into(), value(&draft.notice_days)),
                                ("auto_renew".into(), draft.auto_renew.to_string()),
                                ("annual_value".into(), value(&draft.value)),
                            ],
                        }));
                        draft.pending = true;
                    }
                }
                Err(why) => {
                    ui.add_enabled(false, egui::Button::new("Add contract"));
                    ui.weak(why);
                }
            }
        });
    keep
}
