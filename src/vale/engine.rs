//! Runs a file's Vale rules over its blocks, in document order: each rule
//! reads the views its scope selects, alerts map to exact source spans, and
//! comment controls, ignore patterns, `limit` and duplicates are applied.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::blocks::{self, Block, Shape, View};
use super::config::FilePolicy;
use super::controls::Controls;
use super::metric::Metric;
use super::{Alert, Check, IniPolicy, ValeProject, ValeRule};
use crate::document::Document;
use crate::finding::{Finding, Fix, Level, Suppressed};
use crate::rules::terms::Hit;
use crate::rules::{Kind, Rule, RuleSet};

/// An applicable Vale rule: its index in the rule set, the rule, its Vale part.
type Active<'s> = (usize, &'s Rule, &'s ValeRule);

/// The findings of every applicable Vale rule on `doc`. What a Vale comment
/// control silences goes to `suppressed`; with `require_reason`, a control
/// that switches rules off without a `<!-- reason: … -->` beside it is an
/// `imprimatur/suppression` error.
pub fn check(
    doc: &Document,
    set: &RuleSet,
    applicable: &[bool],
    require_reason: bool,
    out: &mut Vec<Finding>,
    suppressed: &mut Vec<Suppressed>,
) {
    let project = &set.vale;
    let policy = project.ini.as_ref().map(|p| (p, p.for_file(&doc.path)));
    let active = active_rules(set, applicable, policy.as_ref());
    if active.is_empty() {
        return;
    }
    let file = policy.as_ref().map(|(_, f)| f);
    let Ignored {
        ignores,
        breaks,
        hidden,
    } = ignored_ranges(doc, project, file);
    // Vale rewrites each `BlockIgnores` match into a code block before it
    // parses the page, which ends the paragraph (list item, heading…) the
    // match stood in; the text after it is a paragraph of its own.
    let broken;
    let doc = if breaks.is_empty() {
        doc
    } else {
        broken = doc.with_block_breaks(&breaks);
        &broken
    };
    let wants = |s: &str| active.iter().any(|(_, _, v)| v.scope.mentions(s));
    let blocks = blocks::blocks(doc, &shape(project, hidden), wants("summary"));
    let views = blocks::views(&blocks, wants("sentence"), wants("paragraph"));
    let base_styles = file.map(|f| f.base_styles.clone()).unwrap_or_default();
    let controls = Controls::new(doc, &base_styles);
    if require_reason {
        out.extend(unexplained_controls(doc, &controls));
    }
    let mut pass = Pass {
        doc,
        set,
        blocks: &blocks,
        controls: &controls,
        ignores: &ignores,
        literal_rules: literal_rules(&active),
        state: RunState::default(),
        hits: Vec::new(),
        suppressed,
    };
    for view in &views {
        pass.view(view, &active);
    }
    out.extend(pass.state.findings);
}

/// The rules that apply to the file and that its Vale config runs.
fn active_rules<'s>(
    set: &'s RuleSet,
    applicable: &[bool],
    policy: Option<&(&IniPolicy, FilePolicy)>,
) -> Vec<Active<'s>> {
    set.rules
        .iter()
        .enumerate()
        .filter(|(i, _)| applicable[*i])
        .filter_map(|(i, r)| match &r.kind {
            Kind::Vale(v) => Some((i, r, v.as_ref())),
            _ => None,
        })
        .filter(|(_, r, v)| match policy {
            Some((p, file)) => file.runs(&p.global_checks, &r.id, &v.style),
            None => true,
        })
        .collect()
}

/// How the config shapes the blocks; `hidden` is inline HTML Vale does not read.
fn shape(project: &ValeProject, hidden: Vec<Range<usize>>) -> Shape {
    Shape {
        skipped: project.skipped_scopes.clone(),
        hidden,
        classes: project.ignored_classes.clone(),
        inline_hidden: Shape::inline_scopes(&project.ignored_scopes),
        ignored: (!project.ignored_scopes.is_empty())
            .then(|| super::scope::RuleScope::parse(&project.ignored_scopes).ok())
            .flatten(),
    }
}

