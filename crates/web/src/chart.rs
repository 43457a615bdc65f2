//! Server-side SVG charts: a stacked bar chart over time buckets (reports per week by scam
//! method, hits per day by country...). No script; the SVG scales through its viewBox (the CSS
//! class `wr-chart` gives it the page's width), so one chart serves a 1080p wall and a laptop.
//!
//! At most [`MAX_SERIES`] series are drawn, in the Okabe–Ito palette (readable with every common
//! colour-vision deficiency). Callers should pass no more; if they do, the 7 series with the
//! largest totals are kept in the caller's order and the others are summed into a last series
//! labelled `…`.

use crate::svg::{Fnv, esc};
use std::fmt::Write as _;

/// One stacked quantity: `values[i]` belongs to `buckets[i]` (missing values count as 0,
/// values beyond the buckets are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub label: String,
    pub values: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeChart {
    /// The chart's visible title and accessible name.
    pub title: String,
    /// Bucket labels, oldest first ("2025-W14", "3 Apr").
    pub buckets: Vec<String>,
    /// Stacked bottom to top in this order.
    pub series: Vec<Series>,
}

/// The most series a chart draws; see the module documentation for what happens to more.
pub const MAX_SERIES: usize = 8;
/// The label of the series that sums the smallest ones when there are too many.
pub const OTHERS: &str = "…";

/// Okabe–Ito without its black (too heavy in a stack), then grey for the eighth.
const PALETTE: [&str; MAX_SERIES] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#8C8C8C",
];

const WIDTH: f64 = 1000.0;
const TITLE_H: f64 = 44.0;
const PLOT_H: f64 = 300.0;
const AXIS_W: f64 = 64.0;
const RIGHT: f64 = 12.0;
const XLABEL_H: f64 = 36.0;
const LEGEND_ROW: f64 = 26.0;
/// A rough width per character at font-size 14, for layout without font metrics.
const CHAR_W: f64 = 8.0;

