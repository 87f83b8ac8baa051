//! The desktop app (egui/eframe). Screens read a [`backend::ViewModel`] and
//! send [`backend::Command`]s; all work happens on the backend thread.
//!
//! Layout: areas on the left, the area's table or board in the centre, the
//! selected record on the right, sync status at the bottom.

mod archive;
mod areas;
pub mod backend;
mod board;
mod budget;
mod co_text;
mod confirm;
mod conflicts;
mod dashboard;
mod docs;
mod engine;
mod engine_archive;
mod engine_docs;
mod engine_inbox;
mod engine_members;
mod equipment;
mod facilities;
mod fields;
mod history;
mod inbox;
mod inventory;
mod invoices;
mod layout;
mod meeting_page;
mod meetings;
mod navigation;
mod onboarding;
mod order_form;
mod palette;
mod people;
mod purchasing;
mod receive_dialog;
mod record_table;
mod records_window;
mod recovery;
mod renewals;
mod reports;
mod room_week;
mod setup;
mod stock_dialog;
mod tasks;
mod team;
mod templates;
mod trash;
mod vendors;
mod view_model;

use std::path::PathBuf;

use backend::{Backend, Command, Notice, ViewModel};
use serde::{Deserialize, Serialize};

/// How long a toast stays.
const TOAST_SECONDS: f64 = 6.0;

/// Text that reports a mistake.
pub(crate) const ERROR_COLOR: egui::Color32 = egui::Color32::from_rgb(200, 60, 60);
/// Text that warns (blocked, unreadable records).
pub(crate) const WARN_COLOR: egui::Color32 = egui::Color32::from_rgb(200, 120, 0);

/// The areas that exist so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum AreaTab {
    #[default]
    Dashboard,
    Inbox,
    Tasks,
    Inventory,
    Vendors,
    Purchasing,
    Budget,
    Meetings,
    Onboarding,
    Facilities,
    Docs,
    People,
    Reports,
    Conflicts,
    Team,
    Trash,
}

/// UI state that survives restarts (eframe persistence; never records).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub area: AreaTab,
    pub dark_mode: Option<bool>,
    /// Network settings (applied at the next start).
    pub offline: bool,
    pub static_peers: String,
    /// The team's own relay URL (empty: the public relays).
    pub relay: String,
}

impl Prefs {
    /// The network settings chosen in Team & Sync, on top of the command
    /// line's (which win where both say something).
    pub fn network(&self, mut net: crate::sync::NetOptions) -> crate::sync::NetOptions {
        net.offline |= self.offline;
        net.static_peers.extend(
            self.static_peers
                .lines()
                .filter_map(|l| crate::sync::net::parse_static_peer(l.trim()).ok()),
        );
        if net.relay.is_none() {
            net.relay = self.relay.trim().parse().ok();
        }
        net
    }
}

/// Per-session UI state of every screen.
#[derive(Default)]
pub struct Screens {
    pub setup: setup::SetupState,
    pub tasks: tasks::TasksState,
    pub inventory: inventory::InventoryState,
    pub vendors: vendors::VendorsState,
    pub purchasing: purchasing::PurchasingState,
    pub budget: budget::BudgetState,
    pub meetings: meetings::MeetingsState,
    pub onboarding: onboarding::OnboardingState,
    pub facilities: facilities::FacilitiesState,
    pub docs: docs::DocsState,
    pub people: people::PeopleState,
    pub reports: reports::ReportsState,
    pub team: team::TeamState,
    pub inbox: inbox::InboxState,
    pub conflicts: conflicts::ConflictsState,
    pub palette: palette::PaletteState,
    pub sites: records_window::RecordsWindow,
    pub projects: records_window::RecordsWindow,
}

pub struct BureauApp {
    backend: Backend,
    title: String,
    pub prefs: Prefs,
    screens: Screens,
    toasts: Vec<(Notice, f64)>,
    /// The area drawn last frame (to tell the backend what it must load).
    shown_area: Option<AreaTab>,
}

impl BureauApp {
    pub fn new(backend: Backend, prefs: Prefs) -> Self {
        BureauApp {
            backend,
            title: String::new(),
            prefs,
            screens: Screens::default(),
            toasts: Vec::new(),
            shown_area: None,
        }
    }

    /// The task whose details are open (tests).
    pub fn screens_selected_task(&self) -> Option<String> {
        self.screens.tasks.selected.clone()
    }

