//! What rules may ask about the world beyond one document: today's date,
//! which files exist at the revision being checked (for links), and when a
//! file last changed in git (for review ages). Commands build it once.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// A question a rule asked about the world beyond its document, with the
/// answer it got. A cached result stands only while every answer still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup {
    /// Did this project-relative path exist?
    Exists(String, Option<bool>),
    /// The anchors of this file (a hash of the sorted set; `None`: unreadable).
    Anchors(String, Option<u64>),
    /// The day this file last changed in git.
    LastChanged(String, Option<i64>),
}

thread_local! {
    // Each file is checked on one thread from start to end, so a per-thread
    // log sees exactly the lookups of the file being checked.
    static LOOKUPS: RefCell<Option<Vec<Lookup>>> = const { RefCell::new(None) };
}

/// Runs `check` and returns what it looked up outside its document.
pub fn recording_lookups<T>(check: impl FnOnce() -> T) -> (T, Vec<Lookup>) {
    LOOKUPS.with(|l| *l.borrow_mut() = Some(Vec::new()));
    let out = check();
    let lookups = LOOKUPS.with(|l| l.borrow_mut().take()).unwrap_or_default();
    (out, lookups)
}

fn record(lookup: Lookup) {
    LOOKUPS.with(|l| {
        if let Some(log) = l.borrow_mut().as_mut() {
            log.push(lookup);
        }
    });
}

/// Where other files of the project are looked up, at the revision being checked.
pub enum ProjectFiles {
    /// Files on disk under this root.
    Disk(std::path::PathBuf),
    /// Paths of a git tree or index (project-relative), with the repository to
    /// read them from.
    Git {
        paths: HashSet<String>,
        blobs: HashMap<String, git2::Oid>,
        repo: Mutex<git2::Repository>,
    },
    /// Nothing is known: relative links are not checked.
    Unknown,
}

impl ProjectFiles {
    /// Does `rel` (project-relative, `/`) exist as a file or directory?
    pub fn exists(&self, rel: &str) -> Option<bool> {
        let answer = self.exists_unrecorded(rel);
        record(Lookup::Exists(rel.to_string(), answer));
        answer
    }

    fn exists_unrecorded(&self, rel: &str) -> Option<bool> {
        match self {
            ProjectFiles::Disk(root) => Some(root.join(rel).exists()),
            ProjectFiles::Git { paths, .. } => {
                let dir = format!("{}/", rel.trim_end_matches('/'));
                Some(paths.contains(rel) || paths.iter().any(|p| p.starts_with(&dir)))
            }
            ProjectFiles::Unknown => None,
        }
    }

    /// The text of file `rel`, if it exists and is UTF-8.
    pub fn read(&self, rel: &str) -> Option<String> {
        match self {
            ProjectFiles::Disk(root) => std::fs::read_to_string(root.join(rel)).ok(),
            ProjectFiles::Git { blobs, repo, .. } => {
                let oid = blobs.get(rel)?;
                let repo = repo.lock().ok()?;
                let blob = repo.find_blob(*oid).ok()?;
                String::from_utf8(blob.content().to_vec()).ok()
            }
            ProjectFiles::Unknown => None,
        }
    }
}

pub struct Environment {
    /// Today, as days since 1970-01-01 (`--today` or the system date).
    pub today: i64,
    pub files: ProjectFiles,
    /// Day of the last commit that changed each project-relative path.
    pub last_changed: HashMap<String, i64>,
    /// Heading anchors of other files, computed once each.
    anchors: Mutex<HashMap<String, Option<HashSet<String>>>>,
}

impl Default for Environment {
    fn default() -> Self {
        Environment::new(
            crate::calendar::today(),
            ProjectFiles::Unknown,
            HashMap::new(),
        )
    }
}

impl Environment {
    pub fn new(today: i64, files: ProjectFiles, last_changed: HashMap<String, i64>) -> Environment {
        Environment {
            today,
            files,
            last_changed,
            anchors: Mutex::new(HashMap::new()),
        }
    }

    /// The anchors of file `rel` (GitHub heading slugs and HTML ids), if it can be read.
    pub fn anchors_of(&self, rel: &str) -> Option<HashSet<String>> {
        let anchors = self.anchors_unrecorded(rel);
        record(Lookup::Anchors(
            rel.to_string(),
            anchors.as_ref().map(hash_set),
        ));
        anchors
    }

