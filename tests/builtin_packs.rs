//! Every built-in rule documents itself with examples; each `bad` example
//! must be flagged by that rule and each `good` one must not.

use imprimatur::config::Config;
use imprimatur::document::Document;
use imprimatur::engine::Checker;
use imprimatur::rules::load_rule_set;

#[test]
fn every_builtin_rule_has_docs_and_its_examples_hold() {
    let config = Config::default();
    let rules = load_rule_set(&config, std::path::Path::new(".")).expect("built-in packs load");
    assert!(
        rules.rules.len() > 30,
        "all four packs load: {}",
        rules.rules.len()
    );
    let env = imprimatur::environment::Environment::default();
    let checker = Checker {
        env: &env,
        rules: &rules,
        config: &config,
    };
    let mut failures = Vec::new();
    for rule in &rules.rules {
        assert!(
            rule.description
                .as_deref()
                .is_some_and(|d| !d.trim().is_empty()),
            "{} has no description",
            rule.id
        );
        assert!(
            !rule.examples.bad.is_empty(),
            "{} has no bad example",
            rule.id
        );
        for (examples, want) in [(&rule.examples.bad, true), (&rule.examples.good, false)] {
            for example in examples {
                let doc = Document::parse("example.md", format!("{example}\n"));
                let result = checker.check_document(&doc);
                let flagged = result.findings.iter().any(|f| f.rule == rule.id);
                if flagged != want {
                    failures.push(format!(
                        "{}: {:?} should {}be flagged",
                        rule.id,
                        example,
                        if want { "" } else { "not " }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
