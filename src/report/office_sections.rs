//! The leadership report's sections on the office's people, premises and
//! documents: who is joining or leaving with steps open, maintenance still
//! open, and SOPs and policies due for review.

use super::leadership::Section;
use crate::model::{Date, Stamp, Task};
use crate::store::{Result, Store};

/// Requests still open: past their SLA first, then by when they must be
/// fixed.
pub fn maintenance(
    store: &Store,
    site_name: &dyn Fn(&str) -> String,
    now: Stamp,
) -> Result<Section> {
    use crate::model::MaintenanceRequest;
    use crate::model::schema::FieldText;
    let mut open: Vec<MaintenanceRequest> = store
        .list::<MaintenanceRequest>(false)?
        .into_iter()
        .filter(|r| r.is_open())
        .collect();
    open.sort_by(|a, b| {
        (!a.past_sla(now), a.due_by(), &a.id).cmp(&(!b.past_sla(now), b.due_by(), &b.id))
    });
    Ok(Section {
        title: "Open maintenance".into(),
        columns: vec!["Request", "Site", "Priority", "Status", "Fix by"],
        rows: open
            .iter()
            .map(|r| {
                let due = r.due_by().to_text();
                vec![
                    r.title_or_description().to_string(),
                    site_name(&r.site),
                    r.priority.to_string(),
                    r.status.to_string(),
                    if r.past_sla(now) {
                        format!("{due} (past SLA)")
                    } else {
                        due
                    },
                ]
            })
            .collect(),
        empty: "No maintenance requests open.",
        more: 0,
    })
}

/// Plans with steps still open: who, joining or leaving, when, progress.
pub fn onboarding(store: &Store, tasks: &[Task], as_of: Date) -> Result<Section> {
    use crate::model::onboarding::Progress;
    use crate::model::{OnboardingPlan, PlanKind};
    let mut plans: Vec<(OnboardingPlan, Progress)> = store
        .list::<OnboardingPlan>(false)?
        .into_iter()
        .map(|p| {
            let steps = tasks.iter().filter(|t| t.plan.as_deref() == Some(&p.id));
            let progress = Progress::of(steps, as_of);
            (p, progress)
        })
        .filter(|(_, progress)| progress.done < progress.total)
        .collect();
    plans.sort_by(|a, b| (a.0.start_date, &a.0.person).cmp(&(b.0.start_date, &b.0.person)));
    Ok(Section {
        title: "Onboarding and offboarding".into(),
        columns: vec!["Person", "Plan", "Date", "Steps done", "Late"],
        rows: plans
            .into_iter()
            .map(|(p, progress)| {
                vec![
                    p.person,
                    match p.kind {
                        PlanKind::Offboarding => "leaving".into(),
                        _ => "joining".into(),
                    },
                    p.start_date.to_string(),
                    format!("{} of {}", progress.done, progress.total),
                    progress.late.to_string(),
                ]
            })
            .collect(),
        empty: "Nobody joining or leaving with steps still open.",
        more: 0,
    })
}

/// Documents due for review by `as_of`, most overdue first.
pub fn reviews(store: &Store, as_of: Date) -> Result<Section> {
    use crate::model::Doc;
    let mut due: Vec<Doc> = store
        .list::<Doc>(false)?
        .into_iter()
        .filter(|d| d.review_due(as_of))
        .collect();
    due.sort_by(|a, b| (a.review_date, &a.title).cmp(&(b.review_date, &b.title)));
    Ok(Section {
        title: "Documents due for review".into(),
        columns: vec!["Document", "Category", "Owner", "Review due"],
        rows: due
            .iter()
            .map(|d| {
                vec![
                    d.title.clone(),
                    d.category.title().to_string(),
                    d.owner.clone().unwrap_or_default(),
                    d.review_date.map(|r| r.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        empty: "No document is due for review.",
        more: 0,
    })
}
