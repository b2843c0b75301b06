//! Command-line definitions (clap derive) and the dispatch to `commands::*`.
//! Nothing here does work: each subcommand lives in its own module.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Level;

#[derive(Debug, Parser)]
#[command(
    name = "imprimatur",
    version = env!("IMPRIMATUR_VERSION"),
    about = "Content governance linter and publish gate for Markdown repositories"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint content files against the configured rule packs.
    Check(CheckArgs),
    /// Judge a range of commits: lint, ownership, approvals. Exit 1 when blocked.
    Gate(GateArgs),
    /// Show who owns each path according to CODEOWNERS.
    Owners(OwnersArgs),
    /// List the loaded rules, or explain one.
    Rules(RulesArgs),
    /// Governance scorecard: ownership, freshness, findings.
    Report(ReportArgs),
    /// Write a commented imprimatur.yml and an example rule pack.
    Init(InitArgs),
    /// Language Server (LSP 3.17) over standard input and output, for editors.
    Lsp,
}

pub use crate::output::Format;
pub use crate::ownership::Dialect;
pub use crate::report::ReportFormat;

/// `--config`, flattened into every command that reads a project's config.
#[derive(Debug, Args, Clone)]
pub struct ProjectArgs {
    /// Use this config file instead of searching for imprimatur.yml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the configured content set).
    pub paths: Vec<PathBuf>,
    /// Check the blobs staged in the index instead of the working tree.
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,
    /// Check the files of a commit's tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Only files changed since merge-base(BASE, HEAD). Without BASE, the
    /// pull or merge request's base from the CI environment.
    #[arg(long, value_name = "BASE", num_args = 0..=1, default_missing_value = "")]
    pub changed: Option<String>,
    /// Keep only findings on added or modified lines.
    #[arg(long)]
    pub changed_lines: bool,
    /// Apply safe fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: print a unified diff of the fixes and write nothing
    /// (exit 1 when there is something to fix).
    #[arg(long, requires = "fix")]
    pub diff: bool,
    /// End the human output with a count of findings per rule.
    #[arg(long)]
    pub statistics: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding at or above this level remains.
    #[arg(long, value_enum, default_value_t = Level::Error)]
    pub fail_level: Level,
    /// Hide findings below this level (default: a Vale config's
    /// `MinAlertLevel`, else info).
    #[arg(long, value_enum)]
    pub min_level: Option<Level>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Check only shard K of N (1-based), for CI matrices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Judge dates as of this day (YYYY-MM-DD), for reproducible runs.
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<i64>,
    /// Check every file again: neither read nor write the result cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Keep the result cache here (default: `.git/imprimatur/`, else the user's cache directory).
    #[arg(long, value_name = "DIR", env = "IMPRIMATUR_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Print how many files came from the cache, and the time taken, to stderr.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Check the text on standard input as if it were the file PATH (PATH's
    /// config, content-set membership and rules); `check -` reads it too.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

/// `--today`: a YYYY-MM-DD date as days since 1970-01-01.
pub fn parse_today(text: &str) -> Result<i64, String> {
    crate::calendar::parse_days(text).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

#[derive(Debug, Args)]
#[command(mut_arg("config", |arg| {
    arg.help("Locate the project by this config file instead of searching for imprimatur.yml; \
              the file is read from the policy revision (the merge base unless --policy-from head)")
}))]
pub struct GateArgs {
    /// The branch the change merges into.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The tip of the change.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub head: String,
    /// A GitHub pull-request reviews JSON or GitLab approvals JSON.
    #[arg(long, value_name = "FILE")]
    pub reviews: Option<PathBuf>,
    /// Read policy (config, packs, CODEOWNERS) from the merge-base or from head.
    #[arg(long, value_enum, default_value_t = PolicyFrom::Base)]
    pub policy_from: PolicyFrom,
    /// Lint only the lines the change added or modified.
    #[arg(long)]
    pub changed_lines: bool,
    /// Findings at or above this level block the gate.
    #[arg(long, value_enum, default_value_t = Level::Error)]
    pub fail_level: Level,
    /// Judge dates as of this day (YYYY-MM-DD), for reproducible runs.
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<i64>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyFrom {
    Base,
    Head,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OwnersFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct OwnersArgs {
    /// Paths to resolve (existing or not). Default: every content file.
    pub paths: Vec<String>,
    /// List only content files that nobody owns.
    #[arg(long)]
    pub unowned: bool,
    /// Read this CODEOWNERS file instead of the one GitHub or GitLab would find.
    #[arg(long, value_name = "FILE")]
    pub codeowners: Option<PathBuf>,
    /// CODEOWNERS dialect (default: from config, else detected).
    #[arg(long, value_enum)]
    pub dialect: Option<Dialect>,
    #[arg(long, value_enum, default_value_t = OwnersFormat::Human)]
    pub format: OwnersFormat,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the documentation of one rule (pack or built-in id) or rule kind
    /// (`forbid`, …), or list a pack's rules.
    #[arg(long, value_name = "ID|PACK|KIND", conflicts_with = "export")]
    pub explain: Option<String>,
    /// Print a pack (`builtin:claims`, or a pack file of `rules:`) as YAML to copy and own.
    #[arg(long, value_name = "PACK")]
    pub export: Option<String>,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format: markdown (for $GITHUB_STEP_SUMMARY), html (one
    /// self-contained page) or json (every figure, for dashboards).
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How far back the trend and the approvals go: days or weeks (90d, 12w).
    #[arg(long, value_name = "DURATION", default_value = "90d", value_parser = parse_since)]
    pub since: u32,
    /// Report on a commit's tree (content, config, packs and CODEOWNERS)
    /// instead of the working tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Judge dates as of this day (YYYY-MM-DD), for reproducible runs.
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<i64>,
    #[command(flatten)]
    pub project: ProjectArgs,
}

/// `--since`: a number of days (`90d`) or weeks (`12w`), as days.
pub fn parse_since(text: &str) -> Result<u32, String> {
    crate::report::parse_duration_days(text)
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to initialise (default: the repository root or the current directory).
    pub dir: Option<PathBuf>,
}

/// Parses arguments, runs the command and maps the outcome to an exit status:
/// 0 pass, 1 findings or blocked, 2 usage, config or runtime error.
pub fn main() -> i32 {
    crate::commands::run(Cli::parse())
}

// The library's enums as command-line values: clap stays in this layer.

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Format::Human,
            Format::Json,
            Format::Line,
            Format::Sarif,
            Format::Github,
            Format::Gitlab,
            Format::Junit,
            Format::Checkstyle,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Line => "line",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Junit => "junit",
            Format::Checkstyle => "checkstyle",
        }))
    }
}

impl ValueEnum for ReportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            ReportFormat::Markdown,
            ReportFormat::Json,
            ReportFormat::Html,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            ReportFormat::Markdown => "markdown",
            ReportFormat::Json => "json",
            ReportFormat::Html => "html",
        }))
    }
}

impl ValueEnum for Level {
    fn value_variants<'a>() -> &'a [Self] {
        &[Level::Info, Level::Warning, Level::Error]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let value = clap::builder::PossibleValue::new(self.as_str());
        // Vale calls `info` `suggestion`.
        Some(match self {
            Level::Info => value.alias("suggestion"),
            _ => value,
        })
    }
}

impl ValueEnum for Dialect {
    fn value_variants<'a>() -> &'a [Self] {
        &[Dialect::Github, Dialect::Gitlab]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Dialect::Github => "github",
            Dialect::Gitlab => "gitlab",
        }))
    }
}
