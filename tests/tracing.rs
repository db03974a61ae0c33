//! Tracing: each request is logged with its operation, method, path, status and latency, retries
//! with their wait, and the token never appears. Its own test binary, so that no other test's
//! callsites race the subscriber this one installs for the whole process.

mod fault_server;

use std::sync::{Arc, Mutex};

use fault_server::{add_request, client, list_request, start_server, TOKEN};

/// A `tracing` writer that keeps everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_names_each_request_and_its_outcome_but_never_the_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("the only subscriber of this binary");
    let (base, _) = start_server().await;
    for fault in ["too-many", "slow", "error-in-200", "html-502", "reset"] {
        let _ = client(&base, fault).add_clients(&add_request()).await;
    }
    let _ = client(&base, "html-502")
        .list_clients(&list_request())
        .await;
    let log = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("UTF-8");
    assert!(!log.contains(TOKEN), "the token is in the trace:\n{log}");
    assert!(log.contains("operation=\"addClients\""), "{log}");
    assert!(log.contains("method=PUT"), "{log}");
    assert!(log.contains("path=/CLIENTS"), "{log}");
    assert!(
        log.contains("status=429") && log.contains("retrying"),
        "{log}"
    );
    assert!(
        log.contains("status=200") && log.contains("latency_ms="),
        "{log}"
    );
    assert!(
        log.contains("wait_ms=1000"),
        "the Retry-After wait is logged: {log}"
    );
    assert!(
        log.contains("operation=\"listClients\"") && log.contains("retry=2"),
        "{log}"
    );
}
