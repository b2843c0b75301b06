//! One module per subcommand. Each returns its exit status or an error,
//! which `run` prints with miette and turns into exit status 2.

use crate::cli::{Cli, Command};

pub mod check;
pub mod emit;
pub mod gate;
pub mod init;
pub mod owners;
pub mod report;
pub mod rules;
pub mod stdin;

/// Exit status of a run that found nothing to report.
pub const EXIT_OK: i32 = 0;
/// Exit status of a run with findings at or above the fail level, or a blocked gate.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status of a usage, config or runtime error.
pub const EXIT_ERROR: i32 = 2;

pub fn run(cli: Cli) -> i32 {
    set_error_width();
    let result: crate::error::Result<i32> = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Gate(args) => gate::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Owners(args) => owners::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Lsp => Ok(crate::lsp::run()),
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            EXIT_ERROR
        }
    }
}

/// Errors wrap at `COLUMNS` when it is set (as `ls` and `git` honour it), so
/// scripts and tests get the same rendering at any terminal.
fn set_error_width() {
    let Some(width) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|w| *w > 0)
    else {
        return;
    };
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().width(width).build())
    }));
}

/// Load warnings (rules that cannot be honoured, overrides naming nothing)
/// on stderr, one a line.
fn print_warnings<'a>(warnings: impl IntoIterator<Item = &'a str>) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}
