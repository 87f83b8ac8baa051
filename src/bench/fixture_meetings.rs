//! The meetings, onboarding and facilities part of a generated office:
//! rooms and bookable things per site, meetings in working hours over the
//! last month and the next two (some repeating weekly, a few double-booked,
//! as happens), people joining and leaving with their plans, and
//! maintenance requests (a few past their SLA), equipment and the people
//! directory with its managers.

use chrono::TimeZone;
use rand::Rng;
use rand::rngs::StdRng;

use crate::model::*;
use crate::ops::{Op, PlanInput, Session};
use crate::store::{Result, Store};

/// Rooms every site has: name, seats, kind.
const ROOMS: &[(&str, i64, RoomKind)] = &[
    ("Room 1", 6, RoomKind::Room),
    ("Room 2", 4, RoomKind::Room),
    ("Board room", 14, RoomKind::Room),
    ("Projector", 0, RoomKind::Equipment),
];

const MEETINGS: &[&str] = &[
    "Ops weekly",
    "Vendor review",
    "Budget check-in",
    "Facilities walk-through",
    "All hands",
    "IT sync",
    "Hiring panel",
    "Office move planning",
    "Supplier call",
    "Safety briefing",
];

/// Rooms at each site, then `count` meetings booking them.
pub fn meetings(
    store: &Store,
    rng: &mut StdRng,
    count: usize,
    sites: &[String],
    today: Date,
    mut tick: impl FnMut(usize),
) -> Result<()> {
    let mut rooms = Vec::new();
    for (n, site) in sites.iter().enumerate() {
        for (name, seats, kind) in ROOMS {
            let name = if n == 0 {
                name.to_string()
            } else {
                format!("{name} ({})", n + 1)
            };
            rooms.push(store.create(Room {
                id: new_id(),
                name,
                site: Some(site.clone()),
                capacity: *seats,
                kind: *kind,
                ..Default::default()
            })?);
        }
    }
    for i in 0..count {
        let day = today.add_days(rng.random_range(-30..60));
        let slot = rng.random_range(0..16);
        let start = chrono::Local
            .from_local_datetime(&day.0.and_hms_opt(9, 0, 0).unwrap_or_default())
            .earliest()
            .map_or(Stamp::now(), |t| {
                Stamp(t.with_timezone(&chrono::Utc) + chrono::Duration::minutes(30 * slot))
            });
        let mut agenda = std::collections::BTreeMap::new();
        let mut rank: Option<String> = None;
        for point in ["Updates", "Open issues", "Next steps"] {
            let next = order::between(rank.as_deref(), None);
            agenda.insert(
                new_id(),
                AgendaItem {
                    text: point.into(),
                    minutes: Some(10),
                    rank: next.clone(),
                    ..Default::default()
                },
            );
            rank = Some(next);
        }
        let people = super::fixture::PEOPLE;
        store.create(Meeting {
            id: new_id(),
            title: MEETINGS[i % MEETINGS.len()].to_string(),
            starts_at: start,
            duration_minutes: [30, 45, 60][rng.random_range(0..3)],
            room: Some(rooms[rng.random_range(0..rooms.len())].clone()),
            attendees: (0..rng.random_range(2..6))
                .map(|_| people[rng.random_range(0..people.len())].to_string())
                .collect(),
            repeat: (i % 25 == 0).then_some(Repeat::Week),
            agenda,
            notes: autosurgeon::Text::with_value(super::fixture::words(rng, 80)),
            decisions: "Keep the current supplier".into(),
            ..Default::default()
        })?;
        tick(1);
    }
    Ok(())
}

/// Two people joining and one leaving, started from the built-in templates.
pub fn plans(store: &Store, today: Date, site: &str) -> Result<()> {
    let mut session = Session::open(store)?.with_today(today);
    let site = store.get::<Site>(site)?.map(|s| s.name);
    for (kind, person, offset) in [
        (PlanKind::Onboarding, "Dana Lee", 3),
        (PlanKind::Onboarding, "Sam Patel", 17),
        (PlanKind::Offboarding, "Chris Young", 9),
    ] {
        session.apply(
            store,
            Op::StartPlan {
                plan: PlanInput {
                    kind,
                    person: person.into(),
                    template: String::new(),
                    date: today.add_days(offset).to_string(),
                    manager: Some(store.me()?.name),
                    site: site.clone(),
                },
                id: None,
            },
        )?;
    }
    Ok(())
}

/// What breaks in an office: title, category, priority.
const BROKEN: &[(&str, RequestCategory, Priority)] = &[
    (
        "Kitchen tap leaks",
        RequestCategory::Plumbing,
        Priority::High,
    ),
    (
        "Air conditioning too cold",
        RequestCategory::Hvac,
        Priority::Normal,
    ),
    (
        "Flickering lights in the hallway",
        RequestCategory::Electrical,
        Priority::Normal,
    ),
    (
        "Printer jams on every job",
        RequestCategory::It,
        Priority::High,
    ),
    (
        "Carpet stain by reception",
        RequestCategory::Cleaning,
        Priority::Low,
    ),
    (
        "Front door does not lock",
        RequestCategory::Other,
        Priority::Urgent,
    ),
    (
        "Toilet keeps running",
        RequestCategory::Plumbing,
        Priority::Normal,
    ),
    (
        "Wi-Fi drops in the meeting rooms",
        RequestCategory::It,
        Priority::Urgent,
    ),
];

