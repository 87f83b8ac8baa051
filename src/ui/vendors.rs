//! Vendors: the table of who the office buys from and, for the selected
//! vendor, its fields (each commits on its own), contact people, and its
//! contracts, purchase orders and invoices.

use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form};
use super::record_table::{TableState, record_table};
use crate::model::schema::{Described, FieldSpec};
use crate::model::{Contact, Record, Vendor};
use crate::ops::Op;

#[derive(Default)]
pub struct VendorsState {
    pub table: TableState,
    pub selected: Option<String>,
    pub new_name: String,
    pub focus_new: bool,
    pub contact: Contact,
    pub errors: FieldErrors,
    pub confirm: super::confirm::Pending,
    /// A contract, order or invoice clicked: the shell opens it.
    pub open: Option<super::areas::Jump>,
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut VendorsState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let exists = |id: &str| view.vendors.iter().any(|v| v.id == id);
    if let Some(id) = super::layout::still_there(&mut state.selected, exists) {
        super::layout::details_side(ui, "Vendor details", |ui| {
            details(ui, state, vm, &id, commands);
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label("New vendor");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut state.new_name)
                        .hint_text("name, e.g. Office Depot")
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut state.focus_new) {
                edit.request_focus();
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let name = state.new_name.trim().to_string();
            let add = ui
                .add_enabled(!name.is_empty(), egui::Button::new("Add vendor"))
                .on_disabled_hover_text("Type a name first");
            if (add.clicked() || enter) && !name.is_empty() {
                commands.push(Command::Op(Op::Create {
                    kind: Vendor::KIND.into(),
                    fields: vec![("name".into(), name)],
                }));
                state.new_name.clear();
            }
        });
        ui.separator();
        if view.vendors.is_empty() {
            ui.weak("No vendors yet. Add the companies you buy from: their contacts, contracts, orders and invoices gather here.");
            return;
        }
        ui.label(format!("{} vendor(s)", view.vendors.len()));
        let display = |v: &Vendor, spec: &FieldSpec| v.field_text(spec.key).unwrap_or_default();
        let paint = |_: &mut egui::Ui, _: &Vendor, _: &FieldSpec| None;
        let key = std::sync::Arc::as_ptr(&vm.purchasing) as usize;
        record_table(
            ui,
            &mut state.table,
            &view.vendors,
            key,
            &mut state.selected,
            &display,
            &paint,
        );
    });
}

fn details(
    ui: &mut egui::Ui,
    state: &mut VendorsState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let view = &vm.purchasing;
    let Some(vendor) = view.vendors.iter().find(|v| v.id == id) else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(&vendor.name);
        if ui.button("Close").clicked() {
            state.selected = None;
        }
    });
    let references = Default::default();
    let cx = FormContext::of(vm, &references);
    details_form(ui, &**vendor, &cx, &mut state.errors, commands);
    ui.separator();
    ui.strong("Contacts");
    for (contact_id, c) in &vendor.contacts {
        ui.horizontal_wrapped(|ui| {
            let parts: Vec<&str> = [&c.role, &c.email, &c.phone]
                .into_iter()
                .filter_map(|p| p.as_deref())
                .collect();
            ui.label(format!("{} — {}", c.name, parts.join(", ")));
            if ui.small_button("Remove").clicked() {
                commands.push(Command::Op(Op::RemoveContact {
                    vendor: vendor.id.clone(),
                    contact: contact_id.clone(),
                }));
            }
        });
    }
    egui::Grid::new("new contact")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, value) in [
                ("Name", &mut state.contact.name),
                ("Role", state.contact.role.get_or_insert_default()),
                ("Email", state.contact.email.get_or_insert_default()),
                ("Phone", state.contact.phone.get_or_insert_default()),
            ] {
                let l = ui.label(label);
                ui.add(egui::TextEdit::singleline(value).desired_width(200.0))
                    .labelled_by(l.id);
                ui.end_row();
            }
        });
    let named = !state.contact.name.trim().is_empty();
    if ui
        .add_enabled(named, egui::Button::new("Add contact"))
        .on_disabled_hover_text("Type the contact's name first")
        .clicked()
    {
        commands.push(Command::Op(Op::AddContact {
            vendor: vendor.id.clone(),
            contact: std::mem::take(&mut state.contact),
        }));
    }
    ui.separator();
    ui.strong("Contracts");
    let contracts: Vec<_> = view.contracts.iter().filter(|c| c.vendor == id).collect();
    if contracts.is_empty() {
        ui.weak("None");
    }
    for c in contracts {
        let deadline = c
            .renewal(vm.today)
            .map(|r| format!(", give notice by {}", r.deadline))
            .unwrap_or_default();
        let end = c.end.map_or("open-ended".into(), |e| format!("until {e}"));
        if ui.link(format!("{} ({end}{deadline})", c.title)).clicked() {
            state.open = Some(super::areas::Jump::Contract(c.id.clone()));
        }
    }
    ui.strong("Purchase orders");
    let orders: Vec<_> = view.orders.iter().filter(|o| o.vendor == id).collect();
    if orders.is_empty() {
        ui.weak("None");
    }
    for o in orders {
        let status = view.order_status.get(&o.id).copied().unwrap_or("");
        let total = o.total().map_or("-".into(), |t| t.to_string());
        if ui
            .link(format!("{} — {status}, {total}", o.number))
            .clicked()
        {
            state.open = Some(super::areas::Jump::Order(o.id.clone()));
        }
    }
    ui.strong("Invoices");
    let invoices: Vec<_> = view.invoices.iter().filter(|i| i.vendor == id).collect();
    if invoices.is_empty() {
        ui.weak("None");
    }
    for i in invoices {
        if ui
            .link(format!(
                "{} — {}, {}",
                i.number,
                view.invoice_status(i),
                i.total
            ))
            .clicked()
        {
            state.open = Some(super::areas::Jump::Invoice(i.id.clone()));
        }
    }
    ui.separator();
    let question = format!(
        "Move “{}” to the Trash? Its orders and invoices keep it; you can restore it from Trash.",
        vendor.name
    );
    if state.confirm.trash(
        ui,
        Vendor::KIND,
        &vendor.id,
        "Delete vendor",
        &question,
        commands,
    ) {
        state.selected = None;
    }
}
