//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. One
//! run; `tool.driver.rules` describes every loaded rule (and the built-in
//! checks that reported); each result has its rule, level, message, a
//! repository-relative location, a fingerprint that survives unrelated edits,
//! the fix where there is one, and `suppressions` when a comment silenced it.
//!
//! Columns are Unicode code points (`columnKind: unicodeCodePoints`), the
//! same numbers as the JSON format; `endColumn` is exclusive in both.
//! Serialized from borrowed findings, like the JSON format.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::fingerprint::{fingerprint, occurrences};
use super::{Paths, Report, RuleMeta};
use crate::finding::{Finding, Level, Suppressed};
use crate::gate::Decision;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// The `partialFingerprints` key: ours, versioned so a change of recipe can
/// be told from a change of finding.
const FINGERPRINT_KEY: &str = "imprimatur/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    original_uri_base_ids: HashMap<&'static str, UriBase>,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct UriBase {
    description: Text,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: HashMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: InsertedContent<'a>,
}

#[derive(Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    found: &'a str,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    command: &'static str,
    summary: Summary,
    /// The gate's decision (the JSON format's `gate` object), for `gate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<&'a Decision>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    error: usize,
    warning: usize,
    info: usize,
    suppressed: usize,
}

pub fn write(
    report: &Report,
    decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, decision, paths))?;
    out.write_all(b"\n")
}

fn log<'a>(report: &'a Report, decision: Option<&'a Decision>, paths: &Paths) -> Log<'a> {
    let reported: Vec<&Finding> = report.ci_findings().collect();
    let rules = descriptors(report, &reported);
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // Reported and suppressed findings are numbered together (see fingerprint.rs).
    let all: Vec<&Finding> = reported
        .iter()
        .copied()
        .chain(report.suppressed.iter().map(|s| &s.finding))
        .collect();
    let nth = occurrences(&all);
    let results = reported
        .iter()
        .map(|f| (*f, None))
        .chain(report.suppressed.iter().map(|s| (&s.finding, Some(s))))
        .zip(nth)
        .map(|((f, s), n)| result(f, s, n, &index, paths))
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "imprimatur",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: HashMap::from([(
                "%SRCROOT%",
                UriBase {
                    description: Text {
                        text: "The root of the repository checked.".into(),
                    },
                },
            )]),
            results,
            properties: RunProperties {
                command: super::command(decision),
                summary: Summary {
                    files: report.files,
                    error: report.count(Level::Error),
                    warning: report.count(Level::Warning),
                    info: report.count(Level::Info),
                    suppressed: report.suppressed.len(),
                },
                gate: decision,
            },
        }],
    }
}

/// The loaded rules, then imprimatur's own checks, then (so every result has
/// a descriptor) any other id a result names. The list does not depend on
/// the findings, so the results of `--shard` runs merge by concatenation
/// with their `ruleIndex` intact.
fn descriptors(report: &Report, reported: &[&Finding]) -> Vec<Descriptor> {
    let mut metas: Vec<RuleMeta> = Vec::new();
    for meta in report
        .rules
        .iter()
        .cloned()
        .chain(RuleMeta::internal_rules())
    {
        if !metas.iter().any(|m| m.id == meta.id) {
            metas.push(meta);
        }
    }
    let mut known: std::collections::HashSet<String> = metas.iter().map(|m| m.id.clone()).collect();
    let named = reported
        .iter()
        .copied()
        .chain(report.suppressed.iter().map(|s| &s.finding));
    for f in named {
        if !known.contains(&f.rule) {
            known.insert(f.rule.clone());
            metas.push(RuleMeta {
                id: f.rule.clone(),
                level: f.level,
                kind: "unknown".into(),
                short: f.rule.clone(),
                full: f.rule.clone(),
                link: None,
            });
        }
    }
    metas.iter().map(descriptor).collect()
}

fn descriptor(meta: &RuleMeta) -> Descriptor {
    let markdown = match &meta.link {
        Some(link) => format!("{}\n\n[Policy]({link})", meta.full),
        None => meta.full.clone(),
    };
    Descriptor {
        id: meta.id.clone(),
        // SARIF's `name` is an identifier-like label; GitHub shows it beside the id.
        name: meta.id.replace(['/', '.'], "-"),
        short_description: Text {
            text: meta.short.clone(),
        },
        full_description: Text {
            text: meta.full.clone(),
        },
        help: Help {
            text: meta.help_text(),
            markdown,
        },
        help_uri: meta.link.clone().filter(|l| is_absolute_uri(l)),
        default_configuration: Configuration {
            level: level(meta.level),
        },
        properties: DescriptorProperties {
            tags: vec!["content".into(), meta.kind.clone()],
        },
    }
}

fn result<'a>(
    f: &'a Finding,
    suppressed: Option<&'a Suppressed>,
    occurrence: usize,
    index: &HashMap<&str, usize>,
    paths: &Paths,
) -> SarifResult<'a> {
    let repo_path = paths.repo_path(&f.path);
    let artifact = ArtifactLocation {
        uri: uri_path(&repo_path),
        uri_base_id: "%SRCROOT%",
    };
    let region = Region {
        start_line: f.span.line,
        start_column: f.span.column,
        end_line: f.span.end_line,
        end_column: f.span.end_column,
    };
    let fixes = f
        .fix
        .iter()
        .map(|fix| SarifFix {
            description: Text {
                text: format!("Replace '{}' with '{}'.", f.found, fix.replacement),
            },
            artifact_changes: [ArtifactChange {
                artifact_location: artifact.clone(),
                replacements: [Replacement {
                    deleted_region: region,
                    inserted_content: InsertedContent {
                        text: &fix.replacement,
                    },
                }],
            }],
        })
        .collect();
    let suppressions = suppressed
        .map(|s| Suppression {
            kind: "inSource",
            justification: s.reason.clone(),
        })
        .into_iter()
        .collect();
    SarifResult {
        rule_id: &f.rule,
        rule_index: index.get(f.rule.as_str()).copied(),
        level: level(f.level),
        message: Text {
            text: f.message.clone(),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact,
                region,
            },
        }],
        partial_fingerprints: HashMap::from([(
            FINGERPRINT_KEY,
            fingerprint(&f.rule, &repo_path, &f.found, occurrence),
        )]),
        fixes,
        suppressions,
        properties: ResultProperties { found: &f.found },
    }
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

fn is_absolute_uri(link: &str) -> bool {
    link.split_once("://").is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
    })
}

/// A repository path as a relative URI reference: every byte outside RFC
/// 3986's unreserved set, sub-delimiters, `:`, `@` and `/` percent-encoded
/// (a space, `#`, `?`, `%` and non-ASCII characters would otherwise change
/// the meaning of the URI).
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
        // A colon in the first segment would read as a scheme.
        let colon_ok = b == b':' && path[..i].contains('/');
        if plain || colon_ok {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_percent_encode_what_would_change_their_meaning() {
        assert_eq!(uri_path("content/a-b_c.md"), "content/a-b_c.md");
        assert_eq!(uri_path("my docs/100%.md"), "my%20docs/100%25.md");
        assert_eq!(uri_path("café/#1?.md"), "caf%C3%A9/%231%3F.md");
        assert_eq!(uri_path("a:b/c:d.md"), "a%3Ab/c:d.md");
    }

    #[test]
    fn only_absolute_links_become_help_uris() {
        assert!(is_absolute_uri("https://acme.example/policy"));
        assert!(!is_absolute_uri("docs/policy.md"));
        assert!(!is_absolute_uri("://x"));
    }
}
