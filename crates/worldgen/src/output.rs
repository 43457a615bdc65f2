//! Writing a world to a directory: `world.json`, `reports/<agency>.ndjson`, `truth.json` and
//! `manifest.json`. Reports are streamed to the files as they are generated; the truth's long
//! lists go to temporary files first and are joined into `truth.json` at the end, so memory
//! stays bounded whatever the scale.

use crate::stream::Steps;
use crate::{Config, GenError, truth_head};
use serde::Serialize;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Per-agency counts (`manifest.json`, `agencies`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgencyCounts {
    pub slug: String,
    pub reports: u64,
    pub identifier_sightings: u64,
    /// Bytes of `reports/<slug>.ndjson`.
    pub bytes: u64,
}

/// What was written (`manifest.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// `warroom-worldgen/1`.
    pub format: &'static str,
    pub seed: u64,
    pub scale: u64,
    /// The start of the world's period.
    pub epoch: &'static str,
    pub reports: u64,
    /// Identifier entities plus person documents, over all reports.
    pub identifier_sightings: u64,
    /// Distinct identifiers in `truth.json` (`identifiers`).
    pub distinct_identifiers: u64,
    /// Distinct people in `truth.json` (`people`).
    pub people: u64,
    pub agencies: Vec<AgencyCounts>,
    /// Bytes per file, by path relative to the directory.
    pub files: Vec<(String, u64)>,
    /// All files together.
    pub bytes: u64,
}

/// A writer that counts what goes through it.
struct Counting<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GenError + '_ {
    move |error| GenError::Io {
        path: path.to_path_buf(),
        error,
    }
}

fn create(path: &Path) -> Result<Counting<BufWriter<File>>, GenError> {
    let f = File::create(path).map_err(io(path))?;
    Ok(Counting {
        inner: BufWriter::with_capacity(1 << 16, f),
        bytes: 0,
    })
}

fn line<W: Write>(w: &mut W, v: &impl Serialize, path: &Path) -> Result<(), GenError> {
    serde_json::to_writer(&mut *w, v).map_err(|e| GenError::Json {
        path: path.to_path_buf(),
        error: e,
    })?;
    w.write_all(b"\n").map_err(io(path))
}

