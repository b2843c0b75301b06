//! Charts as inline SVG: a line chart for the trend and a bar chart for
//! counts by team, rule or age. No script and no external file: the page
//! draws them itself, prints them, and shrinks them to a narrow screen (a
//! `viewBox` with a natural size, `max-width: 100%`). Every chart has a `<title>` and the page puts the
//! numbers behind it in a table next to it.

use std::fmt::Write;

/// Escapes text for HTML and SVG content and attribute values.
pub use crate::escape::html as esc;

/// One line of a line chart; `None` leaves a gap.
pub struct Series<'a> {
    pub name: &'a str,
    /// A CSS class naming the colour (`total`, `error`, …).
    pub class: &'a str,
    pub values: Vec<Option<f64>>,
}

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 40.0;

/// The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at
/// least `max`, so gridlines fall on readable values.
pub fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * magnitude)
}

/// Formats an axis value without needless decimals.
fn tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A line chart of `series` over `labels` (one x position per label).
/// `y_max` fixes the top of the scale (100 for percentages).
pub fn line_chart(
    title: &str,
    labels: &[String],
    series: &[Series],
    y_max: Option<f64>,
    unit: &str,
) -> String {
    let data_max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |m, v| m.max(*v));
    let top = y_max.unwrap_or_else(|| nice_ceiling(data_max));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if labels.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (labels.len() - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart line" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    for i in 0..=4 {
        let v = top * f64::from(i) / 4.0;
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(v) + 4.0,
            tick(v),
            esc(unit),
            y = y(v),
        );
    }
    // At most about eight date labels, evenly spread, the newest always shown.
    let step = labels.len().div_ceil(8).max(1);
    for (i, label) in labels.iter().enumerate() {
        if (labels.len() - 1 - i) % step == 0 {
            let _ = write!(
                svg,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x(i),
                HEIGHT - BOTTOM + 18.0,
                esc(label)
            );
        }
    }
    let mut legend_x = LEFT;
    for s in series {
        let _ = write!(
            svg,
            r#"<rect class="swatch {c}" x="{legend_x:.1}" y="8" width="14" height="14" rx="2"/><text class="legend" x="{:.1}" y="20">{}</text>"#,
            legend_x + 19.0,
            esc(s.name),
            c = esc(s.class),
        );
        legend_x += 19.0 + 8.0 * s.name.chars().count() as f64 + 18.0;
        for run in runs(&s.values) {
            let points: Vec<String> = run
                .iter()
                .map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v)))
                .collect();
            let _ = write!(
                svg,
                r#"<polyline class="series {}" points="{}"/>"#,
                esc(s.class),
                points.join(" ")
            );
        }
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    svg,
                    r#"<circle class="dot {}" cx="{:.1}" cy="{:.1}" r="3.5"><title>{}, {}: {}{}</title></circle>"#,
                    esc(s.class),
                    x(i),
                    y(*v),
                    esc(s.name),
                    esc(&labels[i]),
                    tick(*v),
                    esc(unit)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Consecutive present values: the pieces of a line with gaps.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i, *v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A horizontal bar chart: each row's label on its own line above its bar,
/// so long names (paths, rule ids) stay readable on a narrow screen.
pub fn bar_chart(title: &str, rows: &[(String, f64)], class: &str) -> String {
    const W: f64 = 400.0;
    const ROW: f64 = 36.0;
    const VALUE_W: f64 = 56.0;
    let height = ROW * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().fold(0.0f64, |m, (_, v)| m.max(*v));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart bars" width="{W}" height="{height}" viewBox="0 0 {W} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    if rows.is_empty() {
        let _ = write!(
            svg,
            r#"<text class="axis" x="0" y="22">Nothing to show</text>"#
        );
    }
    for (i, (label, value)) in rows.iter().enumerate() {
        let top = ROW * i as f64 + 4.0;
        let bar = if max > 0.0 {
            (W - VALUE_W) * value / max
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text class="label" x="0" y="{:.1}">{}</text><rect class="bar {}" x="0" y="{:.1}" width="{bar:.1}" height="12" rx="2"><title>{}: {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
            top + 13.0,
            esc(&shorten(label, 52)),
            esc(class),
            top + 18.0,
            esc(label),
            tick(*value),
            bar + 6.0,
            top + 29.0,
            tick(*value),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Cuts long text in the middle, keeping both ends (a path's file name).
fn shorten(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max / 2 - 1).collect();
    let tail: String = text.chars().skip(n - (max - max / 2)).collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(17.0), 20.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
        assert_eq!(nice_ceiling(240.0), 250.0);
        assert_eq!(nice_ceiling(1000.0), 1000.0);
    }

    #[test]
    fn gaps_split_lines() {
        let runs = runs(&[Some(1.0), None, Some(2.0), Some(3.0)]);
        assert_eq!(runs, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
    }

    #[test]
    fn charts_are_escaped_svg_with_a_title() {
        let svg = bar_chart("By <rule>", &[("a&b".into(), 3.0)], "bar");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>By &lt;rule&gt;</title>"));
        assert!(svg.contains("a&amp;b"));
        let line = line_chart(
            "Trend",
            &["05-01".into(), "05-08".into()],
            &[Series {
                name: "Findings",
                class: "total",
                values: vec![Some(4.0), Some(2.0)],
            }],
            None,
            "",
        );
        assert_eq!(line.matches("<circle").count(), 2);
        assert!(line.contains("<polyline"));
    }

    #[test]
    fn shortens_in_the_middle() {
        assert_eq!(shorten("abcdef", 10), "abcdef");
        assert_eq!(shorten("abcdefghijkl", 6), "ab…jkl");
    }
}
