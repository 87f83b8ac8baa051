//! While a node runs on a data directory (`bureau serve`), other `bureau`
//! commands on that directory hand their work to it over a local socket
//! (`<data dir>/run/control.sock`, in a directory only the owner can enter):
//! the node runs the command against its open store and sends back the
//! output and exit code.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use serde::{Deserialize, Serialize};

use super::output::{capture, note};
use super::{Cli, Command};
use crate::sync::Node;

#[derive(Debug, Serialize, Deserialize)]
struct Reply {
    stdout: String,
    stderr: String,
    code: u8,
}

fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join("run").join("control.sock")
}

/// Forwards `args` to a node running on `data_dir`, if there is one.
/// `None` means no node answered (run the command here).
pub fn forward(data_dir: &Path, args: &[String]) -> Option<ExitCode> {
    #[cfg(unix)]
    {
        let mut stream = std::os::unix::net::UnixStream::connect(socket_path(data_dir)).ok()?;
        let request = serde_json::to_vec(args).ok()?;
        stream.write_all(&request).ok()?;
        stream.shutdown(std::net::Shutdown::Write).ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).ok()?;
        let reply: Reply = serde_json::from_slice(&answer).ok()?;
        super::output::write_out(&reply.stdout);
        super::output::write_err(&reply.stderr);
        Some(ExitCode::from(reply.code))
    }
    #[cfg(not(unix))]
    {
        let _ = (data_dir, args);
        None
    }
}

/// Runs one forwarded command line against the running node.
fn run_in_node(node: &Arc<Node>, runtime: &tokio::runtime::Handle, args: Vec<String>) -> Reply {
    let parsed = Cli::try_parse_from(std::iter::once("bureau".to_string()).chain(args));
    let (code, stdout, stderr) = capture(|| match parsed {
        Err(e) => {
            note!(
                "{}",
                e.render()
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or("error: invalid arguments")
            );
            2
        }
        Ok(cli) => {
            let result = match cli.command {
                None => Ok(()),
                Some(
                    Command::Init(_)
                    | Command::Join(_)
                    | Command::Serve
                    | Command::Bench(_)
                    | Command::Demo { .. },
                ) => Err(anyhow::anyhow!(
                    "a Bureau node is running on this data directory; stop it first"
                )),
                Some(command) => super::dispatch(node.store(), command, Some((node, runtime))),
            };
            match result {
                Ok(()) => 0,
                Err(e) => {
                    note!("error: {e:#}");
                    1
                }
            }
        }
    });
    Reply {
        stdout,
        stderr,
        code,
    }
}

/// Accepts forwarded commands until the node stops.
#[cfg(unix)]
pub async fn serve(node: Arc<Node>, data_dir: PathBuf) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = data_dir.join("run");
    std::fs::create_dir_all(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    let path = socket_path(&data_dir);
    // We hold the data directory's lock: any socket left here is stale.
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    loop {
        let (mut stream, _) = listener.accept().await?;
        let node = node.clone();
        tokio::spawn(async move {
            let mut request = Vec::new();
            if (&mut stream)
                .take(1 << 20)
                .read_to_end(&mut request)
                .await
                .is_err()
            {
                return;
            }
            let Ok(args) = serde_json::from_slice::<Vec<String>>(&request) else {
                return;
            };
            let runtime = tokio::runtime::Handle::current();
            let reply = tokio::task::spawn_blocking(move || run_in_node(&node, &runtime, args))
                .await
                .unwrap_or(Reply {
                    stdout: String::new(),
                    stderr: "error: the command failed inside the node\n".into(),
                    code: 1,
                });
            let bytes = serde_json::to_vec(&reply).unwrap_or_default();
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        });
    }
}

/// Removes the socket when the node stops.
pub fn remove_socket(data_dir: &Path) {
    let _ = std::fs::remove_file(socket_path(data_dir));
}
