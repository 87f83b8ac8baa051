//! Membership from the command line, with real processes on loopback:
//! members and devices named by id, a shared name refused with the
//! candidates, a removal pushed to every device that answers (and said
//! so), one device of a member removed, the single-admin warning.

use std::path::PathBuf;

use crate::common;
use common::process::{Server, bureau, free_port, run, run_with_input};

/// Runs `bureau` on loopback only, listening at `bind`: success and stderr.
fn net(dir: &std::path::Path, bind: &str, args: &[&str]) -> (bool, String) {
    let out = bureau(dir)
        .args(["--offline", "--bind", bind])
        .args(args)
        .output()
        .expect("run bureau");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn members_are_named_by_id_and_a_removal_spreads_at_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a: PathBuf = tmp.path().join("office");
    let b: PathBuf = tmp.path().join("laptop");
    let c: PathBuf = tmp.path().join("phone");
    let (bind_a, bind_b) = (
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
    );
    let any = "127.0.0.1:0";

    run(
        &a,
        &[
            "init",
            "--workspace",
            "Acme Office",
            "--name",
            "Ana Ruiz",
            "--no-recovery-kit",
        ],
    );
    let (ok, said) = net(&a, any, &["member", "list"]);
    assert!(ok && said.contains("is the only admin device"), "{said}");

    let ticket = run(&a, &["--offline", "--bind", &bind_a, "invite"]);
    let (server, _) = Server::start(&a, &bind_a);
    // A namesake: another "Ana Ruiz" joins on the laptop.
    let joined = net(&b, &bind_b, &["join", ticket.trim(), "--name", "Ana Ruiz"]);
    assert!(joined.0, "{}", joined.1);
    let ticket = run(&a, &["invite"]);
    let joined = net(&c, any, &["join", ticket.trim(), "--name", "Cleo"]);
    assert!(joined.0, "{}", joined.1);
    server.stop();

    // "Ana Ruiz" names two members: refused, with both ids to choose from.
    let members: serde_json::Value =
        serde_json::from_str(&run(&a, &["member", "list", "--json"])).expect("json");
    let id_of = |name: &str, n: usize| -> (String, String) {
        let m = members
            .as_array()
            .expect("list")
            .iter()
            .filter(|m| m["name"] == name)
            .nth(n)
            .expect("member");
        (
            m["member_id"].as_str().expect("id").to_string(),
            m["devices"][0].as_str().expect("device").to_string(),
        )
    };
    let (ana_1, _) = id_of("Ana Ruiz", 0);
    let (ana_2, laptop) = id_of("Ana Ruiz", 1);
    let (cleo, phone) = id_of("Cleo", 0);
    let (ok, said) = net(&a, any, &["member", "remove", "Ana Ruiz"]);
    assert!(!ok, "an ambiguous name is refused");
    assert!(
        said.contains("2 members match")
            && said.contains(&ana_1[..12])
            && said.contains(&ana_2[..12]),
        "{said}"
    );

    // The laptop serves, the phone is off: a change (Cleo, named by her
    // phone's id, becomes a viewer) reaches the laptop before the command
    // returns, and says who has it.
    let (laptop_node, _) = Server::start(&b, &bind_b);
    let (ok, said) = net(&a, any, &["member", "role", &phone[..10], "viewer"]);
    assert!(ok, "{said}");
    assert!(said.contains("Cleo is now viewer"), "{said}");
    assert!(said.contains("1 of 2 other devices know now"), "{said}");
    let seen_by_laptop = run(&b, &["member", "list", "--json"]);
    assert!(
        seen_by_laptop.contains("viewer"),
        "the laptop already knows: {seen_by_laptop}"
    );
    laptop_node.stop();

    // Nobody answers: the laptop (one device, by id) is removed, and the
    // command says the change has not gone anywhere yet. Its member stays.
    let (ok, said) = net(&a, any, &["member", "remove-device", &laptop[..10]]);
    assert!(ok, "{said}");
    assert!(said.contains("not sent to anyone yet"), "{said}");
    let members: serde_json::Value =
        serde_json::from_str(&run(&a, &["member", "list", "--json"])).expect("json");
    let namesake = members
        .as_array()
        .expect("list")
        .iter()
        .find(|m| m["member_id"] == ana_2.as_str())
        .expect("still a member");
    assert_eq!(namesake["devices"], serde_json::json!([]), "{namesake}");
    assert_eq!(
        namesake["removed_devices"][0],
        laptop.as_str(),
        "{namesake}"
    );

    // Cleo goes, by member id.
    let (ok, said) = net(&a, any, &["member", "remove", &cleo]);
    assert!(ok && said.contains("removed Cleo"), "{said}");
    assert!(!run(&a, &["member", "list"]).contains("Cleo"));
}

/// The words `bureau init` printed (after their numbers).
fn phrase_in(init_output: &str) -> String {
    let words: Vec<&str> = init_output
        .lines()
        .filter(|l| {
            l.trim_start().starts_with("1.")
                || l.contains(" 7. ")
                || l.contains("13. ")
                || l.contains("19. ")
        })
        .flat_map(|l| l.split_whitespace())
        .filter(|w| !w.ends_with('.'))
        .collect();
    assert_eq!(words.len(), 24, "{init_output}");
    words.join(" ")
}

