//! `links`: links, anchors, references and alt text resolve.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain links` prints
//! (`super::kind_docs`).

use super::spec::RuleSpec;
use super::Rule;
use crate::document::Document;
use crate::environment::Environment;
use crate::finding::Finding;

#[derive(Debug)]
pub struct Links {
    pub alt_text: bool,
    pub relative: bool,
    pub anchors: bool,
    pub references: bool,
}

pub fn compile(spec: &RuleSpec) -> Result<Links, String> {
    let links = Links {
        alt_text: spec.alt_text.unwrap_or(false),
        relative: spec.relative.unwrap_or(false),
        anchors: spec.anchors.unwrap_or(false),
        references: spec.references.unwrap_or(false),
    };
    if !(links.alt_text || links.relative || links.anchors || links.references) {
        return Err(
            "a links rule needs a check: `relative`, `anchors`, `references` or `alt_text: true`"
                .into(),
        );
    }
    Ok(links)
}

impl Links {
    pub fn check(&self, rule: &Rule, doc: &Document, env: &Environment) -> Vec<Finding> {
        let mut out = Vec::new();
        for r in &doc.references {
            let found = doc.text[r.range.clone()].to_string();
            if self.alt_text && r.is_image && r.text.trim().is_empty() {
                let message = rule.render("Image '{found}' has no alt text.", &found, "");
                out.push(rule.finding(doc, r.range.clone(), found.clone(), message, None));
            }
            if let Some(problem) = self.destination_problem(doc, &r.dest, env) {
                let message = rule.render(&problem, &r.dest, "");
                out.push(rule.finding(doc, r.range.clone(), found, message, None));
            }
        }
        if self.references {
            for (range, label) in &doc.broken_references {
                let message = rule.render(
                    &format!("No definition for the reference `[{label}]`."),
                    label,
                    "",
                );
                out.push(rule.finding(
                    doc,
                    range.clone(),
                    doc.text[range.clone()].to_string(),
                    message,
                    None,
                ));
            }
        }
        out
    }

    /// What `check` asks the environment about `doc`: which project files
    /// must exist and whose anchors it reads. The findings depend on `doc`
    /// and on the answers alone, so a result can be reused where the answers
    /// are the same (the report's weekly points do).
    pub fn lookups(&self, doc: &Document) -> Vec<Lookup> {
        let mut out = Vec::new();
        for r in &doc.references {
            let Some(d) = destination(doc, &r.dest) else {
                continue;
            };
            if d.path.is_empty() {
                continue;
            }
            if self.relative {
                out.push(Lookup::Exists(d.target.clone()));
            }
            if self.anchors && d.fragment.is_some_and(|f| !f.is_empty()) {
                out.push(Lookup::Anchors(d.target));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Why a link destination does not resolve, if it does not.
    fn destination_problem(&self, doc: &Document, dest: &str, env: &Environment) -> Option<String> {
        let Destination {
            path,
            target,
            fragment,
        } = destination(doc, dest)?;
        if self.relative && !path.is_empty() && env.files.exists(&target) == Some(false) {
            return Some(format!("Link target '{dest}' does not exist."));
        }
        let fragment = fragment.filter(|f| !f.is_empty() && self.anchors)?;
        let anchors = if path.is_empty() {
            Some(doc.anchors())
        } else {
            env.anchors_of(&target)
        };
        let fragment = percent_decode(fragment);
        match anchors {
            Some(a) if !a.contains(&fragment) && !a.contains(&fragment.to_lowercase()) => {
                Some(format!(
                    "Anchor '#{fragment}' does not match a heading in {}.",
                    if path.is_empty() { "this page" } else { path }
                ))
            }
            _ => None,
        }
    }
}

/// A question a `links` rule asks about another project file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lookup {
    /// Does this project-relative path exist (file or directory)?
    Exists(String),
    /// What are the anchors of this file?
    Anchors(String),
}

/// A link destination inside the project.
struct Destination<'a> {
    /// The path part as written (empty for `#fragment` alone).
    path: &'a str,
    /// The project-relative file it names (this page for `#fragment`).
    target: String,
    fragment: Option<&'a str>,
}

/// Where `dest` points; `None` for empty and external destinations and for
/// paths that climb out of the project.
fn destination<'a>(doc: &Document, dest: &'a str) -> Option<Destination<'a>> {
    if dest.is_empty() || is_external(dest) {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let target = if path.is_empty() {
        doc.path.clone()
    } else {
        resolve(&doc.path, &percent_decode(path))?
    };
    Some(Destination {
        path,
        target,
        fragment,
    })
}

/// A URL with a scheme (`https:`, `mailto:`…) or protocol-relative (`//host`).
fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// `dest` relative to the directory of `from` (or to the project root when it
/// starts with `/`); `None` when it climbs out of the project.
fn resolve(from: &str, dest: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dest.starts_with('/') {
        Vec::new()
    } else {
        from.rsplit_once('/')
            .map(|(dir, _)| dir.split('/').collect())
            .unwrap_or_default()
    };
    for part in dest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("docs/a.md", "b.md").as_deref(), Some("docs/b.md"));
        assert_eq!(
            resolve("docs/a.md", "../img/x.png").as_deref(),
            Some("img/x.png")
        );
        assert_eq!(resolve("docs/a.md", "/top.md").as_deref(), Some("top.md"));
        assert_eq!(resolve("a.md", "../../x.md"), None);
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://x.y") && is_external("mailto:a@b") && is_external("//cdn"));
        assert!(!is_external("docs/a.md") && !is_external("#top"));
    }

    #[test]
    fn lookups_are_the_files_a_check_reads() {
        let doc = Document::parse(
            "docs/a.md",
            "[b](b.md#part) [self](#top) [out](https://x.y) [up](../img/x.png) [b again](b.md)\n"
                .to_string(),
        );
        let links = Links {
            alt_text: true,
            relative: true,
            anchors: true,
            references: false,
        };
        assert_eq!(
            links.lookups(&doc),
            [
                Lookup::Exists("docs/b.md".into()),
                Lookup::Exists("img/x.png".into()),
                Lookup::Anchors("docs/b.md".into()),
            ]
        );
        let alt_only = Links {
            relative: false,
            anchors: false,
            ..links
        };
        assert!(alt_only.lookups(&doc).is_empty());
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("my%20page.md"), "my page.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
