//! The result cache with spelling rules: a second run reuses the results
//! while nothing changed, and every input of a spelling verdict — the accept
//! file, the project's vocabulary, a dictionary file, Vale's ignore lists,
//! the people of the config — checks the pages again when it changes.

mod common;

use std::time::{Duration, SystemTime};

use common::Repo;

/// Runs `check --format line -v`; returns (stdout, "N from the cache, M read").
fn run(repo: &Repo) -> (String, String) {
    let out = repo
        .cmd()
        .args(["check", "--format", "line", "-v"])
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() <= 1, "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stats = stderr
        .lines()
        .find_map(|l| l.split_once(": ").map(|(_, s)| s.to_string()))
        .map(|s| s.split(" (").next().unwrap_or_default().to_string())
        .unwrap_or_else(|| stderr.clone());
    (String::from_utf8(out.stdout).unwrap(), stats)
}

/// Writes a page with its modification time an hour back (out of the
/// window in which a stamp is not trusted).
fn page(repo: &Repo, rel: &str, text: &str) {
    let path = repo.write(rel, text);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// A project with a spelling rule over two pages, an accept file and a
/// dictionary of its own beside the bundled en_US.
fn site() -> Repo {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [rules/quality.yml]\npeople:\n  carol: {name: Carol Diaz}\n",
    );
    repo.write(
        "rules/quality.yml",
        "rules:\n  - id: quality/spelling\n    kind: spelling\n    level: warning\n    dictionaries: [en_US, dictionaries/acme]\n    accept_files: [accept.txt]\n",
    );
    repo.write("accept.txt", "Flooberg\n");
    repo.write("dictionaries/acme.aff", "SET UTF-8\n");
    repo.write("dictionaries/acme.dic", "1\nzorgle\n");
    page(&repo, "a.md", "# A\n\nThe Flooberg met a zorgle.\n");
    page(&repo, "b.md", "# B\n\nA quixotic blorp and Wibbly.\n");
    repo
}

/// The misspelled words of `check --format line` output, as `path:word`.
fn misspelled(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| {
            let path = l.split(':').next()?;
            let word = l.split('\'').nth(1)?;
            Some(format!("{path}:{word}"))
        })
        .collect()
}

#[test]
fn unchanged_inputs_reuse_the_results() {
    let repo = site();
    let (first, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert_eq!(misspelled(&first), ["b.md:blorp", "b.md:Wibbly"], "{first}");
    let (second, stats) = run(&repo);
    assert_eq!(stats, "2 from the cache, 0 read");
    assert_eq!(first, second);
}

#[test]
fn a_changed_accept_file_checks_again() {
    let repo = site();
    run(&repo);
    repo.write("accept.txt", "Flooberg\nblorp\n");
    let (out, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert_eq!(misspelled(&out), ["b.md:Wibbly"], "{out}");
    repo.write("accept.txt", "blorp\n");
    let (out, _) = run(&repo);
    assert_eq!(misspelled(&out), ["a.md:Flooberg", "b.md:Wibbly"], "{out}");
}

#[test]
fn a_changed_dictionary_file_checks_again() {
    let repo = site();
    run(&repo);
    repo.write("dictionaries/acme.dic", "2\nzorgle\nwibbly\n");
    let (out, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert_eq!(misspelled(&out), ["b.md:blorp"], "{out}");
    repo.write("dictionaries/acme.dic", "0\n");
    let (out, _) = run(&repo);
    assert_eq!(
        misspelled(&out),
        ["a.md:zorgle", "b.md:blorp", "b.md:Wibbly"],
        "{out}"
    );
}

#[test]
fn changed_people_check_again() {
    let repo = site();
    run(&repo);
    repo.write(
        "imprimatur.yml",
        "rules: [rules/quality.yml]\npeople:\n  carol: {name: Carol Wibbly}\n",
    );
    let (out, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert_eq!(misspelled(&out), ["b.md:blorp"], "{out}");
}

/// A Vale project: `Vale.Spelling` with a vocabulary and an ignore list.
fn vale_site() -> Repo {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nVocab = Team\n\n[*.md]\nBasedOnStyles = Vale\n",
    );
    repo.write("styles/config/vocabularies/Team/accept.txt", "Flooberg\n");
    repo.write("styles/config/ignore/words.txt", "zorgle\n");
    page(&repo, "a.md", "The Flooberg met a zorgle and a blorp.\n");
    repo
}

#[test]
fn vale_vocabulary_and_ignore_lists_are_part_of_the_key() {
    let repo = vale_site();
    let (first, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 1 read");
    assert_eq!(misspelled(&first), ["a.md:blorp"], "{first}");
    let (_, stats) = run(&repo);
    assert_eq!(stats, "1 from the cache, 0 read");

    repo.write(
        "styles/config/vocabularies/Team/accept.txt",
        "Flooberg\nblorp\n",
    );
    let (out, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 1 read");
    assert_eq!(misspelled(&out), Vec::<String>::new(), "{out}");

    repo.write("styles/config/ignore/words.txt", "\n");
    let (out, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 1 read");
    assert_eq!(misspelled(&out), ["a.md:zorgle"], "{out}");

    // A new list in the ignore folder counts too.
    repo.write("styles/config/ignore/more/new.txt", "zorgle\n");
    let (out, stats) = run(&repo);
    assert_eq!(stats, "0 from the cache, 1 read");
    assert_eq!(misspelled(&out), Vec::<String>::new(), "{out}");
}
