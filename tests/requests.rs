//! Requests as the spec says to send them (the `requests` golden crate), against a real HTTP
//! server: the `Accept` header of each response's media types, an API key that the operation
//! also declares as its own parameter, and path, query, header and cookie values in every style
//! of the OpenAPI 3.1 style table.

use golden_requests::models::Point;
use golden_requests::{Client, Error};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7 bytes".to_vec(), "application/pdf"),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, key: Option<&str>) -> Client {
    let mut config = Client::config().base_url(server.uri());
    if let Some(key) = key {
        config = config.credential("queryKey", key);
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

fn pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const POINT: Point = Point { x: 3, y: 4 };

#[tokio::test]
async fn accept_lists_the_media_types_of_the_success_responses() {
    let server = server().await;
    let client = client(&server, None);

    let pdf = client.invoice_pdf(7).await.expect("sent");
    assert_eq!(pdf, b"%PDF-1.7 bytes", "a PDF is read as bytes");
    let request = last_request(&server).await;
    assert_eq!(request.url.path(), "/invoices/7/pdf");
    assert_eq!(
        header(&request, "accept").as_deref(),
        Some("application/pdf")
    );

    let csv = client.report_csv().await.expect("sent");
    assert_eq!(csv, "%PDF-1.7 bytes", "CSV is read as text");
    let request = last_request(&server).await;
    assert_eq!(header(&request, "accept").as_deref(), Some("text/csv"));

    client.avatar().await.expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "accept").as_deref(),
        Some("image/png, image/*")
    );

    let status = client.status().await.expect("sent");
    assert_eq!(status.ok, Some(true));
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "accept").as_deref(),
        Some("application/json"),
        "XML is declared too, but the client reads JSON only"
    );

    client
        .simple_path(1, &[1], &[1], &POINT, &POINT)
        .await
        .expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        header(&request, "accept").as_deref(),
        Some("*/*"),
        "no success content declared"
    );
}

#[tokio::test]
async fn an_api_key_given_as_the_operations_parameter_is_sent_once() {
    let server = server().await;

    client(&server, Some("s3cret"))
        .search(None, "cats")
        .await
        .expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        pairs(&request),
        owned(&[("q", "cats"), ("key", "s3cret")]),
        "the credential fills the parameter left out"
    );

    client(&server, Some("s3cret"))
        .search(Some("given"), "cats")
        .await
        .expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        pairs(&request),
        owned(&[("key", "given"), ("q", "cats")]),
        "the argument wins and the credential is not added again"
    );

    client(&server, None)
        .search(Some("given"), "cats")
        .await
        .expect("the argument satisfies the security requirement");
    let request = last_request(&server).await;
    assert_eq!(pairs(&request), owned(&[("key", "given"), ("q", "cats")]));

    let missing = client(&server, None).search(None, "cats").await;
    assert!(
        matches!(missing, Err(Error::MissingCredentials { .. })),
        "{missing:?}"
    );
}

#[tokio::test]
async fn path_parameters_follow_the_style_table() {
    let server = server().await;
    let client = client(&server, None);
    let cases: [(&str, &str); 3] = [
        ("simple", "/simple/5/3,4,5/3,4,5/x,3,y,4/x=3,y=4"),
        ("label", "/label/.5/.3,4,5/.3.4.5/.x,3,y,4/.x=3.y=4"),
        (
            "matrix",
            "/matrix/;id=5/;ids=3,4,5/;ids_x=3;ids_x=4;ids_x=5/;point=x,3,y,4/;x=3;y=4",
        ),
    ];
    for (style, expected) in cases {
        let ids = [3, 4, 5];
        match style {
            "simple" => client.simple_path(5, &ids, &ids, &POINT, &POINT).await,
            "label" => client.label_path(5, &ids, &ids, &POINT, &POINT).await,
            _ => client.matrix_path(5, &ids, &ids, &POINT, &POINT).await,
        }
        .expect("sent");
        let request = last_request(&server).await;
        assert_eq!(request.url.path(), expected, "{style}");
    }
}

#[tokio::test]
async fn query_header_and_cookie_values_follow_the_style_table() {
    let server = server().await;
    let client = client(&server, None);

    client
        .query_styles(&[3, 4], &[3, 4], &POINT, &POINT, &[3, 4], &[3, 4], &POINT)
        .await
        .expect("sent");
    let request = last_request(&server).await;
    assert_eq!(
        pairs(&request),
        owned(&[
            ("ids", "3,4"),
            ("ids_x", "3"),
            ("ids_x", "4"),
            ("point", "x,3,y,4"),
            ("x", "3"),
            ("y", "4"),
            ("spaced", "3 4"),
            ("piped", "3|4"),
            ("deep[x]", "3"),
            ("deep[y]", "4"),
        ])
    );

    client
        .header_styles(&[3, 4], &POINT, &POINT, &[3, 4], &POINT)
        .await
        .expect("sent");
    let request = last_request(&server).await;
    assert_eq!(header(&request, "x-ids").as_deref(), Some("3,4"));
    assert_eq!(header(&request, "x-point").as_deref(), Some("x,3,y,4"));
    assert_eq!(
        header(&request, "x-point-exploded").as_deref(),
        Some("x=3,y=4")
    );
    assert_eq!(
        header(&request, "cookie").as_deref(),
        Some("ids=3,4; point=x,3,y,4")
    );
}
