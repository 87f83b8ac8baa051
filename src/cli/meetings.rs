//! `bureau meeting ...` and `bureau room ...`: meetings with their agenda,
//! notes, action items (tasks) and follow-up summary; rooms and the
//! bookings that clash.

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use super::output::{note, print_json, say, table};
use super::records::{
    ChangeCommand, ReadCommand, create, created, fields, resolve, run_change, run_read,
};
use crate::model::bookings::{self, Move};

use crate::model::schema::FieldText;
use crate::model::{Meeting, Record, Room, Task};
use crate::ops::{AgendaInput, Op, Session, TextChange};
use crate::report::meeting_summary::Summary;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Schedule a meeting; prints the new id alone.
    Add(MeetingArgs),
    /// The agenda: add a point (prints its id), move or remove one.
    Agenda {
        id: String,
        #[command(subcommand)]
        command: AgendaCommand,
    },
    /// Add to the notes, or replace them with a file's text (what changed
    /// is merged with notes others are taking).
    Notes {
        id: String,
        #[arg(
            long,
            conflicts_with = "from_file",
            required_unless_present = "from_file"
        )]
        append: Option<String>,
        #[arg(long, value_name = "F")]
        from_file: Option<std::path::PathBuf>,
    },
    /// An action item: a task linked to the meeting; prints the task id.
    Action {
        id: String,
        text: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        due: Option<String>,
    },
    /// The follow-up to send: attendees, agenda, decisions, action items.
    Summary {
        id: String,
        #[arg(long, default_value = "md", value_parser = ["md", "html"])]
        format: String,
    },
    #[command(flatten)]
    Read(ReadCommand),
    /// set (KEY=VALUE: title, starts_at, duration_minutes, room, location,
    /// attendees, repeat, decisions), rename, delete, restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

