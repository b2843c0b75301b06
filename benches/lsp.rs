//! Editor latency: how long after a change to a 5,000-line page its
//! diagnostics arrive. `cargo bench --bench lsp` measures
//!
//! - `check_text 5000 lines`: the library call the server makes per change
//!   (`Project::check_text`, rules of `fixtures/acme-site`);
//! - `didChange → publishDiagnostics`: the real `imprimatur lsp` binary over
//!   stdio, one incremental edit per iteration, timed until the diagnostics
//!   of that version are read back — with the default 10 ms debounce and
//!   with none (`initializationOptions.debounceMs: 0`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

const LINES: usize = 5_000;

fn site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/acme-site")
}

/// A page of `LINES` lines made of the fixture's pages (front matter of the
/// first, bodies of all, repeated): real prose with real findings.
fn big_page(root: &Path) -> String {
    let mut bodies = Vec::new();
    let mut front = String::new();
    for entry in ignore::Walk::new(root.join("content")).flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(path).unwrap();
            let body = match text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---\n"))
            {
                Some((fm, body)) => {
                    if front.is_empty() {
                        front = format!("---\n{fm}\n---\n");
                    }
                    body.to_string()
                }
                None => text,
            };
            bodies.push(body);
        }
    }
    let mut page = front;
    let mut i = 0;
    while page.lines().count() < LINES {
        page.push_str(&bodies[i % bodies.len()]);
        page.push('\n');
        i += 1;
    }
    page.lines().take(LINES).collect::<Vec<_>>().join("\n") + "\n"
}

fn check_text(c: &mut Criterion) {
    let root = site();
    let page = big_page(&root);
    let mut project = imprimatur::project::Project::open(&root, None, None).expect("opens");
    let findings = project
        .check_text("content/big.md", page.clone())
        .findings
        .len();
    eprintln!(
        "{LINES}-line page: {} bytes, {findings} findings",
        page.len()
    );
    c.bench_function("check_text 5000 lines", |b| {
        b.iter(|| {
            project
                .check_text("content/big.md", page.clone())
                .findings
                .len()
        })
    });
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(root: &Path, debounce_ms: Option<u64>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_imprimatur"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            stdin,
            stdout,
        };
        let options = match debounce_ms {
            Some(ms) => json!({"debounceMs": ms}),
            None => json!({}),
        };
        server.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}, "initializationOptions": options}}));
        server.read_until(|m| m["id"] == 1);
        server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length:") {
                length = n.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn read_until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self.read();
            if wanted(&message) {
                return message;
            }
        }
    }

    fn diagnostics_of(&mut self, version: i64) -> usize {
        let m = self.read_until(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        });
        m["params"]["diagnostics"].as_array().unwrap().len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn round_trip(c: &mut Criterion) {
    let root = site();
    let page = big_page(&root);
    let uri = lsp_types::Url::from_file_path(root.join("content/big.md"))
        .unwrap()
        .to_string();
    for (name, debounce) in [
        ("didChange → publishDiagnostics (10 ms debounce)", None),
        ("didChange → publishDiagnostics (no debounce)", Some(0)),
    ] {
        let mut server = Server::start(&root, debounce);
        server.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": page}}}),
        );
        server.diagnostics_of(1);
        let mut version = 1;
        c.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    version += 1;
                    // Type one character in the middle of the page.
                    let at = json!({"line": LINES / 2, "character": 0});
                    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]}});
                    let started = Instant::now();
                    server.send(change);
                    server.diagnostics_of(version);
                    total += started.elapsed();
                }
                total
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(4));
    targets = check_text, round_trip
}
criterion_main!(benches);
