//! `cargo xtask map-data [--check]`: turns Natural Earth's country shapes (the npm package
//! `world-atlas`, TopoJSON at 1:50m; Natural Earth is public domain) into the compact text file
//! `crates/web/assets/countries.txt` that `warroom-web`'s map embeds. The format is documented
//! at the top of `crates/web/src/map.rs`.
//!
//! Simplification runs on TopoJSON arcs, before they are stitched into rings, so a border two
//! countries share is simplified once and stays shared (no slivers or gaps between neighbours).
//! Each arc keeps its end points and loses the points Douglas–Peucker finds within
//! [`TOLERANCE`] degrees of the line; then coordinates are rounded to 2 decimals, repeated
//! points dropped, and rings left with fewer than 3 distinct points dropped.
//!
//! `--check` regenerates into memory and fails when the committed file differs. Both need
//! `web/node_modules` (`npm ci` in `web/`).

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

const SOURCE: &str = "web/node_modules/world-atlas/countries-50m.json";
const TARGET: &str = "crates/web/assets/countries.txt";
/// Douglas–Peucker tolerance in degrees (about 2 km at the equator).
const TOLERANCE: f64 = 0.02;

pub fn run(root: &Path, check: bool) -> Result<()> {
    let source = root.join(SOURCE);
    let text = std::fs::read_to_string(&source)
        .with_context(|| format!("reading {} (run `npm ci` in web/ first)", source.display()))?;
    let topo: Value = serde_json::from_str(&text).with_context(|| format!("parsing {SOURCE}"))?;
    let out = generate(&topo)?;
    let target = root.join(TARGET);
    if check {
        let committed = std::fs::read(&target).unwrap_or_default();
        if committed != out.as_bytes() {
            // One line, whatever RUST_BACKTRACE says (anyhow would add a backtrace).
            eprintln!("{TARGET} is out of date: run `cargo xtask map-data`");
            std::process::exit(1);
        }
        eprintln!("xtask: {TARGET} is what the pinned world-atlas gives");
        return Ok(());
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&target, &out).with_context(|| format!("writing {}", target.display()))?;
    eprintln!(
        "xtask: wrote {TARGET} ({} bytes, {} countries)",
        out.len(),
        out.lines().filter(|l| !l.starts_with('#')).count()
    );
    Ok(())
}

type Point = (f64, f64);

/// The whole file: a header, then one line per country sorted by id (countries without an
/// ISO id last), then by name.
fn generate(topo: &Value) -> Result<String> {
    let raw = decode_arcs(topo)?;
    let arcs: Vec<Vec<Point>> = raw.iter().map(|a| simplify(a, TOLERANCE)).collect();
    let geometries = topo
        .pointer("/objects/countries/geometries")
        .and_then(Value::as_array)
        .context("no objects.countries.geometries")?;
    let mut lines = Vec::new();
    for (n, g) in geometries.iter().enumerate() {
        let id = match g.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(x)) => format!("{x:0>3}"),
            _ => "-".to_owned(),
        };
        let name = g
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .with_context(|| format!("geometry {n} has no name"))?;
        if name.contains(['\t', '\n', '\r']) || id.contains(['\t', '\n', '\r']) {
            bail!("geometry {n}: tab or newline in id or name");
        }
        let Some(indices) = ring_indices(g).with_context(|| format!("geometry {n} ({name})"))?
        else {
            continue;
        };
        let mut rings = Vec::new();
        for ring in &indices {
            for part in split_antimeridian(stitch(&arcs, ring)?) {
                rings.extend(finish_ring(&part));
            }
        }
        if rings.is_empty() {
            // Every ring collapsed (a country of small islands): keep its largest ring at full
            // detail rather than lose the country.
            let mut best: Option<(f64, Vec<Point>)> = None;
            for ring in &indices {
                for part in split_antimeridian(stitch(&raw, ring)?) {
                    if let Some(r) = finish_ring(&part) {
                        let a = area(&r);
                        if best.as_ref().is_none_or(|(b, _)| a > *b) {
                            best = Some((a, r));
                        }
                    }
                }
            }
            match best {
                Some((_, r)) => rings.push(r),
                None => continue,
            }
        }
        let mut line = format!("{id}\t{name}\t");
        for (i, ring) in rings.iter().enumerate() {
            if i > 0 {
                line.push(';');
            }
            for (j, &(lon, lat)) in ring.iter().enumerate() {
                if j > 0 {
                    line.push(' ');
                }
                let _ = write!(line, "{},{}", fmt2(lon), fmt2(lat));
            }
        }
        let key = if id == "-" { "~".to_owned() } else { id };
        lines.push((key, name.to_owned(), line));
    }
    lines.sort();
    let mut out = String::from(
        "# Country shapes for the warroom map, generated by `cargo xtask map-data` from world-atlas \
         countries-50m.json\n# (Natural Earth, public domain: naturalearthdata.com). Do not edit \
         by hand. Format: see crates/web/src/map.rs.\n",
    );
    for (_, _, line) in lines {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// The arc index lists of every ring of a polygon or multipolygon (outer rings and holes
/// alike: the map fills with the even-odd rule); `None` for other geometry types.
fn ring_indices(g: &Value) -> Result<Option<Vec<Vec<i64>>>> {
    let rings_of = |polygon: &Value| -> Result<Vec<Vec<i64>>> {
        polygon
            .as_array()
            .context("polygon is not a list of rings")?
            .iter()
            .map(|ring| {
                ring.as_array()
                    .context("ring is not a list of arcs")?
                    .iter()
                    .map(|i| i.as_i64().context("arc index is not an integer"))
                    .collect()
            })
            .collect()
    };
    let arcs = g.get("arcs");
    match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(Some(rings_of(arcs.context("polygon without arcs")?)?)),
        Some("MultiPolygon") => {
            let mut all = Vec::new();
            for polygon in arcs
                .and_then(Value::as_array)
                .context("multipolygon without arcs")?
            {
                all.extend(rings_of(polygon)?);
            }
            Ok(Some(all))
        }
        _ => Ok(None),
    }
}

