//! The meetings, rooms and onboarding CLI contract as the issue writes it:
//! ids alone on create (an action item prints its task's id, a plan its
//! plan id), `--json` where it lists, one-line refusals that save nothing.
//! Times are relative to today ("+3d 14:00") so the clash window (today
//! and the next eight weeks) always holds them.

use crate::common;

use common::process::{fails, id, init, json, run, weekly_report_csv};

#[test]
fn meetings_rooms_and_plans_as_scripts_use_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    run(&dir, &["site", "add", "HQ"]);
    id(&run(
        &dir,
        &["room", "add", "Room 1", "--site", "HQ", "--capacity", "6"],
    ));
    let big = id(&run(
        &dir,
        &[
            "room",
            "add",
            "Big room",
            "--site",
            "HQ",
            "--capacity",
            "12",
        ],
    ));
    let weekly = id(&run(
        &dir,
        &[
            "meeting",
            "add",
            "Ops weekly",
            "--at",
            "+3d 14:00",
            "--minutes",
            "60",
            "--room",
            "Room 1",
            "--attendee",
            "Ana Ruiz",
            "--attendee",
            "Guest",
            "--every",
            "week",
        ],
    ));
    // A booking over it says so on stderr; stdout is still the id alone.
    let call = id(&run(
        &dir,
        &[
            "meeting",
            "add",
            "Vendor call",
            "--at",
            "+10d 14:30",
            "--minutes",
            "30",
            "--room",
            "Room 1",
        ],
    ));
    let clashes = json(&dir, &["room", "clashes", "--json"]);
    let clashes = clashes.as_array().expect("list");
    assert_eq!(clashes.len(), 1, "{clashes:?}");
    assert_eq!(clashes[0]["room_name"], "Room 1");
    assert_eq!(
        clashes[0]["move_meeting"],
        call.as_str(),
        "the later booking moves"
    );
    assert_eq!(clashes[0]["move"]["to"], "room");
    assert_eq!(clashes[0]["move"]["room"], big.as_str());
    run(&dir, &["meeting", "set", &call, "room=Big room"]);
    assert!(run(&dir, &["room", "clashes"]).contains("No clashes"));

    // Agenda, notes, action items, summary.
    let point = id(&run(
        &dir,
        &[
            "meeting",
            "agenda",
            &weekly,
            "add",
            "Budget",
            "--owner",
            "ana",
            "--minutes",
            "10",
        ],
    ));
    assert!(!point.is_empty());
    run(
        &dir,
        &[
            "meeting",
            "notes",
            &weekly,
            "--append",
            "Printer broken again",
        ],
    );
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "Printer broken again\nCafé: oat milk\n").expect("write");
    run(
        &dir,
        &[
            "meeting",
            "notes",
            &weekly,
            "--from-file",
            file.to_str().expect("path"),
        ],
    );
    let task = id(&run(
        &dir,
        &[
            "meeting",
            "action",
            &weekly,
            "Call the vendor",
            "--owner",
            "Ana Ruiz",
            "--due",
            "+5d",
        ],
    ));
    let shown = json(&dir, &["task", "show", &task, "--json"]);
    assert_eq!(
        shown["task"]["meeting"],
        weekly.as_str(),
        "the task names its meeting"
    );
    let md = run(&dir, &["meeting", "summary", &weekly]);
    assert!(md.contains("1. Budget (Ana Ruiz, 10 min)"), "{md}");
    assert!(md.contains("| Call the vendor | Ana Ruiz |"), "{md}");
    assert!(md.contains("Café: oat milk"), "{md}");
    let html = run(&dir, &["meeting", "summary", &weekly, "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Call the vendor"));

    // Refusals: one line, nothing saved.
    let meetings = json(&dir, &["meeting", "list", "--json"])
        .as_array()
        .map_or(0, Vec::len);
    assert!(fails(&dir, &["meeting", "add", "X", "--at", "someday"]).contains("day and time"));
    assert!(
        fails(
            &dir,
            &["meeting", "add", "X", "--at", "+1d 9:00", "--room", "Attic"]
        )
        .contains("no room named")
    );
    assert!(
        fails(
            &dir,
            &[
                "meeting", "add", "X", "--at", "+1d 9:00", "--every", "daily"
            ]
        )
        .contains("week")
    );
    assert!(
        fails(
            &dir,
            &["meeting", "action", &weekly, "Y", "--owner", "Nobody"]
        )
        .contains("not a member")
    );
    assert_eq!(
        json(&dir, &["meeting", "list", "--json"])
            .as_array()
            .map_or(0, Vec::len),
        meetings
    );

    // Onboarding and offboarding.
    let templates = json(&dir, &["onboarding", "templates", "--json"]);
    let names: Vec<&str> = templates
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names, ["Leaver", "New hire"]);
    let plan = id(&run(
        &dir,
        &[
            "onboarding",
            "start",
            "Dana Lee",
            "--template",
            "New hire",
            "--start",
            "2026-12-07",
            "--manager",
            "ana",
            "--site",
            "HQ",
        ],
    ));
    let shown = json(&dir, &["plan", "show", &plan, "--json"]);
    assert_eq!(shown["progress"]["total"], 7);
    assert_eq!(shown["steps"][0]["due"], "2026-12-02", "IT setup: −5 days");
    assert_eq!(shown["steps"][0]["owner"], "Ana Ruiz");
    let leaver = id(&run(
        &dir,
        &[
            "offboarding",
            "start",
            "Ben Ode",
            "--last-day",
            "2026-12-18",
        ],
    ));
    let steps = json(&dir, &["plan", "show", &leaver, "--json"]);
    let access = steps["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["category"] == "access")
        .expect("access step");
    let task = access["task"].as_str().expect("task id");
    assert!(fails(&dir, &["task", "set", task, "status=done"]).contains("revoke-access"));
    assert!(run_err(&dir, &["plan", "revoke-access", &leaver]).contains("not a member"));
    assert_eq!(
        json(&dir, &["plan", "show", &leaver, "--json"])["progress"]["done"],
        1
    );
    assert!(
        fails(
            &dir,
            &[
                "onboarding",
                "start",
                "Eve",
                "--template",
                "Leaver",
                "--start",
                "mon"
            ]
        )
        .contains("offboarding")
    );
    assert!(
        fails(
            &dir,
            &["offboarding", "start", "Eve", "--last-day", "someday"]
        )
        .contains("last day")
    );

    // The calendar feed has the weekly meeting once, with its rule and room;
    // the leadership report lists who is joining or leaving.
    let ics = tmp.path().join("office.ics");
    run(&dir, &["calendar", "--out", ics.to_str().expect("path")]);
    let feed = std::fs::read_to_string(&ics).expect("ics");
    let parsed = ical::IcalParser::new(feed.as_bytes())
        .next()
        .expect("a calendar")
        .expect("parses");
    let weekly_event = parsed
        .events
        .iter()
        .find(|e| {
            e.properties
                .iter()
                .any(|p| p.name == "SUMMARY" && p.value.as_deref() == Some("Ops weekly"))
        })
        .expect("the meeting is in the feed");
    let prop = |name: &str| {
        weekly_event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(prop("RRULE").as_deref(), Some("FREQ=WEEKLY"));
    assert_eq!(prop("LOCATION").as_deref(), Some("Room 1"));
    let report = weekly_report_csv(&dir);
    assert!(report.contains("Onboarding and offboarding"), "{report}");
    assert!(
        report.contains("Dana Lee,joining,2026-12-07,0 of 7"),
        "{report}"
    );
}

/// Runs a command that must succeed; what it said on stderr.
fn run_err(dir: &std::path::Path, args: &[&str]) -> String {
    let out = common::process::bureau(dir)
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).expect("utf8")
}
