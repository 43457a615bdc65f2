//! Submitting, reading, listing, updating and retracting reports.

use crate::ingest::{fingerprint, prepare};
use crate::policy::access_to_report;
use crate::prepare_threads;
use crate::views::report_out;
use crate::{Actor, Node, NodeError, Principal, Result, limits};
use jiff::Timestamp;
use std::collections::BTreeSet;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, GroupId, ReportId, Role};
use warroom_store::{PutOutcome, ReportFilter, ReportRecord};
use warroom_wire::{FieldError, ReportIn, ReportOut};

/// The answer to one submitted report.
#[derive(Clone, Debug, PartialEq)]
pub enum Submitted {
    Accepted {
        id: ReportId,
        version: u32,
    },
    /// The same report (same id, same content) was accepted before; `version` is the
    /// stored one.
    Duplicate {
        id: ReportId,
        version: u32,
    },
}

/// The answer to one line of a bulk submission.
#[derive(Clone, Debug, PartialEq)]
pub enum LineOutcome {
    Accepted {
        id: ReportId,
    },
    Duplicate {
        id: ReportId,
    },
    /// The id is taken by a different report.
    Conflict {
        id: ReportId,
    },
    Rejected(Vec<FieldError>),
}

/// A validated batch, ready to store (see [`Node::prepare_batch`]).
#[derive(Debug)]
pub struct PreparedBatch {
    outcomes: Vec<Option<LineOutcome>>,
    slots: Vec<usize>,
    records: Vec<(ReportRecord, warroom_store::AuditDraft)>,
}

impl PreparedBatch {
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next: Option<u64>,
}

/// The agencies and groups a distribution may name.
struct Known {
    agencies: BTreeSet<AgencyId>,
    groups: BTreeSet<GroupId>,
}

