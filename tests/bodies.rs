//! Request bodies in every encoding, responses of every kind and parameter styles, as the
//! generator emits them (the `bodies` golden crate), against a real HTTP server.

use std::collections::BTreeMap;

use golden_bodies::models::{Charge, PutNoteFilter, UploadRequest};
use golden_bodies::{Client, Error, FilePart};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(status: u16, body: &[u8], content_type: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type))
        .mount(&server)
        .await;
    let client = Client::with_config(Client::config().base_url(server.uri())).expect("client");
    (server, client)
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header(request: &Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_form_body_flattens_nested_members_with_brackets() {
    let (server, client) = server_answering(200, br#"{"amount": "250"}"#, "application/json").await;
    let charge = Charge {
        amount: 250,
        metadata: Some(BTreeMap::from([(
            "order id".to_owned(),
            "A&B=1".to_owned(),
        )])),
        expand: Some(vec!["customer".to_owned(), "invoice".to_owned()]),
    };
    let created = client.send_form(&charge).await.expect("sent");
    assert_eq!(created.amount, 250);
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8(request.body).expect("text"),
        "amount=250&metadata%5Border+id%5D=A%26B%3D1&expand%5B0%5D=customer&expand%5B1%5D=invoice"
    );
}

#[tokio::test]
async fn a_form_body_is_validated_first() {
    let (server, client) = server_answering(200, b"{}", "application/json").await;
    let error = client
        .send_form(&Charge::new(0))
        .await
        .expect_err("amount below its minimum");
    assert!(
        error.to_string().contains("/amount: must be at least 1"),
        "{error}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn a_multipart_body_has_one_part_per_member() {
    let (server, client) = server_answering(204, b"", "text/plain").await;
    let upload = UploadRequest {
        title: Some("Q3 report".to_owned()),
        tags: Some(vec!["a".to_owned(), "b".to_owned()]),
        ..Default::default()
    };
    client.upload(Some(&upload)).await.expect("sent");
    let request = only_request(&server).await;
    assert!(header(&request, "content-type").starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8(request.body).expect("text parts");
    assert!(
        body.contains("name=\"title\"\r\n\r\nQ3 report\r\n"),
        "{body}"
    );
    assert_eq!(
        body.matches("name=\"tags\"").count(),
        2,
        "a list repeats its part: {body}"
    );
    assert!(
        !body.contains("document"),
        "an absent file sends no part: {body}"
    );
}

#[tokio::test]
async fn binary_members_of_a_multipart_body_are_file_parts_with_their_exact_bytes() {
    let (server, client) = server_answering(204, b"", "text/plain").await;
    let png = vec![0x89, b'P', b'N', b'G', 0x00, 0xff];
    let upload = UploadRequest {
        title: Some("scan".to_owned()),
        document: Some(
            FilePart::new(png.clone())
                .file_name("scan.png")
                .content_type("image/png"),
        ),
        attachments: Some(vec![
            FilePart::new(b"first".to_vec()).file_name("1.txt"),
            FilePart::new(b"second".to_vec()),
        ]),
        ..Default::default()
    };
    client.upload(Some(&upload)).await.expect("sent");
    let body = only_request(&server).await.body;
    let document_header =
        b"name=\"document\"; filename=\"scan.png\"\r\nContent-Type: image/png\r\n\r\n";
    let start = find(&body, document_header).expect("a file part with its name and type")
        + document_header.len();
    assert_eq!(
        &body[start..start + png.len()],
        png.as_slice(),
        "bytes as they are"
    );
    assert_eq!(&body[start + png.len()..start + png.len() + 2], b"\r\n");
    let text = String::from_utf8_lossy(&body);
    assert_eq!(text.matches("name=\"attachments\"").count(), 2, "{text}");
    assert!(
        text.contains(
            "filename=\"1.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nfirst\r\n"
        ),
        "{text}"
    );
    assert!(text.contains("\r\n\r\nsecond\r\n"), "{text}");
}

#[tokio::test]
async fn a_file_part_with_an_invalid_media_type_is_not_sent() {
    let (server, client) = server_answering(204, b"", "text/plain").await;
    let upload = UploadRequest {
        document: Some(FilePart::new(b"x".to_vec()).content_type("no media type")),
        ..Default::default()
    };
    let error = client.upload(Some(&upload)).await.expect_err("invalid");
    assert!(matches!(error, Error::Encode(_)), "{error:?}");
    assert!(error.to_string().contains("document"), "{error}");
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn bytes_go_out_and_come_back_as_they_are() {
    let payload = [0u8, 159, 146, 150, 255];
    let (server, client) = server_answering(200, &payload, "application/octet-stream").await;
    let returned = client.put_raw(&payload).await.expect("sent");
    assert_eq!(returned, payload);
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/octet-stream");
    assert_eq!(request.body, payload);
}

#[tokio::test]
async fn text_bodies_cookies_deep_objects_and_joined_lists() {
    let (server, client) =
        server_answering(200, "записано".as_bytes(), "text/plain; charset=utf-8").await;
    let filter = PutNoteFilter {
        color: Some("red".to_owned()),
        size: Some(3),
    };
    let answer = client
        .put_note(
            Some("s3cr3t"),
            Some(&filter),
            Some(&[1, 2, 3]),
            Some("заметка"),
        )
        .await
        .expect("sent");
    assert_eq!(answer, "записано");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "text/plain");
    assert_eq!(
        String::from_utf8(request.body.clone()).expect("text"),
        "заметка"
    );
    assert_eq!(header(&request, "cookie"), "session=s3cr3t");
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected = [
        ("filter[color]", "red"),
        ("filter[size]", "3"),
        ("ids", "1,2,3"),
    ];
    assert_eq!(query, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
    assert_eq!(request.url.path(), "/note");
}

#[tokio::test]
async fn a_server_error_keeps_its_body() {
    let (_server, client) = server_answering(500, b"<html>down</html>", "text/html").await;
    let error = client.put_raw(b"x").await.expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        error.raw_body().map(|b| b.text().into_owned()),
        Some("<html>down</html>".to_owned())
    );
}
