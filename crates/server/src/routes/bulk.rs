//! `POST /api/v1/reports:bulk`: NDJSON in, NDJSON out, one answer per line, streamed.
//!
//! Lines are committed in batches of [`BULK_BATCH`]; a line's answer is written only after its
//! batch is committed, so an `accepted` the client has read is durable. A bad line is answered
//! with its error and the rest go on: never all-or-nothing.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, parse_report};
use crate::limits::{BULK_BATCH, MAX_NDJSON_LINE};
use crate::{AppState, blocking};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use serde::Serialize;
use tokio::sync::mpsc;
use warroom_node::{Actor, LineOutcome, Node};
use warroom_wire::{ErrorJson, FieldError, ReportIn};

/// One answer line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LineAnswer {
    /// 1-based line number in the request.
    pub line: usize,
    /// `accepted`, `duplicate`, `conflict`, `rejected` or `error` (the node failed; this and
    /// later lines were not stored).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<uuid::Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The last line of the answer.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct BulkSummary {
    pub lines: usize,
    pub accepted: usize,
    pub duplicate: usize,
    pub conflict: usize,
    pub rejected: usize,
    /// Set when the request stopped early (the body could not be read, or the node failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

#[derive(Serialize)]
struct SummaryLine<'a> {
    summary: &'a BulkSummary,
}

/// Submit many reports as NDJSON (one `ReportIn` per line).
///
/// The answer is NDJSON too: one `LineAnswer` per non-blank line, in order, then
/// `{"summary": BulkSummary}`. Lines longer than 1 MiB are rejected with `line_too_long`.
#[utoipa::path(post, path = "/reports:bulk", tag = "reports",
    request_body(content = String, content_type = "application/x-ndjson", description = "One report (ReportIn) per line"),
    responses(
        (status = 200, description = "One LineAnswer per line, then the summary", content_type = "application/x-ndjson", body = LineAnswer),
        (status = 401, body = ErrorJson), (status = 403, body = ErrorJson), (status = 415, body = ErrorJson)))]
pub async fn bulk(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let ndjson = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|m| {
            matches!(
                m.as_str(),
                "application/x-ndjson"
                    | "application/ndjson"
                    | "application/jsonl"
                    | "application/json-seq"
            )
        });
    if !ndjson {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send one report per line as Content-Type: application/x-ndjson",
        ));
    }
    // Refused callers get a status, not a stream of `error` lines.
    state.node.check_may_submit(&actor)?;
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::spawn(run(state.node.clone(), actor, body, tx));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .body(Body::from_stream(stream))
        .map_err(|_| ApiError::internal())
}

struct Batch {
    lines: Vec<usize>,
    items: Vec<Result<ReportIn, Vec<FieldError>>>,
}

async fn run(
    node: Node,
    actor: Actor,
    body: Body,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let mut flow = Flow {
        node,
        actor,
        tx,
        summary: BulkSummary::default(),
        pending: None,
        failed: false,
    };
    let mut stream = body.into_data_stream();
    let mut line = Vec::new();
    let mut overlong = false;
    let mut batch = Batch {
        lines: Vec::new(),
        items: Vec::new(),
    };
    'read: loop {
        // Answer a committed batch as soon as it is committed, even while the client is
        // still sending (or pausing).
        let next = match flow.pending.as_mut() {
            Some((_, handle)) => tokio::select! {
                done = handle => {
                    let lines = flow.pending.take().map(|(l, _)| l).unwrap_or_default();
                    if !flow.answer(lines, done).await {
                        break 'read;
                    }
                    continue 'read;
                }
                next = stream.next() => next,
            },
            None => stream.next().await,
        };
        let chunk = match next {
            Some(Ok(c)) => c,
            Some(Err(_)) => {
                flow.summary.stopped = Some("the request body could not be read to its end".into());
                break 'read;
            }
            None => break 'read,
        };
        let mut rest: &[u8] = &chunk;
        while !rest.is_empty() {
            let (part, newline) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], true),
                None => (rest, false),
            };
            rest = if newline {
                &rest[part.len() + 1..]
            } else {
                &[]
            };
            if !overlong {
                if line.len() + part.len() > MAX_NDJSON_LINE {
                    overlong = true;
                    line.clear();
                } else {
                    line.extend_from_slice(part);
                }
            }
            if newline {
                flow.summary.lines += 1;
                take_line(&mut batch, &mut line, &mut overlong, flow.summary.lines);
                if batch.items.len() >= BULK_BATCH && !flow.flush(&mut batch).await {
                    break 'read;
                }
            }
        }
    }
    if !flow.failed && (!line.is_empty() || overlong) && flow.summary.stopped.is_none() {
        flow.summary.lines += 1;
        take_line(&mut batch, &mut line, &mut overlong, flow.summary.lines);
    }
    if !flow.failed && flow.flush(&mut batch).await {
        flow.finish_pending().await;
    }
    if let Ok(mut bytes) = serde_json::to_vec(&SummaryLine {
        summary: &flow.summary,
    }) {
        bytes.push(b'\n');
        let _ = flow.tx.send(Ok(Bytes::from(bytes))).await;
    }
}

