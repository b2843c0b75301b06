//! The result cache: what `check` found in a file, kept so that an unchanged
//! repository is not read again.
//!
//! One cache file per rule-set key (the tool's version, the compiled rules,
//! the config and, for `dates` rules, today). An entry is reused when
//! - its stamp still matches: the git blob id (`--staged`, `--rev`), or the
//!   file's size, modification time and inode, as git's index trusts them; a
//!   stamp taken within a second of the run that wrote it is not trusted
//!   ("racily clean" in git's terms), or
//! - the bytes hash to the same value (a touched but unchanged file), and
//! - every question its rules asked about other files (a link target exists,
//!   a target's anchors, the last commit date) still gets the same answer.
//!
//! The file also keeps the working tree's file list from the last full walk
//! (`Listing`), reused while no directory or ignore file it depends on changed.
//!
//! The file is postcard, behind a magic number and the key; anything that
//! does not decode, or carries another key, is ignored and rewritten, never
//! trusted. Writes go to a temporary file renamed into place, so concurrent
//! runs leave one whole cache, never a torn one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::engine::FileResult;
use crate::environment::{Environment, Lookup};
use crate::finding::{Finding, Suppressed};

const MAGIC: &[u8; 8] = b"IMPRCHK3";
/// Cache files kept per directory (one per rule set recently used).
const KEEP_FILES: usize = 4;
/// Stamps this close to the run that took them may hide a later write.
const RACY_NS: i64 = 1_000_000_000;

/// What identifies a file's bytes without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stamp {
    Disk { size: u64, mtime_ns: i64, ino: u64 },
    Blob([u8; 20]),
}

impl Stamp {
    /// The stamp of a file on disk (following a symlink, as reading does).
    pub fn of_path(path: &Path) -> Option<Stamp> {
        Stamp::of_metadata(&std::fs::metadata(path).ok()?)
    }

    pub fn of_metadata(meta: &std::fs::Metadata) -> Option<Stamp> {
        let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp::Disk {
            size: meta.len(),
            mtime_ns: i64::try_from(mtime.as_nanos()).ok()?,
            ino: inode(meta),
        })
    }

    pub fn of_blob(oid: git2::Oid) -> Stamp {
        let mut id = [0; 20];
        id.copy_from_slice(&oid.as_bytes()[..20]);
        Stamp::Blob(id)
    }

    fn is_racy(&self, started_ns: i64) -> bool {
        matches!(self, Stamp::Disk { mtime_ns, .. } if *mtime_ns + RACY_NS >= started_ns)
    }
}

/// Stamps files through a handle on their directory, kept while consecutive
/// files share it (files come sorted by path), so each stat resolves one
/// name instead of the whole path. One per worker thread.
#[derive(Default)]
pub struct Stamper {
    #[cfg(unix)]
    dir: Option<(PathBuf, rustix::fd::OwnedFd)>,
}

impl Stamper {
    // `stat` field widths differ between platforms: the conversions are
    // no-ops on 64-bit Linux only.
    #[allow(clippy::useless_conversion)]
    pub fn stamp(&mut self, path: &Path) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use rustix::fs::{AtFlags, Mode, OFlags};
            let (parent, name) = (path.parent()?, path.file_name()?);
            if self
                .dir
                .as_ref()
                .is_none_or(|(p, _)| p.as_os_str() != parent.as_os_str())
            {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::open(parent, flags, Mode::empty()).ok()?;
                self.dir = Some((parent.to_path_buf(), fd));
            }
            let (_, fd) = self.dir.as_ref()?;
            let st = rustix::fs::statat(fd, name, AtFlags::empty()).ok()?;
            let mtime_ns = i64::from(st.st_mtime)
                .checked_mul(1_000_000_000)?
                .checked_add(i64::from(st.st_mtime_nsec as u32))?;
            Some(Stamp::Disk {
                size: u64::try_from(st.st_size).ok()?,
                mtime_ns,
                ino: u64::from(st.st_ino),
            })
        }
        #[cfg(not(unix))]
        {
            Stamp::of_path(path)
        }
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// The hash that stands for a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// `None` when the stamp was racy: the bytes must be hashed next time.
    stamp: Option<Stamp>,
    content: u128,
    lookups: Vec<Lookup>,
    findings: Vec<Finding>,
    suppressed: Vec<Suppressed>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    key: u128,
    listing: Option<Listing>,
    entries: Vec<(String, Entry)>,
}

