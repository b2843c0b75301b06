//! `extends: spelling` and the built-in `Vale.Spelling`, as Vale runs them:
//! Vale's word tokens, skipped when a filter matches (by default
//! `[A-Z]{1}[a-z]+[A-Z]+\w+` camel case, `[A-Z]+$` words ending in capitals,
//! and `[^a-zA-Z_']` anything with a character other than an ASCII letter,
//! `_` or `'`, so hyphenated and accented words are skipped; `custom: true`
//! drops these defaults, `filters` adds more), then right when a dictionary
//! knows the word or its lower-case form (whole: a hyphenated word is not
//! split at its hyphens as Hunspell would), or an `ignore` word list does, or
//! the project's `Vocab` accepts it (case-insensitive; multi-word entries
//! only as a phrase).
//!
//! Dictionaries: `dictionaries: [NAME]` from `dicpath` (default
//! `StylesPath/config/dictionaries`), or `aff` + `dic` paths; with none, or
//! with `append: true`, the bundled en_US (Vale bundles en_US-web; both are
//! SCOWL en_US word lists, so they agree on ordinary words). Vale's alert
//! points at the first occurrence of the word in the block, and so does this.

use std::collections::HashSet;
use std::sync::Arc;

use super::common::{phrase_regex, within_phrase, Env};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::ValeRegex;
use super::Alert;
use crate::dictionary::{self, Speller};
use crate::source::policy_files::PolicyFiles;

#[derive(Debug)]
pub struct Spelling {
    pub speller: Arc<Speller>,
    filters: Vec<regex::Regex>,
    except: Option<ValeRegex>,
    phrases: Option<ValeRegex>,
}

const DEFAULT_FILTERS: &[&str] = &[r"[A-Z]{1}[a-z]+[A-Z]+\w+", r"[A-Z]+$", r"[^a-zA-Z_']"];

pub fn compile(
    def: &Definition,
    env: &Env,
    files: &dyn PolicyFiles,
) -> Result<Spelling, RuleError> {
    let mut filters = Vec::new();
    for f in def.list("filters") {
        filters.push(
            regex::Regex::new(&f)
                .map_err(|e| RuleError::at("filters", format!("invalid filter `{f}`: {e}")))?,
        );
    }
    if !def.bool("custom", false) {
        filters.extend(
            DEFAULT_FILTERS
                .iter()
                .map(|f| regex::Regex::new(f).expect("valid default filter")),
        );
    }
    let dictionaries = dictionaries(def, env, files)?;
    let mut words = HashSet::new();
    if dictionaries
        .iter()
        .any(|d| Arc::ptr_eq(d, &dictionary::en_us()))
    {
        words.extend(dictionary::bundled_words());
    }
    if def.id == "Vale.Spelling" {
        // Vale.Spelling has no `ignore` key: Vale reads every
        // `StylesPath/config/ignore/**/*.txt` into it instead.
        for rel in ignore_dir_files(files, &join(&env.styles_path, "config/ignore")) {
            if let Some(text) = files.read(&rel) {
                let text = text.map_err(|e| RuleError::at("extends", e.to_string()))?;
                words.extend(crate::rules::spelling::word_list(&text));
            }
        }
    }
    for rel in def.list("ignore") {
        // As Vale: every one of these places that holds the file adds its words.
        let candidates = [
            rel.clone(),
            join(&env.styles_path, &rel),
            join(&env.styles_path, &format!("config/ignore/{rel}")),
        ];
        for c in candidates {
            if let Some(text) = files.read(&c) {
                let text = text.map_err(|e| RuleError::at("ignore", e.to_string()))?;
                words.extend(crate::rules::spelling::word_list(&text));
            }
        }
    }
    let except = if env.accepted.is_empty() {
        None
    } else {
        let joined = env
            .accepted
            .iter()
            .map(|t| {
                if t.starts_with(r"\b") || t.ends_with(r"\b") {
                    t.clone()
                } else {
                    format!(r"\b{t}\b")
                }
            })
            .collect::<Vec<_>>()
            .join("|");
        Some(def.regex("extends", &format!("(?i){joined}"))?)
    };
    Ok(Spelling {
        speller: Arc::new(Speller::new(dictionaries, words)),
        filters,
        except,
        phrases: phrase_regex(&[], env, true),
    })
}

