//! GitLab's CODEOWNERS dialect.
//!
//! Entries before the first heading form the unnamed default section; each
//! `[Name]` heading starts a section (`^[Name]` optional, `[Name][n]` needing
//! n approvals, `[Name] @a @b` giving default owners to entries that name
//! none). Section names compare case-insensitively and repeated headings
//! merge into the first, keeping its spelling. Every section is evaluated on
//! its own, the last matching entry winning; a `!pattern` excludes what it
//! matches from its section. Only whole lines starting with `#` are comments:
//! GitLab has no inline comments. A leading `\#` and `\ ` are escapes.
//! Malformed owners are dropped with a report and the entry kept; a line that
//! looks like a heading but does not parse is an entry of the current section,
//! as in GitLab.

use std::sync::LazyLock;

use regex::Regex;

use super::{split_pattern, LineProblem, Pattern, Rule, Section};

static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\^)?\[([^\]]*)\](?:\[(\d*)\])?(.*)$").expect("valid"));
static ROLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^@@[A-Za-z]+$").expect("valid"));
static USER_OR_GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^@[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$").expect("valid"));
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^@\s]+@[^@\s]+\.[^@\s]+$").expect("valid"));

fn is_valid_owner(owner: &str) -> bool {
    ROLE.is_match(owner) || USER_OR_GROUP.is_match(owner) || EMAIL.is_match(owner)
}

struct Heading<'a> {
    name: &'a str,
    optional: bool,
    approvals: Option<&'a str>,
    rest: &'a str,
}

/// `None` when `line` does not start a heading; `Some(Err)` when it tries to
/// and fails.
fn heading(line: &str) -> Option<Result<Heading<'_>, String>> {
    if !(line.starts_with('[') || line.starts_with("^[")) {
        return None;
    }
    let Some(captures) = HEADING.captures(line) else {
        return Some(Err("malformed section heading (no closing ']')".into()));
    };
    let name = captures.get(2).map_or("", |m| m.as_str()).trim();
    if name.is_empty() {
        return Some(Err("section heading has no name".into()));
    }
    Some(Ok(Heading {
        name,
        optional: captures.get(1).is_some(),
        approvals: captures.get(3).map(|m| m.as_str()),
        rest: captures.get(4).map_or("", |m| m.as_str()),
    }))
}

/// A line that can only be a GitLab heading: used to detect the dialect.
pub(super) fn is_clear_heading(line: &str) -> bool {
    match heading(line.trim()) {
        Some(Ok(h)) => h.rest.is_empty() || h.rest.starts_with([' ', '\t']),
        _ => false,
    }
}

struct Parser {
    sections: Vec<Section>,
    current: usize,
    default_owners: Vec<String>,
    problems: Vec<LineProblem>,
}

pub(super) fn parse(text: &str) -> (Vec<Section>, Vec<LineProblem>) {
    let mut parser = Parser {
        sections: vec![Section::unnamed()],
        current: 0,
        default_owners: Vec::new(),
        problems: Vec::new(),
    };
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let number = index + 1;
        match heading(line) {
            Some(Ok(h)) => parser.start_section(number, h),
            Some(Err(message)) => {
                parser.problem(
                    number,
                    format!("{message}; read as an entry of the current section"),
                );
                parser.entry(number, line);
            }
            None => parser.entry(number, line),
        }
    }
    (parser.sections, parser.problems)
}

