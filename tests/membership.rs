//! Membership from the command line, with real processes on loopback:
//! members and devices named by id, a shared name refused with the
//! candidates, a removal pushed to every device that answers (and said
//! so), one device of a member removed, the single-admin warning.

use std::path::PathBuf;

mod common;
use common::process::{Server, bureau, free_port, run};

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
        &["init", "--workspace", "Acme Office", "--name", "Ana Ruiz"],
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