/// The content set as the last full walk found it, and everything that
/// walk depended on: every directory it read (an entry added, removed or
/// renamed changes a directory's modification time) and every ignore file
/// that could apply (`.gitignore` and `.ignore` in those directories and
/// their ancestors, `info/exclude`, the global excludes file), present or
/// not. While all of them keep their stamps, walking again would find the
/// same files, so a warm run skips the walk, as git's untracked cache does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    inputs: Vec<(PathBuf, Option<Stamp>)>,
    /// The content files' relative paths, NUL-separated: one string decodes
    /// far faster than a hundred thousand.
    files: String,
}

impl Listing {
    /// The listing of a walk that started at `started_ns`, or `None` when a
    /// directory or ignore file changed too recently to trust its stamp.
    pub fn record(
        root: &Path,
        files: Vec<String>,
        dirs: Vec<PathBuf>,
        extra_ignore_files: Vec<PathBuf>,
        started_ns: i64,
    ) -> Option<Listing> {
        let mut watched: Vec<PathBuf> = extra_ignore_files;
        for dir in dirs.iter().map(PathBuf::as_path).chain(root.ancestors()) {
            for name in [".gitignore", ".ignore"] {
                watched.push(dir.join(name));
            }
        }
        watched.extend(dirs);
        watched.sort();
        watched.dedup();
        let inputs: Vec<(PathBuf, Option<Stamp>)> = watched
            .into_iter()
            .map(|p| {
                let stamp = Stamp::of_path(&p);
                (p, stamp)
            })
            .collect();
        let racy = inputs
            .iter()
            .any(|(_, s)| s.is_some_and(|s| s.is_racy(started_ns)));
        let files = files.join("\0");
        (!racy).then_some(Listing { inputs, files })
    }

    /// Would a walk now find the same files?
    pub fn still_holds(&self) -> bool {
        self.inputs.iter().all(|(p, s)| Stamp::of_path(p) == *s)
    }
}

/// Entries sorted by path, as files are: the `i`th file is usually the
/// `i`th entry, and a binary search finds it otherwise.
#[derive(Default)]
struct OldEntries(Vec<(String, OldEntry)>);

impl OldEntries {
    fn find(&self, rel: &str, hint: usize) -> Option<&OldEntry> {
        match self.0.get(hint) {
            Some((k, e)) if k == rel => Some(e),
            _ => {
                let at = self.0.binary_search_by(|(k, _)| k.as_str().cmp(rel)).ok()?;
                Some(&self.0[at].1)
            }
        }
    }
}

/// An entry read from disk, and whether this run used it as it is.
struct OldEntry {
    entry: Entry,
    used: AtomicBool,
}

/// The cache for one run of `check`.
pub struct ResultCache {
    file: PathBuf,
    key: u128,
    started_ns: i64,
    /// The entries read from disk, decoded on a thread of their own while
    /// the listing is checked and files are stamped.
    old: std::sync::OnceLock<OldEntries>,
    decoding: Mutex<Option<std::thread::JoinHandle<OldEntries>>>,
    /// Entries this run wrote: new results, and old ones under a new stamp.
    fresh: Mutex<Vec<(String, Entry)>>,
    listing: Option<Listing>,
    /// `Some` once this run walked: the listing it recorded, if trusted.
    new_listing: Mutex<Option<Option<Listing>>>,
    listed: AtomicBool,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// The answer of `by_stamp_with`.
pub enum ByStamp {
    /// The cached result stands.
    Hit(FileResult),
    /// There is an entry, but not for this stamp (which is returned).
    Miss(Option<Stamp>),
    /// The file has no entry.
    Unknown,
}

/// How a run used the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub hits: usize,
    pub misses: usize,
    /// The file list came from the cached listing (no walk).
    pub listed: bool,
}

