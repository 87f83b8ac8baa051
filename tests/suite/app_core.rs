//! The real app path: two threaded backends, each owning a real node on
//! loopback, edited as people would. Nothing here sleeps: tests wait on the
//! backends' published view models (`wait_until`), with a timeout only as a
//! guard against a hang.

#![cfg(feature = "gui")]

use crate::common;

use std::path::PathBuf;
use std::time::Duration;

use bureau::model::*;
use bureau::ops::Op;
use bureau::sync::{NetOptions, Node};
use bureau::ui::backend::{Backend, ViewModel};
use bureau::ui::{AreaTab, BureauApp, Prefs};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

pub(crate) const WAIT: Duration = Duration::from_secs(60);

pub(crate) struct Team {
    _dir: tempfile::TempDir,
    pub ana: PathBuf,
    pub ben: PathBuf,
    pub task: String,
}

/// Ana's workspace with one task, and Ben who joined it (both stopped).
pub(crate) fn team() -> Team {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ana, ben) = (dir.path().join("ana"), dir.path().join("ben"));
    let rt = common::runtime();
    let store = rt
        .block_on(bureau::sync::node::create_workspace(
            &ana,
            "Acme Office",
            "Ana Ruiz",
        ))
        .expect("workspace");
    let task = common::net::add_task(&store, "Order toner");
    rt.block_on(store.close());
    let a = rt
        .block_on(Node::start(&ana, "test", &NetOptions::loopback()))
        .expect("node a");
    let ticket = a.invite(Role::Member, WAIT).expect("invite");
    let b = rt
        .block_on(Node::join(
            &ben,
            &ticket,
            "Ben Ode",
            &NetOptions::loopback(),
        ))
        .expect("join");
    rt.block_on(b.shutdown());
    rt.block_on(a.shutdown());
    Team {
        _dir: dir,
        ana,
        ben,
        task,
    }
}

/// Runs `fill` on Ana's workspace (no app open yet) with a session.
fn on_anas<T>(
    team: &Team,
    fill: impl FnOnce(&bureau::store::Store, &mut bureau::ops::Session) -> T,
) -> T {
    on_store(&team.ana, fill)
}

/// Runs `fill` on the workspace at `path` (no app open on it) with a session.
pub(crate) fn on_store<T>(
    path: &std::path::Path,
    fill: impl FnOnce(&bureau::store::Store, &mut bureau::ops::Session) -> T,
) -> T {
    let rt = common::runtime();
    let store = rt
        .block_on(bureau::store::Store::open(path, "test"))
        .expect("open");
    let mut session = bureau::ops::Session::open(&store).expect("session");
    let out = fill(&store, &mut session);
    drop(session);
    rt.block_on(store.close());
    out
}

pub(crate) fn threaded(path: &std::path::Path) -> Backend {
    Backend::threaded(path.to_path_buf(), NetOptions::loopback(), || {})
}

pub(crate) fn task<'a>(vm: &'a ViewModel, id: &str) -> Option<&'a Task> {
    vm.task(id)
}

/// Ana's and Ben's apps, both showing the team's task.
pub(crate) fn both_apps(team: &Team) -> (Backend, Backend) {
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| task(vm, &team.task).is_some())
            .expect("both see the task");
    }
    (ana, ben)
}

/// At once: Ana retitles the task, Ben starts it.
pub(crate) fn retitle_and_start(team: &Team, ana: &mut Backend, ben: &mut Backend) {
    ana.send(Op::set(
        "tasks",
        &team.task,
        "title",
        "Order toner (HP 305)",
    ));
    ben.send(Op::set("tasks", &team.task, "status", "in-progress"));
}

