//! Team & Sync: members and their devices, per-device sync status, invites
//! (ticket as text and QR code), settings.

use super::backend::{Command, ViewModel};
use crate::model::Role;

pub struct TeamState {
    pub role: Role,
    pub hours: u64,
    pub confirm: super::confirm::Pending,
    /// The ticket last copied (to say "Copied").
    pub copied: Option<String>,
}

impl Default for TeamState {
    fn default() -> Self {
        TeamState {
            role: Role::Member,
            hours: 24,
            confirm: Default::default(),
            copied: None,
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut TeamState,
    vm: &ViewModel,
    prefs: &mut super::Prefs,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading("Members");
        let admin = vm.my_role == Some(Role::Admin);
        let admin_devices: usize = vm
            .members
            .iter()
            .filter(|m| m.role == Role::Admin)
            .map(|m| m.devices.len())
            .sum();
        if admin_devices == 1 && !vm.has_recovery_kit {
            ui.colored_label(
                super::WARN_COLOR,
                "Only one admin device: if it is lost, nobody can invite, remove or change roles. Make a second admin below, or keep a recovery kit (bureau recover --help).",
            );
        }
        egui::Grid::new("members").striped(true).num_columns(4).show(ui, |ui| {
            ui.strong("Name");
            ui.strong("Role");
            ui.strong("Devices");
            ui.strong("");
            ui.end_row();
            for m in vm.members.iter() {
                // "You" by member id: two members may share a name.
                let is_me = vm.my_member_id.as_deref() == Some(m.member_id.as_str());
                ui.label(if is_me { format!("{} (you)", m.name) } else { m.name.clone() });
                if admin && !is_me {
                    ui.horizontal(|ui| {
                        for r in Role::ALL {
                            if ui.selectable_label(m.role == *r, r.as_str()).clicked() && m.role != *r {
                                commands.push(Command::SetMemberRole { member_id: m.member_id.clone(), role: *r });
                            }
                        }
                    });
                } else {
                    ui.label(m.role.as_str());
                }
                ui.vertical(|ui| {
                    for device in &m.devices {
                        ui.horizontal(|ui| {
                            ui.label(device.chars().take(10).collect::<String>());
                            let question = format!(
                                "Remove this device of {}? It stops syncing (a lost or stolen laptop); {} stays a member.",
                                m.name, m.name
                            );
                            if admin
                                && vm.my_device.as_deref() != Some(device.as_str())
                                && m.devices.len() > 1
                                && state.confirm.button(ui, device, "Remove device", &question)
                            {
                                commands.push(Command::RemoveDevice {
                                    member_id: m.member_id.clone(),
                                    device: device.clone(),
                                });
                            }
                        });
                    }
                });
                let question = format!(
                    "Remove {}? Every peer stops syncing with their devices; what they already have stays with them.",
                    m.name
                );
                if admin
                    && !is_me
                    && state.confirm.button(ui, &m.member_id, &format!("Remove {}", m.name), &question)
                {
                    commands.push(Command::RemoveMember { member_id: m.member_id.clone() });
                }
                ui.end_row();
            }
        });
        if admin && !vm.after_removal.is_empty() {
            ui.add_space(12.0);
            ui.heading("Changes after a removal");
            for item in vm.after_removal.iter() {
                ui.label(item.describe());
                let question = format!(
                    "Keep what {}'s device changed after the removal? The {} record(s) go back to how it left them, on every device.",
                    item.member,
                    item.records.len()
                );
                if state.confirm.button(ui, &format!("keep {}", item.device), "Keep them", &question) {
                    commands.push(Command::KeepAfterRemoval { device: item.device.clone() });
                }
            }
        }
        ui.add_space(12.0);
        ui.heading("Devices and sync");
        if vm.peers.is_empty() {
            ui.label("No other devices yet.");
        } else {
            egui::Grid::new("peers").striped(true).num_columns(5).show(ui, |ui| {
            for h in ["Member", "Device", "Online", "Last synced", "Our changes not seen"] {
                ui.strong(h);
            }
            ui.end_row();
            for p in vm.peers.iter() {
                ui.label(&p.member);
                ui.label(p.device.chars().take(10).collect::<String>());
                ui.label(if p.online { "online" } else { "offline" });
                ui.label(p.last_synced_text());
                ui.label(p.unseen_text());
                ui.end_row();
            }
        });
        }
        ui.add_space(12.0);
        ui.heading("Invite someone");
        if vm.my_role != Some(Role::Admin) {
            ui.label("Only admins can invite.");
        } else {
            ui.horizontal(|ui| {
                let label = ui.label("Role");
                egui::ComboBox::from_id_salt("invite role")
                    .selected_text(state.role.as_str())
                    .show_ui(ui, |ui| {
                        for r in Role::ALL {
                            ui.selectable_value(&mut state.role, *r, r.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let label = ui.label("Valid for");
                egui::ComboBox::from_id_salt("invite hours")
                    .selected_text(format!("{} h", state.hours))
                    .show_ui(ui, |ui| {
                        for h in [1u64, 24, 72, 168] {
                            ui.selectable_value(&mut state.hours, h, format!("{h} h"));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if ui.button("Create invite").clicked() {
                    commands.push(Command::Invite { role: state.role, hours: state.hours });
                }
            });
            if let Some(ticket) = &vm.last_ticket {
                ui.label("Send this ticket to the new member; they paste it when Bureau first opens.");
                if let Some(terms) = &vm.last_ticket_terms {
                    ui.label(terms);
                }
                let mut text = ticket.clone();
                let label = ui.label("Invite ticket");
                ui.add(egui::TextEdit::multiline(&mut text).desired_rows(3).desired_width(f32::INFINITY)).labelled_by(label.id);
                ui.horizontal(|ui| {
                    if ui.button("Copy ticket").clicked() {
                        ui.ctx().copy_text(ticket.clone());
                        state.copied = Some(ticket.clone());
                    }
                    if state.copied.as_deref() == Some(ticket.as_str()) {
                        ui.label("Copied to the clipboard.");
                    }
                });
                qr(ui, ticket);
            }
        }
        ui.add_space(12.0);
        ui.heading("Recovery kit");
        if vm.has_recovery_kit {
            ui.label("A recovery kit exists: its 24 words make any member's device an admin if every admin device is lost.");
        } else {
            ui.label("No recovery kit yet: if every admin device is lost, nobody can invite, remove or change roles.");
        }
        if admin {
            let label = if vm.has_recovery_kit { "Make a new recovery kit" } else { "Make a recovery kit" };
            if state.confirm.button(
                ui,
                "recovery kit",
                label,
                "Make a new recovery kit? Its 24 words are shown once; any earlier recovery phrase stops working.",
            ) {
                commands.push(Command::NewRecoveryKit);
            }
        }
        ui.add_space(12.0);
        ui.heading("Settings");
        ui.label(format!("Data directory: {}", vm.data_dir.display()));
        ui.checkbox(&mut prefs.offline, "Offline mode: LAN only, no internet services (relays, DNS)");
        let label = ui.label("Static peer addresses (ENDPOINT_ID@IP:PORT, one per line)");
        ui.add(egui::TextEdit::multiline(&mut prefs.static_peers).desired_rows(2).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        let bad: Vec<&str> = prefs
            .static_peers
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && crate::sync::net::parse_static_peer(l).is_err())
            .collect();
        if !bad.is_empty() {
            ui.colored_label(egui::Color32::from_rgb(200, 60, 60), format!("Not understood: {}", bad.join(", ")));
        }
        let label = ui.label("Team relay (the URL of an iroh-relay your team runs; empty: the public relays)");
        ui.add(egui::TextEdit::singleline(&mut prefs.relay).hint_text("https://relay.acme.example").desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if !prefs.relay.trim().is_empty() && prefs.relay.trim().parse::<iroh::RelayUrl>().is_err() {
            ui.colored_label(super::ERROR_COLOR, "Not a relay URL: type it as https://host or http://host:port");
        }
        ui.small("Network settings take effect the next time Bureau starts.");
    });
}

/// Draws a ticket as a QR code (upper case: QR's compact alphanumeric
/// mode; tickets read in any case).
fn qr(ui: &mut egui::Ui, text: &str) {
    let Ok(code) = qrcode::QrCode::new(text.to_ascii_uppercase().as_bytes()) else {
        ui.label("(ticket too long for a QR code)");
        return;
    };
    let width = code.width();
    let colors = code.to_colors();
    let module = 3.0;
    let size = egui::vec2((width + 8) as f32 * module, (width + 8) as f32 * module);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Invite QR code"));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = ((i % width) as f32, (i / width) as f32);
            let min = rect.min + egui::vec2((x + 4.0) * module, (y + 4.0) * module);
            painter.rect_filled(
                egui::Rect::from_min_size(min, egui::vec2(module, module)),
                0.0,
                egui::Color32::BLACK,
            );
        }
    }
}
