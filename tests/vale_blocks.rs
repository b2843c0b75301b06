//! How Vale cuts a page into blocks and places its alerts, run through the
//! binary on real Vale projects: `BlockIgnores` matches become blocks of
//! their own (splitting the text around them), alerts Vale cannot locate on
//! one source line are dropped, `<br>` does not end a block, and whole-file
//! rules see only the comment state at the end of the file.

mod common;
use common::*;

/// A Vale project with the `Test` style below and `ini_extra` in `[*.md]`.
fn project(ini_extra: &str) -> Repo {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        format!(
            "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Test\n{ini_extra}"
        ),
    );
    // A repeated word (`the the`), as Vale.Repetition.
    repo.write(
        "styles/Test/Rep.yml",
        "extends: repetition\nmessage: \"'%s' is repeated!\"\nlevel: error\nignorecase: true\nalpha: true\ntokens: ['[^\\s]+']\n",
    );
    // Paragraphs of more than three words.
    repo.write(
        "styles/Test/Long.yml",
        "extends: occurrence\nmessage: \"Paragraph of %d words.\"\nscope: paragraph\nlevel: warning\nmax: 3\ntoken: '\\b\\w+\\b'\n",
    );
    // A sentence that starts in lower case.
    repo.write(
        "styles/Test/Lower.yml",
        "extends: existence\nmessage: \"Sentence starts with '%s'.\"\nscope: sentence\nlevel: warning\nraw: ['^[a-z]\\w*']\n",
    );
    // A word in a heading.
    repo.write(
        "styles/Test/Tail.yml",
        "extends: existence\nmessage: \"'%s' in a heading.\"\nscope: heading\nlevel: warning\ntokens: [tail]\n",
    );
    repo
}

/// `check --format line` rows and the exit code.
fn rows(repo: &Repo) -> (i32, Vec<String>) {
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    (out.status.code().unwrap(), rows)
}

const PARTIAL: &str = "BlockIgnores = (<Partial [^>]*/>), (?s)({{< tab >}}.*?{{< /tab >}})\n";

#[test]
fn a_repetition_across_an_ignored_block_is_not_reported() {
    // Vale rewrites the match into a code block: "Read the" and "the
    // guide." are two paragraphs, so "the the" is no repetition (and the
    // second starts in lower case).
    let repo = project(PARTIAL);
    repo.write("a.md", "Read the <Partial file=\"x\" /> the guide.\n");
    assert_eq!(
        rows(&repo),
        (
            0,
            vec!["a.md:1:31:Test.Lower:Sentence starts with 'the'.".to_string()]
        )
    );
    // Without the ignore, the inline HTML is not text and the words meet.
    let plain = project("");
    plain.write("a.md", "Read the <Partial file=\"x\" /> the guide.\n");
    assert_eq!(
        rows(&plain),
        (
            1,
            vec![
                "a.md:1:1:Test.Long:Paragraph of 4 words.".to_string(),
                // Not in the source as it is: Vale's line, column 1.
                "a.md:1:1:Test.Rep:'the' is repeated!".to_string(),
            ]
        )
    );
}

#[test]
fn the_text_before_and_after_an_ignored_block_are_separate_paragraphs() {
    let repo = project(PARTIAL);
    repo.write(
        "a.md",
        "One two <Partial file=\"x\" /> three four.\n\nOne two\n{{< tab >}}\nHidden words here.\n{{< /tab >}}\nthree four five.\n",
    );
    // Each paragraph is two or three words (no Long); each text after a
    // block starts a sentence of its own, in lower case.
    assert_eq!(
        rows(&repo),
        (
            0,
            vec![
                "a.md:1:30:Test.Lower:Sentence starts with 'three'.".to_string(),
                "a.md:7:1:Test.Lower:Sentence starts with 'three'.".to_string(),
            ]
        )
    );
}

#[test]
fn text_after_an_ignored_block_leaves_its_list_item_or_heading() {
    // The code block Vale inserts starts at column 0: it closes the list
    // and the heading, and what follows is a paragraph.
    let repo = project(PARTIAL);
    repo.write(
        "a.md",
        "# Head <Partial file=\"x\" /> tail\n\n- Item <Partial file=\"y\" /> and so\n",
    );
    assert_eq!(
        rows(&repo),
        (
            0,
            vec![
                "a.md:1:29:Test.Lower:Sentence starts with 'tail'.".to_string(),
                "a.md:3:29:Test.Lower:Sentence starts with 'and'.".to_string(),
            ]
        )
    );
}

#[test]
fn an_ignored_block_in_a_code_block_stays_code() {
    let repo = project(PARTIAL);
    repo.write(
        "a.md",
        "```\nthe <Partial file=\"x\" /> the\n```\n\nThe end.\n",
    );
    assert_eq!(rows(&repo), (0, vec![]));
}