#[test]
fn two_people_edit_different_fields_of_one_task_and_both_win() {
    let team = team();
    let (mut ana, mut ben) = both_apps(&team);
    retitle_and_start(&team, &mut ana, &mut ben);
    ben.send(Op::AddComment {
        task: team.task.clone(),
        text: "asked the vendor".into(),
    });
    for app in [&mut ana, &mut ben] {
        let vm = app
            .wait_until(WAIT, |vm| {
                task(vm, &team.task).is_some_and(|t| {
                    t.title == "Order toner (HP 305)"
                        && t.status == TaskStatus::InProgress
                        && t.comments.len() == 1
                })
            })
            .unwrap_or_else(|| {
                panic!(
                    "all three edits survive on both: {:?}",
                    app.view().task(&team.task)
                )
            });
        assert!(
            app.take_notices()
                .iter()
                .all(|n| !matches!(n, bureau::ui::backend::Notice::Error(_)))
        );
        drop(vm);
    }
}

fn harness(backend: Backend) -> Harness<'static, BureauApp> {
    let prefs = Prefs {
        area: AreaTab::Tasks,
        dark_mode: Some(false),
        ..Default::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        // Frames 1/60 s apart, as on screen (toasts stay for seconds).
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, app: &mut BureauApp| app.show(ui),
            BureauApp::new(backend, prefs),
        );
    h.run();
    h
}

#[test]
fn a_comment_arriving_while_my_details_are_open_survives_my_title_edit() {
    let team = team();
    let mut ben = threaded(&team.ben);
    let mut ana = harness(threaded(&team.ana));
    ana.state_mut()
        .backend_mut()
        .wait_until(WAIT, |vm| task(vm, &team.task).is_some())
        .expect("ana sees the task");
    ana.run();
    ana.get_by_label("Order toner").click();
    ana.run();
    // Ana's details panel is open; Ben comments meanwhile.
    ben.wait_until(WAIT, |vm| task(vm, &team.task).is_some())
        .expect("ben sees the task");
    ben.send(Op::AddComment {
        task: team.task.clone(),
        text: "the HP one, please".into(),
    });
    ana.state_mut()
        .backend_mut()
        .wait_until(WAIT, |vm| {
            task(vm, &team.task).is_some_and(|t| t.comments.len() == 1)
        })
        .expect("the comment arrives");
    ana.run();
    ana.get_by_label_contains("the HP one, please");
    // Ana retitles the task in the open panel: the field commits on Enter.
    common::app::retype(&mut ana, "Title", "Order HP 305 toner");
    ana.key_press(egui::Key::Enter);
    ana.run();
    for backend in [ana.state_mut().backend_mut(), &mut ben] {
        backend
            .wait_until(WAIT, |vm| {
                task(vm, &team.task)
                    .is_some_and(|t| t.title == "Order HP 305 toner" && t.comments.len() == 1)
            })
            .expect("the title and the comment both survive");
    }
}

#[test]
fn every_click_is_applied_exactly_once_while_remote_changes_pour_in() {
    let team = team();
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| task(vm, &team.task).is_some())
            .expect("both see the task");
    }
    // Ben makes 200 changes; Ana clicks 50 times while they arrive.
    for i in 0..200 {
        ben.send(Op::Create {
            kind: "tasks".into(),
            fields: vec![("title".into(), format!("remote {i}"))],
        });
        if i % 4 == 0 {
            ana.send(Op::Create {
                kind: "tasks".into(),
                fields: vec![("title".into(), format!("click {}", i / 4))],
            });
        }
    }
    ana.wait_applied(WAIT).expect("ana applied every click");
    for app in [&mut ana, &mut ben] {
        let vm = app
            .wait_until(WAIT, |vm| vm.tasks.len() == 251)
            .unwrap_or_else(|| panic!("251 tasks, got {}", app.view().tasks.len()));
        for i in 0..50 {
            let title = format!("click {i}");
            let n = vm.tasks.iter().filter(|t| t.title == title).count();
            assert_eq!(n, 1, "{title} applied exactly once");
        }
        assert_eq!(
            vm.tasks
                .iter()
                .filter(|t| t.title.starts_with("remote "))
                .count(),
            200
        );
    }
}

#[test]
fn the_cli_works_while_the_app_is_open() {
    let team = team();
    let mut ana = threaded(&team.ana);
    ana.wait_until(WAIT, |vm| task(vm, &team.task).is_some())
        .expect("the app is open");
    // The app holds the data directory; the CLI hands its command to it.
    let out = assert_cmd::Command::cargo_bin("bureau")
        .expect("binary")
        .arg("--data-dir")
        .arg(&team.ana)
        .args(["task", "add", "Added from a script"])
        .env_remove("BUREAU_DATA_DIR")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let id = String::from_utf8(out).expect("utf8").trim().to_string();
    ana.wait_until(WAIT, |vm| task(vm, &id).is_some())
        .expect("the window shows what the script added");
}

