//! Seeded multi-replica simulation: 3–5 replicas of one workspace apply
//! random domain commands (create, edit, soft delete, restore, stock
//! adjust and count, across record kinds), merge in random pairs with
//! random skipped merges, then heal. Every replica must end equal, every
//! created record must survive, and every item's on-hand must equal its
//! opening stock plus the sum of all adjustments.
//!
//! `BUREAU_SIM_CASES` sets the number of seeds (default 100);
//! `BUREAU_SIM_SEED` replays one seed. A failing seed is printed.

mod common;

use std::collections::BTreeMap;

use bureau::model::*;
use bureau::store::Store;
use common::Fixture;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

struct Sim {
    fx: Fixture,
    replicas: Vec<Store>,
    names: Vec<String>,
    tasks: Vec<String>,
    vendors: Vec<String>,
    items: Vec<String>,
    site: String,
    /// item -> expected on hand, for adjustments (counts are checked separately).
    expected: BTreeMap<String, i64>,
    counted: bool,
}

impl Sim {
    fn new(replicas: usize, rng: &mut StdRng) -> Sim {
        let fx = Fixture::new();
        let first = fx.init("r0");
        let site = first.ensure_site("HQ").expect("site");
        let mut items = Vec::new();
        let mut expected = BTreeMap::new();
        for i in 0..2 {
            let qty = rng.random_range(0..50);
            let id = first
                .create_item(
                    InventoryItem {
                        id: new_id(),
                        name: format!("item {i}"),
                        unit: "box".into(),
                        ..Default::default()
                    },
                    Some((&site, qty)),
                )
                .expect("item");
            expected.insert(id.clone(), qty);
            items.push(id);
        }
        fx.close(first);
        let names: Vec<String> = (0..replicas).map(|i| format!("r{i}")).collect();
        for name in &names[1..] {
            fx.clone_replica("r0", name);
        }
        let replicas = names.iter().map(|n| fx.open(n)).collect();
        Sim {
            fx,
            replicas,
            names,
            tasks: Vec::new(),
            vendors: Vec::new(),
            items,
            site,
            expected,
            counted: false,
        }
    }

    fn step(&mut self, rng: &mut StdRng) {
        let r = rng.random_range(0..self.replicas.len());
        let store = &self.replicas[r];
        match rng.random_range(0..10) {
            0 | 1 => {
                let id = store
                    .create(Task {
                        id: new_id(),
                        title: format!("task by r{r}"),
                        ..Default::default()
                    })
                    .expect("create");
                self.tasks.push(id);
            }
            2 => {
                let id = store
                    .create(Vendor {
                        id: new_id(),
                        name: format!("vendor by r{r}"),
                        ..Default::default()
                    })
                    .expect("vendor");
                self.vendors.push(id);
            }
            3 => self.edit_task(r, rng),
            4 => {
                if let Some(id) = self.pick(&self.tasks.clone(), rng) {
                    let _ = self.replicas[r].delete::<Task>(&id);
                }
            }
            5 => {
                if let Some(id) = self.pick(&self.tasks.clone(), rng) {
                    let _ = self.replicas[r].restore::<Task>(&id);
                }
            }
            6 | 7 => {
                let item = self.items[rng.random_range(0..self.items.len())].clone();
                let by = rng.random_range(-5..=5);
                if by != 0
                    && self.replicas[r]
                        .adjust_stock(&item, &self.site, by, Some("sim"))
                        .is_ok()
                {
                    *self.expected.entry(item).or_default() += by;
                }
            }
            8 => {
                let item = self.items[rng.random_range(0..self.items.len())].clone();
                let counted = rng.random_range(0..60);
                if self.replicas[r]
                    .count_stock(&item, &self.site, counted)
                    .is_ok()
                {
                    self.counted = true;
                }
            }
            _ => {
                if let Some(id) = self.pick(&self.vendors.clone(), rng) {
                    let _ = self.replicas[r].update::<Vendor, _>(&id, "edit", |v| {
                        v.notes = format!("note from r{r}");
                        Ok(())
                    });
                }
            }
        }
    }

