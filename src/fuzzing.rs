//! Entry points for the fuzz targets (`fuzz/`, cargo-fuzz) and for
//! `tests/fuzz_corpus.rs`, which replays their committed corpora on stable
//! Rust. Each takes arbitrary bytes and must return without panicking; the
//! invariants it checks are assertions, so a violation is a crash the
//! fuzzer keeps. See docs/fuzzing.md.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::config::Config;
use crate::engine::Checker;
use crate::environment::Environment;
use crate::error::Result;
use crate::rules::RuleSet;
use crate::source::policy_files::PolicyFiles;

/// Policy files held in memory: a small project the targets load from.
struct MemFiles(BTreeMap<String, String>);

impl MemFiles {
    fn new(files: &[(&str, &str)]) -> MemFiles {
        MemFiles(
            files
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

impl PolicyFiles for MemFiles {
    fn read(&self, rel: &str) -> Option<Result<String>> {
        self.0.get(rel).map(|t| Ok(t.clone()))
    }

    fn yaml_files_under(&self, rel: &str) -> Option<Vec<String>> {
        let prefix = format!("{}/", rel.trim_end_matches('/'));
        let files: Vec<String> = self
            .0
            .keys()
            .filter(|k| k.starts_with(&prefix) && (k.ends_with(".yml") || k.ends_with(".yaml")))
            .cloned()
            .collect();
        (!files.is_empty()).then_some(files)
    }

    fn entries(&self, rel: &str) -> Option<Vec<String>> {
        let prefix = format!("{}/", rel.trim_end_matches('/'));
        let mut names: Vec<String> = self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .collect();
        names.dedup();
        (!names.is_empty()).then_some(names)
    }

    fn display(&self, rel: &str) -> String {
        rel.to_string()
    }
}

/// The project `check` targets run: every built-in pack, a pack of each
/// remaining kind, and a small Vale style; reasons required on suppressions.
const CONFIG: &str = r#"rules:
  - builtin:claims
  - builtin:brand
  - builtin:privacy
  - builtin:structure
  - packs/extra.yml
  - vale:styles/Fuzz
suppressions: {require_reason: true}
front_matter: {required: [title]}
"#;

const EXTRA_PACK: &str = r#"rules:
  - id: extra/require
    kind: require
    level: warning
    when: 'invest(?:ment|ing)?'
    then: 'Disclaimer'
  - id: extra/front-matter
    kind: front-matter
    level: error
    required: [title]
  - id: extra/links
    kind: links
    level: error
    relative: true
    anchors: true
  - id: extra/dates
    kind: dates
    level: warning
  - id: extra/regex
    kind: forbid
    level: info
    patterns: ['\b\d+% (?:safe|secure)\b']
    unless: {pattern: '\[\^[^\]]+\]', within: sentence}
  - id: extra/swap
    kind: substitute
    level: warning
    ignore_case: true
    swap: {"e-mail": email, "Login to": "Log in to"}
    exceptions: ["e-mail header"]
"#;

const VALE_RULES: &[(&str, &str)] = &[
    (
        "styles/Fuzz/Avoid.yml",
        "extends: existence\nmessage: \"Avoid '%s'.\"\nlevel: warning\nignorecase: true\ntokens:\n  - simply\n  - obviously\n",
    ),
    (
        "styles/Fuzz/Swap.yml",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: error\nswap:\n  utilize: use\n  '(?:web site|web-site)': website\n",
    ),
    (
        "styles/Fuzz/Repeat.yml",
        "extends: repetition\nmessage: \"'%s' is repeated.\"\nlevel: warning\ntokens:\n  - '[^\\s]+'\n",
    ),
    (
        "styles/Fuzz/Heading.yml",
        "extends: capitalization\nmessage: \"'%s' should be in title case.\"\nlevel: suggestion\nscope: heading\nmatch: $title\n",
    ),
    (
        "styles/Fuzz/Long.yml",
        "extends: occurrence\nmessage: \"Sentences should have fewer than 25 words.\"\nscope: sentence\nlevel: suggestion\nmax: 25\ntoken: '\\b(\\w+)\\b'\n",
    ),
];

struct Project {
    config: Config,
    rules: RuleSet,
    env: Environment,
}

fn project() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let config = crate::config::load_from_text("imprimatur.yml", CONFIG)
            .expect("the fuzz project's config is valid");
        let mut files = vec![("packs/extra.yml", EXTRA_PACK)];
        files.extend_from_slice(VALE_RULES);
        let rules = crate::rules::load_rule_set_from(&config, &MemFiles::new(&files))
            .expect("the fuzz project's rules load");
        Project {
            config,
            rules,
            env: Environment::default(),
        }
    })
}

