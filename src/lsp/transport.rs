//! JSON-RPC framing over stdio (`Content-Length` headers). lsp-server's own
//! stdio transport ends the connection on the first malformed payload; here
//! a malformed message gets a JSON-RPC error (parse error, invalid request)
//! and the reader goes on with the next one, so the editor session survives.

use std::io::{BufRead, Write};
use std::sync::mpsc::{self, Receiver};

use lsp_server::Message;
use serde_json::{json, Value};

/// JSON-RPC error codes (the JSON-RPC 2.0 and LSP specifications).
pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;

/// Writes one message to standard output, whole (stdout's lock keeps
/// frames from the reader thread and the main loop apart).
pub fn send(message: &Message) {
    let mut out = std::io::stdout().lock();
    // A closed stdout means the editor is gone; the reader sees EOF next.
    let _ = message.write(&mut out).and_then(|_| out.flush());
}

/// Writes a raw JSON-RPC value (an error whose id is `null`, which
/// lsp-server's `Response` cannot carry).
fn send_raw(value: &Value) {
    let text = value.to_string();
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "Content-Length: {}\r\n\r\n{text}", text.len()).and_then(|_| out.flush());
}

/// Reads messages from standard input on a thread of its own; the channel
/// closes at end of input or after `exit`.
pub fn spawn_reader() -> Receiver<Message> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("imprimatur-lsp-reader".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            read_messages(&mut input, |message| sender.send(message).is_ok(), send_raw);
        })
        .expect("the reader thread starts");
    receiver
}

/// Reads frames until end of input, handing each message to `deliver`
/// (which says whether to go on); malformed ones get the JSON-RPC error
/// handed to `reject`.
pub fn read_messages(
    input: &mut dyn BufRead,
    mut deliver: impl FnMut(Message) -> bool,
    mut reject: impl FnMut(&Value),
) {
    loop {
        let body = match read_frame(input) {
            Frame::Body(body) => body,
            Frame::Malformed(why) => {
                reject(&error(Value::Null, PARSE_ERROR, &why));
                continue;
            }
            Frame::End => return,
        };
        let message = match parse(&body) {
            Ok(message) => message,
            Err(rejection) => {
                reject(&rejection);
                continue;
            }
        };
        let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if !deliver(message) || is_exit {
            return;
        }
    }
}

/// A message, or the JSON-RPC error saying why the body is not one.
fn parse(body: &[u8]) -> Result<Message, Value> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| error(Value::Null, PARSE_ERROR, &format!("not JSON: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let shaped = value.is_object()
        && (value.get("method").is_some_and(Value::is_string)
            || value.get("result").is_some()
            || value.get("error").is_some());
    let why = "not a JSON-RPC request, notification or response";
    serde_json::from_value::<Message>(value)
        .ok()
        .filter(|_| shaped)
        .ok_or_else(|| error(id, INVALID_REQUEST, why))
}

fn error(id: Value, code: i32, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

enum Frame {
    Body(Vec<u8>),
    Malformed(String),
    End,
}

/// One `Content-Length`-framed body. A header block without a length is
/// malformed; the next block is read as if nothing happened.
fn read_frame(input: &mut dyn BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut bad_header: Option<String> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !saw_header {
                continue; // stray blank lines between frames
            }
            break;
        }
        saw_header = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {} // Content-Type and other headers
            None => bad_header = Some(format!("malformed header `{line}`")),
        }
    }
    let Some(length) = length.filter(|_| bad_header.is_none()) else {
        return Frame::Malformed(bad_header.unwrap_or_else(|| "no Content-Length header".into()));
    };
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Frame::Body(body),
        Err(_) => Frame::End,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_frames_are_skipped_and_the_next_message_is_read() {
        let input = [
            "garbage line\r\n\r\n".to_string(),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"never-read"}"#),
        ]
        .concat();
        let mut got = Vec::new();
        let mut rejected = Vec::new();
        read_messages(
            &mut input.as_bytes(),
            |m| {
                got.push(m);
                true
            },
            |e| rejected.push((e["id"].clone(), e["error"]["code"].as_i64().unwrap())),
        );
        let parse_error = (Value::Null, i64::from(PARSE_ERROR));
        let invalid = (json!(7), i64::from(INVALID_REQUEST));
        assert_eq!(rejected, [parse_error.clone(), parse_error, invalid]);
        let methods: Vec<String> = got
            .iter()
            .map(|m| match m {
                Message::Request(r) => r.method.clone(),
                Message::Notification(n) => n.method.clone(),
                Message::Response(_) => "response".into(),
            })
            .collect();
        assert_eq!(methods, ["shutdown", "exit"]);
    }
}
