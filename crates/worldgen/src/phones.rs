//! Phone numbers: unique numbers in ranges libphonenumber holds valid, and the ways people in
//! each country write them (Thai `081-234-5678` and Thai digits, Japanese `090-1234-5678` and
//! full-width digits, Indian `98765 43210`, US `(415) 555-0134`, international `+66 81 234
//! 5678` and dialled `001 66 ...`).

use crate::country::Cc;
use crate::rng::{Permutation, WRng, between, chance, pick};
use warroom_domain::IdentifierKind;
use warroom_normalize::{Context, normalize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PhoneKind {
    Mobile,
    /// Japanese 050 IP phones.
    Voip,
    /// US 8xx numbers (tech-support call-backs).
    TollFree,
}

/// A number: its country and national significant number (no trunk prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PhoneNum {
    pub cc: Cc,
    pub nsn: String,
}

impl PhoneNum {
    /// E.164, the canonical form.
    pub(crate) fn e164(&self) -> String {
        format!("+{}{}", self.cc.calling_code(), self.nsn)
    }
}

/// Prefixes (after the trunk `0`) and the number of digits that follow, per country and kind.
fn ranges(cc: Cc, kind: PhoneKind) -> (&'static [&'static str], usize) {
    match (cc, kind) {
        (Cc::Th, _) => (
            &[
                "61", "62", "63", "64", "65", "80", "81", "82", "83", "84", "85", "86", "87", "88",
                "89", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99",
            ],
            7,
        ),
        (Cc::Jp, PhoneKind::Voip) => (&["50"], 8),
        (Cc::Jp, _) => (&["90", "80", "70"], 8),
        (Cc::In, _) => (
            &[
                "98", "99", "97", "96", "95", "94", "93", "91", "90", "89", "88", "87", "86", "85",
                "84", "83", "82", "81", "80", "79", "78", "77", "76", "75", "74", "73", "72", "70",
                "63", "62",
            ],
            8,
        ),
        (Cc::Us, PhoneKind::TollFree) => (&["800", "833", "844", "855", "866", "877", "888"], 7),
        (Cc::Us, _) => (
            &[
                "212", "213", "310", "312", "347", "404", "415", "469", "512", "617", "646", "702",
                "713", "718", "786", "818", "917", "929", "206", "303",
            ],
            7,
        ),
        (Cc::Kh, _) => (
            &["12", "17", "77", "78", "89", "92", "99", "11", "61", "76"],
            6,
        ),
        (Cc::Mm, _) => (&["978", "979", "976", "977", "975", "969", "968", "973"], 7),
        (Cc::La, _) => (&["2055", "2056", "2077", "2022", "2023", "2028", "2095"], 6),
        (Cc::Ph, _) => (
            &[
                "917", "918", "919", "920", "921", "927", "928", "905", "906", "915", "916", "926",
                "935", "945", "955", "966", "975", "977", "995", "998",
            ],
            7,
        ),
        // Nationals of other countries are reached on Thai numbers in this world.
        _ => ranges(Cc::Th, kind),
    }
}

/// Hands out unique, valid numbers.
#[derive(Debug)]
pub(crate) struct PhoneAlloc {
    spaces: Vec<(Cc, PhoneKind, Permutation, u64)>,
}

impl PhoneAlloc {
    pub(crate) fn new() -> Self {
        Self { spaces: Vec::new() }
    }

    /// A fresh number of `kind` in `cc`, never handed out before, valid for libphonenumber.
    pub(crate) fn fresh(&mut self, cc: Cc, kind: PhoneKind, rng: &mut WRng) -> PhoneNum {
        let cc = if ranges(cc, kind).0 == ranges(Cc::Th, kind).0 {
            Cc::Th
        } else {
            cc
        };
        let (prefixes, tail) = ranges(cc, kind);
        // One permutation over every (prefix, digits) pair, so numbers differ everywhere.
        let modulus = 10u64.pow(tail as u32) * prefixes.len() as u64;
        let slot = match self
            .spaces
            .iter()
            .position(|(c, k, ..)| *c == cc && *k == kind)
        {
            Some(i) => i,
            None => {
                self.spaces
                    .push((cc, kind, Permutation::new(rng, modulus), 0));
                self.spaces.len() - 1
            }
        };
        let mut last = PhoneNum {
            cc,
            nsn: String::new(),
        };
        for _ in 0..10_000 {
            let (_, _, perm, next) = &mut self.spaces[slot];
            let k = *next;
            *next += 1;
            let areas = prefixes.len() as u64;
            let nsn = if cc == Cc::Us && kind == PhoneKind::Mobile && k < areas * 100 {
                // The first US numbers come from the fictional 555-0100..0199 block.
                format!("{}55501{:02}", prefixes[(k % areas) as usize], k / areas)
            } else {
                let x = perm.apply(k);
                let p = prefixes[(x % areas) as usize];
                let n = x / areas;
                let nsn = format!("{p}{n:0tail$}");
                if cc == Cc::Us && (!us_exchange_ok(&nsn) || &nsn[3..6] == "555") {
                    continue;
                }
                nsn
            };
            last = PhoneNum { cc, nsn };
            if is_valid(&last) {
                return last;
            }
        }
        last
    }
}

