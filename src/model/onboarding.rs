//! Onboarding and offboarding: templates of steps, and the plans started
//! from them for one person. A plan's steps are tasks that name the plan
//! (`Task::plan`), so they sit on the board and in "Mine" like any work,
//! and the plan's progress is theirs.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use chrono::{Datelike, Weekday};
use serde::{Deserialize, Serialize};

use super::record::{ValidationError, record, require_text};
use super::tasks::Task;
use super::values::{Date, string_enum};

string_enum! {
    /// What kind of work a step is. `Access` on a leaver's plan removes the
    /// person's devices from the workspace when it is completed.
    pub enum StepCategory {
        It = "it", Badge = "badge", Hr = "hr", Facilities = "facilities",
        Orientation = "orientation", Introductions = "introductions",
        Equipment = "equipment", Access = "access", Other = "other"
    }
}

string_enum! {
    pub enum PlanKind { Onboarding = "onboarding", Offboarding = "offboarding" }
}

/// Who does a step, as written in a template: the plan's manager, the
/// person themself, whoever starts the plan, or a named person.
pub const MANAGER: &str = "manager";
pub const PERSON: &str = "person";
pub const COORDINATOR: &str = "coordinator";

/// One step of a template. `offset_days` counts calendar days from the
/// start date (the last day, for a leaver): −7 is a week before, 0 is day
/// one, 30 a month after. A date that falls on a weekend moves to the
/// working day before it for steps due before the start (they must be done
/// by then) and to the Monday after for the others.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate)]
pub struct TemplateStep {
    pub title: String,
    pub category: StepCategory,
    /// `manager`, `person`, `coordinator` or a person's name.
    pub responsible: String,
    pub offset_days: i64,
    /// Order in the template (see [`super::order`]).
    pub rank: String,
}

super::field_write::nested_fields!(TemplateStep {
    title,
    category,
    responsible,
    offset_days,
    rank
});

record! {
    /// A reusable list of steps. Templates named like a built-in one
    /// ("New hire", "Leaver") replace it in this workspace.
    pub struct OnboardingTemplate ("onboarding_templates" in Onboarding) {
        pub name: String,
        pub kind: PlanKind,
        pub steps: BTreeMap<String, TemplateStep>,
    }
    validate(t) {
        require_text("template name", &t.name)?;
        for s in t.steps.values() {
            require_text("step title", &s.title)?;
            if !(-365..=365).contains(&s.offset_days) {
                return Err(ValidationError::new("offset", "must be within a year of the start (−365 to 365 days)"));
            }
        }
        Ok(())
    }
}

impl OnboardingTemplate {
    /// The steps in order: by rank, then id.
    pub fn steps_in_order(&self) -> Vec<(&String, &TemplateStep)> {
        let mut steps: Vec<_> = self.steps.iter().collect();
        steps.sort_by(|a, b| (&a.1.rank, a.0).cmp(&(&b.1.rank, b.0)));
        steps
    }
}

record! {
    /// One person's onboarding (or offboarding): the steps are tasks.
    pub struct OnboardingPlan ("onboarding_plans" in Onboarding) {
        pub person: String,
        pub kind: PlanKind,
        /// The first day (onboarding) or the last day (offboarding).
        pub start_date: Date,
        pub manager: Option<String>,
        /// Site id.
        pub site: Option<String>,
        /// The template's name when the plan was started.
        pub template: String,
        pub notes: String,
    }
    validate(p) {
        require_text("person", &p.person)
    }
}

super::schema::describe! {
    OnboardingPlan, label: "plan", title: "Onboarding", name: person,
    fields {
        person: "Person", Text, required, column;
        kind: "Kind", Choice(PlanKind::NAMES), column, own_place;
        start_date: "Start (or last day)", Date, required, column;
        manager: "Manager", Person, column;
        site: "Site", Reference("sites"), column;
        template: "Template", Text, column, own_place;
        notes: "Notes", LongText;
    }
}

