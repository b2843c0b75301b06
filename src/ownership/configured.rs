//! CODEOWNERS as the config asks for it, from the working tree or a commit.

use super::{detect_dialect, CodeOwners, Dialect, LineProblem, SEARCH_ORDER};
use crate::config::Config;
use crate::source::policy_files::PolicyFiles;

/// What a search for CODEOWNERS found.
#[derive(Debug)]
pub enum Found {
    /// The file at `rel`, parsed, and the lines it could not use.
    File {
        owners: CodeOwners,
        rel: String,
        problems: Vec<LineProblem>,
    },
    /// The file asked for does not exist.
    NamedMissing,
    /// No file of [`SEARCH_ORDER`] exists.
    NoFile,
}

/// The one CODEOWNERS loader (`check`, `gate`, `owners`, `report` and the
/// language server read CODEOWNERS through it): the file `named` (relative
/// to the base of `files`; on disk an absolute path works too), else the
/// first of [`SEARCH_ORDER`] that exists, read with `dialect` or the one
/// detected from its place and headings. An unreadable file is an error,
/// never "no owners".
pub fn load(
    files: &dyn PolicyFiles,
    named: Option<&str>,
    dialect: Option<Dialect>,
) -> crate::error::Result<Found> {
    let candidates: Vec<&str> = match named {
        Some(rel) => vec![rel],
        None => SEARCH_ORDER.to_vec(),
    };
    for rel in candidates {
        let Some(text) = files.read(rel) else {
            continue;
        };
        let text = text?;
        let dialect = dialect.unwrap_or_else(|| detect_dialect(std::path::Path::new(rel), &text));
        let (owners, problems) = CodeOwners::parse(&text, dialect);
        return Ok(Found::File {
            owners,
            rel: rel.to_string(),
            problems,
        });
    }
    Ok(match named {
        Some(_) => Found::NamedMissing,
        None => Found::NoFile,
    })
}

/// CODEOWNERS as the config has it: what [`load_configured`] returns.
#[derive(Debug)]
pub struct Configured {
    pub owners: CodeOwners,
    /// The file read (relative to the base of the files), if there is one.
    pub file: Option<String>,
    /// The lines of that file that could not be used, as load warnings
    /// (`FILE:LINE: message`) for the faces to show.
    pub warnings: Vec<String>,
}

impl Configured {
    /// No CODEOWNERS file: nothing is owned.
    pub fn none() -> Configured {
        Configured {
            owners: CodeOwners::empty(Dialect::Github),
            file: None,
            warnings: Vec::new(),
        }
    }
}

/// The CODEOWNERS file the config names (`owners.file`, or the first of
/// [`SEARCH_ORDER`]), read with the configured or detected dialect. Problems
/// are returned as warnings; with no file, nothing is owned.
pub fn load_configured(
    files: &dyn PolicyFiles,
    config: &Config,
) -> crate::error::Result<Configured> {
    let named = (config.owners.file != "auto").then_some(config.owners.file.as_str());
    let dialect = match config.owners.dialect {
        crate::config::DialectSetting::Github => Some(Dialect::Github),
        crate::config::DialectSetting::Gitlab => Some(Dialect::Gitlab),
        crate::config::DialectSetting::Auto => None,
    };
    match load(files, named, dialect)? {
        Found::File {
            owners,
            rel,
            problems,
        } => {
            let shown = files.display(&rel);
            let warnings = problems
                .iter()
                .map(|p| format!("{shown}:{}: {}", p.line, p.message))
                .collect();
            Ok(Configured {
                owners,
                file: Some(rel),
                warnings,
            })
        }
        Found::NamedMissing => Err(crate::error::with_help(
            format!(
                "owners.file names `{}`, which does not exist ({})",
                config.owners.file,
                files.display(&config.owners.file)
            ),
            "create the CODEOWNERS file, fix the path in imprimatur.yml, or set `owners.file: auto`",
        )),
        Found::NoFile => Ok(Configured::none()),
    }
}
