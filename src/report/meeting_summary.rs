//! A meeting's follow-up to send: attendees, agenda, decisions and action
//! items with owners and dates, as Markdown (to paste into mail or chat)
//! and as one self-contained HTML page. Action items with no owner or no
//! due date are listed before sending, so they can be fixed first.

use askama::Template;
use serde::Serialize;

use crate::model::{Meeting, Task, schema::FieldText};

/// What the summary says, gathered once for both formats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub title: String,
    /// "2026-11-24 14:00, 30 minutes".
    pub when: String,
    /// The room's name, or the video link or place.
    pub place: String,
    pub attendees: Vec<String>,
    pub agenda: Vec<AgendaLine>,
    pub decisions: Vec<String>,
    pub actions: Vec<ActionLine>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaLine {
    pub text: String,
    /// "Ana Ruiz, 10 min".
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLine {
    pub task: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: String,
}

impl Summary {
    /// `actions`: the tasks naming this meeting; `room`: its room's name.
    pub fn of(meeting: &Meeting, room: Option<&str>, actions: &[&Task]) -> Summary {
        let place = room
            .map(str::to_string)
            .or_else(|| meeting.location.clone())
            .unwrap_or_default();
        let mut actions: Vec<&&Task> = actions.iter().filter(|t| t.deleted_at.is_none()).collect();
        actions.sort_by(|a, b| (a.due, &a.title, &a.id).cmp(&(b.due, &b.title, &b.id)));
        Summary {
            title: meeting.title.clone(),
            when: format!(
                "{}, {} minutes",
                meeting.starts_at.to_text(),
                meeting.duration_minutes
            ),
            place,
            attendees: meeting.attendees.clone(),
            agenda: meeting
                .agenda_in_order()
                .into_iter()
                .map(|(_, a)| AgendaLine {
                    text: a.text.clone(),
                    detail: [a.owner.clone(), a.minutes.map(|m| format!("{m} min"))]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect(),
            decisions: meeting.decision_lines().map(str::to_string).collect(),
            actions: actions
                .into_iter()
                .map(|t| ActionLine {
                    task: t.id.clone(),
                    title: t.title.clone(),
                    owner: t.owner.clone().unwrap_or_default(),
                    due: t.due.map(|d| d.to_string()).unwrap_or_default(),
                    status: t.status.to_string(),
                })
                .collect(),
            notes: meeting.notes.as_str().trim().to_string(),
        }
    }

    /// What to fix before sending: "“Order chairs” has no owner".
    pub fn warnings(&self) -> Vec<String> {
        self.actions
            .iter()
            .filter_map(|a| warning(&a.title, !a.owner.is_empty(), !a.due.is_empty()))
            .collect()
    }

    pub fn markdown(&self) -> String {
        let mut md = format!("# {}\n\n{}", self.title, self.when);
        if !self.place.is_empty() {
            md.push_str(&format!(" · {}", self.place));
        }
        md.push_str("\n\n");
        if !self.attendees.is_empty() {
            md.push_str(&format!("**Attendees:** {}\n\n", self.attendees.join(", ")));
        }
        md.push_str("## Agenda\n\n");
        if self.agenda.is_empty() {
            md.push_str("No agenda.\n");
        }
        for (n, a) in self.agenda.iter().enumerate() {
            md.push_str(&format!("{}. {}", n + 1, a.text));
            if !a.detail.is_empty() {
                md.push_str(&format!(" ({})", a.detail));
            }
            md.push('\n');
        }
        md.push_str("\n## Decisions\n\n");
        if self.decisions.is_empty() {
            md.push_str("None recorded.\n");
        }
        for d in &self.decisions {
            md.push_str(&format!("- {d}\n"));
        }
        md.push_str("\n## Action items\n\n");
        if self.actions.is_empty() {
            md.push_str("None.\n");
        } else {
            md.push_str("| What | Owner | Due | Status |\n|---|---|---|---|\n");
            for a in &self.actions {
                let cell = |s: &str, missing: &str| {
                    if s.is_empty() {
                        format!("**{missing}**")
                    } else {
                        s.replace('|', "\\|")
                    }
                };
                md.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    a.title.replace('|', "\\|"),
                    cell(&a.owner, "no owner"),
                    cell(&a.due, "no due date"),
                    a.status
                ));
            }
        }
        if !self.notes.is_empty() {
            md.push_str(&format!("\n## Notes\n\n{}\n", self.notes));
        }
        md
    }

    /// One self-contained page; every text is HTML-escaped.
    pub fn html(&self) -> Result<String, String> {
        SummaryHtml { s: self }
            .render()
            .map_err(|e| format!("could not lay out the summary: {e}"))
    }
}

/// The same warnings straight from the action items (tasks), without
/// gathering the whole summary (the meeting page shows them every frame).
pub fn action_warnings<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Vec<String> {
    tasks
        .into_iter()
        .filter(|t| t.deleted_at.is_none())
        .filter_map(|t| {
            let owned = t.owner.as_deref().is_some_and(|o| !o.is_empty());
            warning(&t.title, owned, t.due.is_some())
        })
        .collect()
}

fn warning(title: &str, owned: bool, due: bool) -> Option<String> {
    match (owned, due) {
        (false, false) => Some(format!("“{title}” has no owner and no due date")),
        (false, true) => Some(format!("“{title}” has no owner")),
        (true, false) => Some(format!("“{title}” has no due date")),
        (true, true) => None,
    }
}

#[derive(Template)]
#[template(path = "meeting_summary.html")]
struct SummaryHtml<'a> {
    s: &'a Summary,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgendaItem, Date};

    #[test]
    fn missing_owners_and_dates_are_flagged_and_text_is_escaped() {
        let mut meeting = Meeting {
            title: "Ops <weekly>".into(),
            duration_minutes: 30,
            decisions: "Move the printer\n\nNew supplier".into(),
            ..Default::default()
        };
        meeting.agenda.insert(
            "a".into(),
            AgendaItem {
                text: "Budget".into(),
                minutes: Some(10),
                rank: "n".into(),
                ..Default::default()
            },
        );
        let owned = Task {
            id: "t1".into(),
            title: "Order chairs".into(),
            owner: Some("Ana".into()),
            due: Date::new(2026, 11, 30),
            ..Default::default()
        };
        let loose = Task {
            id: "t2".into(),
            title: "Call landlord".into(),
            ..Default::default()
        };
        let s = Summary::of(&meeting, Some("Room 1"), &[&owned, &loose]);
        assert_eq!(
            s.warnings(),
            ["“Call landlord” has no owner and no due date"]
        );
        assert_eq!(s.decisions, ["Move the printer", "New supplier"]);
        let md = s.markdown();
        assert!(
            md.contains("| Call landlord | **no owner** | **no due date** | todo |"),
            "{md}"
        );
        assert!(md.contains("1. Budget (10 min)"), "{md}");
        let html = s.html().unwrap();
        assert!(
            html.contains("Ops &#60;weekly&#62;") || html.contains("Ops &lt;weekly&gt;"),
            "{html}"
        );
        assert!(!html.contains("<weekly>"));
    }
}
