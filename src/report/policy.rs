//! The policy (config, rule packs, CODEOWNERS) of each revision the report
//! looks at, loaded once per distinct policy.
//!
//! Weekly points usually share their policy: the config and packs change far
//! less often than content. Loading records every file the loader read (and
//! every directory it listed); a later revision reuses a loaded policy when
//! the same reads give the same answers there. That is exact (the loader sees
//! nothing else) and saves compiling the same rule set a dozen times.

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::Result;
use crate::gate::policy::{load_from, Policy};
use crate::source::policy_files::PolicyFiles;

/// One question the loader asked, with the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Access {
    /// `read(rel)`: the text, the error's message, or absent.
    Read(String, Option<std::result::Result<String, String>>),
    /// `yaml_files_under(rel)`.
    List(String, Option<Vec<String>>),
    /// `entries(rel)`.
    Entries(String, Option<Vec<String>>),
}

impl Access {
    fn replay(&self, files: &dyn PolicyFiles) -> Access {
        match self {
            Access::Read(rel, _) => Access::Read(rel.clone(), read_answer(files, rel)),
            Access::List(rel, _) => Access::List(rel.clone(), files.yaml_files_under(rel)),
            Access::Entries(rel, _) => Access::Entries(rel.clone(), files.entries(rel)),
        }
    }
}

fn read_answer(files: &dyn PolicyFiles, rel: &str) -> Option<std::result::Result<String, String>> {
    files.read(rel).map(|r| r.map_err(|e| format!("{e}")))
}

/// A `PolicyFiles` that remembers what was asked of it.
struct Recording<'a> {
    inner: &'a dyn PolicyFiles,
    log: RefCell<Vec<Access>>,
}

impl PolicyFiles for Recording<'_> {
    fn read(&self, rel: &str) -> Option<Result<String>> {
        let answer = self.inner.read(rel);
        let recorded = answer.as_ref().map(|r| match r {
            Ok(text) => Ok(text.clone()),
            Err(e) => Err(format!("{e}")),
        });
        self.log
            .borrow_mut()
            .push(Access::Read(rel.to_string(), recorded));
        answer
    }

    fn yaml_files_under(&self, rel: &str) -> Option<Vec<String>> {
        let answer = self.inner.yaml_files_under(rel);
        self.log
            .borrow_mut()
            .push(Access::List(rel.to_string(), answer.clone()));
        answer
    }

    fn entries(&self, rel: &str) -> Option<Vec<String>> {
        let answer = self.inner.entries(rel);
        self.log
            .borrow_mut()
            .push(Access::Entries(rel.to_string(), answer.clone()));
        answer
    }

    fn display(&self, rel: &str) -> String {
        self.inner.display(rel)
    }
}

/// A loaded policy and a number that is the same for every revision that
/// shares it (part of the key of per-file results).
pub struct Loaded {
    pub id: usize,
    pub policy: Rc<Policy>,
}

/// Policies loaded so far, each with the reads that produced it.
#[derive(Default)]
pub struct PolicyCache {
    entries: Vec<(Vec<Access>, Rc<Policy>)>,
}

impl PolicyCache {
    /// The load warnings of every policy loaded, in the order they were
    /// loaded (each distinct policy once).
    pub fn warnings(&self) -> Vec<String> {
        self.entries
            .iter()
            .flat_map(|(_, policy)| policy.owners_warnings.iter().cloned())
            .collect()
    }

    /// The policy `files` holds: a loaded one whose reads give the same
    /// answers in `files`, or a newly loaded one.
    pub fn load(
        &mut self,
        files: &dyn PolicyFiles,
        explicit_config: Option<&str>,
    ) -> Result<Loaded> {
        for (id, (log, policy)) in self.entries.iter().enumerate() {
            if log.iter().all(|access| access.replay(files) == *access) {
                return Ok(Loaded {
                    id,
                    policy: Rc::clone(policy),
                });
            }
        }
        let recording = Recording {
            inner: files,
            log: RefCell::new(Vec::new()),
        };
        let policy = Rc::new(load_from(&recording, explicit_config)?);
        self.entries
            .push((recording.log.into_inner(), Rc::clone(&policy)));
        Ok(Loaded {
            id: self.entries.len() - 1,
            policy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_a_policy_only_when_its_files_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let files = crate::source::policy_files::DiskFiles {
            base: dir.path().to_path_buf(),
        };
        std::fs::write(dir.path().join("imprimatur.yml"), "rules: [rules/]\n").unwrap();
        std::fs::create_dir(dir.path().join("rules")).unwrap();
        let pack = "rules:\n  - {id: a/b, kind: forbid, level: error, terms: [x]}\n";
        std::fs::write(dir.path().join("rules/a.yml"), pack).unwrap();
        let mut cache = PolicyCache::default();
        let first = cache.load(&files, None).unwrap();
        assert_eq!(cache.load(&files, None).unwrap().id, first.id);
        // A new pack file in the listed directory is a different policy.
        std::fs::write(dir.path().join("rules/c.yml"), "rules: []\n").unwrap();
        let second = cache.load(&files, None).unwrap();
        assert_ne!(second.id, first.id);
        // CODEOWNERS is part of the policy too.
        std::fs::write(dir.path().join("CODEOWNERS"), "* @a\n").unwrap();
        let third = cache.load(&files, None).unwrap();
        assert_ne!(third.id, second.id);
        assert!(third.policy.codeowners.owners_of("x.md").is_owned());
        std::fs::remove_file(dir.path().join("rules/c.yml")).unwrap();
        std::fs::remove_file(dir.path().join("CODEOWNERS")).unwrap();
        assert_eq!(cache.load(&files, None).unwrap().id, first.id);
    }
}
