//! Realistic generated offices for benchmarks, demos and tests: tasks,
//! supplies across sites, vendors, purchase orders, invoices, meetings, docs.
//! Seeded, so the same seed builds the same records (ids aside).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::model::*;
use crate::store::{Result, Store};

/// How many records of each kind to build.
#[derive(Debug, Clone, Copy)]
pub struct OfficeSize {
    pub tasks: usize,
    pub items: usize,
    pub sites: usize,
    pub vendors: usize,
    pub purchase_orders: usize,
    pub invoices: usize,
    /// Card and petty-cash expenses over the last year.
    pub expenses: usize,
    pub meetings: usize,
    pub docs: usize,
    pub words_per_doc: usize,
}

impl OfficeSize {
    /// The "L office": 10k tasks, 2k items x 3 sites, 300 vendors, 3k POs and
    /// 3k invoices, 2k expenses, 500 meetings, 100 docs of ~2k words.
    pub const LARGE: OfficeSize = OfficeSize {
        tasks: 10_000,
        items: 2_000,
        sites: 3,
        vendors: 300,
        purchase_orders: 3_000,
        invoices: 3_000,
        expenses: 2_000,
        meetings: 500,
        docs: 100,
        words_per_doc: 2_000,
    };

    pub fn scaled(self, factor: f64) -> OfficeSize {
        let s = |n: usize| ((n as f64 * factor).round() as usize).max(1);
        OfficeSize {
            tasks: s(self.tasks),
            items: s(self.items),
            sites: self.sites,
            // Enough vendors to look like an office even when small.
            vendors: s(self.vendors).max(self.vendors.min(8)),
            purchase_orders: s(self.purchase_orders),
            invoices: s(self.invoices),
            expenses: s(self.expenses).max(self.expenses.min(40)),
            meetings: s(self.meetings),
            docs: s(self.docs),
            words_per_doc: self.words_per_doc,
        }
    }
}

const WORDS: &[&str] = &[
    "order",
    "toner",
    "badge",
    "access",
    "desk",
    "chair",
    "lease",
    "printer",
    "invoice",
    "vendor",
    "kitchen",
    "coffee",
    "laptop",
    "renewal",
    "contract",
    "budget",
    "meeting",
    "agenda",
    "review",
    "policy",
    "onboarding",
    "cleaning",
    "repair",
    "supplies",
    "paper",
    "courier",
    "parking",
    "security",
    "network",
    "backup",
    "insurance",
    "audit",
    "schedule",
    "visitor",
    "reception",
];
/// The people of the generated office (task owners; members in `bureau demo`).
pub const PEOPLE: &[&str] = &[
    "Ana Ruiz",
    "Ben Ode",
    "Chloé Martin",
    "Dev Patel",
    "Eva Novak",
    "Femi Adeyemi",
    "Grace Liu",
    "Hugo Berg",
];
const SITES: &[&str] = &["HQ", "Lisbon", "Berlin", "Warehouse", "Remote hub"];

/// What coordinators actually write on their lists (the demo office and
/// the L office use these; beyond the list, numbered variants).
pub(super) const TASKS: &[&str] = &[
    "Order toner for the 2nd floor printer",
    "Renew the cleaning contract",
    "Book the boardroom for the all-hands",
    "Set up a laptop for the new designer",
    "Get badge access for the contractors",
    "Chase the landlord about the broken AC",
    "Collect quotes for new office chairs",
    "Plan the team offsite in March",
    "Restock the kitchen: coffee, milk, tea",
    "Reconcile the stationery invoice",
    "Update the fire-safety SOP",
    "Schedule the quarterly fire drill",
    "Renew the parking permits",
    "Arrange the courier for the Berlin shipment",
    "Replace the meeting room projector bulb",
    "Send the weekly report to leadership",
    "Organise the welcome lunch for new hires",
    "Check the first-aid kits",
    "Cancel the unused software licences",
    "Book the plumber for the 3rd floor kitchen",
    "Review the visitor sign-in policy",
    "Order business cards for the sales team",
    "Test the office network backup",
    "Renew the building insurance",
    "Prepare the budget review for finance",
    "Sort out the post-room shelving",
    "Buy a birthday card for Grace",
    "Set up the new printer in Lisbon",
    "Archive last year's contracts",
    "Get the window cleaners in",
];

