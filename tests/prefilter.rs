//! The whole-file prefilter must never change a result: every document here
//! is checked with and without it, and the findings must be identical. The
//! documents put each term inside every kind of markup that could hide it
//! from a raw scan: split by emphasis, links, HTML, comments and entities at
//! each position, next to punctuation, in code, in front matter, split by
//! characters that render as nothing, spelled with confusable letters of
//! another script, and inside raw HTML.

use imprimatur::engine::Checker;
use imprimatur::environment::Environment;

const PACK: &str = r##"rules:
  - id: t/claims
    kind: forbid
    level: error
    terms: [guaranteed, risk-free, "100% secure", "#1", world-class, simply]
  - id: t/brands
    kind: substitute
    level: warning
    swap: {Github: GitHub, "Login to": "Log in to", Os: OS, e-mail: email}
"##;

const TERMS: &[&str] = &[
    "guaranteed",
    "GUARANTEED",
    "risk-free",
    "100% secure",
    "#1",
    "world-class",
    "simply",
    "Github",
    "Login to",
    "Os",
    "e-mail",
];

/// Every way the documents below wrap or split a term.
fn variants(term: &str) -> Vec<String> {
    let mut out = vec![
        term.to_string(),
        format!("**{term}**"),
        format!("*{term}*."),
        format!("_{term}_"),
        format!("~~{term}~~"),
        format!("[{term}](x.md)"),
        format!("[x]({term})"),
        format!("![{term}](i.png)"),
        format!("`{term}`"),
        format!("<b>{term}</b>"),
        format!("<!-- {term} -->"),
        format!("un{term}"),
        format!("{term}ly"),
        format!("({term})"),
        format!("\"{term}\""),
        format!("{term}—really"),
        format!("é{term}"),
        format!("[^{term}]"),
        format!("<https://{term}.example>"),
    ];
    let chars: Vec<(usize, char)> = term.char_indices().collect();
    for &(at, _) in chars.iter().skip(1) {
        let (a, b) = term.split_at(at);
        for (open, close) in [
            ("**", "**"),
            ("*", "*"),
            ("~~", "~~"),
            ("<b>", "</b>"),
            ("<!-- c -->", ""),
            ("[", "](x)"),
            ("[", "]( )"),
            ("[", "][r]"),
            ("![", "](y)"),
            ("<span class=\"a b\">", "</span>"),
        ] {
            out.push(format!("{a}{open}{b}{close}"));
            out.push(format!("{open}{a}{close}{b}"));
        }
        out.push(format!("{a}\\{b}"));
        out.push(format!(
            "{a}&#{};{}",
            u32::from(b.chars().next().unwrap()),
            &b[1..]
        ));
        out.push(format!("{a}\n{b}"));
        for hidden in [
            "\u{ad}", "&shy;", "\u{200b}", "\u{200d}", "\u{2060}", "\u{feff}",
        ] {
            out.push(format!("{a}{hidden}{b}"));
        }
    }
    // Latin letters swapped for Cyrillic ones that look the same.
    for (latin, cyrillic) in [
        ('e', '\u{435}'),
        ('a', '\u{430}'),
        ('i', '\u{456}'),
        ('o', '\u{43e}'),
    ] {
        if term.contains(latin) {
            out.push(term.replacen(latin, &cyrillic.to_string(), 1));
        }
    }
    for (open, close) in [
        ("<p>", "</p>"),
        ("<div>\n", "\n</div>"),
        ("<span>\n", "\n</span>"),
    ] {
        out.push(format!("{open}{term}{close}"));
        out.push(format!("{open}x <b>{term}</b> y{close}"));
    }
    for (i, c) in term.char_indices() {
        out.push(format!(
            "{}&#x{:x};{}",
            &term[..i],
            u32::from(c),
            &term[i + c.len_utf8()..]
        ));
    }
    out
}

/// Documents holding `text` in each place a page can hold prose.
fn documents(text: &str) -> Vec<String> {
    vec![
        format!("{text}\n"),
        format!("# {text}\n\nBody.\n"),
        format!("Intro.\n\n- item {text} here\n"),
        format!("> quoted {text}\n"),
        format!("| a | b |\n|---|---|\n| {text} | x |\n"),
        format!("```\n{text}\n```\n"),
        format!("---\ntitle: \"{text}\"\n---\n\nBody.\n"),
        format!("Line one\n{text}\nline three.\n"),
        format!("[r]: https://example.com\n\nSee {text}.\n"),
        format!("<!-- imprimatur-disable-next-line t/claims -- ok -->\n{text}\n"),
        format!("<div>\n<p>{text}</p>\n</div>\n"),
    ]
}

#[test]
fn prefilter_never_changes_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("imprimatur.yml"), "rules: [pack.yml]\n").unwrap();
    std::fs::write(dir.path().join("pack.yml"), PACK).unwrap();
    let loaded = imprimatur::config::load(None, dir.path(), Some(dir.path())).unwrap();
    let rules = imprimatur::rules::load_rule_set(&loaded.config, &loaded.base_dir).unwrap();
    assert!(
        rules.prefilter.is_some(),
        "the test pack must have a prefilter"
    );
    let env = Environment::default();
    let checker = Checker {
        rules: &rules,
        config: &loaded.config,
        env: &env,
    };
    let mut checked = 0;
    let mut skipped = 0;
    for term in TERMS {
        for variant in variants(term) {
            for doc in documents(&variant) {
                let full = checker
                    .check_bytes("page.md", Ok(doc.clone().into_bytes()))
                    .0;
                let (lean, parsed) =
                    checker.check_bytes_lean("page.md", Ok(doc.clone().into_bytes()));
                assert_eq!(full.findings, lean.findings, "document:\n{doc}");
                assert_eq!(full.suppressed, lean.suppressed, "document:\n{doc}");
                checked += 1;
                skipped += usize::from(parsed.is_none());
            }
        }
    }
    // The comparison means something only if both paths were taken often.
    assert!(checked > 4_000, "{checked}");
    assert!(
        skipped > 500 && skipped < checked - 500,
        "{skipped} of {checked}"
    );
}

#[test]
fn prefilter_agrees_on_the_example_site() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("imprimatur.yml"), "rules: [pack.yml]\n").unwrap();
    std::fs::write(dir.path().join("pack.yml"), PACK).unwrap();
    let loaded = imprimatur::config::load(None, dir.path(), Some(dir.path())).unwrap();
    let rules = imprimatur::rules::load_rule_set(&loaded.config, &loaded.base_dir).unwrap();
    let env = Environment::default();
    let checker = Checker {
        rules: &rules,
        config: &loaded.config,
        env: &env,
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = 0;
    for entry in ignore::Walk::new(root.join("fixtures")).flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let bytes = std::fs::read(path).unwrap();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let full = checker.check_bytes(&rel, Ok(bytes.clone())).0;
            let lean = checker.check_bytes_lean(&rel, Ok(bytes)).0;
            assert_eq!(full.findings, lean.findings, "{rel}");
            pages += 1;
        }
    }
    assert!(pages >= 10);
}