/// US exchanges start 2-9 and are not N11.
fn us_exchange_ok(nsn: &str) -> bool {
    let b = nsn.as_bytes();
    b.len() == 10 && b[3] >= b'2' && !(b[4] == b'1' && b[5] == b'1')
}

fn is_valid(p: &PhoneNum) -> bool {
    normalize(IdentifierKind::Phone, &p.e164(), &Context::default()).is_ok_and(|n| n.valid)
}

/// Groups of digits for writing.
fn groups(p: &PhoneNum) -> Vec<&str> {
    let s = p.nsn.as_str();
    let cut = |ix: &[usize]| {
        let mut out = Vec::new();
        let mut at = 0;
        for &i in ix {
            out.push(&s[at..i]);
            at = i;
        }
        out.push(&s[at..]);
        out
    };
    match (p.cc, s.len()) {
        (Cc::Th, 9) => cut(&[2, 5]),
        (Cc::Th, 8) => cut(&[1, 4]),
        (Cc::Jp, 10) => cut(&[2, 6]),
        (Cc::Jp, 9) => cut(&[3, 6]),
        (Cc::In, 10) => cut(&[5]),
        (Cc::In, 11) => cut(&[4, 7]),
        (Cc::Us, 10) => cut(&[3, 6]),
        (Cc::Kh, 8) => cut(&[2, 5]),
        (Cc::Kh, 9) => cut(&[2, 5]),
        (Cc::Mm, 10) => cut(&[1, 5]),
        (Cc::La, 10) => cut(&[2, 6]),
        (Cc::Ph, 10) => cut(&[3, 6]),
        _ => vec![s],
    }
}

/// Thai digits.
pub(crate) fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x0E50 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Full-width digits and dashes, as Japanese input methods produce them.
pub(crate) fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0xFF10 + (c as u32 - '0' as u32)).unwrap_or(c),
            '-' => '－',
            _ => c,
        })
        .collect()
}

/// The number written nationally, as someone in its own country writes it.
pub(crate) fn national(p: &PhoneNum, rng: &mut WRng) -> String {
    let g = groups(p);
    let nsn = &p.nsn;
    match p.cc {
        Cc::Th => {
            let dashed = format!("0{}", g.join("-"));
            match between(rng, 0, 6) {
                0 | 1 => dashed,
                2 => format!("0{nsn}"),
                3 => format!("0{}", g.join(" ")),
                4 if nsn.len() == 9 => format!("0{}-{}-{}", &nsn[..1], &nsn[1..5], &nsn[5..]),
                5 => thai_digits(&dashed),
                _ => dashed,
            }
        }
        Cc::Jp => {
            let dashed = format!("0{}", g.join("-"));
            match between(rng, 0, 5) {
                0 | 1 => dashed,
                2 => format!("0{nsn}"),
                3 => format!("0{}", g.join(" ")),
                4 => full_width(&dashed),
                _ => format!("0{}（{}）{}", g[0], g[1], g.get(2).copied().unwrap_or("")),
            }
        }
        Cc::In => match between(rng, 0, 4) {
            0 | 1 => g.join(" "),
            2 => nsn.clone(),
            3 => format!("0{}", g.join(" ")),
            _ => g.join("-"),
        },
        Cc::Us => match between(rng, 0, 5) {
            0 | 1 => format!("({}) {}-{}", g[0], g[1], g[2]),
            2 => g.join("-"),
            3 => g.join("."),
            4 => format!("1-{}", g.join("-")),
            _ => nsn.clone(),
        },
        _ => international(p, None, rng),
    }
}