const ITEMS: &[(&str, &str)] = &[
    ("Printer paper A4", "ream"),
    ("Toner HP 305A black", "each"),
    ("Coffee beans 1 kg", "bag"),
    ("Milk (oat, 1 l)", "carton"),
    ("AA batteries", "pack"),
    ("Sticky notes", "pack"),
    ("Ballpoint pens, blue", "box"),
    ("Whiteboard markers", "pack"),
    ("Paper towels", "roll"),
    ("Hand soap refill", "bottle"),
    ("Dishwasher tablets", "box"),
    ("Envelopes C4", "box"),
    ("Staples 24/6", "box"),
    ("Visitor badges", "pack"),
    ("USB-C chargers", "each"),
    ("HDMI cables", "each"),
    ("Bin bags", "roll"),
    ("Tea bags", "box"),
    ("Sugar sachets", "box"),
    ("First-aid refills", "kit"),
];

const NOTES: &[&str] = &[
    "Get three quotes before ordering; finance wants them attached to the PO.",
    "Last time this took two weeks, so start early. Ask reception for the key.",
    "Vendor contact is in the shared vendors list. Confirm the delivery slot by email.",
    "Check with the site lead in Lisbon first; they may already have spares.",
    "Budget line: office supplies. Anything over 500 EUR needs Ana's approval.",
];

const PROJECTS: &[&str] = &[
    "Office move",
    "Q1 onboarding",
    "Kitchen refit",
    "Security review",
    "Supplier consolidation",
    "Lisbon office opening",
    "Hybrid-work setup",
    "Fire-safety compliance",
];

