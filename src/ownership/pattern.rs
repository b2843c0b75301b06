//! CODEOWNERS path patterns, compiled once to a regex plus a cheap literal
//! prefilter.
//!
//! Why hand-compiled to `regex` rather than `globset`: both dialects differ
//! from globset's glob language in ways that decide ownership. GitHub reads
//! `[` `]` `{` `}` literally (`/apps/[param]/file.ts` names a Next.js route,
//! not a character class) and gives `foo/*`, `foo/` and `foo` three different
//! meanings that globset has no switch for; GitLab is Ruby's
//! `File.fnmatch(FNM_PATHNAME | FNM_DOTMATCH)` after its own normalisation,
//! where `**` is only special as a whole `**/` segment. Writing the
//! translation down keeps each rule visible and tested against the public
//! conformance tables.
//!
//! Paths are repository-relative with `/` and no leading slash.

use regex::Regex;

/// A compiled CODEOWNERS pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    regex: Regex,
    /// Every match starts with this literal text (empty when unanchored).
    prefix: String,
    /// Every match contains this literal text (the longest literal run).
    needle: String,
    /// Every match has this whole first path segment.
    first_segment: Option<String>,
}

impl Pattern {
    /// Compiles a GitHub (gitignore-style) pattern, backslash escapes kept.
    ///
    /// - a leading `/` or a slash in the middle anchors the pattern at the root;
    ///   otherwise it matches at any depth (an implicit leading `**/`);
    /// - a trailing `/` matches only below a directory (`foo/` owns `foo/x`,
    ///   not a file `foo`);
    /// - a last segment other than `*` and `**` also owns everything below a
    ///   directory of that name, while a last segment `*` matches direct
    ///   children only (`docs/*` owns `docs/a.md` and the directory path
    ///   `docs/sub/`, not `docs/sub/b.md`);
    /// - `**` as a whole segment spans zero or more directories; `*` and `?`
    ///   never cross `/`; `\x` is a literal `x`; everything else is literal.
    pub fn github(text: &str) -> Result<Pattern, String> {
        let mut segments: Vec<&str> = text.split('/').collect();
        if segments[0].is_empty() {
            segments.remove(0);
        } else if (segments.len() == 1 || (segments.len() == 2 && segments[1].is_empty()))
            && segments[0] != "**"
        {
            segments.insert(0, "**");
        }
        if segments.len() > 1 && segments.last() == Some(&"") {
            *segments.last_mut().expect("not empty") = "**";
        }
        if segments.iter().all(|s| s.is_empty()) {
            return Err(format!("pattern '{text}' names no path"));
        }

        let mut out = Builder::new();
        let last = segments.len() - 1;
        let mut need_slash = false;
        for (i, segment) in segments.iter().enumerate() {
            match *segment {
                "**" => {
                    if i == 0 && i == last {
                        out.wild(".+");
                    } else if i == 0 {
                        out.wild("(?:.+/)?");
                        need_slash = false;
                    } else if i == last {
                        out.literal('/');
                        out.wild(".*");
                    } else {
                        out.wild("(?:/.+)?");
                        need_slash = true;
                    }
                }
                "*" => {
                    if need_slash {
                        out.literal('/');
                    }
                    out.wild("[^/]+");
                    if i == last {
                        // A directory asked for as `dir/` is still a direct child.
                        out.wild("/?");
                    }
                    need_slash = true;
                }
                _ => {
                    if need_slash {
                        out.literal('/');
                    }
                    let mut chars = segment.chars();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => out.literal(chars.next().unwrap_or('\\')),
                            '*' => out.wild("[^/]*"),
                            '?' => out.wild("[^/]"),
                            c => out.literal(c),
                        }
                    }
                    if i == last {
                        out.segment_end();
                        out.wild("(?:/.*)?");
                    }
                    need_slash = true;
                }
            }
        }
        out.finish(text)
    }

    /// Compiles a GitLab pattern the way GitLab does: `*` becomes `/**/*`; a
    /// pattern without a leading `/` is prefixed with `/**/` (relative
    /// patterns match at any depth, `internal/README.md` included); a trailing
    /// `/` gets `**/*`; the result is matched with Ruby's `File.fnmatch` and
    /// the flags `FNM_PATHNAME | FNM_DOTMATCH`. Consequently a pattern without
    /// a trailing slash matches a file of that name only, never the contents
    /// of a directory of that name.
    ///
    /// The escapes GitLab strips before matching (`\#` at the start, `\ `)
    /// need no special case: fnmatch reads `\x` as a literal `x` anyway.
    pub fn gitlab(text: &str) -> Result<Pattern, String> {
        let mut normalized = if text == "*" {
            "/**/*".to_string()
        } else if text.starts_with('/') {
            text.to_string()
        } else {
            format!("/**/{text}")
        };
        if normalized.ends_with('/') {
            normalized.push_str("**/*");
        }
        if normalized.len() == 1 {
            return Err(format!("pattern '{text}' names no path"));
        }
        let chars: Vec<char> = normalized[1..].chars().collect();
        let mut out = Builder::new();
        let mut i = 0;
        let mut segment_start = true;
        while i < chars.len() {
            let c = chars[i];
            if c == '*'
                && segment_start
                && chars.get(i + 1) == Some(&'*')
                && chars.get(i + 2) == Some(&'/')
            {
                out.wild("(?:[^/]*/)*");
                i += 3;
                continue;
            }
            segment_start = false;
            match c {
                '*' => out.wild("[^/]*"),
                '?' => out.wild("[^/]"),
                '\\' => {
                    i += 1;
                    out.literal(chars.get(i).copied().unwrap_or('\\'));
                }
                '[' => match bracket_class(&chars[i..]) {
                    Some((class, len)) => {
                        out.wild(&class);
                        i += len - 1;
                    }
                    None => out.literal('['),
                },
                '/' => {
                    out.literal('/');
                    segment_start = true;
                }
                c => out.literal(c),
            }
            i += 1;
        }
        out.finish(text)
    }

    /// The literal first path segment of every path this pattern matches,
    /// when the pattern fixes one (`/docs/*.md` → `docs`).
    pub fn first_segment(&self) -> Option<&str> {
        self.first_segment.as_deref()
    }

    /// Literal text every match contains (empty when there is none).
    pub(super) fn needle(&self) -> &str {
        &self.needle
    }

    /// The pattern as written in the CODEOWNERS file.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_match(&self, path: &str) -> bool {
        path.starts_with(&self.prefix)
            && (self.needle.len() <= self.prefix.len() || path.contains(&self.needle))
            && self.regex.is_match(path)
    }
}