/// Arcs in degrees: delta-decoded and scaled by the topology's transform (when quantized).
fn decode_arcs(topo: &Value) -> Result<Vec<Vec<Point>>> {
    let pair = |v: Option<&Value>, default: f64| -> Result<(f64, f64)> {
        match v {
            None => Ok((default, default)),
            Some(v) => {
                let a = v.as_array().context("transform pair is not a list")?;
                let x = a.first().and_then(Value::as_f64).context("bad transform")?;
                let y = a.get(1).and_then(Value::as_f64).context("bad transform")?;
                Ok((x, y))
            }
        }
    };
    let transform = topo.get("transform");
    let quantized = transform.is_some();
    let (sx, sy) = pair(transform.and_then(|t| t.get("scale")), 1.0)?;
    let (tx, ty) = pair(transform.and_then(|t| t.get("translate")), 0.0)?;
    let arcs = topo
        .get("arcs")
        .and_then(Value::as_array)
        .context("no arcs")?;
    arcs.iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.as_array()
                .context("arc is not a list")?
                .iter()
                .map(|p| {
                    let (px, py) = pair(Some(p), 0.0).context("arc position")?;
                    if quantized {
                        x += px;
                        y += py;
                        Ok((x * sx + tx, y * sy + ty))
                    } else {
                        Ok((px, py))
                    }
                })
                .collect()
        })
        .collect()
}

/// A ring from its arc indices: a negative index `i` is arc `!i` reversed; each arc after the
/// first starts where the previous ended, so its first point is skipped.
fn stitch(arcs: &[Vec<Point>], indices: &[i64]) -> Result<Vec<Point>> {
    let mut ring: Vec<Point> = Vec::new();
    for &i in indices {
        let (k, reversed) = if i < 0 { (!i, true) } else { (i, false) };
        let arc = usize::try_from(k)
            .ok()
            .and_then(|k| arcs.get(k))
            .with_context(|| format!("arc index {i} out of range"))?;
        let points: Vec<Point> = if reversed {
            arc.iter().rev().copied().collect()
        } else {
            arc.clone()
        };
        let skip = usize::from(!ring.is_empty());
        ring.extend(points.into_iter().skip(skip));
    }
    Ok(ring)
}

