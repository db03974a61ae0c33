#!/usr/bin/env python3
"""The round trip: every operation of a document, called through its generated client against
Prism, a mock server that checks each request against the spec and answers from it.

For each document the script generates the crate, turns the README's per-operation examples into
a harness program (so the calls are exactly the ones a user copies), and runs it twice against
`prism mock`: once answering with the spec's examples (static) and once with values
generated from the schemas (dynamic, `-d`). A small recording proxy between the two keeps what
was sent and Prism's `sl-violations` header, so each failure carries its evidence. Every
operation ends as one of:

  ok                 the request was accepted and the answer decoded
  no-example         the README has no example call to make (ours)
  client-validation  the client's own validation refused the example (ours)
  prism-refused      Prism refused the request, with its reasons (ours, unless listed)
  decode             the answer was not decoded, with the JSON path (ours, unless listed)
  spec-example       the answer was not decoded where the spec's own example breaks its schema,
                     as Prism's response validation says (the spec's)
  prism-bad-answer   the same in dynamic mode: Prism generated an answer its own check refuses
  prism-cannot-answer Prism refused to answer an accepted request (no response defined, a schema
                     its generator cannot handle) (Prism's)
  prism-crashed      Prism's process died of a TypeError of its own on the request (Prism's); when
                     it dies throwing an error about the request, that is prism-refused
  prism-cannot-load  Prism cannot read the document at all (Prism's)
  other              any other error (ours)

From spec-example on, the outcomes are recognised from Prism's own words and count as not ours.
Any other failure that is not the generator's is listed in tests/roundtrip/known.json, a list of
objects with `document` (as printed), `operation` (or "*" for all), optionally `mode` and
`outcome`, `fault` ("spec" or "prism") and `evidence`; an entry with the outcome
"prism-cannot-load" spares the run starting Prism for that document. An entry with
`"prism_document": "acyclic"` (and no outcome) has Prism mock the narrowed, acyclic copy that
scripts/prism_copy.py makes of a document Prism cannot load, written into the document's work
folder; the client is still generated from the original. Every failure not shown to be the spec's
or Prism's fails the run. With --write-docs the script rewrites docs/roundtrip.md
from the results; with --ci it runs the fixed subset CI runs.

Usage: scripts/roundtrip.py [--ci] [--only SUBSTRING] [--write-docs] [--mode static|dynamic]
                            [--generator PATH] [--operation NAME]
"""

import argparse
import base64
import http.client
import http.server
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib

from cargo_target import target_dir
from prism_copy import acyclic_copy

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
KNOWN = ROOT / "tests" / "roundtrip" / "known.json"
DOCS = ROOT / "docs" / "roundtrip.md"
PRISM = ROOT / "node_modules" / ".bin" / "prism"

# The subset CI runs: the lotinfo spec, every golden fixture, and corpus documents that between
# them cover parameter styles, unions and discriminators, security schemes and body encodings.
CI_CORPUS = [
    "readme-3.0-parameters-style.yaml",
    "readme-3.1-parameters-style.json",
    "readme-3.0-parameters-cookies.json",
    "readme-3.0-discriminators.yaml",
    "readme-3.0-polymorphism.yaml",
    "readme-3.0-security.yaml",
    "readme-3.0-form-data.json",
    "readme-3.0-file-uploads.yaml",
    "readme-3.0-response-examples.yaml",
    "readme-3.0-petstore-expanded.yaml",
    "apisguru-listennotes.com.json",
]

OUTCOMES = ["ok", "no-example", "client-validation", "prism-refused", "decode", "spec-example",
            "prism-bad-answer", "prism-cannot-answer", "prism-crashed", "prism-cannot-load", "other"]
MODES = ["static", "dynamic"]


