//! Text clean-up shared by every kind: compatibility folding, digits of every script, invisible
//! characters, and defanged writings.

use unicode_normalization::UnicodeNormalization;

/// Code points of the digit zero of scripts whose ten digits are contiguous (Unicode Nd).
/// NFKC folds full-width digits but leaves Thai, Devanagari, Myanmar... digits alone, and
/// victims type numbers in those.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// The ASCII digit for a decimal digit of any listed script.
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    let cp = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .and_then(|&zero| char::from_digit(cp - zero, 10))
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{202A}'..='\u{202E}')
}

/// NFKC, digits of every script to ASCII, invisible characters removed, outer white space
/// trimmed.
pub(crate) fn fold(s: &str) -> String {
    // ASCII is its own NFKC, has no invisible characters and no non-ASCII digits.
    if s.is_ascii() {
        return s.trim().to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        if is_invisible(c) {
            continue;
        }
        out.push(ascii_digit(c).unwrap_or(c));
    }
    out.trim().to_owned()
}

/// Undoes the defanging analysts apply to indicators so that nobody clicks them:
/// `hxxp://`, `hxxps://`, `example[.]com`, `(.)`, `{.}`, `[dot]`, `[@]`, `[at]`, `[:]`.
pub(crate) fn refang(s: &str) -> String {
    let mut t = s.to_owned();
    for (from, to) in [
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("(dot)", "."),
        ("[@]", "@"),
        ("[at]", "@"),
        ("(at)", "@"),
        ("[:]", ":"),
        ("[://]", "://"),
        ("[/]", "/"),
    ] {
        if t.contains(from) {
            t = t.replace(from, to);
        }
    }
    let lower = t.to_ascii_lowercase();
    for (from, to) in [
        ("hxxps://", "https://"),
        ("hxxp://", "http://"),
        ("hxxps[:]//", "https://"),
        ("fxp://", "ftp://"),
    ] {
        if lower.starts_with(from) {
            t = format!("{to}{}", &t[from.len()..]);
            break;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digits_of_every_script() {
        assert_eq!(fold("๐๘๑-๒๓๔-๕๖๗๘"), "081-234-5678");
        assert_eq!(fold("０８１２３４５６７８"), "0812345678");
        assert_eq!(fold("९८७६५४३२१०"), "9876543210");
        assert_eq!(fold("၀၉"), "09");
        assert_eq!(fold("\u{200B} 12\u{FEFF}3 "), "123");
    }

    #[test]
    fn refangs_common_writings() {
        assert_eq!(
            refang("hxxps://evil[.]example(.)com/x"),
            "https://evil.example.com/x"
        );
        assert_eq!(refang("HXXP://a[dot]b"), "http://a.b");
        assert_eq!(refang("bob[@]mail[.]com"), "bob@mail.com");
        assert_eq!(refang("plain.example"), "plain.example");
    }
}
