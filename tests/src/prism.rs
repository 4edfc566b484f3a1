//! A Prism mock server for `tests/tests/prism.rs`: the spec itself, served on 127.0.0.1.
//!
//! Prism checks every request against `spec/truv-webhooks.yaml` and answers with responses
//! built from it, so a test that passes through Prism shows the generated client and the spec
//! agree with each other, not merely with a hand-written mock. Prism is a Node program pinned
//! in `tools/package.json`; `npm ci --prefix tools` installs it.

use std::fmt;
use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Where `npm ci --prefix tools` puts the Prism binary, relative to the workspace root.
pub const BINARY: &str = "tools/node_modules/.bin/prism";
/// How long Prism may take to start listening. It starts in about two seconds; the margin is
/// for a loaded two-core CI machine starting several at once (the tests run in parallel).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// How many lines of Prism's log a failure message shows.
const LOG_TAIL_LINES: usize = 30;

/// A running `prism mock` of the Truv spec. Dropping it kills Prism and waits for it to exit.
#[derive(Debug)]
pub struct Prism {
    child: Child,
    port: u16,
    /// Prism's stdout and stderr, both: its startup errors and, per request, the validation
    /// problems it found.
    log: PathBuf,
    /// Whether to leave the log behind when dropped: a failure message has pointed to it.
    keep_log: bool,
}

impl Prism {
    /// Starts `prism mock` on a free port of 127.0.0.1, serving `<root>/spec/truv-webhooks.yaml`,
    /// and waits until it accepts connections.
    pub fn start(root: &Path) -> Result<Prism, String> {
        let binary = root.join(BINARY);
        if !binary.is_file() {
            return Err(format!(
                "Prism is not installed ({} is missing): run `npm ci --prefix tools` in {}",
                binary.display(),
                root.display()
            ));
        }
        let spec = root.join(xtask::codegen::SPEC);
        let port = free_port()?;
        // A file rather than a pipe: nothing has to drain it while the tests run, and it can
        // still be read after Prism has exited.
        let log = std::env::temp_dir().join(format!(
            "truv-client-prism-{}-{port}.log",
            std::process::id()
        ));
        let stdout = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let stderr = stdout
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(&binary)
            .args(["mock", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg(&spec)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot run {}: {e} (Prism needs Node.js on PATH)",
                    binary.display()
                )
            })?;
        // From here on, dropping `prism` kills the child, on every error path too.
        let mut prism = Prism {
            child,
            port,
            log,
            keep_log: false,
        };
        if let Err(e) = prism.wait_until_listening() {
            prism.keep_log = true;
            return Err(e);
        }
        Ok(prism)
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `error`, followed by the last lines of Prism's log: Prism's own account of what it
    /// received and why it answered as it did.
    #[must_use]
    pub fn explain(&self, error: impl fmt::Display) -> String {
        format!(
            "{error}\n--- last lines of Prism's log ({}) ---\n{}",
            self.log.display(),
            self.log_tail()
        )
    }

    /// The last lines Prism wrote to stdout and stderr.
    #[must_use]
    pub fn log_tail(&self) -> String {
        match fs::read(&self.log) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let lines: Vec<&str> = text.lines().collect();
                lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
            }
            Err(e) => format!("(cannot read {}: {e})", self.log.display()),
        }
    }

    fn wait_until_listening(&mut self) -> Result<(), String> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let started = Instant::now();
        loop {
            // An early exit (a spec Prism rejects, the port taken meanwhile) would otherwise
            // only show up as a timeout, 30 s later and without a reason.
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    return Err(self.explain(format!("Prism exited during startup with {status}")));
                }
                Ok(None) => {}
                Err(e) => return Err(self.explain(format!("cannot check on Prism: {e}"))),
            }
            if TcpStream::connect_timeout(&address, POLL_INTERVAL).is_ok() {
                return Ok(());
            }
            if started.elapsed() >= STARTUP_TIMEOUT {
                return Err(self.explain(format!(
                    "Prism did not listen on {address} within {STARTUP_TIMEOUT:?}"
                )));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // SIGKILL: nothing of Prism's needs saving, and a killed child cannot linger as a
        // server holding the port. `wait` reaps it so no zombie outlives the test.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.keep_log || thread::panicking() {
            // Something failed: keep the log for whoever investigates.
            eprintln!("Prism's log is kept at {}", self.log.display());
        } else {
            let _ = fs::remove_file(&self.log);
        }
    }
}

/// A port of 127.0.0.1 that nothing listens on: the one the OS hands out for port 0, released
/// again so that Prism can bind it. (Another process could take it in between; Prism would
/// then exit at once, which `start` reports with Prism's log.)
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind a port of 127.0.0.1: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound port: {e}"))?
        .port();
    drop(listener);
    Ok(port)
}
