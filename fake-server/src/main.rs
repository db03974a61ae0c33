//! `lotinfo-fake-server`: the fake lotinfo API as a program. It prints its base URL on the first
//! line of standard output and serves until it is killed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use lotinfo_fake_server::FakeServer;

/// A fake lotinfo CRM API on 127.0.0.1, for testing applications without the real API.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The port to listen on; 0 takes a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The token requests must carry (`?token=`); without it any token that is not empty is
    /// accepted.
    #[arg(long)]
    token: Option<String>,
    /// The SMS code list requests must carry in `code`; without it any integer is accepted.
    #[arg(long)]
    sms_code: Option<i64>,
    /// The id of the first client added.
    #[arg(long, default_value_t = lotinfo_fake_server::DEFAULT_FIRST_ID)]
    first_id: i64,
    /// Accept only the spec's types, not the documented example's numeric strings and numeric
    /// phone numbers.
    #[arg(long)]
    strict: bool,
    /// Answer errors with 401, 400 or 403 instead of 200.
    #[arg(long)]
    http_errors: bool,
    /// A JSON file holding an add-clients body (`{"data": [...]}`) to add before serving; may be
    /// given several times.
    #[arg(long, value_name = "FILE")]
    seed: Vec<PathBuf>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = FakeServer::builder()
        .port(args.port)
        .first_id(args.first_id)
        .strict(args.strict)
        .http_errors(args.http_errors);
    if let Some(token) = args.token {
        builder = builder.token(token);
    }
    if let Some(code) = args.sms_code {
        builder = builder.sms_code(code);
    }
    for path in &args.seed {
        let body = std::fs::read(path)
            .map_err(|error| error.to_string())
            .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|error| error.to_string()));
        match body {
            Ok(body) => builder = builder.seed(body),
            Err(error) => {
                eprintln!(
                    "lotinfo-fake-server: cannot read {}: {error}",
                    path.display()
                );
                return ExitCode::from(2);
            }
        }
    }
    let server = match builder.start().await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("lotinfo-fake-server: {error}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{}", server.base_url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    drop(stdout);
    eprintln!(
        "lotinfo-fake-server: serving PUT and POST {}/CLIENTS; stop it with Ctrl-C",
        server.base_url()
    );
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