#[test]
fn two_people_edit_one_purchase_order_and_both_edits_and_a_new_line_survive() {
    let team = team();
    let po = on_anas(&team, |store, session| {
        common::purchasing::office(store, session).po
    });
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| vm.purchasing.order(&po).is_some())
            .expect("both see the order");
    }
    ana.send(Op::set(
        "purchase_orders",
        &po,
        "notes",
        "Deliver to the back door",
    ));
    ben.send(Op::set("purchase_orders", &po, "requested_by", "Ben Ode"));
    ben.send(Op::AddOrderLine {
        order: po.clone(),
        line: bureau::ops::LineInput {
            item: None,
            description: "Desk lamp".into(),
            quantity: 2,
            unit_price: "24.50".into(),
            tax_rate: 0,
        },
    });
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| {
            vm.purchasing.order(&po).is_some_and(|o| {
                o.notes == "Deliver to the back door"
                    && o.requested_by == "Ben Ode"
                    && o.lines.len() == 2
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "every edit survives on both: {:?}",
                app.view().purchasing.order(&po)
            )
        });
    }
}

#[test]
fn two_people_edit_one_budget_line_and_an_expense_from_each_counts_on_both() {
    let team = team();
    let line = on_anas(&team, |store, session| {
        common::purchasing::create(
            store,
            session,
            "budget_lines",
            &[
                ("category", "Office supplies"),
                ("period", "2025"),
                ("amount", "500"),
            ],
        )
    });
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    let status = |vm: &ViewModel| {
        vm.budget
            .statuses
            .iter()
            .find(|(l, _)| l.id == line)
            .map(|(l, s)| ((**l).clone(), s.clone()))
    };
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| status(vm).is_some())
            .expect("both see the line");
    }
    let expense = |amount: &str| Op::Create {
        kind: "expenses".into(),
        fields: vec![
            ("date".into(), "2025-03-04".into()),
            ("amount".into(), amount.into()),
            ("category".into(), "office supplies".into()),
        ],
    };
    ana.send(Op::set("budget_lines", &line, "amount", "650"));
    ana.send(expense("40.00"));
    ben.send(Op::set("budget_lines", &line, "notes", "Paper and toner"));
    ben.send(Op::set("budget_lines", &line, "owner", "Ben Ode"));
    ben.send(expense("2.50"));
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| {
            status(vm).is_some_and(|(l, s)| {
                l.amount.minor == 65_000
                    && l.notes == "Paper and toner"
                    && l.owner.as_deref() == Some("Ben Ode")
                    && s.spent == 4_250
                    && s.remaining == 60_750
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "every edit and both expenses on both: {:?}",
                status(&app.view())
            )
        });
    }
}

#[test]
fn two_people_take_notes_in_one_meeting_at_once_and_both_keep_their_words() {
    let team = team();
    let meeting = on_anas(&team, |store, session| {
        common::purchasing::create(
            store,
            session,
            "meetings",
            &[
                ("title", "Ops weekly"),
                ("starts_at", "2026-12-01 14:00"),
                ("duration_minutes", "30"),
            ],
        )
    });
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    let notes = |vm: &ViewModel| {
        vm.meetings.meeting(&meeting).map(|m| {
            (
                m.notes.as_str().to_string(),
                m.title.clone(),
                m.decisions.clone(),
            )
        })
    };
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| notes(vm).is_some())
            .expect("both see the meeting");
    }
    // Each types into the notes as they see them (empty), as the meeting
    // page sends them; Ana also renames it, Ben records a decision.
    let typed = |text: &str| Op::EditText {
        kind: "meetings".into(),
        id: meeting.clone(),
        field: "notes".into(),
        change: bureau::ops::TextChange::Replace {
            before: String::new(),
            after: text.into(),
        },
    };
    ana.send(typed("Ana: budget on track\n"));
    ana.send(Op::set(
        "meetings",
        &meeting,
        "title",
        "Ops weekly (December)",
    ));
    ben.send(typed("Ben: printer broken\n"));
    ben.send(Op::set(
        "meetings",
        &meeting,
        "decisions",
        "Renew the printer contract",
    ));
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| {
            notes(vm).is_some_and(|(n, title, decisions)| {
                n.contains("Ana: budget on track\n")
                    && n.contains("Ben: printer broken\n")
                    && n.len() == "Ana: budget on track\nBen: printer broken\n".len()
                    && title == "Ops weekly (December)"
                    && decisions == "Renew the printer contract"
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "both people's notes and edits on both: {:?}",
                notes(&app.view())
            )
        });
    }
}