/// A stacked bar chart over time buckets, as a self-contained `<svg>`; `empty` is shown when every
/// value is zero.
pub fn stacked_bars(chart: &TimeChart, empty: &str) -> String {
    let n = chart.buckets.len();
    let series = fold(&chart.series, n);
    let totals: Vec<u64> = series.iter().map(|s| sum(&s.values)).collect();
    let stacks: Vec<u64> = (0..n)
        .map(|i| {
            series
                .iter()
                .fold(0u64, |acc, s| acc.saturating_add(s.values[i]))
        })
        .collect();
    let max = stacks.iter().copied().max().unwrap_or(0);
    let is_empty = max == 0;

    let legend = if is_empty {
        Vec::new()
    } else {
        legend_layout(&series, &totals)
    };
    let legend_rows = legend.iter().map(|l| l.row + 1).max().unwrap_or(0);
    let height = TITLE_H + PLOT_H + XLABEL_H + LEGEND_ROW * legend_rows as f64 + 8.0;
    let id = format!("wr-chart-{:016x}", fingerprint(chart));

    let mut s = String::with_capacity(8 * 1024);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="wr-chart" viewBox="0 0 {WIDTH} {}" role="img" aria-labelledby="{id}" aria-describedby="{id}-d" font-size="14" fill="#222"><title id="{id}">{}</title><desc id="{id}-d">{}</desc>"##,
        n1(height),
        esc(&chart.title),
        esc(&describe(&series, &totals, empty, is_empty)),
    );
    let _ = write!(
        s,
        r#"<text class="wr-chart-title" x="0" y="26" font-size="18" font-weight="bold">{}</text>"#,
        esc(&chart.title)
    );
    let (plot_x, plot_y) = (AXIS_W, TITLE_H);
    let plot_w = WIDTH - AXIS_W - RIGHT;
    let bottom = plot_y + PLOT_H;
    if is_empty {
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/><text class="wr-chart-empty" x="{}" y="{}" text-anchor="middle" font-size="20" fill="#555">{}</text></svg>"##,
            n1(plot_x),
            n1(bottom),
            n1(WIDTH - RIGHT),
            n1(bottom),
            n1(plot_x + plot_w / 2.0),
            n1(plot_y + PLOT_H / 2.0),
            esc(empty)
        );
        return s;
    }

    // The y axis: round ticks and light grid lines.
    let (step, top) = ticks(max);
    let y_of = |v: u64| bottom - PLOT_H * (v as f64 / top as f64);
    s.push_str(r##"<g class="wr-chart-axis" stroke="#ddd" text-anchor="end">"##);
    let mut v = 0u64;
    while v <= top {
        let y = y_of(v);
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/><text x="{}" y="{}" stroke="none" dominant-baseline="central">{}</text>"#,
            n1(plot_x),
            n1(y),
            n1(WIDTH - RIGHT),
            n1(y),
            n1(plot_x - 8.0),
            n1(y),
            short_number(v)
        );
        match v.checked_add(step) {
            Some(next) => v = next,
            None => break,
        }
    }
    s.push_str("</g>");

    // The bars, one stack per bucket, bottom to top in series order.
    let slot = plot_w / n as f64;
    let bar = (slot * 0.8).min(80.0);
    s.push_str(r##"<g class="wr-chart-bars" stroke="#fff" stroke-width="0.5">"##);
    for (i, bucket) in chart.buckets.iter().enumerate() {
        let x = plot_x + slot * i as f64 + (slot - bar) / 2.0;
        let mut base = 0u64;
        for (k, ser) in series.iter().enumerate() {
            let value = ser.values[i];
            if value == 0 {
                continue;
            }
            let upper = base.saturating_add(value);
            let (y0, y1) = (y_of(base), y_of(upper));
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {}</title></rect>"#,
                n1(x),
                n1(y1),
                n1(bar),
                n1(y0 - y1),
                PALETTE[k],
                esc(&ser.label),
                esc(bucket),
                grouped(value)
            );
            base = upper;
        }
    }
    s.push_str("</g>");

    // Bucket labels, thinned to every k-th so they never overlap.
    let widest = chart
        .buckets
        .iter()
        .map(|b| b.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    let fits = ((plot_w / (widest as f64 * CHAR_W + 12.0)).floor() as usize).max(1);
    let every = n.div_ceil(fits).max(1);
    let _ = write!(
        s,
        r##"<g class="wr-chart-buckets" text-anchor="middle"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#666"/>"##,
        n1(plot_x),
        n1(bottom),
        n1(WIDTH - RIGHT),
        n1(bottom)
    );
    for (i, bucket) in chart.buckets.iter().enumerate().step_by(every) {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            n1(plot_x + slot * (i as f64 + 0.5)),
            n1(bottom + 22.0),
            esc(bucket)
        );
    }
    s.push_str("</g>");

    // The legend with each series' total.
    let legend_y = bottom + XLABEL_H;
    s.push_str(r#"<g class="wr-chart-legend">"#);
    for item in &legend {
        let y = legend_y + LEGEND_ROW * item.row as f64;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="14" height="14" fill="{}"/><text x="{}" y="{}" dominant-baseline="central">{}</text>"#,
            n1(item.x),
            n1(y + 5.0),
            PALETTE[item.index],
            n1(item.x + 20.0),
            n1(y + 12.0),
            esc(&item.text)
        );
    }
    s.push_str("</g></svg>");
    s
}

