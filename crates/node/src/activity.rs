//! `activity`: what the dashboard counts: reports the actor may read in full, bucketed by week
//! and counted by scam method, victim country and owner agency, and the places they name.
//!
//! Only reports the policy gives the actor in full are counted: a count over reports the actor
//! may merely hear of would tell their methods and countries. The scan is bounded
//! ([`MAX_ACTIVITY_SCAN`] newest reports); the answer says when it stopped early. One
//! `activity.read` audit event records the view (not one per report: nothing of any single
//! report leaves but its contribution to a count and the places it names).

use crate::policy::access_to_report;
use crate::{Actor, Audited, Node, Result};
use jiff::Timestamp;
use std::collections::BTreeMap;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, CountryCode, ReportId};
use warroom_store::ReportFilter;
use warroom_wire::{EntityDoc, ReportBody};

/// Newest reports an activity view looks at.
pub const MAX_ACTIVITY_SCAN: usize = 50_000;
/// Weeks the counts cover, ending with the week of the newest counted report.
pub const ACTIVITY_WEEKS: usize = 16;
/// Newest readable reports listed with the activity.
const RECENT: usize = 12;
const PAGE: usize = 1_000;
const WEEK: i64 = 7 * 24 * 3600;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    /// Start of each week bucket, oldest first (Mondays, UTC).
    pub weeks: Vec<Timestamp>,
    /// Per scam method slug: reports per week.
    pub by_method: BTreeMap<String, Vec<u64>>,
    pub by_country: BTreeMap<CountryCode, Vec<u64>>,
    pub by_agency: BTreeMap<AgencyId, Vec<u64>>,
    /// Places named by counted reports (any time), with how many reports name them.
    pub places: Vec<Place>,
    /// Newest counted reports.
    pub recent: Vec<RecentReport>,
    /// Reports counted in the weeks shown.
    pub counted: u64,
    /// The scan stopped at [`MAX_ACTIVITY_SCAN`] reports.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    /// `compound`, `city`, `border_crossing`, `airport` or `other`.
    pub kind: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub reports: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecentReport {
    pub id: ReportId,
    pub owner: AgencyId,
    pub reported_at: Timestamp,
    pub methods: Vec<String>,
    pub marking: warroom_domain::Tlp,
    pub identifiers: usize,
}

/// Monday 00:00 UTC of the week holding `t`.
fn week_start(t: Timestamp) -> Timestamp {
    let s = t.as_second();
    // 1970-01-01 was a Thursday: shift so that weeks start on Mondays.
    let monday = (s + 3 * 24 * 3600).div_euclid(WEEK) * WEEK - 3 * 24 * 3600;
    Timestamp::from_second(monday).unwrap_or(t)
}

impl Node {
    pub fn activity(&self, actor: &Actor) -> Result<Audited<Activity>> {
        actor.principal()?;
        let filter = ReportFilter::default();
        let mut cursor = None;
        let mut scanned = 0;
        let mut rows = Vec::new();
        let mut truncated = false;
        loop {
            let page = self.store_ref().list_reports(&filter, cursor, PAGE)?;
            let exhausted = page.len() < PAGE;
            for row in page {
                scanned += 1;
                cursor = Some(row.seq);
                if access_to_report(actor, &row.report) == Access::Full {
                    rows.push(row.report);
                }
            }
            if exhausted {
                break;
            }
            if scanned >= MAX_ACTIVITY_SCAN {
                truncated = true;
                break;
            }
        }
        let mut a = Activity {
            truncated,
            ..Activity::default()
        };
        let Some(newest) = rows.iter().map(|r| r.reported_at).max() else {
            return Ok(Audited::new(
                a,
                vec![actor.audit("activity.read", "node", "activity")],
            ));
        };
        let last = week_start(newest).as_second();
        let first = last - (ACTIVITY_WEEKS as i64 - 1) * WEEK;
        a.weeks = (0..ACTIVITY_WEEKS as i64)
            .filter_map(|i| Timestamp::from_second(first + i * WEEK).ok())
            .collect();
        // Location entities are per report (a place has no canonical id): one place is its kind,
        // name and coordinates to about a kilometre.
        let mut places: BTreeMap<(String, String, i64, i64), Place> = BTreeMap::new();
        for r in &rows {
            let at = r.reported_at.as_second();
            if at >= first {
                let i = ((at - first) / WEEK).clamp(0, ACTIVITY_WEEKS as i64 - 1) as usize;
                let zero = || vec![0; ACTIVITY_WEEKS];
                for m in &r.methods {
                    a.by_method.entry(m.clone()).or_insert_with(zero)[i] += 1;
                }
                if let Some(c) = r.victim_country {
                    a.by_country.entry(c).or_insert_with(zero)[i] += 1;
                }
                a.by_agency.entry(r.owner).or_insert_with(zero)[i] += 1;
                a.counted += 1;
            }
            if r.entities.iter().any(|e| e.kind == "location") {
                // Coordinates live only in the document.
                if let Ok(body) = serde_json::from_str::<ReportBody>(&r.body) {
                    for e in body.entities {
                        if let EntityDoc::Location(l) = e
                            && let (Some(lat), Some(lon)) = (l.lat, l.lon)
                        {
                            let key = (
                                l.kind.clone(),
                                l.name.clone(),
                                (lat * 100.0).round() as i64,
                                (lon * 100.0).round() as i64,
                            );
                            places
                                .entry(key)
                                .or_insert_with(|| Place {
                                    name: l.name.clone(),
                                    kind: l.kind.clone(),
                                    country: l.country.clone(),
                                    lat,
                                    lon,
                                    reports: 0,
                                })
                                .reports += 1;
                        }
                    }
                }
            }
        }
        let mut newest_first: Vec<&warroom_store::ReportRecord> = rows.iter().collect();
        newest_first.sort_by(|x, y| y.reported_at.cmp(&x.reported_at).then(y.id.cmp(&x.id)));
        a.recent = newest_first
            .into_iter()
            .take(RECENT)
            .map(|r| RecentReport {
                id: r.id,
                owner: r.owner,
                reported_at: r.reported_at,
                methods: r.methods.clone(),
                marking: r.marking,
                identifiers: r.entities.iter().filter(|e| e.kind != "location").count(),
            })
            .collect();
        a.places = places.into_values().collect();
        a.places
            .sort_by(|x, y| y.reports.cmp(&x.reports).then(x.name.cmp(&y.name)));
        Ok(Audited::new(
            a,
            vec![actor.audit("activity.read", "node", "activity")],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        // 2026-11-29 is a Sunday; its week began on Monday 2026-11-23.
        let t: Timestamp = "2026-11-29T13:00:00Z".parse().unwrap_or_default();
        assert_eq!(week_start(t).to_string(), "2026-11-23T00:00:00Z");
        let monday: Timestamp = "2026-11-30T00:00:00Z".parse().unwrap_or_default();
        assert_eq!(week_start(monday), monday);
    }
}