/// Checks `data` as a page, with and without the prefilter, and applies
/// the fixes found. Asserts: both paths agree; every span lies inside the
/// text on character boundaries with its line and column after it starts;
/// a fix is applied only where the source equals what was found; the fixed
/// text checks again without a panic.
pub fn check(data: &[u8]) {
    check_summary(data);
}

/// What `check` saw: how many findings, suppressions and applied fixes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub findings: usize,
    pub suppressed: usize,
    pub fixes: usize,
}

/// `check`, telling what it saw (so a test can show the corpus reaches
/// findings, suppressions and fixes).
pub fn check_summary(data: &[u8]) -> Summary {
    let p = project();
    let checker = Checker {
        rules: &p.rules,
        config: &p.config,
        env: &p.env,
    };
    let (full, doc) = checker.check_bytes("page.md", Ok(data.to_vec()));
    let (lean, _) = checker.check_bytes_lean("page.md", Ok(data.to_vec()));
    assert_eq!(
        full.findings, lean.findings,
        "the prefilter changed findings"
    );
    assert_eq!(
        full.suppressed, lean.suppressed,
        "the prefilter changed suppressions"
    );
    let mut summary = Summary {
        findings: full.findings.len(),
        suppressed: full.suppressed.len(),
        fixes: 0,
    };
    let Some(doc) = doc else {
        return summary;
    };
    let text = &doc.text;
    for f in full
        .findings
        .iter()
        .chain(full.suppressed.iter().map(|s| &s.finding))
    {
        let s = &f.span;
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "span {s:?} outside the text"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {s:?} not on character boundaries"
        );
        assert!(
            s.line >= 1 && s.column >= 1,
            "span {s:?} before line 1, column 1"
        );
        assert!(
            (s.end_line, s.end_column) >= (s.line, s.column),
            "span {s:?} ends before it starts"
        );
    }
    let (fixed, applied) = crate::fix::apply_fixes(text, &full.findings);
    summary.fixes = applied;
    if applied > 0 {
        let (again, _) = checker.check_bytes("page.md", Ok(fixed.into_bytes()));
        // A fix never makes the page unreadable.
        assert!(
            !again
                .findings
                .iter()
                .any(|f| f.rule == crate::engine::UNREADABLE_RULE),
            "fixing made the page unreadable"
        );
    }
    summary
}

/// Loads a Vale setup from `data`: the part before the first NUL byte is
/// the `.vale.ini`, the rest one rule file of the style it names; then
/// checks a sample page with whatever loaded. Errors are fine, panics not.
pub fn vale(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (ini, rule) = text.split_once('\0').unwrap_or((&text, ""));
    let _ = crate::vale::ini::parse(ini);
    let _ = crate::vale::config::parse(ini);
    let ini = if ini.trim().is_empty() {
        "StylesPath = styles\n[*]\nBasedOnStyles = Fuzz\n"
    } else {
        ini
    };
    let files = MemFiles::new(&[(".vale.ini", ini), ("styles/Fuzz/Rule.yml", rule)]);
    let config = Config {
        vale_ini: Some(".vale.ini".into()),
        ..Config::default()
    };
    if let Ok(rules) = crate::rules::load_rule_set_from(&config, &files) {
        let env = Environment::default();
        let checker = Checker {
            rules: &rules,
            config: &config,
            env: &env,
        };
        checker.check_bytes("page.md", Ok(SAMPLE.as_bytes().to_vec()));
    }
}