impl ResultCache {
    /// Opens the cache for rule-set `key` in `dir`; a missing, corrupt or
    /// foreign file starts an empty cache.
    pub fn open(dir: &Path, key: u128) -> ResultCache {
        let file = dir.join(format!("check-{key:032x}.bin"));
        let bytes = std::fs::read(&file).ok();
        let header = bytes.as_deref().and_then(|b| decode_header(b, key));
        let (listing, decoding) = match (header, bytes) {
            (Some((listing, at)), Some(bytes)) => {
                let entries = std::thread::spawn(move || decode_entries(&bytes[at..]));
                (listing, Some(entries))
            }
            _ => (None, None),
        };
        ResultCache {
            file,
            key,
            started_ns: now_ns(),
            old: std::sync::OnceLock::new(),
            decoding: Mutex::new(decoding),
            fresh: Mutex::new(Vec::new()),
            listing,
            new_listing: Mutex::new(None),
            listed: AtomicBool::new(false),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The entries read from disk (waits for their decoding).
    fn old(&self) -> &OldEntries {
        self.old.get_or_init(|| {
            let decoding = self.decoding.lock().expect("cache lock").take();
            decoding.and_then(|d| d.join().ok()).unwrap_or_default()
        })
    }

    /// Did this run take its file list from the cached listing?
    pub fn listed(&self) -> bool {
        self.listed.load(Ordering::Relaxed)
    }

    /// The cached result for `rel` if its stamp is unchanged and trusted.
    #[cfg(test)]
    fn by_stamp(&self, rel: &str, stamp: Option<Stamp>, env: &Environment) -> Option<FileResult> {
        match self.by_stamp_with(rel, 0, || stamp, env) {
            ByStamp::Hit(result) => Some(result),
            _ => None,
        }
    }

    /// Like `by_stamp`, but takes the stamp only when `rel` has an entry
    /// (without one, stamping before reading is wasted work). `hint`: the
    /// file's index in the sorted file list.
    pub fn by_stamp_with(
        &self,
        rel: &str,
        hint: usize,
        stamp: impl FnOnce() -> Option<Stamp>,
        env: &Environment,
    ) -> ByStamp {
        let Some(old) = self.old().find(rel, hint) else {
            return ByStamp::Unknown;
        };
        let stamp = stamp();
        if stamp.is_some() && old.entry.stamp == stamp {
            if let Some(result) = self.reuse(rel, old, stamp, env) {
                return ByStamp::Hit(result);
            }
        }
        ByStamp::Miss(stamp)
    }

    /// The cached result for `rel` if its bytes hash to the same value.
    pub fn by_content(
        &self,
        rel: &str,
        stamp: Option<Stamp>,
        content: u128,
        env: &Environment,
    ) -> Option<FileResult> {
        let old = self.old().find(rel, 0)?;
        if old.entry.content != content {
            return None;
        }
        self.reuse(rel, old, stamp, env)
    }

    fn reuse(
        &self,
        rel: &str,
        old: &OldEntry,
        stamp: Option<Stamp>,
        env: &Environment,
    ) -> Option<FileResult> {
        let entry = &old.entry;
        if !entry.lookups.iter().all(|l| env.still_holds(l)) {
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        let stamp = self.trusted(stamp);
        if stamp == entry.stamp {
            old.used.store(true, Ordering::Relaxed);
        } else {
            let mut restamped = entry.clone();
            restamped.stamp = stamp;
            self.fresh
                .lock()
                .expect("cache lock")
                .push((rel.to_string(), restamped));
        }
        Some(FileResult {
            path: rel.to_string(),
            findings: entry.findings.clone(),
            suppressed: entry.suppressed.clone(),
        })
    }

    /// Records the result of checking `rel`.
    pub fn store(
        &self,
        result: &FileResult,
        stamp: Option<Stamp>,
        content: u128,
        lookups: Vec<Lookup>,
    ) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let entry = Entry {
            stamp: self.trusted(stamp),
            content,
            lookups,
            findings: result.findings.clone(),
            suppressed: result.suppressed.clone(),
        };
        self.fresh
            .lock()
            .expect("cache lock")
            .push((result.path.clone(), entry));
    }

    fn trusted(&self, stamp: Option<Stamp>) -> Option<Stamp> {
        stamp.filter(|s| !s.is_racy(self.started_ns))
    }

    /// The content files of the last full walk, if walking again would find
    /// the same ones.
    pub fn listed_files(&self) -> Option<impl Iterator<Item = &str>> {
        let listing = self.listing.as_ref().filter(|l| l.still_holds())?;
        self.listed.store(true, Ordering::Relaxed);
        Some(listing.files.split('\0').filter(|f| !f.is_empty()))
    }

    /// Keeps the listing of this run's walk for the next run (`None`: the
    /// walk's inputs changed too recently to trust; the next run walks).
    pub fn set_listing(&self, listing: Option<Listing>) {
        *self.new_listing.lock().expect("cache lock") = Some(listing);
    }

    /// When this run started, for racy stamps.
    pub fn started_ns(&self) -> i64 {
        self.started_ns
    }

    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            listed: self.listed.load(Ordering::Relaxed),
        }
    }

