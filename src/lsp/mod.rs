//! `imprimatur lsp`: a Language Server (LSP 3.17, JSON-RPC over stdio), a
//! face on top of the library like the CLI. Writers see, while they type,
//! the findings `check` would report for the unsaved buffer, fix them with
//! code actions, read a rule's explanation on hover, and see who owns the
//! page and which approvals publishing it needs.
//!
//! - `transport`: framing; malformed messages get JSON-RPC errors.
//! - `server`: the main loop: lifecycle, buffers, debounce, one request's
//!   panic caught and answered.
//! - `projects`: projects per config/repository/folder, reloads, last good config.
//! - `text`: buffers, incremental edits, position encodings.
//! - `diagnostics`, `actions`, `governance`: what the editor is shown.
//!
//! lsp-server (rust-analyzer's message types, synchronous) and lsp-types:
//! a check answers from memory in milliseconds, so a single thread and a
//! channel need no async runtime.

mod actions;
mod diagnostics;
mod governance;
mod projects;
mod server;
pub mod text;
mod transport;

/// Serves on stdin/stdout until `exit` or the end of input; the exit status.
pub fn run() -> i32 {
    server::serve(transport::spawn_reader())
}