impl Parser {
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(LineProblem::new(line, message));
    }

    fn start_section(&mut self, number: usize, h: Heading<'_>) {
        let approvals = match h.approvals {
            None | Some("") => 1,
            Some(digits) => match digits.parse::<u32>() {
                Ok(0) => 1,
                Ok(n) => n,
                Err(_) => {
                    self.problem(
                        number,
                        format!("approval count [{digits}] is out of range; 1 is used"),
                    );
                    1
                }
            },
        };
        let rest = h.rest.trim();
        let owners_text = if !rest.is_empty() && !h.rest.starts_with([' ', '\t']) {
            self.problem(
                number,
                format!("text after the section heading is ignored: '{rest}'"),
            );
            ""
        } else {
            rest
        };
        self.default_owners = self.owners(number, owners_text);
        let key = h.name.to_lowercase();
        let existing = self
            .sections
            .iter()
            .position(|s| s.name.as_ref().is_some_and(|n| n.to_lowercase() == key));
        self.current = match existing {
            Some(i) => {
                let section = &mut self.sections[i];
                // A section required once is required; the strictest count applies.
                section.optional &= h.optional;
                section.approvals_required = section.approvals_required.max(approvals);
                i
            }
            None => {
                self.sections.push(Section::new(
                    Some(h.name.to_string()),
                    h.optional,
                    approvals,
                ));
                self.sections.len() - 1
            }
        };
    }

    fn entry(&mut self, number: usize, line: &str) {
        let (exclusion, body) = match line.strip_prefix('!') {
            Some(body) => (true, body),
            None => (false, line),
        };
        let (pattern_text, rest) = split_pattern(body);
        let pattern = match Pattern::gitlab(pattern_text) {
            Ok(pattern) => pattern,
            Err(message) => {
                self.problem(number, format!("{message}; line skipped"));
                return;
            }
        };
        if exclusion {
            if !rest.is_empty() {
                self.problem(
                    number,
                    "an exclusion has no owners: the text after its pattern is ignored",
                );
            }
            self.sections[self.current].exclusions.push(pattern);
            return;
        }
        let mut owners = self.owners(number, rest);
        if owners.is_empty() {
            owners = self.default_owners.clone();
        }
        if owners.is_empty() {
            self.problem(
                number,
                "entry has no owners: paths it matches are unowned in this section",
            );
        }
        self.sections[self.current].push_rule(Rule {
            pattern,
            owners,
            line: number,
        });
    }

    /// The valid owners of `text`; malformed ones are reported and dropped.
    fn owners(&mut self, number: usize, text: &str) -> Vec<String> {
        let mut owners = Vec::new();
        let mut in_comment = false;
        for token in text.split_whitespace() {
            if is_valid_owner(token) {
                if !owners.iter().any(|o| o == token) {
                    owners.push(token.to_string());
                }
            } else if token.starts_with('#') {
                if !in_comment {
                    self.problem(
                        number,
                        "GitLab has no inline comments: the text after '#' is read as owners",
                    );
                }
                in_comment = true;
            } else if !in_comment {
                self.problem(number, format!("malformed owner '{token}' dropped"));
            }
        }
        owners
    }
}

#[cfg(test)]
mod tests {
    use super::super::{CodeOwners, Dialect, Ownership};

    fn resolve(text: &str, path: &str) -> Ownership {
        CodeOwners::parse(text, Dialect::Gitlab).0.owners_of(path)
    }

    fn section_owners(o: &Ownership, name: Option<&str>) -> Vec<String> {
        o.sections
            .iter()
            .find(|s| s.name.as_deref() == name)
            .map(|s| s.owners.clone())
            .unwrap_or_default()
    }

    #[test]
    fn sections_are_independent_and_last_match_wins_in_each() {
        let text = "* @admin\n\n[README Owners]\nREADME.md @user1 @user2\ninternal/README.md @user4\n\n[README other owners]\nREADME.md @user3\n";
        let o = resolve(text, "internal/README.md");
        assert_eq!(o.owners, ["@admin", "@user4", "@user3"]);
        assert_eq!(section_owners(&o, Some("README Owners")), ["@user4"]);
    }

    #[test]
    fn heading_grammar() {
        let text = "[Documentation][2] @docs-team\ndocs/\n^[Database] @database-team\nmodel/db/\n[Zero][0]\n*.z @z\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Gitlab);
        assert!(problems.is_empty(), "{problems:?}");
        let s = &co.owners_of("docs/a.md").sections[0];
        assert_eq!(
            (s.name.as_deref(), s.approvals_required, s.optional),
            (Some("Documentation"), 2, false)
        );
        assert_eq!(s.owners, ["@docs-team"]);
        let s = &co.owners_of("model/db/x.sql").sections[0];
        assert_eq!((s.approvals_required, s.optional), (1, true));
        assert_eq!(co.owners_of("a.z").sections[0].approvals_required, 1);
    }

    #[test]
    fn duplicate_sections_merge_keeping_first_spelling() {
        let text = "^[Documentation]\ndocs/ @docs\n[Database]\nREADME.md @database\n[DOCUMENTATION][3]\nREADME.md @docs\n";
        let (co, _) = CodeOwners::parse(text, Dialect::Gitlab);
        let names: Vec<_> = co
            .sections()
            .iter()
            .map(|s| s.name().map(str::to_string))
            .collect();
        assert_eq!(
            names,
            [None, Some("Documentation".into()), Some("Database".into())]
        );
        let docs = &co.sections()[1];
        assert_eq!(
            (
                docs.rules().len(),
                docs.optional(),
                docs.approvals_required()
            ),
            (2, false, 3)
        );
        assert_eq!(co.owners_of("README.md").owners, ["@docs", "@database"]);
    }