/// Generates the world of `config` into `out` (created if missing; files of the same names
/// are replaced). `progress` is called with the number of reports written so far.
pub fn generate(config: &Config, out: &Path, progress: &dyn Fn(u64)) -> Result<Manifest, GenError> {
    let reports_dir = out.join("reports");
    fs::create_dir_all(&reports_dir).map_err(io(&reports_dir))?;
    let mut steps = Steps::new(config);
    let world = steps.world().clone();

    let world_path = out.join("world.json");
    let mut w = create(&world_path)?;
    serde_json::to_writer_pretty(&mut w, &world).map_err(|e| GenError::Json {
        path: world_path.clone(),
        error: e,
    })?;
    w.write_all(b"\n").map_err(io(&world_path))?;
    w.flush().map_err(io(&world_path))?;
    let world_bytes = w.bytes;

    let mut files: Vec<(PathBuf, Counting<BufWriter<File>>)> = Vec::new();
    for a in &world.agencies {
        let p = reports_dir.join(format!("{}.ndjson", a.slug));
        let f = create(&p)?;
        files.push((p, f));
    }
    let mut counts: Vec<AgencyCounts> = world
        .agencies
        .iter()
        .map(|a| AgencyCounts {
            slug: a.slug.clone(),
            reports: 0,
            identifier_sightings: 0,
            bytes: 0,
        })
        .collect();
    let tmp: [PathBuf; 3] = [
        out.join(".truth-people.tmp"),
        out.join(".truth-identifiers.tmp"),
        out.join(".truth-reports.tmp"),
    ];
    let mut tw = [create(&tmp[0])?, create(&tmp[1])?, create(&tmp[2])?];
    let mut tn = [0u64; 3];

    let mut n = 0u64;
    let mut sightings = 0u64;
    for g in steps.by_ref() {
        let i = world
            .agencies
            .iter()
            .position(|a| a.id == g.agency)
            .unwrap_or(0);
        let (path, f) = &mut files[i];
        line(f, &g.report, path)?;
        counts[i].reports += 1;
        counts[i].identifier_sightings += u64::from(g.truth.report.sightings);
        sightings += u64::from(g.truth.report.sightings);
        for p in &g.truth.people {
            line(&mut tw[0], p, &tmp[0])?;
            tn[0] += 1;
        }
        for x in &g.truth.identifiers {
            line(&mut tw[1], x, &tmp[1])?;
            tn[1] += 1;
        }
        line(&mut tw[2], &g.truth.report, &tmp[2])?;
        tn[2] += 1;
        n += 1;
        if n.is_multiple_of(1000) {
            progress(n);
        }
    }
    for ((path, f), c) in files.iter_mut().zip(&mut counts) {
        f.flush().map_err(io(path))?;
        c.bytes = f.bytes;
    }
    for (w, p) in tw.iter_mut().zip(&tmp) {
        w.flush().map_err(io(p))?;
    }
    drop(tw);

    let truth_path = out.join("truth.json");
    let truth_bytes = write_truth(config, &truth_path, &tmp)?;
    for p in &tmp {
        fs::remove_file(p).map_err(io(p))?;
    }
    progress(n);

    let mut file_list: Vec<(String, u64)> = vec![
        ("world.json".into(), world_bytes),
        ("truth.json".into(), truth_bytes),
    ];
    for c in &counts {
        file_list.push((format!("reports/{}.ndjson", c.slug), c.bytes));
    }
    let mut manifest = Manifest {
        format: "warroom-worldgen/1",
        seed: config.seed,
        scale: config.scale,
        epoch: crate::clock::EPOCH_TEXT,
        reports: n,
        identifier_sightings: sightings,
        distinct_identifiers: tn[1],
        people: tn[0],
        agencies: counts,
        bytes: 0,
        files: file_list,
    };
    manifest.bytes = manifest.files.iter().map(|(_, b)| b).sum();
    let mpath = out.join("manifest.json");
    let mut m = create(&mpath)?;
    serde_json::to_writer_pretty(&mut m, &manifest).map_err(|e| GenError::Json {
        path: mpath.clone(),
        error: e,
    })?;
    m.write_all(b"\n").map_err(io(&mpath))?;
    m.flush().map_err(io(&mpath))?;
    Ok(manifest)
}

/// `truth.json`: the head, then `people`, `identifiers` and `reports`, one record a line.
fn write_truth(config: &Config, path: &Path, parts: &[PathBuf; 3]) -> Result<u64, GenError> {
    let mut w = create(path)?;
    let head = serde_json::to_string_pretty(&truth_head(config)).map_err(|e| GenError::Json {
        path: path.to_path_buf(),
        error: e,
    })?;
    // The head is an object; the lists go before its closing brace.
    let open = head
        .trim_end()
        .strip_suffix('}')
        .unwrap_or(&head)
        .trim_end();
    w.write_all(open.as_bytes()).map_err(io(path))?;
    for (name, part) in ["people", "identifiers", "reports"].iter().zip(parts) {
        write!(w, ",\n\"{name}\":[").map_err(io(path))?;
        let r = BufReader::new(File::open(part).map_err(io(part))?);
        let mut first = true;
        for l in r.lines() {
            let l = l.map_err(io(part))?;
            w.write_all(if first { b"\n" } else { b",\n" })
                .map_err(io(path))?;
            w.write_all(l.as_bytes()).map_err(io(path))?;
            first = false;
        }
        w.write_all(b"\n]").map_err(io(path))?;
    }
    w.write_all(b"}\n").map_err(io(path))?;
    w.flush().map_err(io(path))?;
    Ok(w.bytes)
}
