//! Equipment across devices: a laptop handed to two people on two offline
//! devices is a conflict on both after the merge (both names, not silently
//! one), and handing it out again settles it everywhere; the history keeps
//! both hand-outs.

use bureau::model::{Asset, AssetStatus};
use bureau::ops::{Op, Session};
use bureau::store::Store;

use crate::common;
use common::Fixture;
use common::purchasing::{apply, create, merge};

fn holders(store: &Store, asset: &str) -> Vec<String> {
    store
        .field_conflict::<Asset>(asset, "holder")
        .expect("conflicts")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_laptop_handed_to_two_people_offline_is_a_conflict_on_both_until_settled() {
    let fx = Fixture::new();
    let a = fx.init("a");
    let mut s = Session::open(&a).expect("session");
    create(&a, &mut s, "sites", &[("name", "HQ")]);
    let laptop = create(
        &a,
        &mut s,
        "assets",
        &[("tag", "LT-0042"), ("name", "Laptop"), ("site", "HQ")],
    );
    drop(s);
    fx.close(a);
    fx.clone_replica("a", "b");
    let (a, b) = (fx.open("a"), fx.open("b"));
    let (mut sa, mut sb) = (Session::open(&a).expect("a"), Session::open(&b).expect("b"));
    apply(
        &a,
        &mut sa,
        Op::AssignAsset {
            asset: laptop.clone(),
            to: "Dana Lee".into(),
        },
    );
    apply(
        &b,
        &mut sb,
        Op::AssignAsset {
            asset: laptop.clone(),
            to: "Sam Patel".into(),
        },
    );
    merge(&a, &b);
    for store in [&a, &b] {
        let mut both = holders(store, &laptop);
        both.sort();
        assert_eq!(both, ["Dana Lee", "Sam Patel"], "both hand-outs are shown");
        let asset = store.require::<Asset>(&laptop).expect("asset");
        assert_eq!(asset.status, AssetStatus::Assigned);
        assert_eq!(asset.events().len(), 2, "the history keeps both");
    }
    // Settled: it really went to Sam (taken back, handed out again).
    apply(
        &a,
        &mut sa,
        Op::ReturnAsset {
            asset: laptop.clone(),
        },
    );
    apply(
        &a,
        &mut sa,
        Op::AssignAsset {
            asset: laptop.clone(),
            to: "Sam Patel".into(),
        },
    );
    merge(&a, &b);
    for store in [&a, &b] {
        assert!(holders(store, &laptop).is_empty(), "no conflict left");
        assert_eq!(
            store
                .require::<Asset>(&laptop)
                .expect("asset")
                .holder
                .as_deref(),
            Some("Sam Patel")
        );
    }
}
