//! `imprimatur lsp` driven over stdio by a small LSP client: the real
//! binary, a real project on disk, JSON-RPC frames both ways.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use common::Repo;
use lsp_types::Url;
use serde_json::{json, Value};

/// A hang must fail the test, not stall it; this is no latency assertion.
const PATIENCE: Duration = Duration::from_secs(30);

const CONFIG: &str = r#"content:
  include: ["content/**/*.md"]
rules: [rules/acme.yml]
people:
  lee: {name: Lee Park, emails: [lee@acme.example], handles: [lee]}
teams:
  "@acme/legal": [lee]
approvals:
  policies:
    - name: legal-signoff
      paths: ["content/pricing/**"]
      require: 1
      from: ["@acme/legal"]
suppressions: {require_reason: true}
"#;

const PACK: &str = r#"rules:
  - id: claims/guarantee
    kind: forbid
    level: error
    message: "'{found}' is an absolute claim."
    terms: [guaranteed]
    link: https://policy.acme.example/claims
    description: Absolute claims need legal substantiation.
  - id: brand/github
    kind: substitute
    level: warning
    message: "Use '{expected}' instead of '{found}'."
    swap: {Github: GitHub, Javascript: JavaScript}
"#;

const PAGE: &str =
    "# Plans 😀\n\nOur 😀 Github plan is guaranteed.\nJavascript and Github again.\n";

fn project() -> Repo {
    let repo = Repo::new();
    repo.write("imprimatur.yml", CONFIG);
    repo.write("rules/acme.yml", PACK);
    repo.write(
        "CODEOWNERS",
        "/content/ @acme/docs\n/content/pricing/ @acme/legal @lee\n",
    );
    repo.write("content/pricing/plans.md", PAGE);
    repo.write("notes/todo.md", "Github is guaranteed.\n");
    repo
}

fn uri(path: &Path) -> String {
    Url::from_file_path(path).unwrap().to_string()
}

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    unread: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path, env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("imprimatur"))
            .arg("lsp")
            .current_dir(dir)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut out) {
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            unread: Vec::new(),
            next_id: 1,
        }
    }

    /// Starts and initializes with these client capabilities.
    fn initialized(repo: &Repo, capabilities: Value) -> (Client, Value) {
        Self::initialized_with(repo, capabilities, &[])
    }

    fn initialized_with(repo: &Repo, capabilities: Value, env: &[(&str, &str)]) -> (Client, Value) {
        let mut client = Client::start(repo.path(), env);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(repo.path()),
                "capabilities": capabilities,
            }),
        );
        client.notify("initialized", json!({}));
        (client, result["result"].clone())
    }

    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message from the server; requests from the server
    /// (capability registrations) are answered here.
    fn next(&mut self) -> Value {
        loop {
            let message = self
                .incoming
                .recv_timeout(PATIENCE)
                .expect("the server answers");
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                continue;
            }
            return message;
        }
    }

    /// The first message (earlier unread notifications first) that matches.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.unread.iter().position(&wanted) {
            return self.unread.remove(i);
        }
        loop {
            let message = self.next();
            if wanted(&message) {
                return message;
            }
            self.unread.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn shutdown(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap()
    }
}

