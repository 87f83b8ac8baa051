//! Meetings: the list (with a quick-add row), the week view per site or
//! room with clashes highlighted and one-click moves, and the rooms and
//! bookable things. The selected meeting opens its page
//! ([`super::meeting_page`]). Everything shown is computed in the
//! background ([`crate::views::meetings`]).

use super::areas::{Card, Jump};
use super::backend::{Command, ViewModel};
use super::fields::{FieldErrors, FormContext, details_form, draft, quick_add};
use super::record_table::{TableState, record_table};
use crate::model::bookings::{Move, Resolution};
use crate::model::schema::{Described, FieldSpec, FieldText};
use crate::model::{Meeting, Record, Room};
use crate::ops::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Meetings,
    Week,
    Rooms,
}

#[derive(Default)]
pub struct MeetingsState {
    pub tab: Tab,
    table: TableState,
    rooms_table: TableState,
    pub selected: Option<String>,
    /// Every meeting, not only those to come.
    all: bool,
    selected_room: Option<String>,
    new_meeting: Vec<(String, String)>,
    new_room: Vec<(String, String)>,
    pub page: super::meeting_page::PageState,
    pub week: super::room_week::WeekState,
    errors: FieldErrors,
    confirm: super::confirm::Pending,
    /// A task clicked on a meeting page: the shell opens it.
    pub open: Option<Jump>,
}

impl MeetingsState {
    /// Empties a quick-add row once what it sent was saved.
    pub fn settle(&mut self, notice: &super::backend::Notice) {
        if let super::backend::Notice::Created { kind, .. } = notice {
            match kind.as_str() {
                "meetings" => self.new_meeting.clear(),
                "rooms" => self.new_room.clear(),
                "tasks" => self.page.action_draft.clear(),
                _ => {}
            }
        }
    }

    pub fn open_meeting(&mut self, id: String) {
        self.tab = Tab::Meetings;
        self.selected = Some(id);
    }
}

pub fn show(
    ui: &mut egui::Ui,
    state: &mut MeetingsState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    let view = &vm.meetings;
    // The page sits beside the list only: the week view needs the width.
    if state.tab == Tab::Meetings
        && let Some(id) =
            super::layout::still_there(&mut state.selected, |id| view.meeting(id).is_some())
        && let Some(meeting) = view.meeting(&id).cloned()
    {
        super::layout::details_side(ui, "Meeting", |ui| {
            let action = super::meeting_page::show(
                ui,
                &mut state.page,
                &mut state.errors,
                vm,
                &meeting,
                commands,
            );
            match action {
                super::meeting_page::PageAction::Close => state.selected = None,
                super::meeting_page::PageAction::Open(jump) => state.open = Some(jump),
                super::meeting_page::PageAction::None => {}
            }
        });
    }
    if state.tab == Tab::Rooms
        && let Some(id) = super::layout::still_there(&mut state.selected_room, |id| {
            view.rooms.iter().any(|r| r.id == id)
        })
    {
        super::layout::details_side(ui, "Room details", |ui| {
            room_details(ui, state, vm, &id, commands);
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading("Meetings");
            ui.separator();
            ui.selectable_value(
                &mut state.tab,
                Tab::Meetings,
                format!("Meetings ({})", view.meetings.len()),
            );
            ui.selectable_value(&mut state.tab, Tab::Week, "Week");
            ui.selectable_value(
                &mut state.tab,
                Tab::Rooms,
                format!("Rooms ({})", view.rooms.len()),
            );
            if !view.clashes.is_empty() {
                ui.separator();
                let text = egui::RichText::new(format!("Room clashes: {}", view.clashes.len()))
                    .color(super::ERROR_COLOR);
                if ui.link(text).clicked() {
                    state.tab = Tab::Week;
                }
            }
        });
        ui.separator();
        match state.tab {
            Tab::Meetings => meetings(ui, state, vm, commands),
            Tab::Week => {
                if let Some(id) = super::room_week::show(ui, &mut state.week, vm, commands) {
                    state.open_meeting(id);
                }
            }
            Tab::Rooms => rooms(ui, state, vm, commands),
        }
    });
}

fn meetings(
    ui: &mut egui::Ui,
    state: &mut MeetingsState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    // Half an hour unless typed otherwise (once per new row: a cleared
    // field stays cleared while typing).
    if !state
        .new_meeting
        .iter()
        .any(|(k, _)| k == "duration_minutes")
    {
        *draft(&mut state.new_meeting, "duration_minutes") = "30".into();
    }
    quick_add(
        ui,
        &mut state.new_meeting,
        &[
            ("title", "Title", "Ops weekly", 160.0),
            ("starts_at", "When", "tomorrow 10:00", 120.0),
            ("duration_minutes", "Minutes", "30", 36.0),
            ("room", "Room", "Room 1", 100.0),
        ],
        (Meeting::KIND, "Add meeting"),
        commands,
    );
    ui.separator();
    let view = &vm.meetings;
    if view.meetings.is_empty() {
        ui.weak("No meetings yet. Add one above: its agenda, notes and action items (tasks with owners and dates) gather on its page.");
        return;
    }
    ui.horizontal(|ui| {
        ui.selectable_value(
            &mut state.all,
            false,
            format!("Upcoming ({})", view.upcoming.len()),
        );
        ui.selectable_value(
            &mut state.all,
            true,
            format!("All ({})", view.meetings.len()),
        );
    });
    let rows = if state.all {
        &view.meetings
    } else {
        &view.upcoming
    };
    let display = |m: &Meeting, spec: &FieldSpec| match spec.key {
        // A repeating meeting shows when it next takes place.
        "starts_at" if m.repeat.is_some() => view
            .next
            .get(&m.id)
            .map_or_else(|| m.starts_at.to_text(), |s| s.to_text()),
        "room" => m
            .room
            .as_deref()
            .map(|r| view.room_name(r).to_string())
            .unwrap_or_default(),
        _ => m.field_text(spec.key).unwrap_or_default(),
    };
    let paint = |ui: &mut egui::Ui, m: &Meeting, spec: &FieldSpec| {
        (spec.key == "title" && view.clashing(&m.id)).then(|| {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!("{} (room clash)", m.title))
                        .color(super::ERROR_COLOR),
                )
                .sense(egui::Sense::click()),
            )
        })
    };
    let key = std::sync::Arc::as_ptr(rows) as usize;
    record_table(
        ui,
        &mut state.table,
        rows,
        key,
        &mut state.selected,
        &display,
        &paint,
    );
}

