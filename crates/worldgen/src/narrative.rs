//! What narratives share: template filling, local dates (Thai Buddhist-era years, Japanese
//! 年月日), local amounts (Indian lakh grouping, 万円), and the slips people make when typing.

use crate::clock::local;
use crate::rng::{WRng, between, chance, pick};

/// Replaces `{key}` by its value for every pair; unknown keys stay as they are.
pub(crate) fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match slots.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

const TH_MONTHS: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];
const HI_MONTHS: [&str; 12] = [
    "जनवरी",
    "फरवरी",
    "मार्च",
    "अप्रैल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "अक्टूबर",
    "नवंबर",
    "दिसंबर",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as a person writing in `lang` writes it. `us` for US-style month/day.
pub(crate) fn date(t: i64, offset_min: i32, lang: &str, us: bool, rng: &mut WRng) -> String {
    let (y, m, d, ..) = local(t, offset_min);
    let mi = (m as usize).saturating_sub(1).min(11);
    match lang {
        "th" => match between(rng, 0, 2) {
            0 => format!("{d} {} {}", TH_MONTHS[mi], y + 543),
            1 => format!("{d:02}/{m:02}/{}", y + 543),
            _ => format!("{d} {}", TH_MONTHS[mi]),
        },
        "ja" => match between(rng, 0, 2) {
            0 => format!("{y}年{m}月{d}日"),
            1 => format!("{m}月{d}日"),
            _ => format!("{y}/{m:02}/{d:02}"),
        },
        "hi" => match between(rng, 0, 1) {
            0 => format!("{d} {} {y}", HI_MONTHS[mi]),
            _ => format!("{d:02}-{m:02}-{y}"),
        },
        _ if us => match between(rng, 0, 1) {
            0 => format!("{} {d}, {y}", EN_MONTHS[mi]),
            _ => format!("{m}/{d}/{y}"),
        },
        _ => match between(rng, 0, 1) {
            0 => format!("{d} {} {y}", EN_MONTHS[mi]),
            _ => format!("{d:02}/{m:02}/{y}"),
        },
    }
}

/// A local time of day, `14:05`.
pub(crate) fn clock_time(t: i64, offset_min: i32) -> String {
    let (_, _, _, h, mi, _) = local(t, offset_min);
    format!("{h:02}:{mi:02}")
}

/// Digits grouped by three with commas.
pub(crate) fn group3(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Indian grouping: the last three digits, then pairs (`1,25,000`).
pub(crate) fn group_indian(n: u64) -> String {
    let s = n.to_string();
    if s.len() <= 3 {
        return s;
    }
    let (head, tail) = s.split_at(s.len() - 3);
    let mut out = String::new();
    for (i, c) in head.chars().enumerate() {
        if i > 0 && (head.len() - i).is_multiple_of(2) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out},{tail}")
}

/// An amount in major units of `currency`, written the local way for `lang`.
pub(crate) fn amount(major: u64, currency: &str, lang: &str, rng: &mut WRng) -> String {
    match (currency, lang) {
        ("THB", "th") => match between(rng, 0, 2) {
            0 => format!("{} บาท", group3(major)),
            1 => format!("{major} บาท"),
            _ => format!("{}.- บาท", group3(major)),
        },
        ("THB", _) => format!("{} THB", group3(major)),
        ("JPY", "ja") => {
            if major.is_multiple_of(10_000) && chance(rng, 0.6) {
                format!("{}万円", major / 10_000)
            } else {
                format!("{}円", group3(major))
            }
        }
        ("JPY", _) => format!("JPY {}", group3(major)),
        ("INR", "hi") => match between(rng, 0, 1) {
            0 => format!("₹{}", group_indian(major)),
            _ => format!("{} रुपये", group_indian(major)),
        },
        ("INR", _) => match between(rng, 0, 1) {
            0 => format!("Rs. {}", group_indian(major)),
            _ => format!("INR {major}"),
        },
        ("USD", _) => match between(rng, 0, 1) {
            0 => format!("${}", group3(major)),
            _ => format!("{} USD", group3(major)),
        },
        (c, _) => format!("{} {c}", group3(major)),
    }
}

/// Common English misspellings, applied to some complaints.
pub(crate) fn english_slips(text: &str, rng: &mut WRng) -> String {
    const SLIPS: &[(&str, &str)] = &[
        ("received", "recieved"),
        ("account", "acount"),
        ("transferred", "transfered"),
        ("immediately", "immediatly"),
        ("believe", "beleive"),
        ("their", "there"),
        ("money", "mony"),
    ];
    let mut out = text.to_owned();
    for (right, wrong) in SLIPS {
        if chance(rng, 0.35) {
            out = out.replacen(right, wrong, 1);
        }
    }
    if chance(rng, 0.2) {
        out = out.to_lowercase();
    }
    out
}

/// A flight number for an arrival from `city_code`.
pub(crate) fn flight(rng: &mut WRng) -> String {
    let airline = *pick(
        rng,
        &[
            "TG", "FD", "AI", "6E", "JL", "NH", "PR", "5J", "KQ", "UL", "SL", "DD", "QR",
        ],
    );
    format!("{airline} {}", between(rng, 100, 999))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_for;

    #[test]
    fn fills_and_groups() {
        assert_eq!(
            fill("a {x} b {y} {z}", &[("x", "1"), ("y", "2")]),
            "a 1 b 2 {z}"
        );
        assert_eq!(group3(1_234_567), "1,234,567");
        assert_eq!(group3(999), "999");
        assert_eq!(group_indian(125_000), "1,25,000");
        assert_eq!(group_indian(12_345_678), "1,23,45,678");
        let mut rng = rng_for(1, 1);
        let d = date(crate::clock::EPOCH, 420, "th", false, &mut rng);
        assert!(d.contains("2569") || d.contains("ม.ค."), "{d}");
    }
}
