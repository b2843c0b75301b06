//! The scorecard's tables as one model — a caption, columns with their
//! alignment, rows of cells that say what they hold — built once here and
//! drawn by both `markdown` and `html`, so a column is added in one place
//! and the two formats cannot drift apart. Each renderer escapes, links and
//! styles cells in its own way.

use super::figures::POLICY_CHANGED;
use super::figures::{one_decimal, rate, share, thousands, Count, FileRow, Scorecard};
use super::HistoryFigures;

/// How a column's cells line up: text to the left, numbers to the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: &'static str,
    pub align: Align,
}

/// One cell, by what it holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Plain text (numbers included).
    Text(String),
    /// An identifier: an owner, a rule id, a commit.
    Code(String),
    /// A page's project-relative path (HTML links it).
    Page(String),
    /// Several identifiers (a page's owners).
    Codes(Vec<String>),
    /// A finding level (HTML colours it).
    Level(String),
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Shown above the table in HTML; Markdown tables follow their heading.
    pub caption: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table whose first column and `text_columns` are text, the rest numbers.
    pub fn new(caption: &'static str, headers: &[&'static str], text_columns: &[usize]) -> Table {
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, header)| Column {
                header,
                align: if i == 0 || text_columns.contains(&i) {
                    Align::Left
                } else {
                    Align::Right
                },
            })
            .collect();
        Table {
            caption,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn row(mut self, cells: Vec<Cell>) -> Table {
        self.rows.push(cells);
        self
    }

    fn rows(mut self, rows: impl IntoIterator<Item = Vec<Cell>>) -> Table {
        self.rows.extend(rows);
        self
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(n: usize) -> Cell {
    Cell::Text(thousands(n))
}

/// A Flesch–Kincaid grade to one decimal, `—` without prose.
pub fn grade(g: Option<f64>) -> Cell {
    text(g.map_or_else(|| "—".to_string(), one_decimal))
}

/// Whether the spelling columns are shown: only when some page has a
/// spelling finding (a project without spelling rules gets no column of
/// zeros).
fn with_spelling(card: &Scorecard) -> bool {
    card.content.spelling > 0
}

/// The headline figures.
pub fn headline(card: &Scorecard, findings: String) -> Table {
    let f = &card.findings;
    Table::new(
        "Headline",
        &[
            "Pages",
            "Words",
            "Owned",
            "Stale",
            "Expired",
            "Embargoed",
            "Findings",
            "Per 1,000 words",
            "Readability grade",
        ],
        &[],
    )
    .row(vec![
        num(card.content.files),
        num(card.content.words),
        text(format!(
            "{} ({})",
            thousands(card.ownership.owned),
            share(card.ownership.coverage_percent, card.content.files)
        )),
        num(card.freshness.stale),
        num(card.freshness.expired),
        num(card.freshness.embargoed),
        text(findings),
        text(rate(f.per_1000_words, card.content.words)),
        grade(card.content.readability_grade),
    ])
}

/// Pages, words, findings, staleness, spelling and readability per owner.
pub fn owners(card: &Scorecard) -> Table {
    let spelling = with_spelling(card);
    let mut headers = vec![
        "Owner",
        "Pages",
        "Words",
        "Findings",
        "Per 1,000 words",
        "Stale",
    ];
    if spelling {
        headers.push("Spelling");
    }
    headers.push("Readability grade");
    Table::new("By owner", &headers, &[]).rows(card.ownership.by_owner.iter().map(|r| {
        let mut row = vec![
            Cell::Code(r.owner.clone()),
            num(r.files),
            num(r.words),
            num(r.findings),
            text(rate(r.per_1000_words, r.words)),
            num(r.stale),
        ];
        if spelling {
            row.push(num(r.spelling));
        }
        row.push(grade(r.readability_grade));
        row
    }))
}

/// A list of pages: findings by level, words, spelling, readability, owners.
pub fn pages(card: &Scorecard, caption: &'static str, rows: &[FileRow]) -> Table {
    let spelling = with_spelling(card);
    let mut headers = vec![
        "Page",
        "Findings",
        "Errors",
        "Warnings",
        "Info",
        "Words",
        "Per 1,000 words",
    ];
    if spelling {
        headers.push("Spelling");
    }
    headers.push("Readability grade");
    headers.push("Owners");
    let owners_column = headers.len() - 1;
    Table::new(caption, &headers, &[owners_column]).rows(rows.iter().map(|r| {
        let mut row = vec![
            Cell::Page(r.path.clone()),
            num(r.findings),
            num(r.error),
            num(r.warning),
            num(r.info),
            num(r.words),
            text(one_decimal(r.per_1000_words)),
        ];
        if spelling {
            row.push(num(r.spelling));
        }
        row.push(grade(r.readability_grade));
        row.push(Cell::Codes(r.owners.clone()));
        row
    }))
}

pub fn ages(card: &Scorecard) -> Table {
    Table::new("Pages by age", &["Age", "Pages"], &[]).rows(
        card.freshness
            .by_age
            .iter()
            .map(|b| vec![text(b.label.clone()), num(b.files)]),
    )
}

pub fn oldest(card: &Scorecard) -> Table {
    Table::new(
        "Oldest pages",
        &["Page", "Days", "Since", "Owners"],
        &[2, 3],
    )
    .rows(card.freshness.oldest.iter().map(|a| {
        vec![
            Cell::Code(a.path.clone()),
            num(a.age_days.max(0) as usize),
            text(format!("{} ({})", a.since, a.source)),
            Cell::Codes(a.owners.clone()),
        ]
    }))
}

pub fn rules(card: &Scorecard) -> Table {
    Table::new("By rule", &["Rule", "Level", "Findings"], &[1]).rows(
        card.findings.by_rule.iter().map(|r| {
            vec![
                Cell::Code(r.rule.clone()),
                Cell::Level(r.level.to_string()),
                num(r.count),
            ]
        }),
    )
}

/// Two columns: a name (as code or as text) and a count.
pub fn counts(
    caption: &'static str,
    headers: [&'static str; 2],
    rows: &[Count],
    as_code: bool,
) -> Table {
    Table::new(caption, &headers, &[]).rows(rows.iter().map(|c| {
        let name = if as_code {
            Cell::Code(c.name.clone())
        } else {
            text(c.name.clone())
        };
        vec![name, num(c.count)]
    }))
}

pub fn trend(h: &HistoryFigures) -> Table {
    Table::new(
        "The numbers behind the trend",
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
        &[1],
    )
    .rows(h.points.iter().map(|p| match &p.problem {
        Some(problem) => vec![
            text(p.date.clone()),
            Cell::Code(p.commit.clone()),
            text(format!("policy not readable: {problem}")),
        ],
        None => vec![
            text(if p.policy_changed {
                format!("{} ({POLICY_CHANGED})", p.date)
            } else {
                p.date.clone()
            }),
            Cell::Code(p.commit.clone()),
            num(p.files),
            text(share(p.coverage_percent, p.files)),
            num(p.findings),
            num(p.error),
            num(p.warning),
            num(p.info),
            num(p.approvals),
        ],
    }))
}

pub fn approvals_by_policy(h: &HistoryFigures) -> Table {
    Table::new("By policy", &["Policy", "Approvals", "Given by"], &[2]).rows(
        h.approvals.by_policy.iter().map(|p| {
            let who: Vec<String> = p
                .approvers
                .iter()
                .map(|c| format!("{} ({})", c.name, c.count))
                .collect();
            vec![
                text(p.policy.clone()),
                num(p.approvals),
                text(who.join(", ")),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_column_and_named_ones_are_text() {
        let t = Table::new("t", &["a", "b", "c"], &[2]);
        let align: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
        assert_eq!(align, [Align::Left, Align::Right, Align::Left]);
    }

    #[test]
    fn a_grade_has_one_decimal_or_a_dash() {
        assert_eq!(grade(Some(8.456)), Cell::Text("8.5".into()));
        assert_eq!(grade(None), Cell::Text("—".into()));
    }
}
