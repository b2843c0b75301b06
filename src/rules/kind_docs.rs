//! The documentation of each rule kind, from its one source: the sections
//! of `docs/rule-kinds.md`, embedded in the binary. A section runs from its
//! `<!-- kind: NAME -->` marker to the next marker; it is what `rules
//! --explain KIND` prints, and its first paragraph is the kind's one-line
//! summary (`Kind::summary`, the `kind:` line of `rules --explain ID`, SARIF's
//! description of a rule without one). The docs page and the binary
//! therefore never disagree.

use std::sync::OnceLock;

/// The reference page, as the binary ships it.
const PAGE: &str = include_str!("../../docs/rule-kinds.md");
const MARKER: &str = "<!-- kind: ";
const END: &str = "<!-- end of kinds -->";

/// One kind's documentation.
#[derive(Debug)]
pub struct KindDoc {
    /// The kind as packs write it (`forbid`, `front-matter`), or `vale` for
    /// the rules of Vale styles.
    pub name: &'static str,
    /// The section's Markdown, from its heading to the next marker.
    pub text: &'static str,
    /// The first paragraph on one line, first letter in lower case and
    /// without its full stop, to follow `kind: ` in a sentence.
    pub summary: String,
}

impl KindDoc {
    /// The `rules --explain KIND` text: the section, and where the keys every
    /// rule takes are described.
    pub fn explanation(&self) -> String {
        format!(
            "{}\n\nKeys every rule takes, scopes and packs: docs/rule-kinds.md\n",
            self.text
        )
    }
}

/// Every kind's documentation, in the page's order.
pub fn all() -> &'static [KindDoc] {
    static DOCS: OnceLock<Vec<KindDoc>> = OnceLock::new();
    DOCS.get_or_init(|| parse(PAGE))
}

/// The documentation of the kind called `name`.
pub fn get(name: &str) -> Option<&'static KindDoc> {
    all().iter().find(|d| d.name == name)
}

/// The one-line summary of the kind called `name` (empty for a kind the
/// page does not document, which a test rules out).
pub fn summary(name: &str) -> &'static str {
    get(name).map_or("", |d| d.summary.as_str())
}

/// The sections of `page` between kind markers.
fn parse(page: &'static str) -> Vec<KindDoc> {
    let page = page.split(END).next().unwrap_or(page);
    page.split(MARKER)
        .skip(1)
        .filter_map(|part| {
            let (name, text) = part.split_once("-->")?;
            let text = text.trim();
            Some(KindDoc {
                name: name.trim(),
                text,
                summary: summary_of(text),
            })
        })
        .collect()
}

/// The paragraph after the section's heading, as a sentence fragment.
fn summary_of(section: &str) -> String {
    let body = section.split_once('\n').map_or("", |(_, rest)| rest);
    let paragraph = body.trim_start().split("\n\n").next().unwrap_or("");
    let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line.strip_suffix('.').unwrap_or(&line);
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::spec::KindName;

    /// Every kind a pack can name, plus Vale's.
    fn kinds() -> Vec<&'static str> {
        let mut names: Vec<&str> = KindName::ALL.iter().map(|k| k.as_str()).collect();
        names.push("vale");
        names
    }

    #[test]
    fn every_kind_has_a_section_and_every_section_a_kind() {
        let documented: Vec<&str> = all().iter().map(|d| d.name).collect();
        assert_eq!(documented, kinds());
    }

    #[test]
    fn each_section_opens_with_its_heading_and_a_one_sentence_summary() {
        for doc in all() {
            let heading = doc.text.lines().next().unwrap();
            assert!(heading.starts_with("## "), "{}: {heading}", doc.name);
            assert!(
                doc.name == "vale" || heading == format!("## `{}`", doc.name),
                "{heading}"
            );
            assert!(!doc.summary.is_empty(), "{}", doc.name);
            assert!(!doc.summary.contains("]("), "a link in {}", doc.name);
            assert!(
                !doc.summary.contains(". "),
                "two sentences: {}",
                doc.summary
            );
            assert!(!doc.text.contains(MARKER), "{}", doc.name);
            assert!(doc.text.contains("```yaml") || doc.name == "vale");
        }
    }

    /// The summaries `rules --explain` and SARIF have always printed.
    #[test]
    fn summaries_read_as_before() {
        assert_eq!(
            summary("forbid"),
            "terms and patterns that must not appear (whole words; exceptions and `unless` allow substantiated uses)"
        );
        assert_eq!(
            summary("substitute"),
            "wrong spellings with their right form; `--fix` rewrites them"
        );
        assert_eq!(
            summary("require"),
            "a page that matches `when` must also contain `then`"
        );
        assert_eq!(
            summary("front-matter"),
            "required front-matter keys, allowed values and value types"
        );
        assert_eq!(
            summary("dates"),
            "expiry in the past, embargo in the future, last review older than the limit"
        );
        assert_eq!(summary("no-such-kind"), "");
    }

    #[test]
    fn a_section_ends_at_the_next_marker() {
        let docs = parse(
            "intro\n<!-- kind: a -->\n## `a`\n\nDoes A.\nStill A.\n\nMore.\n<!-- kind: b -->\n## `b`\n\nB.\n<!-- end of kinds -->\ntail",
        );
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "## `a`\n\nDoes A.\nStill A.\n\nMore.");
        assert_eq!(docs[0].summary, "does A. Still A");
        assert_eq!(docs[1].text, "## `b`\n\nB.");
        assert_eq!(docs[1].summary, "b");
    }
}