/// The number written internationally: `+CC groups`, `+CCnsn`, or dialled from `from` with
/// its international prefix.
pub(crate) fn international(p: &PhoneNum, from: Option<Cc>, rng: &mut WRng) -> String {
    let cc = p.cc.calling_code();
    let g = groups(p);
    let grouped = if p.cc == Cc::Us {
        format!(
            "{}-{}-{}",
            g[0],
            g.get(1).unwrap_or(&""),
            g.get(2).unwrap_or(&"")
        )
    } else {
        g.join(" ")
    };
    let idd = match from {
        Some(Cc::Th) => Some("001"),
        Some(Cc::Jp) => Some("010"),
        Some(Cc::In) => Some("00"),
        Some(Cc::Us) => Some("011"),
        _ => None,
    };
    match (between(rng, 0, 5), idd) {
        (0..=2, _) => format!("+{cc} {grouped}"),
        (3, _) => format!("+{cc}{}", p.nsn),
        (4, Some(idd)) => format!("{idd} {cc} {}", g.join(" ")),
        (4, None) => format!("+{cc} {}", p.nsn),
        _ if p.cc == Cc::Jp => format!("+{cc} {}", g.join("-")),
        _ => format!("+{cc}-{}", g.join("-")),
    }
}

/// How `reporter`'s people write `p`: nationally at home, internationally otherwise; officials
/// sometimes write a foreign number nationally and say which region (`region` field).
pub(crate) fn write(
    p: &PhoneNum,
    reporter: Cc,
    official: bool,
    rng: &mut WRng,
) -> (String, Option<&'static str>) {
    if p.cc == reporter {
        if chance(rng, 0.15) {
            return (international(p, None, rng), None);
        }
        return (national(p, rng), None);
    }
    if official && matches!(p.cc, Cc::Th | Cc::Jp | Cc::In | Cc::Us) && chance(rng, 0.2) {
        return (national(p, rng), Some(p.cc.code()));
    }
    (international(p, Some(reporter), rng), None)
}

/// A partial writing: the number with its last digits missing, as in a hurried complaint.
pub(crate) fn partial(p: &PhoneNum, reporter: Cc, rng: &mut WRng) -> String {
    let (full, _) = write(p, reporter, false, rng);
    let cut = between(rng, 2, 4) as usize;
    let mut s = full;
    for _ in 0..cut {
        s.pop();
    }
    let x = pick(rng, &["", "xx", "..", "?"]);
    format!("{}{x}", s.trim_end_matches([' ', '-', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_for;

    fn region(cc: Cc) -> Context {
        Context::with_region(cc.country_code().expect("cc"))
    }

    #[test]
    fn fresh_numbers_are_unique_valid_and_every_writing_normalises_back() {
        let mut rng = rng_for(11, 1);
        let mut alloc = PhoneAlloc::new();
        let mut seen = std::collections::BTreeSet::new();
        let kinds = [
            (Cc::Th, PhoneKind::Mobile),
            (Cc::Jp, PhoneKind::Mobile),
            (Cc::Jp, PhoneKind::Voip),
            (Cc::In, PhoneKind::Mobile),
            (Cc::Us, PhoneKind::Mobile),
            (Cc::Us, PhoneKind::TollFree),
            (Cc::Kh, PhoneKind::Mobile),
            (Cc::Mm, PhoneKind::Mobile),
            (Cc::La, PhoneKind::Mobile),
            (Cc::Ph, PhoneKind::Mobile),
        ];
        for (cc, kind) in kinds {
            for _ in 0..150 {
                let p = alloc.fresh(cc, kind, &mut rng);
                assert!(is_valid(&p), "{p:?}");
                assert!(seen.insert(p.e164()), "duplicate {}", p.e164());
                for reporter in [Cc::Th, Cc::Jp, Cc::In, Cc::Us] {
                    for official in [false, true] {
                        let (w, r) = write(&p, reporter, official, &mut rng);
                        let ctx = match r {
                            Some(r) => region(
                                crate::country::Cc::ALL
                                    .into_iter()
                                    .find(|c| c.code() == r)
                                    .expect("cc"),
                            ),
                            None => region(reporter),
                        };
                        let n = normalize(IdentifierKind::Phone, &w, &ctx)
                            .unwrap_or_else(|e| panic!("{w:?} from {reporter:?}: {e}"));
                        assert_eq!(
                            n.identifier.canonical(),
                            p.e164(),
                            "{w:?} from {reporter:?}"
                        );
                    }
                    let bad = partial(&p, reporter, &mut rng);
                    assert!(
                        normalize(IdentifierKind::Phone, &bad, &region(reporter))
                            .map(|n| n.identifier.canonical() != p.e164())
                            .unwrap_or(true),
                        "{bad:?}"
                    );
                }
            }
        }
    }
}