    /// The day of the last commit that changed `rel`, when history was read.
    pub fn last_changed(&self, rel: &str) -> Option<i64> {
        let day = self.last_changed.get(rel).copied();
        record(Lookup::LastChanged(rel.to_string(), day));
        day
    }

    /// Would `lookup` get the same answer now?
    pub fn still_holds(&self, lookup: &Lookup) -> bool {
        match lookup {
            Lookup::Exists(rel, answer) => self.files.exists_unrecorded(rel) == *answer,
            Lookup::Anchors(rel, hash) => {
                self.anchors_unrecorded(rel).as_ref().map(hash_set) == *hash
            }
            Lookup::LastChanged(rel, day) => self.last_changed.get(rel) == day.as_ref(),
        }
    }

    fn anchors_unrecorded(&self, rel: &str) -> Option<HashSet<String>> {
        if let Some(known) = self.anchors.lock().ok()?.get(rel) {
            return known.clone();
        }
        let anchors = self
            .files
            .read(rel)
            .map(|text| crate::document::Document::parse(rel, text).anchors());
        self.anchors
            .lock()
            .ok()?
            .insert(rel.to_string(), anchors.clone());
        anchors
    }
}

/// An order-independent hash of a set of strings.
fn hash_set(set: &HashSet<String>) -> u64 {
    let mut items: Vec<&String> = set.iter().collect();
    items.sort();
    let joined: Vec<&str> = items.iter().map(|s| s.as_str()).collect();
    xxhash_rust::xxh3::xxh3_64(joined.join("\0").as_bytes())
}

/// The day of the last commit that changed each of `wanted` (repository-relative
/// paths), walking history from HEAD once and stopping when all are found.
pub fn last_change_days(
    repo: &git2::Repository,
    from: git2::Oid,
    wanted: &HashSet<String>,
) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    if wanted.is_empty() {
        return out;
    }
    let Ok(mut walk) = repo.revwalk() else {
        return out;
    };
    if walk.push(from).is_err() {
        return out;
    }
    let _ = walk.set_sorting(git2::Sort::TIME);
    for oid in walk.flatten() {
        if out.len() == wanted.len() {
            break;
        }
        let Ok(commit) = repo.find_commit(oid) else {
            continue;
        };
        let Ok(tree) = commit.tree() else { continue };
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        // Only the subtrees that differ are read: a commit's cost follows its size.
        let Ok(changed) = crate::source::git::changed_files(repo, parent.as_ref(), Some(&tree))
        else {
            continue;
        };
        let day = commit.time().seconds().div_euclid(86_400);
        for (path, _) in changed {
            if wanted.contains(&path) && !out.contains_key(&path) {
                out.insert(path, day);
            }
        }
    }
    out
}

/// The project's files as a git tree (or the index) has them.
pub fn git_files(
    repo_path: &std::path::Path,
    entries: Vec<(String, git2::Oid)>,
    prefix: &str,
) -> ProjectFiles {
    let blobs: HashMap<String, git2::Oid> = entries
        .into_iter()
        .filter_map(|(path, oid)| {
            crate::source::git::strip_prefix(prefix, &path).map(|rel| (rel, oid))
        })
        .collect();
    match git2::Repository::open(repo_path) {
        Ok(repo) => ProjectFiles::Git {
            paths: blobs.keys().cloned().collect(),
            blobs,
            repo: Mutex::new(repo),
        },
        Err(_) => ProjectFiles::Unknown,
    }
}

/// Last-change days keyed by project-relative path, for the files given.
pub fn last_changed_for(
    repo: &git2::Repository,
    from: git2::Oid,
    prefix: &str,
    rels: &[String],
) -> HashMap<String, i64> {
    let wanted: HashSet<String> = rels
        .iter()
        .map(|r| crate::source::git::join_prefix(prefix, r))
        .collect();
    last_change_days(repo, from, &wanted)
        .into_iter()
        .filter_map(|(path, day)| {
            crate::source::git::strip_prefix(prefix, &path).map(|rel| (rel, day))
        })
        .collect()
}
