//! Meetings (agenda, co-edited notes, decisions) and the rooms and things
//! they book. Action items are tasks that name their meeting
//! (`Task::meeting`), so each has one owner, one due date and one live
//! status, seen from both sides.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, check_len, record, require_text};
use super::values::{Stamp, string_enum};

string_enum! {
    /// How a meeting repeats.
    pub enum Repeat { Week = "week", TwoWeeks = "2weeks", Month = "month" }
}

string_enum! {
    /// A meeting room, or a bookable thing (a projector, the van).
    pub enum RoomKind { Room = "room", Equipment = "equipment" }
}

/// One agenda point. `rank` orders the agenda (see [`super::order`]): two
/// people adding or moving points offline each write only their own
/// points' keys, so both orders survive a merge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct AgendaItem {
    pub text: String,
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub owner: Option<String>,
    /// Time box in minutes.
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub minutes: Option<i64>,
    #[serde(default)]
    #[autosurgeon(missing = "Default::default")]
    pub rank: String,
}

super::field_write::nested_fields!(AgendaItem {
    text,
    owner,
    minutes,
    rank
});

record! {
    pub struct Meeting ("meetings" in Meetings) {
        pub title: String,
        pub starts_at: Stamp,
        pub duration_minutes: i64,
        /// The room (or bookable thing) it books, by id.
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub room: Option<String>,
        /// A video link or a place that is not a bookable room.
        pub location: Option<String>,
        /// Members and outside guests, by name.
        pub attendees: Vec<String>,
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub repeat: Option<Repeat>,
        pub agenda: BTreeMap<String, AgendaItem>,
        /// Co-edited notes (Automerge text, merged character by character).
        #[serde(with = "super::text_edit::text_serde")]
        pub notes: Text,
        /// What was decided, one decision per line.
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub decisions: String,
    }
    validate(m) {
        require_text("meeting title", &m.title)?;
        if !(1..=24 * 60).contains(&m.duration_minutes) {
            return Err(ValidationError::new(
                "minutes",
                "a meeting lasts from 1 to 1440 minutes (--minutes 30)",
            ));
        }
        for a in m.agenda.values() {
            require_text("agenda item", &a.text)?;
            if a.minutes.is_some_and(|n| !(0..=24 * 60).contains(&n)) {
                return Err(ValidationError::new("agenda minutes", "must be 0 to 1440"));
            }
        }
        check_len("notes", m.notes.as_str(), 500_000)?;
        check_len("decisions", &m.decisions, 50_000)
    }
}

impl Meeting {
    /// The agenda in order: by rank, then id.
    pub fn agenda_in_order(&self) -> Vec<(&String, &AgendaItem)> {
        let mut items: Vec<_> = self.agenda.iter().collect();
        items.sort_by(|a, b| (&a.1.rank, a.0).cmp(&(&b.1.rank, b.0)));
        items
    }

    /// A rank after the last agenda point.
    pub fn next_agenda_rank(&self) -> String {
        let last = self.agenda_in_order().last().map(|(_, a)| a.rank.clone());
        super::order::between(last.as_deref(), None)
    }

    /// The decisions, one per non-empty line.
    pub fn decision_lines(&self) -> impl Iterator<Item = &str> {
        self.decisions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
    }
}

record! {
    /// A room or bookable thing at a site.
    pub struct Room ("rooms" in Meetings) {
        pub name: String,
        /// Site id.
        pub site: Option<String>,
        /// People it seats (0 for things).
        pub capacity: i64,
        pub kind: RoomKind,
        pub notes: String,
    }
    validate(r) {
        require_text("room name", &r.name)?;
        if r.capacity < 0 {
            return Err(ValidationError::new("capacity", "must be 0 or more"));
        }
        Ok(())
    }
}

super::schema::describe! {
    Meeting, label: "meeting", title: "Meetings", name: title,
    fields {
        title: "Title", Text, required, column;
        starts_at: "Starts", Time, required, column;
        duration_minutes: "Minutes", Int, required, column;
        room: "Room", Reference("rooms"), column;
        location: "Video link or place", Text;
        attendees: "Attendees", List, column;
        repeat: "Repeats", Choice(Repeat::NAMES), column;
        decisions: "Decisions", LongText, own_place;
    }
}

super::schema::describe! {
    Room, label: "room", title: "Rooms", name: name,
    unique_name: true,
    fields {
        name: "Name", Text, required, column;
        site: "Site", Reference("sites"), column;
        capacity: "Capacity", Int, column;
        kind: "Kind", Choice(RoomKind::NAMES), column;
        notes: "Notes", LongText;
    }
}
