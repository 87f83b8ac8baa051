//! `bureau init`, `bureau status`, `bureau export`, `bureau bench`.

use std::path::{Path, PathBuf};

use super::output::{note, say};
use anyhow::{Context, Result};
use clap::Args;

use crate::store::{Layout, Store};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Name of the workspace, e.g. "Acme Office".
    #[arg(long)]
    pub workspace: String,
    /// Your name; you become the workspace's first admin.
    #[arg(long)]
    pub name: String,
    /// Do not make a recovery kit now (make one later with
    /// `bureau recovery-kit`).
    #[arg(long)]
    pub no_recovery_kit: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("format").required(true).args(["json", "csv"])))]
pub struct ExportArgs {
    /// Every shared record as one JSON document.
    #[arg(long)]
    pub json: bool,
    /// The records of one kind as CSV with a header row (tasks, items,
    /// vendors, expenses…; `bureau import KIND FILE` reads it back).
    #[arg(long, value_name = "KIND")]
    pub csv: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure: "all" (every benchmark and one summary table),
    /// "store" (build the L office and measure it), "sync" (two nodes on
    /// loopback), "peers" (2 to 20 `serve` processes: a partition and its
    /// heal), "years" (five years of a 30-person office: open and join),
    /// "ui" (the app's frames on --dir), "report" (budget,
    /// reports and exports on --dir) or "open" (cold-open an existing data
    /// directory given with --dir).
    #[arg(default_value = "store")]
    pub target: String,
    /// Print bare numbers (used by `bench store` for its child process).
    #[arg(long, hide = true)]
    pub machine_readable: bool,
    /// Size of the generated office relative to the "L office" (1.0).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// For `bench sync`: how many edits to time from one peer to the other.
    #[arg(long, default_value_t = 1000)]
    pub edits: usize,
    /// For `bench sync`: "office" (the L office) or "anchor" (exactly 10,000
    /// tasks and 2,000 counters in one document, to compare sync engines).
    #[arg(long, default_value = "office")]
    pub shape: String,
    /// For `bench peers`: the sizes of mesh to run, e.g. 2,5,10,20.
    #[arg(long = "peers", default_value = "2,5,10,20")]
    pub mesh_sizes: String,
    /// For `bench peers`: edits each peer makes during the partition.
    #[arg(long, default_value_t = 5)]
    pub peer_edits: usize,
    /// Put every area in one document instead of one document per area.
    #[arg(long)]
    pub single_doc: bool,
    /// Where to build the fixture (default: a fresh temporary directory).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

pub fn init(runtime: &tokio::runtime::Runtime, data_dir: &Path, args: InitArgs) -> Result<()> {
    let store = runtime.block_on(crate::sync::node::create_workspace(
        data_dir,
        &args.workspace,
        &args.name,
    ))?;
    let ws = store.workspace()?;
    let phrase = if args.no_recovery_kit {
        Ok(None)
    } else {
        let key = crate::sync::identity::load_or_create(data_dir)?;
        crate::sync::node::offline_access(&store)
            .and_then(|access| crate::sync::recovery::create_kit(&store, &key, &access))
            .map(Some)
    };
    runtime.block_on(store.close());
    say!(
        "created workspace {:?} in {} (you are {}, admin)",
        ws.name,
        data_dir.display(),
        args.name.trim()
    );
    if let Some(phrase) = phrase? {
        super::membership::print_phrase(&phrase);
    }
    Ok(())
}

pub fn export(store: &Store, args: ExportArgs) -> Result<()> {
    let text = match &args.csv {
        Some(kind) => String::from_utf8(crate::report::records_csv::export_kind(store, kind)?)?,
        None => {
            let mut text = serde_json::to_string_pretty(&store.export_json()?)?;
            text.push('\n');
            text
        }
    };
    match args.out {
        Some(path) => {
            crate::store::datadir::write_atomic(&path, text.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            note!("exported to {}", path.display());
        }
        None => super::output::write_out(&text),
    }
    Ok(())
}

/// `bureau trash`: what was deleted, by whom and when.
pub fn trash(store: &Store, json: bool) -> Result<()> {
    let entries = crate::views::trash::trash(store)?;
    if json {
        return super::output::print_json(&entries);
    }
    if entries.is_empty() {
        super::output::note!("the trash is empty");
        return Ok(());
    }
    let mut out = super::output::table(&["KIND", "ID", "NAME", "DELETED", "BY"]);
    for e in &entries {
        out.add_row(vec![
            e.label.to_string(),
            e.id.clone(),
            e.name.clone(),
            e.deleted_at.to_string(),
            e.deleted_by.clone(),
        ]);
    }
    say!("{out}");
    super::output::note!("restore with `bureau <kind> restore ID`");
    Ok(())
}

/// `bureau status --json`: what scripts and `bench peers` compare between
/// devices (two devices hold the same data when their heads match).
#[derive(serde::Serialize)]
struct StatusJson {
    workspace: String,
    workspace_id: String,
    member: String,
    role: String,
    removed: Option<String>,
    data_dir: String,
    storage_bytes: u64,
    /// Document id -> its heads (sorted hex change hashes).
    documents: std::collections::BTreeMap<String, Vec<String>>,
    damaged: Vec<String>,
    records: std::collections::BTreeMap<&'static str, usize>,
    /// Bytes this device's running node sent and received, when one runs.
    traffic: Option<TrafficJson>,
}

#[derive(serde::Serialize)]
struct TrafficJson {
    sent: u64,
    received: u64,
}

pub fn status(
    store: &Store,
    json: bool,
    traffic: Option<&crate::sync::framing::Traffic>,
) -> Result<()> {
    let ws = store.workspace()?;
    let me = store.me()?;
    let mut removed = None;
    if store.device().founder.is_some() {
        let access = crate::sync::node::offline_access(store)?;
        let device = crate::sync::identity::load_or_create(store.data_dir())?
            .public()
            .to_string();
        if access.role_of(&device).is_none()
            && let Some(removal) = access.current().removals.get(&device)
        {
            removed = Some(removal.notice(&ws.name));
        }
    }
    // Every area, so damage anywhere is said.
    let documents = store.documents()?;
    if json {
        let heads = documents
            .iter()
            .map(|d| {
                let mut heads: Vec<String> =
                    d.with_document(|doc| doc.get_heads().iter().map(|h| h.to_string()).collect());
                heads.sort();
                (d.document_id().to_string(), heads)
            })
            .collect();
        return super::output::print_json(&StatusJson {
            workspace: ws.name,
            workspace_id: ws.id,
            member: me.name,
            role: me.role.to_string(),
            removed,
            data_dir: store.data_dir().display().to_string(),
            storage_bytes: store.storage().size_on_disk(),
            documents: heads,
            damaged: store.damage().iter().map(|d| d.describe()).collect(),
            records: store.counts()?,
            traffic: traffic.map(|t| TrafficJson {
                sent: t.sent(),
                received: t.received(),
            }),
        });
    }
    say!("workspace:  {} ({})", ws.name, ws.id);
    say!("member:     {} ({})", me.name, me.role);
    if let Some(removed) = removed {
        say!("removed:    {removed}");
    }
    say!("data dir:   {}", store.data_dir().display());
    say!(
        "storage:    {} in {} documents",
        crate::model::human_bytes(store.storage().size_on_disk()),
        documents.len()
    );
    let quarantined = store.quarantined();
    if !quarantined.is_empty() {
        say!(
            "quarantined: {} damaged file(s) this run",
            quarantined.len()
        );
    }
    for damage in store.damage() {
        say!("damaged:    {}", damage.describe());
    }
    say!("records:");
    for (kind, n) in store.counts()? {
        if n > 0 {
            say!("  {kind:<22}{n}");
        }
    }
    Ok(())
}

pub fn bench(
    runtime: &tokio::runtime::Runtime,
    args: BenchArgs,
    fanout: crate::sync::overlay::Fanout,
) -> Result<()> {
    if args.target == "all" {
        anyhow::ensure!(
            args.scale > 0.0 && args.scale <= 10.0,
            "--scale must be between 0 and 10"
        );
        let edits = args.edits.clamp(10, 10_000);
        let report =
            crate::bench::all::run(runtime, args.scale, edits, args.dir.as_deref(), |dir| {
                ui_figures(dir, edits)
            })?;
        super::output::write_out(&report);
        return Ok(());
    }
    if args.target == "open" {
        let dir = args
            .dir
            .as_deref()
            .context("`bureau bench open` needs --dir DIR (a data directory)")?;
        let cold = crate::bench::run_open_bench(runtime, dir)?;
        if args.machine_readable {
            say!("{}", cold.machine_readable());
        } else {
            super::output::write_out(&format!("| figure | value |\n|---|---|\n{cold}"));
        }
        return Ok(());
    }
    #[cfg(feature = "gui")]
    if args.target == "ui" {
        let dir = args.dir.as_deref().context(
            "`bureau bench ui` needs --dir DIR (e.g. a data directory made by `bench store --dir`)",
        )?;
        let report = crate::bench::ui::run(dir, args.edits.clamp(10, 10_000));
        say!("{report}");
        return Ok(());
    }
    if args.target == "report" {
        let dir = args.dir.as_deref().context(
            "`bureau bench report` needs --dir DIR (e.g. a data directory made by `bench store --dir`)",
        )?;
        say!("{}", crate::bench::report::run(runtime, dir)?);
        return Ok(());
    }
    if args.target == "peers" {
        let sizes: Vec<usize> = args
            .mesh_sizes
            .split(',')
            .map(|n| {
                n.trim()
                    .parse()
                    .context("--peers takes sizes like 2,5,10,20")
            })
            .collect::<Result<_>>()?;
        anyhow::ensure!(
            sizes.iter().all(|n| (2..=64).contains(n)),
            "--peers sizes must be between 2 and 64"
        );
        let report = crate::bench::peers::run(
            &sizes,
            args.peer_edits.clamp(1, 100),
            args.dir.as_deref(),
            fanout,
        )?;
        say!("{report}");
        return Ok(());
    }
    if args.target == "years" {
        anyhow::ensure!(
            args.scale > 0.0 && args.scale <= 2.0,
            "--scale for `bench years` is between 0 and 2 (1 = 50,000 tasks)"
        );
        say!(
            "{}",
            crate::bench::years::run(runtime, args.scale, args.dir.as_deref())?
        );
        return Ok(());
    }
    if args.target == "sync" && args.shape == "anchor" {
        let report =
            crate::bench::anchor::run(runtime, args.edits.clamp(10, 10_000), args.dir.as_deref())?;
        say!("{report}");
        return Ok(());
    }
    anyhow::ensure!(
        args.shape == "office",
        "unknown --shape {:?}: use office (the L office) or anchor (the like-for-like shape, with `bench sync`)",
        args.shape
    );
    if args.target == "sync" {
        let report = crate::bench::sync::run(runtime, args.scale, args.edits, args.dir.as_deref())?;
        say!("{report}");
        return Ok(());
    }
    anyhow::ensure!(
        args.target == "store",
        "unknown benchmark {:?}: use `bureau bench all`, `store`, `sync`, `peers`, `years`, `ui --dir DIR`, `report --dir DIR` or `open --dir DIR`",
        args.target
    );
    anyhow::ensure!(
        args.scale > 0.0 && args.scale <= 10.0,
        "--scale must be between 0 and 10"
    );
    let layout = if args.single_doc {
        Layout::Single
    } else {
        Layout::PerArea
    };
    let report = crate::bench::run_store_bench(runtime, args.scale, layout, args.dir.as_deref())?;
    say!("{report}");
    Ok(())
}

#[cfg(feature = "gui")]
fn ui_figures(dir: &Path, frames: usize) -> Option<(crate::bench::all::UiFigures, String)> {
    let report = crate::bench::ui::run(dir, frames);
    let figures = crate::bench::all::UiFigures {
        first_frame: report.first_frame,
        edit_p50_p95: report.edit,
        remote_p50_p95: report.remote,
        tasks_p50_p95: report.tasks,
        dashboard_p50_p95: report.dashboard,
    };
    Some((figures, report.to_string()))
}

#[cfg(not(feature = "gui"))]
fn ui_figures(_dir: &Path, _frames: usize) -> Option<(crate::bench::all::UiFigures, String)> {
    None
}

/// `bureau demo`: a workspace with realistic sample data.
pub fn demo(runtime: &tokio::runtime::Runtime, data_dir: &Path, scale: f64) -> Result<()> {
    anyhow::ensure!(
        scale > 0.0 && scale <= 1.0,
        "--scale must be between 0 and 1"
    );
    let store = runtime.block_on(crate::sync::node::create_workspace(
        data_dir,
        "Acme Office",
        "Ana Ruiz",
    ))?;
    // The office's people are members (their laptops have not synced with
    // this one yet); Ben is a second admin, as a team should have.
    let key = crate::sync::identity::load_or_create(data_dir)?;
    let access = crate::sync::node::offline_access(&store)?;
    for name in crate::bench::fixture::PEOPLE
        .iter()
        .filter(|p| **p != "Ana Ruiz")
    {
        let role = if *name == "Ben Ode" {
            crate::model::Role::Admin
        } else {
            crate::model::Role::Member
        };
        crate::sync::node::change_membership(
            &store,
            &key,
            &access,
            crate::sync::membership::Action::Add {
                member_id: crate::model::new_id(),
                name: name.to_string(),
                role,
                device: iroh::SecretKey::generate().public().to_string(),
            },
        )?;
        access.refresh(&store)?;
    }
    let today = crate::model::Date(chrono::Local::now().date_naive());
    let size = crate::bench::fixture::OfficeSize::LARGE.scaled(scale);
    crate::bench::fixture::build_office(&store, size, 2026, today, |done, total| {
        super::output::write_err(&format!("\rfilling the demo office: {done}/{total}   "));
    })?;
    runtime.block_on(store.close());
    say!(
        "created a demo office in {}; open it with `bureau --data-dir {}`",
        data_dir.display(),
        data_dir.display()
    );
    Ok(())
}