#[test]
fn whole_file_rules_read_ignored_blocks() {
    // Vale's `raw` scope reads the file's lines as they are, before any
    // ignore pattern is applied.
    let repo = project(PARTIAL);
    repo.write(
        "styles/Test/Raw.yml",
        "extends: existence\nmessage: \"Raw '%s'.\"\nscope: raw\nlevel: warning\nraw: ['Partial']\n",
    );
    repo.write("a.md", "Read the <Partial file=\"x\" /> now.\n");
    assert_eq!(
        rows(&repo),
        (
            0,
            vec![
                "a.md:1:11:Test.Raw:Raw 'Partial'.".to_string(),
                "a.md:1:31:Test.Lower:Sentence starts with 'now'.".to_string(),
            ]
        )
    );
}

#[test]
fn an_alert_vale_cannot_place_on_one_line_is_dropped() {
    let repo = project("");
    repo.write(
        "a.md",
        concat!(
            // The match "the\nthe" is in the source as it is: reported.
            "We saw the\nthe dog.\n\n",
            // In a list item the next line is indented: the match is not in
            // the source, and no line holds every word of its sentence.
            "- We saw the\n  the cat.\n\n",
            // The same in a block quote.
            "> We saw the\n> the cow.\n\n",
            // Across markup and a line: not in the source, the sentence
            // spans two lines: dropped.
            "We saw **the**\nthe owl.\n\n",
            // Across markup on one line: the line with every word of the
            // sentence, column 1.
            "We saw **the** the hen.\n\n",
            // The match opens its sentence: Vale looks for it only inside
            // sentences (after their first character), so it is dropped.
            "**Bats** bats fly.\n",
        ),
    );
    let (_, got) = rows(&repo);
    let reps: Vec<&String> = got.iter().filter(|r| r.contains("Test.Rep")).collect();
    assert_eq!(
        reps,
        vec![
            "a.md:1:8:Test.Rep:'the' is repeated!",
            "a.md:13:1:Test.Rep:'the' is repeated!",
        ]
    );
}

#[test]
fn a_line_break_tag_does_not_end_a_block() {
    // `br` is one of Vale 3's inline tags: "one two<br>three four" is one
    // paragraph of four words.
    let repo = project("");
    repo.write("a.md", "One two<br>three four.\n");
    assert_eq!(
        rows(&repo),
        (
            0,
            vec!["a.md:1:1:Test.Long:Paragraph of 4 words.".to_string()]
        )
    );
}

#[test]
fn whole_file_rules_see_only_the_controls_state_at_the_end() {
    // Vale runs `raw` rules after the document, with rule switches reset
    // and `vale off` as the file left it.
    let repo = project("");
    repo.write(
        "styles/Test/Raw.yml",
        "extends: existence\nmessage: \"Raw '%s'.\"\nscope: raw\nlevel: warning\nraw: ['XYZ']\n",
    );
    repo.write(
        "a.md",
        "<!-- vale Test.Raw = NO -->\n\nXYZ one.\n\n<!-- vale Test = NO -->\n\nXYZ two.\n",
    );
    repo.write("b.md", "XYZ one.\n\n<!-- vale off -->\n\nXYZ two.\n");
    let (_, got) = rows(&repo);
    assert_eq!(
        got,
        vec![
            "a.md:3:1:Test.Raw:Raw 'XYZ'.",
            "a.md:7:1:Test.Raw:Raw 'XYZ'.",
        ]
    );
    // What the final `vale off` silences is listed as suppressed.
    let (_, json) = repo.check_json(&[]);
    let suppressed = json["suppressed"].as_array().unwrap();
    let b: Vec<_> = suppressed
        .iter()
        .filter(|s| s["path"] == "b.md" && s["rule"] == "Test.Raw")
        .collect();
    assert_eq!(b.len(), 2, "{json:#}");
}

#[test]
fn ignore_patterns_of_a_path_section_never_apply() {
    // Vale matches the section of a `BlockIgnores` / `TokenIgnores` against
    // the file's extension (`.md`), so `[docs/*.md]` never matches.
    let repo = project("");
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Test\n\n[docs/*.md]\nBlockIgnores = (<Partial [^>]*/>)\nTokenIgnores = (XYZ)\n",
    );
    repo.write("docs/a.md", "Read <Partial file=\"x\" /> the the XYZ.\n");
    let (_, got) = rows(&repo);
    assert_eq!(
        got,
        vec![
            "docs/a.md:1:1:Test.Long:Paragraph of 4 words.",
            "docs/a.md:1:27:Test.Rep:'the' is repeated!",
        ]
    );
}
