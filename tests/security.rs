//! Every kind of security scheme as the generator applies it (the `security` golden crate),
//! against a real HTTP server: where each credential goes, alternatives, combinations, the
//! document's default, `security: []`, and that no secret shows in `Debug` output.

use golden_security::models::Thing;
use golden_security::{Client, Error};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRETS: [(&str, &str); 7] = [
    ("headerKey", "hdr-s3cret"),
    ("queryKey", "qry-s3cret"),
    ("cookieKey", "ck-s3cret"),
    ("bearerAuth", "brr-s3cret"),
    ("basicAuth", "user:pa55"),
    ("oauth", "oauth-s3cret"),
    ("openId", "oidc-s3cret"),
];

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"name": "x"})))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, schemes: &[&str]) -> Client {
    let mut config = Client::config().base_url(server.uri());
    for (scheme, secret) in SECRETS {
        if schemes.contains(&scheme) {
            config = config.credential(scheme, secret);
        }
    }
    Client::with_config(config).expect("client")
}

async fn last_request(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .expect("recorded")
        .pop()
        .expect("a request was sent")
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII").to_owned())
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn each_scheme_puts_its_credential_where_the_spec_says() {
    let server = server().await;
    let all: Vec<&str> = SECRETS.iter().map(|(scheme, _)| *scheme).collect();
    let client = client(&server, &all);

    client.get_inherited().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "x-api-key").as_deref(),
        Some("hdr-s3cret"),
        "the document's default security"
    );
    assert_eq!(query(&request, "api_key"), None);

    client.with_query_key().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(query(&request, "api_key").as_deref(), Some("qry-s3cret"));
    assert_eq!(
        header(&request, "x-api-key"),
        None,
        "an operation's security replaces the default"
    );

    client.with_cookie_key(None).await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "cookie").as_deref(),
        Some("session=ck-s3cret")
    );

    client.with_basic().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "authorization").as_deref(),
        Some("Basic dXNlcjpwYTU1"),
        "user:pa55 in base64"
    );

    client.with_oauth().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "authorization").as_deref(),
        Some("Bearer oauth-s3cret")
    );

    client.with_open_id().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "authorization").as_deref(),
        Some("Bearer oidc-s3cret")
    );

    client.with_header_and_query_keys().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(header(&request, "x-api-key").as_deref(), Some("hdr-s3cret"));
    assert_eq!(query(&request, "api_key").as_deref(), Some("qry-s3cret"));
}

#[tokio::test]
async fn the_first_alternative_with_a_credential_is_used() {
    let server = server().await;
    client(&server, &["bearerAuth", "basicAuth"])
        .with_bearer_or_basic()
        .await
        .expect("sent");
    assert_eq!(
        header(&last_request(&server).await, "authorization").as_deref(),
        Some("Bearer brr-s3cret")
    );
    client(&server, &["basicAuth"])
        .with_bearer_or_basic()
        .await
        .expect("sent");
    assert_eq!(
        header(&last_request(&server).await, "authorization").as_deref(),
        Some("Basic dXNlcjpwYTU1")
    );
}

#[tokio::test]
async fn a_combination_needs_every_credential() {
    let server = server().await;
    let error = client(&server, &["headerKey"])
        .with_header_and_query_keys()
        .await
        .expect_err("the query key is missing");
    assert!(
        matches!(
            error,
            Error::MissingCredentials {
                operation: "withHeaderAndQueryKeys",
                ..
            }
        ),
        "{error}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn an_operation_with_empty_security_sends_no_credential_and_its_body_comes_from_components() {
    let server = server().await;
    let all: Vec<&str> = SECRETS.iter().map(|(scheme, _)| *scheme).collect();
    let created = client(&server, &all)
        .create_public_thing(&Thing::new("lamp".to_owned()))
        .await
        .expect("created");
    assert_eq!(created.name, "x");
    let request = last_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), None);
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(request.url.query(), None);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).expect("JSON"),
        serde_json::json!({"name": "lamp"})
    );
    let invalid = client(&server, &[])
        .create_public_thing(&Thing::new(String::new()))
        .await
        .expect_err("minLength 1");
    assert!(matches!(invalid, Error::InvalidRequest(_)), "{invalid}");
}

#[tokio::test]
async fn no_secret_shows_in_debug_output() {
    let server = server().await;
    let all: Vec<&str> = SECRETS.iter().map(|(scheme, _)| *scheme).collect();
    let client = client(&server, &all);
    let rendered = format!("{client:?}");
    for (_, secret) in SECRETS {
        assert!(!rendered.contains(secret), "{secret} in {rendered}");
    }
}
