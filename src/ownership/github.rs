//! GitHub's CODEOWNERS dialect.
//!
//! One rule list, the last matching line wins, a line without owners
//! un-owns what it matches. `#` starts a comment anywhere on a line (GitHub
//! documents that escaping `#` does not work, so `\#` is reported and the line
//! skipped). `\ ` keeps a space inside a pattern. Owners are `@user`,
//! `@org/team` or an email address. As on GitHub, a line with invalid syntax
//! is skipped and reported with its line number; the other lines still apply.

use std::sync::LazyLock;

use regex::Regex;

use super::{split_pattern, LineProblem, Pattern, Rule, Section};

static USER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^@[A-Za-z0-9_-]+$").expect("valid"));
static TEAM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^@[A-Za-z0-9-]+/[A-Za-z0-9_-]+$").expect("valid"));
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$").expect("valid")
});

pub(super) fn is_valid_owner(owner: &str) -> bool {
    USER.is_match(owner) || TEAM.is_match(owner) || EMAIL.is_match(owner)
}

pub(super) fn parse(text: &str) -> (Vec<Section>, Vec<LineProblem>) {
    let mut section = Section::unnamed();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        match parse_line(raw.trim()) {
            Ok(None) => {}
            Ok(Some((pattern, owners, warning))) => {
                if let Some(warning) = warning {
                    problems.push(LineProblem::new(number, warning));
                }
                section.push_rule(Rule {
                    pattern,
                    owners,
                    line: number,
                });
            }
            Err(message) => {
                problems.push(LineProblem::new(number, format!("{message}; line skipped")))
            }
        }
    }
    (vec![section], problems)
}

type ParsedLine = Option<(Pattern, Vec<String>, Option<String>)>;

fn parse_line(line: &str) -> Result<ParsedLine, String> {
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let content =
        match line.find('#') {
            Some(at) if line[..at].ends_with('\\') => return Err(
                "GitHub does not support escaping '#' (the rest of the line would be a comment)"
                    .into(),
            ),
            Some(at) => line[..at].trim_end(),
            None => line,
        };
    let (pattern, rest) = split_pattern(content);
    if pattern.starts_with('!') {
        return Err("GitHub does not support negated patterns ('!')".into());
    }
    let owners: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
    if let Some(bad) = owners.iter().find(|o| !is_valid_owner(o)) {
        return Err(format!(
            "invalid owner format '{bad}' (expected @user, @org/team or an email address)"
        ));
    }
    let warning = pattern
        .find('[')
        .is_some_and(|open| pattern[open..].contains(']'))
        .then(|| {
            format!("GitHub does not support character ranges: the brackets in '{pattern}' match literally")
        });
    let pattern = Pattern::github(pattern)?;
    Ok(Some((pattern, owners, warning)))
}

#[cfg(test)]
mod tests {
    use super::super::{CodeOwners, Dialect};

    fn owners(text: &str, path: &str) -> Vec<String> {
        CodeOwners::parse(text, Dialect::Github)
            .0
            .owners_of(path)
            .owners
    }

    #[test]
    fn last_matching_line_wins() {
        let text = "* @all\n*.md @docs\n/guide/ @guide\n";
        assert_eq!(owners(text, "src/main.rs"), ["@all"]);
        assert_eq!(owners(text, "README.md"), ["@docs"]);
        assert_eq!(owners(text, "guide/a.md"), ["@guide"]);
    }

    #[test]
    fn line_without_owners_unowns() {
        let text = "/apps/ @octocat\n/apps/github\n";
        assert_eq!(owners(text, "apps/foo.rb"), ["@octocat"]);
        assert!(owners(text, "apps/github/readme.md").is_empty());
        let (co, problems) = CodeOwners::parse(text, Dialect::Github);
        assert!(problems.is_empty());
        assert!(co.owners_of("apps/github/x").sections.is_empty());
    }

    #[test]
    fn inline_comments_and_owner_forms() {
        let text = "*.js @js-owner #This is an inline comment.\n*.go docs@example.com\n*.txt @octo-org/octocats # c\nfile.txt @user#trailing\n";
        assert_eq!(owners(text, "a.js"), ["@js-owner"]);
        assert_eq!(owners(text, "main.go"), ["docs@example.com"]);
        assert_eq!(owners(text, "n.txt"), ["@octo-org/octocats"]);
        assert_eq!(owners(text, "file.txt"), ["@user"]);
    }

    #[test]
    fn invalid_lines_are_reported_and_skipped() {
        let text = "* @all\nmalformed rule\n*.md @a/b/c\n!*.rb @x\n\\#file.rb @x\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Github);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(
            problems[0].message.contains("invalid owner format 'rule'"),
            "{problems:?}"
        );
        assert!(problems[3].message.contains("escaping '#'"));
        assert_eq!(co.owners_of("malformed").owners, ["@all"]);
        assert_eq!(co.owners_of("x.md").owners, ["@all"]);
        assert_eq!(co.owners_of("#file.rb").owners, ["@all"]);
    }

    #[test]
    fn escaped_space_stays_in_pattern() {
        let text = "foo\\ bar @user\n";
        assert_eq!(owners(text, "foo bar"), ["@user"]);
        assert!(owners(text, "foo").is_empty());
    }

    #[test]
    fn gitlab_syntax_means_something_else_on_github() {
        // A GitLab heading is a pattern here, and `^[Test][2]` an owner-less line.
        let text = "* @all\n[abc].txt @u\n^[Test][2]\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Github);
        assert_eq!(co.owners_of("[abc].txt").owners, ["@u"]);
        assert!(co.owners_of("^[Test][2]").owners.is_empty());
        assert_eq!(co.owners_of("a.txt").owners, ["@all"]);
        // Both bracketed patterns are kept, with a warning.
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), [2, 3]);
        // Relative paths with a slash are anchored at the root.
        assert!(owners("internal/README.md @u\n", "docs/internal/README.md").is_empty());
    }

    #[test]
    fn one_unnamed_section_with_one_approval() {
        let (co, _) = CodeOwners::parse("* @a @b\n", Dialect::Github);
        let o = co.owners_of("x");
        assert_eq!(o.sections.len(), 1);
        let s = &o.sections[0];
        assert_eq!(
            (s.name.as_deref(), s.approvals_required, s.optional, s.line),
            (None, 1, false, 1)
        );
    }
}