impl Node {
    fn submitter<'a>(&self, actor: &'a Actor) -> Result<&'a Principal> {
        let p = actor.principal()?;
        if p.has(Role::Analyst) || p.has(Role::Supervisor) {
            Ok(p)
        } else {
            Err(NodeError::Forbidden(
                "only analysts and supervisors submit reports",
            ))
        }
    }

    fn known(&self) -> Result<Known> {
        let store = self.store_ref();
        Ok(Known {
            agencies: store.agencies()?.into_iter().map(|a| a.id).collect(),
            groups: store.groups()?.into_iter().map(|g| g.id).collect(),
        })
    }

    fn check_distribution(known: &Known, r: &ReportRecord) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        for a in &r.distribution.agencies {
            if !known.agencies.contains(a) {
                errs.push(FieldError::new(
                    "distribution.agencies",
                    "unknown_agency",
                    format!("no agency {a}"),
                ));
            }
        }
        for g in &r.distribution.groups {
            if !known.groups.contains(g) {
                errs.push(FieldError::new(
                    "distribution.groups",
                    "unknown_group",
                    format!("no sharing group {g}"),
                ));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Validates, normalises and stores one report.
    pub fn submit(&self, actor: &Actor, input: &ReportIn) -> Result<Submitted> {
        let outcome = self.submit_batch(actor, vec![Ok(input.clone())])?;
        match outcome.into_iter().next() {
            Some(LineOutcome::Accepted { id }) => Ok(Submitted::Accepted { id, version: 1 }),
            Some(LineOutcome::Duplicate { id }) => {
                // The stored report may have moved on since (an update with the same content).
                let version = self.store_ref().report(id)?.map_or(1, |r| r.version);
                Ok(Submitted::Duplicate { id, version })
            }
            Some(LineOutcome::Conflict { id }) => Err(NodeError::Conflict(format!(
                "the id {id} belongs to another report: choose a new id, or update that report"
            ))),
            Some(LineOutcome::Rejected(errors)) => Err(NodeError::Invalid(errors)),
            None => Err(NodeError::Corrupt("no outcome for the report".into())),
        }
    }

    /// Stores many reports in one transaction and answers per item; an item that failed to
    /// parse is passed in as its error and answered as rejected. Never all-or-nothing.
    pub fn submit_batch(
        &self,
        actor: &Actor,
        items: Vec<Result<ReportIn, Vec<FieldError>>>,
    ) -> Result<Vec<LineOutcome>> {
        let prepared = self.prepare_batch(actor, items)?;
        self.store_batch(prepared)
    }

    /// The first half of [`Node::submit_batch`]: validation and normalisation, no I/O but reading
    /// the agencies and groups. Bulk paths prepare the next batch while the previous one is
    /// being stored.
    pub fn prepare_batch(
        &self,
        actor: &Actor,
        items: Vec<Result<ReportIn, Vec<FieldError>>>,
    ) -> Result<PreparedBatch> {
        let p = self.submitter(actor)?;
        let known = self.known()?;
        let now = Timestamp::now();
        let prepare_one = |item: Result<ReportIn, Vec<FieldError>>| {
            item.and_then(|input| {
                let id = input.id.map(ReportId).unwrap_or_else(ReportId::random);
                let record = prepare(&p.agency, p.user.id, &input, id, 1, now)?;
                Self::check_distribution(&known, &record)?;
                Ok(record)
            })
        };
        let threads = self
            .inner
            .batch_writes
            .threads(items.len(), prepare_threads::cores());
        let prepared = prepare_threads::map_parallel(items, threads, &prepare_one);
        let mut out = PreparedBatch {
            outcomes: Vec::with_capacity(prepared.len()),
            slots: Vec::new(),
            records: Vec::new(),
        };
        for prepared in prepared {
            match prepared {
                Ok(record) => {
                    let audit = actor.audit("report.create", "report", record.id);
                    out.slots.push(out.outcomes.len());
                    out.outcomes.push(None);
                    out.records.push((record, audit));
                }
                Err(errors) => out.outcomes.push(Some(LineOutcome::Rejected(errors))),
            }
        }
        Ok(out)
    }

    /// The second half of [`Node::submit_batch`]: one transaction, answers in input order.
    pub fn store_batch(&self, prepared: PreparedBatch) -> Result<Vec<LineOutcome>> {
        let PreparedBatch {
            mut outcomes,
            slots,
            records,
        } = prepared;
        if !records.is_empty() {
            let _writing = self.inner.batch_writes.enter();
            let results = self.store_ref().put_reports(&records)?;
            if results.contains(&PutOutcome::Inserted) {
                self.after_report_write();
            }
            for ((slot, (record, _)), result) in slots.into_iter().zip(&records).zip(results) {
                outcomes[slot] = Some(match result {
                    PutOutcome::Inserted => LineOutcome::Accepted { id: record.id },
                    PutOutcome::Duplicate => LineOutcome::Duplicate { id: record.id },
                    PutOutcome::Conflict => LineOutcome::Conflict { id: record.id },
                });
            }
        }
        Ok(outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    LineOutcome::Rejected(vec![FieldError::new("", "internal", "no outcome")])
                })
            })
            .collect())
    }

    /// A report the actor may read, audited. Hidden and missing reports are both `NotFound`.
    pub fn report(&self, actor: &Actor, id: ReportId) -> Result<ReportOut> {
        let record = self.readable(actor, id)?;
        self.audit_reads(vec![actor.audit("report.read", "report", id)])?;
        report_out(&record)
    }

    /// Every version of a report the actor may read now, oldest first. Once the report is
    /// retracted, no version shows its content: the tombstone withholds it for all of them.
    pub fn report_versions(&self, actor: &Actor, id: ReportId) -> Result<Vec<ReportOut>> {
        let current = self.readable(actor, id)?;
        let versions = self.store_ref().report_versions(id)?;
        self.audit_reads(vec![actor.audit("report.read_versions", "report", id)])?;
        let mut out = versions
            .iter()
            .map(report_out)
            .collect::<Result<Vec<_>>>()?;
        if current.retracted_at.is_some() {
            for v in &mut out {
                v.body = None;
            }
        }
        Ok(out)
    }

    /// Whether the actor may submit reports at all (analysts and supervisors), for callers
    /// that must refuse before they start, such as a streamed bulk submission.
    pub fn check_may_submit(&self, actor: &Actor) -> Result<()> {
        self.submitter(actor).map(|_| ())
    }

    fn readable(&self, actor: &Actor, id: ReportId) -> Result<ReportRecord> {
        let record = self
            .store_ref()
            .report(id)?
            .ok_or(NodeError::NotFound("report"))?;
        if access_to_report(actor, &record) != Access::Full {
            return Err(NodeError::NotFound("report"));
        }
        Ok(record)
    }

    /// Reports matching the filter that the actor may read, newest first. A page can hold
    /// fewer than `limit` reports when many in a row are hidden; follow `next` until it is
    /// `None`.
    pub fn list_reports(
        &self,
        actor: &Actor,
        filter: &ReportFilter,
        cursor: Option<u64>,
        limit: usize,
    ) -> Result<Page<ReportOut>> {
        let limit = limit.clamp(1, limits::MAX_PAGE);
        // Bounded work per page, whatever the proportion of hidden reports.
        let budget = limit * 20;
        let mut scanned = 0;
        let mut cursor = cursor;
        let mut items = Vec::new();
        let mut events = Vec::new();
        loop {
            let want = (limit * 2).min(budget - scanned).max(1);
            let rows = self.store_ref().list_reports(filter, cursor, want)?;
            let exhausted = rows.len() < want;
            for row in rows {
                scanned += 1;
                cursor = Some(row.seq);
                if access_to_report(actor, &row.report) == Access::Full {
                    events.push(actor.audit("report.read", "report", row.report.id));
                    items.push(report_out(&row.report)?);
                    if items.len() == limit {
                        break;
                    }
                }
            }
            if exhausted && items.len() < limit {
                self.audit_reads(events)?;
                return Ok(Page { items, next: None });
            }
            if items.len() == limit || scanned >= budget {
                self.audit_reads(events)?;
                return Ok(Page {
                    items,
                    next: cursor,
                });
            }
        }
    }

    /// Stores a new version of the actor's agency's report. `expected_version`, when given,
    /// must be the current version (optimistic concurrency, `If-Match`).
    pub fn update_report(
        &self,
        actor: &Actor,
        id: ReportId,
        input: &ReportIn,
        expected_version: Option<u32>,
    ) -> Result<u32> {
        let p = self.submitter(actor)?;
        let current = self.owned(p, id)?;
        if let Some(v) = expected_version
            && v != current.version
        {
            return Err(NodeError::Conflict(format!(
                "the report is at version {}, not {v}: reload it and apply your change again",
                current.version
            )));
        }
        if current.retracted_at.is_some() {
            return Err(NodeError::Gone("the report was retracted"));
        }
        if input.id.is_some_and(|i| i != id.0) {
            return Err(NodeError::invalid(
                "id",
                "id_mismatch",
                "the body's id differs from the URL's",
            ));
        }
        if fingerprint(p.agency.id, input) == current.fingerprint {
            return Ok(current.version);
        }
        let known = self.known()?;
        let record = prepare(
            &p.agency,
            p.user.id,
            input,
            id,
            current.version + 1,
            Timestamp::now(),
        )
        .map_err(NodeError::Invalid)?;
        Self::check_distribution(&known, &record).map_err(NodeError::Invalid)?;
        // The author stays the author; who made this version is in the audit event.
        let record = ReportRecord {
            author: current.author,
            ..record
        };
        self.store_ref()
            .update_report(&record, &actor.audit("report.update", "report", id))?;
        self.after_report_write();
        Ok(record.version)
    }

    /// Retracts a report of the actor's agency: a tombstone that keeps the id and stops its
    /// content and sightings from being shared. Retracting twice is not an error.
    pub fn retract_report(&self, actor: &Actor, id: ReportId) -> Result<()> {
        let p = self.submitter(actor)?;
        let current = self.owned(p, id)?;
        if current.retracted_at.is_some() {
            return Ok(());
        }
        self.store_ref().retract_report(
            id,
            Timestamp::now(),
            &actor.audit("report.retract", "report", id),
        )?;
        self.after_report_write();
        Ok(())
    }

    /// The report, if the principal's agency owns it and the principal may change it (its
    /// author or a supervisor). Others' reports they can read answer `Forbidden`; reports they
    /// cannot read answer `NotFound`.
    fn owned(&self, p: &Principal, id: ReportId) -> Result<ReportRecord> {
        let actor = Actor::user(p.clone(), "");
        let record = self.readable(&actor, id)?;
        if record.owner != p.agency.id {
            return Err(NodeError::Forbidden(
                "only the owner agency changes a report",
            ));
        }
        if record.author != p.user.id && !p.has(Role::Supervisor) {
            return Err(NodeError::Forbidden(
                "only the author or a supervisor changes a report",
            ));
        }
        Ok(record)
    }
}
