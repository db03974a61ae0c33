//! A fake lotinfo CRM API on localhost, for testing applications without the real API.
//!
//! [`FakeServer::start`] binds `127.0.0.1` on a free port and serves the two operations of
//! `spec/lotinfo.yaml` under [`FakeServer::base_url`] (`http://127.0.0.1:<port>/v1`):
//! `PUT /v1/CLIENTS` adds clients (new ids, the `general` and `lpr` rules of the documentation
//! and their notices), `POST /v1/CLIENTS` lists them (filters, order, projection, `limit` and
//! `offset`, answered as field wrappers with ids and numbers as strings). Every request needs the
//! `token` query parameter; errors are answered as `{"error": {"code", "message", "details"}}`,
//! with status 200 unless [`Builder::http_errors`] asks for 4xx statuses. What the server chose
//! where the documentation is silent is listed in the crate's `README.md`.
//!
//! The server runs on the Tokio runtime that starts it and stops when its handle is dropped or
//! [`FakeServer::shutdown`] is awaited. [`FakeServer::clients`] shows what it stored.
//!
//! ```
//! use lotinfo_client::{models, Client};
//! use lotinfo_fake_server::FakeServer;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = FakeServer::builder().token("test-token").start().await?;
//! let client = Client::with_config(
//!     Client::config()
//!         .base_url(server.base_url())
//!         .credential("token", "test-token"),
//! )?;
//!
//! let record = models::ClientRecord {
//!     fio_f: Some("Иванов".to_owned()),
//!     fio_i: Some("Иван".to_owned()),
//!     contacts: Some(vec![models::MobileContact::new("79998886655".to_owned()).into()]),
//!     ..Default::default()
//! };
//! let added = client
//!     .add_clients(&models::AddClientsRequest::new(vec![record]))
//!     .await?;
//! assert_eq!(added.result[0].id, 101, "ids start at 101, as in the documented answer");
//! assert_eq!(server.clients()[0].full_name(), "Иванов Иван");
//!
//! let listed = client
//!     .list_clients(&models::ListClientsRequest::new(101010))
//!     .await?;
//! assert_eq!(listed.result.len(), 1);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

mod http;
mod list;
mod store;
mod validate;

pub use store::{StoredClient, NOTICE_GENERAL_TAKEN_OVER, NOTICE_LPR_TAKEN_OVER, STATUS_CURRENT};
pub use validate::Problem;

use http::{Config, Shared};
use store::Store;

/// The id the first client gets unless [`Builder::first_id`] says otherwise: the first id of the
/// documentation's example answer.
pub const DEFAULT_FIRST_ID: i64 = 101;

/// A running fake server. Dropping it stops the server; [`FakeServer::shutdown`] stops it and
/// waits until it has.
#[derive(Debug)]
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Options of a [`FakeServer`], from [`FakeServer::builder`].
#[derive(Debug, Clone)]
pub struct Builder {
    port: u16,
    config: Config,
    first_id: i64,
    now: Option<i64>,
    seed: Vec<Value>,
}

/// Why a server did not start.
#[derive(Debug)]
pub enum StartError {
    /// The port could not be bound.
    Bind(std::io::Error),
    /// A seed body given to [`Builder::seed`] breaks the spec.
    Seed {
        /// Which seed body (0 for the first).
        index: usize,
        /// What is wrong with it.
        problems: Vec<Problem>,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Bind(error) => write!(f, "could not bind the port: {error}"),
            StartError::Seed { index, problems } => {
                write!(f, "seed body {index} breaks the spec:")?;
                for problem in problems {
                    write!(f, " {}: {};", problem.pointer, problem.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Bind(error) => Some(error),
            StartError::Seed { .. } => None,
        }
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            port: 0,
            config: Config {
                token: None,
                sms_code: None,
                strict: false,
                http_errors: false,
            },
            first_id: DEFAULT_FIRST_ID,
            now: None,
            seed: Vec::new(),
        }
    }
}

impl Builder {
    /// The port to bind on 127.0.0.1; 0 (the default) takes a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The token every request must carry in its `token` query parameter. Without it, any token
    /// that is not empty is accepted (a missing or empty one never is).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.config.token = Some(token.into());
        self
    }

