//! What every page shares: the language, who is logged in, the CSRF token for its forms, the
//! navigation, and a one-time message.

use crate::i18n::{Lang, Tr};

/// The logged-in user as the header shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct UserChrome {
    pub name: String,
    /// The agency's full name.
    pub agency: String,
    /// A short form for the header (the agency's acronym or name).
    pub agency_short: String,
    pub is_admin: bool,
    pub may_submit: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    /// `ok` or `error`.
    pub class: &'static str,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chrome {
    pub tr: Tr,
    pub user: Option<UserChrome>,
    /// The session's CSRF token, sent back by every form as the `csrf` field.
    pub csrf: String,
    /// Which navigation entry is current: `dashboard`, `search`, `report-new`, `admin` or "".
    pub nav: &'static str,
    /// The search box's text.
    pub q: String,
    /// The current path and query, percent-encoded, for the language switch to return to.
    pub back: String,
    pub flash: Option<Flash>,
}

impl Chrome {
    pub fn new(lang: Lang, path_and_query: &str) -> Self {
        Self {
            tr: Tr::new(lang),
            user: None,
            csrf: String::new(),
            nav: "",
            q: String::new(),
            back: percent_encode(path_and_query),
            flash: None,
        }
    }

    pub fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }

    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != self.tr.lang)
            .collect()
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for a query value.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_links_are_encoded_for_a_query() {
        assert_eq!(
            percent_encode("/search?q=a b&x=ไ"),
            "%2Fsearch%3Fq%3Da%20b%26x%3D%E0%B9%84"
        );
        let c = Chrome::new(Lang::Th, "/");
        assert_eq!(c.other_langs(), vec![Lang::En]);
        assert!(c.asset("app.css").starts_with("/assets/"));
    }
}