#[test]
fn a_lost_admin_laptop_is_recovered_with_the_recovery_phrase() {
    // As docs/SYNC.md "Lost laptop" tells it.
    let tmp = tempfile::tempdir().expect("tempdir");
    let laptop: PathBuf = tmp.path().join("ana-laptop");
    let office: PathBuf = tmp.path().join("office-peer");
    let new_laptop: PathBuf = tmp.path().join("ana-new-laptop");
    let bind = format!("127.0.0.1:{}", free_port());
    let any = "127.0.0.1:0";

    let created = run(
        &laptop,
        &["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"],
    );
    let phrase = phrase_in(&created);
    let (ok, said) = net(&laptop, any, &["member", "list"]);
    assert!(
        ok && !said.contains("only admin device"),
        "a kit exists: {said}"
    );
    let ticket = run(&laptop, &["--offline", "--bind", &bind, "invite"]);
    let (server, _) = Server::start(&laptop, &bind);
    let joined = net(
        &office,
        any,
        &["join", ticket.trim(), "--name", "Office Peer"],
    );
    assert!(joined.0, "{}", joined.1);
    server.stop();
    let lost_device = run(&laptop, &["member", "list", "--json"]);
    let lost_device: serde_json::Value = serde_json::from_str(&lost_device).expect("json");
    let lost_device = lost_device[0]["devices"][0]
        .as_str()
        .expect("device")
        .to_string();

    // The laptop is gone. The office peer cannot invite anyone.
    std::fs::remove_dir_all(&laptop).expect("lose the laptop");
    let (ok, said) = net(&office, &bind, &["invite"]);
    assert!(!ok && said.contains("only admins can invite"), "{said}");

    // A wrong phrase is refused and changes nothing.
    let wrong = "abandon ".repeat(23) + "art";
    let out = run_with_input(&office, &["--offline", "recover"], &wrong);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not the recovery kit of this workspace")
    );

    // The phrase, typed on the office peer, makes it an admin.
    let out = run_with_input(&office, &["--offline", "--bind", any, "recover"], &phrase);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Office Peer is an admin again"), "{said}");

    // Now it invites Ana's new laptop and removes the lost one.
    let ticket = run(
        &office,
        &["--offline", "--bind", &bind, "invite", "--role", "admin"],
    );
    let (server, _) = Server::start(&office, &bind);
    let joined = net(
        &new_laptop,
        any,
        &["join", ticket.trim(), "--name", "Ana (new laptop)"],
    );
    assert!(joined.0, "{}", joined.1);
    run(&office, &["member", "remove-device", &lost_device[..12]]);
    server.stop();
    let members = run(&new_laptop, &["member", "list", "--json"]);
    let members: serde_json::Value = serde_json::from_str(&members).expect("json");
    let roles: Vec<(&str, &str)> = members
        .as_array()
        .expect("list")
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or(""),
                m["role"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        roles.contains(&("Office Peer", "admin")) && roles.contains(&("Ana (new laptop)", "admin")),
        "{roles:?}"
    );

    // The used phrase is replaced by a new kit; the old one stops working.
    let renewed = run(&office, &["recovery-kit"]);
    assert_ne!(phrase_in(&renewed), phrase);
    let out = run_with_input(&office, &["--offline", "--bind", any, "recover"], &phrase);
    assert!(!out.status.success(), "the old phrase no longer works");
}

#[test]
fn a_removed_member_is_told_by_whom_and_when_and_keeps_a_readable_copy() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let office: PathBuf = tmp.path().join("office");
    let ben: PathBuf = tmp.path().join("ben");
    let bind = format!("127.0.0.1:{}", free_port());
    let any = "127.0.0.1:0";
    run(
        &office,
        &[
            "init",
            "--workspace",
            "Acme Office",
            "--name",
            "Ana Ruiz",
            "--no-recovery-kit",
        ],
    );
    run(&office, &["task", "add", "Order toner"]);
    let ticket = run(&office, &["--offline", "--bind", &bind, "invite"]);
    let (server, _) = Server::start(&office, &bind);
    let joined = net(&ben, any, &["join", ticket.trim(), "--name", "Ben Ode"]);
    assert!(joined.0, "{}", joined.1);
    server.stop();

    // Removed while Ben is away; the office peer serves again.
    let (ok, said) = net(&office, any, &["member", "remove", "Ben Ode"]);
    assert!(ok && said.contains("no other devices to tell"), "{said}");
    let (server, _) = Server::start(&office, &bind);

    // Ben's next sync says what happened, not "not in sync after 30s".
    let (ok, said) = net(&ben, any, &["sync", "--timeout", "20"]);
    assert!(!ok);
    assert!(
        said.contains("You were removed from Acme Office by Ana Ruiz on "),
        "{said}"
    );
    server.stop();
    let status = run(&ben, &["status"]);
    assert!(
        status.contains("removed:    You were removed from Acme Office by Ana Ruiz"),
        "{status}"
    );
    // His copy is his: readable and exportable; changes are refused.
    assert!(run(&ben, &["task", "list"]).contains("Order toner"));
    assert!(run(&ben, &["export", "--json"]).contains("Order toner"));
    let (ok, said) = net(&ben, any, &["task", "add", "Sneak in a task"]);
    assert!(!ok && said.contains("You were removed"), "{said}");
    assert!(!run(&ben, &["member", "list"]).contains("Ben Ode"));
}
