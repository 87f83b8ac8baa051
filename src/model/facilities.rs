//! Maintenance requests for the sites.

use super::record::{check_len, record, require_text};
use super::tasks::Priority;
use super::values::{Stamp, string_enum};

string_enum! {
    pub enum RequestStatus { Open = "open", Scheduled = "scheduled", InProgress = "in-progress", Resolved = "resolved", Closed = "closed" }
}

record! {
    pub struct MaintenanceRequest ("maintenance" in Facilities) {
        pub site: String,
        /// Where at the site, e.g. "2nd floor kitchen".
        pub location: String,
        pub description: String,
        pub priority: Priority,
        pub status: RequestStatus,
        pub assignee: Option<String>,
        pub vendor: Option<String>,
        pub opened_at: Stamp,
        pub closed_at: Option<Stamp>,
    }
    validate(r) {
        require_text("site", &r.site)?;
        require_text("description", &r.description)?;
        check_len("location", &r.location, 200)
    }
}

impl MaintenanceRequest {
    pub fn is_open(&self) -> bool {
        self.deleted_at.is_none()
            && !matches!(self.status, RequestStatus::Resolved | RequestStatus::Closed)
    }
}