    pub fn backend_mut(&mut self) -> &mut Backend {
        &mut self.backend
    }

    /// Draws one frame: the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let now = ui.input(|i| i.time);
        for notice in self.backend.take_notices() {
            self.screens.purchasing.settle(&notice);
            self.screens.budget.settle(&notice);
            self.screens.meetings.settle(&notice);
            self.screens.onboarding.settle(&notice);
            self.screens.facilities.settle(&notice);
            self.screens.docs.settle(&notice);
            self.screens.people.settle(&notice);
            self.toasts.push((notice, now));
        }
        self.toasts.retain(|(_, at)| now - *at < TOAST_SECONDS);
        if let Some(dark) = self.prefs.dark_mode {
            ui.ctx().set_theme(if dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
        }
        let vm = self.backend.view();
        let mut commands = Vec::new();
        // The window title names the workspace.
        let title = match &vm.workspace {
            Some(name) => format!("{name} — Bureau"),
            None => "Bureau".to_string(),
        };
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        if vm.workspace.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                setup::show(ui, &mut self.screens.setup, &vm, &mut commands);
            });
        } else {
            self.shell(ui, &vm, &mut commands);
        }
        recovery::show(ui.ctx(), &vm, &mut commands);
        self.show_toasts(ui, &vm);
        for command in commands {
            self.backend.send(command);
        }
    }

    fn shell(&mut self, ui: &mut egui::Ui, vm: &ViewModel, commands: &mut Vec<Command>) {
        // Keyboard: Ctrl+N new record, Ctrl+F search, Esc closes the details,
        // Ctrl+Z / Ctrl+Shift+Z undo and redo this device's changes. While a
        // text box has focus, Esc and Ctrl+Z belong to it (Esc reverts the
        // field being typed in; Ctrl+Z undoes typing).
        let typing = ui.ctx().memory(|m| m.focused()).is_some() || fields::was_editing(ui.ctx());
        let (new, find, escape, palette, undo, redo) = ui.input_mut(|i| {
            let redo = !typing
                && i.consume_key(
                    egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                    egui::Key::Z,
                );
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::N),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
                !typing && i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::K),
                !typing && i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z),
                redo,
            )
        });
        if undo {
            commands.push(Command::Undo);
        }
        if redo {
            commands.push(Command::Redo);
        }
        if palette {
            self.screens.palette.open = true;
            self.screens.palette.just_opened = true;
        }
        if new {
            match areas::entry(self.prefs.area).new_record {
                Some(start) => start(&mut self.screens),
                None => {
                    self.prefs.area = AreaTab::Tasks;
                    self.screens.tasks.focus_quick_add = true;
                }
            }
        }
        if find {
            self.prefs.area = AreaTab::Tasks;
            self.screens.tasks.focus_search = true;
        }
        if escape {
            self.screens.palette.open = false;
            self.screens.tasks.selected = None;
            self.screens.inventory.dialog = None;
            self.screens.sites.open = false;
            self.screens.projects.open = false;
            self.screens.inventory.adding = false;
            self.screens.vendors.selected = None;
            let buying = &mut self.screens.purchasing;
            buying.receive = None;
            buying.add_lines = None;
            buying.new_order = None;
            buying.new_invoice = None;
            buying.new_contract = None;
            buying.selected_order = None;
            buying.selected_invoice = None;
            buying.selected_contract = None;
        }

        egui::Panel::top("title").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(format!(
                    "Bureau — {}",
                    vm.workspace.as_deref().unwrap_or("")
                ));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let dark = ui.ctx().global_style().visuals.dark_mode;
                    if ui
                        .button(if dark { "Light theme" } else { "Dark theme" })
                        .clicked()
                    {
                        self.toggle_theme(ui.ctx());
                    }
                    if let Some(me) = &vm.me {
                        let role = vm.my_role.map(|r| format!(" ({r})")).unwrap_or_default();
                        ui.label(format!("{me}{role}"));
                    }
                });
            });
        });
        if let Some(removed) = &vm.removed {
            egui::Panel::top("removed").show(ui, |ui| {
                ui.colored_label(ERROR_COLOR, removed);
            });
        }
        egui::Panel::bottom("sync status").show(ui, |ui| {
            ui.horizontal(|ui| {
                let color = if vm.peers.iter().any(|p| p.online) {
                    egui::Color32::from_rgb(60, 160, 90)
                } else {
                    egui::Color32::GRAY
                };
                let (dot, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                ui.painter().circle_filled(dot.center(), 5.0, color);
                ui.label(vm.sync_summary());
            });
        });
        egui::Panel::left("areas").resizable(false).show(ui, |ui| {
            ui.add_space(8.0);
            for area in &areas::AREAS {
                let badge = (area.badge)(vm);
                let label = match &badge {
                    Some((n, _)) => format!("{} ({n})", area.label),
                    None => area.label.to_string(),
                };
                let mut entry = ui.selectable_label(self.prefs.area == area.tab, label);
                if let Some((_, hover)) = badge {
                    entry = entry.on_hover_text(hover);
                }
                if entry.clicked() {
                    self.prefs.area = area.tab;
                }
            }
        });
        match palette::show(ui.ctx(), &mut self.screens.palette, vm) {
            Some(palette::Pick::Go(jump)) => self.go(jump, vm),
            Some(palette::Pick::New(area)) => {
                self.prefs.area = area;
                if let Some(start) = areas::entry(area).new_record {
                    start(&mut self.screens);
                }
            }
            Some(palette::Pick::Send(command)) => commands.push(command),
            Some(palette::Pick::ToggleTheme) => self.toggle_theme(ui.ctx()),
            None => {}
        }
        if std::mem::take(&mut self.screens.inventory.manage_sites) {
            self.screens.sites.open = true;
        }
        if std::mem::take(&mut self.screens.tasks.manage_projects) {
            self.screens.projects.open = true;
        }
        records_window::show::<crate::model::Site>(
            ui.ctx(),
            &mut self.screens.sites,
            &vm.sites,
            commands,
        );
        records_window::show::<crate::model::Project>(
            ui.ctx(),
            &mut self.screens.projects,
            &vm.project_records,
            commands,
        );
        // Areas whose data is loaded only while shown.
        if self.shown_area != Some(self.prefs.area) {
            if self.prefs.area == AreaTab::Trash {
                commands.push(Command::ShowTrash { open: true });
            } else if self.shown_area == Some(AreaTab::Trash) {
                commands.push(Command::ShowTrash { open: false });
            }
            self.shown_area = Some(self.prefs.area);
        }
        match self.prefs.area {
            AreaTab::Dashboard => {
                let jump = egui::CentralPanel::default()
                    .show(ui, |ui| dashboard::show(ui, vm))
                    .inner;
                if let Some(jump) = jump {
                    self.go(jump, vm);
                }
            }
            AreaTab::Tasks => {
                tasks::show(ui, &mut self.screens.tasks, vm, commands);
                if let Some(jump) = self.screens.tasks.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Inventory => inventory::show(ui, &mut self.screens.inventory, vm, commands),
            AreaTab::Vendors => {
                vendors::show(ui, &mut self.screens.vendors, vm, commands);
                if let Some(jump) = self.screens.vendors.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Purchasing => {
                purchasing::show(ui, &mut self.screens.purchasing, vm, commands);
                if let Some(vendor) = self.screens.purchasing.open_vendor.take() {
                    self.go(areas::Jump::Vendor(vendor), vm);
                }
            }
            AreaTab::Budget => {
                budget::show(ui, &mut self.screens.budget, vm, commands);
                if let Some(jump) = self.screens.budget.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Meetings => {
                meetings::show(ui, &mut self.screens.meetings, vm, commands);
                if let Some(jump) = self.screens.meetings.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Onboarding => {
                onboarding::show(ui, &mut self.screens.onboarding, vm, commands);
                if let Some(jump) = self.screens.onboarding.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Facilities => facilities::show(ui, &mut self.screens.facilities, vm, commands),
            AreaTab::Docs => docs::show(ui, &mut self.screens.docs, vm, commands),
            AreaTab::People => people::show(ui, &mut self.screens.people, vm, commands),
            AreaTab::Reports => {
                egui::CentralPanel::default().show(ui, |ui| {
                    reports::show(ui, &mut self.screens.reports, vm, commands)
                });
            }
            AreaTab::Inbox => {
                egui::CentralPanel::default().show(ui, |ui| {
                    inbox::show(ui, &mut self.screens.inbox, vm, commands)
                });
                if let Some(jump) = self.screens.inbox.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Conflicts => {
                egui::CentralPanel::default().show(ui, |ui| {
                    conflicts::show(ui, &mut self.screens.conflicts, vm, commands)
                });
                if let Some(jump) = self.screens.conflicts.open.take() {
                    self.go(jump, vm);
                }
            }
            AreaTab::Trash => {
                egui::CentralPanel::default().show(ui, |ui| trash::show(ui, vm, commands));
            }
            AreaTab::Team => {
                egui::CentralPanel::default().show(ui, |ui| {
                    team::show(ui, &mut self.screens.team, vm, &mut self.prefs, commands)
                });
            }
        }
    }

    /// Light to dark or back; remembered with the other preferences.
    fn toggle_theme(&mut self, ctx: &egui::Context) {
        let dark = ctx.global_style().visuals.dark_mode;
        self.prefs.dark_mode = Some(!dark);
    }

    fn show_toasts(&mut self, ui: &mut egui::Ui, vm: &ViewModel) {
        if self.toasts.is_empty() {
            return;
        }
        let mut jump = None;
        egui::Area::new(egui::Id::unique("bureau toasts"))
            .fade_in(false)
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -40.0))
            .show(ui.ctx(), |ui| {
                for (notice, _) in &self.toasts {
                    let (text, color) = match notice {
                        Notice::Info(t) | Notice::Created { text: t, .. } => {
                            (t.as_str(), egui::Color32::from_rgb(60, 120, 200))
                        }
                        Notice::Error(t) => (t.as_str(), ERROR_COLOR),
                    };
                    egui::Frame::popup(ui.style())
                        .stroke(egui::Stroke::new(1.0, color))
                        .show(ui, |ui| {
                            ui.set_max_width(360.0);
                            ui.label(text);
                            if let Notice::Created { kind, id, .. } = notice {
                                let hidden = kind == "tasks"
                                    && self.prefs.area == AreaTab::Tasks
                                    && vm.task(id).is_some_and(|t| {
                                        !tasks::filter_matches(&self.screens.tasks, vm, t)
                                    });
                                if hidden {
                                    ui.colored_label(WARN_COLOR, "The current filter hides it.");
                                }
                                let target = areas::Jump::created(kind, id);
                                if let Some(target) = target
                                    && ui.button("Show").clicked()
                                {
                                    jump = Some(target);
                                }
                            }
                        });
                }
            });
        if let Some(jump) = jump {
            self.go(jump, vm);
        }
        // Wake up when the oldest toast is due to go, not before.
        let now = ui.input(|i| i.time);
        if let Some(oldest) = self.toasts.iter().map(|(_, at)| *at).reduce(f64::min) {
            let left = (oldest + TOAST_SECONDS - now).max(0.05);
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(left));
        }
    }
}

impl eframe::App for BureauApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}

/// Opens the window (what `bureau` with no subcommand does).
pub fn run(data_dir: PathBuf, net: crate::sync::NetOptions) -> anyhow::Result<()> {
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).ok();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Bureau")
        .with_inner_size([1200.0, 760.0])
        .with_min_inner_size([800.0, 500.0]);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "Bureau",
        options,
        Box::new(move |cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            let ctx = cc.egui_ctx.clone();
            let net = prefs.network(net);
            let backend = Backend::app(data_dir, net, move || ctx.request_repaint());
            Ok(Box::new(BureauApp::new(backend, prefs)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window ({e}); without a display, use the CLI: `bureau --help`, or `bureau serve` for an always-on peer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_settings_from_team_and_sync_apply_under_the_command_line() {
        let prefs = Prefs {
            offline: true,
            static_peers: "not an address\n".into(),
            relay: " http://10.77.0.1:3340 ".into(),
            ..Default::default()
        };
        let net = prefs.network(crate::sync::NetOptions::default());
        assert!(net.offline);
        assert!(net.static_peers.is_empty(), "unreadable lines are skipped");
        assert_eq!(net.relay.unwrap().to_string(), "http://10.77.0.1:3340/");
        let given: iroh::RelayUrl = "https://relay.acme.example".parse().unwrap();
        let net = prefs.network(crate::sync::NetOptions {
            relay: Some(given.clone()),
            ..Default::default()
        });
        assert_eq!(net.relay, Some(given), "--relay wins");
    }
}