def slug(document: pathlib.Path) -> str:
    name = document.name if document.is_dir() else document.stem
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def spec_file(document: pathlib.Path) -> pathlib.Path:
    """A fixture folder holds its spec as `openapi.yaml` (or `.json`)."""
    if document.is_dir():
        for candidate in ("openapi.yaml", "openapi.json", "spec.yaml"):
            if (document / candidate).exists():
                return document / candidate
        raise SystemExit(f"no spec in {document}")
    return document


def load_document(path: pathlib.Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    try:
        import yaml  # PyYAML, when installed
        return yaml.safe_load(text)
    except ImportError:
        pass
    # Without PyYAML the generator's own reading is used: it prints nothing of the document, so
    # the security schemes are read from the generated crate instead (see credentials()).
    return None


def config_for(document: pathlib.Path):
    if document.is_dir() and (document / "codegen.toml").exists():
        return document / "codegen.toml"
    return None


# ---------------------------------------------------------------------------------------------
# The README's examples, as a harness.

SECTION = re.compile(r"^### `([a-z0-9_]+)`\n\n`([A-Z]+) ([^`]*)`", re.M)
BLOCK = re.compile(r"```rust,no_run\n(.*?)```", re.S)


def readme_examples(readme: str):
    """Each operation's (rust name, method, path, example code or None), in README order."""
    sections = list(SECTION.finditer(readme))
    out = []
    for index, match in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else readme.find("\n## Errors")
        block = BLOCK.search(readme, match.end(), end if end > 0 else len(readme))
        code = None
        if block:
            lines = []
            for line in block.group(1).splitlines():
                if line == "#":
                    continue
                lines.append(line[2:] if line.startswith("# ") else line)
            code = "\n".join(lines)
        out.append((match.group(1), match.group(2), match.group(3), code))
    return out


def credentials(client_dir: pathlib.Path):
    """The security schemes' keys and kinds, read from the generated client's table."""
    source = (client_dir / "src" / "client.rs").read_text(encoding="utf-8")
    table = re.search(r"SECURITY_SCHEMES[^=]*=\s*&\[(.*?)\];", source, re.S)
    if not table:
        return []
    return re.findall(r'\(\s*"([^"]+)"\s*,\s*transport::SecurityScheme::(\w+)', table.group(1))


def harness_source(crate: str, examples, schemes) -> str:
    krate = crate.replace("-", "_")
    modules, calls = [], []
    for name, _method, _path, code in examples:
        if code is None:
            continue
        code = code.replace("async fn example(", "pub async fn example(", 1)
        modules.append(f"mod op_{name} {{\n#[allow(unused_imports)]\nuse super::*;\n{code}\n}}\n")
        calls.append(f'    run(&config, "{name}", |client| Box::pin(async move {{ op_{name}::example(&client).await }}));')
    creds = []
    for key, kind in schemes:
        secret = "user:password" if kind == "Basic" else "roundtrip-secret"
        creds.append(f'.credential("{key}", "{secret}")')
    return f"""// The round-trip harness of `{crate}`, made by scripts/roundtrip.py from its README.
#![allow(warnings, clippy::all)]
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use {krate}::{{ClientConfig, Error, RetryPolicy}};

{"".join(modules)}

type Call = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// Runs one operation's example on a runtime of its own, so that a panic ends only that call.
fn run(config: &ClientConfig, name: &str, call: impl FnOnce({krate}::Client) -> Call) {{
    if let Ok(only) = std::env::var("ROUNDTRIP_ONLY") {{
        if !only.split(',').any(|wanted| wanted == name) {{
            return;
        }}
    }}
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-roundtrip-operation", reqwest::header::HeaderValue::from_str(name).unwrap());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {{
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {{
            let http = reqwest::Client::builder().default_headers(headers).build().unwrap();
            let client = {krate}::Client::with_config(config.clone().http_client(http)).unwrap();
            tokio::time::timeout(Duration::from_secs(60), call(client)).await
        }})
    }}));
    let mut line = match outcome {{
        Err(panic) => {{
            let message = panic.downcast_ref::<String>().cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            serde_json::json!({{"outcome": "other", "message": format!("the example panicked: {{message}}")}})
        }}
        Ok(Err(_)) => serde_json::json!({{"outcome": "other", "message": "no answer within 60 s"}}),
        Ok(Ok(Ok(()))) => serde_json::json!({{"outcome": "ok"}}),
        Ok(Ok(Err(error))) => describe(&error),
    }};
    line["operation"] = name.into();
    println!("ROUNDTRIP\t{{line}}");
}}

fn describe(error: &Error) -> serde_json::Value {{
    let message = error.to_string();
    match error {{
        Error::InvalidRequest(_) => serde_json::json!({{"outcome": "client-validation", "message": message}}),
        Error::Status {{ status, body, .. }} => serde_json::json!({{
            "outcome": "status", "status": status, "body": body.text(), "message": message}}),
        Error::Decode {{ status, path, message: what, body }} => serde_json::json!({{
            "outcome": "decode", "status": status, "path": path, "message": what, "body": body.text()}}),
        _ => serde_json::json!({{"outcome": "other", "message": message}}),
    }}
}}

fn main() {{
    let base_url = std::env::var("ROUNDTRIP_BASE_URL").expect("ROUNDTRIP_BASE_URL");
    let config = ClientConfig::new(base_url)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(30)){"".join(creds)};
{chr(10).join(calls)}
}}
"""


def client_dependencies(client_dir: pathlib.Path, crate: str) -> str:
    """The generated crate, and its own dependencies: the README's examples name some of them
    (`uuid::Uuid`, `chrono::NaiveDate`), as a user's code would."""
    manifest = tomllib.loads((client_dir / "Cargo.toml").read_text(encoding="utf-8"))
    wanted = dict(manifest.get("dependencies", {}))
    wanted.pop("proptest", None)
    wanted["reqwest"] = {"version": "0.12", "default-features": False}
    wanted["serde_json"] = "1"
    wanted["tokio"] = {"version": "1", "features": ["rt", "time"]}
    lines = [f'{crate} = {{ path = "{client_dir}" }}']
    for name, spec in sorted(wanted.items()):
        if isinstance(spec, str):
            spec = {"version": spec}
        spec = {k: v for k, v in spec.items() if k != "optional"}
        if name == "tokio":
            spec["features"] = sorted(set(spec.get("features", [])) | {"rt", "time"})
        fields = ", ".join(f"{k} = {json.dumps(v)}" for k, v in spec.items())
        lines.append(f"{name} = {{ {fields} }}")
    return "\n".join(lines)


def write_harness(work: pathlib.Path, name: str, crate: str, client_dir: pathlib.Path, examples, schemes):
    harness = work / name / "harness"
    (harness / "src").mkdir(parents=True, exist_ok=True)
    (harness / "Cargo.toml").write_text(
        f"""# Written by scripts/roundtrip.py.
[package]
name = "{crate}-harness"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
{client_dependencies(client_dir, crate)}
""", encoding="utf-8")
    source = harness_source(crate, examples, schemes)
    path = harness / "src" / "main.rs"
    if not path.exists() or path.read_text(encoding="utf-8") != source:
        path.write_text(source, encoding="utf-8")
    return harness


# ---------------------------------------------------------------------------------------------
# Prism, behind a proxy that records each operation's exchange.

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Prism:
    def __init__(self, spec: pathlib.Path, dynamic: bool, log: pathlib.Path):
        self.port = free_port()
        self.log = log
        arguments = [str(PRISM), "mock", str(spec), "--host", "127.0.0.1", "--port", str(self.port),
                     "--verboseLevel", "warn"]
        if dynamic:
            arguments.append("--dynamic")
        self.output = open(log, "w", encoding="utf-8")
        self.process = subprocess.Popen(arguments, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.output,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        started = time.monotonic()
        while True:
            if self.process.poll() is not None:
                text = log.read_text(errors="replace")
                reason = next((line.strip() for line in text.splitlines() if "Error" in line), text[-300:])
                raise RuntimeError(f"Prism exited before listening: {reason}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                pass
            if time.monotonic() - started > 300:
                self.stop()
                raise RuntimeError("Prism did not listen within 300 s")
            time.sleep(0.1)

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.output.close()


# Prism's `sl-violations` header lists every violation of an answer on one line.
http.client._MAXLINE = 64 * 1024 * 1024


class Recorder(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: int):
        self.upstream = upstream
        self.exchanges = {}
        super().__init__(("127.0.0.1", 0), RecordingHandler)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def forward(self):
        body = self.read_body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("transfer-encoding", "connection")}
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        # Prism now and then resets a connection it has not answered on, and answers the same
        # request sent again; one more try tells that from a Prism that is gone.
        for attempt in (1, 2):
            upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=60)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                answer = response.read()
                status, reason, answer_headers = response.status, response.reason, response.getheaders()
                failure = None
            except Exception as error:  # Prism crashed or hung up: a 502, and the exchange says why
                status, reason, answer_headers, answer = 502, "Bad Gateway", [], str(error).encode()
                failure = f"the proxy could not reach Prism: {error!r}"
                if attempt == 1 and isinstance(error, (ConnectionResetError, http.client.RemoteDisconnected)):
                    time.sleep(0.5)
                    continue
            finally:
                upstream.close()
            break
        operation = self.headers.get("x-roundtrip-operation", "")
        violations = next((v for k, v in answer_headers if k.lower() == "sl-violations"), None)
        self.server.exchanges.setdefault(operation, []).append({
            "request": f"{self.command} {self.path}",
            "request_headers": {k: v for k, v in self.headers.items()
                                if k.lower() in ("content-type", "accept") or k.lower().startswith("x-api")},
            "request_body": body[:2000].decode("utf-8", "replace"),
            "status": status,
            "violations": parse_violations(violations),
            "content_type": next((v for k, v in answer_headers if k.lower() == "content-type"), None),
            "failure": failure,
        })
        self.send_response(status, reason)
        for key, value in answer_headers:
            # Prism's violations can run to megabytes, past what any HTTP client takes in a header.
            if key.lower() not in ("transfer-encoding", "connection", "content-length", "sl-violations"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = forward


def parse_violations(header):
    """Prism's `sl-violations` header: a JSON list, else a violation quoting the text."""
    if not header:
        return []
    # With many violations Prism writes `Too many violations! [...]`.
    try:
        return json.loads(header[header.find("["):])
    except json.JSONDecodeError:
        return [{"severity": "Error", "location": ["response"],
                 "message": f"Prism's violations header is not JSON: {header[:300]!r}"}]


def run_mode(binary: pathlib.Path, spec: pathlib.Path, dynamic: bool, log: pathlib.Path, operations):
    """Runs the harness's `operations` against a fresh Prism. Prism dies on some requests (an
    exception its server does not catch): the operation that killed it is recorded as such, with
    the line of Prism's log that says why, and the rest run against a new Prism."""
    records, exchanges = {}, {}
    remaining = list(operations)
    while remaining:
        prism = Prism(spec, dynamic, log)
        recorder = Recorder(prism.port)
        thread = threading.Thread(target=recorder.serve_forever, daemon=True)
        thread.start()
        try:
            env = dict(os.environ, ROUNDTRIP_BASE_URL=f"http://127.0.0.1:{recorder.server_address[1]}",
                       ROUNDTRIP_ONLY=",".join(remaining))
            result = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=3600)
            died = prism.process.poll() is not None
        finally:
            recorder.shutdown()
            prism.stop()
        for line in result.stdout.splitlines():
            if line.startswith("ROUNDTRIP\t"):
                record = json.loads(line.split("\t", 1)[1])
                records[record["operation"]] = record
        for operation, exchange in recorder.exchanges.items():
            exchanges.setdefault(operation, []).extend(exchange)
        if result.returncode != 0:
            print(f"  harness exited {result.returncode}: {result.stderr[-1500:]}", file=sys.stderr)
        killer = next((op for op in remaining if any(x.get("failure") for x in recorder.exchanges.get(op, []))), None)
        if not died or killer is None:
            break
        text = log.read_text(errors="replace")
        why = next((line.strip() for line in text.splitlines() if "Error:" in line), "Prism exited")
        records[killer] = {"outcome": "prism-crashed", "operation": killer, "message": why}
        exchanges.pop(killer, None)
        remaining = remaining[remaining.index(killer) + 1:]
    return records, exchanges


# ---------------------------------------------------------------------------------------------
# Classification.

def violations_text(violations) -> str:
    return "; ".join(f"{'.'.join(map(str, v.get('location', [])))}: {v.get('message', '')}" for v in violations)


REFUSALS = ("UNPROCESSABLE_ENTITY", "UNAUTHORIZED", "NOT_ACCEPTABLE", "NOT_FOUND", "INVALID_CONTENT_TYPE")


def dotted(path: str) -> str:
    """`result[0].id` as Prism writes a location: `result.0.id`."""
    return re.sub(r"\[(\d+)\]", r".\1", path).strip(".")


def classify(record, exchanges, mode):
    """An operation's outcome and its reason, from the harness's line and Prism's exchange."""
    if record is None:
        return "other", "the harness printed nothing for it (it panicked or was killed)"
    violations = (exchanges[-1] if exchanges else {}).get("violations", [])
    errors = [v for v in violations if v.get("severity") == "Error"]
    request = [v for v in errors if v.get("location", [""])[0] == "request"]
    response = [v for v in errors if v.get("location", [""])[0] == "response"]
    outcome = record["outcome"]
    if exchanges and exchanges[-1].get("failure"):
        return "other", exchanges[-1]["failure"]
    if outcome == "ok":
        return ("prism-refused", violations_text(request)) if request else ("ok", "")
    if outcome == "client-validation":
        return "client-validation", record["message"]
    if outcome == "prism-crashed":
        # A TypeError is a bug of Prism's; an Error it throws on purpose says what it refused.
        if record["message"].startswith(("TypeError", "ReferenceError", "RangeError")):
            return "prism-crashed", f"Prism's process died on this request: {record['message']}"
        return "prism-refused", f"Prism's process died refusing the request: {record['message']}"
    if outcome == "status":
        body = record.get("body", "")
        try:
            problem = json.loads(body)
        except (json.JSONDecodeError, TypeError):
            problem = None
        kind = ""
        if isinstance(problem, dict) and "stoplight.io/prism/errors" in str(problem.get("type", "")):
            kind = problem["type"].rsplit("#", 1)[-1]
        if kind in REFUSALS or request:
            reason = violations_text(request) or violations_text(problem.get("validation", [])) or \
                f"{problem.get('title')}: {problem.get('detail')}"
            return "prism-refused", f"HTTP {record['status']} {kind}: {reason.strip()}"
        if kind or (record["status"] == 500 and "Prism" in body):
            return "prism-cannot-answer", f"HTTP {record['status']} {kind}: {problem.get('title') if problem else ''}: " \
                f"{(problem or {}).get('detail', body)[:400]}"
        # A documented error status the mock chose to answer with: the round trip worked.
        return "ok", ""
    if outcome == "decode":
        reason = f"HTTP {record['status']} at `{record['path']}`: {record['message']}"
        where = dotted(record["path"])
        broken = [v for v in response if where.startswith(".".join(map(str, v["location"][2:])))]
        if broken:
            kind = "spec-example" if mode == "static" else "prism-bad-answer"
            return kind, f"{reason}; Prism: the answer breaks the schema: {violations_text(broken)}"
        return "decode", reason
    return "other", record.get("message", "")


# ---------------------------------------------------------------------------------------------

def documents_for(args):
    if args.ci:
        chosen = [ROOT / "spec" / "lotinfo.yaml"]
        chosen += sorted(p for p in (ROOT / "tests" / "golden").iterdir() if p.is_dir())
        chosen += [CORPUS / name for name in CI_CORPUS]
    else:
        chosen = [ROOT / "spec" / "lotinfo.yaml"]
        chosen += sorted(p for p in (ROOT / "tests" / "golden").iterdir() if p.is_dir())
        chosen += sorted(p for p in CORPUS.iterdir()
                         if p.suffix in (".json", ".yaml", ".yml") and p.name != "peers-results.json")
    return [d for d in chosen if args.only in d.name]


def golden_spec(folder: pathlib.Path):
    """A golden crate's spec is its fixture: `tests/fixtures/<name>.yaml`, `.json` or a folder."""
    name = folder.name
    for candidate in (FIXTURES / f"{name}.yaml", FIXTURES / f"{name}.json", FIXTURES / name):
        if candidate.exists():
            return candidate
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ci", action="store_true", help="the subset CI runs")
    parser.add_argument("--only", default="", help="documents whose name contains this")
    parser.add_argument("--mode", choices=MODES, action="append", help="static, dynamic or both (default)")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--generator", help="a built lotinfo-codegen to use instead of building one")
    parser.add_argument("--operation", help="run only this operation (with --only)")
    args = parser.parse_args()
    modes = args.mode or MODES

    if not PRISM.exists():
        print(f"FAIL Prism is not installed ({PRISM}); run `npm ci`", file=sys.stderr)
        return 1
    target = target_dir()
    if args.generator:
        generator = pathlib.Path(args.generator)
    else:
        subprocess.run(["cargo", "build", "--locked", "--release", "-q", "-p", "lotinfo-codegen"], cwd=ROOT, check=True)
        generator = target / "release" / "lotinfo-codegen"
    work = target / "roundtrip"
    work.mkdir(parents=True, exist_ok=True)

    known = json.loads(KNOWN.read_text(encoding="utf-8")) if KNOWN.exists() else []

    # Generate every client and its harness.
    entries = []
    for document in documents_for(args):
        if document.parent.name == "golden":
            spec = golden_spec(document)
            if spec is None:
                continue
            label = f"tests/fixtures/{spec.name}"
        else:
            spec = document
            label = str(document.relative_to(ROOT))
        name = slug(spec) if document.parent.name != "golden" else "golden-" + document.name
        crate = "rt-" + name
        client_dir = work / name / "client"
        command = [str(generator), "generate", "--quiet", "--spec", str(spec_file(spec)), "--out", str(client_dir),
                   "--crate-name", crate]
        config = config_for(spec)
        if config:
            command += ["--config", str(config)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"FAIL generate {label}: {result.stderr[-2000:]}", file=sys.stderr)
            return 1
        readme = (client_dir / "README.md").read_text(encoding="utf-8")
        examples = readme_examples(readme)
        harness = write_harness(work, name, crate, client_dir, examples, credentials(client_dir))
        entries.append({"label": label, "name": name, "crate": crate, "spec": spec_file(spec), "harness": harness,
                        "examples": examples})
        print(f"generated {label}: {len(examples)} operation(s)", file=sys.stderr)

    members = ",\n".join(f'    "{e["name"]}/harness"' for e in entries)
    (work / "Cargo.toml").write_text(
        "# Written by scripts/roundtrip.py: the round-trip harnesses.\n"
        f'[workspace]\nresolver = "2"\nmembers = [\n{members}\n]\n\n'
        "[profile.dev]\ndebug = 0\nincremental = false\n", encoding="utf-8")
    if not (work / "Cargo.lock").exists():
        shutil.copy(ROOT / "Cargo.lock", work / "Cargo.lock")
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"))
    build = subprocess.run(["cargo", "build", "--workspace", "--keep-going", "--message-format=short"],
                           cwd=work, env=env, capture_output=True, text=True)
    built = {}
    for entry in entries:
        binary = work / "target" / "debug" / f"{entry['crate']}-harness"
        built[entry["name"]] = binary.exists() and build.returncode == 0 or \
            (binary.exists() and f"could not compile `{entry['crate']}" not in build.stderr)
    if build.returncode != 0:
        print(build.stderr[-6000:], file=sys.stderr)

    rows, failures = [], []
    for entry in entries:
        counts = {mode: {o: 0 for o in OUTCOMES} for mode in modes}
        unloadable_known = next((k["evidence"] for k in known if k["document"] == entry["label"]
                                 and k.get("outcome") == "prism-cannot-load"), None)
        mocked = entry["spec"]
        if any(k["document"] == entry["label"] and k.get("prism_document") == "acyclic" for k in known):
            mocked = work / entry["name"] / "prism-copy.json"
            copied, report = acyclic_copy(json.loads(entry["spec"].read_text(encoding="utf-8")))
            mocked.write_text(json.dumps(copied, ensure_ascii=False), encoding="utf-8")
            print(f"  Prism mocks an acyclic copy: cuts {report['cuts']}, "
                  f"a cycle left: {report['cycle-left'] or 'none'}", file=sys.stderr)
        for mode in modes:
            unloadable = unloadable_known
            if unloadable or not built[entry["name"]] or not any(code for *_, code in entry["examples"]):
                records, exchanges = {}, {}
            else:
                log = work / entry["name"] / f"prism-{mode}.log"
                binary = work / "target" / "debug" / f"{entry['crate']}-harness"
                wanted = [op for op, *_, code in entry["examples"]
                          if code is not None and (not args.operation or op == args.operation)]
                try:
                    records, exchanges = run_mode(binary, mocked, mode == "dynamic", log, wanted)
                except RuntimeError as error:
                    unloadable = str(error)[:300]
                    records, exchanges = {}, {}
            for operation, method, path, code in entry["examples"]:
                if args.operation and operation != args.operation:
                    continue
                if not built[entry["name"]]:
                    outcome, reason = "other", "the harness does not compile"
                elif code is None:
                    outcome, reason = "no-example", "the README has no example call"
                elif unloadable:
                    outcome, reason = "prism-cannot-load", f"Prism cannot load the document: {unloadable[:300]}"
                else:
                    outcome, reason = classify(records.get(operation), exchanges.get(operation, []), mode)
                counts[mode][outcome] += 1
                if outcome == "ok":
                    continue
                fault = {"spec-example": "spec", "prism-bad-answer": "prism", "prism-cannot-answer": "prism",
                         "prism-crashed": "prism",
                         "prism-cannot-load": "prism"}.get(outcome, "generator")
                evidence, whole = reason, False
                for item in known:
                    if "prism_document" in item:
                        continue
                    if item["document"] == entry["label"] and item["operation"] in (operation, "*") and \
                            item.get("mode", mode) == mode and item.get("outcome", outcome) == outcome:
                        fault, whole = item["fault"], item["operation"] == "*"
                        evidence = item["evidence"] if whole else item["evidence"] + f" (seen: {reason})"
                exchange = (exchanges.get(operation) or [None])[-1]
                failures.append({"document": entry["label"], "operation": operation, "route": f"{method} {path}",
                                 "mode": mode, "outcome": outcome, "reason": reason, "fault": fault,
                                 "evidence": evidence, "whole": whole,
                                 "request": exchange and exchange["request"]})
        rows.append({"document": entry["label"], "operations": len(entry["examples"]), "counts": counts})
        summary = ", ".join(f"{mode} {counts[mode]['ok']}/{len(entry['examples'])}" for mode in modes)
        print(f"round trip {entry['label']}: {summary}", file=sys.stderr)

    ours = [f for f in failures if f["fault"] == "generator"]
    for failure in ours:
        print(f"FAIL {failure['document']} {failure['operation']} ({failure['route']}, {failure['mode']}): "
              f"{failure['outcome']}: {failure['reason'][:600]}"
              + (f"\n     sent: {failure['request']}" if failure["request"] else ""), file=sys.stderr)
    (work / "results.json").write_text(json.dumps({"rows": rows, "failures": failures}, ensure_ascii=False,
                                                  indent=1), encoding="utf-8")
    if args.write_docs:
        DOCS.write_text(render(rows, failures, modes), encoding="utf-8")
        print(f"wrote {DOCS.relative_to(ROOT)}", file=sys.stderr)
    total = sum(r["operations"] for r in rows) * len(modes)
    passed = sum(r["counts"][m]["ok"] for r in rows for m in modes)
    print(f"{passed} passed, {len(ours)} failed, {total - passed - len(ours)} skipped")
    return 0 if not ours else 1


def render(rows, failures, modes) -> str:
    total = sum(r["operations"] for r in rows)
    out = [
        "# Round trip against a validating mock server",
        "",
        "Written by `scripts/roundtrip.py --write-docs`. Every operation of each document is called",
        "through its generated client, with the example call of the crate's README, against",
        "`prism mock` (pinned in `package-lock.json`), which checks each request against the",
        "spec and answers from the spec's examples (static) or from values generated from its schemas",
        "(dynamic). `scripts/roundtrip.py --ci` runs the subset CI runs; the whole list is run by hand.",
        "Where `tests/roundtrip/known.json` says so, Prism mocks a narrowed, acyclic copy of a document",
        "it cannot load whole (`scripts/prism_copy.py`): every answer from the copy is valid under the",
        "original, and the client is generated from the original.",
        "",
        f"{len(rows)} documents, {total} operations.",
        "",
        "| document | operations | " + " | ".join(f"{m} ok" for m in modes) + " | failures |",
        "|---|---:|" + "---:|" * len(modes) + "---|",
    ]
    for row in rows:
        bad = sum(row["counts"][m][o] for m in modes for o in OUTCOMES if o != "ok")
        out.append(f"| `{row['document']}` | {row['operations']} | "
                   + " | ".join(str(row["counts"][m]["ok"]) for m in modes) + f" | {bad} |")
    for mode in modes:
        ok = sum(r["counts"][mode]["ok"] for r in rows)
        out.append("")
        out.append(f"{mode.capitalize()}: {ok} of {total} operations round-trip ({100.0 * ok / max(total, 1):.1f} %).")
    out += ["", "Failures by whose fault they are:", "",
            "| fault | " + " | ".join(modes) + " |", "|---|" + "---:|" * len(modes)]
    for fault in ("generator", "spec", "prism"):
        out.append(f"| {fault} | " + " | ".join(
            str(sum(1 for f in failures if f["fault"] == fault and f["mode"] == m)) for m in modes) + " |")
    unloadable = {f["document"] for f in failures if f["outcome"] == "prism-cannot-load"}
    loaded = sum(r["operations"] for r in rows if r["document"] not in unloadable)
    for mode in modes:
        ok = sum(r["counts"][mode]["ok"] for r in rows if r["document"] not in unloadable)
        out.append("")
        out.append(f"{mode.capitalize()}, of the {loaded} operations of the documents Prism loads: {ok} "
                   f"round-trip ({100.0 * ok / max(loaded, 1):.1f} %).")
    out += ["", "## Failures and whose fault they are", ""]
    if not failures:
        out.append("None.")
    # A finding about a whole document is one line, not one per operation.
    grouped = set()
    for failure in failures:
        if failure["whole"]:
            key = (failure["document"], failure["outcome"])
            if key in grouped:
                continue
            grouped.add(key)
            count = sum(1 for f in failures if (f["document"], f["outcome"]) == key)
            out.append(f"- `{failure['document']}`, all {count} calls: {failure['outcome']}, "
                       f"fault: **{failure['fault']}**. {failure['evidence']}")
            continue
        out.append(f"- `{failure['document']}` `{failure['operation']}` ({failure['route']}, {failure['mode']}): "
                   f"{failure['outcome']}, fault: **{failure['fault']}**. {failure['evidence']}")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