/// world-atlas keeps rings that cross the antimeridian whole (d3 projects on the sphere), so
/// Russia, Fiji and Antarctica jump from +180 to -180 and would draw lines across a flat map.
/// Such a ring is unwrapped into continuous longitudes (closed along the pole it encircles, for
/// Antarctica), cut at every ±180 meridian and each piece shifted back into [-180, 180].
fn split_antimeridian(ring: Vec<Point>) -> Vec<Vec<Point>> {
    if !ring.windows(2).any(|w| (w[1].0 - w[0].0).abs() > 180.0) {
        return vec![ring];
    }
    let mut unwrapped: Vec<Point> = Vec::with_capacity(ring.len() + 2);
    let mut offset = 0.0;
    for (i, &(lon, lat)) in ring.iter().enumerate() {
        if let Some(&(prev, _)) = i.checked_sub(1).and_then(|j| ring.get(j)) {
            if lon - prev > 180.0 {
                offset -= 360.0;
            } else if lon - prev < -180.0 {
                offset += 360.0;
            }
        }
        unwrapped.push((lon + offset, lat));
    }
    if let (Some(&first), Some(&last)) = (unwrapped.first(), unwrapped.last())
        && (last.0 - first.0).abs() > 180.0
    {
        // The ring goes once around a pole: close it along that pole.
        let mean = unwrapped.iter().map(|p| p.1).sum::<f64>() / unwrapped.len() as f64;
        let pole = if mean < 0.0 { -90.0 } else { 90.0 };
        unwrapped.push((last.0, pole));
        unwrapped.push((first.0, pole));
    }
    let (min, max) = unwrapped
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        });
    // Window j covers [-180 + 360 j, 180 + 360 j].
    #[allow(clippy::cast_possible_truncation)]
    let window = |x: f64| ((x + 180.0) / 360.0).floor() as i64;
    let mut parts = Vec::new();
    for j in window(min)..=window(max) {
        let shift = 360.0 * j as f64;
        let piece = clip(&clip(&unwrapped, shift - 180.0, false), shift + 180.0, true);
        if piece.len() >= 3 {
            parts.push(piece.into_iter().map(|(x, y)| (x - shift, y)).collect());
        }
    }
    parts
}

/// Sutherland–Hodgman against the meridian `x = c`, keeping the west side (`west`) or the east.
fn clip(polygon: &[Point], c: f64, west: bool) -> Vec<Point> {
    let inside = |p: Point| if west { p.0 <= c } else { p.0 >= c };
    let cross = |a: Point, b: Point| (c, a.1 + (c - a.0) / (b.0 - a.0) * (b.1 - a.1));
    let mut out = Vec::with_capacity(polygon.len() + 2);
    for (i, &cur) in polygon.iter().enumerate() {
        let prev = polygon[(i + polygon.len() - 1) % polygon.len()];
        match (inside(prev), inside(cur)) {
            (true, true) => out.push(cur),
            (true, false) => out.push(cross(prev, cur)),
            (false, true) => {
                out.push(cross(prev, cur));
                out.push(cur);
            }
            (false, false) => {}
        }
    }
    out
}

