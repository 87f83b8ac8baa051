//! Membership from the command line: `bureau member …`, `bureau recover`
//! and `bureau recovery-kit`. Each change is signed here and then pushed to
//! every member device that answers, saying how far it got.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use clap::Subcommand;

use super::output::{note, print_json, say, table};
use crate::model::Role;
use crate::store::Store;
use crate::sync::membership::{Action, Membership};
use crate::sync::{Access, NetOptions, Node, identity, node, recovery};

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Remove a member (by name, member id or device id): every peer
    /// refuses all their devices from then on.
    Remove { who: String },
    /// Remove one device of a member (a lost or stolen laptop); the member
    /// and their other devices stay.
    RemoveDevice { device: String },
    /// Change a member's role (admin, member, viewer).
    Role { who: String, role: Role },
    /// List members with their ids, roles and devices.
    List {
        #[arg(long)]
        json: bool,
    },
    /// What removed devices changed after their removal (undone on every
    /// peer that knows the removal).
    AfterRemoval {
        #[arg(long)]
        json: bool,
    },
    /// Keep what a removed device changed after its removal (admins): the
    /// records it touched go back to how it left them.
    Keep { device: String },
}

/// What `bureau member …`, `recover` and `recovery-kit` ask for.
#[derive(Debug)]
pub enum Request {
    Member(MemberCommand),
    /// Make this device's member an admin with the recovery kit.
    Recover {
        phrase: String,
    },
    /// A new recovery kit (the old one stops working).
    NewKit,
}

impl Request {
    /// Whether it changes membership (and so should spread now).
    pub fn changes(&self) -> bool {
        !matches!(
            self,
            Request::Member(MemberCommand::List { .. } | MemberCommand::AfterRemoval { .. })
        )
    }
}

/// Carries out `request` against `access` (this device's view of the
/// membership log).
pub fn run(store: &Store, access: &Access, request: Request) -> Result<()> {
    match request {
        Request::Member(command) => member(store, access, command),
        Request::Recover { phrase } => {
            let name = recovery::recover(store, access, &phrase)?;
            note!(
                "{name} is an admin again on this device. Invite the new laptop (`bureau invite --role admin`), remove the lost one (`bureau member remove-device ID`), then make a new recovery kit (`bureau recovery-kit`): this phrase has been typed here."
            );
            Ok(())
        }
        Request::NewKit => {
            let key = identity::load_or_create(store.data_dir())?;
            anyhow::ensure!(
                access.current().is_admin_device(&key.public().to_string()),
                "only an admin's device can make a recovery kit"
            );
            let phrase = recovery::create_kit(store, &key, access)?;
            print_phrase(&phrase);
            note!("a new recovery kit; the previous phrase no longer works");
            Ok(())
        }
    }
}

/// Shows the recovery phrase, the one time it is shown.
pub fn print_phrase(phrase: &str) {
    let words: Vec<&str> = phrase.split(' ').collect();
    say!(
        "\nRecovery phrase: write these 24 words down and keep them somewhere safe.\nThey are shown only this once. With them, any member's device can be made an\nadmin if the admin devices are lost (`bureau recover`).\n"
    );
    for (row, chunk) in words.chunks(6).enumerate() {
        let line: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{:>2}. {w:<9}", row * 6 + i + 1))
            .collect();
        say!("  {}", line.join(" ").trim_end());
    }
    say!("");
}