    /// The SMS code list requests must carry in `code`. Without it, any integer is accepted.
    pub fn sms_code(mut self, code: i64) -> Self {
        self.config.sms_code = Some(code);
        self
    }

    /// The id of the first client added; each next client gets the next integer. Default
    /// [`DEFAULT_FIRST_ID`].
    pub fn first_id(mut self, id: i64) -> Self {
        self.first_id = id;
        self
    }

    /// Accept only the spec's types. By default the server also accepts what the documentation's
    /// example request sends against its own table: integers as numeric strings (`"1067"`) and
    /// phone numbers as JSON numbers.
    pub fn strict(mut self, strict: bool) -> Self {
        self.config.strict = strict;
        self
    }

    /// Answer errors with 401 (token), 400 (body), 403 (SMS code) instead of 200. The error body
    /// is the same either way.
    pub fn http_errors(mut self, http_errors: bool) -> Self {
        self.config.http_errors = http_errors;
        self
    }

    /// Fixes the clock at `unix` seconds (the clients' `addDate` and `editDate`); by default the
    /// system clock. [`FakeServer::set_now`] changes it later.
    pub fn now(mut self, unix: i64) -> Self {
        self.now = Some(unix);
        self
    }

    /// A body of `PUT /v1/CLIENTS` (`{"data": [...]}`) to add before the server starts, as if it
    /// had been sent; several are added in order. A body that breaks the spec makes
    /// [`Builder::start`] fail.
    pub fn seed(mut self, body: Value) -> Self {
        self.seed.push(body);
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current Tokio runtime.
    pub async fn start(self) -> Result<FakeServer, StartError> {
        let mut store = Store::new(self.first_id, self.now);
        for (index, body) in self.seed.iter().enumerate() {
            let records = validate::add_clients(body, self.config.strict)
                .map_err(|problems| StartError::Seed { index, problems })?;
            store.add(records);
        }
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))
            .await
            .map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let shared = Arc::new(Shared {
            config: self.config,
            store: Mutex::new(store),
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let app = http::router(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
                // A dropped sender stops the server too.
                let _ = stopped.await;
            });
            // The listener is bound; a failure here is the machine's, and the fake just stops.
            let _ = serving.await;
        });
        Ok(FakeServer {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

impl FakeServer {
    /// Starts a server with the default options: a free port, any token, ids from 101.
    pub async fn start() -> Result<FakeServer, StartError> {
        Builder::default().start().await
    }

    /// Options for a server, started with [`Builder::start`].
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The base URL to give the client: `http://127.0.0.1:<port>/v1`, as the spec's server
    /// `https://api.lotinfo.ru/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every client stored, by id.
    pub fn clients(&self) -> Vec<StoredClient> {
        self.shared.store().clients.clone()
    }

    /// The client with this id, if there is one.
    pub fn client(&self, id: i64) -> Option<StoredClient> {
        self.shared
            .store()
            .clients
            .iter()
            .find(|client| client.id == id)
            .cloned()
    }

    /// Sets a client's status (the `delclient` filter: 1 current, 2 archived, 3 deleted, 4
    /// active in advertising), which the API has no operation for. Returns whether the client
    /// exists.
    pub fn set_status(&self, id: i64, status: i64) -> bool {
        let mut store = self.shared.store();
        match store.clients.iter_mut().find(|client| client.id == id) {
            Some(client) => {
                client.status = status;
                true
            }
            None => false,
        }
    }

    /// Fixes the clock at `unix` seconds, or with `None` goes back to the system clock.
    pub fn set_now(&self, unix: Option<i64>) {
        self.shared.store().now = unix;
    }

    /// Stops the server and waits until it has: open connections finish their requests first.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