    fn edit_task(&mut self, r: usize, rng: &mut StdRng) {
        let Some(id) = self.pick(&self.tasks.clone(), rng) else {
            return;
        };
        let field = rng.random_range(0..3);
        let _ = self.replicas[r].update::<Task, _>(&id, "edit", |t| {
            match field {
                0 => t.title = format!("title from r{r}"),
                1 => t.owner = Some(format!("owner {r}")),
                _ => t.priority = Priority::ALL[r % Priority::ALL.len()],
            }
            Ok(())
        });
    }

    /// A record some replica created (others may not have it yet).
    fn pick(&self, ids: &[String], rng: &mut StdRng) -> Option<String> {
        (!ids.is_empty()).then(|| ids[rng.random_range(0..ids.len())].clone())
    }

    fn merge(&self, a: usize, b: usize) {
        self.replicas[a]
            .merge_from(&self.replicas[b])
            .expect("merge");
    }

    /// Every pair merges until nothing changes.
    fn heal(&self) {
        loop {
            let mut applied = 0;
            for a in 0..self.replicas.len() {
                for b in 0..self.replicas.len() {
                    if a != b {
                        applied += self.replicas[a]
                            .merge_from(&self.replicas[b])
                            .expect("merge");
                    }
                }
            }
            if applied == 0 {
                break;
            }
        }
    }
}

fn run_case(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let replicas = rng.random_range(3..=5);
    let mut sim = Sim::new(replicas, &mut rng);
    let steps = rng.random_range(20..60);
    for _ in 0..steps {
        sim.step(&mut rng);
        // Random pairwise sync; most possible syncs are "dropped".
        if rng.random_bool(0.3) {
            let a = rng.random_range(0..replicas);
            let b = rng.random_range(0..replicas);
            if a != b {
                sim.merge(a, b);
            }
        }
    }
    sim.heal();

    let first =
        serde_json::to_string(&sim.replicas[0].export_json().expect("export")).expect("json");
    for (i, store) in sim.replicas.iter().enumerate().skip(1) {
        let other = serde_json::to_string(&store.export_json().expect("export")).expect("json");
        assert!(
            first == other,
            "seed {seed}: replica {i} differs from replica 0 after healing"
        );
    }
    let store = &sim.replicas[0];
    for id in sim.tasks.iter() {
        assert!(
            store.get::<Task>(id).expect("read").is_some(),
            "seed {seed}: task {id} lost"
        );
    }
    for id in sim.vendors.iter() {
        assert!(
            store.get::<Vendor>(id).expect("read").is_some(),
            "seed {seed}: vendor {id} lost"
        );
    }
    if !sim.counted {
        for (item, expected) in &sim.expected {
            let on_hand = store.item_stock(item).expect("stock").on_hand[&sim.site];
            assert_eq!(
                on_hand, *expected,
                "seed {seed}: counter of {item} is not the sum of its adjustments"
            );
        }
    } else {
        // Counts apply a difference against what one replica saw; the total
        // still equals opening stock plus every logged delta.
        for item in &sim.items {
            let on_hand = store.item_stock(item).expect("stock").on_hand[&sim.site];
            let logged: i64 = store
                .movements(item)
                .expect("log")
                .iter()
                .map(|m| m.delta)
                .sum();
            assert_eq!(
                on_hand, logged,
                "seed {seed}: counter of {item} differs from its movement log"
            );
        }
    }
    let names = sim.names.clone();
    for store in sim.replicas.drain(..) {
        sim.fx.close(store);
    }
    drop(names);
}

#[test]
fn replicas_converge_whatever_the_order_of_syncs() {
    if let Some(seed) = std::env::var("BUREAU_SIM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        eprintln!("replaying seed {seed}");
        run_case(seed);
        return;
    }
    let cases: u64 = std::env::var("BUREAU_SIM_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    for seed in 0..cases {
        let result = std::panic::catch_unwind(|| run_case(seed));
        if result.is_err() {
            panic!("convergence failed for seed {seed}: replay with BUREAU_SIM_SEED={seed}");
        }
    }
    eprintln!("{cases} seeds converged");
}