#[derive(Debug, Args)]
pub struct MeetingArgs {
    pub title: String,
    /// Day and time here: "2026-11-24 14:00", "tomorrow 9:30".
    #[arg(long)]
    pub at: String,
    #[arg(long, default_value = "30")]
    pub minutes: String,
    /// A room (or bookable thing) by name.
    #[arg(long)]
    pub room: Option<String>,
    /// A video link or a place that is not a room.
    #[arg(long)]
    pub location: Option<String>,
    /// Members or guests; repeat for each.
    #[arg(long = "attendee", value_name = "NAME")]
    pub attendees: Vec<String>,
    /// Repeat: week, 2weeks or month.
    #[arg(long)]
    pub every: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AgendaCommand {
    /// Add a point at the end; prints its id.
    Add {
        text: String,
        #[arg(long)]
        owner: Option<String>,
        /// Time box.
        #[arg(long)]
        minutes: Option<i64>,
    },
    /// Move a point after another (or first).
    Move {
        item: String,
        #[arg(long, conflicts_with = "first", required_unless_present = "first")]
        after: Option<String>,
        #[arg(long)]
        first: bool,
    },
    /// Remove a point.
    Remove { item: String },
}

#[derive(Debug, Subcommand)]
pub enum RoomCommand {
    /// Add a room (or a bookable thing with --kind equipment); prints its id.
    Add {
        name: String,
        #[arg(long)]
        site: String,
        #[arg(long)]
        capacity: Option<i64>,
        #[arg(long)]
        kind: Option<String>,
    },
    /// Meetings booking one room for overlapping times (in the next eight
    /// weeks), with where one of them can move.
    Clashes {
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Read(ReadCommand),
    /// set (KEY=VALUE: name, site, capacity, kind, notes), rename, delete,
    /// restore.
    #[command(flatten)]
    Change(ChangeCommand),
}

pub fn run_meeting(store: &Store, session: &mut Session, command: MeetingCommand) -> Result<()> {
    match command {
        MeetingCommand::Add(a) => {
            let attendees = (!a.attendees.is_empty()).then(|| a.attendees.join(", "));
            let id = created(
                store,
                session,
                Meeting::KIND,
                fields(vec![
                    ("title", Some(a.title)),
                    ("starts_at", Some(a.at)),
                    ("duration_minutes", Some(a.minutes)),
                    ("room", a.room),
                    ("location", a.location),
                    ("attendees", attendees),
                    ("repeat", a.every),
                ]),
            )?;
            say!("{id}");
            warn_clashes(store, session, &id)
        }
        MeetingCommand::Agenda { id, command } => {
            let meeting = resolve::<Meeting>(store, &id)?;
            agenda(store, session, meeting, command)
        }
        MeetingCommand::Notes {
            id,
            append,
            from_file,
        } => {
            let id = resolve::<Meeting>(store, &id)?;
            let change = match (append, from_file) {
                (Some(text), _) => TextChange::Append { text },
                (None, Some(path)) => {
                    let after = std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    let before = store.require::<Meeting>(&id)?.notes.as_str().to_string();
                    TextChange::Replace { before, after }
                }
                (None, None) => anyhow::bail!("give --append TEXT or --from-file F"),
            };
            let op = Op::EditText {
                kind: Meeting::KIND.into(),
                id,
                field: "notes".into(),
                change,
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        MeetingCommand::Action {
            id,
            text,
            owner,
            due,
        } => {
            let meeting = resolve::<Meeting>(store, &id)?;
            create(
                store,
                session,
                Task::KIND,
                fields(vec![
                    ("title", Some(text)),
                    ("owner", Some(owner)),
                    ("due", due),
                    ("meeting", Some(meeting)),
                ]),
            )
        }
        MeetingCommand::Summary { id, format } => {
            let id = resolve::<Meeting>(store, &id)?;
            let summary = summary(store, &id)?;
            for warning in summary.warnings() {
                note!("before sending: {warning}");
            }
            if format == "html" {
                say!("{}", summary.html().map_err(anyhow::Error::msg)?);
            } else {
                say!("{}", summary.markdown());
            }
            Ok(())
        }
        MeetingCommand::Read(read) => run_read::<Meeting>(store, read),
        MeetingCommand::Change(change) => run_change::<Meeting>(store, session, change),
    }
}

fn agenda(
    store: &Store,
    session: &mut Session,
    meeting: String,
    command: AgendaCommand,
) -> Result<()> {
    let find = |item: &str| -> Result<String> {
        let m = store.require::<Meeting>(&meeting)?;
        let found: Vec<&String> = m.agenda.keys().filter(|k| k.starts_with(item)).collect();
        match found.as_slice() {
            [one] => Ok((*one).clone()),
            [] => anyhow::bail!("the meeting has no agenda point {item:?}"),
            _ => anyhow::bail!("{item:?} could be several agenda points; give more of the id"),
        }
    };
    let op = match command {
        AgendaCommand::Add {
            text,
            owner,
            minutes,
        } => {
            let op = Op::AddAgendaItem {
                meeting,
                point: AgendaInput {
                    text,
                    owner,
                    minutes,
                },
                id: None,
            };
            say!("{}", session.apply(store, op)?.created.unwrap_or_default());
            return Ok(());
        }
        AgendaCommand::Move { item, after, first } => Op::MoveAgendaItem {
            item: find(&item)?,
            after: if first {
                None
            } else {
                after.as_deref().map(find).transpose()?
            },
            meeting,
        },
        AgendaCommand::Remove { item } => Op::RemoveAgendaItem {
            item: find(&item)?,
            meeting,
        },
    };
    super::report_outcome(&session.apply(store, op)?)
}

/// The summary of meeting `id` from this device's records.
pub fn summary(store: &Store, id: &str) -> Result<Summary> {
    let meeting = store.require::<Meeting>(id)?;
    let room = match &meeting.room {
        Some(room) => store.get::<Room>(room)?.map(|r| r.name),
        None => None,
    };
    let tasks: Vec<Task> = store
        .list::<Task>(false)?
        .into_iter()
        .filter(|t| t.meeting.as_deref() == Some(id))
        .collect();
    let tasks: Vec<&Task> = tasks.iter().collect();
    Ok(Summary::of(&meeting, room.as_deref(), &tasks))
}

/// Says (on stderr) when a new booking clashes with another.
fn warn_clashes(store: &Store, session: &Session, id: &str) -> Result<()> {
    for c in clash_rows(store, session)? {
        if c.first.meeting == id || c.second.meeting == id {
            let other = if c.first.meeting == id {
                &c.second
            } else {
                &c.first
            };
            note!(
                "warning: {} is also booked by “{}” at {}; see `bureau room clashes`",
                c.room_name,
                other.title,
                other.start
            );
        }
    }
    Ok(())
}

pub fn run_room(store: &Store, session: &mut Session, command: RoomCommand) -> Result<()> {
    match command {
        RoomCommand::Add {
            name,
            site,
            capacity,
            kind,
        } => create(
            store,
            session,
            Room::KIND,
            fields(vec![
                ("name", Some(name)),
                ("site", Some(site)),
                ("capacity", capacity.map(|c| c.to_string())),
                ("kind", kind),
            ]),
        ),
        RoomCommand::Clashes { json } => {
            let rows = clash_rows(store, session)?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                say!("No clashes: no room is booked twice at once in the next eight weeks.");
                return Ok(());
            }
            let mut t = table(&["Room", "When", "Meeting", "Clashes with", "Suggested move"]);
            for r in &rows {
                t.add_row(vec![
                    r.room_name.clone(),
                    format!("{}–{}", r.first.start, r.first.end_time),
                    r.first.title.clone(),
                    format!(
                        "{} ({}–{})",
                        r.second.title, r.second.start, r.second.end_time
                    ),
                    r.suggestion
                        .clone()
                        .unwrap_or_else(|| "no free room or time that day".into()),
                ]);
            }
            say!("{t}");
            Ok(())
        }
        RoomCommand::Read(read) => run_read::<Room>(store, read),
        RoomCommand::Change(change) => run_change::<Room>(store, session, change),
    }
}

/// One clash as `room clashes` prints it.
#[derive(Debug, serde::Serialize)]
pub struct ClashRow {
    pub room: String,
    pub room_name: String,
    pub first: Booking,
    pub second: Booking,
    /// The meeting to move and where, the same on every device.
    pub move_meeting: Option<String>,
    #[serde(rename = "move")]
    pub to: Option<Move>,
    pub suggestion: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct Booking {
    pub meeting: String,
    pub title: String,
    /// Local "2026-11-24 14:00".
    pub start: String,
    pub end_time: String,
}

fn clash_rows(store: &Store, session: &Session) -> Result<Vec<ClashRow>> {
    let meetings = store.list::<Meeting>(false)?;
    let rooms = store.list::<Room>(false)?;
    let meetings: Vec<&Meeting> = meetings.iter().collect();
    let rooms: Vec<&Room> = rooms.iter().collect();
    let (from, to) = bookings::window(session.today());
    let room_name = |id: &str| {
        rooms
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    };
    let title = |id: &str| {
        meetings
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.title.clone())
            .unwrap_or_default()
    };
    let booking = |o: &bookings::Occurrence| Booking {
        meeting: o.meeting.clone(),
        title: title(&o.meeting),
        start: o.start.to_text(),
        end_time: o.end.to_text().chars().skip(11).collect(),
    };
    Ok(bookings::resolutions(&meetings, &rooms, from, to)
        .into_iter()
        .map(|r| {
            let suggestion = match (&r.moving, &r.to) {
                (Some(m), Some(to)) => meetings
                    .iter()
                    .find(|x| x.id == *m)
                    .map(|m| to.describe(m, room_name)),
                _ => None,
            };
            ClashRow {
                room_name: room_name(&r.clash.room),
                room: r.clash.room.clone(),
                first: booking(&r.clash.first),
                second: booking(&r.clash.second),
                move_meeting: r.moving,
                to: r.to,
                suggestion,
            }
        })
        .collect())
}
