//! Room bookings: the times a meeting occupies (its repeats expanded), the
//! clashes between meetings that book one room for overlapping times, and
//! where one of them can move. Computed from the records alone, so two
//! devices with the same merged records report the same clashes, however
//! the bookings arrived (two people booking offline, say).

use chrono::{Duration, Months};

use super::meetings::{Meeting, Repeat, Room, RoomKind};
use super::values::Stamp;

/// One time a meeting takes place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Occurrence {
    pub meeting: String,
    pub start: Stamp,
    pub end: Stamp,
}

impl Occurrence {
    fn overlaps(&self, other: &Occurrence) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The stretch clashes are looked for in: from the start of `today` (in
/// this device's time zone) for eight weeks.
pub fn window(today: super::Date) -> (Stamp, Stamp) {
    use chrono::TimeZone;
    let midnight = chrono::Local
        .from_local_datetime(&today.0.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || Stamp(today.0.and_time(chrono::NaiveTime::MIN).and_utc()),
            |t| Stamp(t.with_timezone(&chrono::Utc)),
        );
    (midnight, Stamp(midnight.0 + Duration::days(56)))
}

/// Repeats looked at, at most, for one meeting (ten years of weeks).
const MAX_REPEATS: usize = 520;

/// The times `meeting` takes place that overlap `[from, to)`.
pub fn occurrences(meeting: &Meeting, from: Stamp, to: Stamp) -> Vec<Occurrence> {
    let length = Duration::minutes(meeting.duration_minutes.clamp(0, 24 * 60));
    let mut out = Vec::new();
    let mut start = meeting.starts_at.0;
    for _ in 0..MAX_REPEATS {
        if start >= to.0 {
            break;
        }
        let end = start + length;
        if end > from.0 {
            out.push(Occurrence {
                meeting: meeting.id.clone(),
                start: Stamp(start),
                end: Stamp(end),
            });
        }
        start = match meeting.repeat {
            None => break,
            Some(Repeat::Week | Repeat::Unknown) => start + Duration::days(7),
            Some(Repeat::TwoWeeks) => start + Duration::days(14),
            Some(Repeat::Month) => match start.checked_add_months(Months::new(1)) {
                Some(next) => next,
                None => break,
            },
        };
    }
    out
}

/// Two meetings booking one room for overlapping times.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clash {
    pub room: String,
    pub first: Occurrence,
    pub second: Occurrence,
}

impl Clash {
    /// The meeting to move: the one booked later (then the larger id), the
    /// same on every device.
    pub fn to_move<'a>(&self, meetings: &'a [&'a Meeting]) -> Option<&'a Meeting> {
        let find = |id: &str| meetings.iter().copied().find(|m| m.id == id);
        let (a, b) = (find(&self.first.meeting)?, find(&self.second.meeting)?);
        Some(if (a.created_at, &a.id) > (b.created_at, &b.id) {
            a
        } else {
            b
        })
    }
}

/// Every clash among live `meetings` in `[from, to)`, by room, then time.
pub fn clashes(meetings: &[&Meeting], from: Stamp, to: Stamp) -> Vec<Clash> {
    let mut booked: Vec<(&str, Occurrence)> = meetings
        .iter()
        .filter(|m| m.deleted_at.is_none())
        .filter_map(|m| m.room.as_deref().map(|room| (room, *m)))
        .flat_map(|(room, m)| occurrences(m, from, to).into_iter().map(move |o| (room, o)))
        .collect();
    booked.sort_by(|a, b| (a.0, a.1.start, &a.1.meeting).cmp(&(b.0, b.1.start, &b.1.meeting)));
    let mut out = Vec::new();
    for (i, (room, first)) in booked.iter().enumerate() {
        for (other_room, second) in &booked[i + 1..] {
            if other_room != room || second.start >= first.end {
                break;
            }
            if second.meeting != first.meeting && first.overlaps(second) {
                out.push(Clash {
                    room: room.to_string(),
                    first: first.clone(),
                    second: second.clone(),
                });
            }
        }
    }
    out
}

/// Where a clashing meeting can go instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "to", rename_all = "lowercase")]
pub enum Move {
    /// Another room at the same site, free at all its times.
    Room { room: String },
    /// The same room, later the same day.
    Time { starts_at: Stamp },
}

/// Whether `meeting`, placed in `room` from `start`, is free of every
/// other live meeting in `[from, to)`.
fn free(
    meeting: &Meeting,
    room: &str,
    start: Stamp,
    others: &[&Meeting],
    from: Stamp,
    to: Stamp,
) -> bool {
    let moved = Meeting {
        starts_at: start,
        room: Some(room.to_string()),
        ..meeting.clone()
    };
    let mine = occurrences(&moved, from, to);
    others
        .iter()
        .filter(|o| o.id != meeting.id && o.deleted_at.is_none())
        .filter(|o| o.room.as_deref() == Some(room))
        .flat_map(|o| occurrences(o, from, to))
        .all(|theirs| mine.iter().all(|m| !m.overlaps(&theirs)))
}

/// A move that ends `meeting`'s clashes: the smallest free room of the
/// same kind at the same site that seats everyone, else the first free
/// quarter hour later that day in the same room.
pub fn suggest_move(
    meeting: &Meeting,
    rooms: &[&Room],
    meetings: &[&Meeting],
    from: Stamp,
    to: Stamp,
) -> Option<Move> {
    let current = meeting.room.as_deref()?;
    let here = rooms.iter().find(|r| r.id == current);
    let kind = here.map_or(RoomKind::Room, |r| r.kind);
    let site = here.and_then(|r| r.site.clone());
    let seats = meeting.attendees.len() as i64;
    let mut candidates: Vec<&&Room> = rooms
        .iter()
        .filter(|r| r.id != current && r.deleted_at.is_none() && r.kind == kind)
        .filter(|r| r.site == site)
        .filter(|r| kind != RoomKind::Room || r.capacity >= seats)
        .collect();
    candidates.sort_by(|a, b| (a.capacity, &a.name, &a.id).cmp(&(b.capacity, &b.name, &b.id)));
    if let Some(room) = candidates
        .into_iter()
        .find(|r| free(meeting, &r.id, meeting.starts_at, meetings, from, to))
    {
        return Some(Move::Room {
            room: room.id.clone(),
        });
    }
    let day_end = meeting.starts_at.0 + Duration::hours(12);
    let mut start = meeting.starts_at.0 + Duration::minutes(15);
    while start < day_end {
        if free(meeting, current, Stamp(start), meetings, from, to) {
            return Some(Move::Time {
                starts_at: Stamp(start),
            });
        }
        start += Duration::minutes(15);
    }
    None
}

impl Move {
    /// "Move “Vendor call” to Big room" / "… to 10:45 (every week)" /
    /// "… to 2026-12-08 10:45"; `room_name` names a room by id.
    pub fn describe(&self, meeting: &Meeting, room_name: impl Fn(&str) -> String) -> String {
        use super::schema::FieldText;
        let to = match self {
            Move::Room { room } => room_name(room),
            Move::Time { starts_at } => {
                let when = starts_at.to_text();
                match meeting.repeat {
                    // A repeating meeting moves every time: say the time only.
                    Some(repeat) => format!(
                        "{} ({})",
                        when.get(11..).unwrap_or_default(),
                        match repeat {
                            Repeat::TwoWeeks => "every two weeks",
                            Repeat::Month => "every month",
                            _ => "every week",
                        }
                    ),
                    None => when,
                }
            }
        };
        format!("Move “{}” to {to}", meeting.title)
    }
}

/// A clash with the move that ends it: the meeting to move (the one
/// booked later) and where, the same on every device.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resolution {
    pub clash: Clash,
    pub moving: Option<String>,
    pub to: Option<Move>,
}

/// Every clash in `[from, to)` with its suggested move.
pub fn resolutions(
    meetings: &[&Meeting],
    rooms: &[&Room],
    from: Stamp,
    to: Stamp,
) -> Vec<Resolution> {
    clashes(meetings, from, to)
        .into_iter()
        .map(|clash| {
            let moving = clash.to_move(meetings);
            Resolution {
                to: moving.and_then(|m| suggest_move(m, rooms, meetings, from, to)),
                moving: moving.map(|m| m.id.clone()),
                clash,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> Stamp {
        use chrono::TimeZone;
        Stamp(chrono::Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap())
    }

    fn meeting(id: &str, room: &str, start: Stamp, minutes: i64) -> Meeting {
        Meeting {
            id: id.into(),
            title: id.into(),
            room: Some(room.into()),
            starts_at: start,
            duration_minutes: minutes,
            ..Default::default()
        }
    }

    #[test]
    fn overlapping_bookings_of_one_room_clash_and_touching_ones_do_not() {
        let a = meeting("a", "r1", at(14, 0), 60);
        let b = meeting("b", "r1", at(14, 30), 30);
        let c = meeting("c", "r1", at(15, 0), 30);
        let d = meeting("d", "r2", at(14, 0), 60);
        let all = [&a, &b, &c, &d];
        let found = clashes(&all, at(0, 0), at(23, 0));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (
                found[0].first.meeting.as_str(),
                found[0].second.meeting.as_str()
            ),
            ("a", "b")
        );
    }

    #[test]
    fn a_weekly_meeting_clashes_with_a_one_off_three_weeks_later() {
        let mut weekly = meeting("w", "r1", at(9, 0), 30);
        weekly.repeat = Some(Repeat::Week);
        let once = meeting("o", "r1", Stamp(at(9, 15).0 + Duration::days(21)), 30);
        let found = clashes(
            &[&weekly, &once],
            at(0, 0),
            Stamp(at(0, 0).0 + Duration::days(60)),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].first.start, Stamp(at(9, 0).0 + Duration::days(21)));
    }

    #[test]
    fn the_move_is_a_free_room_that_seats_everyone_else_a_later_time() {
        let room = |id: &str, capacity| Room {
            id: id.into(),
            name: id.into(),
            capacity,
            ..Default::default()
        };
        let (r1, small, big) = (room("r1", 8), room("small", 2), room("big", 10));
        let a = meeting("a", "r1", at(14, 0), 60);
        let mut b = meeting("b", "r1", at(14, 30), 30);
        b.attendees = vec!["Ana".into(), "Ben".into(), "Cy".into()];
        let (from, to) = (at(0, 0), at(23, 0));
        let rooms = [&r1, &small, &big];
        assert_eq!(
            suggest_move(&b, &rooms, &[&a, &b], from, to),
            Some(Move::Room { room: "big".into() })
        );
        let busy = meeting("c", "big", at(14, 0), 120);
        assert_eq!(
            suggest_move(&b, &rooms, &[&a, &b, &busy], from, to),
            Some(Move::Time {
                starts_at: at(15, 0)
            })
        );
    }
}