/// A page with a little of everything, for targets that fuzz the rules.
const SAMPLE: &str = "---\ntitle: Sample\n---\n# A sample Page\n\nThis is simply guaranteed, \
obviously. We utilize the web site to log in. Login to it, the the end.\n\n- item [link](b.md#x)\n\n\
| a | b |\n|---|---|\n| 100% secure | e-mail |\n\n<p>raw HTML guaranteed</p>\n\n\
<!-- imprimatur-disable-next-line claims -- quoted -->\nguaranteed[^1]\n\n[^1]: Source.\n";

/// Parses `data` as a CODEOWNERS file in both dialects and resolves paths
/// (fixed ones, and ones built from its own patterns) two ways: through
/// each section's index and by scanning every rule. Both must agree.
pub fn codeowners(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut paths: Vec<String> = [
        "a.md",
        "README.md",
        "docs/a.md",
        "docs/x/y.md",
        ".github/CODEOWNERS",
        "src/lib.rs",
        "A/B/c.txt",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for line in text.lines().take(64) {
        if let Some(pattern) = line.split_whitespace().next() {
            let path: String = pattern
                .trim_start_matches(['/', '!', '^', '['])
                .replace("**", "x/y")
                .replace('*', "x")
                .replace('?', "q")
                .replace(['[', ']', '\\'], "");
            paths.push(path.clone());
            paths.push(format!("{path}/z.md"));
        }
    }
    for dialect in [
        crate::ownership::Dialect::Github,
        crate::ownership::Dialect::Gitlab,
    ] {
        let (owners, _) = crate::ownership::CodeOwners::parse(&text, dialect);
        for path in &paths {
            let resolved = owners.owners_of(path);
            let norm = normalize(path);
            for section in owners.sections() {
                let indexed = section.rule_for(path).map(|r| r.line);
                let scanned = if section.exclusions().iter().any(|p| p.is_match(norm)) {
                    None
                } else {
                    section
                        .rules()
                        .iter()
                        .filter(|r| r.pattern.is_match(norm))
                        .map(|r| r.line)
                        .max()
                };
                assert_eq!(indexed, scanned, "{dialect:?} {path:?}");
            }
            assert!(resolved.sections.len() <= owners.sections().len());
        }
    }
}

/// `owners_of`'s reading of a path: leading `./` and `/` ignored.
fn normalize(mut path: &str) -> &str {
    loop {
        if let Some(rest) = path.strip_prefix("./") {
            path = rest;
        } else if let Some(rest) = path.strip_prefix('/') {
            path = rest;
        } else {
            return path;
        }
    }
}

/// Loads `data` as `imprimatur.yml` and, separately, as a rule pack; a
/// pack that loads checks the sample page. Errors are fine, panics not.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::config::load_from_text("imprimatur.yml", &text);
    let files = MemFiles::new(&[("pack.yml", &text)]);
    let config = Config {
        rules: vec!["pack.yml".into()],
        ..Config::default()
    };
    if let Ok(rules) = crate::rules::load_rule_set_from(&config, &files) {
        let env = Environment::default();
        let checker = Checker {
            rules: &rules,
            config: &config,
            env: &env,
        };
        checker.check_bytes("page.md", Ok(SAMPLE.as_bytes().to_vec()));
    }
}

/// Parses `data` as a commit message (trailers, approvals), an
/// `allowed_signers` file and a reviews file.
pub fn approvals(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let trailers = crate::approvals::trailers::parse_trailers(&text);
    let commit = crate::approvals::trailers::parse_commit_trailers(&text);
    let keys = ["Approved-by".to_string(), "Reviewed-by".to_string()];
    let approvals = crate::approvals::trailers::approvals_from_message(&text, &keys);
    assert!(
        approvals.len() <= commit.len(),
        "more approvals than trailers"
    );
    let _ = trailers;
    let _ = crate::approvals::signature::AllowedSigners::parse(&text);
    let _ = crate::approvals::reviews::parse_reviews("reviews.json", &text);
}
