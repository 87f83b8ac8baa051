//! Purchasing: purchase orders (receive into stock, close), invoices with
//! the three-way match, the reconcile queue, the renewal calendar and the
//! reorder plan, as tabs of one area. Orders are here; invoices and the
//! match in [`super::invoices`]; renewals and reorders in
//! [`super::renewals`].

use std::sync::Arc;

use super::backend::{Command, Notice, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form};
use super::order_form::{ContractDraft, InvoiceDraft, OrderDraft};
use super::receive_dialog::ReceiveDialog;
use super::record_table::{TableState, record_table};
use crate::model::orders::{amount_text, ordered_lines};
use crate::model::schema::{Described, FieldKind, FieldSpec};
use crate::model::{PoStatus, PurchaseOrder, Receipt, Record};
use crate::ops::Op;

/// An order sent this many days ago and not all received is late.
pub const AWAITING_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Orders,
    Invoices,
    Reconcile,
    Renewals,
    Reorder,
}

#[derive(Default)]
pub struct PurchasingState {
    pub tab: Tab,
    pub orders: TableState,
    pub invoices: TableState,
    pub show_closed: bool,
    pub selected_order: Option<String>,
    pub selected_invoice: Option<String>,
    pub selected_contract: Option<String>,
    pub new_order: Option<OrderDraft>,
    pub new_invoice: Option<InvoiceDraft>,
    pub new_contract: Option<ContractDraft>,
    pub receive: Option<ReceiveDialog>,
    /// Why an invoice that does not match is approved anyway.
    pub approve_note: String,
    pub tolerance: (String, String),
    pub errors: FieldErrors,
    pub confirm: super::confirm::Pending,
    /// A vendor clicked: the shell opens it.
    pub open_vendor: Option<String>,
    /// Lines being typed to add to an order (its id).
    pub add_lines: Option<(String, Vec<super::order_form::LineDraft>)>,
    rows: Arc<Vec<Arc<PurchaseOrder>>>,
    rows_for: Option<(usize, bool)>,
}

impl PurchasingState {
    /// Closes a form once what it sent was saved; lets it be fixed and
    /// sent again if it was refused.
    pub fn settle(&mut self, notice: &Notice) {
        match notice {
            Notice::Created { kind, id, .. } => match kind.as_str() {
                "purchase_orders" if self.new_order.as_ref().is_some_and(|d| d.pending) => {
                    self.new_order = None;
                    self.selected_order = Some(id.clone());
                }
                "invoices" if self.new_invoice.as_ref().is_some_and(|d| d.pending) => {
                    self.new_invoice = None;
                    self.selected_invoice = Some(id.clone());
                }
                "contracts" if self.new_contract.as_ref().is_some_and(|d| d.pending) => {
                    self.new_contract = None;
                    self.selected_contract = Some(id.clone());
                }
                "receipts" if self.receive.as_ref().is_some_and(|d| d.pending) => {
                    self.receive = None;
                }
                _ => {}
            },
            Notice::Error(_) => {
                if let Some(d) = &mut self.new_order {
                    d.pending = false;
                }
                if let Some(d) = &mut self.new_invoice {
                    d.pending = false;
                }
                if let Some(d) = &mut self.new_contract {
                    d.pending = false;
                }
                if let Some(d) = &mut self.receive {
                    d.pending = false;
                }
            }
            Notice::Info(_) => {}
        }
    }

