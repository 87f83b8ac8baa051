//! The yearly archive as a user action: only an admin's device may rotate
//! an area (it changes where every device keeps that area's records).

use super::{Session, WriteCheck};
use crate::model::{Area, Date};
use crate::store::{Result, Rotation, Store, StoreError};

impl Session {
    /// Archives `area`'s records closed before `before` (default: the
    /// first day of this year) into one document per year.
    pub fn archive(&self, store: &Store, area: Area, before: Option<Date>) -> Result<Rotation> {
        self.ensure_can_write()?;
        if let WriteCheck::Members { access, device } = &self.check
            && !access.current().is_admin_device(device)
        {
            return Err(StoreError::Rejected(
                "only an admin can archive past years".into(),
            ));
        }
        let before = before.unwrap_or_else(|| start_of_year(self.today()));
        if before > self.today() {
            return Err(StoreError::Rejected(format!(
                "{before} is in the future: archive only what closed before today"
            )));
        }
        store.rotate(area, before)
    }
}

/// The first day of `day`'s year.
pub fn start_of_year(day: Date) -> Date {
    use chrono::Datelike;
    Date(chrono::NaiveDate::from_ymd_opt(day.0.year(), 1, 1).unwrap_or(day.0))
}
