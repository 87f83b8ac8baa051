//! Maintenance requests for the sites: what is broken where, who fixes it
//! (a person or a vendor), how urgent it is, and whether it is past the
//! time its priority allows (the SLA).

use chrono::Duration;

use super::record::{ValidationError, check_len, record, require_text};
use super::tasks::Priority;
use super::values::{Money, Stamp, string_enum};

string_enum! {
    /// new → scheduled → in progress → done (or won't fix).
    pub enum RequestStatus {
        New = "new", Scheduled = "scheduled", InProgress = "in-progress",
        Done = "done", WontFix = "wont-fix"
    }
}

string_enum! {
    pub enum RequestCategory {
        Hvac = "hvac", Plumbing = "plumbing", Electrical = "electrical",
        Cleaning = "cleaning", It = "it", Other = "other"
    }
}

record! {
    pub struct MaintenanceRequest ("maintenance" in Facilities) {
        /// What is wrong, in a line ("Kitchen tap leaks").
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub title: String,
        /// Site id.
        pub site: String,
        /// Where at the site, e.g. "2nd floor kitchen".
        pub location: String,
        pub description: String,
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub category: RequestCategory,
        pub priority: Priority,
        pub status: RequestStatus,
        /// Who reported it (a member).
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub reporter: Option<String>,
        /// Who fixes it: a member, or a vendor (id), or both.
        pub assignee: Option<String>,
        pub vendor: Option<String>,
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub cost: Option<Money>,
        /// The purchase order or invoice that pays for it (ids).
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub order: Option<String>,
        #[serde(default)]
        #[autosurgeon(missing = "Default::default")]
        pub invoice: Option<String>,
        /// When it was reported, if before it was entered (a CSV import of
        /// older requests); otherwise none and the record's creation time
        /// counts.
        #[serde(default)]
        pub opened_at: Option<Stamp>,
        pub closed_at: Option<Stamp>,
    }
    validate(r) {
        require_text("title", r.title_or_description())?;
        require_text("site", &r.site)?;
        if r.cost.as_ref().is_some_and(|c| c.minor < 0) {
            return Err(ValidationError::new("cost", "must be 0 or more"));
        }
        check_len("location", &r.location, 200)?;
        check_len("description", &r.description, 20_000)
    }
}

impl MaintenanceRequest {
    pub fn is_open(&self) -> bool {
        self.deleted_at.is_none()
            && !matches!(self.status, RequestStatus::Done | RequestStatus::WontFix)
    }

    /// The title, or for requests made before titles, the description.
    pub fn title_or_description(&self) -> &str {
        if self.title.trim().is_empty() {
            &self.description
        } else {
            &self.title
        }
    }

    /// When it was reported: `opened_at`, or when the record was made.
    pub fn opened(&self) -> Stamp {
        self.opened_at
            .filter(|at| !at.is_unset())
            .unwrap_or(self.created_at)
    }

    /// When it must be fixed by: reported plus its priority's SLA.
    pub fn due_by(&self) -> Stamp {
        Stamp(self.opened().0 + sla(self.priority))
    }

    /// Open and past its SLA at `now`.
    pub fn past_sla(&self, now: Stamp) -> bool {
        self.is_open() && now > self.due_by()
    }
}

/// How long a request of each priority may stay open: urgent 1 day, high
/// 3 days, normal 7 days, low 30 days (from when it was reported).
pub fn sla(priority: Priority) -> Duration {
    Duration::days(match priority {
        Priority::Urgent => 1,
        Priority::High => 3,
        Priority::Low => 30,
        Priority::Normal | Priority::Unknown => 7,
    })
}

/// "1 day", "3 days" for a priority's SLA.
pub fn sla_text(priority: Priority) -> String {
    match sla(priority).num_days() {
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

/// Every priority's SLA in words: "urgent 1 day, high 3 days, …".
pub fn sla_summary() -> String {
    [
        Priority::Urgent,
        Priority::High,
        Priority::Normal,
        Priority::Low,
    ]
    .iter()
    .map(|p| format!("{p} {}", sla_text(*p)))
    .collect::<Vec<_>>()
    .join(", ")
}

super::schema::describe! {
    MaintenanceRequest, label: "maintenance request", title: "Facilities", name: title,
    fields {
        title: "Title", Text, required, column;
        site: "Site", Reference("sites"), required, column;
        location: "Location", Text, column;
        category: "Category", Choice(RequestCategory::NAMES), column;
        priority: "Priority", Choice(Priority::NAMES), column;
        status: "Status", Choice(RequestStatus::NAMES), column;
        assignee: "Assignee", Person, column;
        vendor: "Vendor", Reference("vendors");
        reporter: "Reported by", Person;
        cost: "Cost", Money;
        order: "Purchase order", Reference("purchase_orders");
        invoice: "Invoice", Reference("invoices");
        description: "Description", LongText;
    }
    after_edit(request, before, at) {
        // Done or won't fix closes it (with when); opening it again clears that.
        if request.status != before.status {
            request.closed_at = (!request.is_open()).then_some(at);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> Stamp {
        use chrono::TimeZone;
        Stamp(
            chrono::Utc
                .with_ymd_and_hms(2026, 11, day, hour, 0, 0)
                .unwrap(),
        )
    }

    #[test]
    fn a_request_is_past_its_sla_once_its_priority_allows_no_more_time() {
        let mut r = MaintenanceRequest {
            title: "Tap leaks".into(),
            site: "hq".into(),
            priority: Priority::Urgent,
            opened_at: Some(at(2, 9)),
            ..Default::default()
        };
        assert!(!r.past_sla(at(3, 9)), "exactly one day: not yet");
        assert!(r.past_sla(at(3, 10)));
        r.priority = Priority::High;
        assert!(!r.past_sla(at(5, 9)) && r.past_sla(at(5, 10)));
        r.priority = Priority::Normal;
        assert!(!r.past_sla(at(9, 9)) && r.past_sla(at(9, 10)));
        r.priority = Priority::Low;
        assert!(!r.past_sla(at(30, 9)));
        r.status = RequestStatus::Done;
        r.priority = Priority::Urgent;
        assert!(!r.past_sla(at(30, 9)), "a done request is never late");
    }

    #[test]
    fn done_closes_a_request_and_reopening_clears_when() {
        use super::super::schema::Described;
        let before = MaintenanceRequest {
            title: "Tap".into(),
            site: "hq".into(),
            ..Default::default()
        };
        let mut after = before.clone();
        after.status = RequestStatus::Done;
        after.after_edit(&before, at(4, 12));
        assert_eq!(after.closed_at, Some(at(4, 12)));
        let mut again = after.clone();
        again.status = RequestStatus::InProgress;
        again.after_edit(&after, at(5, 12));
        assert_eq!(again.closed_at, None);
    }
}
