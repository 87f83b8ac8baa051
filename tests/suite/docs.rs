//! Documents (SOPs) and the people directory through the operations layer
//! and replicas: two people editing one SOP offline both keep their words;
//! an old version comes back as a new change (and undo takes it back); the
//! body lives in its own document that a `task add` never loads; a manager
//! chain that loops is refused.

use bureau::model::{Doc, Person};
use bureau::ops::{Op, Session, TextChange};
use bureau::store::Store;

use crate::common;
use common::Fixture;
use common::purchasing::{apply, create, merge};

fn body(store: &Store, doc: &str) -> String {
    let d = store.require::<Doc>(doc).expect("doc");
    store.body_text(&d.body_doc).expect("body")
}

fn edit(store: &Store, session: &mut Session, doc: &str, before: &str, after: &str) {
    apply(
        store,
        session,
        Op::EditText {
            kind: "docs".into(),
            id: doc.into(),
            field: "body".into(),
            change: TextChange::Replace {
                before: before.into(),
                after: after.into(),
            },
        },
    );
}

fn new_sop(store: &Store, session: &mut Session, text: &str) -> String {
    apply(
        store,
        session,
        Op::CreateDoc {
            fields: vec![
                ("title".into(), "Fire safety".into()),
                ("category".into(), "sop".into()),
                ("review_months".into(), "1y".into()),
            ],
            body: text.into(),
        },
    )
}

const FIRST: &str = "# Fire safety\n\n1. Raise the alarm.\n2. Leave by the stairs.\n";

#[test]
fn two_people_editing_one_sop_offline_both_keep_their_words() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut s = Session::open(&a).expect("session");
    let doc = new_sop(&a, &mut s, FIRST);
    let created = a.require::<Doc>(&doc).expect("doc");
    assert!(
        !created.body_doc.is_empty(),
        "the body has its own document"
    );
    assert!(
        created.review_date.is_some(),
        "a cycle sets the first review"
    );
    drop(s);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    let (mut sa, mut sb) = (Session::open(&a).expect("a"), Session::open(&b).expect("b"));
    edit(
        &a,
        &mut sa,
        &doc,
        FIRST,
        &FIRST.replace("Raise the alarm.", "Raise the alarm (red box by the door)."),
    );
    edit(
        &b,
        &mut sb,
        &doc,
        FIRST,
        &format!("{FIRST}3. Meet at the car park.\n"),
    );
    merge(&a, &b);
    let expected = "# Fire safety\n\n1. Raise the alarm (red box by the door).\n2. Leave by the stairs.\n3. Meet at the car park.\n";
    assert_eq!(body(&a, &doc), expected);
    assert_eq!(body(&b, &doc), expected);
    // Each version names who made it.
    let d = a.require::<Doc>(&doc).expect("doc");
    let versions = a.body_versions(&d.body_doc).expect("versions");
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert!(versions.iter().all(|v| !v.member_id.is_empty()));
}

#[test]
fn an_old_version_comes_back_as_a_new_change_and_undo_takes_it_back() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut s = Session::open(&store).expect("session");
    let doc = new_sop(&store, &mut s, FIRST);
    let second = FIRST.replace("stairs", "lift");
    edit(&store, &mut s, &doc, FIRST, &second);
    let d = store.require::<Doc>(&doc).expect("doc");
    let versions = store.body_versions(&d.body_doc).expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(
        store
            .body_text_at(&d.body_doc, &versions[0].hash)
            .expect("old"),
        FIRST
    );
    apply(
        &store,
        &mut s,
        Op::RestoreDocVersion {
            doc: doc.clone(),
            version: versions[0].hash.clone(),
        },
    );
    assert_eq!(body(&store, &doc), FIRST);
    assert_eq!(
        store.body_versions(&d.body_doc).expect("versions").len(),
        3,
        "restoring is a new version; the history keeps the others"
    );
    s.undo(&store).expect("undo");
    assert_eq!(body(&store, &doc), second, "undo takes the restore back");
}