/// `bureau member …`.
fn member(store: &Store, access: &Access, command: MemberCommand) -> Result<()> {
    let key = identity::load_or_create(store.data_dir())?;
    let me = key.public().to_string();
    let membership = access.current();
    let find = |who: &str| membership.find(who).cloned().map_err(anyhow::Error::msg);
    match command {
        MemberCommand::List { json } => {
            let members = membership.current_members();
            if json {
                return print_json(&members);
            }
            let mut out = table(&["NAME", "ROLE", "MEMBER ID", "DEVICES"]);
            for m in members {
                let devices: Vec<String> = m
                    .devices
                    .iter()
                    .map(|d| {
                        let short: String = d.chars().take(12).collect();
                        if *d == me {
                            format!("{short} (this one)")
                        } else {
                            short
                        }
                    })
                    .collect();
                out.add_row(vec![
                    m.name,
                    m.role.to_string(),
                    m.member_id.chars().take(13).collect(),
                    devices.join(", "),
                ]);
            }
            say!("{out}");
            warn_single_admin(&membership);
        }
        MemberCommand::Remove { who } => {
            let m = find(&who)?;
            anyhow::ensure!(
                !m.devices.contains(&me),
                "you cannot remove yourself (another admin can)"
            );
            node::change_membership(
                store,
                &key,
                access,
                Action::Remove {
                    member_id: m.member_id.clone(),
                },
            )?;
            note!(
                "removed {}; peers refuse their devices once they know. What they already had stays with them: it cannot be unsent.",
                m.name
            );
        }
        MemberCommand::RemoveDevice { device } => {
            let (m, device) = membership
                .find_device(&device)
                .map_err(anyhow::Error::msg)?;
            anyhow::ensure!(
                *device != me,
                "this is the device you are using; remove it from another admin's device"
            );
            node::change_membership(
                store,
                &key,
                access,
                Action::RemoveDevice {
                    member_id: m.member_id.clone(),
                    device: device.clone(),
                },
            )?;
            note!(
                "removed device {} of {}; {} stays a member{}",
                device.chars().take(12).collect::<String>(),
                m.name,
                m.name,
                if m.devices.len() == 1 {
                    " with no device left (invite them again for a new one)"
                } else {
                    ""
                }
            );
        }
        MemberCommand::AfterRemoval { json } => {
            store.documents()?;
            let listed = crate::sync::removal::after_removal(store, &membership)?;
            if json {
                return print_json(&listed);
            }
            if listed.is_empty() {
                note!("no removed device changed anything after its removal");
            }
            for item in listed {
                say!("{}", item.describe());
                for record in &item.records {
                    say!("  {record}");
                }
                say!(
                    "  keep them: bureau member keep {}",
                    item.device.chars().take(12).collect::<String>()
                );
            }
        }
        MemberCommand::Keep { device } => {
            store.documents()?;
            let restored = crate::sync::removal::keep(store, &membership, &me, &device)?;
            note!("kept: {restored} record(s) back as the removed device left them");
        }
        MemberCommand::Role { who, role } => {
            let m = find(&who)?;
            node::change_membership(
                store,
                &key,
                access,
                Action::SetRole {
                    member_id: m.member_id.clone(),
                    role,
                },
            )?;
            note!("{} is now {role}", m.name);
        }
    }
    Ok(())
}

/// Says so while only one device can change membership.
fn warn_single_admin(membership: &Membership) {
    if membership.recovery_key.is_some() {
        return;
    }
    if let [(admin, device)] = membership.admin_devices().as_slice() {
        note!(
            "warning: {}'s device {} is the only admin device; if it is lost nobody can invite or remove anyone. Make a second admin (`bureau member role NAME admin`) or a recovery kit (`bureau recovery-kit`).",
            admin.name,
            device.chars().take(12).collect::<String>()
        );
    }
}

/// Reports how far a membership change has spread: waits (briefly) until
/// every connected member device has it.
pub fn report_reach(node: &std::sync::Arc<Node>, runtime: &tokio::runtime::Handle, wait: Duration) {
    let deadline = runtime.block_on(async { tokio::time::Instant::now() + wait });
    let (knowing, of) = runtime.block_on(node.membership_reach(deadline));
    match (knowing, of) {
        (_, 0) => note!("no other devices to tell"),
        (k, n) if k == n => note!("all {n} other device(s) know"),
        (0, _) => note!(
            "not sent to anyone yet: it spreads when this device next syncs with another member's device"
        ),
        (k, n) => note!(
            "{k} of {n} other devices know now; the others learn it when they next sync with any of them"
        ),
    }
}

/// A membership change made with no node running: start one, push the
/// change to every member device that answers, report, stop.
pub fn spread(runtime: &tokio::runtime::Runtime, data_dir: &Path, net: &NetOptions) -> Result<()> {
    let node = runtime.block_on(Node::start(data_dir, "bureau member", net))?;
    report_reach(&node, runtime.handle(), SPREAD_WAIT);
    runtime.block_on(node.shutdown());
    Ok(())
}

/// How long a membership change waits for devices to hear of it.
pub const SPREAD_WAIT: Duration = Duration::from_secs(3);
