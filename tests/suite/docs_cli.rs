//! The documents and people CLI contract: `doc add` prints the id alone,
//! `doc show --markdown` prints the text as stored, `doc edit --body-file`
//! changes only what differs, `doc history` lists who changed it, `doc
//! restore --version` puts one back, `doc list --review-due` shows what is
//! due; `person set` fills the directory, `org` prints the tree (JSON and
//! CSV too) and a loop of managers is refused in one line.

use crate::common;

use common::process::{fails, id, init, json, run, weekly_report_csv};

#[test]
fn documents_as_scripts_use_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let first = tmp.path().join("fire.md");
    std::fs::write(&first, "# Fire safety\n\n1. Raise the alarm.\n").expect("write");
    let doc = id(&run(
        &dir,
        &[
            "doc",
            "add",
            "Fire safety",
            "--category",
            "sop",
            "--owner",
            "ana",
            "--review-every",
            "12m",
            "--body-file",
            first.to_str().expect("path"),
        ],
    ));
    assert_eq!(
        run(&dir, &["doc", "show", &doc, "--markdown"]),
        "# Fire safety\n\n1. Raise the alarm.\n"
    );
    let shown = json(&dir, &["doc", "show", &doc, "--json"]);
    assert_eq!(shown["document"]["owner"], "Ana Ruiz");
    assert_eq!(shown["document"]["review_months"], 12);
    assert_eq!(shown["document"]["category"], "sop");

    let second = tmp.path().join("fire2.md");
    std::fs::write(
        &second,
        "# Fire safety\n\n1. Raise the alarm.\n2. Leave by the stairs.\n",
    )
    .expect("write");
    run(
        &dir,
        &[
            "doc",
            "edit",
            &doc,
            "--body-file",
            second.to_str().expect("path"),
        ],
    );
    let history = json(&dir, &["doc", "history", &doc, "--json"]);
    assert_eq!(history.as_array().expect("versions").len(), 2);
    assert_eq!(history[1]["who"], "Ana Ruiz");
    assert_eq!(history[1]["lines_added"], 1);
    let table = run(&dir, &["doc", "history", &doc]);
    assert!(
        table.contains("Ana Ruiz") && table.contains("+1"),
        "{table}"
    );
    let diff = run(&dir, &["doc", "diff", &doc, "1", "2"]);
    assert!(diff.contains("+ 2. Leave by the stairs."), "{diff}");

    run(&dir, &["doc", "restore", &doc, "--version", "1"]);
    assert_eq!(
        run(&dir, &["doc", "show", &doc, "--markdown"]),
        "# Fire safety\n\n1. Raise the alarm.\n"
    );
    assert_eq!(
        json(&dir, &["doc", "history", &doc, "--json"])
            .as_array()
            .expect("versions")
            .len(),
        3,
        "restoring added a version"
    );

    // Review due: one due yesterday, one in a year.
    assert!(
        json(&dir, &["doc", "list", "--review-due", "--json"])
            .as_array()
            .expect("list")
            .is_empty()
    );
    run(&dir, &["doc", "set", &doc, "review_date=yesterday"]);
    let due = json(&dir, &["doc", "list", "--review-due", "--json"]);
    assert_eq!(due[0]["id"], doc.as_str());
    let text = weekly_report_csv(&dir);
    assert!(
        text.contains("Documents due for review") && text.contains("Fire safety"),
        "{text}"
    );
    let export = json(&dir, &["export", "--json"]);
    assert_eq!(
        export["doc_bodies"][&doc], "# Fire safety\n\n1. Raise the alarm.\n",
        "a backup carries each document's text"
    );
    run(&dir, &["doc", "reviewed", &doc]);
    assert!(
        json(&dir, &["doc", "list", "--review-due", "--json"])
            .as_array()
            .expect("list")
            .is_empty(),
        "a review sets the next one a cycle later"
    );

    let err = fails(&dir, &["doc", "add", "Leave policy", "--category", "memo"]);
    assert!(err.contains("category"), "{err}");
    let err = fails(
        &dir,
        &[
            "doc",
            "add",
            "Leave policy",
            "--category",
            "policy",
            "--review-every",
            "soon",
        ],
    );
    assert!(err.contains("12m or 1y"), "{err}");
    assert_eq!(
        json(&dir, &["doc", "list", "--json"])
            .as_array()
            .expect("list")
            .len(),
        1,
        "refusals save nothing"
    );
}

#[test]
fn the_directory_and_org_chart_as_scripts_use_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    run(&dir, &["site", "add", "HQ"]);
    run(
        &dir,
        &[
            "person",
            "set",
            "Ana Ruiz",
            "--title",
            "Office manager",
            "--department",
            "Operations",
            "--site",
            "HQ",
        ],
    );
    let ben = id(&run(
        &dir,
        &[
            "person",
            "set",
            "Ben Ode",
            "--title",
            "Facilities lead",
            "--manager",
            "Ana Ruiz",
            "--email",
            "ben@example.com",
        ],
    ));
    run(&dir, &["person", "set", "Cy Park", "--manager", "Ben Ode"]);
    // Setting again changes only what is given, and prints nothing.
    assert_eq!(
        run(&dir, &["person", "set", "Ben Ode", "--phone", "555-0101"]),
        ""
    );
    let shown = json(&dir, &["person", "show", &ben, "--json"]);
    assert_eq!(shown["person"]["email"], "ben@example.com");
    assert_eq!(shown["person"]["phone"], "555-0101");

    let tree = run(&dir, &["org"]);
    assert_eq!(
        tree,
        "Ana Ruiz (Office manager, Operations)\n  Ben Ode (Facilities lead)\n    Cy Park\n"
    );
    let chart = json(&dir, &["org", "--json"]);
    assert_eq!(chart[0]["reports"][0]["reports"][0]["name"], "Cy Park");
    let csv = run(&dir, &["org", "--csv"]);
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("Name,Title,Department,Manager,Site,Email,Phone,Member")
    );
    assert_eq!(
        rows.next(),
        Some("Ana Ruiz,Office manager,Operations,,HQ,,,yes")
    );
    assert_eq!(
        rows.next(),
        Some("Ben Ode,Facilities lead,,Ana Ruiz,,ben@example.com,555-0101,no")
    );
    let found = json(
        &dir,
        &["person", "list", "--search", "facilities", "--json"],
    );
    assert_eq!(found.as_array().expect("list").len(), 1);

    let err = fails(&dir, &["person", "set", "Ana Ruiz", "--manager", "Cy Park"]);
    assert!(
        err.contains(
            "Ana Ruiz reports to Cy Park, who reports to Ben Ode, who reports to Ana Ruiz"
        ),
        "{err}"
    );
    assert_eq!(
        run(&dir, &["org"]).lines().next(),
        Some("Ana Ruiz (Office manager, Operations)"),
        "nothing changed"
    );
}