/// Maintenance requests at each site over the last two months: most done,
/// some open, a few past their SLA.
pub fn maintenance(store: &Store, rng: &mut StdRng, sites: &[String], now: Stamp) -> Result<()> {
    let people = super::fixture::PEOPLE;
    for (n, site) in sites.iter().enumerate() {
        for (i, (title, category, priority)) in BROKEN.iter().enumerate() {
            let age = rng.random_range(0..60);
            let opened = Stamp(
                now.0
                    - chrono::Duration::days(age)
                    - chrono::Duration::hours(rng.random_range(0..8)),
            );
            let status = match (i + n) % 5 {
                0 => RequestStatus::New,
                1 => RequestStatus::InProgress,
                _ if age < 3 => RequestStatus::Scheduled,
                _ => RequestStatus::Done,
            };
            store.create(MaintenanceRequest {
                id: new_id(),
                title: title.to_string(),
                site: site.clone(),
                location: ["Kitchen", "Reception", "2nd floor", "Meeting room"]
                    [rng.random_range(0..4)]
                .into(),
                category: *category,
                priority: *priority,
                status,
                reporter: Some(people[rng.random_range(0..people.len())].into()),
                assignee: Some(people[rng.random_range(0..people.len())].into()),
                opened_at: Some(opened),
                closed_at: (status == RequestStatus::Done)
                    .then(|| Stamp(opened.0 + chrono::Duration::days(1))),
                ..Default::default()
            })?;
        }
    }
    Ok(())
}

/// A laptop and a phone per person, some spares in stock at the first
/// site, a few warranties ending within the month.
pub fn equipment(store: &Store, sites: &[String], today: Date) -> Result<()> {
    let mut n = 0;
    let add = |name: &str, holder: Option<&str>, site: &str, n: &mut usize| -> Result<()> {
        *n += 1;
        let tag = format!("{}-{:04}", if name == "Laptop" { "LT" } else { "PH" }, *n);
        let mut asset = Asset {
            id: new_id(),
            tag,
            name: name.into(),
            model: if name == "Laptop" {
                "ThinkPad T14"
            } else {
                "Pixel 8"
            }
            .into(),
            serial: format!("SN{:06}", *n * 7919),
            site: Some(site.to_string()),
            purchased: Some(today.add_days(-(*n as i64 * 23) % 900)),
            warranty_end: Some(today.add_days(((*n as i64 * 37) % 720) - 20)),
            ..Default::default()
        };
        if let Some(person) = holder {
            asset.holder = Some(person.to_string());
            asset.status = AssetStatus::Assigned;
            asset.history.insert(
                new_id(),
                crate::model::equipment::AssetEvent {
                    at: Stamp::now(),
                    action: "assigned".into(),
                    person: Some(person.to_string()),
                    by: store.me()?.name,
                },
            );
        }
        store.create(asset)?;
        Ok(())
    };
    for (i, person) in super::fixture::PEOPLE.iter().enumerate() {
        let site = &sites[i % sites.len()];
        add("Laptop", Some(person), site, &mut n)?;
        add("Phone", Some(person), site, &mut n)?;
    }
    for _ in 0..4 {
        add("Laptop", None, &sites[0], &mut n)?;
    }
    Ok(())
}

/// Titles and departments of the generated office's people, in
/// [`super::fixture::PEOPLE`] order; the first is everyone's manager's
/// manager.
const ROLES: &[(&str, &str)] = &[
    ("Head of operations", "Operations"),
    ("Office manager", "Operations"),
    ("Facilities lead", "Facilities"),
    ("IT coordinator", "IT"),
    ("Finance officer", "Finance"),
    ("Receptionist", "Operations"),
    ("Facilities technician", "Facilities"),
    ("Buyer", "Finance"),
];

/// The directory: everyone with a title, department, site and manager
/// (the head of operations at the top, two team leads under them).
pub fn people(store: &Store, sites: &[String]) -> Result<()> {
    let names = super::fixture::PEOPLE;
    let ids: Vec<String> = names.iter().map(|_| new_id()).collect();
    for (i, name) in names.iter().enumerate() {
        let (title, department) = ROLES
            .get(i)
            .copied()
            .unwrap_or(("Coordinator", "Operations"));
        let manager = match i {
            0 => None,
            1 | 2 => Some(ids[0].clone()),
            _ if i % 2 == 0 => Some(ids[2].clone()),
            _ => Some(ids[1].clone()),
        };
        let first = name
            .split_whitespace()
            .next()
            .unwrap_or(name)
            .to_lowercase();
        store.create(Person {
            id: ids[i].clone(),
            name: name.to_string(),
            title: title.into(),
            department: department.into(),
            manager,
            site: Some(sites[i % sites.len()].clone()),
            email: format!("{first}@example.com"),
            phone: format!("555-01{i:02}"),
            ..Default::default()
        })?;
    }
    Ok(())
}
