//! The data directory: where it is, who holds it, and this device's own
//! (never synced) settings.
//!
//! ```text
//! <data dir>/
//!   bureau.lock      held (flock) by the one process using the directory
//!   device.json      this device: workspace root document, member id
//!   store/           Automerge chunks (see `storage`)
//!   quarantine/      corrupt chunks moved aside on load
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::storage::sync_dir;

/// The default data directory (XDG data dir on Linux), unless overridden by
/// `--data-dir` or `BUREAU_DATA_DIR` (the CLI handles both).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Bureau", "bureau").map(|d| d.data_dir().to_path_buf())
}

/// This device's settings, kept only on this machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceConfig {
    /// samod document id of the workspace root document.
    pub root_doc: String,
    /// The member this device acts as.
    pub member_id: String,
    /// The founder's device key (endpoint id): the trust anchor for the
    /// signed membership log. Recorded at `init` or from the invite ticket.
    #[serde(default)]
    pub founder: Option<String>,
}

impl DeviceConfig {
    pub fn path(dir: &Path) -> PathBuf {
        dir.join("device.json")
    }

    pub fn load(dir: &Path) -> Result<Option<Self>, StoreError> {
        let path = Self::path(dir);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                StoreError::Corrupt(format!(
                    "{} is not valid ({e}); restore it from a backup or re-join the workspace",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Writes the file atomically (temp, fsync, rename, fsync dir).
    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        let path = Self::path(dir);
        let json =
            serde_json::to_vec_pretty(self).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        write_atomic(&path, &json)
            .map_err(|e| StoreError::io(format!("writing {}", path.display()), e))
    }
}

/// Replaces the file at `path` with `bytes` crash-safely: a temp file
/// beside it, fsync, rename, fsync of the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.tmp"));
    let mut f = File::create(&temp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&temp, path)?;
    sync_dir(dir)
}

/// Exclusive use of a data directory for the life of this value.
///
/// A second Bureau process on the same directory is refused with a message
/// naming the holder (pid and command), so two writers can never interleave.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    pub fn acquire(dir: &Path, purpose: &str) -> Result<Self, StoreError> {
        let path = dir.join("bureau.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(format!("opening {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(StoreError::Locked {
                    dir: dir.to_path_buf(),
                    holder: if holder.is_empty() {
                        "another Bureau process".into()
                    } else {
                        holder.to_string()
                    },
                });
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(StoreError::io(format!("locking {}", path.display()), e));
            }
        }
        let info = format!(
            "bureau (pid {}, `{purpose}`, since {})",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
        );
        let written = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(info.as_bytes()))
            .and_then(|()| file.flush());
        if let Err(e) = written {
            tracing::warn!(error = %e, "could not record lock holder");
        }
        Ok(DataDirLock { _file: file })
    }
}

/// Creates the data directory, reporting an unwritable one clearly.
pub fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(|e| {
        StoreError::io(
            format!(
                "cannot create data directory {} (choose another with --data-dir)",
                dir.display()
            ),
            e,
        )
    })
}

/// This device's public key (its endpoint id) from `device.key`, if the
/// data directory has one.
pub fn device_public_key(data_dir: &Path) -> Option<[u8; 32]> {
    let text = std::fs::read_to_string(data_dir.join("device.key")).ok()?;
    let key: iroh::SecretKey = text.trim().parse().ok()?;
    Some(*key.public().as_bytes())
}
