//! Risk of one identifier for one viewer, term by term. Only what the viewer may know of
//! counts: agencies and countries over the postings the viewer may read or learn are held
//! (Full, HitOnly); report counts and recency over the postings it may read (Full); analysts'
//! marks only from the viewer's own agency or from agencies the viewer may know hold the
//! identifier (a mark must not reveal that an agency holding it only under RED or AMBER+STRICT
//! knows of it).

use crate::agencies::Verdict;
use crate::hits::AccessFn;
use crate::model::{Noise, Risk, RiskTerm};
use crate::noise::noise_of;
use crate::state::State;
use jiff::Timestamp;
use std::collections::BTreeSet;
use warroom_domain::policy::Access;
use warroom_domain::{AgencyId, EntityId};

const AGENCIES_MAX: f64 = 25.0;
const COUNTRIES_MAX: f64 = 15.0;
const REPORTS_MAX: f64 = 20.0;
const RECENCY_MAX: f64 = 20.0;
const CONFIRMED_MAX: f64 = 20.0;
/// The most false-positive marks take away (40 for the first: one analyst's word that the
/// value is innocent outweighs most of what the sightings add).
const FALSE_POSITIVE_MAX: f64 = 60.0;
const FALSE_POSITIVE_EACH: f64 = 40.0;

/// MISP's decaying model "Polynomial" (MISP `app/Model/DecayingModelsFormulas/Polynomial.php`,
/// from the paper "An indicator scoring method for MISP platforms"):
/// `score = base × max(0, 1 − (t / τ)^(1 / δ))`, τ the lifetime and δ the decay speed; here
/// τ = 180 days and δ = 2.3 (slow at first, then faster: a value is worth half after 36 days,
/// a quarter after 92, nothing after 180).
const LIFETIME_DAYS: f64 = 180.0;
const DECAY_SPEED: f64 = 2.3;

pub(crate) fn decay(age_days: f64) -> f64 {
    if age_days <= 0.0 {
        return 1.0;
    }
    (1.0 - (age_days / LIFETIME_DAYS).powf(1.0 / DECAY_SPEED)).max(0.0)
}

