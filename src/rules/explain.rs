//! A rule explained in plain text, as `rules --explain ID` prints it and the
//! language server shows it on hover: id, kind, level, the pack it comes
//! from, what it matches, its message, description and examples.

use std::path::Path;

use crate::rules::Rule;

/// A pack file path relative to the project root; built-in names as they are.
pub fn origin(rule: &Rule, root: &Path) -> String {
    Path::new(&rule.origin)
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| rule.origin.clone())
}

/// The `--explain` text of one rule; `origin` is its pack as shown.
pub fn explanation(rule: &Rule, origin: &str) -> String {
    let mut out = format!(
        "{}  ({}, {})\nfrom: {origin}\n",
        rule.id,
        rule.kind.name(),
        rule.level,
    );
    out.push_str(&format!("kind: {}\n", rule.kind.summary()));
    for line in rule.kind.details() {
        out.push_str(&format!("{line}\n"));
    }
    if let Some(message) = &rule.message {
        out.push_str(&format!("message: {message}\n"));
    }
    if let Some(description) = &rule.description {
        out.push_str(&format!("\n{}\n", description.trim()));
    }
    for (title, examples) in [
        ("Flagged", &rule.examples.bad),
        ("Accepted", &rule.examples.good),
    ] {
        if !examples.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for e in examples {
                out.push_str(&format!("  {e}\n"));
            }
        }
    }
    if let Some(link) = &rule.link {
        out.push_str(&format!("\nPolicy: {link}\n"));
    }
    out.push_str(&format!(
        "\nSilence one occurrence with: <!-- imprimatur-disable-next-line {} -- reason -->\n",
        rule.id
    ));
    out
}
