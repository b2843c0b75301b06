//! Code actions: a `substitute` finding's fix (quick fix), every fix in the
//! file (`source.fixAll.imprimatur`, the same edits as `check --fix`), and a
//! suppression comment for the finding's line.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Url, WorkspaceEdit};
use serde_json::{json, Value};

use super::text::{Buffer, Encoding};
use crate::finding::Finding;

pub const FIX_ALL: &str = "source.fixAll.imprimatur";

/// What the client can take and asks for.
pub struct Request<'a> {
    pub uri: &'a Url,
    pub buffer: &'a Buffer,
    pub enc: Encoding,
    /// Byte range the editor asks about.
    pub range: std::ops::Range<usize>,
    /// `context.only`: the kinds wanted (all when `None`).
    pub only: Option<Vec<CodeActionKind>>,
    /// The client applies snippet text edits (`${1:…}` placeholders).
    pub snippets: bool,
}

impl Request<'_> {
    fn wants(&self, kind: &str) -> bool {
        self.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
        })
    }

    fn edit(&self, edits: Vec<TextEdit>) -> WorkspaceEdit {
        WorkspaceEdit {
            changes: Some(HashMap::from([(self.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }

    fn text_edit(&self, finding: &Finding) -> Option<TextEdit> {
        Some(TextEdit {
            range: self
                .buffer
                .range(finding.span.start..finding.span.end, self.enc),
            new_text: finding.fix.as_ref()?.replacement.clone(),
        })
    }
}

/// The actions for `request` over the buffer's current `findings`.
pub fn code_actions(request: &Request, findings: &[Finding]) -> Vec<Value> {
    let text = &request.buffer.text;
    let fixable = crate::fix::fixes_to_apply(text, findings);
    let touches =
        |f: &Finding| f.span.start <= request.range.end && request.range.start <= f.span.end;
    let mut out = Vec::new();
    if request.wants(CodeActionKind::QUICKFIX.as_str()) {
        for finding in fixable.iter().filter(|f| touches(f)) {
            let replacement = &finding.fix.as_ref().expect("fixable").replacement;
            let action = CodeAction {
                title: format!("Replace '{}' with '{replacement}'", finding.found),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(request.edit(request.text_edit(finding).into_iter().collect())),
                is_preferred: Some(true),
                ..CodeAction::default()
            };
            out.push(json!(action));
        }
        let body = body_start(text);
        for finding in findings
            .iter()
            .filter(|f| touches(f) && f.span.start >= body)
        {
            out.push(suppress_action(request, finding));
        }
    }
    if !fixable.is_empty() && request.wants(FIX_ALL) {
        let edits = fixable
            .iter()
            .filter_map(|f| request.text_edit(f))
            .collect();
        let action = CodeAction {
            title: format!(
                "Fix all imprimatur findings in this file ({})",
                fixable.len()
            ),
            kind: Some(CodeActionKind::from(FIX_ALL)),
            edit: Some(request.edit(edits)),
            ..CodeAction::default()
        };
        out.push(json!(action));
    }
    out
}

/// "Suppress RULE on this line": a `disable-next-line` comment above the
/// finding's line, at its indentation, with the reason left to the writer.
/// With snippet support the cursor lands in the reason; without it, the
/// reason is empty, and `require_reason` reports that on the comment line,
/// in plain sight. `data.snippet` carries the snippet for clients (the VS
/// Code extension) that insert it themselves.
fn suppress_action(request: &Request, finding: &Finding) -> Value {
    let text = &request.buffer.text;
    let line_start = text[..finding.span.start].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let comment = |reason: &str| {
        format!(
            "{indent}<!-- imprimatur-disable-next-line {} -- {reason} -->{newline}",
            finding.rule
        )
    };
    let at = request.buffer.range(line_start..line_start, request.enc);
    let snippet = comment("${1:reason}");
    let edit = if request.snippets {
        snippet_edit(request.uri, at, &snippet)
    } else {
        json!(request.edit(vec![TextEdit {
            range: at,
            new_text: comment(""),
        }]))
    };
    json!({
        "title": format!("Suppress {} on this line", finding.rule),
        "kind": CodeActionKind::QUICKFIX,
        "edit": edit,
        "data": {"snippet": snippet, "position": at.start},
    })
}

/// A workspace edit whose text is a snippet (rust-analyzer's
/// `snippetTextEdit` extension: `insertTextFormat` 2 in `documentChanges`).
fn snippet_edit(uri: &Url, at: Range, snippet: &str) -> Value {
    json!({
        "documentChanges": [{
            "textDocument": {"uri": uri, "version": null},
            "edits": [{"range": at, "newText": snippet, "insertTextFormat": 2}],
        }]
    })
}

/// Where the body starts: after YAML front matter, where an HTML comment
/// would break it, so no suppression is offered there.
fn body_start(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("---") else {
        return 0;
    };
    if !rest.starts_with(['\n', '\r']) {
        return 0;
    }
    let mut lines = rest.split_inclusive('\n');
    let mut offset = 3 + lines.next().map_or(0, str::len);
    for line in lines {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return offset;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::body_start;

    #[test]
    fn the_body_starts_after_front_matter() {
        let text = "---\ntitle: A\n---\nBody";
        assert_eq!(&text[body_start(text) - 1..], "\nBody");
        assert_eq!(body_start("No front matter"), 0);
        assert_eq!(body_start("---\nunclosed"), 0);
    }
}