super::schema::describe! {
    OnboardingTemplate, label: "template", title: "Templates", name: name,
    unique_name: true,
    fields {
        name: "Name", Text, required, column;
        kind: "Kind", Choice(PlanKind::NAMES), column;
    }
}

/// The due date of a step `offset` days from `start`, off weekends.
pub fn due_date(start: Date, offset: i64) -> Date {
    let due = start.add_days(offset);
    let before_start = offset < 0;
    match (due.0.weekday(), before_start) {
        (Weekday::Sat, true) => due.add_days(-1),
        (Weekday::Sun, true) => due.add_days(-2),
        (Weekday::Sat, false) => due.add_days(2),
        (Weekday::Sun, false) => due.add_days(1),
        _ => due,
    }
}

/// How an offset reads: "day 1" (or "last day" for a leaver), "−7d", "+30d".
pub fn offset_text(offset: i64, kind: PlanKind) -> String {
    match offset {
        0 if kind == PlanKind::Offboarding => "last day".into(),
        0 => "day 1".into(),
        n if n < 0 => format!("\u{2212}{}d", -n),
        n => format!("+{n}d"),
    }
}

/// Reads an offset as typed: `-7d`, `−7`, `day 1`, `+30d`, `30`.
pub fn parse_offset(text: &str) -> Result<i64, String> {
    let t = text.trim().to_lowercase().replace('\u{2212}', "-");
    if matches!(t.as_str(), "day 1" | "day one" | "start" | "last day") {
        return Ok(0);
    }
    let number = t.trim_end_matches('d').trim_start_matches('+').trim();
    number.parse().map_err(|_| {
        format!("{text:?} is not an offset; type days from the start: -7d, day 1, +30d")
    })
}

/// A built-in template: (title, category, responsible, offset).
type BuiltIn = (
    &'static str,
    PlanKind,
    &'static [(&'static str, StepCategory, &'static str, i64)],
);

/// The templates every workspace starts with.
const BUILT_IN: &[BuiltIn] = &[
    (
        "New hire",
        PlanKind::Onboarding,
        &[
            (
                "IT setup: laptop, accounts and email",
                StepCategory::It,
                COORDINATOR,
                -5,
            ),
            ("Badge access", StepCategory::Badge, COORDINATOR, -2),
            (
                "Orientation schedule sent",
                StepCategory::Orientation,
                MANAGER,
                -3,
            ),
            (
                "Welcome and office tour",
                StepCategory::Orientation,
                COORDINATOR,
                0,
            ),
            (
                "Departmental introductions",
                StepCategory::Introductions,
                MANAGER,
                1,
            ),
            ("First-week check-in", StepCategory::Hr, MANAGER, 4),
            ("30-day check-in", StepCategory::Hr, MANAGER, 30),
        ],
    ),
    (
        "Leaver",
        PlanKind::Offboarding,
        &[
            ("Knowledge handover", StepCategory::Other, MANAGER, -10),
            ("Exit interview", StepCategory::Hr, MANAGER, -3),
            ("Return equipment", StepCategory::Equipment, COORDINATOR, 0),
            (
                "Collect badge and keys",
                StepCategory::Badge,
                COORDINATOR,
                0,
            ),
            ("Revoke access", StepCategory::Access, COORDINATOR, 0),
        ],
    ),
];

/// The built-in templates as records (not stored until someone edits one).
pub fn built_in_templates() -> Vec<OnboardingTemplate> {
    BUILT_IN
        .iter()
        .map(|(name, kind, steps)| {
            let mut rank: Option<String> = None;
            let steps = steps
                .iter()
                .enumerate()
                .map(|(i, (title, category, responsible, offset))| {
                    let next = super::order::between(rank.as_deref(), None);
                    rank = Some(next.clone());
                    (
                        format!("step-{i}"),
                        TemplateStep {
                            title: title.to_string(),
                            category: *category,
                            responsible: responsible.to_string(),
                            offset_days: *offset,
                            rank: next,
                        },
                    )
                })
                .collect();
            OnboardingTemplate {
                id: format!("built-in-{}", name.to_lowercase().replace(' ', "-")),
                name: name.to_string(),
                kind: *kind,
                steps,
                ..Default::default()
            }
        })
        .collect()
}