    /// Writes the cache back. With `complete` (the run saw every content
    /// file) entries of files no longer checked are dropped; otherwise they
    /// are kept for the next full run. Nothing is written when nothing changed.
    pub fn save(self, complete: bool) -> std::io::Result<()> {
        self.old();
        let old = self.old.into_inner().unwrap_or_default();
        let fresh = self.fresh.into_inner().expect("cache lock");
        let walked = self.new_listing.into_inner().expect("cache lock");
        let listing_changed = walked.as_ref().is_some_and(|l| *l != self.listing);
        let listing = match walked {
            Some(listing) if complete => listing,
            _ => self.listing,
        };
        let all_used = || old.0.iter().all(|(_, o)| o.used.load(Ordering::Relaxed));
        if fresh.is_empty() && !listing_changed && (!complete || all_used()) {
            // Freeing every entry one by one takes a few milliseconds: a
            // thread of its own does it, so the command line exits without
            // waiting (exiting ends the thread) and a long-lived caller
            // still gets the memory back.
            std::thread::spawn(move || drop(old));
            return Ok(());
        }
        let mut entries = fresh;
        if !old.0.is_empty() {
            let written: std::collections::HashSet<&str> =
                entries.iter().map(|(rel, _)| rel.as_str()).collect();
            let kept: Vec<(String, Entry)> = old
                .0
                .into_iter()
                .filter(|(rel, o)| {
                    (!complete || o.used.load(Ordering::Relaxed)) && !written.contains(rel.as_str())
                })
                .map(|(rel, o)| (rel, o.entry))
                .collect();
            drop(written);
            entries.extend(kept);
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        // Streamed into the file: no second copy of the cache in memory.
        let mut tmp = std::io::BufWriter::new(tempfile::NamedTempFile::new_in(dir)?);
        std::io::Write::write_all(&mut tmp, MAGIC)?;
        let file = CacheFile {
            key: self.key,
            listing,
            entries,
        };
        postcard::to_io(&file, &mut tmp).map_err(std::io::Error::other)?;
        let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(&self.file).map_err(|e| e.error)?;
        prune(dir, KEEP_FILES);
        Ok(())
    }
}

/// The key and listing at the start of a cache file, and where its entries
/// begin; `None` for anything foreign, corrupt or of another rule set.
fn decode_header(bytes: &[u8], key: u128) -> Option<(Option<Listing>, usize)> {
    let body = bytes.strip_prefix(MAGIC)?;
    let ((file_key, listing), rest): ((u128, Option<Listing>), &[u8]) =
        postcard::take_from_bytes(body).ok()?;
    (file_key == key).then_some((listing, bytes.len() - rest.len()))
}

/// The entries of a cache file; none when they do not decode.
fn decode_entries(bytes: &[u8]) -> OldEntries {
    let entries: Vec<(String, Entry)> = postcard::from_bytes(bytes).unwrap_or_default();
    let mut entries: Vec<(String, OldEntry)> = entries
        .into_iter()
        .map(|(rel, entry)| {
            let used = AtomicBool::new(false);
            (rel, OldEntry { entry, used })
        })
        .collect();
    if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    entries.dedup_by(|a, b| a.0 == b.0);
    OldEntries(entries)
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_nanos()).ok())
        .unwrap_or(i64::MAX)
}

/// Keeps the `keep` most recently written cache files of `dir`.
fn prune(dir: &Path, keep: usize) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(SystemTime, PathBuf)> = read
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("check-") && name.ends_with(".bin")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, path) in files.into_iter().skip(keep) {
        let _ = std::fs::remove_file(path);
    }
}

/// Where the cache lives: `--cache-dir` (or `IMPRIMATUR_CACHE_DIR`), else
/// `imprimatur/` inside the git directory, else a per-project folder of the
/// user's cache directory (`$XDG_CACHE_HOME` or `~/.cache`).
pub fn directory(explicit: Option<&Path>, git_dir: Option<&Path>, root: &Path) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    if let Some(git_dir) = git_dir {
        return Some(git_dir.join("imprimatur"));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let project = xxhash_rust::xxh3::xxh3_64(root.to_string_lossy().as_bytes());
    Some(base.join("imprimatur").join(format!("{project:016x}")))
}

/// The version of what a cached result means: bumped whenever the same
/// inputs could give other findings (matching, a rule kind, the stored form).
pub const FORMAT_VERSION: u32 = 2;

