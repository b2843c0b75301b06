//! CODEOWNERS as the config asks for it, from the working tree or a commit.

use super::{detect_dialect, CodeOwners, Dialect, SEARCH_ORDER};
use crate::config::Config;
use crate::source::policy_files::PolicyFiles;

/// The CODEOWNERS file the config names (`owners.file`, or the first of
/// [`SEARCH_ORDER`]), read with the configured or detected dialect. Problems
/// are printed as warnings; with no file, nothing is owned.
pub fn load_configured(
    files: &dyn PolicyFiles,
    config: &Config,
) -> crate::error::Result<(CodeOwners, Option<String>)> {
    let configured = config.owners.file != "auto";
    let candidates: Vec<String> = if configured {
        vec![config.owners.file.clone()]
    } else {
        SEARCH_ORDER.iter().map(|s| s.to_string()).collect()
    };
    for rel in candidates {
        // An unreadable CODEOWNERS is an error, never "no owners".
        let Some(text) = files.read(&rel) else {
            continue;
        };
        let text = text?;
        let dialect = match config.owners.dialect {
            crate::config::DialectSetting::Github => Dialect::Github,
            crate::config::DialectSetting::Gitlab => Dialect::Gitlab,
            crate::config::DialectSetting::Auto => {
                detect_dialect(std::path::Path::new(&rel), &text)
            }
        };
        let (owners, problems) = CodeOwners::parse(&text, dialect);
        for p in problems {
            eprintln!("warning: {}:{}: {}", files.display(&rel), p.line, p.message);
        }
        return Ok((owners, Some(rel)));
    }
    if configured {
        return Err(crate::error::with_help(
            format!(
                "owners.file names `{}`, which does not exist ({})",
                config.owners.file,
                files.display(&config.owners.file)
            ),
            "create the CODEOWNERS file, fix the path in imprimatur.yml, or set `owners.file: auto`",
        ));
    }
    Ok((CodeOwners::empty(Dialect::Github), None))
}
