//! Device identifiers: the IMEI (3GPP TS 23.003 section 6.2).
//!
//! Canonical form: the 15 digits of the IMEI, Luhn check digit included
//! (`490154203237518`). Accepted writings:
//! - 15 digits: the check digit must satisfy the Luhn formula, else `bad_checksum`;
//! - 14 digits (TAC + serial, as network equipment often reports it): the check digit is
//!   computed;
//! - 16 digits, an IMEISV (TAC + serial + 2-digit software version, which has no check digit):
//!   the software version is dropped and the check digit computed, so that the IMEISV and the
//!   IMEI of one handset give the same key;
//! - any of these with spaces, dashes, dots or slashes between digit groups
//!   (`49-015420-323751-8`), digits of any script, and a leading label: `IMEI`, `IMEISV`,
//!   `IMEI/SV`, `IMEI no.`, `IMEI:`, and the slot number of dual-SIM handsets (`IMEI1:`,
//!   `IMEI 2:`), which is never taken for a digit of the value.
//!
//! `subtype` is `imei` or `imeisv` (what was given). `valid` is `true` only for a 15-digit
//! value whose check digit was verified: a 14- or 16-digit value has no check digit, so a typo
//! in it cannot be detected.
//!
//! An IMEI whose TAC and serial are all zeros is a placeholder that devices and forms use
//! when the real value is unknown; it would correlate unrelated reports, so it is refused
//! (`placeholder`).

use crate::{NormalizeError, Normalized, text};
use warroom_domain::IdentifierKind;

const KIND: IdentifierKind = IdentifierKind::Imei;

pub(crate) fn normalize_imei(raw: &str) -> Result<Normalized, NormalizeError> {
    let folded = text::fold(raw);
    let value = strip_label(&folded);
    let mut digits = Vec::with_capacity(16);
    for c in value.chars() {
        match c {
            '0'..='9' => digits.push(c as u8 - b'0'),
            c if is_separator(c) => {}
            _ => {
                return Err(NormalizeError::invalid(
                    KIND,
                    "syntax",
                    "an IMEI is made of digits only",
                ));
            }
        }
    }
    let (payload, subtype) = match digits.len() {
        14 => (&digits[..14], "imei"),
        15 => {
            let (payload, check) = digits.split_at(14);
            if check != [luhn_check_digit(payload)] {
                return Err(NormalizeError::invalid(
                    KIND,
                    "bad_checksum",
                    "the IMEI check digit does not match (Luhn)",
                ));
            }
            (payload, "imei")
        }
        16 => (&digits[..14], "imeisv"),
        0 => {
            return Err(NormalizeError::invalid(
                KIND,
                "syntax",
                "no digits after the label",
            ));
        }
        n => {
            return Err(NormalizeError::invalid(
                KIND,
                "bad_length",
                format!("an IMEI has 15 digits (14 without check digit, 16 as IMEISV), not {n}"),
            ));
        }
    };
    if payload.iter().all(|&d| d == 0) {
        return Err(NormalizeError::invalid(
            KIND,
            "placeholder",
            "an all-zero IMEI is a placeholder, not a device",
        ));
    }
    let check = luhn_check_digit(payload);
    let canonical: String = payload
        .iter()
        .chain(std::iter::once(&check))
        .map(|&d| char::from(b'0' + d))
        .collect();
    let mut n = Normalized::new(raw, KIND, canonical)?;
    n.subtype = Some(subtype.to_owned());
    n.valid = digits.len() == 15;
    Ok(n)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}'
        )
}

/// The value after an optional leading label: `IMEI`, `IMEISV`, `IMEI/SV`, `IMEI SV`, an
/// optional dual-SIM slot digit (`IMEI1`, `IMEI 2:`), `no.`/`number`/`#`, and `:`/`=`/`#`.
fn strip_label(s: &str) -> &str {
    let Some(rest) = strip_prefix_ci(s, "imei") else {
        return s;
    };
    let mut rest = rest;
    let after_sv = rest.trim_start_matches([' ', '/', '-']);
    if let Some(r) = strip_prefix_ci(after_sv, "sv") {
        rest = r;
    }
    // A slot digit: `1` or `2` standing alone before the value. IMEI digit groups never
    // start with a one-digit group, so a lone 1 or 2 followed by a non-digit is the slot.
    let t = rest.trim_start();
    if let Some(after) = t.strip_prefix(['1', '2']) {
        let after_trim = after.trim_start();
        // `IMEI1: 490...`, `IMEI 2 = 490...` or `IMEI 1 49-015420-...`: the slot digit is
        // followed by the end of the label or by a group of at least two digits.
        let ends_label = after_trim.starts_with([':', '=', '#', ')', '.']);
        let digit_group_follows = after.starts_with(char::is_whitespace)
            && after_trim
                .chars()
                .take(2)
                .filter(char::is_ascii_digit)
                .count()
                == 2;
        if ends_label || digit_group_follows {
            rest = after;
        }
    }
    let mut rest = rest.trim_start();
    for word in ["number", "no.", "no", "#"] {
        if let Some(r) = strip_prefix_ci(rest, word)
            && !r.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            rest = r.trim_start();
            break;
        }
    }
    rest.trim_start_matches([':', '=', '#', ')', '.', ' '])
        .trim_start()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// The Luhn check digit for `payload` (digits 0-9, most significant first).
