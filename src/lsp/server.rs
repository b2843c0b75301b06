//! The main loop: initialize, then requests and notifications one at a
//! time on this thread. Changes are debounced (a burst is checked once,
//! after the queue is drained and the debounce has passed); each message is
//! handled under `catch_unwind`, so a panic answers that request with an
//! error and the server goes on.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    HoverProviderCapability, MessageType, Position, SaveOptions, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::projects::{LoadError, Projects};
use super::text::{Buffer, Encoding};
use super::transport::send;
use super::{actions, diagnostics, governance};
use crate::engine::FileResult;

/// How long a change waits for the next one before the buffer is checked.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(10);
/// Fault injection for tests: a request of the method this names panics,
/// to show that the server answers it with an error and goes on.
const FAIL_ON: &str = "IMPRIMATUR_LSP_FAIL_ON";
/// Rule id of the diagnostic shown on a config file that does not load.
const CONFIG_RULE: &str = "imprimatur/config";

/// Serves until `exit` or the end of input: 0 after `shutdown`, else 1.
pub fn serve(messages: Receiver<Message>) -> i32 {
    let Some(mut server) = initialize(&messages) else {
        return 1;
    };
    server.register_watchers();
    loop {
        let next = server.pending.values().min().copied();
        let received = match next {
            Some(due) => messages.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => messages.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(message) => {
                if server.guarded(message) == Flow::Exit {
                    return if server.shut_down { 0 } else { 1 };
                }
                // Take everything already queued before checking.
                loop {
                    match messages.try_recv() {
                        Ok(message) => {
                            if server.guarded(message) == Flow::Exit {
                                return if server.shut_down { 0 } else { 1 };
                            }
                        }
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => break,
                    }
                }
                server.publish_due();
            }
            Err(RecvTimeoutError::Timeout) => server.publish_due(),
            Err(RecvTimeoutError::Disconnected) => return if server.shut_down { 0 } else { 1 },
        }
    }
}

/// Answers requests with "not initialized" until `initialize` comes.
fn initialize(messages: &Receiver<Message>) -> Option<Server> {
    for message in messages {
        match message {
            Message::Request(req) if req.method == "initialize" => {
                let server = Server::new(&req.params);
                let result = json!({
                    "capabilities": server.capabilities(),
                    "serverInfo": {"name": "imprimatur", "version": env!("CARGO_PKG_VERSION")},
                });
                send(&Message::Response(Response::new_ok(req.id, result)));
                return Some(server);
            }
            Message::Request(req) => send(&Message::Response(error(
                req.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet",
            ))),
            Message::Notification(n) if n.method == "exit" => return None,
            _ => {}
        }
    }
    None
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Exit,
}

/// An open buffer and its last check.
struct Doc {
    buffer: Buffer,
    checked: Option<Checked>,
}

/// The findings of one buffer version, or why there are none.
#[derive(Clone)]
struct Checked {
    version: i32,
    /// Project entry and project-relative path; `None` outside the content set.
    at: Option<(usize, String)>,
    result: FileResult,
}

struct Server {
    enc: Encoding,
    projects: Projects,
    docs: HashMap<Url, Doc>,
    /// Buffers to check, and when (the debounce).
    pending: HashMap<Url, Instant>,
    debounce: Duration,
    /// The client applies snippet edits.
    snippets: bool,
    watch_dynamically: bool,
    shut_down: bool,
    /// Load errors shown per project entry, and the file each was shown on.
    shown_errors: HashMap<usize, LoadError>,
    next_request: i32,
}

