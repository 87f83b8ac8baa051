//! How complete a report is: for every device in the workspace, the time
//! of the newest change from it that this device holds. A report made
//! while Ben's laptop has not synced since Friday says so, instead of
//! passing Friday's picture off as today's.
//!
//! Every change is made as an actor that starts with its device's key
//! (see `Store`'s author actor), so the change metadata (no op decoding)
//! tells who made it and when.

use std::collections::BTreeMap;

use chrono::{Local, TimeZone};
use serde::Serialize;

use crate::model::{Member, Stamp};
use crate::store::{Result, Store};

/// A device and how far its changes reach into this device's copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceCoverage {
    pub member: String,
    /// "laptop", "office peer".
    pub device: String,
    pub this_device: bool,
    /// Newest change from it held here (seconds since the epoch).
    pub latest: Option<i64>,
    /// Its newest change is more than a day older than the report.
    pub behind: bool,
}

impl DeviceCoverage {
    /// "Ana Ruiz's laptop".
    pub fn name(&self) -> String {
        if self.device.is_empty() {
            format!("{}'s device", self.member)
        } else {
            format!("{}'s {}", self.member, self.device)
        }
    }
}

/// Newest change time (seconds) per device key (hex), over every document.
fn latest_per_device(store: &Store) -> Result<BTreeMap<String, i64>> {
    let mut latest: BTreeMap<String, i64> = BTreeMap::new();
    for handle in store.documents()? {
        handle.with_document(|doc| {
            for change in doc.get_changes_meta(&[]) {
                let actor = change.actor.to_hex_string();
                let key = actor.get(..64).unwrap_or(&actor).to_string();
                let at = latest.entry(key).or_insert(change.timestamp);
                *at = (*at).max(change.timestamp);
            }
        });
    }
    Ok(latest)
}

/// Every live member's devices with their newest change, this device
/// first, then the most recent.
pub fn devices(store: &Store, now: Stamp) -> Result<Vec<DeviceCoverage>> {
    let latest = latest_per_device(store)?;
    let me = crate::store::datadir::device_public_key(store.data_dir())
        .map(|k| data_encoding::HEXLOWER.encode(&k));
    let now_secs = now.millis() / 1000;
    let mut out: Vec<DeviceCoverage> = store
        .list::<Member>(false)?
        .into_iter()
        .flat_map(|m| {
            let name = m.name.clone();
            m.devices
                .into_iter()
                .map(move |(key, d)| (name.clone(), key, d))
        })
        .map(|(member, key, device)| {
            let key = key.to_lowercase();
            let at = latest.get(&key).copied();
            let this_device = me.as_deref() == Some(key.as_str());
            DeviceCoverage {
                member,
                device: device.label,
                this_device,
                latest: at,
                behind: !this_device && at.is_none_or(|t| now_secs - t > 24 * 3600),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (!a.this_device, std::cmp::Reverse(a.latest), &a.member).cmp(&(
            !b.this_device,
            std::cmp::Reverse(b.latest),
            &b.member,
        ))
    });
    Ok(out)
}

/// "28 Nov 09:12" (local time).
pub fn when(secs: i64) -> String {
    match Local.timestamp_opt(secs, 0).single() {
        Some(t) => t.format("%a %-d %b %H:%M").to_string(),
        None => "an unknown time".into(),
    }
}

/// One sentence: "Includes Ana Ruiz's laptop (this device) up to Sat 28
/// Nov 09:12 and Ben Ode's laptop up to Sat 28 Nov 09:10. Not current:
/// Cara Li's phone last synced Fri 27 Nov 17:40."
pub fn sentence(devices: &[DeviceCoverage]) -> String {
    let name = |d: &DeviceCoverage| {
        if d.this_device {
            format!("{} (this device)", d.name())
        } else {
            d.name()
        }
    };
    let current: Vec<String> = devices
        .iter()
        .filter(|d| !d.behind)
        .map(|d| match d.latest {
            Some(t) => format!("{} up to {}", name(d), when(t)),
            None => format!("{} (no changes yet)", name(d)),
        })
        .collect();
    let behind: Vec<String> = devices
        .iter()
        .filter(|d| d.behind)
        .map(|d| match d.latest {
            Some(t) => format!("{} last synced {}", name(d), when(t)),
            None => format!("{}: nothing received yet", name(d)),
        })
        .collect();
    let mut out = String::new();
    if devices.is_empty() {
        out.push_str(
            "Made from this device's records; no devices are registered in this workspace.",
        );
    }
    if !current.is_empty() {
        out.push_str(&format!("Includes {}.", join(&current)));
    }
    if !behind.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!(
            "Not current: {}; changes made there since are not included.",
            join(&behind)
        ));
    }
    out
}

/// "a, b and c".
fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