/// The key of a rule set: what, besides a file's bytes, decides its
/// findings. `parts` are source texts and digests of them, never `Debug`
/// output (hash-map order differs between processes).
pub fn rule_set_key(parts: &[&str]) -> u128 {
    let mut text = format!("{}\0{FORMAT_VERSION}", env!("CARGO_PKG_VERSION"));
    for part in parts {
        text.push('\0');
        text.push_str(part);
    }
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Level, Span};

    fn result(path: &str) -> FileResult {
        FileResult {
            path: path.into(),
            findings: vec![Finding {
                path: path.into(),
                rule: "r".into(),
                level: Level::Warning,
                message: "m".into(),
                found: "f".into(),
                span: Span::default(),
                fix: None,
                suggestions: Vec::new(),
            }],
            suppressed: Vec::new(),
        }
    }

    fn old_stamp() -> Stamp {
        Stamp::Disk {
            size: 3,
            mtime_ns: 1,
            ino: 7,
        }
    }

    #[test]
    fn stamps_through_a_directory_handle_equal_stamps_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut stamper = Stamper::default();
        for name in ["a.md", "b.md"] {
            let path = dir.path().join(name);
            std::fs::write(&path, name).unwrap();
            assert_eq!(stamper.stamp(&path), Stamp::of_path(&path));
            assert!(stamper.stamp(&path).is_some());
        }
        assert_eq!(stamper.stamp(&dir.path().join("missing.md")), None);
    }

    #[test]
    fn round_trip_by_stamp_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let env = Environment::default();
        let cache = ResultCache::open(dir.path(), 42);
        cache.store(&result("a.md"), Some(old_stamp()), 9, Vec::new());
        cache.save(true).unwrap();

        let cache = ResultCache::open(dir.path(), 42);
        assert_eq!(
            cache
                .by_stamp("a.md", Some(old_stamp()), &env)
                .unwrap()
                .findings,
            result("a.md").findings
        );
        assert!(cache.by_stamp("b.md", Some(old_stamp()), &env).is_none());
        let touched = Stamp::Disk {
            size: 3,
            mtime_ns: 2,
            ino: 7,
        };
        assert!(cache.by_stamp("a.md", Some(touched), &env).is_none());
        assert!(cache.by_content("a.md", Some(touched), 9, &env).is_some());
        assert!(cache.by_content("a.md", Some(touched), 8, &env).is_none());
        assert_eq!(cache.stats().hits, 2);
    }

    #[test]
    fn other_keys_and_corrupt_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let env = Environment::default();
        let cache = ResultCache::open(dir.path(), 1);
        cache.store(&result("a.md"), Some(old_stamp()), 9, Vec::new());
        cache.save(true).unwrap();
        // A file renamed to another key's name is foreign: its key is inside.
        std::fs::rename(
            dir.path().join(format!("check-{:032x}.bin", 1)),
            dir.path().join(format!("check-{:032x}.bin", 2)),
        )
        .unwrap();
        assert!(ResultCache::open(dir.path(), 2)
            .by_stamp("a.md", Some(old_stamp()), &env)
            .is_none());
        std::fs::write(
            dir.path().join(format!("check-{:032x}.bin", 3)),
            b"IMPRCHK1\xff\xff",
        )
        .unwrap();
        assert!(ResultCache::open(dir.path(), 3)
            .by_stamp("a.md", Some(old_stamp()), &env)
            .is_none());
    }

    #[test]
    fn racy_stamps_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let env = Environment::default();
        let cache = ResultCache::open(dir.path(), 5);
        let now = Stamp::Disk {
            size: 3,
            mtime_ns: now_ns(),
            ino: 7,
        };
        cache.store(&result("a.md"), Some(now), 9, Vec::new());
        cache.save(true).unwrap();
        let cache = ResultCache::open(dir.path(), 5);
        assert!(cache.by_stamp("a.md", Some(now), &env).is_none());
        assert!(cache.by_content("a.md", Some(now), 9, &env).is_some());
    }

    #[test]
    fn answers_that_changed_invalidate() {
        let dir = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let env = Environment::new(
            0,
            crate::environment::ProjectFiles::Disk(root.path().to_path_buf()),
            std::collections::HashMap::new(),
        );
        let lookups = vec![Lookup::Exists("target.md".into(), Some(false))];
        let cache = ResultCache::open(dir.path(), 6);
        cache.store(&result("a.md"), Some(old_stamp()), 9, lookups);
        cache.save(true).unwrap();
        assert!(ResultCache::open(dir.path(), 6)
            .by_stamp("a.md", Some(old_stamp()), &env)
            .is_some());
        std::fs::write(root.path().join("target.md"), "# T\n").unwrap();
        assert!(ResultCache::open(dir.path(), 6)
            .by_stamp("a.md", Some(old_stamp()), &env)
            .is_none());
    }
}
