//! Small formatting helpers the templates share.

use jiff::Timestamp;

/// `2026-11-29 13:05 UTC`: unambiguous on a wall shared by several countries.
pub fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2026-11-29`.
pub fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// The first `n` characters of `s` (whole characters), with an ellipsis when cut.
pub fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// The CSS class suffix of a TLP marking (`AMBER+STRICT` -> `AMBER-STRICT`).
pub fn tlp_class(marking: &str) -> String {
    marking.replace('+', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("สวัสดีครับ", 3), "สวั…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(tlp_class("AMBER+STRICT"), "AMBER-STRICT");
        let t: Timestamp = "2026-11-29T13:05:09Z".parse().unwrap_or_default();
        assert_eq!(when(t), "2026-11-29 13:05 UTC");
    }
}
