//! Prism (`node_modules/.bin/prism`, pinned in `package-lock.json`) as a child process: started on
//! a free port of 127.0.0.1, polled until it listens, killed when the last test using it is done.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use lotinfo_tests::repo_root;

/// How long Prism may take to load the spec and listen (it takes about 2 s on an idle machine).
const STARTUP: Duration = Duration::from_secs(90);

/// A running `prism mock spec/lotinfo.yaml`; dropping it kills the process.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    /// The Prism every test of this binary shares: started by the first test that asks, killed
    /// when the last one holding it finishes.
    pub fn shared() -> Arc<Prism> {
        static SHARED: Mutex<Weak<Prism>> = Mutex::new(Weak::new());
        let mut shared = SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(prism) = shared.upgrade() {
            return prism;
        }
        let prism = Arc::new(Prism::start());
        *shared = Arc::downgrade(&prism);
        prism
    }

    /// Starts Prism in mock mode on a free port and waits until it accepts connections.
    ///
    /// Mock mode validates every request against the spec and answers a request that breaks it
    /// with 422 and the list of violations (401 when the token is missing). `--errors` adds the
    /// converse check: a mocked response (an example of the spec) that breaks the response schema
    /// becomes an error too, so the spec's own response examples are checked on every call.
    pub fn start() -> Prism {
        let root = repo_root();
        let bin = root.join("node_modules/.bin/prism");
        assert!(
            bin.exists(),
            "Prism is not installed ({} is missing): run `npm ci` in the repository root \
             (it needs Node.js and npm; scripts/test-all.sh does it before the tests)",
            bin.display()
        );
        let port = free_port();
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{port}.log"));
        let output = File::create(&log).expect("the Prism log file can be created");
        let child = Command::new(&bin)
            .args(["mock", "spec/lotinfo.yaml", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .args(["--errors", "--verboseLevel", "warn"])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(
                output
                    .try_clone()
                    .expect("the log file handle can be cloned"),
            )
            .stderr(output)
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot run {}: {error}; Prism needs Node.js on the PATH (then run `npm ci`)",
                    bin.display()
                )
            });
        // From here on the guard owns the process: a failed wait below kills it.
        let mut prism = Prism { child, port, log };
        prism.wait_until_listening();
        prism
    }

    /// Polls the port until Prism accepts a connection; fails early if Prism exits.
    fn wait_until_listening(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("Prism's status can be read") {
                panic!(
                    "Prism exited before listening ({status}); its output:\n{}",
                    self.output()
                );
            }
            let address = ([127, 0, 0, 1], self.port).into();
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return;
            }
            assert!(
                started.elapsed() < STARTUP,
                "Prism did not listen on port {} within {STARTUP:?}; its output:\n{}",
                self.port,
                self.output()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:PORT`: where the spec's paths are served.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What Prism has printed so far (warnings, violations and errors).
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // The process may have exited already; either way it is reaped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now (the OS picks it; it is free again once the probe closes).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}
