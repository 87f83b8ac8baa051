//! The week view: for one site (or every site, or one room), each room's
//! bookings day by day, clashes in red, and above them the clashes of the
//! next eight weeks, each with the one-click move that ends it.

use chrono::{Datelike, TimeZone};

use super::backend::{Command, ViewModel};
use crate::model::bookings::Occurrence;
use crate::model::schema::FieldText;
use crate::model::{Date, Stamp};

#[derive(Default)]
pub struct WeekState {
    /// The Monday shown (this week's until moved).
    monday: Option<Date>,
    /// Only this site's rooms (`None`: every site).
    site: Option<String>,
    /// Only this room.
    pub room: Option<String>,
    /// The week's bookings, worked out once per week shown and per change
    /// of the meetings (not every frame).
    booked: Option<((usize, Date), Vec<Occurrence>)>,
}

/// Local midnight of `day` as a stamp.
fn midnight(day: Date) -> Stamp {
    chrono::Local
        .from_local_datetime(&day.0.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || Stamp(day.0.and_time(chrono::NaiveTime::MIN).and_utc()),
            |t| Stamp(t.with_timezone(&chrono::Utc)),
        )
}

fn monday_of(day: Date) -> Date {
    day.add_days(-(day.0.weekday().num_days_from_monday() as i64))
}

/// Draws the week; returns the meeting clicked, to open its page.
pub fn show(
    ui: &mut egui::Ui,
    state: &mut WeekState,
    vm: &ViewModel,
    commands: &mut Vec<Command>,
) -> Option<String> {
    let view = &vm.meetings;
    let mut open = None;
    if !view.clashes.is_empty() {
        ui.strong(format!(
            "Room clashes in the next eight weeks: {}",
            view.clashes.len()
        ));
        for r in view.clashes.iter() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(super::ERROR_COLOR, super::meetings::clash_text(vm, r));
                match super::meetings::move_action(vm, r) {
                    Some((label, op)) => {
                        if ui.button(label).clicked() {
                            commands.push(Command::Op(op));
                        }
                    }
                    None => {
                        ui.weak("no free room or time that day");
                    }
                }
            });
        }
        ui.separator();
    }
    let monday = *state.monday.get_or_insert_with(|| monday_of(vm.today));
    ui.horizontal_wrapped(|ui| {
        if ui.button("Previous week").clicked() {
            state.monday = Some(monday.add_days(-7));
        }
        if ui.button("This week").clicked() {
            state.monday = Some(monday_of(vm.today));
        }
        if ui.button("Next week").clicked() {
            state.monday = Some(monday.add_days(7));
        }
        ui.strong(format!("Week of {}", monday.0.format("%a %-d %b %Y")));
        ui.separator();
        let l = ui.label("Site");
        let site_name = state
            .site
            .as_deref()
            .map_or("Every site".to_string(), |s| vm.site_name(s).to_string());
        egui::ComboBox::from_id_salt("week site")
            .selected_text(site_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.site, None, "Every site");
                for s in vm.sites.iter() {
                    ui.selectable_value(&mut state.site, Some(s.id.clone()), &s.name);
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Room");
        let room_name = state
            .room
            .as_deref()
            .map_or("Every room".to_string(), |r| view.room_name(r).to_string());
        egui::ComboBox::from_id_salt("week room")
            .selected_text(room_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.room, None, "Every room");
                for r in view.rooms.iter() {
                    ui.selectable_value(&mut state.room, Some(r.id.clone()), &r.name);
                }
            })
            .response
            .labelled_by(l.id);
    });
    let rooms: Vec<_> = view
        .rooms
        .iter()
        .filter(|r| state.site.is_none() || r.site == state.site)
        .filter(|r| state.room.is_none() || state.room.as_deref() == Some(r.id.as_str()))
        .collect();
    if rooms.is_empty() {
        ui.weak(
            "No rooms here. Add rooms in the Rooms tab; meetings that book them show in this week.",
        );
        return None;
    }
    let from = midnight(monday);
    let key = (std::sync::Arc::as_ptr(&view.meetings) as usize, monday);
    if state.booked.as_ref().is_none_or(|(k, _)| *k != key) {
        state.booked = Some((key, view.occurrences(from, 7, None)));
    }
    let booked = state
        .booked
        .as_ref()
        .map(|(_, b)| b.as_slice())
        .unwrap_or_default();
    let clashing = |o: &Occurrence| {
        view.clashes.iter().any(|r| {
            [&r.clash.first, &r.clash.second]
                .iter()
                .any(|c| c.meeting == o.meeting && c.start == o.start)
        })
    };
    let days: Vec<Date> = (0..7).map(|n| monday.add_days(n)).collect();
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("room week")
            .striped(true)
            .min_col_width(110.0)
            .spacing([10.0, 8.0])
            .show(ui, |ui| {
                ui.strong("Room");
                for d in &days {
                    let text = d.0.format("%a %-d %b").to_string();
                    if *d == vm.today {
                        ui.strong(format!("{text} (today)"));
                    } else {
                        ui.strong(text);
                    }
                }
                ui.end_row();
                for room in &rooms {
                    ui.label(if room.capacity > 0 {
                        format!("{} ({} seats)", room.name, room.capacity)
                    } else {
                        room.name.clone()
                    });
                    for d in &days {
                        ui.vertical(|ui| {
                            let room_meetings = view
                                .meetings
                                .iter()
                                .filter(|m| m.room.as_deref() == Some(room.id.as_str()));
                            let ids: Vec<&str> = room_meetings.map(|m| m.id.as_str()).collect();
                            for o in booked.iter().filter(|o| {
                                ids.contains(&o.meeting.as_str())
                                    && o.start.0.with_timezone(&chrono::Local).date_naive() == d.0
                            }) {
                                let title =
                                    view.meeting(&o.meeting).map_or("", |m| m.title.as_str());
                                let clock = |s: Stamp| {
                                    s.to_text().get(11..).unwrap_or_default().to_string()
                                };
                                let time = format!("{}–{}", clock(o.start), clock(o.end));
                                let text = egui::RichText::new(format!("{time} {title}"));
                                let text = if clashing(o) {
                                    text.color(super::ERROR_COLOR).strong()
                                } else {
                                    text
                                };
                                if ui
                                    .add(egui::Label::new(text).sense(egui::Sense::click()))
                                    .on_hover_text("Open the meeting")
                                    .clicked()
                                {
                                    open = Some(o.meeting.clone());
                                }
                            }
                        });
                    }
                    ui.end_row();
                }
            });
    });
    open
}