#[test]
fn the_sop_body_document_is_not_loaded_by_task_add() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut s = Session::open(&store).expect("session");
    let doc = new_sop(&store, &mut s, FIRST);
    let body_doc = store.require::<Doc>(&doc).expect("doc").body_doc;
    drop(s);
    fx.close(store);
    // What `bureau task add` does: open, one operation, close.
    let store = fx.open("a");
    let mut s = Session::open(&store).expect("session");
    create(&store, &mut s, "tasks", &[("title", "Order toner")]);
    assert!(
        !store.is_body_loaded(&body_doc),
        "adding a task must not load SOP bodies"
    );
    // Opening the document does.
    assert_eq!(body(&store, &doc), FIRST);
    assert!(store.is_body_loaded(&body_doc));
}

#[test]
fn a_manager_chain_that_loops_is_refused_and_a_new_manager_gets_an_entry() {
    let fx = Fixture::new();
    let store = fx.init("a");
    let mut s = Session::open(&store).expect("session");
    let set = |s: &mut Session, name: &str, manager: &str| {
        s.apply(
            &store,
            Op::SetPerson {
                name: name.into(),
                fields: vec![("manager".into(), manager.into())],
            },
        )
    };
    set(&mut s, "Ben Ode", "Ana Ruiz").expect("Ben reports to Ana");
    set(&mut s, "Cy Park", "Ben Ode").expect("Cy reports to Ben");
    let people = store.list::<Person>(false).expect("people");
    assert_eq!(
        people.len(),
        3,
        "Ana, a manager not yet in the directory, got an entry"
    );
    let err = set(&mut s, "Ana Ruiz", "Cy Park").expect_err("a loop");
    let text = err.to_string();
    assert!(
        text.contains(
            "Ana Ruiz reports to Cy Park, who reports to Ben Ode, who reports to Ana Ruiz"
        ),
        "says the loop: {text}"
    );
    let ana = store
        .list::<Person>(false)
        .expect("people")
        .into_iter()
        .find(|p| p.name == "Ana Ruiz")
        .expect("Ana");
    assert_eq!(ana.manager, None, "nothing was written");
    let chart = bureau::model::people::org_chart(&store.list::<Person>(false).expect("people"));
    assert_eq!(chart.len(), 1);
    assert_eq!(chart[0].name, "Ana Ruiz");
    assert_eq!(chart[0].reports[0].name, "Ben Ode");
    assert_eq!(chart[0].reports[0].reports[0].name, "Cy Park");
}

/// Waits (on the store's own signal, never a timer) until body `id` is
/// loaded in `store`'s process.
fn until_body_loaded(net: &common::net::Net, store: &Store, id: &str) -> bool {
    let mut loaded = store.watch_documents();
    let deadline = std::time::Instant::now() + common::net::TIMEOUT;
    while !store.is_body_loaded(id) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let changed = net
            .rt
            .block_on(async { tokio::time::timeout(left, loaded.changed()).await });
        if !matches!(changed, Ok(Ok(()))) {
            return false;
        }
    }
    true
}

#[test]
fn a_teammates_sop_text_is_fetched_in_the_background_and_read_offline() {
    let net = common::net::Net::new();
    let a = net.found("a");
    let ticket = net.invite(&a, bureau::model::Role::Member);
    let b = net.join("b", &ticket, "Ben Ode");
    net.stop(b);
    // Ana writes an SOP while Ben is away, and closes the app.
    let mut s = Session::open(a.store()).expect("session");
    let doc = new_sop(a.store(), &mut s, FIRST);
    let body_doc = a.store().require::<Doc>(&doc).expect("doc").body_doc;
    drop(s);
    net.stop(a);
    // Both start again: nobody opens the document, yet Ben's node fetches
    // its text after syncing.
    let a = net.start("a");
    let b = net.start("b");
    assert!(
        until_body_loaded(&net, b.store(), &body_doc),
        "Ben's node fetched the text"
    );
    net.sync(&b);
    net.stop(a);
    net.stop(b);
    // Offline, the text is on Ben's machine.
    let store = net.open("b");
    assert_eq!(body(&store, &doc), FIRST);
    net.close(store);
}