/// The `.txt` files under `dir`, at any depth, sorted (Vale's
/// `config/ignore/**/*.txt`).
fn ignore_dir_files(files: &dyn PolicyFiles, dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in files.entries(dir).unwrap_or_default() {
        let rel = format!("{dir}/{name}");
        if files.entries(&rel).is_some() {
            out.extend(ignore_dir_files(files, &rel));
        } else if name.ends_with(".txt") {
            out.push(rel);
        }
    }
    out
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{}", rel.trim_start_matches("./"))
    }
}

fn dictionaries(
    def: &Definition,
    env: &Env,
    files: &dyn PolicyFiles,
) -> Result<Vec<Arc<dictionary::Hunspell>>, RuleError> {
    let read = |rel: &str| files.read(rel).and_then(Result::ok);
    let mut out = Vec::new();
    if let (Some(aff), Some(dic)) = (def.string("aff"), def.string("dic")) {
        let find = |p: &str| {
            [
                join(&env.styles_path, p),
                join(&env.styles_path, &format!("config/dictionaries/{p}")),
                p.to_string(),
            ]
            .into_iter()
            .find_map(|c| read(&c))
        };
        if let (Some(a), Some(d)) = (find(&aff), find(&dic)) {
            let parsed = dictionary::parse(&a, &d).map_err(|e| RuleError::at("dic", e))?;
            return Ok(vec![parsed]);
        }
    }
    // `dicpath` is tried relative to StylesPath, then to the project.
    let dirs: Vec<String> = match def.string("dicpath") {
        Some(p) => vec![join(&env.styles_path, &p), p],
        None => vec![join(&env.styles_path, "config/dictionaries")],
    };
    for name in def.list("dictionaries") {
        let pair = dirs.iter().find_map(|d| {
            let stem = join(d, &name);
            Some((read(&format!("{stem}.aff"))?, read(&format!("{stem}.dic"))?))
        });
        let Some((aff, dic)) = pair else {
            return Err(RuleError::at(
                "dictionaries",
                format!(
                    "dictionary `{name}` not found: no {name}.dic and {name}.aff in {}",
                    files.display(&dirs[0])
                ),
            ));
        };
        out.push(
            dictionary::parse(&aff, &dic)
                .map_err(|e| RuleError::at("dictionaries", format!("dictionary `{name}`: {e}")))?,
        );
    }
    if out.is_empty() || def.bool("append", false) {
        out.push(dictionary::en_us());
    }
    Ok(out)
}

impl Spelling {
    pub fn run(&self, text: &str, message: &str) -> Vec<Alert> {
        let mut alerts = Vec::new();
        for word in crate::text_stats::words(text) {
            let w = word.text.as_str();
            if self.filters.iter().any(|f| f.is_match(w))
                || within_phrase(self.phrases.as_ref(), text, &word.range)
            {
                continue;
            }
            // Vale looks words up whole: Hunspell's breaking of `a-b` at the
            // hyphen does not apply, so a hyphenated word is known only
            // from a word list or the vocabulary.
            let known = if w.contains('-') {
                self.speller.words.contains(w) || self.speller.words.contains(&w.to_lowercase())
            } else {
                self.speller.check(w) || self.speller.check(&w.to_lowercase())
            };
            if known || self.except.as_ref().is_some_and(|e| e.is_match(w)) {
                continue;
            }
            // Vale places the alert at the word's first occurrence in the block.
            let range = text
                .find(w)
                .map(|at| at..at + w.len())
                .unwrap_or(word.range.clone());
            alerts.push(Alert {
                range,
                message: format_strs(message, &[w]),
                fix: None,
            });
        }
        alerts
    }

    /// Up to three suggestions for an editor; Vale offers them as an action.
    pub fn suggest(&self, word: &str) -> Vec<String> {
        self.speller
            .suggest(word, crate::rules::spelling::SUGGESTIONS)
    }
}