/// The series to draw, each with exactly `n` values: the caller's when there are at most
/// [`MAX_SERIES`], else the 7 largest (in the caller's order) and [`OTHERS`].
fn fold(series: &[Series], n: usize) -> Vec<Series> {
    let padded = |s: &Series| -> Vec<u64> {
        (0..n)
            .map(|i| s.values.get(i).copied().unwrap_or(0))
            .collect()
    };
    let all: Vec<Series> = series
        .iter()
        .map(|s| Series {
            label: s.label.clone(),
            values: padded(s),
        })
        .collect();
    if all.len() <= MAX_SERIES {
        return all;
    }
    let mut order: Vec<usize> = (0..all.len()).collect();
    // Largest total first; ties keep the caller's order (the sort is stable).
    order.sort_by(|&a, &b| sum(&all[b].values).cmp(&sum(&all[a].values)));
    let mut kept: Vec<usize> = order[..MAX_SERIES - 1].to_vec();
    kept.sort_unstable();
    let mut others = vec![0u64; n];
    for &i in &order[MAX_SERIES - 1..] {
        for (o, v) in others.iter_mut().zip(&all[i].values) {
            *o = o.saturating_add(*v);
        }
    }
    let mut out: Vec<Series> = kept.into_iter().map(|i| all[i].clone()).collect();
    out.push(Series {
        label: OTHERS.to_owned(),
        values: others,
    });
    out
}

fn sum(values: &[u64]) -> u64 {
    values.iter().fold(0u64, |a, v| a.saturating_add(*v))
}

/// A step of 1, 2 or 5 times a power of ten giving at most 5 intervals up to `max` (> 0), and
/// the top of the axis (the first multiple of the step at or above `max`).
fn ticks(max: u64) -> (u64, u64) {
    let mut magnitude: u64 = 1;
    loop {
        for m in [1u64, 2, 5] {
            let Some(step) = magnitude.checked_mul(m) else {
                return (u64::MAX, u64::MAX);
            };
            if max.div_ceil(step) <= 5 {
                let top = max.div_ceil(step).saturating_mul(step);
                return (step, top);
            }
        }
        match magnitude.checked_mul(10) {
            Some(next) => magnitude = next,
            None => return (u64::MAX, u64::MAX),
        }
    }
}

/// A tick label: `950`, `12k`, `1.5M` (ticks are round, so one decimal is exact enough).
fn short_number(v: u64) -> String {
    let scaled = |unit: u64, suffix: &str| {
        let tenths = v / (unit / 10);
        if tenths.is_multiple_of(10) {
            format!("{}{suffix}", tenths / 10)
        } else {
            format!("{}.{}{suffix}", tenths / 10, tenths % 10)
        }
    };
    match v {
        0..10_000 => v.to_string(),
        10_000..1_000_000 => scaled(1_000, "k"),
        1_000_000..1_000_000_000 => scaled(1_000_000, "M"),
        _ => scaled(1_000_000_000, "G"),
    }
}

