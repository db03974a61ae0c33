//! The `lotinfo-fake-server` program: it prints its URL, and the generated client works against
//! it with the token it was given.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use lotinfo_client::models::{AddClientsRequest, ClientRecord, ListClientsRequest};
use lotinfo_client::{Client, Error};

/// Kills the program when the test ends, passing or failing.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_program_prints_its_url_and_serves_the_operations() {
    let seed = std::env::temp_dir().join(format!("lotinfo-fake-seed-{}.json", std::process::id()));
    std::fs::write(&seed, r#"{"data": [{"fioF": "Засеянный"}]}"#).expect("a seed file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotinfo-fake-server"))
        .args([
            "--port",
            "0",
            "--token",
            "cli-token",
            "--first-id",
            "500",
            "--sms-code",
            "77",
        ])
        .arg("--seed")
        .arg(&seed)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("read")
    .expect("a first line");
    let url = url.trim_end();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/v1"),
        "the first line is the base URL: {url:?}"
    );

    let client = Client::with_config(
        Client::config()
            .base_url(url)
            .credential("token", "cli-token"),
    )
    .expect("a client");
    let added = client
        .add_clients(&AddClientsRequest::new(vec![ClientRecord {
            fio_f: Some("Иванов".to_owned()),
            ..Default::default()
        }]))
        .await
        .expect("added");
    assert_eq!(added.result[0].id, 501, "the seed took 500");
    let listed = client
        .list_clients(&ListClientsRequest::new(77))
        .await
        .expect("listed");
    assert_eq!(listed.result.len(), 2);
    let refused = client
        .list_clients(&ListClientsRequest::new(78))
        .await
        .expect_err("a wrong SMS code");
    assert!(matches!(refused, Error::Api { .. }), "{refused:?}");

    let wrong = Client::with_config(Client::config().base_url(url).credential("token", "other"))
        .expect("a client");
    let error = wrong
        .list_clients(&ListClientsRequest::new(77))
        .await
        .expect_err("the token is checked");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    drop(running);
    let _ = std::fs::remove_file(&seed);
}

#[test]
fn a_seed_that_breaks_the_spec_stops_the_program_with_its_place() {
    let seed =
        std::env::temp_dir().join(format!("lotinfo-fake-bad-seed-{}.json", std::process::id()));
    std::fs::write(&seed, r#"{"data": [{"sex": "m"}]}"#).expect("a seed file");
    let output = Command::new(env!("CARGO_BIN_EXE_lotinfo-fake-server"))
        .arg("--seed")
        .arg(&seed)
        .output()
        .expect("the program runs");
    let _ = std::fs::remove_file(&seed);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no URL is printed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/data/0/sex"), "{stderr}");
}
