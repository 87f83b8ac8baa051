//! The calendar feed: an iCalendar (`.ics`) file of open tasks' due dates,
//! unpaid invoices' due dates, contract notice deadlines and meetings, for
//! calendar apps to subscribe to. Every event's UID and DTSTAMP come from
//! its record (never the clock or a random number), so writing the feed
//! again with nothing changed gives the same bytes and subscribers never
//! see duplicates.

use chrono::{Duration, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::model::{Contract, Date, Invoice, InvoiceStatus, Meeting, Stamp, Task, TaskStatus};
use crate::store::{Result, Store};

/// A day-long event on `day`.
fn all_day(uid: String, stamp: Stamp, day: Date, summary: &str, description: &str) -> Event {
    Event::new()
        .uid(&uid)
        .timestamp(stamp.0)
        .summary(summary)
        .description(description)
        .starts(day.0)
        .ends(day.add_days(1).0)
        .done()
}

/// The feed as of `today` (which renewal term is running).
pub fn feed(store: &Store, today: Date) -> Result<String> {
    let workspace = store.workspace()?;
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} (Bureau)", workspace.name));
    let mut tasks = store.list::<Task>(false)?;
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    for task in tasks.iter().filter(|t| t.status != TaskStatus::Done) {
        let Some(due) = task.due else { continue };
        let owner = task.owner.as_deref().unwrap_or("nobody");
        calendar.push(all_day(
            format!("task-{}@bureau", task.id),
            task.updated_at,
            due,
            &format!("Due: {}", task.title),
            &format!("Owner: {owner}. Status: {}.", task.status),
        ));
    }
    let buying = store.purchasing(false)?;
    let book = buying.book();
    let mut invoices: Vec<&Invoice> = buying.invoices.records.iter().collect();
    invoices.sort_by(|a, b| a.id.cmp(&b.id));
    for invoice in invoices
        .into_iter()
        .filter(|i| !matches!(i.status, InvoiceStatus::Paid | InvoiceStatus::Disputed))
    {
        let Some(due) = invoice.due else { continue };
        let vendor = book.vendor_name(&invoice.vendor);
        calendar.push(all_day(
            format!("invoice-{}@bureau", invoice.id),
            invoice.updated_at,
            due,
            &format!("Invoice {} from {vendor} due", invoice.number),
            &format!("{}, {}.", invoice.total, invoice.status),
        ));
    }
    let mut contracts: Vec<&Contract> = buying.contracts.records.iter().collect();
    contracts.sort_by(|a, b| a.id.cmp(&b.id));
    for contract in contracts {
        let Some(renewal) = contract.renewal(today) else {
            continue;
        };
        let vendor = book.vendor_name(&contract.vendor);
        let what = if contract.auto_renew {
            "renews"
        } else {
            "ends"
        };
        calendar.push(all_day(
            // One deadline per term: a renewed term is a new event.
            format!("contract-{}-{}@bureau", contract.id, renewal.term_end),
            contract.updated_at,
            renewal.deadline,
            &format!("Last day to give notice: {} ({vendor})", contract.title),
            &format!("The contract {what} on {}.", renewal.term_end),
        ));
    }
    let mut meetings = store.list::<Meeting>(false)?;
    meetings.sort_by(|a, b| a.id.cmp(&b.id));
    let rooms: std::collections::BTreeMap<String, String> = store
        .list::<crate::model::Room>(true)?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for meeting in meetings {
        let start = Utc
            .timestamp_millis_opt(meeting.starts_at.millis())
            .single()
            .unwrap_or_default();
        let mut event = Event::new();
        event
            .uid(&format!("meeting-{}@bureau", meeting.id))
            .timestamp(meeting.updated_at.0)
            .summary(&meeting.title)
            .starts(start)
            .ends(start + Duration::minutes(meeting.duration_minutes.clamp(0, 24 * 60)));
        let room = meeting.room.as_ref().and_then(|r| rooms.get(r));
        let place: Vec<&str> = room
            .map(String::as_str)
            .into_iter()
            .chain(meeting.location.as_deref())
            .collect();
        if !place.is_empty() {
            event.location(&place.join(", "));
        }
        // A repeating meeting is one event with its rule (RFC 5545).
        if let Some(rule) = match meeting.repeat {
            Some(crate::model::Repeat::Week | crate::model::Repeat::Unknown) => Some("FREQ=WEEKLY"),
            Some(crate::model::Repeat::TwoWeeks) => Some("FREQ=WEEKLY;INTERVAL=2"),
            Some(crate::model::Repeat::Month) => Some("FREQ=MONTHLY"),
            None => None,
        } {
            event.add_property("RRULE", rule);
        }
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}