/// Digits grouped by thousands with commas, as in English and Thai: `12,345`.
fn grouped(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One decimal at most, for coordinates.
fn n1(x: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let t = (x * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let (int, frac) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

#[derive(Debug)]
struct LegendItem {
    index: usize,
    text: String,
    x: f64,
    row: usize,
}

/// Legend entries (`label (total)`) laid out left to right, wrapping into rows.
fn legend_layout(series: &[Series], totals: &[u64]) -> Vec<LegendItem> {
    let mut items = Vec::with_capacity(series.len());
    let (mut x, mut row) = (AXIS_W, 0);
    for (index, (s, total)) in series.iter().zip(totals).enumerate() {
        let text = format!("{} ({})", s.label, grouped(*total));
        let w = 20.0 + CHAR_W * text.chars().count() as f64 + 24.0;
        if x > AXIS_W && x + w > WIDTH - RIGHT {
            x = AXIS_W;
            row += 1;
        }
        items.push(LegendItem {
            index,
            text,
            x,
            row,
        });
        x += w;
    }
    items
}

/// The chart in words, for screen readers.
fn describe(series: &[Series], totals: &[u64], empty: &str, is_empty: bool) -> String {
    if is_empty {
        return empty.to_owned();
    }
    series
        .iter()
        .zip(totals)
        .map(|(s, t)| format!("{}: {}", s.label, grouped(*t)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A stable id for `aria-labelledby` that differs between charts.
fn fingerprint(chart: &TimeChart) -> u64 {
    let mut h = Fnv::new();
    h.eat(chart.title.as_bytes());
    for b in &chart.buckets {
        h.eat(b.as_bytes());
    }
    for s in &chart.series {
        h.eat(s.label.as_bytes());
        for v in &s.values {
            h.eat(&v.to_le_bytes());
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::tests::assert_well_formed;

    fn series(label: &str, values: &[u64]) -> Series {
        Series {
            label: label.to_owned(),
            values: values.to_vec(),
        }
    }

    fn chart(series: Vec<Series>, buckets: usize) -> TimeChart {
        TimeChart {
            title: "Reports per week".to_owned(),
            buckets: (1..=buckets).map(|w| format!("W{w:02}")).collect(),
            series,
        }
    }

    #[test]
    fn legend_shows_totals_and_bars_their_values() {
        let c = chart(
            vec![
                series("Investment", &[3, 0, 1200]),
                series("Romance", &[1, 2, 3]),
            ],
            3,
        );
        let svg = stacked_bars(&c, "No data");
        assert_well_formed(&svg);
        assert!(svg.contains(">Investment (1,203)</text>"), "{svg}");
        assert!(svg.contains(">Romance (6)</text>"));
        assert!(svg.contains("<title>Investment W03: 1,200</title>"));
        assert!(svg.contains("<title>Romance W02: 2</title>"));
        // Zero segments are not drawn.
        assert!(!svg.contains("Investment W02"));
        assert_eq!(svg.matches("<rect ").count(), 5 + 2);
        assert!(!svg.contains("No data"));
        assert!(svg.contains(r##"fill="#E69F00""##) && svg.contains(r##"fill="#56B4E9""##));
        assert!(svg.contains("<desc id=") && svg.contains("Investment: 1,203; Romance: 6"));
        assert!(svg.contains(r#"class="wr-chart""#) && svg.contains(r#"role="img""#));
        assert_eq!(svg, stacked_bars(&c, "No data"));
    }

    #[test]
    fn stacks_are_in_order_and_scaled_to_the_top_tick() {
        // Max stack 10 -> ticks 0 2 4 6 8 10; the stack fills the plot exactly.
        let c = chart(vec![series("a", &[4, 1]), series("b", &[6, 0])], 2);
        let svg = stacked_bars(&c, "-");
        let rect = |title: &str| {
            let end = svg.find(&format!("<title>{title}</title>")).unwrap();
            let start = svg[..end].rfind("<rect ").unwrap();
            svg[start..end].to_owned()
        };
        // "a" sits on the axis (y + height = bottom = 344), "b" on top of it up to the top (44).
        let a = rect("a W01: 4");
        assert!(
            a.contains(r#"y="224""#) && a.contains(r#"height="120""#),
            "{a}"
        );
        let b = rect("b W01: 6");
        assert!(
            b.contains(r#"y="44""#) && b.contains(r#"height="180""#),
            "{b}"
        );
        for t in [">0<", ">2<", ">4<", ">6<", ">8<", ">10<"] {
            assert!(svg.contains(t), "tick {t} missing");
        }
        assert!(!svg.contains(">12<"));
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(1), (1, 1));
        assert_eq!(ticks(5), (1, 5));
        assert_eq!(ticks(7), (2, 8));
        assert_eq!(ticks(10), (2, 10));
        assert_eq!(ticks(23), (5, 25));
        assert_eq!(ticks(97), (20, 100));
        assert_eq!(ticks(1234), (500, 1500));
        assert_eq!(ticks(u64::MAX).1, u64::MAX);
        for max in 1..2000u64 {
            let (step, top) = ticks(max);
            assert!(top >= max && top / step <= 5 && top % step == 0, "{max}");
            let lead = step / 10u64.pow(step.ilog10());
            assert!([1, 2, 5].contains(&lead) && step % 10u64.pow(step.ilog10()) == 0);
        }
        assert_eq!(short_number(950), "950");
        assert_eq!(short_number(12_000), "12k");
        assert_eq!(short_number(1_500_000), "1.5M");
        assert_eq!(short_number(2_000_000_000), "2G");
        assert_eq!(short_number(15_000_000), "15M");
        assert_eq!(short_number(12_500), "12.5k");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn more_than_eight_series_fold_the_smallest_into_others() {
        // Totals 1..=10; the 7 largest are s4..s10, s1..s3 (total 6) are folded.
        let many: Vec<Series> = (1..=10u64)
            .map(|i| series(&format!("s{i}"), &[i, 0]))
            .collect();
        let folded = fold(&many, 2);
        let labels: Vec<&str> = folded.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["s4", "s5", "s6", "s7", "s8", "s9", "s10", OTHERS]);
        assert_eq!(folded[7].values, [6, 0]);
        let svg = stacked_bars(&chart(many, 2), "-");
        assert_well_formed(&svg);
        assert!(svg.contains(">… (6)</text>"));
        assert!(!svg.contains(">s3 ("));
        assert!(svg.contains(r##"fill="#8C8C8C""##));
        // Eight series or fewer are drawn as given, even with zero totals.
        let eight: Vec<Series> = (0..8).map(|i| series(&format!("t{i}"), &[i])).collect();
        assert_eq!(fold(&eight, 1), eight);
    }

    #[test]
    fn all_zero_or_nothing_shows_the_empty_label() {
        for c in [
            chart(vec![series("a", &[0, 0])], 2),
            chart(vec![], 3),
            chart(vec![series("a", &[5])], 0),
        ] {
            let svg = stacked_bars(&c, "No reports <yet>");
            assert_well_formed(&svg);
            assert!(svg.contains(">No reports &lt;yet&gt;</text>"));
            assert!(!svg.contains("wr-chart-legend") && !svg.contains("<rect"));
        }
    }

    #[test]
    fn labels_are_escaped_and_values_tolerate_odd_input() {
        let c = TimeChart {
            title: "<script>\"t\"</script>".to_owned(),
            buckets: vec!["a&b".to_owned(), "<w>".to_owned()],
            // Short, long and overflowing series.
            series: vec![
                series("x'\"<>&", &[u64::MAX]),
                series("y", &[u64::MAX, 1, 99]),
            ],
        };
        let svg = stacked_bars(&c, "none");
        assert_well_formed(&svg);
        assert!(!svg.contains("<script") && !svg.contains("<w>"));
        assert!(svg.contains("x&#39;&quot;&lt;&gt;&amp; a&amp;b: "));
        assert!(svg.contains(">&lt;w&gt;</text>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn many_buckets_have_thinned_labels() {
        let c = chart(vec![series("a", &[1; 120])], 120);
        let svg = stacked_bars(&c, "-");
        let labels = svg
            .split(r#"class="wr-chart-buckets""#)
            .nth(1)
            .unwrap()
            .matches("<text ")
            .count();
        assert!((5..=40).contains(&labels), "{labels} bucket labels");
        assert!(svg.contains(">W01</text>"));
        assert_eq!(svg.matches("<title>a W").count(), 120);
        // A few buckets: every label shown.
        let few = stacked_bars(&chart(vec![series("a", &[1; 6])], 6), "-");
        for w in 1..=6 {
            assert!(few.contains(&format!(">W{w:02}</text>")));
        }
    }

    #[test]
    fn long_legends_wrap_and_grow_the_chart() {
        let names: Vec<Series> = (0..8)
            .map(|i| series(&format!("A rather long scam method name {i}"), &[1]))
            .collect();
        let svg = stacked_bars(&chart(names, 1), "-");
        assert_well_formed(&svg);
        let short = stacked_bars(&chart(vec![series("a", &[1])], 1), "-");
        let vb = |s: &str| -> f64 {
            let v = &s[s.find("viewBox=\"0 0 1000 ").unwrap() + 18..];
            v[..v.find('"').unwrap()].parse().unwrap()
        };
        assert!(vb(&svg) > vb(&short) + 2.0 * LEGEND_ROW - 1.0);
        let items = legend_layout(&fold(&chart(vec![], 1).series, 1), &[]);
        assert!(items.is_empty());
    }
}
