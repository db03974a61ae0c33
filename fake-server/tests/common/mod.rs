//! What the fake server's tests share: the spec's examples and a client for a server.

#![allow(dead_code)] // each test file uses its own part

use lotinfo_client::Client;
use lotinfo_fake_server::FakeServer;
use serde_json::Value;

/// The token the tests' servers expect.
pub const TOKEN: &str = "test-token";

/// `spec/lotinfo.yaml`, as JSON.
pub fn spec() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/lotinfo.yaml"))
            .expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

/// An example of the spec: `operation` is `put` or `post`, `part` the path to the examples from
/// the operation (`requestBody` or `responses/200`), `name` the example's name.
pub fn example(operation: &str, part: &str, name: &str) -> Value {
    let spec = spec();
    let mut node = &spec["paths"]["/CLIENTS"][operation];
    for step in part.split('/') {
        node = &node[step];
    }
    let value = node["content"]["application/json"]["examples"][name]["value"].clone();
    assert!(
        !value.is_null(),
        "the spec has the example {operation} {part} {name}"
    );
    value
}

/// A generated client for `server`, with the tests' token.
pub fn client(server: &FakeServer) -> Client {
    client_with_token(server, TOKEN)
}

/// A generated client for `server` with this token.
pub fn client_with_token(server: &FakeServer, token: &str) -> Client {
    Client::with_config(
        Client::config()
            .base_url(server.base_url())
            .credential("token", token),
    )
    .expect("a client")
}

/// A server that expects [`TOKEN`].
pub async fn server() -> FakeServer {
    FakeServer::builder()
        .token(TOKEN)
        .start()
        .await
        .expect("the server starts")
}