/// The templates to choose from: the workspace's own, and each built-in
/// one no workspace template replaces (by name), sorted by name.
pub fn available_templates<'a>(
    own: impl IntoIterator<Item = &'a OnboardingTemplate>,
) -> Vec<OnboardingTemplate> {
    let mut all: Vec<OnboardingTemplate> = own
        .into_iter()
        .filter(|t| t.deleted_at.is_none())
        .cloned()
        .collect();
    for built in built_in_templates() {
        if !all
            .iter()
            .any(|t| super::schema::same_name(&t.name, &built.name))
        {
            all.push(built);
        }
    }
    all.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    all
}

/// How far a plan has got, from its tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// Open steps past their due date.
    pub late: usize,
}

impl Progress {
    pub fn of<'a>(steps: impl IntoIterator<Item = &'a Task>, today: Date) -> Progress {
        let mut p = Progress::default();
        for task in steps.into_iter().filter(|t| t.deleted_at.is_none()) {
            p.total += 1;
            if !task.is_open() {
                p.done += 1;
            } else if task.is_overdue(today) {
                p.late += 1;
            }
        }
        p
    }

    /// "3 of 7 steps done, 1 late".
    pub fn summary(&self) -> String {
        let late = if self.late > 0 {
            format!(", {} late", self.late)
        } else {
            String::new()
        };
        format!("{} of {} steps done{late}", self.done, self.total)
    }

    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f32 / self.total as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn due_dates_skip_weekends_before_and_after_the_start() {
        // Monday 2 March 2026.
        let start = d(2026, 3, 2);
        assert_eq!(due_date(start, 0), start);
        // −2: Saturday 28 Feb -> Friday 27 Feb (done before the start).
        assert_eq!(due_date(start, -2), d(2026, 2, 27));
        // −1: Sunday 1 March -> Friday 27 Feb.
        assert_eq!(due_date(start, -1), d(2026, 2, 27));
        // +5: Saturday 7 March -> Monday 9 March.
        assert_eq!(due_date(start, 5), d(2026, 3, 9));
        // +30 over a month end: Wednesday 1 April.
        assert_eq!(due_date(start, 30), d(2026, 4, 1));
        // Over a leap day: 2028-02-26 (Saturday) + 3 = Tuesday 29 February.
        assert_eq!(due_date(d(2028, 2, 26), 3), d(2028, 2, 29));
    }

    #[test]
    fn offsets_read_as_typed_and_print_as_people_say_them() {
        for (typed, days) in [
            ("-7d", -7),
            ("\u{2212}7", -7),
            ("day 1", 0),
            ("+30d", 30),
            ("30", 30),
        ] {
            assert_eq!(parse_offset(typed), Ok(days), "{typed}");
        }
        assert!(parse_offset("soon").is_err());
        assert_eq!(offset_text(-7, PlanKind::Onboarding), "\u{2212}7d");
        assert_eq!(offset_text(0, PlanKind::Onboarding), "day 1");
        assert_eq!(offset_text(0, PlanKind::Offboarding), "last day");
        assert_eq!(offset_text(30, PlanKind::Onboarding), "+30d");
    }

    #[test]
    fn a_workspace_template_named_like_a_built_in_one_replaces_it() {
        let own = OnboardingTemplate {
            id: "t1".into(),
            name: "new hire".into(),
            ..Default::default()
        };
        let names: Vec<String> = available_templates([&own])
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(names, ["built-in-leaver", "t1"]);
    }
}
