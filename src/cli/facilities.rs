//! `bureau maint ...`: maintenance requests for the sites, who fixes them,
//! and which are past the time their priority allows (the SLA).

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{note, print_json, say, table};
use super::records::{ChangeCommand, ReadCommand, create, fields, resolve, run_change, run_read};
use crate::model::facilities::sla_text;
use crate::model::schema::FieldText;
use crate::model::{MaintenanceRequest, Record, Site, Stamp};
use crate::ops::{Op, Session};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum MaintCommand {
    /// Report something to fix; prints the new id alone.
    Add(MaintArgs),
    /// Change a request: its status (new, scheduled, in-progress, done,
    /// wont-fix) and any other field as KEY=VALUE.
    Set {
        id: String,
        #[arg(long)]
        status: Option<String>,
        #[arg(value_name = "KEY=VALUE")]
        fields: Vec<String>,
    },
    /// Requests still open (add --all for closed ones too), or only those
    /// past their SLA.
    List {
        #[arg(long)]
        past_sla: bool,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one request with every field.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a request to the trash.
    Delete { id: String },
    /// Bring a request back from the trash.
    Restore { id: String },
}

#[derive(Debug, Args)]
pub struct MaintArgs {
    pub title: String,
    #[arg(long)]
    pub site: String,
    #[arg(long)]
    pub location: Option<String>,
    /// hvac, plumbing, electrical, cleaning, it or other.
    #[arg(long)]
    pub category: Option<String>,
    /// low, normal, high or urgent (the SLA: 30, 7, 3 or 1 days).
    #[arg(long)]
    pub priority: Option<String>,
    #[arg(long)]
    pub vendor: Option<String>,
    #[arg(long)]
    pub assignee: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
}

pub fn run(store: &Store, session: &mut Session, command: MaintCommand) -> Result<()> {
    match command {
        MaintCommand::Add(a) => create(
            store,
            session,
            MaintenanceRequest::KIND,
            fields(vec![
                ("title", Some(a.title)),
                ("site", Some(a.site)),
                ("location", a.location),
                ("category", a.category),
                ("priority", a.priority),
                ("vendor", a.vendor),
                ("assignee", a.assignee),
                ("description", a.description),
                ("reporter", store.me().ok().map(|m| m.name)),
            ]),
        ),
        MaintCommand::Set { id, status, fields } => {
            let id = resolve::<MaintenanceRequest>(store, &id)?;
            let mut typed = super::records::assignments::<MaintenanceRequest>(&fields)?;
            if let Some(status) = status {
                typed.push(("status".into(), status));
            }
            anyhow::ensure!(
                !typed.is_empty(),
                "say what to change: --status S or KEY=VALUE (e.g. assignee=\"Ben Ode\")"
            );
            let op = Op::Edit {
                kind: MaintenanceRequest::KIND.into(),
                id,
                fields: typed,
            };
            super::report_outcome(&session.apply(store, op)?)
        }
        MaintCommand::List {
            past_sla,
            all,
            json,
        } => list(store, past_sla, all, json),
        MaintCommand::Show { id, json } => {
            run_read::<MaintenanceRequest>(store, ReadCommand::Show { id, json })
        }
        MaintCommand::Delete { id } => {
            run_change::<MaintenanceRequest>(store, session, ChangeCommand::Delete { id })
        }
        MaintCommand::Restore { id } => {
            run_change::<MaintenanceRequest>(store, session, ChangeCommand::Restore { id })
        }
    }
}

/// One line of `maint list --json`.
#[derive(serde::Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    request: &'a MaintenanceRequest,
    site_name: String,
    due_by: String,
    past_sla: bool,
}

fn list(store: &Store, past_sla: bool, all: bool, json: bool) -> Result<()> {
    let now = Stamp::now();
    let listing = store.listing::<MaintenanceRequest>(false)?;
    super::report_unreadable(&listing.unreadable);
    let sites: std::collections::BTreeMap<String, String> = store
        .list::<Site>(true)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut shown: Vec<&MaintenanceRequest> = listing
        .records
        .iter()
        .filter(|r| all || r.is_open())
        .filter(|r| !past_sla || r.past_sla(now))
        .collect();
    shown.sort_by(|a, b| (a.due_by(), &a.id).cmp(&(b.due_by(), &b.id)));
    let rows: Vec<Row> = shown
        .into_iter()
        .map(|r| Row {
            site_name: sites
                .get(&r.site)
                .cloned()
                .unwrap_or_else(|| r.site.clone()),
            due_by: r.due_by().to_text(),
            past_sla: r.past_sla(now),
            request: r,
        })
        .collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        note!(
            "{}",
            if past_sla {
                "nothing is past its SLA"
            } else {
                "no open maintenance requests"
            }
        );
        return Ok(());
    }
    let mut t = table(&["ID", "Title", "Site", "Priority", "Status", "Fix by", ""]);
    for r in &rows {
        t.add_row(vec![
            r.request.id.clone(),
            r.request.title_or_description().to_string(),
            r.site_name.clone(),
            format!("{} ({})", r.request.priority, sla_text(r.request.priority)),
            r.request.status.to_string(),
            r.due_by.clone(),
            if r.past_sla { "past SLA" } else { "" }.into(),
        ]);
    }
    say!("{t}");
    Ok(())
}