fn saturating(max: f64, x: f64, scale: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        max * (1.0 - (-x / scale).exp())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(crate) fn risk(
    state: &State,
    id: EntityId,
    viewer: AgencyId,
    access: AccessFn<'_>,
    now: Timestamp,
) -> Option<Risk> {
    let egid = state.entities.find(&id)?;
    let (_, rec) = state.entity(egid)?;
    if !state.is_identifier(rec) {
        return None;
    }
    let mut agencies: BTreeSet<AgencyId> = BTreeSet::new();
    let mut countries = BTreeSet::new();
    let mut readable = 0usize;
    let mut newest: Option<Timestamp> = None;
    for p in state.postings(egid).iter() {
        let Some(posting) = state.posting(p) else {
            continue;
        };
        let a = access(&posting);
        if a == Access::None {
            continue;
        }
        agencies.insert(posting.agency);
        if let Some(cc) = state
            .agencies
            .handle(&posting.agency)
            .and_then(|h| state.agencies.country(h))
        {
            countries.insert(cc);
        }
        if a == Access::Full {
            readable += 1;
            newest = newest.max(Some(posting.seen_at));
        }
    }
    if agencies.is_empty() {
        // The viewer may know of no report holding it: it does not exist for them.
        return None;
    }
    if let Some(noise) = noise_of(state, egid) {
        let noise = match noise {
            // Counts only as far as the viewer may know them.
            Noise::Hub {
                threshold, lift, ..
            } => Noise::Hub {
                reports: readable as u64,
                agencies: agencies.len() as u64,
                threshold,
                lift,
            },
            w => w,
        };
        let why = match &noise {
            Noise::Warninglisted { reason, source } => {
                format!("Not scored: on the warninglist ({source}): {reason}.")
            }
            Noise::Hub {
                threshold, lift, ..
            } => format!(
                "Not scored: a hub, in at least {threshold} reports whose other identifiers \
                 recur with it only {lift:.1} times as often as chance (a syndicate's are 4 or more)."
            ),
        };
        return Some(Risk {
            score: 0.0,
            terms: vec![RiskTerm {
                name: "noise",
                input: 1.0,
                points: 0.0,
                max_points: 0.0,
                explanation: why,
            }],
            noise: Some(noise),
        });
    }
    let mut terms = Vec::new();
    let k = agencies.len();
    let pts = saturating(AGENCIES_MAX, k as f64 - 1.0, 2.0);
    terms.push(RiskTerm {
        name: "agencies",
        input: k as f64,
        points: pts,
        max_points: AGENCIES_MAX,
        explanation: format!(
            "Held by {} you may know of: {pts:.1} of {AGENCIES_MAX:.0} points (the first agency adds nothing, each further one less than the one before).",
            plural(k, "agency", "agencies")
        ),
    });
    let c = countries.len();
    let pts = saturating(COUNTRIES_MAX, c as f64 - 1.0, 1.0);
    let names: Vec<&str> = countries.iter().map(|c| c.as_str()).collect();
    terms.push(RiskTerm {
        name: "countries",
        input: c as f64,
        points: pts,
        max_points: COUNTRIES_MAX,
        explanation: format!(
            "Those agencies are in {}{}: {pts:.1} of {COUNTRIES_MAX:.0} points (one country adds nothing).",
            plural(c, "country", "countries"),
            if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            }
        ),
    });
    let pts = saturating(REPORTS_MAX, readable as f64, 5.0);
    terms.push(RiskTerm {
        name: "reports",
        input: readable as f64,
        points: pts,
        max_points: REPORTS_MAX,
        explanation: format!(
            "{} you may read hold it: {pts:.1} of {REPORTS_MAX:.0} points.",
            plural(readable, "report", "reports")
        ),
    });
    terms.push(match newest {
        Some(t) => {
            let age = (now.as_second() - t.as_second()).max(0) as f64 / 86_400.0;
            let f = decay(age);
            let pts = RECENCY_MAX * f;
            RiskTerm {
                name: "recency",
                input: age,
                points: pts,
                max_points: RECENCY_MAX,
                explanation: format!(
                    "The latest report you may read saw it {age:.0} days ago ({}); MISP's polynomial decay over a {LIFETIME_DAYS:.0}-day lifetime at speed {DECAY_SPEED} keeps {:.0}% of {RECENCY_MAX:.0} points: {pts:.1}.",
                    t.strftime("%Y-%m-%d"),
                    f * 100.0
                ),
            }
        }
        None => RiskTerm {
            name: "recency",
            input: 0.0,
            points: 0.0,
            max_points: RECENCY_MAX,
            explanation: format!(
                "No report you may read holds it, so it has no age: 0 of {RECENCY_MAX:.0} points."
            ),
        },
    });
    let marks = state.marks.get(&id).map(Vec::as_slice).unwrap_or_default();
    let visible = |a: &AgencyId| *a == viewer || agencies.contains(a);
    let confirmed = marks
        .iter()
        .filter(|m| m.verdict == Verdict::Confirmed && visible(&m.agency))
        .count();
    let false_pos = marks
        .iter()
        .filter(|m| m.verdict == Verdict::FalsePositive && visible(&m.agency))
        .count();
    let pts = saturating(CONFIRMED_MAX, confirmed as f64, 1.5);
    terms.push(RiskTerm {
        name: "confirmations",
        input: confirmed as f64,
        points: pts,
        max_points: CONFIRMED_MAX,
        explanation: format!(
            "{} by analysts of your agency or of agencies you may know hold it: {pts:.1} of {CONFIRMED_MAX:.0} points.",
            plural(confirmed, "confirmation", "confirmations")
        ),
    });
    let pts = -(FALSE_POSITIVE_EACH * false_pos as f64).min(FALSE_POSITIVE_MAX);
    terms.push(RiskTerm {
        name: "false_positives",
        input: false_pos as f64,
        points: pts,
        max_points: -FALSE_POSITIVE_MAX,
        explanation: format!(
            "{} by analysts of your agency or of agencies you may know hold it: {pts:.1} points ({FALSE_POSITIVE_EACH:.0} each, at most {FALSE_POSITIVE_MAX:.0}).",
            plural(false_pos, "false-positive mark", "false-positive marks")
        ),
    });
    let score = terms
        .iter()
        .map(|t| t.points)
        .sum::<f64>()
        .clamp(0.0, 100.0);
    Some(Risk {
        score,
        terms,
        noise: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polynomial_decay_matches_misp() {
        assert_eq!(decay(0.0), 1.0);
        assert_eq!(decay(LIFETIME_DAYS), 0.0);
        assert_eq!(decay(LIFETIME_DAYS * 2.0), 0.0);
        // MISP: 1 - (t/τ)^(1/δ); at half the lifetime with δ = 2.3: 1 - 0.5^(1/2.3) ≈ 0.2597.
        assert!((decay(90.0) - 0.2597).abs() < 1e-3);
        assert!(decay(10.0) > decay(20.0));
    }
}