fn read_frame(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length:") {
            length = Some(n.trim().parse::<usize>().ok()?);
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// `(line, character, end line, end character, code)` of each diagnostic.
fn ranges(diagnostics: &[Value]) -> Vec<(u64, u64, u64, u64, String)> {
    let mut out: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            (
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Applies LSP text edits (UTF-16 positions) to `text`, last first.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let character = pos["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri].as_array().unwrap().clone()
}

#[test]
fn utf16_by_default_with_exact_ranges_and_rule_metadata() {
    let repo = project();
    let (mut client, init) = Client::initialized(&repo, json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    let diagnostics = client.open(&page, PAGE);
    // "Our 😀 Github": the emoji is two UTF-16 units.
    assert_eq!(
        ranges(&diagnostics),
        [
            (2, 7, 2, 13, "brand/github".into()),
            (2, 22, 2, 32, "claims/guarantee".into()),
            (3, 0, 3, 10, "brand/github".into()),
            (3, 15, 3, 21, "brand/github".into()),
        ]
    );
    let claim = diagnostics
        .iter()
        .find(|d| d["code"] == "claims/guarantee")
        .unwrap();
    assert_eq!(claim["severity"], 1);
    assert_eq!(claim["source"], "imprimatur");
    assert_eq!(claim["message"], "'guaranteed' is an absolute claim.");
    assert_eq!(
        claim["codeDescription"]["href"],
        "https://policy.acme.example/claims"
    );
    let brand = diagnostics
        .iter()
        .find(|d| d["code"] == "brand/github")
        .unwrap();
    assert_eq!(brand["severity"], 2);
    assert!(brand.get("codeDescription").is_none());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn utf8_when_offered_and_incremental_changes() {
    let repo = project();
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (mut client, init) = Client::initialized(&repo, caps);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    let diagnostics = client.open(&page, PAGE);
    // In bytes the emoji is four.
    assert_eq!(
        ranges(&diagnostics)[0],
        (2, 9, 2, 15, "brand/github".into())
    );
    // Fix "Github" on line 2 by hand, then add a claim on a new line 0.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": page, "version": 2},
            "contentChanges": [
                {"range": {"start": {"line": 2, "character": 9}, "end": {"line": 2, "character": 15}}, "text": "GitHub"},
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "guaranteed\n"},
            ]
        }),
    );
    let message = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2
    });
    let diagnostics = message["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(
        ranges(diagnostics),
        [
            (0, 0, 0, 10, "claims/guarantee".into()),
            (3, 24, 3, 34, "claims/guarantee".into()),
            (4, 0, 4, 10, "brand/github".into()),
            (4, 15, 4, 21, "brand/github".into()),
        ]
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn code_actions_give_the_text_of_check_fix() {
    let repo = project();
    let (mut client, _) = Client::initialized(&repo, json!({}));
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    client.open(&page, PAGE);
    let at = |line: u32, character: u32| json!({"line": line, "character": character});
    // The quick fix on the first "Github".
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": page},
            "range": {"start": at(2, 8), "end": at(2, 8)},
            "context": {"diagnostics": [], "only": ["quickfix"]},
        }),
    );
    let actions = response["result"].as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace 'Github' with 'GitHub'",
            "Suppress brand/github on this line"
        ]
    );
    let fixed_one = apply_edits(PAGE, &edits_of(&actions[0], &page));
    assert_eq!(
        fixed_one,
        PAGE.replacen("😀 Github", "😀 GitHub", 1),
        "only the first is fixed"
    );
    // Fix all in the file: the same text as `check --fix` writes.
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": page},
            "range": {"start": at(0, 0), "end": at(0, 0)},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    let actions = response["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{response}");
    assert_eq!(actions[0]["kind"], "source.fixAll.imprimatur");
    let fixed_all = apply_edits(PAGE, &edits_of(&actions[0], &page));
    repo.cmd()
        .args(["check", "--fix", "--no-cache", "content/pricing/plans.md"])
        .assert()
        .code(1);
    assert_eq!(fixed_all, repo.read("content/pricing/plans.md"));
    assert!(!fixed_all.contains("Github") && fixed_all.contains("guaranteed"));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn suppressing_a_finding_leaves_the_reason_to_the_writer() {
    let repo = project();
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    let range = json!({"start": {"line": 2, "character": 25}, "end": {"line": 2, "character": 25}});
    let params = json!({
        "textDocument": {"uri": page},
        "range": range,
        "context": {"diagnostics": []},
    });
    let suppress = |actions: &Value| -> Value {
        actions["result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Suppress claims/guarantee on this line")
            .cloned()
            .expect("a suppress action")
    };
    // A client with snippet edits gets the cursor in the reason.
    let caps = json!({"experimental": {"snippetTextEdit": true}});
    let (mut client, _) = Client::initialized(&repo, caps);
    client.open(&page, PAGE);
    let action = suppress(&client.request("textDocument/codeAction", params.clone()));
    let edit = &action["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["insertTextFormat"], 2);
    assert_eq!(
        edit["newText"],
        "<!-- imprimatur-disable-next-line claims/guarantee -- ${1:reason} -->\n"
    );
    assert_eq!(edit["range"]["start"], json!({"line": 2, "character": 0}));
    assert_eq!(client.shutdown(), 0);

    // Without snippets the reason is empty, and `require_reason` says so
    // on the comment line, where the writer sees it.
    let (mut client, _) = Client::initialized(&repo, json!({}));
    client.open(&page, PAGE);
    let action = suppress(&client.request("textDocument/codeAction", params));
    let text = apply_edits(PAGE, &edits_of(&action, &page));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": page, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let message = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2
    });
    let after = ranges(message["params"]["diagnostics"].as_array().unwrap());
    assert!(
        !after.iter().any(|r| r.4 == "claims/guarantee"),
        "{after:?}"
    );
    assert!(
        after.iter().any(|r| r.0 == 2),
        "the empty reason is reported on the comment: {after:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_explains_the_rule_and_names_owners_and_approvals() {
    let repo = project();
    let (mut client, _) = Client::initialized(&repo, json!({}));
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    client.open(&page, PAGE);
    let hover = |client: &mut Client, line: u32, character: u32| -> String {
        let response = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": page}, "position": {"line": line, "character": character}}),
        );
        response["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let explain = repo
        .cmd()
        .args(["rules", "--explain", "claims/guarantee"])
        .output()
        .unwrap();
    let explain = String::from_utf8(explain.stdout).unwrap();
    let on_claim = hover(&mut client, 2, 25);
    assert!(on_claim.contains(explain.trim_end()), "{on_claim}");
    assert!(on_claim.contains("Absolute claims need legal substantiation."));
    let top = hover(&mut client, 0, 3);
    assert!(top.contains("**Owners:** @acme/legal, @lee"), "{top}");
    assert!(
        top.contains("legal-signoff: 1 approval from @acme/legal (not the author)"),
        "{top}"
    );
    assert_eq!(
        hover(&mut client, 1, 0),
        "",
        "nothing to say on a blank line"
    );

    let lens = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": page}}),
    );
    let lenses = lens["result"].as_array().unwrap();
    assert_eq!(lenses.len(), 1);
    assert_eq!(
        lenses[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(
        lenses[0]["command"]["title"],
        "Owners: @acme/legal, @lee · Publishing needs: legal-signoff: 1 approval from @acme/legal (not the author)"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_file_outside_the_content_set_gets_no_diagnostics() {
    let repo = project();
    let (mut client, _) = Client::initialized(&repo, json!({}));
    let notes = uri(&repo.path().join("notes/todo.md"));
    assert_eq!(
        client.open(&notes, "Github is guaranteed.\n"),
        Vec::<Value>::new()
    );
    let lens = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": notes}}),
    );
    assert_eq!(lens["result"], json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_broken_config_is_shown_once_and_the_last_good_one_serves() {
    let repo = project();
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = Client::initialized(&repo, caps);
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    let config = uri(&repo.path().join("imprimatur.yml"));
    assert_eq!(client.open(&page, PAGE).len(), 4);
    // The watcher registration was asked for.
    let broken = CONFIG.replace("require: 1", "require: one");
    repo.write("imprimatur.yml", &broken);
    let changed = json!({"changes": [{"uri": config, "type": 2}]});
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(text.contains("imprimatur.yml:12:"), "{text}");
    assert!(text.contains("the last good config stays in use"), "{text}");
    let on_config = client.diagnostics(&config);
    assert_eq!(on_config.len(), 1);
    assert_eq!(on_config[0]["range"]["start"]["line"], 11);
    assert_eq!(on_config[0]["code"], "imprimatur/config");
    // The page is still checked, with the last good rules.
    assert_eq!(client.diagnostics(&page).len(), 4);
    // The same error again is not shown again.
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    assert_eq!(client.diagnostics(&page).len(), 4);
    assert!(!client
        .unread
        .iter()
        .any(|m| m["method"] == "window/showMessage"));
    // Repaired (and changed: no more brand rule): the error goes, the new rules apply.
    repo.write("imprimatur.yml", CONFIG);
    repo.write(
        "rules/acme.yml",
        &PACK[..PACK.find("  - id: brand/github").unwrap()],
    );
    client.notify("workspace/didChangeWatchedFiles", changed);
    assert_eq!(client.diagnostics(&config), Vec::<Value>::new());
    let diagnostics = client.diagnostics(&page);
    assert_eq!(
        ranges(&diagnostics),
        [(2, 22, 2, 32, "claims/guarantee".into())]
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn malformed_messages_and_a_panicking_request_are_survived() {
    let repo = project();
    let env = [("IMPRIMATUR_LSP_FAIL_ON", "textDocument/codeLens")];
    let (mut client, _) = Client::initialized_with(&repo, json!({}), &env);
    client.send_raw(b"{this is not json");
    let error = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(error["id"], Value::Null);
    assert_eq!(error["error"]["code"], -32700);
    client.send(json!({"jsonrpc": "2.0", "id": 99, "params": {}}));
    let error = client.wait_for(|m| m["id"] == 99);
    assert_eq!(error["error"]["code"], -32600);
    let unknown = client.request("imprimatur/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let invalid = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(invalid["error"]["code"], -32602);
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    let panicked = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": page}}),
    );
    assert_eq!(panicked["error"]["code"], -32603, "{panicked}");
    // Still serving.
    assert_eq!(client.open(&page, PAGE).len(), 4);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let repo = project();
    let (mut client, _) = Client::initialized(&repo, json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused() {
    let repo = project();
    let mut client = Client::start(repo.path(), &[]);
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    let init = client.request("initialize", json!({"capabilities": {}}));
    assert_eq!(init["result"]["serverInfo"]["name"], "imprimatur");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn saving_a_rule_pack_reloads_it_without_watchers() {
    let repo = project();
    let (mut client, _) = Client::initialized(&repo, json!({}));
    let page = uri(&repo.path().join("content/pricing/plans.md"));
    assert_eq!(client.open(&page, PAGE).len(), 4);
    let pack = repo.write(
        "rules/acme.yml",
        &PACK[..PACK.find("  - id: brand/github").unwrap()],
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&pack)}}),
    );
    let diagnostics = client.diagnostics(&page);
    assert_eq!(
        ranges(&diagnostics),
        [(2, 22, 2, 32, "claims/guarantee".into())]
    );
    assert_eq!(client.shutdown(), 0);
}
