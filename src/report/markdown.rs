//! The scorecard as GitHub-flavoured Markdown tables, sized for a CI job
//! summary (`$GITHUB_STEP_SUMMARY` takes at most 1 MiB): long lists stop at
//! [`MAX_ROWS`] rows and say how many more there are.

use std::fmt::Write;

use super::figures::{
    one_decimal, plural, rate, share, thousands, Count, Scorecard, POLICY_CHANGED,
};

/// Rows per table before the rest is summed up in one line.
pub const MAX_ROWS: usize = 25;

pub fn render(card: &Scorecard) -> String {
    let mut out = String::new();
    headline(&mut out, card);
    ownership(&mut out, card);
    freshness(&mut out, card);
    findings(&mut out, card);
    top_files(&mut out, card);
    suppressions(&mut out, card);
    history(&mut out, card);
    out
}

/// Text and inline code safe inside a table cell (`crate::escape`).
use crate::escape::{markdown_cell as cell, markdown_code as code};

/// A table; columns after the first are right-aligned numbers unless
/// `text_columns` names them.
fn table(out: &mut String, header: &[&str], rows: Vec<Vec<String>>, text_columns: &[usize]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let align: Vec<&str> = (0..header.len())
        .map(|i| {
            if i == 0 || text_columns.contains(&i) {
                "---"
            } else {
                "--:"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", align.join(" | "));
    let total = rows.len();
    for row in rows.into_iter().take(MAX_ROWS) {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    if total > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n…and {} more rows (see `--format json`).",
            total - MAX_ROWS
        );
    }
    out.push('\n');
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
    table(
        out,
        &[
            "Pages",
            "Words",
            "Owned",
            "Stale",
            "Expired",
            "Embargoed",
            "Findings",
            "Per 1,000 words",
        ],
        vec![vec![
            thousands(card.content.files),
            thousands(card.content.words),
            format!(
                "{} ({})",
                thousands(card.ownership.owned),
                share(card.ownership.coverage_percent, card.content.files)
            ),
            thousands(card.freshness.stale),
            thousands(card.freshness.expired),
            thousands(card.freshness.embargoed),
            format!(
                "{} ({}, {}, {} info)",
                thousands(f.total),
                plural(f.error, "error", "errors"),
                plural(f.warning, "warning", "warnings"),
                thousands(f.info)
            ),
            rate(f.per_1000_words, card.content.words),
        ]],
        &[],
    );
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
    let rows = o
        .by_owner
        .iter()
        .map(|r| {
            vec![
                code(&r.owner),
                thousands(r.files),
                thousands(r.words),
                thousands(r.findings),
                rate(r.per_1000_words, r.words),
                thousands(r.stale),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Owner",
            "Pages",
            "Words",
            "Findings",
            "Per 1,000 words",
            "Stale",
        ],
        rows,
        &[],
    );
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
    let rows = f
        .by_age
        .iter()
        .map(|b| vec![b.label.clone(), thousands(b.files)])
        .collect();
    table(out, &["Age", "Pages"], rows, &[]);
    let _ = writeln!(
        out,
        "Stale: {}. Expired: {}. Embargoed: {}.\n",
        thousands(f.stale),
        thousands(f.expired),
        thousands(f.embargoed)
    );
    if !f.oldest.is_empty() {
        let rows = f
            .oldest
            .iter()
            .map(|a| {
                vec![
                    code(&a.path),
                    thousands(a.age_days.max(0) as usize),
                    format!("{} ({})", a.since, a.source),
                    a.owners
                        .iter()
                        .map(|o| code(o))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect();
        table(
            out,
            &["Oldest pages", "Days", "Since", "Owners"],
            rows,
            &[2, 3],
        );
    }
}

fn findings(out: &mut String, card: &Scorecard) {
    let f = &card.findings;
    let _ = writeln!(out, "## Findings\n");
    if f.total == 0 {
        let _ = writeln!(out, "No findings.\n");
        return;
    }
    let rows = f
        .by_rule
        .iter()
        .map(|r| vec![code(&r.rule), r.level.to_string(), thousands(r.count)])
        .collect();
    table(out, &["Rule", "Level", "Findings"], rows, &[1]);
    table(out, &["Owner", "Findings"], counts(&f.by_owner, true), &[]);
}

fn counts(rows: &[Count], as_code: bool) -> Vec<Vec<String>> {
    rows.iter()
        .map(|c| {
            let name = if as_code {
                code(&c.name)
            } else {
                cell(&c.name)
            };
            vec![name, thousands(c.count)]
        })
        .collect()
}

fn top_files(out: &mut String, card: &Scorecard) {
    if card.top_files.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Pages with the most findings\n");
    let rows = card
        .top_files
        .iter()
        .map(|r| {
            vec![
                code(&r.path),
                thousands(r.findings),
                thousands(r.error),
                thousands(r.warning),
                thousands(r.info),
                one_decimal(r.per_1000_words),
                r.owners
                    .iter()
                    .map(|o| code(o))
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Page",
            "Findings",
            "Errors",
            "Warnings",
            "Info",
            "Per 1,000 words",
            "Owners",
        ],
        rows,
        &[6],
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
    table(out, &["Rule", "Suppressed"], counts(&s.by_rule, true), &[]);
    table(
        out,
        &["Reason", "Suppressed"],
        counts(&s.by_reason, false),
        &[],
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
    let rows = a
        .by_policy
        .iter()
        .map(|p| {
            let who: Vec<String> = p
                .approvers
                .iter()
                .map(|c| format!("{} ({})", cell(&c.name), c.count))
                .collect();
            vec![cell(&p.policy), thousands(p.approvals), who.join(", ")]
        })
        .collect();
    table(out, &["Policy", "Approvals", "Given by"], rows, &[2]);
}

fn trend_table(out: &mut String, h: &super::HistoryFigures) {
    let rows = h
        .points
        .iter()
        .map(|p| match &p.problem {
            Some(problem) => vec![
                p.date.clone(),
                code(&p.commit),
                format!("policy not readable: {}", cell(problem)),
            ],
            None => vec![
                day_cell(p),
                code(&p.commit),
                thousands(p.files),
                share(p.coverage_percent, p.files),
                thousands(p.findings),
                thousands(p.error),
                thousands(p.warning),
                thousands(p.info),
                thousands(p.approvals),
            ],
        })
        .collect();
    table(
        out,
        &[
            "Day",
            "Commit",
            "Pages",
            "Owned",
            "Findings",
            "Errors",
            "Warnings",
            "Info",
            "Approvals that week",
        ],
        rows,
        &[1],
    );
    if h.points.iter().any(|p| p.policy_changed) {
        let _ = writeln!(
            out,
            "({POLICY_CHANGED}): the config, rule packs or CODEOWNERS differ from the previous point's, so the figures can move without any content changing.\n"
        );
    }
}

/// A trend point's day, marked when its policy differs from the previous point's.
fn day_cell(p: &super::TrendPoint) -> String {
    if p.policy_changed {
        format!("{} ({POLICY_CHANGED})", p.date)
    } else {
        p.date.clone()
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
        let rows = (0..MAX_ROWS + 3).map(|i| vec![i.to_string()]).collect();
        table(&mut out, &["n"], rows, &[]);
        assert_eq!(
            out.lines().filter(|l| l.starts_with("| ")).count(),
            MAX_ROWS + 2
        );
        assert!(out.contains("…and 3 more rows"));
    }
}