/// The commit of one batch, running on a blocking thread.
type Committing = tokio::task::JoinHandle<warroom_node::Result<Vec<LineOutcome>>>;
type Stored = Result<warroom_node::Result<Vec<LineOutcome>>, tokio::task::JoinError>;

/// The pipeline of one bulk request: batch N+1 is validated while batch N is committed.
struct Flow {
    node: Node,
    actor: Actor,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    summary: BulkSummary,
    /// The batch being committed, with its line numbers.
    pending: Option<(Vec<usize>, Committing)>,
    failed: bool,
}

impl Flow {
    /// Validates the batch, waits for the previous one to be committed and answered, and
    /// starts committing this one. False once the node has failed.
    async fn flush(&mut self, batch: &mut Batch) -> bool {
        if batch.items.is_empty() {
            return !self.failed;
        }
        let lines = std::mem::take(&mut batch.lines);
        let items = std::mem::take(&mut batch.items);
        let (n, a) = (self.node.clone(), self.actor.clone());
        let prepared = match blocking(move || n.prepare_batch(&a, items)).await {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => return self.fail(&lines, Some(e)).await,
            Err(_) => return self.fail(&lines, None).await,
        };
        if !self.finish_pending().await {
            return self.fail(&lines, None).await;
        }
        let n = self.node.clone();
        self.pending = Some((
            lines,
            tokio::task::spawn_blocking(move || n.store_batch(prepared)),
        ));
        true
    }

    async fn finish_pending(&mut self) -> bool {
        match self.pending.take() {
            Some((lines, handle)) => {
                let done = handle.await;
                self.answer(lines, done).await
            }
            None => !self.failed,
        }
    }

    async fn fail(&mut self, lines: &[usize], e: Option<warroom_node::NodeError>) -> bool {
        match e {
            Some(e) => {
                tracing::error!(error = %e, "bulk batch failed");
                self.summary.stopped =
                    Some(format!("the node failed: {}", ApiError::from(e).message));
            }
            None => self.summary.stopped = Some("the node failed".into()),
        }
        self.failed = true;
        let mut out = Vec::new();
        write_errors(lines, &mut out);
        let _ = self.tx.send(Ok(Bytes::from(out))).await;
        false
    }

    /// Writes a committed batch's answers; false when it failed or the client has gone.
    async fn answer(&mut self, lines: Vec<usize>, done: Stored) -> bool {
        let outcomes = match done {
            Ok(Ok(o)) => o,
            Ok(Err(e)) => return self.fail(&lines, Some(e)).await,
            Err(_) => return self.fail(&lines, None).await,
        };
        let summary = &mut self.summary;
        let mut out = Vec::new();
        for (line, outcome) in lines.into_iter().zip(outcomes) {
            let answer = match outcome {
                LineOutcome::Accepted { id } => {
                    summary.accepted += 1;
                    LineAnswer {
                        line,
                        status: "accepted",
                        id: Some(id.0),
                        errors: Vec::new(),
                    }
                }
                LineOutcome::Duplicate { id } => {
                    summary.duplicate += 1;
                    LineAnswer {
                        line,
                        status: "duplicate",
                        id: Some(id.0),
                        errors: Vec::new(),
                    }
                }
                LineOutcome::Conflict { id } => {
                    summary.conflict += 1;
                    LineAnswer {
                        line,
                        status: "conflict",
                        id: Some(id.0),
                        errors: vec![FieldError::new(
                            "id",
                            "conflict",
                            "the id belongs to another report",
                        )],
                    }
                }
                LineOutcome::Rejected(errors) => {
                    summary.rejected += 1;
                    LineAnswer {
                        line,
                        status: "rejected",
                        id: None,
                        errors,
                    }
                }
            };
            if serde_json::to_writer(&mut out, &answer).is_ok() {
                out.push(b'\n');
            }
        }
        self.tx.send(Ok(Bytes::from(out))).await.is_ok()
    }
}

fn take_line(batch: &mut Batch, line: &mut Vec<u8>, overlong: &mut bool, number: usize) {
    let item = if *overlong {
        Some(Err(vec![FieldError {
            field: None,
            code: "line_too_long".into(),
            message: format!("a line is at most {MAX_NDJSON_LINE} bytes"),
        }]))
    } else if line.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(parse_report(line).map_err(|e| {
            vec![FieldError {
                field: e.field.clone(),
                code: e.code.clone(),
                message: e.message.clone(),
            }]
        }))
    };
    if let Some(item) = item {
        batch.lines.push(number);
        batch.items.push(item);
    }
    line.clear();
    *overlong = false;
}

fn write_errors(lines: &[usize], out: &mut Vec<u8>) {
    for &line in lines {
        let answer = LineAnswer {
            line,
            status: "error",
            id: None,
            errors: Vec::new(),
        };
        if serde_json::to_writer(&mut *out, &answer).is_ok() {
            out.push(b'\n');
        }
    }
}
