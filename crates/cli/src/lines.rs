//! Line input for the streaming commands: bounded line length (constant memory whatever the
//! input), invalid UTF-8 reported per line, and a progress bar when reading a file on a terminal.

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::Path;

/// One input line, or why it could not be read as one.
#[derive(Debug)]
pub enum Line {
    Text(String),
    /// Longer than the limit; the rest of it was skipped. Holds the first bytes, lossily decoded.
    TooLong(String),
    /// Not UTF-8; holds a lossy decoding.
    NotUtf8(String),
}

pub struct BoundedLines {
    reader: Box<dyn BufRead>,
    max: usize,
    buf: Vec<u8>,
    progress: Option<ProgressBar>,
}

impl std::fmt::Debug for BoundedLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedLines")
            .field("max", &self.max)
            .finish()
    }
}

impl BoundedLines {
    /// Reads `path`, or stdin when `path` is `None` or `-`.
    pub fn open(path: Option<&Path>, max: usize) -> anyhow::Result<Self> {
        let (reader, progress): (Box<dyn Read>, Option<ProgressBar>) = match path {
            Some(p) if p != Path::new("-") => {
                let f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
                let len = f.metadata().map(|m| m.len()).unwrap_or(0);
                let bar = io::stderr().is_terminal().then(|| {
                    let bar = ProgressBar::new(len);
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    bar
                });
                (Box::new(f), bar)
            }
            _ => (Box::new(io::stdin().lock()), None),
        };
        Ok(Self::new(
            BufReader::with_capacity(1 << 16, reader),
            max,
            progress,
        ))
    }

    pub fn new(reader: impl BufRead + 'static, max: usize, progress: Option<ProgressBar>) -> Self {
        Self {
            reader: Box::new(reader),
            max,
            buf: Vec::with_capacity(256),
            progress,
        }
    }

    /// The next line without its line ending, or `None` at the end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buf.clear();
        let mut too_long = false;
        let mut saw_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            let room = (self.max + 1).saturating_sub(self.buf.len());
            if take > room {
                too_long = true;
            }
            self.buf.extend_from_slice(&chunk[..take.min(room)]);
            let consumed = if done { take + 1 } else { take };
            self.reader.consume(consumed);
            if let Some(p) = &self.progress {
                p.inc(consumed as u64);
            }
            if done {
                break;
            }
        }
        if !saw_any {
            if let Some(p) = &self.progress {
                p.finish_and_clear();
            }
            return Ok(None);
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if too_long || self.buf.len() > self.max {
            let head = &self.buf[..self.buf.len().min(64)];
            return Ok(Some(Line::TooLong(
                String::from_utf8_lossy(head).into_owned(),
            )));
        }
        Ok(Some(match std::str::from_utf8(&self.buf) {
            Ok(s) => Line::Text(s.to_owned()),
            Err(_) => Line::NotUtf8(String::from_utf8_lossy(&self.buf).into_owned()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], max: usize) -> Vec<String> {
        let mut r = BoundedLines::new(io::Cursor::new(input.to_vec()), max, None);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(match l {
                Line::Text(s) => format!("T:{s}"),
                Line::TooLong(s) => format!("L:{s}"),
                Line::NotUtf8(s) => format!("U:{s}"),
            });
        }
        out
    }

    #[test]
    fn splits_lines_and_bounds_length() {
        assert_eq!(
            collect(b"a\r\nbb\n\nccc", 10),
            ["T:a", "T:bb", "T:", "T:ccc"]
        );
        assert_eq!(
            collect(b"0123456789ABC\nok\n", 10),
            ["L:0123456789A", "T:ok"]
        );
        assert_eq!(collect(b"\xff\xfe\nok", 10), ["U:\u{fffd}\u{fffd}", "T:ok"]);
        assert!(collect(b"", 10).is_empty());
    }

    #[test]
    fn a_long_line_across_many_buffer_fills_is_skipped_whole() {
        let mut input = vec![b'x'; 1 << 20];
        input.extend_from_slice(b"\nnext\n");
        let r = BoundedLines::new(
            BufReader::with_capacity(16, io::Cursor::new(input)),
            100,
            None,
        );
        let mut r = r;
        assert!(matches!(r.next_line().unwrap(), Some(Line::TooLong(_))));
        assert!(matches!(r.next_line().unwrap(), Some(Line::Text(s)) if s == "next"));
        assert!(r.next_line().unwrap().is_none());
    }
}
