//! Facilities: maintenance requests per site, what is past the time its
//! priority allows (the SLA), and who fixes it. A quick-add row reports a
//! new one; the details move it from new to done and say who pays.

use super::areas::{Card, Jump};
use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form, draft, quick_add};
use super::record_table::{TableState, record_table};
use crate::model::facilities::sla_text;
use crate::model::schema::{Described, FieldSpec, FieldText};
use crate::model::{MaintenanceRequest, Record, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    #[default]
    Open,
    PastSla,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Maintenance,
    Equipment,
}

#[derive(Default)]
pub struct FacilitiesState {
    pub tab: Tab,
    pub equipment: super::equipment::EquipmentState,
    pub show: Show,
    table: TableState,
    pub selected: Option<String>,
    new_request: Vec<(String, String)>,
    errors: FieldErrors,
    confirm: super::confirm::Pending,
}

impl FacilitiesState {
    /// Empties the quick-add row once the request was saved.
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, .. } = notice
            && kind == MaintenanceRequest::KIND
        {
            self.new_request.clear();
        }
        self.equipment.settle(notice);
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut FacilitiesState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.facilities;
    let now = Stamp::now();
    if state.tab == Tab::Equipment {
        super::equipment::details(ui, &mut state.equipment, vm, commands);
    } else if let Some(id) =
        super::layout::still_there(&mut state.selected, |id| view.request(id).is_some())
        && let Some(request) = view.request(&id).cloned()
    {
        super::layout::details_side(ui, "Request details", |ui| {
            ui.horizontal(|ui| {
                ui.heading(request.title_or_description());
                if ui.button("Close").clicked() {
                    state.selected = None;
                }
            });
            let due = format!(
                "Fix by {} ({}: {})",
                request.due_by().to_text(),
                request.priority,
                sla_text(request.priority)
            );
            if request.past_sla(now) {
                ui.colored_label(super::ERROR_COLOR, format!("{due} — past its SLA"));
            } else if request.is_open() {
                ui.label(due);
            } else if let Some(closed) = request.closed_at {
                ui.label(format!("Closed {} ({})", closed.to_text(), request.status));
            }
            let references = super::purchasing::references(vm);
            let cx = FormContext::of(vm, &references);
            details_form(ui, &*request, &cx, &mut state.errors, commands);
            ui.separator();
            let question = format!(
                "Move “{}” to the Trash? You can restore it from Trash.",
                request.title_or_description()
            );
            if state.confirm.trash(
                ui,
                MaintenanceRequest::KIND,
                &request.id,
                "Delete request",
                &question,
                commands,
            ) {
                state.selected = None;
            }
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let past: Vec<_> = view.past_sla(now).cloned().collect();
        ui.horizontal(|ui| {
            ui.heading("Facilities");
            ui.separator();
            ui.selectable_value(&mut state.tab, Tab::Maintenance, "Maintenance");
            ui.selectable_value(
                &mut state.tab,
                Tab::Equipment,
                format!("Equipment ({})", view.assets.len()),
            );
        });
        ui.separator();
        if state.tab == Tab::Equipment {
            super::equipment::table(ui, &mut state.equipment, vm, commands);
            return;
        }
        ui.horizontal(|ui| {
            ui.selectable_value(
                &mut state.show,
                Show::Open,
                format!("Open ({})", view.open.len()),
            );
            ui.selectable_value(
                &mut state.show,
                Show::PastSla,
                format!("Past SLA ({})", past.len()),
            );
            ui.selectable_value(
                &mut state.show,
                Show::All,
                format!("All ({})", view.requests.len()),
            );
        });
        ui.separator();
        if let Some(me) = vm.me.clone() {
            *draft(&mut state.new_request, "reporter") = me;
        }
        quick_add(
            ui,
            &mut state.new_request,
            &[
                ("title", "What is wrong", "Kitchen tap leaks", 170.0),
                ("site", "Site", "HQ", 80.0),
                ("location", "Where", "2nd floor kitchen", 120.0),
                ("priority", "Priority", "normal", 60.0),
            ],
            (MaintenanceRequest::KIND, "Report"),
            commands,
        );
        ui.weak(format!(
            "SLA: {} from when it is reported.",
            crate::model::facilities::sla_summary()
        ));
        ui.separator();
        if view.requests.is_empty() {
            ui.weak("No maintenance requests. Report what needs fixing above: who fixes it, by when, and what it cost follow here.");
            return;
        }
        let past = std::sync::Arc::new(past);
        let rows = match state.show {
            Show::Open => &view.open,
            Show::PastSla => &past,
            Show::All => &view.requests,
        };
        let display = |r: &MaintenanceRequest, spec: &FieldSpec| match spec.key {
            "site" => vm.site_name(&r.site).to_string(),
            "title" => r.title_or_description().to_string(),
            _ => r.field_text(spec.key).unwrap_or_default(),
        };
        let paint = |ui: &mut egui::Ui, r: &MaintenanceRequest, spec: &FieldSpec| {
            (spec.key == "title" && r.past_sla(now)).then(|| {
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(format!("{} (past SLA)", r.title_or_description()))
                            .color(super::ERROR_COLOR),
                    )
                    .sense(egui::Sense::click()),
                )
            })
        };
        let key = std::sync::Arc::as_ptr(rows) as usize + state.show as usize;
        record_table(
            ui,
            &mut state.table,
            rows,
            key,
            &mut state.selected,
            &display,
            &paint,
        );
    });
}

/// Palette entries: every request and every asset.
pub fn entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    let view = &vm.facilities;
    let requests = view.requests.iter().map(|r| {
        (
            format!("Maintenance: {}", r.title_or_description()),
            Jump::Maintenance(r.id.clone()),
        )
    });
    let assets = view.assets.iter().map(|a| {
        (
            format!("Asset: {} {}", a.tag, a.name),
            Jump::Asset(a.id.clone()),
        )
    });
    requests.chain(assets).collect()
}

/// Warranties ending within this many days are on the dashboard.
const WARRANTY_DAYS: i64 = 30;

/// The dashboard card: requests past their SLA, most overdue first.
pub fn cards(vm: &ViewModel) -> Vec<Card> {
    let now = Stamp::now();
    let past: Vec<_> = vm.facilities.past_sla(now).collect();
    let lines = past
        .iter()
        .take(8)
        .map(|r| {
            (
                format!(
                    "{} ({}) — {}, fix by {}",
                    r.title_or_description(),
                    vm.site_name(&r.site),
                    r.priority,
                    r.due_by().to_text()
                ),
                Jump::Maintenance(r.id.clone()),
            )
        })
        .collect();
    let ending: Vec<_> = vm
        .facilities
        .assets
        .iter()
        .filter(|a| a.warranty_ending(vm.today, WARRANTY_DAYS))
        .collect();
    let warranty_lines = ending
        .iter()
        .take(8)
        .map(|a| {
            let end = a.warranty_end.map(|d| d.to_string()).unwrap_or_default();
            (
                format!("{} {} — warranty ends {end}", a.tag, a.name),
                Jump::Asset(a.id.clone()),
            )
        })
        .collect();
    vec![
        Card {
            title: format!("Maintenance past SLA: {}", past.len()),
            lines,
            more: past.len().saturating_sub(8),
            open: ("Open facilities", Jump::Area(super::AreaTab::Facilities)),
        },
        Card {
            title: format!(
                "Warranties ending within {WARRANTY_DAYS} days: {}",
                ending.len()
            ),
            lines: warranty_lines,
            more: ending.len().saturating_sub(8),
            open: ("Open equipment", Jump::Area(super::AreaTab::Facilities)),
        },
    ]
}
