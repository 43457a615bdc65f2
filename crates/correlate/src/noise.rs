//! Noise: identifiers that must not correlate. A live warninglist entry says so by name; a hub
//! is found from the data (the rule and its calibration are on [`crate::HubRule`]).
//!
//! The hub measure of a busy identifier is computed by the writer when it publishes, for
//! identifiers whose postings changed by a sixteenth since they were last measured, over a
//! bounded sample of their reports (at most `HubRule::sample` reports × their identifiers), and
//! kept with the identifier; a read only compares two numbers with the current index size.

use crate::model::Noise;
use crate::state::State;

/// The co-occurrence measure of one identifier: `lift = num / den × reports / sample`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct HubStat {
    pub num: u64,
    pub den: u64,
    pub sample: u32,
    /// Postings when measured.
    pub at_len: u32,
}

impl HubStat {
    pub(crate) fn lift(&self, reports: u64) -> f64 {
        if self.den == 0 || self.sample == 0 {
            // No other identifier of its reports recurs: nothing relates them.
            return 0.0;
        }
        self.num as f64 / self.den as f64 * reports as f64 / f64::from(self.sample)
    }

    /// Whether an identifier now at `len` postings should be measured again.
    pub(crate) fn stale(&self, len: u32) -> bool {
        len.abs_diff(self.at_len) >= (self.at_len / 8).max(1)
    }
}

/// Whether J goes with I by construction: a URL or e-mail address on domain I, a messaging
/// account on phone I (and the other way round).
fn derived(i_kind: &str, i_value: &str, j_kind: &str, j_value: &str) -> bool {
    i_kind != j_kind
        && !i_value.is_empty()
        && !j_value.is_empty()
        && (j_value.contains(i_value) || i_value.contains(j_value))
}

/// Measures identifier `egid` over at most `sample` of its reports.
pub(crate) fn measure(state: &State, egid: u32, sample: u32) -> Option<HubStat> {
    let (shard, rec) = state.entity(egid)?;
    let i_kind = state.kind(rec.kind).map(|k| k.name.as_str()).unwrap_or("");
    let i_value = shard.value(rec);
    let postings = state.postings(egid);
    let n = postings.len();
    let s = n.min(sample.max(1) as usize);
    let mut co: Vec<u32> = Vec::with_capacity(s * 8);
    for k in 0..s {
        let Some(r) = postings.get(k * n / s) else {
            continue;
        };
        co.extend(state.reports.entities(r).iter().filter(|j| **j != egid));
    }
    co.sort_unstable();
    let (mut num, mut den) = (0u64, 0u64);
    for run in co.chunk_by(|a, b| a == b) {
        let (Some(j), c) = (run.first(), run.len()) else {
            continue;
        };
        let Some((js, jr)) = state.entity(*j) else {
            continue;
        };
        let t = jr.len as usize;
        if t < 2 || t > n || !state.is_identifier(jr) {
            continue;
        }
        let j_kind = state.kind(jr.kind).map(|k| k.name.as_str()).unwrap_or("");
        if derived(i_kind, i_value, j_kind, js.value(jr)) {
            continue;
        }
        num += (c - 1) as u64;
        den += (t - 1) as u64;
    }
    Some(HubStat {
        num,
        den,
        sample: s as u32,
        at_len: n as u32,
    })
}

/// Whether identifier `egid` is noise now.
pub(crate) fn noise_of(state: &State, egid: u32) -> Option<Noise> {
    let (shard, rec) = state.entity(egid)?;
    if let Some(w) = state.warninglist.get(&rec.id) {
        return Some(Noise::Warninglisted {
            reason: w.reason.clone(),
            source: w.source.clone(),
        });
    }
    let threshold = state.rule.threshold(state.live_reports);
    if u64::from(rec.len) < threshold {
        return None;
    }
    let (_, local) = crate::entities::split(egid);
    let busy = shard.busy.get(&local)?;
    let lift = busy.hub?.lift(state.live_reports);
    (lift <= state.rule.max_lift).then(|| Noise::Hub {
        reports: u64::from(rec.len),
        agencies: busy.agencies.len() as u64,
        threshold,
        lift,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_values_are_recognised_both_ways() {
        assert!(derived("domain", "bit.ly", "url", "https://bit.ly/x1"));
        assert!(derived("url", "https://bit.ly/x1", "domain", "bit.ly"));
        assert!(derived(
            "phone",
            "+66812345678",
            "messaging",
            "whatsapp:+66812345678"
        ));
        assert!(!derived("phone", "+66812345678", "phone", "+668123456789"));
        assert!(!derived("domain", "", "url", "https://x.com"));
        assert!(!derived("domain", "evil.top", "email", "a@good.com"));
    }

    #[test]
    fn lift_is_share_of_co_reports_against_share_of_all() {
        let s = HubStat {
            num: 10,
            den: 100,
            sample: 50,
            at_len: 50,
        };
        // 10% of the co-identifiers' other reports hold it; it is in 50 of 1000 reports (5%).
        assert!((s.lift(1000) - 2.0).abs() < 1e-9);
        assert!(!s.stale(55));
        assert!(s.stale(56));
        assert_eq!(HubStat::default().lift(1000), 0.0);
    }
}