/// `require_reason`: each control that switches rules off with no reason beside it.
fn unexplained_controls<'d>(
    doc: &'d Document,
    controls: &'d Controls,
) -> impl Iterator<Item = Finding> + 'd {
    controls
        .disabling
        .iter()
        .filter(|c| c.reason.is_none())
        .map(|c| Finding {
            path: doc.path.clone(),
            rule: crate::suppress::SUPPRESSION_RULE.into(),
            level: Level::Error,
            message:
                "Vale comment control without a reason: add `<!-- reason: why -->` next to it."
                    .into(),
            found: doc.text[c.range.clone()].to_string(),
            span: doc.span(c.range.clone()),
            fix: None,
            suggestions: Vec::new(),
        })
}

/// Existence rules whose tokens are literal: they share the rule set's
/// automaton instead of running a regex each.
fn literal_rules(active: &[Active]) -> HashSet<usize> {
    active
        .iter()
        .filter(|(_, _, v)| matches!(&v.check, Check::Existence(e) if e.literals.is_some()))
        .map(|(i, _, _)| *i)
        .collect()
}

/// Vale runs `raw` and `summary` rules after the whole page, with every
/// rule switch reset and `vale off` as the page left it.
fn after_page(block: &Block) -> bool {
    matches!(block.family, blocks::Family::Raw | blocks::Family::Summary)
}

/// One file's pass over its views, and what the views' rules share.
struct Pass<'a> {
    doc: &'a Document,
    set: &'a RuleSet,
    blocks: &'a [Block],
    controls: &'a Controls,
    /// `TokenIgnores` and `BlockIgnores` matches: no alert inside them.
    ignores: &'a [Range<usize>],
    literal_rules: HashSet<usize>,
    state: RunState,
    /// The literal rules' hits on the current view, found once per view.
    hits: Vec<Hit>,
    suppressed: &'a mut Vec<Suppressed>,
}

