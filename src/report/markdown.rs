//! The scorecard as GitHub-flavoured Markdown tables, sized for a CI job
//! summary (`$GITHUB_STEP_SUMMARY` takes at most 1 MiB): long lists stop at
//! [`MAX_ROWS`] rows and say how many more there are.

use std::fmt::Write;

use super::figures::{plural, share, thousands, Scorecard, POLICY_CHANGED};
use super::table::{self as tables, Align, Cell, Table};

/// Rows per table before the rest is summed up in one line.
pub const MAX_ROWS: usize = 25;

pub fn render(card: &Scorecard) -> String {
    let mut out = String::new();
    headline(&mut out, card);
    ownership(&mut out, card);
    freshness(&mut out, card);
    findings(&mut out, card);
    top_files(&mut out, card);
    hardest_files(&mut out, card);
    suppressions(&mut out, card);
    history(&mut out, card);
    out
}

/// Text and inline code safe inside a table cell (`crate::escape`).
use crate::escape::{markdown_cell as cell, markdown_code as code};

/// Draws a table of the shared model (`table.rs`); long ones stop at
/// [`MAX_ROWS`] rows and say how many more there are.
fn table(out: &mut String, t: &Table) {
    let headers: Vec<String> = t.columns.iter().map(|c| cell(c.header)).collect();
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let align: Vec<&str> = t
        .columns
        .iter()
        .map(|c| match c.align {
            Align::Left => "---",
            Align::Right => "--:",
        })
        .collect();
    let _ = writeln!(out, "| {} |", align.join(" | "));
    for row in t.rows.iter().take(MAX_ROWS) {
        let cells: Vec<String> = row.iter().map(draw).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if t.rows.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more rows (see `--format json`).",
            t.rows.len() - MAX_ROWS
        );
    }
    out.push('\n');
}

/// One cell as Markdown: text escaped, identifiers and pages as code.
fn draw(c: &Cell) -> String {
    match c {
        Cell::Text(t) | Cell::Level(t) => cell(t),
        Cell::Code(t) | Cell::Page(t) => code(t),
        Cell::Codes(list) => list.iter().map(|o| code(o)).collect::<Vec<_>>().join(" "),
    }
}

fn headline(out: &mut String, card: &Scorecard) {
    let g = &card.generated;
    let commit = g
        .commit
        .as_deref()
        .map(|c| format!(" at `{}`", &c[..c.len().min(12)]))
        .unwrap_or_default();
    let _ = writeln!(out, "# Content governance report\n");
    let _ = writeln!(out, "{}{commit}, dates judged on {}.\n", g.source, g.today);
    let f = &card.findings;
    let findings = format!(
        "{} ({}, {}, {} info)",
        thousands(f.total),
        plural(f.error, "error", "errors"),
        plural(f.warning, "warning", "warnings"),
        thousands(f.info)
    );
    table(out, &tables::headline(card, findings));
}

fn ownership(out: &mut String, card: &Scorecard) {
    let o = &card.ownership;
    let _ = writeln!(out, "## Ownership\n");
    if o.owned + o.unowned == 0 {
        let _ = writeln!(out, "No content pages, so nothing to own.\n");
        return;
    }
    let _ = writeln!(
        out,
        "{} of {} owned in CODEOWNERS ({}).\n",
        thousands(o.owned),
        plural(o.owned + o.unowned, "page", "pages"),
        share(o.coverage_percent, o.owned + o.unowned)
    );
    if o.by_owner.is_empty() {
        return;
    }
    table(out, &tables::owners(card));
    if o.unowned > 0 {
        let listed: Vec<String> = o.unowned_files.iter().map(|p| code(p)).collect();
        let more = o.unowned - o.unowned_files.len();
        let _ = write!(out, "Unowned: {}", listed.join(", "));
        if more > 0 {
            let _ = write!(out, " and {more} more (`imprimatur owners --unowned`)");
        }
        out.push_str(".\n\n");
    }
}