    /// Starts a new order (Ctrl+N in this area).
    pub fn start_new(&mut self) {
        match self.tab {
            Tab::Invoices | Tab::Reconcile => self.new_invoice = Some(InvoiceDraft::default()),
            Tab::Renewals => self.new_contract = Some(ContractDraft::default()),
            Tab::Orders | Tab::Reorder => {
                self.new_order = Some(OrderDraft {
                    lines: vec![super::order_form::LineDraft::new()],
                    ..Default::default()
                })
            }
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let ctx = ui.ctx().clone();
    if let Some(draft) = &mut state.new_order
        && !super::order_form::order_window(&ctx, draft, vm, commands)
    {
        state.new_order = None;
    }
    if let Some(draft) = &mut state.new_invoice
        && !super::order_form::invoice_window(&ctx, draft, vm, commands)
    {
        state.new_invoice = None;
    }
    if let Some(draft) = &mut state.new_contract
        && !super::order_form::contract_window(&ctx, draft, vm, commands)
    {
        state.new_contract = None;
    }
    if let Some(dialog) = &mut state.receive
        && !super::receive_dialog::show(&ctx, dialog, vm, commands)
    {
        state.receive = None;
    }
    egui::Panel::top("purchasing tabs").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let view = &vm.purchasing;
            let reconcile = view.to_reconcile().count() + view.duplicates.len();
            let tabs = [
                (Tab::Orders, "Purchase orders".to_string()),
                (Tab::Invoices, "Invoices".to_string()),
                (Tab::Reconcile, format!("To reconcile ({reconcile})")),
                (Tab::Renewals, "Renewals".to_string()),
                (Tab::Reorder, "Reorder".to_string()),
            ];
            for (tab, label) in tabs {
                if ui.selectable_label(state.tab == tab, label).clicked() {
                    state.tab = tab;
                }
            }
        });
    });
    match state.tab {
        Tab::Orders => orders(ui, state, vm, commands),
        Tab::Invoices => super::invoices::show(ui, state, vm, commands),
        Tab::Reconcile => super::invoices::reconcile(ui, state, vm, commands),
        Tab::Renewals => super::renewals::show(ui, state, vm, commands),
        Tab::Reorder => super::renewals::reorder(ui, state, vm, commands),
    }
}

/// Reference fields by name: vendors, sites, orders.
pub fn references(
    vm: &ViewModel,
) -> std::collections::BTreeMap<&'static str, Vec<(String, String)>> {
    let view = &vm.purchasing;
    [
        (
            "vendors",
            view.vendors
                .iter()
                .map(|v| (v.id.clone(), v.name.clone()))
                .collect(),
        ),
        (
            "sites",
            vm.sites
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
        ),
        (
            "purchase_orders",
            view.orders
                .iter()
                .map(|o| (o.id.clone(), o.number.clone()))
                .collect(),
        ),
    ]
    .into()
}

/// How a purchasing record's field reads in a table: references by name,
/// the status as computed (`status`).
pub fn cell<'a, R: Described>(
    vm: &ViewModel,
    record: &R,
    spec: &FieldSpec,
    status: impl FnOnce() -> &'a str,
) -> String {
    let text = || record.field_text(spec.key).unwrap_or_default();
    match (spec.key, spec.kind) {
        ("status", _) => status().to_string(),
        (_, FieldKind::Reference(_)) => reference_text(vm, spec, &text()),
        _ => text(),
    }
}

/// A reference field's name for its id (vendors, sites, orders).
pub fn reference_text(vm: &ViewModel, spec: &FieldSpec, id: &str) -> String {
    match spec.kind {
        FieldKind::Reference("vendors") => vm.purchasing.vendor_name(id).to_string(),
        FieldKind::Reference("sites") => vm.site_name(id).to_string(),
        FieldKind::Reference("purchase_orders") => vm
            .purchasing
            .order(id)
            .map_or(id.to_string(), |o| o.number.clone()),
        _ => id.to_string(),
    }
}