/// Translates an fnmatch bracket expression starting at `chars[0] == '['`
/// into a regex class that never matches `/` (FNM_PATHNAME). Returns the
/// class and the number of characters consumed, or `None` when the bracket
/// is not closed (then `[` is a literal, as in fnmatch).
fn bracket_class(chars: &[char]) -> Option<(String, usize)> {
    let mut i = 1;
    let negated = matches!(chars.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut items = String::new();
    let mut first = true;
    loop {
        let mut c = *chars.get(i)?;
        if c == ']' && !first {
            break;
        }
        first = false;
        if c == '\\' {
            i += 1;
            c = *chars.get(i)?;
        }
        items.push_str(&format!("\\x{{{:X}}}", c as u32));
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            let mut end = chars[i + 2];
            i += 2;
            if end == '\\' {
                i += 1;
                end = *chars.get(i)?;
            }
            if end < c {
                return None;
            }
            items.push_str(&format!("-\\x{{{:X}}}", end as u32));
        }
        i += 1;
    }
    let class = if negated {
        format!("[^{items}/]")
    } else {
        format!("[{items}&&[^/]]")
    };
    Some((class, i + 1))
}

/// Accumulates a regex and the literal facts used to skip it cheaply.
struct Builder {
    regex: String,
    prefix: String,
    in_prefix: bool,
    run: String,
    needle: String,
    first_segment: Option<String>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            regex: String::from("^"),
            prefix: String::new(),
            in_prefix: true,
            run: String::new(),
            needle: String::new(),
            first_segment: None,
        }
    }

    /// Marks the end of a literal segment: only `/` or the end can follow.
    fn segment_end(&mut self) {
        if self.in_prefix && self.first_segment.is_none() {
            self.first_segment = Some(self.prefix.clone());
        }
    }

    fn literal(&mut self, c: char) {
        if c == '/' {
            self.segment_end();
        }
        let mut buf = [0; 4];
        self.regex.push_str(&regex::escape(c.encode_utf8(&mut buf)));
        if self.in_prefix {
            self.prefix.push(c);
        }
        self.run.push(c);
    }

    fn wild(&mut self, regex: &str) {
        self.regex.push_str(regex);
        self.in_prefix = false;
        self.end_run();
    }

    fn end_run(&mut self) {
        if self.run.len() > self.needle.len() {
            self.needle = std::mem::take(&mut self.run);
        } else {
            self.run.clear();
        }
    }

    fn finish(mut self, text: &str) -> Result<Pattern, String> {
        self.segment_end();
        self.end_run();
        self.regex.push('$');
        let regex = Regex::new(&self.regex).map_err(|e| format!("pattern '{text}': {e}"))?;
        Ok(Pattern {
            text: text.to_string(),
            regex,
            prefix: self.prefix,
            needle: self.needle,
            first_segment: self.first_segment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gh(pattern: &str, path: &str) -> bool {
        Pattern::github(pattern).unwrap().is_match(path)
    }

    fn gl(pattern: &str, path: &str) -> bool {
        Pattern::gitlab(pattern).unwrap().is_match(path)
    }

    #[test]
    fn github_unanchored_name_matches_at_any_depth_and_below() {
        assert!(gh("foo", "foo"));
        assert!(gh("foo", "bar/foo/baz"));
        assert!(!gh("foo", "foo.txt"));
        assert!(!gh("foo", "bar/foo.txt"));
    }

    #[test]
    fn github_middle_slash_anchors() {
        assert!(gh("foo/bar", "foo/bar/baz"));
        assert!(!gh("foo/bar", "baz/foo/bar"));
        assert!(!gh("internal/README.md", "docs/internal/README.md"));
    }

    #[test]
    fn github_trailing_slash_is_directory_only() {
        assert!(!gh("foo/", "foo"));
        assert!(gh("foo/", "bar/foo/baz"));
        assert!(!gh("/foo/", "bar/foo/baz"));
    }

    #[test]
    fn github_star_segment_is_direct_children_only() {
        assert!(gh("docs/*", "docs/a.md"));
        assert!(!gh("docs/*", "docs/sub/b.md"));
        assert!(gh("f*", "foo/bar/baz"));
        assert!(!gh("/*", "foo/bar"));
        assert!(gh("*", "a/b/c"));
        assert!(gh("*", "src/"));
        assert!(gh("docs/*", "docs/sub/"));
    }

    #[test]
    fn github_globstar_forms() {
        assert!(gh("**/foo/bar", "qux/foo/bar/baz"));
        assert!(!gh("foo/bar/**", "foo/bar"));
        assert!(gh("foo/**/bar", "foo/bar"));
        assert!(gh("foo/**/bar", "foo/a/b/bar/c"));
        assert!(!gh("foo/**/bar", "qux/foo/bar"));
    }

    #[test]
    fn github_brackets_and_escapes_are_literal() {
        assert!(gh("/apps/[param]/file.ts", "apps/[param]/file.ts"));
        assert!(!gh("/apps/[param]/file.ts", "apps/p/file.ts"));
        assert!(gh("f\\*o", "f*o"));
        assert!(!gh("f\\*o", "foo"));
        assert!(gh("foo\\ bar", "x/foo bar"));
    }

    #[test]
    fn gitlab_relative_patterns_are_globstar() {
        assert!(gl("internal/README.md", "internal/README.md"));
        assert!(gl("internal/README.md", "docs/api/internal/README.md"));
        assert!(gl("README.md", "README.md"));
        assert!(!gl("/README.md", "docs/README.md"));
    }

    #[test]
    fn gitlab_directory_needs_trailing_slash() {
        assert!(gl("/docs/", "docs/a/b.md"));
        assert!(!gl("/docs", "docs/a.md"));
        assert!(gl("/docs", "docs"));
        assert!(gl("docs/", "x/docs/a.md"));
    }

    #[test]
    fn gitlab_fnmatch_wildcards() {
        assert!(gl("/docs/*", "docs/a.md"));
        assert!(!gl("/docs/*", "docs/a/b.md"));
        assert!(gl("/docs/**/index.md", "docs/index.md"));
        assert!(gl("/docs/**/index.md", "docs/api/graphql/index.md"));
        assert!(gl("*", ".gitignore"));
        assert!(gl("*.rb", "app/models/.hidden.rb"));
        assert!(gl("/config/**/*.rb", "config/app/x.rb"));
        assert!(gl("/config/**/*.rb", "config/routes.rb"));
        // `**` that is not a whole `**/` segment is a plain `*`.
        assert!(!gl("/docs/**", "docs/a/b.md"));
    }

    #[test]
    fn gitlab_classes_and_escapes() {
        assert!(gl("/src/*.[ch]", "src/main.c"));
        assert!(!gl("/src/*.[ch]", "src/main.o"));
        assert!(gl("/src/[!m]*", "src/lib.c"));
        assert!(!gl("/src/[!m]*", "src/main.c"));
        assert!(gl("/a[/b", "a[/b"));
        assert!(gl("\\#file.rb", "lib/#file.rb"));
        assert!(gl("path\\ with\\ spaces/*.md", "path with spaces/a.md"));
    }

    #[test]
    fn prefilter_agrees_with_regex() {
        let p = Pattern::github("/docs/guide/").unwrap();
        assert_eq!(p.prefix, "docs/guide/");
        assert!(p.is_match("docs/guide/a.md"));
        assert_eq!(p.first_segment(), Some("docs"));
        let p = Pattern::github("*.md").unwrap();
        assert_eq!(p.needle, ".md");
        assert_eq!(p.first_segment(), None);
        let first = |p: &str| {
            Pattern::github(p)
                .unwrap()
                .first_segment()
                .map(str::to_string)
        };
        assert_eq!(first("/docs").as_deref(), Some("docs"));
        assert_eq!(first("docs/a*").as_deref(), Some("docs"));
        assert_eq!(first("/do*/a").as_deref(), None);
        assert_eq!(first("docs").as_deref(), None);
        let first = |p: &str| {
            Pattern::gitlab(p)
                .unwrap()
                .first_segment()
                .map(str::to_string)
        };
        assert_eq!(first("/docs").as_deref(), Some("docs"));
        assert_eq!(first("/docs/").as_deref(), Some("docs"));
        assert_eq!(first("/do?s/").as_deref(), None);
        assert_eq!(first("docs/").as_deref(), None);
        assert!(p.is_match("a/b.md"));
        assert!(!p.is_match("a/b.mdx"));
    }
}
