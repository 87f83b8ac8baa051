//! This device's identity: a persistent iroh secret key in the data
//! directory (`device.key`, mode 0600). Its public half, the endpoint id, is
//! how peers know this device; membership entries name devices by it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use iroh::{PublicKey, SecretKey};

use crate::store::StoreError;
use crate::store::storage::sync_dir;

pub fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("device.key")
}

/// Loads the device key, creating it (0600) on first use.
pub fn load_or_create(data_dir: &Path) -> Result<SecretKey, StoreError> {
    let path = key_path(data_dir);
    match fs::read_to_string(&path) {
        Ok(text) => text.trim().parse::<SecretKey>().map_err(|_| {
            StoreError::Corrupt(format!(
                "{} is not a valid device key; restore it from a backup (without it this device cannot prove who it is)",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            write_private(&path, &data_encoding::HEXLOWER.encode(&key.to_bytes()))?;
            Ok(key)
        }
        Err(e) => Err(StoreError::io(format!("reading {}", path.display()), e)),
    }
}

/// Writes a file only its owner can read, atomically.
pub fn write_private(path: &Path, text: &str) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    (|| -> std::io::Result<()> {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        sync_dir(dir)
    })()
    .map_err(|e| StoreError::io(format!("writing {}", path.display()), e))
}

/// An endpoint id in its text form.
pub fn id_text(key: &PublicKey) -> String {
    key.to_string()
}