impl Pass<'_> {
    /// Every rule whose scope reads `view`, over its text.
    fn view(&mut self, view: &View, active: &[Active]) {
        let blocks = self.blocks;
        let block = &blocks[view.block];
        let text = &block.seg.text[view.range.clone()];
        let sections: Vec<&str> = view.sections.iter().map(String::as_str).collect();
        self.hits.clear();
        let mut scanned = false;
        for &(index, rule, vale) in active {
            if !vale.scope.matches(&sections) {
                continue;
            }
            if let Check::Metric(m) = &vale.check {
                self.metric(m, rule, vale, block, text);
                continue;
            }
            if self.literal_rules.contains(&index) && !scanned {
                self.set.terms.hits(text, &mut self.hits);
                let literal = &self.literal_rules;
                self.hits.retain(|h| literal.contains(&h.rule));
                scanned = true;
            }
            for alert in self.alerts((index, rule, vale), block, view, text) {
                self.place(rule, vale, block, view, text, alert);
            }
        }
    }

    /// A metric rule reads the summary with the document's block counts.
    fn metric(&mut self, m: &Metric, rule: &Rule, vale: &ValeRule, block: &Block, text: &str) {
        let message = m
            .run(text, self.doc, self.blocks, &vale.message)
            .unwrap_or_else(|e| Some(format!("{}: {e}", rule.id)));
        let at = self.doc.start_span().start;
        let off = if after_page(block) {
            self.controls.at_end()
        } else {
            self.controls.disabled(&rule.id, "", at)
        };
        if let Some(message) = message.filter(|_| off.is_none()) {
            self.state
                .push(self.doc, rule, vale, at..at, String::new(), message, None);
        }
    }

    /// One rule's alerts on one view's text (ranges in `text`). A script
    /// that fails is one error finding and does not run on the file again.
    fn alerts(&mut self, active: Active, block: &Block, view: &View, text: &str) -> Vec<Alert> {
        let (index, rule, vale) = active;
        match &vale.check {
            Check::Existence(e) if self.literal_rules.contains(&index) => {
                e.judge(text, &vale.message, leftmost_first(&self.hits, index))
            }
            Check::Script(_) if self.state.failed_scripts.contains(&index) => Vec::new(),
            Check::Script(script) => match script.run(text, &vale.message) {
                Ok(alerts) => alerts,
                Err(why) => {
                    let at = empty_anchor(self.doc, block, &(view.range.start..view.range.start));
                    self.state.script_failed(self.doc, rule, index, at, why);
                    Vec::new()
                }
            },
            _ => run(vale, text, &mut self.state, index),
        }
    }

    /// An alert becomes a finding at its source span, unless it falls in
    /// an ignore pattern or where Vale could not place it (dropped), or a
    /// comment control switches its rule off there (suppressed).
    fn place(
        &mut self,
        rule: &Rule,
        vale: &ValeRule,
        block: &Block,
        view: &View,
        text: &str,
        alert: Alert,
    ) {
        let r = view.range.start + alert.range.start..view.range.start + alert.range.end;
        let found = block.seg.text[r.clone()].to_string();
        let Some((source, verbatim)) = self.source_of(block, text, &r, &alert.range, &found) else {
            return;
        };
        // Vale's `raw` scope reads the file's lines before any ignore
        // pattern rewrote them.
        if block.family != blocks::Family::Raw
            && self
                .ignores
                .iter()
                .any(|i| i.start < source.end.max(source.start + 1) && source.start < i.end)
        {
            return;
        }
        let origin = if after_page(block) {
            self.controls.at_end()
        } else {
            self.controls.disabled(&rule.id, &found, source.start)
        };
        if let Some(origin) = origin {
            self.suppressed.push(Suppressed {
                finding: Finding {
                    path: self.doc.path.clone(),
                    rule: rule.id.clone(),
                    level: rule.level,
                    message: alert.message,
                    found,
                    span: self.doc.span(source),
                    fix: None,
                    suggestions: Vec::new(),
                },
                reason: origin.reason.clone(),
                comment_line: origin.line,
            });
            return;
        }
        let provable = verbatim && self.doc.fix_is_provable(&source, &found);
        let fix = alert
            .fix
            .filter(|_| provable)
            .map(|replacement| Fix { replacement });
        let before = self.state.findings.len();
        self.state
            .push(self.doc, rule, vale, source, found, alert.message, fix);
        if let (Check::Spelling(s), Some(f)) = (&vale.check, self.state.findings.get_mut(before)) {
            f.suggestions = s.suggest(&f.found);
        }
    }

    /// The source span of view range `r` (block text), and whether the
    /// source there reads as `found`. Where it does not, Vale searches the
    /// source for the alert's text and guesses a line, or drops the alert
    /// (`None`).
    fn source_of(
        &self,
        block: &Block,
        text: &str,
        r: &Range<usize>,
        in_text: &Range<usize>,
        found: &str,
    ) -> Option<(Range<usize>, bool)> {
        if r.is_empty() {
            return Some((empty_anchor(self.doc, block, r), true));
        }
        let source = block.seg.source_range(r.clone());
        if is_verbatim(self.doc, &source, found) {
            return Some((source, true));
        }
        let from = match block.family {
            blocks::Family::Summary => 0,
            _ => block.seg.pieces.first().map_or(0, |p| p.source.start),
        };
        let line_start = super::locate::guess(text, in_text, &self.doc.text, from)?;
        Some((line_start..line_start, false))
    }
}

