//! World time. Everything is derived from a fixed epoch and the seed, never from the clock.

/// 2026-01-01T00:00:00Z, the start of the world's reporting period.
pub const EPOCH: i64 = 1_767_225_600;
/// The epoch as written in `truth.json` and `manifest.json`.
pub const EPOCH_TEXT: &str = "2026-01-01T00:00:00Z";
/// Length of the reporting period.
pub const DAYS: i64 = 300;

pub(crate) const MINUTE: i64 = 60;
pub(crate) const HOUR: i64 = 3600;
pub(crate) const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub(crate) fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// Local civil date and time of `t` (Unix seconds) at `offset_min` minutes east of UTC.
pub(crate) fn local(t: i64, offset_min: i32) -> (i32, u32, u32, u32, u32, u32) {
    let l = t + i64::from(offset_min) * MINUTE;
    let days = l.div_euclid(DAY);
    let secs = l.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        (secs / HOUR) as u32,
        ((secs % HOUR) / MINUTE) as u32,
        (secs % MINUTE) as u32,
    )
}

/// RFC 3339 with the local offset: `2026-03-05T14:22:09+07:00`.
pub(crate) fn rfc3339(t: i64, offset_min: i32) -> String {
    let (y, mo, d, h, mi, s) = local(t, offset_min);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.unsigned_abs();
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
        off / 60,
        off % 60
    )
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    pub(crate) fn from_days(days: i64) -> Self {
        let (y, m, d) = civil_from_days(days);
        Self { y, m, d }
    }

    pub(crate) fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_new_year_2026() {
        assert_eq!(days_from_civil(2026, 1, 1) * DAY, EPOCH);
        assert_eq!(rfc3339(EPOCH, 0), "2026-01-01T00:00:00+00:00");
        assert_eq!(rfc3339(EPOCH, 420), "2026-01-01T07:00:00+07:00");
        assert_eq!(rfc3339(EPOCH, -300), "2025-12-31T19:00:00-05:00");
        assert_eq!(rfc3339(EPOCH, 330), "2026-01-01T05:30:00+05:30");
    }

    #[test]
    fn civil_round_trips_and_agrees_with_jiff() {
        for days in (-30_000..30_000).step_by(37) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            let t = days * DAY + 3723;
            let ours: jiff::Timestamp = rfc3339(t, 420).parse().expect("rfc 3339");
            assert_eq!(ours.as_second(), t);
        }
    }
}
