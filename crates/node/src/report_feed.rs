//! The live report feed: new report versions as they are stored (by any process), each shown
//! to a subscriber only if the policy gives it the report in full, and audited as a read.

use crate::policy::access_to_report;
use crate::{Actor, Audited, Node};
use jiff::Timestamp;
use std::sync::Arc;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, CountryCode, ReportId, ReportKind, Tlp};
use warroom_store::ReportRecord;

/// A batch of new report versions as the index took them in, without their bodies. Opaque:
/// read it through [`Node::reports_for`].
#[derive(Clone, Debug)]
pub struct ReportNotices(pub(crate) Arc<Vec<ReportRecord>>);

/// A new report version as a subscriber may see it: what a feed line shows.
#[derive(Clone, Debug, PartialEq)]
pub struct NewReport {
    pub id: ReportId,
    pub owner: AgencyId,
    pub kind: ReportKind,
    pub marking: Tlp,
    pub methods: Vec<String>,
    pub victim_country: Option<CountryCode>,
    pub reported_at: Timestamp,
    pub version: u32,
    /// Identifiers the report names (people, organisations and places not counted).
    pub identifiers: usize,
}

impl Node {
    /// Live notices of new report versions; shape each batch with [`Node::reports_for`].
    pub fn subscribe_reports(&self) -> tokio::sync::broadcast::Receiver<ReportNotices> {
        self.inner.correlation.subscribe_reports()
    }

    /// The reports of a batch the actor may read in full, each audited as `report.read`.
    pub fn reports_for(&self, actor: &Actor, notices: &ReportNotices) -> Audited<Vec<NewReport>> {
        let mut out = Vec::new();
        let mut events = Vec::new();
        if actor.principal.is_some() {
            for r in notices.0.iter() {
                if r.retracted_at.is_some() || access_to_report(actor, r) != Access::Full {
                    continue;
                }
                events.push(actor.audit("report.read", "report", r.id));
                out.push(NewReport {
                    id: r.id,
                    owner: r.owner,
                    kind: r.kind,
                    marking: r.marking,
                    methods: r.methods.clone(),
                    victim_country: r.victim_country,
                    reported_at: r.reported_at,
                    version: r.version,
                    identifiers: r.entities.iter().filter(|e| e.kind != "location").count(),
                });
            }
        }
        Audited::new(out, events)
    }
}
