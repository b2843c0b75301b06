//! Applies fixes: each is a span and a replacement. Only spans whose source
//! still equals the found text are rewritten; overlapping fixes keep the
//! first. Files are replaced atomically (temp file + rename in the same
//! directory) with their permissions kept; line endings and BOM are untouched
//! because only the fixed spans change.

use std::io::Write;
use std::path::Path;

use crate::finding::Finding;

/// `text` with every provable, non-overlapping fix applied, and how many.
pub fn apply_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let fixes = fixes_to_apply(text, findings);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in &fixes {
        out.push_str(&text[at..f.span.start]);
        out.push_str(&f.fix.as_ref().expect("filtered on fix").replacement);
        at = f.span.end;
    }
    out.push_str(&text[at..]);
    (out, fixes.len())
}

/// The findings whose fixes `apply_fixes` applies, in text order: those
/// whose span still holds the found text, the first of overlapping ones.
pub fn fixes_to_apply<'a>(text: &str, findings: &'a [Finding]) -> Vec<&'a Finding> {
    let mut fixes: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.fix.is_some() && text.get(f.span.start..f.span.end) == Some(f.found.as_str()))
        .collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut at = 0;
    fixes.retain(|f| {
        let keep = f.span.start >= at;
        if keep {
            at = f.span.end;
        }
        keep
    });
    fixes
}

/// Replaces `path`'s contents atomically, keeping its permissions.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Level, Span};

    fn finding(start: usize, end: usize, found: &str, to: &str) -> Finding {
        Finding {
            path: "a.md".into(),
            rule: "x/y".into(),
            level: Level::Warning,
            message: String::new(),
            found: found.into(),
            span: Span {
                start,
                end,
                ..Span::default()
            },
            fix: Some(Fix {
                replacement: to.into(),
            }),
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn applies_only_provable_fixes() {
        let text = "Github and Github\r\n";
        let findings = [
            finding(0, 6, "Github", "GitHub"),
            finding(11, 17, "Gitlab", "GitLab"),
        ];
        let (out, n) = apply_fixes(text, &findings);
        assert_eq!(out, "GitHub and Github\r\n");
        assert_eq!(n, 1);
    }

    #[test]
    fn skips_overlaps() {
        let text = "abc";
        let (out, n) = apply_fixes(text, &[finding(0, 2, "ab", "X"), finding(1, 3, "bc", "Y")]);
        assert_eq!((out.as_str(), n), ("Xc", 1));
    }
}
