//! What the index is told at start.

/// Settings of the index.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Config {
    pub hub: HubRule,
}

/// When an identifier is a hub: sighted across far more unrelated reports than a syndicate's
/// identifier would be. An identifier is a hub when both hold:
///
/// 1. it is in at least `max(min_reports, reports / reports_per_hub)` non-retracted reports
///    (`reports`: all non-retracted reports of the index), and
/// 2. its reports are unrelated: the other identifiers of its reports recur together with it
///    at most `max_lift` times as often as chance would have them.
///
/// The measure of 2 ("lift"): over `sample` of the identifier's reports (evenly spread over
/// its postings), take every other identifier J of those reports that is in at least two
/// reports and in no more reports than the identifier itself, and that is not derived from it
/// or it from J (a URL or e-mail address on a domain, a messaging account on a phone number:
/// these go with it by construction). Then
/// `lift = Σ(c_J − 1) / Σ(t_J − 1) × reports / sample`, where `c_J` is the number of sampled
/// reports holding J and `t_J` all of J's reports: the share of J's *other* reports that also
/// hold the identifier, against the identifier's share of all reports. A syndicate's phone,
/// account or wallet travels with the rest of the syndicate's pool (lift 4 to 20 in the demo
/// world); a bank's hotline or a platform's domain turns up beside every syndicate's numbers at
/// the rate victims mention it (lift about 1; 2 to 3 for a value only one country's victims
/// write, since its reports come from part of the world only).
///
/// Calibration (the demo world, `crates/worldgen`, seeds 1 to 6, 1,000 to 20,000 reports,
/// every report measured; the `hub_calibration` test re-checks seeds 1 to 3 at 350 to 20,000
/// reports with the sampled measure): identifiers of one syndicate in 30 or more reports
/// never measured below 4.19; platform domains measured 0.4 to 2.7, bank call centres 1.0 to
/// 2.8 (one value once 4.9 at 3,000 reports: Japan Post Bank, 32 reports, the only noise
/// value of the demo that fails the rule at some seed); below 30 reports single-syndicate
/// identifiers measured as low as 0.9, so no identifier below 30 reports is judged. The
/// relative floor (one report in 500) keeps the measure to identifiers that are common at any
/// scale and bounds how many are measured. Agencies do not enter the rule: a bank's or a
/// courier's line is reported by its own country's agency only (one agency), while a busy
/// syndicate wallet was seen by up to 13 in the demo world.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HubRule {
    pub min_reports: u64,
    pub reports_per_hub: u64,
    pub max_lift: f64,
    pub sample: u32,
}

impl Default for HubRule {
    fn default() -> Self {
        Self {
            min_reports: 30,
            reports_per_hub: 500,
            max_lift: 3.0,
            sample: 256,
        }
    }
}

impl HubRule {
    /// The fewest reports a hub has in an index of `reports` reports.
    pub fn threshold(&self, reports: u64) -> u64 {
        self.min_reports
            .max(reports / self.reports_per_hub.max(1))
            .max(2)
    }
}
