//! Where content bytes come from (the working tree now; the index and
//! commit trees for git-aware runs) and how they become text.

pub mod content;
mod decode;
mod discover;
pub mod git;
pub mod lfs;
pub mod policy_files;
pub mod repo_path;

pub use decode::{decode, Unreadable};
pub use discover::{discover, discover_with_dirs, listed_files, relative, ContentFile, ContentSet};

use std::path::Path;

use crate::error::{FileError, Result};

/// Reads a UTF-8 file the user wrote (config, rule pack), with a located
/// error when it is not UTF-8.
pub fn read_text_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| crate::error::plain(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        FileError::at(
            &path.display().to_string(),
            &text,
            valid,
            1,
            format!("{} is not valid UTF-8", path.display()),
            "invalid byte here",
        )
        .into()
    })
}