fn luhn_check_digit(payload: &[u8]) -> u8 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    // `sum % 10` is below 10, so the result is a single digit.
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canon(s: &str) -> Result<String, &'static str> {
        normalize_imei(s)
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    #[test]
    fn fifteen_digits_with_a_good_check_digit() {
        let n = normalize_imei("490154203237518").unwrap();
        assert_eq!(n.identifier.canonical(), "490154203237518");
        assert_eq!(n.subtype.as_deref(), Some("imei"));
        assert!(n.valid);
        assert_eq!(canon("35-209900-176148-1"), Ok("352099001761481".into()));
        assert_eq!(
            canon("IMEI: 49 015420 323751 8"),
            Ok("490154203237518".into())
        );
        assert_eq!(canon("imei 490154203237518"), Ok("490154203237518".into()));
        assert_eq!(
            canon("IMEI no. 490154203237518"),
            Ok("490154203237518".into())
        );
        assert_eq!(canon("๔๙๐๑๕๔๒๐๓๒๓๗๕๑๘"), Ok("490154203237518".into()));
        assert_eq!(canon("490154/203237/518"), Ok("490154203237518".into()));
    }

    #[test]
    fn bad_check_digit_is_refused() {
        assert_eq!(canon("490154203237519"), Err("bad_checksum"));
        assert_eq!(canon("352099001761482"), Err("bad_checksum"));
    }

    #[test]
    fn fourteen_digits_get_their_check_digit() {
        let n = normalize_imei("49015420323751").unwrap();
        assert_eq!(n.identifier.canonical(), "490154203237518");
        assert!(!n.valid);
        assert_eq!(n.subtype.as_deref(), Some("imei"));
    }

    #[test]
    fn imeisv_drops_the_software_version() {
        let n = normalize_imei("IMEISV 4901542032375101").unwrap();
        assert_eq!(n.identifier.canonical(), "490154203237518");
        assert_eq!(n.subtype.as_deref(), Some("imeisv"));
        assert!(!n.valid);
        assert_eq!(
            canon("IMEI/SV: 35 209900 176148 23"),
            Ok("352099001761481".into())
        );
    }

    #[test]
    fn dual_sim_slot_digit_is_not_part_of_the_value() {
        assert_eq!(
            canon("IMEI1: 490154203237518"),
            Ok("490154203237518".into())
        );
        assert_eq!(
            canon("IMEI 2: 490154203237518"),
            Ok("490154203237518".into())
        );
        assert_eq!(canon("IMEI1 490154203237518"), Ok("490154203237518".into()));
        assert_eq!(
            canon("IMEI 1 49-015420-323751-8"),
            Ok("490154203237518".into())
        );
        // Without a slot, a leading 1 belongs to the value (here making 16 digits: IMEISV).
        assert_eq!(canon("IMEI 1490154203237518"), Ok("149015420323750".into()));
    }

    #[test]
    fn refusals() {
        assert_eq!(canon("4901542032375"), Err("bad_length"));
        assert_eq!(canon("49015420323751801"), Err("bad_length"));
        assert_eq!(canon("49015420323751A"), Err("syntax"));
        assert_eq!(canon("IMEI:"), Err("syntax"));
        assert_eq!(canon("000000000000000"), Err("placeholder"));
        assert_eq!(canon("00000000000000"), Err("placeholder"));
    }

    #[test]
    fn luhn_check_digit_of_the_usual_example() {
        // The worked example of the IMEI check digit: 49015420323751 -> 8.
        assert_eq!(
            luhn_check_digit(&[4, 9, 0, 1, 5, 4, 2, 0, 3, 2, 3, 7, 5, 1]),
            8
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in any::<String>()) {
            if let Ok(n) = normalize_imei(&s) {
                let again = normalize_imei(n.identifier.canonical()).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
                prop_assert!(again.valid);
            }
        }

        #[test]
        fn digit_strings_never_panic_and_are_idempotent(s in "(IMEI[12]?[: ]{0,2})?[0-9 /.-]{0,24}") {
            if let Ok(n) = normalize_imei(&s) {
                let again = normalize_imei(n.identifier.canonical()).unwrap();
                prop_assert_eq!(again.identifier.canonical(), n.identifier.canonical());
            }
        }
    }
}