fn freshness(out: &mut String, card: &Scorecard) {
    let f = &card.freshness;
    let _ = writeln!(out, "## Freshness\n");
    let _ = writeln!(
        out,
        "Age since the front-matter review date ({} pages) or, without one, the last commit that changed the page ({} pages); stale: older than {} days.\n",
        thousands(f.reviewed_in_front_matter),
        thousands(f.dated_by_git),
        f.max_age_days
    );
    table(out, &tables::ages(card));
    let _ = writeln!(
        out,
        "Stale: {}. Expired: {}. Embargoed: {}.\n",
        thousands(f.stale),
        thousands(f.expired),
        thousands(f.embargoed)
    );
    if !f.oldest.is_empty() {
        table(out, &tables::oldest(card));
    }
}

fn findings(out: &mut String, card: &Scorecard) {
    let f = &card.findings;
    let _ = writeln!(out, "## Findings\n");
    if f.total == 0 {
        let _ = writeln!(out, "No findings.\n");
        return;
    }
    table(out, &tables::rules(card));
    table(
        out,
        &tables::counts("By owner", ["Owner", "Findings"], &f.by_owner, true),
    );
}

fn top_files(out: &mut String, card: &Scorecard) {
    if card.top_files.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Pages with the most findings\n");
    table(out, &tables::pages(card, "Worst pages", &card.top_files));
}

/// The pages with the highest reading grade.
fn hardest_files(out: &mut String, card: &Scorecard) {
    if card.hardest_files.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Pages hardest to read\n");
    let _ = writeln!(
        out,
        "Flesch–Kincaid grade of each page's paragraphs, list items and block quotes (the school year a reader needs; 8 is plain English).\n"
    );
    table(
        out,
        &tables::pages(card, "Hardest to read", &card.hardest_files),
    );
}

fn suppressions(out: &mut String, card: &Scorecard) {
    let s = &card.suppressions;
    let _ = writeln!(out, "## Suppressions\n");
    if s.total == 0 {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(
        out,
        "{} suppressed.\n",
        plural(s.total, "finding", "findings")
    );
    table(
        out,
        &tables::counts("By rule", ["Rule", "Suppressed"], &s.by_rule, true),
    );
    table(
        out,
        &tables::counts("By reason", ["Reason", "Suppressed"], &s.by_reason, false),
    );
}

fn history(out: &mut String, card: &Scorecard) {
    let Some(h) = &card.history else {
        let _ = writeln!(out, "## Trend\n\nNot a git repository: no history.\n");
        return;
    };
    let _ = writeln!(out, "## Trend, {} to {}\n", h.from, h.to);
    if h.shallow {
        let _ = writeln!(
            out,
            "This is a shallow clone: history stops where the clone does.\n"
        );
    }
    if h.points.is_empty() {
        let _ = writeln!(out, "No commit on or before {}.\n", h.to);
    } else {
        trend_table(out, h);
    }
    let a = &h.approvals;
    let _ = writeln!(out, "## Approvals recorded, {} to {}\n", h.from, h.to);
    let _ = writeln!(
        out,
        "{} in {} of {} (trailers; `gate` judges whether each is trusted).\n",
        plural(a.approvals, "approval", "approvals"),
        thousands(a.commits_with_approvals),
        plural(a.commits, "commit", "commits")
    );
    if a.approvals == 0 {
        return;
    }
    table(out, &tables::approvals_by_policy(h));
}

fn trend_table(out: &mut String, h: &super::HistoryFigures) {
    table(out, &tables::trend(h));
    if h.points.iter().any(|p| p.policy_changed) {
        let _ = writeln!(
            out,
            "({POLICY_CHANGED}): the config, rule packs or CODEOWNERS differ from the previous point's, so the figures can move without any content changing.\n"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_a_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(code("x|y.md"), "`x\\|y.md`");
        assert_eq!(code("a`b"), "``a`b``");
    }

    #[test]
    fn long_tables_stop_and_say_so() {
        let mut out = String::new();
        let mut t = Table::new("n", &["n"], &[]);
        for i in 0..MAX_ROWS + 3 {
            t = t.row(vec![Cell::Text(i.to_string())]);
        }
        table(&mut out, &t);
        assert_eq!(
            out.lines().filter(|l| l.starts_with("| ")).count(),
            MAX_ROWS + 2
        );
        assert!(out.contains("…and 3 more rows"));
    }
}