/// One rule over one view's text.
fn run(vale: &ValeRule, text: &str, state: &mut RunState, index: usize) -> Vec<Alert> {
    match &vale.check {
        Check::Existence(e) => e.run(text, &vale.message),
        Check::Substitution(s) => s.run(text, &vale.message),
        Check::Occurrence(o) => o.run(text, &vale.message),
        Check::Repetition(r) => r.run(text, &vale.message),
        Check::Capitalization(c) => c.run(text, &vale.message),
        Check::Consistency(c) => c.run(
            text,
            &vale.message,
            state.spellings.entry(index).or_default(),
        ),
        Check::Spelling(s) => s.run(text, &vale.message),
        // Run on the summary with the document's block counts, above.
        Check::Metric(_) => Vec::new(),
        Check::Conditional(c) => {
            c.run(text, &vale.message, state.defined.entry(index).or_default())
        }
        Check::Script(_) => unreachable!("check() runs scripts itself, to report their failures"),
    }
}

/// Does the source under `source` read as `found` (line endings aside)?
fn is_verbatim(doc: &Document, source: &Range<usize>, found: &str) -> bool {
    match doc.text.get(source.clone()) {
        Some(s) if s == found => true,
        Some(s) if s.contains('\r') => s.replace("\r\n", "\n").replace('\r', "\n") == found,
        _ => false,
    }
}

/// The automaton's hits of rule `rule` as a regex alternation would find
/// them: leftmost first, and at one position the token listed first.
fn leftmost_first(hits: &[Hit], rule: usize) -> Vec<Range<usize>> {
    let mut mine: Vec<&Hit> = hits.iter().filter(|h| h.rule == rule).collect();
    mine.sort_by_key(|h| (h.range.start, h.item));
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut end = 0;
    for h in mine {
        if h.range.start < end || out.last().is_some_and(|l| l.start == h.range.start) {
            continue;
        }
        end = h.range.end;
        out.push(h.range.clone());
    }
    out
}

/// Where an alert with nothing to point at goes: column 1 of the block's
/// first line (line 1 for the whole file), as Vale places it.
fn empty_anchor(doc: &Document, block: &Block, r: &Range<usize>) -> Range<usize> {
    if block.family == blocks::Family::Raw || block.seg.pieces.is_empty() {
        let at = if doc.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        return at..at;
    }
    let at = block.seg.source_start(r.start);
    let line_start = doc.text[..at].rfind('\n').map_or(0, |i| i + 1);
    line_start..line_start
}

/// `TokenIgnores` and `BlockIgnores` matches (never reported), the
/// `BlockIgnores` matches among them that Vale would turn into blocks, and
/// the inline HTML that Vale does not read (its ignored classes and `code`,
/// `tt`, `kbd`), as source ranges.
fn ignored_ranges(doc: &Document, project: &ValeProject, file: Option<&FilePolicy>) -> Ignored {
    let mut ignores = Vec::new();
    let mut breaks = Vec::new();
    if let (Some(file), Some(policy)) = (file, &project.ini) {
        let matches = |pattern: &String| {
            policy.patterns.get(pattern).map_or(Vec::new(), |re| {
                let mut all = re.find_all(&doc.text);
                all.retain(|r| r.start < r.end);
                all
            })
        };
        for pattern in &file.token_ignores {
            ignores.extend(matches(pattern));
        }
        for pattern in &file.block_ignores {
            let found = matches(pattern);
            breaks.extend(found.iter().filter(|r| is_breakable(doc, r)).cloned());
            ignores.extend(found);
        }
    }
    let mut hidden = hidden_html(doc, &project.ignored_classes);
    hidden.extend(display_math(doc));
    Ignored {
        ignores,
        breaks: merged(breaks),
        hidden,
    }
}

/// Source ranges a file's Vale rules treat apart (see `ignored_ranges`).
struct Ignored {
    ignores: Vec<Range<usize>>,
    breaks: Vec<Range<usize>>,
    hidden: Vec<Range<usize>>,
}

