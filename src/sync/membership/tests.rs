//! Folding the membership log: who is in, with which role, and which
//! entries are refused.

use super::*;

fn entry(at: i64, action: Action) -> Entry {
    Entry {
        workspace: "ws".into(),
        id: format!("e{at}"),
        at,
        action,
        covers: BTreeMap::new(),
    }
}

#[test]
fn only_admins_change_membership_and_forgeries_are_ignored() {
    let founder = SecretKey::generate();
    let ben = SecretKey::generate();
    let mallory = SecretKey::generate();
    let log = vec![
        SignedEntry::sign(
            &entry(
                1,
                Action::Genesis {
                    member_id: "ana".into(),
                    name: "Ana".into(),
                    device: founder.public().to_string(),
                },
            ),
            &founder,
        ),
        SignedEntry::sign(
            &entry(
                2,
                Action::Add {
                    member_id: "ben".into(),
                    name: "Ben".into(),
                    role: Role::Member,
                    device: ben.public().to_string(),
                },
            ),
            &founder,
        ),
        // Ben is not an admin: his promotion of himself is ignored.
        SignedEntry::sign(
            &entry(
                3,
                Action::SetRole {
                    member_id: "ben".into(),
                    role: Role::Admin,
                },
            ),
            &ben,
        ),
        // Mallory signs her own genesis: ignored (not the founder key).
        SignedEntry::sign(
            &entry(
                0,
                Action::Genesis {
                    member_id: "m".into(),
                    name: "M".into(),
                    device: mallory.public().to_string(),
                },
            ),
            &mallory,
        ),
    ];
    let mut tampered = SignedEntry::sign(
        &entry(
            4,
            Action::Remove {
                member_id: "ana".into(),
            },
        ),
        &founder,
    );
    tampered.payload = tampered.payload.replace("ana", "ben");
    let mut all = log.clone();
    all.push(tampered);
    let m = Membership::from_log("ws", &founder.public(), &all);
    assert_eq!(m.role_of(&founder.public().to_string()), Some(Role::Admin));
    assert_eq!(m.role_of(&ben.public().to_string()), Some(Role::Member));
    assert_eq!(m.role_of(&mallory.public().to_string()), None);
    assert_eq!(m.rejected, 3);

    let mut removed = log;
    removed.push(SignedEntry::sign(
        &entry(
            5,
            Action::Remove {
                member_id: "ben".into(),
            },
        ),
        &founder,
    ));
    let m = Membership::from_log("ws", &founder.public(), &removed);
    assert_eq!(
        m.role_of(&ben.public().to_string()),
        None,
        "removed member has no access"
    );
    // Another workspace's entries never count.
    let m = Membership::from_log("other", &founder.public(), &removed);
    assert!(m.members.is_empty());
}

#[test]
fn members_are_found_by_id_or_device_and_same_names_are_refused() {
    let founder = SecretKey::generate();
    let (laptop, phone, other) = (
        SecretKey::generate(),
        SecretKey::generate(),
        SecretKey::generate(),
    );
    let d = |k: &SecretKey| k.public().to_string();
    let log: Vec<SignedEntry> = [
        Action::Genesis {
            member_id: "0195-ana-one".into(),
            name: "Ana Ruiz".into(),
            device: d(&founder),
        },
        Action::Add {
            member_id: "0195-ana-two".into(),
            name: "ana ruiz".into(),
            role: Role::Member,
            device: d(&laptop),
        },
        Action::AddDevice {
            member_id: "0195-ana-two".into(),
            device: d(&phone),
        },
        Action::Add {
            member_id: "0195-ben".into(),
            name: "Ben Ode".into(),
            role: Role::Member,
            device: d(&other),
        },
    ]
    .into_iter()
    .enumerate()
    .map(|(i, a)| SignedEntry::sign(&entry(i as i64 + 1, a), &founder))
    .collect();
    let m = Membership::from_log("ws", &founder.public(), &log);
    let refused = m.find("Ana Ruiz").unwrap_err();
    assert!(
        refused.contains("2 members match")
            && refused.contains("0195-ana-one")
            && refused.contains("0195-ana-two"),
        "{refused}"
    );
    assert_eq!(m.find("0195-ana-two").unwrap().devices.len(), 2);
    assert_eq!(m.find(&d(&phone)[..8]).unwrap().member_id, "0195-ana-two");
    assert_eq!(m.find("ben ode").unwrap().member_id, "0195-ben");
    assert!(m.find("Cleo").unwrap_err().contains("no current member"));
    assert!(m.find(&d(&phone)[..3]).is_err(), "too short to be an id");
    assert_eq!(m.find_device(&d(&laptop)[..10]).unwrap().0.name, "ana ruiz");
    assert_eq!(m.admin_devices().len(), 1);

    // The lost laptop goes; the member and her phone stay.
    let mut log = log;
    log.push(SignedEntry::sign(
        &entry(
            9,
            Action::RemoveDevice {
                member_id: "0195-ana-two".into(),
                device: d(&laptop),
            },
        ),
        &founder,
    ));
    let m = Membership::from_log("ws", &founder.public(), &log);
    assert_eq!(m.role_of(&d(&laptop)), None);
    assert_eq!(m.role_of(&d(&phone)), Some(Role::Member));
    assert_eq!(
        m.find("0195-ana-two").unwrap().removed_devices,
        [d(&laptop)]
    );
    assert!(m.find_device(&d(&laptop)).is_err());
}