fn orders(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let exists = |id: &str| view.order(id).is_some();
    if let Some(id) = super::layout::still_there(&mut state.selected_order, exists) {
        super::layout::details_side(ui, "Order details", |ui| {
            order_details(ui, state, vm, &id, commands)
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button("New order").clicked() {
                state.tab = Tab::Orders;
                state.start_new();
            }
            ui.checkbox(&mut state.show_closed, "Show closed and cancelled");
        });
        let key = (Arc::as_ptr(&vm.purchasing) as usize, state.show_closed);
        if state.rows_for != Some(key) {
            state.rows = Arc::new(
                view.orders
                    .iter()
                    .filter(|o| state.show_closed || o.is_open())
                    .cloned()
                    .collect(),
            );
            state.rows_for = Some(key);
        }
        if state.rows.is_empty() {
            ui.weak(if view.orders.is_empty() {
                "No purchase orders yet. “New order” drafts one; the Reorder tab drafts them from what is low."
            } else {
                "No open orders."
            });
            return;
        }
        ui.label(format!("{} order(s)", state.rows.len()));
        let display = |o: &PurchaseOrder, spec: &FieldSpec| {
            cell(vm, o, spec, || view.order_status.get(&o.id).copied().unwrap_or(""))
        };
        let late = |o: &PurchaseOrder| view.is_late(o, vm.today, AWAITING_DAYS);
        let paint = |ui: &mut egui::Ui, o: &PurchaseOrder, spec: &FieldSpec| match spec.key {
            "sent_on" if late(o) => Some(
                ui.colored_label(super::WARN_COLOR, o.field_text("sent_on").unwrap_or_default())
                    .on_hover_text("Sent more than a week ago and not all received"),
            ),
            _ => None,
        };
        let rows = state.rows.clone();
        record_table(
            ui,
            &mut state.orders,
            &rows,
            key.0 ^ usize::from(key.1),
            &mut state.selected_order,
            &display,
            &paint,
        );
    });
}

fn order_details(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let Some(po) = view.order(id) else {
        return;
    };
    let status = view.order_status.get(id).copied().unwrap_or("");
    ui.horizontal(|ui| {
        ui.heading(&po.number);
        ui.label(format!("— {status}"));
        if ui.button("Close").clicked() {
            state.selected_order = None;
        }
    });
    if ui
        .link(format!("Vendor: {}", view.vendor_name(&po.vendor)))
        .clicked()
    {
        state.open_vendor = Some(po.vendor.clone());
    }
    lines_grid(ui, state, vm, po, commands);
    ui.horizontal_wrapped(|ui| order_actions(ui, state, vm, po, status, commands));
    ui.separator();
    let references = references(vm);
    let cx = FormContext::of(vm, &references);
    details_form(ui, po, &cx, &mut state.errors, commands);
    receipts(ui, state, vm, po, commands);
    let invoices: Vec<_> = view
        .invoices
        .iter()
        .filter(|i| i.purchase_order.as_deref() == Some(id))
        .collect();
    if !invoices.is_empty() {
        ui.strong("Invoices");
        for inv in invoices {
            if ui
                .link(format!(
                    "{} — {}, {}",
                    inv.number,
                    view.invoice_status(inv),
                    inv.total
                ))
                .clicked()
            {
                state.tab = Tab::Invoices;
                state.selected_invoice = Some(inv.id.clone());
            }
        }
    }
}

/// The order's lines with what arrived; while the order is open, lines
/// nothing arrived on can be removed and new ones added.
fn lines_grid(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    po: &PurchaseOrder,
    commands: &mut Vec<Command>,
) {
    let progress = vm
        .purchasing
        .progress
        .get(&po.id)
        .cloned()
        .unwrap_or_default();
    let editable = po.is_open() && po.lines.len() > 1;
    egui::Grid::new(("order lines", &po.id))
        .num_columns(7)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "Line",
                "Ordered",
                "Received",
                "Unit price",
                "Tax",
                "Total",
                "",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for ((id, line), got) in ordered_lines(&po.lines).into_iter().zip(progress.iter()) {
                ui.label(&line.description);
                ui.label(line.quantity.to_string());
                if got.outstanding() > 0 && got.received > 0 {
                    ui.colored_label(super::WARN_COLOR, got.received.to_string());
                } else {
                    ui.label(got.received.to_string());
                }
                ui.label(amount_text(line.unit_price.minor));
                ui.label(format!(
                    "{}%",
                    crate::model::matching::percent_text(line.tax_rate)
                ));
                ui.label(line.gross_minor().map_or("-".into(), amount_text));
                if editable && got.received == 0 && ui.small_button("Remove").clicked() {
                    commands.push(Command::Op(Op::RemoveOrderLine {
                        order: po.id.clone(),
                        line: id.clone(),
                    }));
                }
                ui.end_row();
            }
        });
    ui.label(format!(
        "Total {}",
        po.total().map_or("too large".into(), |t| t.to_string())
    ));
    if !po.is_open() {
        return;
    }
    let drafts = match &mut state.add_lines {
        Some((order, drafts)) if *order == po.id => drafts,
        _ => {
            if ui.button("Add lines…").clicked() {
                state.add_lines = Some((po.id.clone(), vec![super::order_form::LineDraft::new()]));
            }
            return;
        }
    };
    let lines = super::order_form::lines_editor(ui, "add to order", drafts, vm);
    ui.horizontal(|ui| {
        match lines {
            Ok(lines) => {
                if ui.button("Add to the order").clicked() {
                    for line in lines {
                        commands.push(Command::Op(Op::AddOrderLine {
                            order: po.id.clone(),
                            line,
                        }));
                    }
                    state.add_lines = None;
                }
            }
            Err(why) => {
                ui.add_enabled(false, egui::Button::new("Add to the order"));
                ui.weak(why);
            }
        }
        if ui.button("Cancel").clicked() {
            state.add_lines = None;
        }
    });
}

