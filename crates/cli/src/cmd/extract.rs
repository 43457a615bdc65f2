//! `warroom extract`: every identifier inside free text. Each input line is one text; each
//! identifier found is one NDJSON record with the line number and its byte span in that line.

use super::normalize::{line_error, parse_region, write_record};
use super::output::Record;
use crate::lines::{BoundedLines, Line};
use anyhow::Context as _;
use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use warroom_domain::CountryCode;
use warroom_normalize::{Context, extract};

/// Longest text line accepted (a narrative); longer lines are reported and skipped.
const MAX_TEXT_LEN: usize = 1 << 20;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Default region for national writings (ISO 3166-1 alpha-2): the reporting agency's country.
    #[arg(long, value_parser = parse_region)]
    region: Option<CountryCode>,
    /// Input file; standard input when absent or `-`.
    file: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Found<'a> {
    line: u64,
    start: usize,
    end: usize,
    #[serde(flatten)]
    record: Record<'a>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let ctx = Context {
        region: args.region,
    };
    let mut input = BoundedLines::open(args.file.as_deref(), MAX_TEXT_LEN)?;
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut line_no = 0u64;
    while let Some(line) = input.next_line().context("reading input")? {
        line_no += 1;
        if let Some((shown, err)) = line_error(&line) {
            let rec = Found {
                line: line_no,
                start: 0,
                end: 0,
                record: Record::err(shown, None, err),
            };
            write_record(&mut out, &rec)?;
            continue;
        }
        let Line::Text(text) = line else { continue };
        for found in extract(&text, &ctx) {
            let input = text.get(found.span.clone()).unwrap_or("");
            let rec = Found {
                line: line_no,
                start: found.span.start,
                end: found.span.end,
                record: Record::ok(input, &found.normalized),
            };
            write_record(&mut out, &rec)?;
        }
    }
    out.flush().context("writing output")?;
    Ok(())
}