#[test]
fn one_person_hands_out_a_laptop_while_another_edits_its_notes_and_both_survive() {
    let team = team();
    let laptop = on_anas(&team, |store, session| {
        common::purchasing::create(
            store,
            session,
            "assets",
            &[("tag", "LT-0042"), ("name", "Laptop")],
        )
    });
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    let asset = |vm: &ViewModel| vm.facilities.asset(&laptop).map(|a| (**a).clone());
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| asset(vm).is_some())
            .expect("both see the laptop");
    }
    ana.send(Op::set("assets", &laptop, "notes", "Charger missing"));
    ben.send(Op::AssignAsset {
        asset: laptop.clone(),
        to: "Dana Lee".into(),
    });
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| {
            asset(vm).is_some_and(|a| {
                a.notes == "Charger missing"
                    && a.holder.as_deref() == Some("Dana Lee")
                    && a.status == AssetStatus::Assigned
                    && a.history.len() == 1
            })
        })
        .unwrap_or_else(|| panic!("both edits on both: {:?}", asset(&app.view())));
    }
}

#[test]
fn two_people_edit_one_sop_at_once_in_the_app_and_both_keep_their_words() {
    let team = team();
    let first = "# Visitors\n\n1. Sign in at reception.\n";
    let doc = on_anas(&team, |store, session| {
        session
            .apply(
                store,
                Op::CreateDoc {
                    fields: vec![
                        ("title".into(), "Visitors".into()),
                        ("category".into(), "sop".into()),
                    ],
                    body: first.into(),
                },
            )
            .expect("document")
            .created
            .expect("id")
    });
    let mut ana = threaded(&team.ana);
    let mut ben = threaded(&team.ben);
    // Ben has never had the text: it is fetched from Ana when he opens it.
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| vm.docs.doc(&doc).is_some())
            .expect("both see the document");
        app.send(bureau::ui::backend::Command::OpenDoc {
            doc: Some(doc.clone()),
        });
        app.wait_until(WAIT, |vm| vm.body.as_ref().is_some_and(|b| b.text == first))
            .unwrap_or_else(|| panic!("the text opens: {:?}", app.view().body));
    }
    let typed = |after: String| Op::EditText {
        kind: "docs".into(),
        id: doc.clone(),
        field: "body".into(),
        change: bureau::ops::TextChange::Replace {
            before: first.into(),
            after,
        },
    };
    ana.send(typed(first.replace("reception", "reception (badge)")));
    ana.send(Op::set("docs", &doc, "title", "Visitors and deliveries"));
    ben.send(typed(format!("{first}2. Escort them at all times.\n")));
    ben.send(Op::set("docs", &doc, "review_months", "6"));
    let expected = "# Visitors\n\n1. Sign in at reception (badge).\n2. Escort them at all times.\n";
    for app in [&mut ana, &mut ben] {
        app.wait_until(WAIT, |vm| {
            vm.body
                .as_ref()
                .is_some_and(|b| b.text == expected && b.versions.len() == 3)
                && vm.docs.doc(&doc).is_some_and(|d| {
                    d.title == "Visitors and deliveries" && d.review_months == Some(6)
                })
        })
        .unwrap_or_else(|| {
            panic!(
                "both edits of the text and both fields on both: {:?} {:?}",
                app.view().body,
                app.view().docs.doc(&doc)
            )
        });
    }
}