pub(super) fn words(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// An SOP's text of about `n` words, in Markdown as people write them: a
/// heading, a purpose, numbered steps and notes.
fn markdown(rng: &mut StdRng, title: &str, n: usize) -> String {
    let mut out = format!(
        "# {title}\n\n## Purpose\n\n{}.\n\n## Steps\n\n",
        words(rng, 40)
    );
    let mut written = 40;
    let mut step = 1;
    while written < n.saturating_sub(60) {
        let len = rng.random_range(8..24);
        out.push_str(&format!("{step}. {}.\n", words(rng, len)));
        written += len;
        step += 1;
        if step % 12 == 0 {
            out.push_str(&format!("\n## Part {}\n\n", step / 12 + 1));
        }
    }
    out.push_str(&format!("\n> **Note:** {}.\n", words(rng, 20)));
    out
}

fn title(rng: &mut StdRng) -> String {
    let n = rng.random_range(2..6);
    let mut t = words(rng, n);
    if let Some(first) = t.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    t
}

fn person(rng: &mut StdRng) -> String {
    PEOPLE[rng.random_range(0..PEOPLE.len())].to_string()
}

fn date_near(rng: &mut StdRng, today: Date, spread: i64) -> Date {
    today.add_days(rng.random_range(-spread..=spread))
}

/// Fills `store` with a generated office of `size`, reporting progress to
/// `progress` (records done, total).
pub fn build_office(
    store: &Store,
    size: OfficeSize,
    seed: u64,
    today: Date,
    mut progress: impl FnMut(usize, usize),
) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let total = size.tasks
        + size.items
        + size.vendors
        + size.purchase_orders
        + size.invoices
        + size.expenses
        + size.meetings
        + size.docs;
    let mut done = 0;
    let mut tick = |n: usize| {
        done += n;
        if done % 500 == 0 || done == total {
            progress(done, total);
        }
    };

    let sites: Vec<String> = SITES
        .iter()
        .take(size.sites.min(SITES.len()))
        .map(|s| store.ensure_site(s))
        .collect::<Result<_>>()?;
    let projects: Vec<String> = (0..20)
        .map(|i| {
            let name = match PROJECTS.get(i) {
                Some(name) => name.to_string(),
                None => format!("{} {}", title(&mut rng), i + 1),
            };
            store.create(Project {
                id: new_id(),
                name,
                ..Default::default()
            })
        })
        .collect::<Result<_>>()?;

    for i in 0..size.tasks {
        // Like a real office: most work done, a little blocked.
        let status = match rng.random_range(0..100) {
            0..45 => TaskStatus::Done,
            45..72 => TaskStatus::Todo,
            72..92 => TaskStatus::InProgress,
            _ => TaskStatus::Blocked,
        };
        let due = if status == TaskStatus::Done {
            rng.random_bool(0.8)
                .then(|| today.add_days(-rng.random_range(1..60)))
        } else if rng.random_bool(0.15) {
            Some(today.add_days(-rng.random_range(1..15)))
        } else {
            rng.random_bool(0.8)
                .then(|| today.add_days(rng.random_range(0..45)))
        };
        let title = match TASKS.get(i) {
            Some(t) => t.to_string(),
            None => format!("{} ({})", TASKS[i % TASKS.len()], i / TASKS.len() + 1),
        };
        let mut task = Task {
            id: new_id(),
            title,
            description: if rng.random_bool(0.3) {
                NOTES[rng.random_range(0..NOTES.len())].to_string()
            } else {
                String::new()
            },
            project: rng
                .random_bool(0.6)
                .then(|| projects[rng.random_range(0..projects.len())].clone()),
            owner: Some(person(&mut rng)),
            priority: Priority::ALL[rng.random_range(0..Priority::ALL.len())],
            due,
            tags: if rng.random_bool(0.3) {
                vec![WORDS[rng.random_range(0..WORDS.len())].into()]
            } else {
                vec![]
            },
            ..Default::default()
        };
        // Blocked (or finished) some days ago, not all this very second.
        let days_ago = rng.random_range(1..12);
        task.set_status(
            status,
            Some(format!("waiting on {}", person(&mut rng))),
            Stamp::from_millis(Stamp::now().millis() - days_ago * 86_400_000),
        );
        store.create(task)?;
        tick(1);
    }

    let vendors = super::fixture_purchasing::vendors(store, &mut rng, size.vendors, today)?;
    tick(size.vendors);
    let suppliers = super::fixture_purchasing::suppliers(&vendors);
    let mut stocked = Vec::with_capacity(size.items);
    for i in 0..size.items {
        let (name, unit) = ITEMS[i % ITEMS.len()];
        let name = match i / ITEMS.len() {
            0 => name.to_string(),
            n => format!("{name} #{}", n + 1),
        };
        let item = InventoryItem {
            id: new_id(),
            name,
            sku: Some(format!("SKU-{:05}", i + 1)),
            unit: unit.into(),
            reorder_at: rng.random_range(2..20),
            preferred_vendor: rng
                .random_bool(0.8)
                .then(|| suppliers[rng.random_range(0..suppliers.len())].clone()),
            ..Default::default()
        };
        // Mostly stocked above the reorder level; a few running low.
        let reorder = item.reorder_at;
        let stock = |rng: &mut StdRng| {
            if rng.random_bool(0.1) {
                rng.random_range(0..reorder)
            } else {
                rng.random_range(reorder..=reorder * 4)
            }
        };
        let opening = stock(&mut rng);
        stocked.push(super::fixture_purchasing::Stocked {
            id: item.id.clone(),
            name: item.name.clone(),
            vendor: item.preferred_vendor.clone(),
        });
        let id = store.create_item(item, Some((&sites[0], opening)))?;
        for site in &sites[1..] {
            let n = stock(&mut rng);
            if n > 0 {
                store.adjust_stock(&id, site, n, Some("opening stock"))?;
            }
        }
        tick(1);
    }

    super::fixture_purchasing::orders_and_invoices(
        store,
        &mut rng,
        (size.purchase_orders, size.invoices),
        super::fixture_purchasing::Office {
            today,
            sites: &sites,
            vendors: &vendors,
            items: &stocked,
        },
        &mut tick,
    )?;

    super::fixture_budget::budget(store, &mut rng, size.expenses, &sites, today)?;
    tick(size.expenses);

    super::fixture_meetings::meetings(store, &mut rng, size.meetings, &sites, today, &mut tick)?;
    super::fixture_meetings::plans(store, today, &sites[0])?;
    super::fixture_meetings::maintenance(store, &mut rng, &sites, Stamp::now())?;
    super::fixture_meetings::equipment(store, &sites, today)?;
    super::fixture_meetings::people(store, &sites)?;

    for _ in 0..size.docs {
        let doc_title = format!("{} procedure", title(&mut rng));
        let body_doc = store.create_body(&markdown(&mut rng, &doc_title, size.words_per_doc))?;
        store.create(Doc {
            id: new_id(),
            title: doc_title,
            category: DocKind::ALL[rng.random_range(0..DocKind::ALL.len())],
            body_doc,
            owner: Some(person(&mut rng)),
            review_months: Some(12),
            review_date: Some(date_near(&mut rng, today, 200)),
            ..Default::default()
        })?;
        tick(1);
    }
    Ok(())
}