fn order_actions(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    po: &PurchaseOrder,
    status: &str,
    commands: &mut Vec<Command>,
) {
    let set = |status: &str| Command::Op(Op::set(PurchaseOrder::KIND, &po.id, "status", status));
    if po.status == PoStatus::Draft && ui.button("Mark as sent").clicked() {
        commands.push(set("sent"));
    }
    let outstanding = vm
        .purchasing
        .progress
        .get(&po.id)
        .is_some_and(|lines| lines.iter().any(|l| l.outstanding() > 0));
    if po.is_open() && outstanding && ui.button("Receive…").clicked() {
        state.receive = Some(ReceiveDialog::new(&po.id, vm));
    }
    if po.is_open() && ui.button("Enter invoice").clicked() {
        state.new_invoice = Some(InvoiceDraft {
            vendor: Some(po.vendor.clone()),
            order: Some(po.id.clone()),
            ..Default::default()
        });
    }
    if po.is_open() {
        let question = format!("Close {}? Nothing more is expected on it.", po.number);
        if state
            .confirm
            .button(ui, &format!("close {}", po.id), "Close order", &question)
        {
            commands.push(set("closed"));
        }
        if status != "partially received" && status != "received" {
            let question = format!("Cancel {}? Tell the vendor too.", po.number);
            if state
                .confirm
                .button(ui, &format!("cancel {}", po.id), "Cancel order", &question)
            {
                commands.push(set("cancelled"));
            }
        }
    } else if ui.button("Reopen").clicked() {
        commands.push(set("sent"));
    }
}

fn receipts(
    ui: &mut egui::Ui,
    state: &mut PurchasingState,
    vm: &ViewModel,
    po: &PurchaseOrder,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let list: Vec<&Arc<Receipt>> = view
        .receipts
        .iter()
        .filter(|r| r.purchase_order == po.id)
        .collect();
    if list.is_empty() {
        return;
    }
    ui.strong("Receipts");
    for r in list {
        let count: i64 = r.total_quantity();
        let who = vm
            .members
            .iter()
            .find(|m| m.member_id == r.created_by)
            .map_or("someone", |m| m.name.as_str());
        ui.label(format!(
            "{}: {count} at {} — {who}",
            r.received_on,
            vm.site_name(&r.site)
        ));
        if view.duplicates.contains_key(&r.id) {
            ui.colored_label(
                super::WARN_COLOR,
                "Possible duplicate: the same delivery was recorded on another device while offline.",
            );
            if ui.button("Not a duplicate").clicked() {
                commands.push(Command::Op(Op::set(
                    Receipt::KIND,
                    &r.id,
                    "not_duplicate",
                    "yes",
                )));
            }
        }
        let question = format!(
            "Take this receipt back? The {count} received leave the stock at {} again.",
            vm.site_name(&r.site)
        );
        if state.confirm.button(ui, &r.id, "Take back", &question) {
            commands.push(Command::Op(Op::VoidReceipt {
                receipt: r.id.clone(),
                attempt: None,
            }));
        }
    }
}
