//! The Meetings and Onboarding parts of the view model: meetings by start,
//! rooms, the clashes of the next eight weeks with their moves, each
//! meeting's action items (tasks naming it), and the plans with their
//! steps and progress. Rebuilt when the meetings or onboarding document
//! changes, when tasks change (action items and steps are tasks), or when
//! the day turns; never per frame.

use std::collections::BTreeMap;
use std::sync::Arc;

use automerge::{Automerge, ObjId};

use super::cache::RecordCache;
use crate::model::bookings::{self, Occurrence, Resolution};
use crate::model::onboarding::{Progress, available_templates};
use crate::model::{
    Date, Meeting, OnboardingPlan, OnboardingTemplate, PlanKind, Record, Room, Stamp, Task,
};
use crate::store::{Result, Store, Unreadable};

/// Everything the Meetings and Onboarding areas show.
#[derive(Debug, Clone, Default)]
pub struct MeetingsView {
    /// Live meetings, soonest first.
    pub meetings: Arc<Vec<Arc<Meeting>>>,
    /// Those still to come: starting today or later, or repeating on.
    pub upcoming: Arc<Vec<Arc<Meeting>>>,
    /// Meeting id -> its next time from today (repeating meetings).
    pub next: Arc<BTreeMap<String, Stamp>>,
    /// Live rooms, by name.
    pub rooms: Arc<Vec<Arc<Room>>>,
    /// Clashes from today for eight weeks, with the move that ends each.
    pub clashes: Arc<Vec<Resolution>>,
    /// Meeting id -> its action items, soonest due first.
    pub actions: Arc<BTreeMap<String, Vec<Arc<Task>>>>,
    /// Plans, soonest date first, with their progress.
    pub plans: Arc<Vec<(Arc<OnboardingPlan>, Progress)>>,
    /// Plan id -> its steps, by due date.
    pub steps: Arc<BTreeMap<String, Vec<Arc<Task>>>>,
    /// The workspace's templates and the built-in ones they do not replace.
    pub templates: Arc<Vec<Arc<OnboardingTemplate>>>,
    /// The workspace's own templates (editable) by id.
    pub own_templates: Arc<BTreeMap<String, Arc<OnboardingTemplate>>>,
    pub computed_for: Date,
}

impl MeetingsView {
    pub fn meeting(&self, id: &str) -> Option<&Arc<Meeting>> {
        self.meetings.iter().find(|m| m.id == id)
    }

    pub fn room_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.rooms
            .iter()
            .find(|r| r.id == id)
            .map_or(id, |r| r.name.as_str())
    }

    /// Whether meeting `id` is in a clash.
    pub fn clashing(&self, id: &str) -> bool {
        self.clashes
            .iter()
            .any(|r| r.clash.first.meeting == id || r.clash.second.meeting == id)
    }

    /// The times meetings take place in `[from, from + days)`, with the
    /// room each books, soonest first; `room` keeps only that room's.
    pub fn occurrences(&self, from: Stamp, days: i64, room: Option<&str>) -> Vec<Occurrence> {
        let to = Stamp(from.0 + chrono::Duration::days(days));
        let mut out: Vec<Occurrence> = self
            .meetings
            .iter()
            .filter(|m| room.is_none() || m.room.as_deref() == room)
            .flat_map(|m| bookings::occurrences(m, from, to))
            .collect();
        out.sort_by(|a, b| (a.start, &a.meeting).cmp(&(b.start, &b.meeting)));
        out
    }

    /// Plans starting (or leavers leaving) within the week from `today`,
    /// and plans with late steps.
    pub fn onboarding_this_week(&self, today: Date) -> Vec<&(Arc<OnboardingPlan>, Progress)> {
        let end = today.add_days(7);
        self.plans
            .iter()
            .filter(|(p, progress)| {
                progress.done < progress.total
                    && ((p.start_date >= today && p.start_date <= end) || progress.late > 0)
            })
            .collect()
    }

    pub fn template(&self, id: &str) -> Option<&Arc<OnboardingTemplate>> {
        self.templates.iter().find(|t| t.id == id)
    }

    pub fn templates_of(&self, kind: PlanKind) -> impl Iterator<Item = &Arc<OnboardingTemplate>> {
        self.templates.iter().filter(move |t| t.kind == kind)
    }
}

fn read<R: Record>(doc: &Automerge, obj: &ObjId) -> Result<R> {
    crate::store::read_record_at(doc, obj)
}

/// The record caches behind [`MeetingsView`] and the heads they reflect.
pub struct MeetingsCaches {
    meetings: RecordCache<Meeting>,
    rooms: RecordCache<Room>,
    templates: RecordCache<OnboardingTemplate>,
    plans: RecordCache<OnboardingPlan>,
    heads: (Vec<automerge::ChangeHash>, Vec<automerge::ChangeHash>),
}

