//! The token never shows up in `Display` or `Debug` output: not of the client, its configuration,
//! the `Secret` itself, nor of any error a call can end with (including the error's `source()`
//! chain).

use std::error::Error as _;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use lotinfo_client::models::{AddClientsRequest, ClientRecord};
use lotinfo_client::{Client, ClientConfig, Error, Secret};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SECRET-1234567";
/// A part of the token, to catch it shown cut or wrapped.
const TOKEN_PART: &str = "SECRET-1234567";

fn assert_hidden(text: &str, what: &str) {
    assert!(
        !text.contains(TOKEN) && !text.contains(TOKEN_PART),
        "{what} shows the token: {text}"
    );
}

/// Checks the error's `Display`, `Debug` and alternate `Debug`, and those of every error in its
/// `source()` chain. Returns how many errors the chain holds, the error itself included.
fn assert_error_hides_token(error: &Error) -> usize {
    assert_hidden(&format!("{error}"), "Display");
    assert_hidden(&format!("{error:?}"), "Debug");
    assert_hidden(&format!("{error:#?}"), "alternate Debug");
    let mut depth = 1;
    let mut source = error.source();
    while let Some(cause) = source {
        assert_hidden(&format!("{cause}"), &format!("Display of source #{depth}"));
        assert_hidden(&format!("{cause:?}"), &format!("Debug of source #{depth}"));
        depth += 1;
        source = cause.source();
    }
    depth
}

fn config(base_url: impl Into<String>) -> ClientConfig {
    Client::config()
        .base_url(base_url)
        .credential("token", TOKEN)
}

fn valid_request() -> AddClientsRequest {
    AddClientsRequest::new(vec![ClientRecord {
        fio_f: Some("Иванов".to_owned()),
        ..Default::default()
    }])
}

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// Checks the token really travelled to the server, so that its absence from the output means
/// something.
async fn assert_token_was_sent(server: &MockServer) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert_eq!(query, format!("token={TOKEN}"));
}

#[test]
fn secret_is_redacted() {
    let secrets = [
        Secret::new(TOKEN),
        Secret::from(TOKEN),
        Secret::from(TOKEN.to_owned()),
        Secret::from(&TOKEN.to_owned()),
    ];
    for secret in &secrets {
        assert_eq!(secret, &Secret::new(TOKEN), "the secret holds the token");
        assert_ne!(secret, &Secret::new("another token"));
        assert_hidden(&format!("{secret}"), "Secret Display");
        assert_hidden(&format!("{secret:?}"), "Secret Debug");
        assert_hidden(&format!("{secret:#?}"), "Secret alternate Debug");
        assert_hidden(
            &format!("{:?}", Some(secret.clone())),
            "Option<Secret> Debug",
        );
    }
}

#[test]
fn config_and_client_debug_hide_the_token() {
    let config = config("http://127.0.0.1:9");
    let shown = format!("{config:?}");
    assert_hidden(&shown, "ClientConfig Debug");
    assert_hidden(&format!("{config:#?}"), "ClientConfig alternate Debug");
    assert!(
        shown.contains("token"),
        "the scheme's name is shown: {shown}"
    );

    let client = Client::with_config(config).unwrap();
    let shown = format!("{client:?}");
    assert_hidden(&shown, "Client Debug");
    assert_hidden(&format!("{client:#?}"), "Client alternate Debug");
    assert!(shown.contains("127.0.0.1:9"), "{shown}");

    let client = Client::new(TOKEN).unwrap();
    assert_hidden(&format!("{client:?}"), "Client::new Debug");
    assert_hidden(&format!("{client:#?}"), "Client::new alternate Debug");
}

#[tokio::test]
async fn a_status_error_hides_the_token() {
    let server = server_answering(
        ResponseTemplate::new(401).set_body_raw("<h1>Unauthorized</h1>", "text/html"),
    )
    .await;
    let error = Client::with_config(config(server.uri()))
        .unwrap()
        .add_clients(&valid_request())
        .await
        .expect_err("401");

    assert!(
        matches!(error, Error::Status { status: 401, .. }),
        "{error:?}"
    );
    assert_error_hides_token(&error);
    assert_token_was_sent(&server).await;
}

#[tokio::test]
async fn an_api_error_in_a_200_body_hides_the_token() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(r#"{"error": "bad token"}"#, "application/json"),
    )
    .await;
    let error = Client::with_config(config(server.uri()))
        .unwrap()
        .add_clients(&valid_request())
        .await
        .expect_err("an error object");

    assert!(matches!(error, Error::Api { status: 200, .. }), "{error:?}");
    assert_error_hides_token(&error);
    assert_token_was_sent(&server).await;
}

#[tokio::test]
async fn a_decode_error_hides_the_token() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(r#"{"created": "yes"}"#, "application/json"),
    )
    .await;
    let error = Client::with_config(config(server.uri()))
        .unwrap()
        .add_clients(&valid_request())
        .await
        .expect_err("not the success shape");

    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert_error_hides_token(&error);
    assert_token_was_sent(&server).await;
}

#[tokio::test]
async fn an_invalid_request_error_hides_the_token() {
    let server = server_answering(ResponseTemplate::new(200)).await;
    let error = Client::with_config(config(server.uri()))
        .unwrap()
        .add_clients(&AddClientsRequest::new(Vec::new()))
        .await
        .expect_err("empty data");

    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_error_hides_token(&error);
}

#[tokio::test]
async fn a_connection_error_hides_the_token() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = Client::with_config(config(format!("http://127.0.0.1:{port}")))
        .unwrap()
        .add_clients(&valid_request())
        .await
        .expect_err("nothing listens");

    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    let chain = assert_error_hides_token(&error);
    assert!(chain >= 2, "the transport error is the source: {error:?}");
}

#[tokio::test]
async fn a_timeout_error_hides_the_token() {
    let delay = Duration::from_secs(5);
    let server = server_answering(ResponseTemplate::new(200).set_delay(delay)).await;
    let client =
        Client::with_config(config(server.uri()).timeout(Duration::from_millis(200))).unwrap();

    let started = Instant::now();
    let error = client
        .add_clients(&valid_request())
        .await
        .expect_err("the server is too slow");
    let elapsed = started.elapsed();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(elapsed < delay, "the call gave up after {elapsed:?}");
    let chain = assert_error_hides_token(&error);
    assert!(chain >= 2, "the transport error is the source: {error:?}");
    assert_token_was_sent(&server).await;
}

#[tokio::test]
async fn a_missing_credentials_error_hides_the_token() {
    let server = server_answering(ResponseTemplate::new(200)).await;
    // The token is given, but for a scheme the operation does not use.
    let client = Client::with_config(
        Client::config()
            .base_url(server.uri())
            .credential("not-the-token-scheme", TOKEN),
    )
    .unwrap();
    let error = client
        .add_clients(&valid_request())
        .await
        .expect_err("no credential for `token`");

    assert!(
        matches!(error, Error::MissingCredentials { .. }),
        "{error:?}"
    );
    assert_error_hides_token(&error);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn an_invalid_base_url_error_hides_the_token() {
    let error = Client::with_config(config("ftp://127.0.0.1/v1")).expect_err("not http(s)");
    assert!(matches!(error, Error::InvalidBaseUrl { .. }), "{error:?}");
    assert_error_hides_token(&error);
}
