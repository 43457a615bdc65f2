//! `warroom normalize`: one value per line in, one NDJSON record per line out, streaming.

use super::output::{ErrorOut, Record};
use crate::lines::{BoundedLines, Line};
use anyhow::Context as _;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use warroom_domain::{CountryCode, IdentifierKind};
use warroom_normalize::{Context, Detection, MAX_VALUE_LEN, detect, normalize};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind of every value (phone, messaging, email, url, domain, ip, bank_account,
    /// crypto_wallet, imei, document). Without it each value's kind is detected.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<IdentifierKind>,
    /// Default region for national writings (ISO 3166-1 alpha-2): the reporting agency's country.
    #[arg(long, value_parser = parse_region)]
    region: Option<CountryCode>,
    /// Input file; standard input when absent or `-`.
    file: Option<PathBuf>,
}

pub(crate) fn parse_kind(s: &str) -> Result<IdentifierKind, String> {
    s.parse()
        .map_err(|e: warroom_domain::IdentifierError| e.to_string())
}

pub(crate) fn parse_region(s: &str) -> Result<CountryCode, String> {
    CountryCode::parse(s).map_err(|e| e.to_string())
}

/// An error for a line that could not be read as text.
pub(crate) fn line_error(line: &Line) -> Option<(&str, ErrorOut)> {
    match line {
        Line::Text(_) => None,
        Line::TooLong(head) => Some((
            head,
            ErrorOut {
                code: "too_long",
                message: format!("line longer than {MAX_VALUE_LEN} bytes; skipped"),
            },
        )),
        Line::NotUtf8(lossy) => Some((
            lossy,
            ErrorOut {
                code: "encoding",
                message: "line is not valid UTF-8".to_owned(),
            },
        )),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let ctx = Context {
        region: args.region,
    };
    let mut input = BoundedLines::open(args.file.as_deref(), MAX_VALUE_LEN)?;
    let stdout = io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    while let Some(line) = input.next_line().context("reading input")? {
        if let Some((shown, err)) = line_error(&line) {
            write_record(
                &mut out,
                &Record::err(shown, args.kind.map(|k| k.as_str()), err),
            )?;
            continue;
        }
        let Line::Text(value) = line else { continue };
        match args.kind {
            Some(kind) => match normalize(kind, &value, &ctx) {
                Ok(n) => write_record(&mut out, &Record::ok(&value, &n))?,
                Err(e) => write_record(
                    &mut out,
                    &Record::err(&value, Some(kind.as_str()), (&e).into()),
                )?,
            },
            None => match detect(&value, &ctx) {
                Detection::Found(n) => write_record(&mut out, &Record::ok(&value, &n))?,
                Detection::Ambiguous(candidates) => {
                    let mut r = Record::err(
                        &value,
                        None,
                        ErrorOut {
                            code: "ambiguous",
                            message: "the value fits several kinds; give --kind".to_owned(),
                        },
                    );
                    r.candidates = candidates
                        .iter()
                        .map(|c| c.identifier.kind().as_str())
                        .collect();
                    write_record(&mut out, &r)?;
                }
                Detection::None(e) => {
                    write_record(&mut out, &Record::err(&value, None, (&e).into()))?
                }
            },
        }
    }
    out.flush().context("writing output")?;
    Ok(())
}

pub(crate) fn write_record(out: &mut impl Write, r: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, r).context("writing output")?;
    out.write_all(b"\n").context("writing output")?;
    Ok(())
}
