//! CODEOWNERS as the config asks for it, from the working tree or a commit.

use super::{detect_dialect, CodeOwners, Dialect, SEARCH_ORDER};
use crate::config::Config;
use crate::source::policy_files::PolicyFiles;

/// The CODEOWNERS file the config names (`owners.file`, or the first of
/// [`SEARCH_ORDER`]), read with the configured or detected dialect. Problems
/// are printed as warnings; with no file, nothing is owned.
pub fn load_configured(files: &dyn PolicyFiles, config: &Config) -> (CodeOwners, Option<String>) {
    let candidates: Vec<String> = if config.owners.file == "auto" {
        SEARCH_ORDER.iter().map(|s| s.to_string()).collect()
    } else {
        vec![config.owners.file.clone()]
    };
    for rel in candidates {
        if let Some(Ok(text)) = files.read(&rel) {
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
            return (owners, Some(rel));
        }
    }
    (CodeOwners::empty(Dialect::Github), None)
}