/// Can a `BlockIgnores` match become a block? Only in the body's prose:
/// outside code, comments, front matter and HTML blocks, imprimatur keeps
/// reading the source as it is and only drops alerts inside the match.
fn is_breakable(doc: &Document, r: &Range<usize>) -> bool {
    doc.masked.get(r.clone()) == doc.text.get(r.clone())
        && !doc
            .html_blocks
            .iter()
            .any(|h| h.start < r.end && r.start < h.end)
}

/// Overlapping ranges joined, in order.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `$$ … $$` display math, which Vale does not read as prose.
fn display_math(doc: &Document) -> Vec<Range<usize>> {
    static MATH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?ms)^[ \t]*\$\$.*?\$\$[ \t]*$").expect("valid math regex")
    });
    MATH.find_iter(&doc.masked).map(|m| m.range()).collect()
}

fn hidden_html(doc: &Document, classes: &[String]) -> Vec<Range<usize>> {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?s)<(code|tt|kbd|span|em|strong|b|i|a|sub|sup|abbr|cite|small)(\s[^>]*)?>(.*?)</(code|tt|kbd|span|em|strong|b|i|a|sub|sup|abbr|cite|small)>"#)
            .expect("valid tag regex")
    });
    static CLASS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"class\s*=\s*["']([^"']*)["']"#).expect("valid class regex")
    });
    let default_classes = ["problematic", "pre", "code"];
    let mut out = Vec::new();
    for c in TAG.captures_iter(&doc.masked) {
        let (Some(open), Some(close), Some(inner)) = (c.get(1), c.get(4), c.get(3)) else {
            continue;
        };
        if open.as_str() != close.as_str() {
            continue;
        }
        let skip_tag = matches!(open.as_str(), "code" | "tt" | "kbd");
        let skip_class = c
            .get(2)
            .and_then(|a| CLASS.captures(a.as_str()))
            .is_some_and(|m| {
                m[1].split_whitespace()
                    .any(|cls| default_classes.contains(&cls) || classes.iter().any(|x| x == cls))
            });
        if skip_tag || skip_class {
            out.push(inner.range());
        }
    }
    out
}

/// Findings of one file, with Vale's duplicate and `limit` rules.
#[derive(Default)]
struct RunState {
    findings: Vec<Finding>,
    seen: HashSet<(usize, usize, String)>,
    counts: HashMap<String, usize>,
    /// Per conditional rule: what its `second` pattern captured so far.
    defined: HashMap<usize, Vec<String>>,
    /// Per consistency rule: which spellings of each pair the file used.
    spellings: HashMap<usize, Vec<[bool; 2]>>,
    /// Script rules that failed on this file and do not run again on it.
    failed_scripts: HashSet<usize>,
}

impl RunState {
    /// A script that stopped (budget, runtime error) is one error finding on
    /// the file, never a hang or a crash; it does not run on the file again.
    fn script_failed(
        &mut self,
        doc: &Document,
        rule: &Rule,
        index: usize,
        at: Range<usize>,
        why: String,
    ) {
        self.failed_scripts.insert(index);
        self.findings.push(Finding {
            path: doc.path.clone(),
            rule: rule.id.clone(),
            level: crate::finding::Level::Error,
            message: why,
            found: String::new(),
            span: doc.span(at),
            fix: None,
            suggestions: Vec::new(),
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        doc: &Document,
        rule: &Rule,
        vale: &ValeRule,
        source: Range<usize>,
        found: String,
        message: String,
        fix: Option<Fix>,
    ) {
        let span = doc.span(source);
        if !self.seen.insert((span.line, span.column, rule.id.clone())) {
            return;
        }
        let count = self.counts.entry(rule.id.clone()).or_insert(0);
        if vale.limit > 0 && *count >= vale.limit {
            return;
        }
        *count += 1;
        self.findings.push(Finding {
            path: doc.path.clone(),
            rule: rule.id.clone(),
            level: rule.level,
            message,
            found,
            span,
            fix,
            suggestions: Vec::new(),
        });
    }
}