    #[test]
    fn exclusions_are_scoped_to_their_section_and_final() {
        let text = "* @username\n!pom.xml\n\n[Ruby]\n*.rb @ruby-team\n!/config/**/*.rb\n/config/routes.rb @ops\n";
        assert!(resolve(text, "pom.xml").owners.is_empty());
        assert_eq!(
            resolve(text, "app/models/user.rb").owners,
            ["@username", "@ruby-team"]
        );
        assert_eq!(resolve(text, "config/routes.rb").owners, ["@username"]);
        let text = "* @default-owner\n!*.rb\n/special/*.rb @ruby-owner\n";
        assert!(resolve(text, "special/a.rb").owners.is_empty());
    }

    #[test]
    fn relative_patterns_match_at_any_depth() {
        let text = "internal/README.md @u\n";
        assert_eq!(resolve(text, "docs/api/internal/README.md").owners, ["@u"]);
    }

    #[test]
    fn escapes_and_comments() {
        let text = "\\#file.rb @hash\npath\\ with\\ spaces/*.md @space\n# comment @nobody\nx.md @a # note @b\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Gitlab);
        assert_eq!(co.owners_of("lib/#file.rb").owners, ["@hash"]);
        assert_eq!(co.owners_of("path with spaces/a.md").owners, ["@space"]);
        assert_eq!(co.owners_of("x.md").owners, ["@a", "@b"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 4);
    }

    #[test]
    fn malformed_owners_dropped_and_malformed_headings_become_entries() {
        let text = "/path/* @group user_without_at_symbol @user_with_at_symbol\n[Section name\ndocs/ @docs_group\n[]\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Gitlab);
        assert_eq!(
            co.owners_of("path/a").owners,
            ["@group", "@user_with_at_symbol"]
        );
        assert_eq!(co.sections().len(), 1);
        assert_eq!(co.sections()[0].rules().len(), 4);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 2, 2, 4, 4], "{problems:?}");
    }

    #[test]
    fn roles_emails_and_nested_groups_are_owners() {
        let text = "/config/ @@maintainer\nLICENSE @legal janedoe@gitlab.com @group/with-nested/subgroup\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Gitlab);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(co.owners_of("config/x").owners, ["@@maintainer"]);
        assert_eq!(
            co.owners_of("LICENSE").owners,
            [
                "@legal",
                "janedoe@gitlab.com",
                "@group/with-nested/subgroup"
            ]
        );
    }

    #[test]
    fn github_syntax_means_something_else_on_gitlab() {
        let text = "* @all\n[abc].txt @u\nfoo.md @x\n^[Test][2]\n*.md @t\n";
        let (co, problems) = CodeOwners::parse(text, Dialect::Gitlab);
        // `[abc].txt @u` is a heading named abc; its trailing text is reported.
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
        let o = co.owners_of("foo.md");
        assert_eq!(section_owners(&o, Some("abc")), ["@x"]);
        let t = o
            .sections
            .iter()
            .find(|s| s.name.as_deref() == Some("Test"))
            .unwrap();
        assert_eq!((t.optional, t.approvals_required), (true, 2));
        assert!(co
            .owners_of("[abc].txt")
            .sections
            .iter()
            .all(|s| s.name.is_none()));
    }

    #[test]
    fn section_default_owners_and_overrides() {
        let text = "* @general-approvers\n\n[Documentation] @docs-team\ndocs/\nREADME.md\n*.txt\n\n[Database] @database-team\nmodel/db/\nconfig/db/database-setup.md @docs-team\n";
        let o = resolve(text, "model/db/CHANGELOG.txt");
        assert_eq!(
            o.owners,
            ["@general-approvers", "@docs-team", "@database-team"]
        );
        let o = resolve(text, "config/db/database-setup.md");
        assert_eq!(section_owners(&o, Some("Database")), ["@docs-team"]);
        assert_eq!(
            section_owners(&o, Some("Documentation")),
            Vec::<String>::new()
        );
    }
}
