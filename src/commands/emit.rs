//! What a command writes: its text on stdout (the one place output reaches
//! stdout; the library only writes into a `Write` it is given) and, for a
//! report with `--format github`, the job summary appended to the file
//! `$GITHUB_STEP_SUMMARY` names. The output layer makes the summary's text;
//! writing into the CI's file is the command's business, as the environment
//! is.

use std::io::Write;

use crate::gate::Decision;
use crate::output::{self, Format, Paths, Report};

/// Writes `report` (and the gate's `decision`) in `format` to stdout, then
/// the job summary for `--format github`.
pub fn report(
    format: Format,
    report: &Report,
    decision: Option<&Decision>,
    paths: &Paths,
) -> std::io::Result<()> {
    with_stdout(|out| format.writer()(report, decision, paths, out))?;
    if format == Format::Github {
        append_step_summary(&output::step_summary(report, decision, paths));
    }
    Ok(())
}

/// Appends `summary` to `$GITHUB_STEP_SUMMARY` when it is set. The summary
/// is a courtesy: when it cannot be written the run goes on and says why on
/// stderr.
fn append_step_summary(summary: &str) {
    let Some(file) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|f| !f.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
        .and_then(|mut f| f.write_all(summary.as_bytes()));
    if let Err(e) = written {
        eprintln!(
            "warning: cannot write the step summary to {}: {e}",
            std::path::Path::new(&file).display()
        );
    }
}

/// Writes `text` to stdout. A closed pipe is not an error.
pub fn text(text: &str) -> std::io::Result<()> {
    with_stdout(|out| out.write_all(text.as_bytes()))
}

/// Runs `write` on buffered stdout and flushes it. A closed pipe (the reader
/// has gone away) is not an error.
fn with_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = write(&mut out).and_then(|()| out.flush());
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