impl Default for MeetingsCaches {
    fn default() -> Self {
        MeetingsCaches {
            meetings: RecordCache::new(Meeting::KIND, Meeting::AREA, read::<Meeting>)
                .on_one_thread(),
            rooms: RecordCache::new(Room::KIND, Room::AREA, read::<Room>).on_one_thread(),
            templates: RecordCache::new(
                OnboardingTemplate::KIND,
                OnboardingTemplate::AREA,
                read::<OnboardingTemplate>,
            )
            .on_one_thread(),
            plans: RecordCache::new(
                OnboardingPlan::KIND,
                OnboardingPlan::AREA,
                read::<OnboardingPlan>,
            )
            .on_one_thread(),
            heads: Default::default(),
        }
    }
}

impl MeetingsCaches {
    /// Brings the caches up to date; says whether either document changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        let heads = (
            store.read(Meeting::AREA, |doc| Ok(doc.get_heads()))?,
            store.read(OnboardingPlan::AREA, |doc| Ok(doc.get_heads()))?,
        );
        if heads == self.heads {
            return Ok(false);
        }
        self.heads = heads;
        self.meetings.refresh(store)?;
        self.rooms.refresh(store)?;
        self.templates.refresh(store)?;
        self.plans.refresh(store)?;
        Ok(true)
    }

    pub fn unreadable(&self) -> Vec<Vec<Unreadable>> {
        vec![
            self.meetings.unreadable(),
            self.rooms.unreadable(),
            self.templates.unreadable(),
            self.plans.unreadable(),
        ]
    }

    /// The view from the records of the last refresh and the live tasks
    /// (clashes are worked out here, once per change of the document).
    pub fn build(&self, tasks: &[Arc<Task>], today: Date) -> MeetingsView {
        let mut meetings = self.meetings.records();
        meetings.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
        let mut rooms = self.rooms.records();
        rooms.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
        let (from, to) = bookings::window(today);
        let far = Stamp(from.0 + chrono::Duration::days(3660));
        let mut next = BTreeMap::new();
        let mut upcoming = Vec::new();
        for m in &meetings {
            if let Some(first) = bookings::occurrences(m, from, far).first() {
                next.insert(m.id.clone(), first.start);
                upcoming.push(m.clone());
            }
        }
        upcoming.sort_by(|a, b| (next.get(&a.id), &a.id).cmp(&(next.get(&b.id), &b.id)));
        let clashes = bookings::resolutions(
            &meetings.iter().map(|m| &**m).collect::<Vec<_>>(),
            &rooms.iter().map(|r| &**r).collect::<Vec<_>>(),
            from,
            to,
        );
        let own = self.templates.records();
        let templates = available_templates(own.iter().map(|t| &**t))
            .into_iter()
            .map(Arc::new)
            .collect();
        let view = MeetingsView {
            meetings: Arc::new(meetings),
            upcoming: Arc::new(upcoming),
            next: Arc::new(next),
            rooms: Arc::new(rooms),
            clashes: Arc::new(clashes),
            actions: Arc::default(),
            plans: Arc::default(),
            steps: Arc::default(),
            templates: Arc::new(templates),
            own_templates: Arc::new(own.into_iter().map(|t| (t.id.clone(), t)).collect()),
            computed_for: today,
        };
        self.link(&view, tasks)
    }

    /// `view` with its action items, plan steps and progress taken from
    /// `tasks` again (after tasks changed and nothing else did): the
    /// meetings, rooms and clashes stay the same `Arc`s.
    pub fn link(&self, view: &MeetingsView, tasks: &[Arc<Task>]) -> MeetingsView {
        let today = view.computed_for;
        let mut actions: BTreeMap<String, Vec<Arc<Task>>> = BTreeMap::new();
        let mut steps: BTreeMap<String, Vec<Arc<Task>>> = BTreeMap::new();
        for task in tasks {
            if let Some(m) = &task.meeting {
                actions.entry(m.clone()).or_default().push(task.clone());
            }
            if let Some(p) = &task.plan {
                steps.entry(p.clone()).or_default().push(task.clone());
            }
        }
        for list in actions.values_mut().chain(steps.values_mut()) {
            list.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
        }
        let mut plans: Vec<(Arc<OnboardingPlan>, Progress)> = self
            .plans
            .records()
            .into_iter()
            .map(|p| {
                let progress =
                    Progress::of(steps.get(&p.id).into_iter().flatten().map(|t| &**t), today);
                (p, progress)
            })
            .collect();
        plans.sort_by(|a, b| (a.0.start_date, &a.0.id).cmp(&(b.0.start_date, &b.0.id)));
        MeetingsView {
            actions: Arc::new(actions),
            steps: Arc::new(steps),
            plans: Arc::new(plans),
            ..view.clone()
        }
    }
}
