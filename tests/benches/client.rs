//! The generated client's own cost, side by side with what a developer would write by hand with
//! reqwest and serde_json: encoding a 1 000-record add-clients request, decoding its response, and
//! a whole call against a local server. Run with `cargo bench -p lotinfo-tests --bench client`.
//!
//! Last, the whole call again with both sides run in alternation (`add_clients_call_interleaved`),
//! which says whether a difference of a few percent is the client's or the machine's.
//!
//! The hand-written side types the same JSON with plain serde structs, without validation or
//! lenient decoding; the generated side is measured with validation (what a call does) and
//! without it (`ClientConfig::validate_requests(false)`), so each cost shows on its own.

use std::hint::black_box;

use criterion::{criterion_group, BatchSize, Criterion};
use lotinfo_client::models::{AddClientsRequest, AddClientsResponse};
use lotinfo_client::{Client, RetryPolicy, Validate};
use lotinfo_tests::lotinfo_spec_value;
use serde::{Deserialize, Serialize};

const RECORDS: usize = 1000;

/// The spec's normalized example with its records repeated to 1 000.
fn request_json() -> serde_json::Value {
    let mut example = lotinfo_spec_value()
        .pointer(
            "/paths/~1CLIENTS/put/requestBody/content/application~1json/examples/normalized/value",
        )
        .cloned()
        .expect("the normalized example");
    let records = example["data"].as_array().expect("records").clone();
    example["data"] = records.iter().cycle().take(RECORDS).cloned().collect();
    example
}

/// `{"result": [{"id": 101}, …]}` with one id per record.
fn response_body() -> Vec<u8> {
    let result: Vec<serde_json::Value> = (0..RECORDS)
        .map(|i| serde_json::json!({"id": 100_000 + i}))
        .collect();
    serde_json::to_vec(&serde_json::json!({ "result": result })).expect("encodes")
}

