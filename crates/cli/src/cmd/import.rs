//! `warroom import FILE --as USER`: NDJSON reports into the data directory, through the same
//! node code the API uses, with a progress bar. Answers one NDJSON line per input line on
//! stdout, exactly as `POST /api/v1/reports:bulk` does, and a summary on stderr.

use super::store::StoreArgs;
use crate::lines::{BoundedLines, Line};
use anyhow::{Context as _, bail};
use serde_json::json;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use warroom_node::LineOutcome;
use warroom_wire::FieldError;

/// Longest accepted line, as for the API.
const MAX_LINE: usize = 1024 * 1024;
/// Reports per transaction. Each commit rewrites the pages of the random id -> number index of
/// entities that its new entities land on, so larger batches write each such page once for
/// more reports (`warroom bench ingest --reports 1000000`: 12.7k reports/s at 10,000,
/// 17.0k-22.3k/s at 50,000 across runs, no better at 100,000; BENCHMARKS.md). Two batches are in flight (one validated while the other
/// commits): about 870 MiB peak at this size.
const BATCH: usize = 50_000;
/// A batch is also cut at this many bytes of input, so that memory stays bounded (two batches
/// in flight) whatever the line sizes.
const BATCH_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// The user the reports are submitted as (their agency owns them).
    #[arg(long = "as")]
    user: String,
    /// NDJSON, one report per line; stdin when `-`.
    file: PathBuf,
}

#[derive(Default)]
struct Counts {
    accepted: u64,
    duplicate: u64,
    conflict: u64,
    rejected: u64,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let node = args.store.node()?;
    let actor = node
        .shell_actor(&args.user, "import")
        .with_context(|| format!("cannot act as {:?}", args.user))?;
    let mut lines = BoundedLines::open(Some(&args.file), MAX_LINE)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut counts = Counts::default();
    let mut numbers: std::collections::VecDeque<Vec<usize>> = std::collections::VecDeque::new();
    let mut batch_numbers = Vec::with_capacity(BATCH);
    let mut items = Vec::with_capacity(BATCH);
    let mut ingest = node.ingest(actor)?;
    let mut number = 0usize;
    let mut batch_bytes = 0usize;
    while let Some(line) = lines.next_line()? {
        number += 1;
        batch_bytes += match &line {
            Line::Text(t) | Line::TooLong(t) | Line::NotUtf8(t) => t.len(),
        };
        let item = match line {
            Line::Text(t) if t.trim().is_empty() => continue,
            // The API's parser, so that the shell and the API name the same fields and codes.
            Line::Text(t) => warroom_server::extract::parse_report(t.as_bytes()).map_err(|e| {
                vec![FieldError {
                    field: e.field,
                    code: e.code,
                    message: e.message,
                }]
            }),
            Line::TooLong(_) => Err(vec![FieldError {
                field: None,
                code: "line_too_long".into(),
                message: format!("a line is at most {MAX_LINE} bytes"),
            }]),
            Line::NotUtf8(_) => Err(vec![FieldError {
                field: None,
                code: "not_utf8".into(),
                message: "the line is not UTF-8".into(),
            }]),
        };
        batch_numbers.push(number);
        items.push(item);
        if items.len() == BATCH || batch_bytes >= BATCH_BYTES {
            batch_bytes = 0;
            numbers.push_back(std::mem::take(&mut batch_numbers));
            let answers = ingest.push(std::mem::take(&mut items))?;
            write(answers, &mut numbers, &mut out, &mut counts)?;
        }
    }
    if !items.is_empty() {
        numbers.push_back(batch_numbers);
        let answers = ingest.push(items)?;
        write(answers, &mut numbers, &mut out, &mut counts)?;
    }
    write(ingest.finish()?, &mut numbers, &mut out, &mut counts)?;
    out.flush()?;
    eprintln!(
        "imported: {} accepted, {} duplicate, {} conflict, {} rejected",
        counts.accepted, counts.duplicate, counts.conflict, counts.rejected
    );
    if counts.rejected + counts.conflict > 0 && counts.accepted + counts.duplicate == 0 {
        bail!("no report was imported");
    }
    Ok(())
}

/// Writes the answers of committed batches, matching them with their line numbers.
fn write(
    answers: Vec<Vec<LineOutcome>>,
    numbers: &mut std::collections::VecDeque<Vec<usize>>,
    out: &mut impl Write,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    for batch in answers {
        let lines = numbers.pop_front().unwrap_or_default();
        for (line, outcome) in lines.into_iter().zip(batch) {
            let v = match outcome {
                LineOutcome::Accepted { id } => {
                    counts.accepted += 1;
                    json!({"line": line, "status": "accepted", "id": id.0})
                }
                LineOutcome::Duplicate { id } => {
                    counts.duplicate += 1;
                    json!({"line": line, "status": "duplicate", "id": id.0})
                }
                LineOutcome::Conflict { id } => {
                    counts.conflict += 1;
                    json!({"line": line, "status": "conflict", "id": id.0})
                }
                LineOutcome::Rejected(errors) => {
                    counts.rejected += 1;
                    json!({"line": line, "status": "rejected", "errors": errors})
                }
            };
            serde_json::to_writer(&mut *out, &v)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
