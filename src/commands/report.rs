//! `imprimatur report`: the governance scorecard, as Markdown, HTML or JSON,
//! to standard output or `--out FILE`. It judges nothing: exit 0 unless the
//! report cannot be made (exit 2).

use std::path::Path;

use super::EXIT_OK;
use crate::cli::ReportArgs;
use crate::error::Result;
use crate::workspace::Workspace;

pub fn run(args: &ReportArgs) -> Result<i32> {
    let ws = Workspace::open(args.project.config.as_deref())?;
    let options = crate::report::Options {
        rev: args.rev.clone(),
        today: args.today.unwrap_or_else(crate::calendar::today),
        since_days: args.since,
    };
    let built = crate::report::build(&ws, &options)?;
    super::print_warnings(built.warnings.iter().map(String::as_str));
    let card = built.card;
    // Page links in the HTML are relative to where the report is read from:
    // the output file's directory, or the current directory.
    let out = args.out.as_ref().map(|p| ws.cwd.join(p));
    let from = out
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(&ws.cwd)
        .to_path_buf();
    let text = crate::report::render(&card, args.format, &link_base(&ws.root, &from));
    match out {
        Some(path) => std::fs::write(&path, &text)
            .map_err(|e| crate::error::plain(format!("cannot write {}: {e}", path.display())))?,
        None => super::emit::text(&text)
            .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?,
    }
    Ok(EXIT_OK)
}

/// The relative way from directory `from` to the project `root`, ending in
/// `/` (empty when they are the same).
fn link_base(root: &Path, from: &Path) -> String {
    let from = from.canonicalize().unwrap_or_else(|_| from.to_path_buf());
    match pathdiff::diff_paths(root, &from) {
        Some(rel) if rel.as_os_str().is_empty() => String::new(),
        Some(rel) => format!("{}/", crate::source::relative(Path::new(""), &rel)),
        None => format!("{}/", root.display()),
    }
}