impl Server {
    fn new(params: &Value) -> Server {
        let caps = &params["capabilities"];
        let offered: Option<Vec<lsp_types::PositionEncodingKind>> =
            serde_json::from_value(caps["general"]["positionEncodings"].clone()).ok();
        let options = &params["initializationOptions"];
        let mut projects = Projects::default();
        let mut folders: Vec<PathBuf> = params["workspaceFolders"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| path_of(f["uri"].as_str()?))
            .collect();
        folders.extend(params["rootUri"].as_str().and_then(path_of));
        projects.folders = folders
            .into_iter()
            .map(|f| f.canonicalize().unwrap_or(f))
            .collect();
        projects.explicit_config = options["config"].as_str().map(PathBuf::from);
        Server {
            enc: Encoding::negotiate(offered.as_deref()),
            projects,
            docs: HashMap::new(),
            pending: HashMap::new(),
            debounce: options["debounceMs"]
                .as_u64()
                .map_or(DEFAULT_DEBOUNCE, Duration::from_millis),
            snippets: caps["experimental"]["snippetTextEdit"].as_bool() == Some(true)
                || caps["workspace"]["workspaceEdit"]["snippetEditSupport"].as_bool() == Some(true),
            watch_dynamically: caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
                .as_bool()
                == Some(true),
            shut_down: false,
            shown_errors: HashMap::new(),
            next_request: 1,
        }
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(self.enc.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::from(actions::FIX_ALL),
                ]),
                ..CodeActionOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_lens_provider: Some(CodeLensOptions {
                resolve_provider: Some(false),
            }),
            ..ServerCapabilities::default()
        }
    }

    /// Asks the client to report changes to the files a project is made
    /// of (config, packs, Vale styles and vocabularies, CODEOWNERS).
    fn register_watchers(&mut self) {
        if !self.watch_dynamically {
            return;
        }
        let globs = [
            "**/{imprimatur.yml,.imprimatur.yml,.vale.ini,_vale.ini,vale.ini,.vale,_vale,CODEOWNERS}",
            "**/*.{yml,yaml,ini,txt,dic,aff,tengo}",
            "**/allowed_signers",
        ];
        let watchers: Vec<Value> = globs.iter().map(|g| json!({"globPattern": g})).collect();
        let params = json!({"registrations": [{
            "id": "imprimatur-watched-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": watchers},
        }]});
        self.request("client/registerCapability", params);
    }

    fn request(&mut self, method: &str, params: Value) {
        let id = RequestId::from(format!("imprimatur-{}", self.next_request));
        self.next_request += 1;
        send(&Message::Request(Request::new(id, method.into(), params)));
    }

    /// Handles one message; a panic is logged (by the panic hook, on
    /// stderr) and a request that caused it gets an internal error.
    fn guarded(&mut self, message: Message) -> Flow {
        let id = match &message {
            Message::Request(r) => Some(r.id.clone()),
            _ => None,
        };
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.handle(message))) {
            Ok(flow) => flow,
            Err(_) => {
                eprintln!("imprimatur lsp: a message handler panicked; serving on");
                if let Some(id) = id {
                    let why = "internal error while answering this request (see the server log)";
                    send(&Message::Response(error(id, ErrorCode::InternalError, why)));
                }
                Flow::Continue
            }
        }
    }

    fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(req) => {
                let response = self.on_request(req);
                send(&Message::Response(response));
                Flow::Continue
            }
            Message::Notification(n) if n.method == "exit" => Flow::Exit,
            Message::Notification(n) => {
                self.on_notification(n);
                Flow::Continue
            }
            // Answers to our requests (registrations): nothing to do.
            Message::Response(_) => Flow::Continue,
        }
    }

    fn on_request(&mut self, req: Request) -> Response {
        if self.shut_down {
            let why = "the server is shutting down";
            return error(req.id, ErrorCode::InvalidRequest, why);
        }
        if std::env::var_os(FAIL_ON).is_some_and(|m| m == req.method.as_str()) {
            panic!("{FAIL_ON} asked this request to fail");
        }
        match req.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Response::new_ok(req.id, Value::Null)
            }
            "textDocument/codeAction" => self.call(req, Self::code_action),
            "textDocument/hover" => self.call(req, Self::hover),
            "textDocument/codeLens" => self.call(req, Self::code_lens),
            "initialize" => error(req.id, ErrorCode::InvalidRequest, "already initialized"),
            other => {
                let why = format!("unknown method `{other}`");
                error(req.id, ErrorCode::MethodNotFound, &why)
            }
        }
    }

    /// Runs `handler` on the request's params, or answers invalid params.
    fn call<P: DeserializeOwned>(
        &mut self,
        req: Request,
        handler: fn(&mut Self, P) -> Value,
    ) -> Response {
        match serde_json::from_value::<P>(req.params) {
            Ok(params) => Response::new_ok(req.id, handler(self, params)),
            Err(e) => {
                let why = format!("invalid parameters for {}: {e}", req.method);
                error(req.id, ErrorCode::InvalidParams, &why)
            }
        }
    }

    fn on_notification(&mut self, n: Notification) {
        let params = n.params;
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let doc = &params["textDocument"];
                let (Some(uri), Some(text)) = (uri_of(&doc["uri"]), doc["text"].as_str()) else {
                    return;
                };
                let version = doc["version"].as_i64().unwrap_or(0) as i32;
                let buffer = Buffer::new(text.to_string(), version);
                self.docs.insert(
                    uri.clone(),
                    Doc {
                        buffer,
                        checked: None,
                    },
                );
                self.pending.insert(uri, Instant::now());
            }
            "textDocument/didChange" => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                doc.buffer.apply(p.content_changes, self.enc);
                doc.buffer.version = p.text_document.version;
                self.pending.insert(uri, Instant::now() + self.debounce);
            }
            "textDocument/didSave" => {
                if let Some(path) =
                    uri_of(&params["textDocument"]["uri"]).and_then(|u| path_of(u.as_str()))
                {
                    self.files_changed(vec![path]);
                }
            }
            "textDocument/didClose" => {
                if let Some(uri) = uri_of(&params["textDocument"]["uri"]) {
                    self.docs.remove(&uri);
                    self.pending.remove(&uri);
                    publish(&uri, Vec::new(), None);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let paths = params["changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| path_of(c["uri"].as_str()?))
                    .collect();
                self.files_changed(paths);
            }
            _ => {}
        }
    }

    /// Files changed on disk: reload the projects they are part of, forget
    /// what was read of other files (links), and check every buffer again.
    fn files_changed(&mut self, paths: Vec<PathBuf>) {
        self.projects.changed(&paths);
        for entry in &mut self.projects.entries {
            if let Some(project) = &mut entry.project {
                project.refresh_files();
            }
        }
        self.show_load_errors();
        let now = Instant::now();
        for (uri, doc) in &mut self.docs {
            doc.checked = None;
            self.pending.insert(uri.clone(), now);
        }
    }

    /// Shows each new load error once (a message and a diagnostic on the
    /// file at fault) and takes back the diagnostic of a repaired one.
    fn show_load_errors(&mut self) {
        for (index, entry) in self.projects.entries.iter().enumerate() {
            let shown = self.shown_errors.get(&index);
            if shown == entry.error.as_ref() {
                continue;
            }
            if let Some(old) = shown.and_then(|e| e.file.as_deref()).and_then(file_uri) {
                publish(&old, Vec::new(), None);
            }
            match &entry.error {
                Some(error) => {
                    let kept = if entry.project.is_some() {
                        "the last good config stays in use"
                    } else {
                        "nothing is checked until it loads"
                    };
                    let at = error.file.as_ref().map_or(String::new(), |f| {
                        format!(" ({}:{}:{})", f.display(), error.line + 1, error.column + 1)
                    });
                    show_message(
                        MessageType::ERROR,
                        &format!("imprimatur: {}{at}; {kept}", error.message),
                    );
                    if let Some(uri) = error.file.as_deref().and_then(file_uri) {
                        publish(&uri, vec![load_error_diagnostic(error)], None);
                    }
                    self.shown_errors.insert(index, error.clone());
                }
                None => {
                    self.shown_errors.remove(&index);
                }
            }
        }
    }

    /// Checks and publishes every buffer whose debounce has passed.
    fn publish_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Url> = self
            .pending
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            self.pending.remove(&uri);
            let Some(checked) = self.check(&uri) else {
                continue;
            };
            let doc = &self.docs[&uri];
            let diagnostics = match &checked.at {
                Some((entry, _)) => {
                    let Some(project) = &self.projects.entries[*entry].project else {
                        continue;
                    };
                    let min = project.min_level();
                    checked
                        .result
                        .findings
                        .iter()
                        .filter(|f| f.level >= min)
                        .map(|f| {
                            diagnostics::diagnostic(f, &project.policy.rules, &doc.buffer, self.enc)
                        })
                        .collect()
                }
                None => Vec::new(),
            };
            publish(&uri, diagnostics, Some(doc.buffer.version));
        }
    }

    /// The findings of the buffer's current text (checked once per version).
    fn check(&mut self, uri: &Url) -> Option<Checked> {
        let doc = self.docs.get(uri)?;
        if let Some(checked) = doc
            .checked
            .as_ref()
            .filter(|c| c.version == doc.buffer.version)
        {
            return Some(checked.clone());
        }
        let version = doc.buffer.version;
        let at = path_of(uri.as_str()).and_then(|path| {
            let entry = self.projects.entry_for(&path);
            let project = self.projects.entries[entry].project.as_ref()?;
            let rel = project.relative(&path)?;
            project.is_content(&rel).then_some((entry, rel))
        });
        self.show_load_errors();
        let result = match &at {
            Some((entry, rel)) => {
                let project = self.projects.entries[*entry].project.as_mut()?;
                project.set_today(crate::calendar::today());
                project.check_text(rel, self.docs[uri].buffer.text.clone())
            }
            None => FileResult::default(),
        };
        let checked = Checked {
            version,
            at,
            result,
        };
        self.docs.get_mut(uri)?.checked = Some(checked.clone());
        Some(checked)
    }

    fn code_action(&mut self, p: lsp_types::CodeActionParams) -> Value {
        let uri = p.text_document.uri;
        let Some(checked) = self.check(&uri) else {
            return Value::Null;
        };
        let min = self.min_level(&checked);
        let findings: Vec<_> = checked
            .result
            .findings
            .into_iter()
            .filter(|f| f.level >= min)
            .collect();
        let buffer = &self.docs[&uri].buffer;
        let request = actions::Request {
            uri: &uri,
            buffer,
            enc: self.enc,
            range: buffer.offset(p.range.start, self.enc)..buffer.offset(p.range.end, self.enc),
            only: p.context.only,
            snippets: self.snippets,
        };
        json!(actions::code_actions(&request, &findings))
    }

    fn hover(&mut self, p: lsp_types::HoverParams) -> Value {
        let uri = p.text_document_position_params.text_document.uri;
        let pos = p.text_document_position_params.position;
        let Some(Checked {
            at: Some((entry, rel)),
            result,
            ..
        }) = self.check(&uri)
        else {
            return Value::Null;
        };
        let Some(project) = &self.projects.entries[entry].project else {
            return Value::Null;
        };
        let offset = self.docs[&uri].buffer.offset(pos, self.enc);
        let min = project.min_level();
        let under: Vec<_> = result
            .findings
            .iter()
            .filter(|f| f.level >= min && f.span.start <= offset && offset <= f.span.end)
            .collect();
        let mut parts = Vec::new();
        if !under.is_empty() {
            parts.push(governance::explain_findings(project, &under));
        }
        if pos.line == 0 {
            parts.push(governance::hover_markdown(project, &rel));
        }
        if parts.is_empty() {
            return Value::Null;
        }
        json!({"contents": {"kind": "markdown", "value": parts.join("\n\n---\n\n")}})
    }

    fn code_lens(&mut self, p: lsp_types::CodeLensParams) -> Value {
        let Some(Checked {
            at: Some((entry, rel)),
            ..
        }) = self.check(&p.text_document.uri)
        else {
            return json!([]);
        };
        let Some(project) = &self.projects.entries[entry].project else {
            return json!([]);
        };
        let top = lsp_types::Range::new(Position::new(0, 0), Position::new(0, 0));
        json!([{
            "range": top,
            "command": {"title": governance::lens_title(project, &rel), "command": ""},
        }])
    }

    fn min_level(&self, checked: &Checked) -> crate::finding::Level {
        checked
            .at
            .as_ref()
            .and_then(|(entry, _)| self.projects.entries[*entry].project.as_ref())
            .map_or(crate::finding::Level::Info, |p| p.min_level())
    }
}

fn load_error_diagnostic(error: &LoadError) -> lsp_types::Diagnostic {
    let at = Position::new(error.line, error.column);
    lsp_types::Diagnostic {
        range: lsp_types::Range::new(at, Position::new(error.line + 1, 0)),
        severity: Some(lsp_types::DiagnosticSeverity::ERROR),
        code: Some(lsp_types::NumberOrString::String(CONFIG_RULE.into())),
        source: Some(diagnostics::SOURCE.into()),
        message: error.message.clone(),
        ..lsp_types::Diagnostic::default()
    }
}

fn publish(uri: &Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
    let params = lsp_types::PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version,
    };
    send(&Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".into(),
        params,
    )));
}

fn show_message(typ: MessageType, message: &str) {
    let params = lsp_types::ShowMessageParams {
        typ,
        message: message.into(),
    };
    send(&Message::Notification(Notification::new(
        "window/showMessage".into(),
        params,
    )));
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.into())
}

fn uri_of(value: &Value) -> Option<Url> {
    Url::parse(value.as_str()?).ok()
}

/// The file path of a `file:` URI.
fn path_of(uri: &str) -> Option<PathBuf> {
    Url::parse(uri).ok()?.to_file_path().ok()
}

fn file_uri(path: &std::path::Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}