/// What a developer would write by hand for the same request and response.
mod by_hand {
    use super::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    pub struct Request {
        pub code: i64,
        pub data: Vec<Record>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Record {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub user_id: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fio_f: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fio_i: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fio_o: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fio_desc: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sex: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub birthday: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub deeps: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub deepon: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub region_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub city_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub city_id: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub clientc: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub user_category: Option<Vec<i64>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub contacts: Option<Vec<Contact>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub comments: Option<Vec<Comment>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub passport: Option<Passport>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub objects: Option<Vec<Object>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub orders: Option<Vec<Order>>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Contact {
        #[serde(rename = "type")]
        pub kind: String,
        pub value: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub general: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub spy: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub comment: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Comment {
        pub value: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Passport {
        pub serial: Option<String>,
        pub number: Option<String>,
        pub sended: Option<String>,
        pub date_sended: Option<String>,
        pub code_pod: Option<String>,
        pub place_birth: Option<String>,
        pub propiska: Option<String>,
        pub place_home: Option<String>,
        pub snils: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Object {
        pub id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub lpr: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub doled: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Order {
        pub id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Response {
        pub result: Vec<Created>,
    }

    #[derive(Deserialize)]
    pub struct Created {
        pub id: i64,
    }
}

fn encode_and_decode(c: &mut Criterion) {
    let json = request_json();
    let generated: AddClientsRequest = serde_json::from_value(json.clone()).expect("typed");
    let hand: by_hand::Request = serde_json::from_value(json).expect("typed by hand");
    let body = response_body();

    let mut group = c.benchmark_group("encode_1000_records");
    group.bench_function("generated_validate_and_encode", |b| {
        b.iter(|| {
            black_box(&generated).validate().expect("valid");
            serde_json::to_vec(black_box(&generated)).expect("encodes")
        })
    });
    group.bench_function("generated_encode", |b| {
        b.iter(|| serde_json::to_vec(black_box(&generated)).expect("encodes"))
    });
    group.bench_function("by_hand_encode", |b| {
        b.iter(|| serde_json::to_vec(black_box(&hand)).expect("encodes"))
    });
    group.finish();

    let mut group = c.benchmark_group("decode_1000_ids");
    group.bench_function("generated", |b| {
        b.iter_batched(
            || body.clone(),
            |body| {
                lotinfo_client::runtime::transport::decode_json::<AddClientsResponse>(200, body)
                    .expect("decodes")
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("by_hand", |b| {
        b.iter_batched(
            || body.clone(),
            |body| {
                let response: by_hand::Response = serde_json::from_slice(&body).expect("decodes");
                response.result.last().map(|created| created.id)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// A server on 127.0.0.1 answering every request with `body`.
fn start_server(runtime: &tokio::runtime::Runtime, body: Vec<u8>) -> String {
    runtime.block_on(async move {
        // The handler reads the request body before it answers, as a real server does.
        let app = axum::Router::new().fallback(move |request: axum::body::Bytes| {
            let body = body.clone();
            async move {
                black_box(request.len());
                ([("content-type", "application/json")], body)
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let address = listener.local_addr().expect("bound");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
        format!("http://{address}")
    })
}

/// One of each client, a local server and the request, for the whole-call measurements.
struct Calls {
    runtime: tokio::runtime::Runtime,
    base: String,
    generated: AddClientsRequest,
    hand: by_hand::Request,
    validating: Client,
    trusting: Client,
    http: reqwest::Client,
}

impl Calls {
    fn new() -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let base = start_server(&runtime, response_body());
        let json = request_json();
        let generated: AddClientsRequest = serde_json::from_value(json.clone()).expect("typed");
        let hand: by_hand::Request = serde_json::from_value(json).expect("typed by hand");
        let config = || {
            Client::config()
                .base_url(base.clone())
                .credential("token", "bench-token")
                .retry_policy(RetryPolicy::none())
        };
        let validating = Client::with_config(config()).expect("client");
        let trusting = Client::with_config(config().validate_requests(false)).expect("client");
        Calls {
            runtime,
            base,
            generated,
            hand,
            validating,
            trusting,
            http: reqwest::Client::new(),
        }
    }

    /// A call through the generated client, validating the request first or not.
    fn generated(&self, validate: bool) -> Option<i64> {
        let client = if validate {
            &self.validating
        } else {
            &self.trusting
        };
        let response = self
            .runtime
            .block_on(client.add_clients(&self.generated))
            .expect("added");
        response.result.last().map(|created| created.id)
    }

    /// The same call written by hand with reqwest and serde_json.
    fn by_hand(&self) -> Option<i64> {
        self.runtime.block_on(async {
            let body = self
                .http
                .put(format!("{}/CLIENTS", self.base))
                .query(&[("token", "bench-token")])
                .json(&self.hand)
                .send()
                .await
                .expect("sent")
                .error_for_status()
                .expect("2xx")
                .bytes()
                .await
                .expect("read");
            let response: by_hand::Response = serde_json::from_slice(&body).expect("decodes");
            response.result.last().map(|created| created.id)
        })
    }
}

fn whole_call(c: &mut Criterion) {
    let calls = Calls::new();
    let mut group = c.benchmark_group("add_clients_call_1000_records");
    group.bench_function("generated", |b| b.iter(|| calls.generated(true)));
    group.bench_function("generated_without_validation", |b| {
        b.iter(|| calls.generated(false))
    });
    group.bench_function("by_hand", |b| b.iter(|| calls.by_hand()));
    group.finish();
}

/// The name the interleaved measurement answers to in a benchmark filter.
const INTERLEAVED: &str = "add_clients_call_interleaved";

/// The whole call without validation against the hand-written one, in alternation: each round
/// times a batch of calls of one side, then of the other (the first side alternating between
/// rounds), so that both meet the same state of the machine. Criterion measures one side after
/// the other, minutes apart, and on a shared machine that alone moves the ratio by several
/// percent. Prints the median of the rounds' ratios and its quartiles.
fn interleaved_whole_call() {
    const ROUNDS: usize = 60;
    const BATCH: usize = 30;
    let calls = Calls::new();
    let time = |generated: bool| {
        let start = std::time::Instant::now();
        for _ in 0..BATCH {
            black_box(if generated {
                calls.generated(false)
            } else {
                calls.by_hand()
            });
        }
        start.elapsed().as_secs_f64() / BATCH as f64
    };
    // A round to warm connections, allocators and caches, not counted.
    time(true);
    time(false);
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut generated_total, mut by_hand_total) = (0.0, 0.0);
    for round in 0..ROUNDS {
        let (generated, by_hand) = if round % 2 == 0 {
            let generated = time(true);
            (generated, time(false))
        } else {
            let by_hand = time(false);
            (time(true), by_hand)
        };
        generated_total += generated;
        by_hand_total += by_hand;
        ratios.push(generated / by_hand);
    }
    ratios.sort_by(f64::total_cmp);
    let quantile = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    println!(
        "{INTERLEAVED}: {ROUNDS} rounds of {BATCH} calls each side; generated without validation \
         {:.3} ms, by hand {:.3} ms a call; ratio median {:.3} (quartiles {:.3} to {:.3})",
        generated_total / ROUNDS as f64 * 1e3,
        by_hand_total / ROUNDS as f64 * 1e3,
        quantile(0.5),
        quantile(0.25),
        quantile(0.75),
    );
}

criterion_group!(benches, encode_and_decode, whole_call);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Arguments that are not flags are criterion's filters; the interleaved measurement runs
    // when there is none, or when one names it.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if filters.is_empty()
        || filters
            .iter()
            .any(|filter| INTERLEAVED.contains(filter.as_str()))
    {
        interleaved_whole_call();
    }
}