/// Rounds to 2 decimals, drops repeated points and the closing point; `None` when fewer than 3
/// distinct points remain.
fn finish_ring(ring: &[Point]) -> Option<Vec<Point>> {
    let mut out: Vec<Point> = Vec::with_capacity(ring.len());
    for &(lon, lat) in ring {
        let p = (round2(lon), round2(lat));
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    // A ring that has folded onto itself (A B A) encloses nothing.
    let distinct = {
        let mut d: Vec<(i64, i64)> = out
            .iter()
            .map(|&(x, y)| (hundredths(x), hundredths(y)))
            .collect();
        d.sort_unstable();
        d.dedup();
        d.len()
    };
    (distinct >= 3 && area(&out) > 0.0).then_some(out)
}

/// Unsigned shoelace area in square degrees.
fn area(ring: &[Point]) -> f64 {
    let n = ring.len();
    let mut s = 0.0;
    for i in 0..n {
        let (x1, y1) = ring[i];
        let (x2, y2) = ring[(i + 1) % n];
        s += x1 * y2 - x2 * y1;
    }
    (s / 2.0).abs()
}

/// Douglas–Peucker on one arc, keeping both end points (shared with the neighbouring arcs).
fn simplify(arc: &[Point], tolerance: f64) -> Vec<Point> {
    if arc.len() < 3 {
        return arc.to_vec();
    }
    let mut keep = vec![false; arc.len()];
    keep[0] = true;
    keep[arc.len() - 1] = true;
    let mut stack = vec![(0, arc.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let mut far = (0.0, 0);
        for i in a + 1..b {
            let d = segment_distance(arc[i], arc[a], arc[b]);
            if d > far.0 {
                far = (d, i);
            }
        }
        // A closed arc (an island drawn as one arc) has a == b in position: keep its farthest
        // point whatever the tolerance, so the ring can still be split and simplified.
        if far.1 != 0 && (far.0 > tolerance || arc[a] == arc[b]) {
            keep[far.1] = true;
            stack.push((a, far.1));
            stack.push((far.1, b));
        }
    }
    arc.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

fn hundredths(x: f64) -> i64 {
    // Coordinates are within ±180 degrees, so this never saturates.
    #[allow(clippy::cast_possible_truncation)]
    let h = (x * 100.0).round() as i64;
    h
}

fn round2(x: f64) -> f64 {
    hundredths(x) as f64 / 100.0
}

/// At most 2 decimals, trailing zeros trimmed, never `-0`.
fn fmt2(x: f64) -> String {
    let h = hundredths(x);
    let sign = if h < 0 { "-" } else { "" };
    let (int, frac) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_two_decimals() {
        assert_eq!(fmt2(100.0), "100");
        assert_eq!(fmt2(-0.001), "0");
        assert_eq!(fmt2(-12.5), "-12.5");
        assert_eq!(fmt2(13.756), "13.76");
        assert_eq!(fmt2(-0.05), "-0.05");
    }

    #[test]
    fn stitches_reversed_arcs() {
        let arcs = vec![
            vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)],
            vec![(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)],
        ];
        let ring = stitch(&arcs, &[0, -2]).unwrap();
        assert_eq!(
            ring,
            vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
        );
        assert!(stitch(&arcs, &[2]).is_err());
        assert_eq!(finish_ring(&ring).map(|r| r.len()), Some(4));
    }

    #[test]
    fn decodes_quantized_topology() {
        let topo: Value = serde_json::from_str(
            r#"{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[10,20]},
                "arcs":[[[0,0],[2,0],[0,4],[-2,-4]]],
                "objects":{"countries":{"type":"GeometryCollection","geometries":[
                  {"type":"Polygon","id":"764","properties":{"name":"Thailand"},"arcs":[[0]]},
                  {"type":"Polygon","properties":{"name":"Nowhere"},"arcs":[[0]]}]}}}"#,
        )
        .unwrap();
        let arcs = decode_arcs(&topo).unwrap();
        assert_eq!(
            arcs[0],
            vec![(10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 20.0)]
        );
        let out = generate(&topo).unwrap();
        let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "764\tThailand\t10,20 11,20 11,21",
                "-\tNowhere\t10,20 11,20 11,21"
            ]
        );
    }

    #[test]
    fn rings_across_the_antimeridian_are_cut() {
        // A box from 179 to -179 (through 180), closed as TopoJSON rings are.
        let ring = vec![
            (179.0, 10.0),
            (-179.0, 10.0),
            (-179.0, 12.0),
            (179.0, 12.0),
            (179.0, 10.0),
        ];
        let parts = split_antimeridian(ring);
        assert_eq!(parts.len(), 2);
        for part in &parts {
            let lons: Vec<f64> = part.iter().map(|p| p.0).collect();
            let (lo, hi) = (
                lons.iter().copied().fold(f64::MAX, f64::min),
                lons.iter().copied().fold(f64::MIN, f64::max),
            );
            assert!(hi - lo <= 1.0 + 1e-9, "{part:?}");
            assert!(lons.iter().any(|l| l.abs() == 180.0));
        }
        // A ring around the south pole is closed along it.
        let around: Vec<Point> = (0..=8)
            .map(|i| (-180.0 + 45.0 * f64::from(i % 8), -70.0))
            .collect();
        let parts = split_antimeridian(around);
        assert!(!parts.is_empty());
        assert!(parts.iter().flatten().any(|p| p.1 == -90.0));
        for w in parts.iter().flat_map(|p| p.windows(2)) {
            // The only long edge is the one along the pole, the bottom of a flat map.
            let along_pole = w[0].1 == -90.0 && w[1].1 == -90.0;
            assert!(along_pole || (w[1].0 - w[0].0).abs() <= 180.0, "{w:?}");
        }
        // Rings that do not cross are untouched.
        let plain = vec![(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)];
        assert_eq!(split_antimeridian(plain.clone()), vec![plain]);
    }

    #[test]
    fn simplify_keeps_ends_and_corners() {
        let arc = vec![(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 2.0)];
        assert_eq!(
            simplify(&arc, 0.02),
            vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)]
        );
    }
}