fn rooms(
    ui: &mut egui::Ui,
    state: &mut MeetingsState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) {
    quick_add(
        ui,
        &mut state.new_room,
        &[
            ("name", "Name", "Room 1, the van…", 140.0),
            ("site", "Site", "HQ", 90.0),
            ("capacity", "Seats", "6", 36.0),
        ],
        (Room::KIND, "Add room"),
        commands,
    );
    ui.separator();
    let view = &vm.meetings;
    if view.rooms.is_empty() {
        ui.weak("No rooms yet. Add meeting rooms and bookable things (a projector, the van) per site; meetings book them and clashes show here.");
        return;
    }
    let display = |r: &Room, spec: &FieldSpec| match spec.key {
        "site" => r
            .site
            .as_deref()
            .map(|s| vm.site_name(s).to_string())
            .unwrap_or_default(),
        _ => r.field_text(spec.key).unwrap_or_default(),
    };
    let paint = |_: &mut egui::Ui, _: &Room, _: &FieldSpec| None;
    let key = std::sync::Arc::as_ptr(&view.rooms) as usize;
    record_table(
        ui,
        &mut state.rooms_table,
        &view.rooms,
        key,
        &mut state.selected_room,
        &display,
        &paint,
    );
}

fn room_details(
    ui: &mut egui::Ui,
    state: &mut MeetingsState,
    vm: &ViewModel,
    id: &str,
    commands: &mut Vec<Command>,
) {
    let Some(room) = vm.meetings.rooms.iter().find(|r| r.id == id).cloned() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(&room.name);
        if ui.button("Close").clicked() {
            state.selected_room = None;
        }
    });
    let references = references(vm);
    let cx = FormContext::of(vm, &references);
    details_form(ui, &*room, &cx, &mut state.errors, commands);
    ui.separator();
    if ui.button("Show its week").clicked() {
        state.week.room = Some(room.id.clone());
        state.tab = Tab::Week;
    }
    let question = format!(
        "Move “{}” to the Trash? Meetings keep their booking; you can restore it from Trash.",
        room.name
    );
    if state
        .confirm
        .trash(ui, Room::KIND, &room.id, "Delete room", &question, commands)
    {
        state.selected_room = None;
    }
}

/// Records meeting and plan forms pick from: rooms, and sites and the
/// rest the purchasing forms offer.
pub fn references(
    vm: &ViewModel,
) -> std::collections::BTreeMap<&'static str, Vec<(String, String)>> {
    let mut all = super::purchasing::references(vm);
    all.insert(
        "rooms",
        vm.meetings
            .rooms
            .iter()
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect(),
    );
    all
}

/// "Move “Vendor call” to Big room" and the edit that does it.
pub fn move_action(vm: &ViewModel, r: &Resolution) -> Option<(String, Op)> {
    let view = &vm.meetings;
    let meeting = view.meeting(r.moving.as_deref()?)?;
    let to = r.to.as_ref()?;
    let label = to.describe(meeting, |room| view.room_name(room).to_string());
    Some(match to {
        Move::Room { room } => (
            label,
            Op::set(Meeting::KIND, &meeting.id, "room", room.clone()),
        ),
        Move::Time { starts_at } => (
            label,
            Op::set(Meeting::KIND, &meeting.id, "starts_at", starts_at.to_text()),
        ),
    })
}

/// One clash in words: "Room 1, 2026-12-08 14:00: Ops weekly and Vendor call".
pub fn clash_text(vm: &ViewModel, r: &Resolution) -> String {
    let view = &vm.meetings;
    let title = |id: &str| {
        view.meeting(id)
            .map_or_else(|| id.to_string(), |m| m.title.clone())
    };
    format!(
        "{}, {}: “{}” and “{}”",
        view.room_name(&r.clash.room),
        r.clash.second.start.to_text(),
        title(&r.clash.first.meeting),
        title(&r.clash.second.meeting)
    )
}

/// Palette entries: every meeting.
pub fn entries(vm: &ViewModel) -> Vec<(String, Jump)> {
    vm.meetings
        .meetings
        .iter()
        .map(|m| {
            (
                format!("Meeting: {} ({})", m.title, m.starts_at.to_text()),
                Jump::Meeting(m.id.clone()),
            )
        })
        .collect()
}

/// The dashboard card: room clashes.
pub fn cards(vm: &ViewModel) -> Vec<Card> {
    let clashes = &vm.meetings.clashes;
    let lines = clashes
        .iter()
        .take(8)
        .map(|r| {
            let id = r
                .moving
                .clone()
                .unwrap_or_else(|| r.clash.second.meeting.clone());
            (clash_text(vm, r), Jump::Meeting(id))
        })
        .collect();
    vec![Card {
        title: format!("Room clashes: {}", clashes.len()),
        lines,
        more: clashes.len().saturating_sub(8),
        open: ("Open the week view", Jump::MeetingsWeek),
    }]
}
