//! Messaging accounts: `platform:handle`.
//!
//! Platforms and their canonical names: `line`, `telegram`, `whatsapp`, `wechat`, `facebook`
//! (Messenger included), `signal`, `viber`, `instagram`, `x` (Twitter).
//!
//! Accepted writings (after folding and refanging):
//! - `platform:handle`, `Platform: @Handle`, `platform @handle`, `LINE ID: handle`, with the
//!   names and aliases of [`PLATFORM_NAMES`]; an unknown name before `:` is `unknown_platform`;
//! - links: `t.me/<name>` (also `telegram.me`, `telegram.dog`, `<name>.t.me`, `t.me/s/<name>`,
//!   post links `t.me/<name>/<n>`, `tg://resolve?domain=`), `line.me/ti/p/~<id>`,
//!   `line.me/R/ti/p/@<id>`, `page.line.me/<id>`, `line://ti/p/...`, `wa.me/<number>`,
//!   `api.whatsapp.com/send?phone=<number>`, `whatsapp://send?phone=`, `instagram.com/<name>`,
//!   `x.com/<name>`, `twitter.com/<name>`, `facebook.com/<name>`,
//!   `facebook.com/profile.php?id=<n>`, `facebook.com/people/<Name>/<n>`, `fb.me/<name>`,
//!   `m.me/<name>`, `messenger.com/t/<name>`, `signal.me/#p/+<number>`,
//!   `viber://chat?number=<number>`; a link to another site is `unknown_platform`;
//! - a bare `@name` or number says nothing of the platform: `no_platform`.
//!
//! Invitation links are not accounts and are refused with `invite_link`: Telegram `t.me/+<hash>`,
//! `t.me/joinchat/...`, `t.me/addlist/...`; WhatsApp `chat.whatsapp.com/...`, `wa.me/message/...`,
//! `wa.me/qr/...`; LINE group links and opaque friend tokens (`line.me/ti/p/<token>` without `~`
//! or `@`, `lin.ee/...`); Signal `signal.group/...` and encrypted username links
//! (`signal.me/#eu/...`); Viber `invite.viber.com/...`; Facebook `facebook.com/share/...` and
//! Messenger group links `m.me/j/...`. Keep such a link as a URL identifier instead.
//!
//! Handles, per platform (each platform's published rules):
//! - Telegram usernames: letters, digits, `_`, starting with a letter, case-insensitive ->
//!   lower-cased. Telegram's minimum is 5, but collectible (Fragment) usernames have 4
//!   characters, so 4-32 is accepted. `t.me/+<digits>` is Telegram's phone-number link.
//! - LINE IDs: 4-20 of `a-z 0-9 . - _`; LINE lower-cases them, so we do. Official accounts are
//!   written `@id` and keep their `@` (`line:@shop123`), so that they never collide with a
//!   personal ID of the same letters. An all-digit LINE ID is a LINE ID (many users pick their
//!   phone number as ID), not a phone number.
//! - WeChat IDs: 6-20 of letters, digits, `_`, `-`, starting with a letter; WeChat's own rule
//!   text says letters are not case-sensitive ("字母不区分大小写") -> lower-cased.
//! - Facebook usernames (profiles and Pages; Messenger uses the same names): letters, digits
//!   and `.`; the Facebook Help Centre ("Guidelines for creating a custom username") says
//!   periods and capitalisation do not distinguish usernames, so both are removed/folded.
//!   Numeric profile ids share the namespace (`facebook.com/<id>` resolves), so
//!   `profile.php?id=<n>` becomes `facebook:<n>`.
//! - Instagram: 1-30 of letters, digits, `.`, `_`, case-insensitive -> lower-cased.
//! - X: 1-15 of letters, digits, `_`, case-insensitive -> lower-cased.
//! - Signal usernames `nickname.NN` (nickname of letters, digits, `_`, not starting with a
//!   digit; at least two digits after the dot), case-insensitive -> lower-cased.
//! - WhatsApp and Viber accounts are phone numbers; Signal given a number is too.
//!
//! Phone-keyed accounts: the number goes through [`crate::phone::normalize`] and the canonical
//! form is `platform:+E164`, with the Phone identifier implied and the phone's region and
//! validity carried over. For WhatsApp, Viber and Signal a number in national writing uses the
//! context region. For the other platforms a number is taken only when written with `+`
//! (an account found by its phone number); numbers inside links (`wa.me/66812345678`) are
//! international without the `+`, which is added.

use crate::{Context, MAX_VALUE_LEN, NormalizeError, Normalized, text};
use url::Url;
use warroom_domain::IdentifierKind;

const KIND: IdentifierKind = IdentifierKind::Messaging;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Platform {
    Line,
    Telegram,
    WhatsApp,
    WeChat,
    Facebook,
    Signal,
    Viber,
    Instagram,
    X,
}

impl Platform {
    fn name(self) -> &'static str {
        match self {
            Platform::Line => "line",
            Platform::Telegram => "telegram",
            Platform::WhatsApp => "whatsapp",
            Platform::WeChat => "wechat",
            Platform::Facebook => "facebook",
            Platform::Signal => "signal",
            Platform::Viber => "viber",
            Platform::Instagram => "instagram",
            Platform::X => "x",
        }
    }

    /// Accounts of these platforms are phone numbers (Signal also has usernames).
    fn phone_keyed(self) -> bool {
        matches!(
            self,
            Platform::WhatsApp | Platform::Viber | Platform::Signal
        )
    }
}

/// Names written before a handle, compared after lower-casing and removing white space, `-`
/// and `_`; a trailing `id` is also accepted (`LINE ID`, `WeChat ID`).
const PLATFORM_NAMES: &[(&str, Platform)] = &[
    ("line", Platform::Line),
    ("ไลน์", Platform::Line),
    ("ライン", Platform::Line),
    ("telegram", Platform::Telegram),
    ("tg", Platform::Telegram),
    ("เทเลแกรม", Platform::Telegram),
    ("电报", Platform::Telegram),
    ("whatsapp", Platform::WhatsApp),
    ("wa", Platform::WhatsApp),
    ("wechat", Platform::WeChat),
    ("weixin", Platform::WeChat),
    ("wx", Platform::WeChat),
    ("微信", Platform::WeChat),
    ("facebook", Platform::Facebook),
    ("fb", Platform::Facebook),
    ("messenger", Platform::Facebook),
    ("signal", Platform::Signal),
    ("viber", Platform::Viber),
    ("instagram", Platform::Instagram),
    ("insta", Platform::Instagram),
    ("ig", Platform::Instagram),
    ("x", Platform::X),
    ("twitter", Platform::X),
];

fn err(code: &'static str, message: impl Into<String>) -> NormalizeError {
    NormalizeError::invalid(KIND, code, message)
}

fn invite() -> NormalizeError {
    err(
        "invite_link",
        "an invitation or share link, not an account; record it as a URL",
    )
}

fn not_account() -> NormalizeError {
    err("bad_handle", "this link does not name an account")
}

fn lookup_platform(word: &str) -> Option<Platform> {
    let key: String = word
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    let find = |k: &str| {
        PLATFORM_NAMES
            .iter()
            .find(|(n, _)| *n == k)
            .map(|&(_, p)| p)
    };
    find(&key).or_else(|| key.strip_suffix("id").and_then(find))
}

/// Could `word` be the name of a platform (known or not)?
fn is_platform_word(word: &str) -> bool {
    let w = word.trim();
    !w.is_empty()
        && w.chars().count() <= 24
        && !w
            .chars()
            .any(|c| c.is_ascii_digit() || "@/+.#?&=%~()[]<>'\"".contains(c))
}

/// `scheme://...`
fn has_scheme(t: &str) -> bool {
    t.split_once("://").is_some_and(|(scheme, _)| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The value as a link, when it is one: it has a scheme, or it starts with the host of a
/// messaging site (`t.me/name`).
fn as_link(t: &str) -> Option<Result<Url, NormalizeError>> {
    let t = t
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(t)
        .trim();
    let text = if has_scheme(t) {
        t.to_owned()
    } else {
        let end = t.find(['/', '?', '#']).unwrap_or(t.len());
        site_of(&t[..end].to_ascii_lowercase())?;
        format!("https://{t}")
    };
    Some(Url::parse(&text).map_err(|_| err("syntax", "not a valid link")))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Site {
    Telegram,
    TelegramSubdomain,
    Line,
    LinePage,
    WaMe,
    WhatsAppApi,
    Instagram,
    X,
    Facebook,
    FacebookShort,
    Messenger,
    Signal,
    Invite,
}

fn site_of(host: &str) -> Option<Site> {
    let h = host.trim_end_matches('.');
    let h = h.strip_prefix("www.").unwrap_or(h);
    Some(match h {
        "t.me" | "telegram.me" | "telegram.dog" => Site::Telegram,
        "line.me" => Site::Line,
        "page.line.me" => Site::LinePage,
        "wa.me" => Site::WaMe,
        "api.whatsapp.com" | "web.whatsapp.com" | "whatsapp.com" => Site::WhatsAppApi,
        "instagram.com" | "m.instagram.com" | "instagr.am" => Site::Instagram,
        "x.com" | "mobile.x.com" | "twitter.com" | "mobile.twitter.com" => Site::X,
        "facebook.com"
        | "m.facebook.com"
        | "mbasic.facebook.com"
        | "web.facebook.com"
        | "touch.facebook.com"
        | "fb.com" => Site::Facebook,
        "fb.me" | "m.me" => Site::FacebookShort,
        "messenger.com" => Site::Messenger,
        "signal.me" => Site::Signal,
        "lin.ee" | "chat.whatsapp.com" | "signal.group" | "invite.viber.com" => Site::Invite,
        _ if h.ends_with(".t.me") => Site::TelegramSubdomain,
        _ => return None,
    })
}

/// What a link or a handle names, before the platform's rules are applied.
#[derive(Debug)]
enum Target {
    Name(Platform, String),
    /// A number in international writing, with or without its `+`.
    IntlPhone(Platform, String),
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Non-empty path segments, percent-decoded.
fn segments(url: &Url) -> Vec<String> {
    url.path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).map(percent_decode).collect())
        .unwrap_or_default()
}

/// A query parameter, percent-decoded (a `+` stays a `+`: phone numbers are written with it).
fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        percent_decode(k)
            .eq_ignore_ascii_case(name)
            .then(|| percent_decode(v))
    })
}

fn seg(segs: &[String], i: usize) -> Option<&str> {
    segs.get(i).map(String::as_str)
}

fn lower_seg(segs: &[String], i: usize) -> String {
    seg(segs, i).unwrap_or_default().to_ascii_lowercase()
}

fn name_at(platform: Platform, segs: &[String], i: usize) -> Result<Target, NormalizeError> {
    seg(segs, i)
        .map(|s| Target::Name(platform, s.to_owned()))
        .ok_or_else(|| err("bad_handle", "the link names no account"))
}

fn phone_target(platform: Platform, value: &str) -> Result<Target, NormalizeError> {
    let v = value.trim();
    if v.is_empty()
        || !v
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err(err("bad_handle", "the link's phone number is not a number"));
    }
    Ok(Target::IntlPhone(platform, v.to_owned()))
}

fn telegram_link(segs: &[String]) -> Result<Target, NormalizeError> {
    let Some(first) = seg(segs, 0) else {
        return Err(err("bad_handle", "the link names no account"));
    };
    if let Some(rest) = first.strip_prefix('+') {
        return if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            phone_target(Platform::Telegram, rest)
        } else {
            Err(invite())
        };
    }
    match first.to_ascii_lowercase().as_str() {
        "joinchat" | "addlist" => Err(invite()),
        "s" | "boost" => name_at(Platform::Telegram, segs, 1),
        "c" | "addstickers" | "addemoji" | "addtheme" | "share" | "proxy" | "socks" | "iv"
        | "login" | "setlanguage" | "confirmphone" | "bg" | "invoice" | "giftcode" | "m"
        | "contact" | "nft" | "k" | "a" | "z" => Err(not_account()),
        _ => name_at(Platform::Telegram, segs, 0),
    }
}

/// `ti/p/~id`, `ti/p/@id`, `R/ti/p/...`; `segs` may start with the `R`.
fn line_link(segs: &[String]) -> Result<Target, NormalizeError> {
    let skip = usize::from(lower_seg(segs, 0) == "r");
    let segs = segs.get(skip..).unwrap_or_default();
    match (lower_seg(segs, 0).as_str(), lower_seg(segs, 1).as_str()) {
        ("ti", "p") => {
            let Some(id) = seg(segs, 2) else {
                return Err(err("bad_handle", "the link names no account"));
            };
            if let Some(personal) = id.strip_prefix('~') {
                Ok(Target::Name(Platform::Line, personal.to_owned()))
            } else if id.starts_with('@') {
                Ok(Target::Name(Platform::Line, id.to_owned()))
            } else {
                // An opaque friend-link token, not an ID.
                Err(invite())
            }
        }
        ("ti", "g" | "g2") => Err(invite()),
        _ => Err(not_account()),
    }
}

fn whatsapp_me(segs: &[String]) -> Result<Target, NormalizeError> {
    match seg(segs, 0) {
        None => Err(err("bad_handle", "the link names no phone number")),
        Some(s) if matches!(s.to_ascii_lowercase().as_str(), "message" | "qr" | "c") => {
            Err(invite())
        }
        Some(s) => phone_target(Platform::WhatsApp, s),
    }
}

fn instagram_link(segs: &[String]) -> Result<Target, NormalizeError> {
    match lower_seg(segs, 0).as_str() {
        "stories" => name_at(Platform::Instagram, segs, 1),
        "p" | "reel" | "reels" | "tv" | "explore" | "accounts" | "direct" | "about" | "legal"
        | "developer" | "web" | "challenge" => Err(not_account()),
        _ => name_at(Platform::Instagram, segs, 0),
    }
}

fn x_link(url: &Url, segs: &[String]) -> Result<Target, NormalizeError> {
    match lower_seg(segs, 0).as_str() {
        "intent" => query_param(url, "screen_name")
            .map(|n| Target::Name(Platform::X, n))
            .ok_or_else(not_account),
        "i" | "home" | "search" | "hashtag" | "explore" | "settings" | "messages"
        | "notifications" | "login" | "logout" | "signup" | "share" | "tos" | "privacy"
        | "compose" => Err(not_account()),
        _ => name_at(Platform::X, segs, 0),
    }
}

fn facebook_link(url: &Url, segs: &[String]) -> Result<Target, NormalizeError> {
    let fb = Platform::Facebook;
    match lower_seg(segs, 0).as_str() {
        "profile.php" => query_param(url, "id")
            .map(|id| Target::Name(fb, id))
            .ok_or_else(not_account),
        "people" => name_at(fb, segs, 2),
        "pages" => segs
            .iter()
            .skip(1)
            .rev()
            .find(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .map(|id| Target::Name(fb, id.clone()))
            .ok_or_else(not_account),
        "pg" => name_at(fb, segs, 1),
        "share" => Err(invite()),
        "groups" => Err(err("bad_handle", "a Facebook group, not an account")),
        "watch" | "marketplace" | "events" | "photo.php" | "photo" | "photos" | "permalink.php"
        | "story.php" | "login" | "login.php" | "help" | "hashtag" | "sharer" | "sharer.php"
        | "dialog" | "plugins" | "reel" | "reels" | "stories" | "gaming" | "messages"
        | "friends" | "notifications" | "search" | "l.php" | "home.php" | "privacy"
        | "policies" | "settings" | "bookmarks" => Err(not_account()),
        _ => name_at(fb, segs, 0),
    }
}

/// `fb.me/<name>`, `m.me/<name>`; `m.me/j/<token>` is a Messenger group invitation.
fn facebook_short(segs: &[String]) -> Result<Target, NormalizeError> {
    if segs.len() > 1 && lower_seg(segs, 0) == "j" {
        return Err(invite());
    }
    if segs.len() > 1 && seg(segs, 0).is_some_and(|s| s.len() == 1) {
        return Err(not_account());
    }
    name_at(Platform::Facebook, segs, 0)
}

/// `signal.me/#p/+<number>`; `#eu/...` username links are encrypted.
fn signal_link(url: &Url) -> Result<Target, NormalizeError> {
    let fragment = percent_decode(url.fragment().unwrap_or_default());
    if let Some(number) = fragment.strip_prefix("p/") {
        phone_target(Platform::Signal, number)
    } else if fragment.starts_with("eu/") {
        Err(invite())
    } else {
        Err(not_account())
    }
}

fn web_link(url: &Url, site: Site, host: &str) -> Result<Target, NormalizeError> {
    let segs = segments(url);
    match site {
        Site::Telegram => telegram_link(&segs),
        Site::TelegramSubdomain => {
            let h = host.trim_end_matches('.');
            let h = h.strip_prefix("www.").unwrap_or(h);
            let name = h.strip_suffix(".t.me").unwrap_or_default();
            if name.is_empty() || name.contains('.') {
                Err(not_account())
            } else {
                Ok(Target::Name(Platform::Telegram, name.to_owned()))
            }
        }
        Site::Line => line_link(&segs),
        Site::LinePage => seg(&segs, 0)
            .map(|id| Target::Name(Platform::Line, format!("@{}", id.trim_start_matches('@'))))
            .ok_or_else(not_account),
        Site::WaMe => whatsapp_me(&segs),
        Site::WhatsAppApi => match query_param(url, "phone") {
            Some(p) => phone_target(Platform::WhatsApp, &p),
            None => Err(not_account()),
        },
        Site::Instagram => instagram_link(&segs),
        Site::X => x_link(url, &segs),
        Site::Facebook => facebook_link(url, &segs),
        Site::FacebookShort => facebook_short(&segs),
        Site::Messenger => {
            if lower_seg(&segs, 0) == "t" {
                name_at(Platform::Facebook, &segs, 1)
            } else {
                Err(not_account())
            }
        }
        Site::Signal => signal_link(url),
        Site::Invite => Err(invite()),
    }
}

/// What a link names.
fn link_target(url: &Url) -> Result<Target, NormalizeError> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.scheme() {
        "http" | "https" => match site_of(&host) {
            Some(site) => web_link(url, site, &host),
            None => Err(err(
                "unknown_platform",
                "a link to a site that is not a supported messaging platform",
            )),
        },
        "tg" => match host.as_str() {
            "resolve" => {
                if let Some(name) = query_param(url, "domain") {
                    Ok(Target::Name(Platform::Telegram, name))
                } else if let Some(phone) = query_param(url, "phone") {
                    phone_target(Platform::Telegram, &phone)
                } else {
                    Err(not_account())
                }
            }
            "join" | "addlist" => Err(invite()),
            _ => Err(not_account()),
        },
        "line" => {
            let mut segs = vec![host];
            segs.extend(segments(url));
            line_link(&segs)
        }
        "whatsapp" => match query_param(url, "phone") {
            Some(p) => phone_target(Platform::WhatsApp, &p),
            None => Err(not_account()),
        },
        "viber" => match (host.as_str(), query_param(url, "number")) {
            ("chat" | "add" | "contact", Some(n)) => phone_target(Platform::Viber, &n),
            _ => Err(not_account()),
        },
        "sgnl" if host == "signal.me" => signal_link(url),
        "sgnl" => Err(not_account()),
        "weixin" => Err(err(
            "bad_handle",
            "WeChat links carry no WeChat ID; give the ID itself",
        )),
        _ => Err(err(
            "unknown_platform",
            "a link of a scheme that is not a supported messaging platform",
        )),
    }
}

/// Up to 20 digits: a 3-digit country code and libphonenumber's longest national number (17), so
/// that every canonical `whatsapp:+…` reads back (found by the fuzzer).
fn looks_like_phone(h: &str) -> bool {
    let digits = h.bytes().filter(u8::is_ascii_digit).count();
    h.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(')
        && h.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && (5..=20).contains(&digits)
}

/// The handle after a platform name: separators (`-`, `:`, `=`, dashes) and spaces removed.
fn strip_separators(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '=' | '–' | '—'))
        .trim_end()
}

/// `platform: handle` / `platform handle` / `LINE ID handle`.
fn split_platform(t: &str) -> Result<(Platform, &str), NormalizeError> {
    let unknown = || {
        err(
            "unknown_platform",
            "not one of line, telegram, whatsapp, wechat, facebook, signal, viber, instagram, x",
        )
    };
    if let Some((key, rest)) = t.split_once(':')
        && is_platform_word(key)
    {
        return lookup_platform(key)
            .map(|p| (p, rest.trim()))
            .ok_or_else(unknown);
    }
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        let rest = rest.trim_start();
        if let Some((second, rest2)) = rest.split_once(char::is_whitespace)
            && let Some(p) = lookup_platform(&format!("{first}{second}"))
        {
            return Ok((p, strip_separators(rest2)));
        }
        if let Some(p) = lookup_platform(first) {
            return Ok((p, strip_separators(rest)));
        }
        if is_platform_word(first) && !strip_separators(rest).contains(char::is_whitespace) {
            return Err(unknown());
        }
        return Err(err(
            "syntax",
            "expected `platform:handle`, `platform @handle` or a profile link",
        ));
    }
    Err(err(
        "no_platform",
        "a handle or number without its platform; write `platform:handle`",
    ))
}

fn bad(message: &'static str) -> NormalizeError {
    err("bad_handle", message)
}

fn chars_in(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || extra.contains(c))
}

/// The canonical handle of a non-phone account, by the platform's rules.
fn canonical_handle(platform: Platform, h: &str) -> Result<String, NormalizeError> {
    let h = h.trim();
    let h = if platform == Platform::Line {
        h
    } else {
        h.strip_prefix('@').unwrap_or(h)
    };
    let lower = h.to_ascii_lowercase();
    let len = lower.chars().count();
    let starts_letter = lower.starts_with(|c: char| c.is_ascii_lowercase());
    match platform {
        Platform::Telegram => {
            if (4..=32).contains(&len) && starts_letter && chars_in(&lower, "_") {
                Ok(lower)
            } else {
                Err(bad(
                    "a Telegram username is 4-32 letters, digits or '_', starting with a letter",
                ))
            }
        }
        Platform::Instagram => {
            if (1..=30).contains(&len) && chars_in(&lower, "._") {
                Ok(lower)
            } else {
                Err(bad(
                    "an Instagram username is 1-30 letters, digits, '.' or '_'",
                ))
            }
        }
        Platform::X => {
            if (1..=15).contains(&len) && chars_in(&lower, "_") {
                Ok(lower)
            } else {
                Err(bad("an X username is 1-15 letters, digits or '_'"))
            }
        }
        Platform::Facebook => {
            let folded: String = lower.chars().filter(|&c| c != '.').collect();
            if chars_in(&lower, ".") && (1..=50).contains(&folded.len()) {
                Ok(folded)
            } else {
                Err(bad(
                    "a Facebook username is letters, digits and '.'; an id is digits",
                ))
            }
        }
        Platform::Line => {
            if let Some(official) = lower.strip_prefix('@') {
                let n = official.chars().count();
                if (2..=20).contains(&n) && chars_in(official, "._-") {
                    return Ok(format!("@{official}"));
                }
                return Err(bad(
                    "a LINE official account ID is '@' and 2-20 letters, digits, '.', '-' or '_'",
                ));
            }
            let personal = lower.strip_prefix('~').unwrap_or(&lower);
            if (4..=20).contains(&personal.chars().count()) && chars_in(personal, "._-") {
                Ok(personal.to_owned())
            } else {
                Err(bad("a LINE ID is 4-20 letters, digits, '.', '-' or '_'"))
            }
        }
        Platform::WeChat => {
            if (6..=20).contains(&len) && starts_letter && chars_in(&lower, "_-") {
                Ok(lower)
            } else {
                Err(bad(
                    "a WeChat ID is 6-20 letters, digits, '_' or '-', starting with a letter",
                ))
            }
        }
        Platform::Signal => {
            let ok = lower.split_once('.').is_some_and(|(nick, digits)| {
                (3..=32).contains(&nick.len())
                    && !nick.starts_with(|c: char| c.is_ascii_digit())
                    && chars_in(nick, "_")
                    && (2..=9).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit())
            });
            if ok {
                Ok(lower)
            } else {
                Err(bad(
                    "a Signal account is a phone number or a username like 'name.01'",
                ))
            }
        }
        Platform::WhatsApp | Platform::Viber => {
            Err(bad("WhatsApp and Viber accounts are phone numbers"))
        }
    }
}

fn named(raw: &str, platform: Platform, handle: &str) -> Result<Normalized, NormalizeError> {
    let h = canonical_handle(platform, handle)?;
    let mut n = Normalized::new(raw, KIND, format!("{}:{h}", platform.name()))?;
    n.subtype = Some(platform.name().to_owned());
    Ok(n)
}

fn phone_keyed(
    raw: &str,
    platform: Platform,
    number: &str,
    ctx: &Context,
) -> Result<Normalized, NormalizeError> {
    let phone = crate::phone::normalize(number, ctx).map_err(|e| {
        err(
            "bad_handle",
            format!("{} account phone number: {e}", platform.name()),
        )
    })?;
    let e164 = phone.identifier.canonical();
    let mut n = Normalized::new(raw, KIND, format!("{}:{e164}", platform.name()))?;
    n.subtype = Some(platform.name().to_owned());
    n.region = phone.region;
    n.valid = phone.valid;
    n.implied.push(phone.identifier);
    Ok(n)
}

fn finish(raw: &str, target: Target, ctx: &Context) -> Result<Normalized, NormalizeError> {
    match target {
        Target::Name(p, h) => named(raw, p, &h),
        Target::IntlPhone(p, number) => {
            let number = number.trim();
            let number = if number.starts_with('+') {
                number.to_owned()
            } else {
                format!("+{number}")
            };
            phone_keyed(raw, p, &number, ctx)
        }
    }
}

pub(crate) fn normalize(raw: &str, ctx: &Context) -> Result<Normalized, NormalizeError> {
    if raw.len() > MAX_VALUE_LEN {
        return Err(NormalizeError::TooLong { max: MAX_VALUE_LEN });
    }
    let cleaned = text::refang(&text::fold(raw));
    let t = cleaned.trim();
    if t.is_empty() {
        return Err(NormalizeError::Empty);
    }
    if let Some(url) = as_link(t) {
        return finish(raw, link_target(&url?)?, ctx);
    }
    let (platform, handle) = split_platform(t)?;
    if handle.is_empty() {
        return Err(err("syntax", "nothing after the platform name"));
    }
    // After an explicit platform a bare host is a handle: LINE ids may contain dots, so the
    // canonical `line:line.me` must read back as itself (found by the fuzzer). A link that
    // names an account always has a path.
    if let Some(url) = as_link(handle).filter(|_| handle.contains('/')) {
        let target = link_target(&url?)?;
        let link_platform = match &target {
            Target::Name(p, _) | Target::IntlPhone(p, _) => *p,
        };
        if link_platform != platform {
            return Err(err(
                "syntax",
                "the link belongs to another platform than the one named",
            ));
        }
        return finish(raw, target, ctx);
    }
    if looks_like_phone(handle) && (platform.phone_keyed() || handle.starts_with('+')) {
        return phone_keyed(raw, platform, handle, ctx);
    }
    named(raw, platform, handle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use warroom_domain::CountryCode;

    #[test]
    fn a_handle_that_looks_like_a_host_reads_back_as_itself() {
        let ctx = Context::default();
        let n = normalize("line.me/ti/p/~line.me", &ctx).unwrap();
        assert_eq!(n.identifier.canonical(), "line:line.me");
        let again = normalize("line:line.me", &ctx).unwrap();
        assert_eq!(again.identifier.canonical(), "line:line.me");
    }

    fn canon(s: &str) -> Result<String, &'static str> {
        normalize(s, &Context::default())
            .map(|n| n.identifier.canonical().to_owned())
            .map_err(|e| e.code())
    }

    #[test]
    fn prefixed_handles() {
        assert_eq!(canon("telegram:scam_boss"), Ok("telegram:scam_boss".into()));
        assert_eq!(
            canon("Telegram: @Scam_Boss"),
            Ok("telegram:scam_boss".into())
        );
        assert_eq!(
            canon("telegram @ScamBoss99"),
            Ok("telegram:scamboss99".into())
        );
        assert_eq!(
            canon("TG：＠ｓｃａｍｂｏｓｓ"),
            Ok("telegram:scamboss".into())
        );
        assert_eq!(
            canon("Telegram - @scamboss"),
            Ok("telegram:scamboss".into())
        );
        assert_eq!(canon("LINE ID: Somchai.99"), Ok("line:somchai.99".into()));
        assert_eq!(canon("line id somchai_99"), Ok("line:somchai_99".into()));
        assert_eq!(canon("LINE: @ShopDeal"), Ok("line:@shopdeal".into()));
        assert_eq!(canon("ไลน์ @shop123"), Ok("line:@shop123".into()));
        assert_eq!(canon("line:0812345678"), Ok("line:0812345678".into()));
        assert_eq!(
            canon("WeChat ID: Wxid_Ab12cd"),
            Ok("wechat:wxid_ab12cd".into())
        );
        assert_eq!(canon("微信: lucky-888a"), Ok("wechat:lucky-888a".into()));
        assert_eq!(
            canon("Facebook: John.Smith.55"),
            Ok("facebook:johnsmith55".into())
        );
        assert_eq!(canon("fb johnsmith55"), Ok("facebook:johnsmith55".into()));
        assert_eq!(
            canon("Messenger: john.smith55"),
            Ok("facebook:johnsmith55".into())
        );
        assert_eq!(
            canon("Instagram: @Crypto.Queen_"),
            Ok("instagram:crypto.queen_".into())
        );
        assert_eq!(
            canon("IG @crypto.queen_"),
            Ok("instagram:crypto.queen_".into())
        );
        assert_eq!(canon("X: @ElonGiveaway"), Ok("x:elongiveaway".into()));
        assert_eq!(canon("Twitter @ElonGiveaway"), Ok("x:elongiveaway".into()));
        assert_eq!(canon("signal: Scammer.01"), Ok("signal:scammer.01".into()));
        let n = normalize("Telegram: @Name_Five", &Context::default()).unwrap();
        assert_eq!(n.subtype.as_deref(), Some("telegram"));
        assert_eq!(n.region, None);
        assert!(n.implied.is_empty());
    }

    #[test]
    fn profile_links() {
        assert_eq!(
            canon("https://t.me/Scam_Boss"),
            Ok("telegram:scam_boss".into())
        );
        assert_eq!(canon("t.me/scam_boss"), Ok("telegram:scam_boss".into()));
        assert_eq!(
            canon("hxxps://t[.]me/scam_boss"),
            Ok("telegram:scam_boss".into())
        );
        assert_eq!(
            canon("https://telegram.me/scam_boss/123"),
            Ok("telegram:scam_boss".into())
        );
        assert_eq!(
            canon("https://t.me/s/scam_channel"),
            Ok("telegram:scam_channel".into())
        );
        assert_eq!(
            canon("https://scam_boss.t.me"),
            Ok("telegram:scam_boss".into())
        );
        assert_eq!(
            canon("https://t.me/scambot?start=ref42"),
            Ok("telegram:scambot".into())
        );
        assert_eq!(
            canon("tg://resolve?domain=Scam_Boss"),
            Ok("telegram:scam_boss".into())
        );
        assert_eq!(
            canon("https://line.me/ti/p/~Somchai.99"),
            Ok("line:somchai.99".into())
        );
        assert_eq!(
            canon("line.me/R/ti/p/@ShopDeal"),
            Ok("line:@shopdeal".into())
        );
        assert_eq!(
            canon("https://line.me/R/ti/p/%40shopdeal"),
            Ok("line:@shopdeal".into())
        );
        assert_eq!(
            canon("https://page.line.me/shopdeal"),
            Ok("line:@shopdeal".into())
        );
        assert_eq!(canon("line://ti/p/@shopdeal"), Ok("line:@shopdeal".into()));
        assert_eq!(
            canon("https://www.instagram.com/Crypto.Queen_/"),
            Ok("instagram:crypto.queen_".into())
        );
        assert_eq!(
            canon("instagram.com/stories/crypto.queen_/123"),
            Ok("instagram:crypto.queen_".into())
        );
        assert_eq!(
            canon("https://x.com/ElonGiveaway/status/1"),
            Ok("x:elongiveaway".into())
        );
        assert_eq!(
            canon("https://mobile.twitter.com/elongiveaway"),
            Ok("x:elongiveaway".into())
        );
        assert_eq!(
            canon("https://twitter.com/intent/user?screen_name=ElonGiveaway"),
            Ok("x:elongiveaway".into())
        );
        assert_eq!(
            canon("https://www.facebook.com/John.Smith.55"),
            Ok("facebook:johnsmith55".into())
        );
        assert_eq!(
            canon("https://m.facebook.com/profile.php?id=100012345678&ref=x"),
            Ok("facebook:100012345678".into())
        );
        assert_eq!(
            canon("https://www.facebook.com/people/John-Smith/100012345678/"),
            Ok("facebook:100012345678".into())
        );
        assert_eq!(
            canon("fb.me/johnsmith55"),
            Ok("facebook:johnsmith55".into())
        );
        assert_eq!(
            canon("https://m.me/JohnSmith55"),
            Ok("facebook:johnsmith55".into())
        );
        assert_eq!(
            canon("https://www.messenger.com/t/johnsmith55"),
            Ok("facebook:johnsmith55".into())
        );
        assert_eq!(
            canon("Telegram: https://t.me/scam_boss"),
            Ok("telegram:scam_boss".into())
        );
    }

    #[test]
    fn invitation_links_are_refused() {
        for s in [
            "https://t.me/+AbCdEfGhIjKlMnOp",
            "https://t.me/joinchat/AAAAAEkk2WdoDrB4-Q8-gg",
            "https://t.me/addlist/abcDEF",
            "tg://join?invite=AbCdEf",
            "https://chat.whatsapp.com/Kx1y2Z3",
            "https://wa.me/message/ABCDEF123",
            "https://wa.me/qr/ABCDEF123",
            "https://line.me/ti/g/AbCdEf",
            "https://line.me/R/ti/g2/AbCdEf",
            "https://line.me/ti/p/xYz12AbC_d",
            "https://lin.ee/AbCdEf",
            "https://signal.group/#CjQKIA",
            "https://signal.me/#eu/AbCdEf",
            "https://invite.viber.com/?g2=AQB",
            "https://www.facebook.com/share/1AbCdEf/",
            "https://m.me/j/AbCdEf",
        ] {
            assert_eq!(canon(s), Err("invite_link"), "{s}");
        }
    }

    #[test]
    fn rejections() {
        assert_eq!(canon("@scam_boss"), Err("no_platform"));
        assert_eq!(canon("scam_boss"), Err("no_platform"));
        assert_eq!(canon("+66812345678"), Err("no_platform"));
        assert_eq!(canon("kakaotalk: scam_boss"), Err("unknown_platform"));
        assert_eq!(canon("KakaoTalk @scam_boss"), Err("unknown_platform"));
        assert_eq!(
            canon("https://example.com/scam_boss"),
            Err("unknown_platform")
        );
        assert_eq!(canon("snapchat://add/x"), Err("unknown_platform"));
        assert_eq!(canon("telegram:"), Err("syntax"));
        assert_eq!(canon("please contact me"), Err("syntax"));
        assert_eq!(canon("Telegram: https://line.me/ti/p/~abcd"), Err("syntax"));
        assert_eq!(canon("telegram:abc"), Err("bad_handle"));
        assert_eq!(canon("telegram:1scamboss"), Err("bad_handle"));
        assert_eq!(canon("telegram:scam-boss"), Err("bad_handle"));
        assert_eq!(canon("telegram:0812345678"), Err("bad_handle"));
        assert_eq!(
            canon(&format!("telegram:{}", "a".repeat(33))),
            Err("bad_handle")
        );
        assert_eq!(canon("x:abcdefghijklmnop"), Err("bad_handle"));
        assert_eq!(canon("instagram:bad name"), Err("bad_handle"));
        assert_eq!(canon("line:abc"), Err("bad_handle"));
        assert_eq!(canon("wechat:12345678"), Err("bad_handle"));
        assert_eq!(canon("wechat:abc"), Err("bad_handle"));
        assert_eq!(canon("whatsapp:scam_boss"), Err("bad_handle"));
        assert_eq!(canon("viber:scam_boss"), Err("bad_handle"));
        assert_eq!(canon("signal:scammer"), Err("bad_handle"));
        assert_eq!(canon("https://t.me/"), Err("bad_handle"));
        assert_eq!(canon("https://t.me/c/1234567/89"), Err("bad_handle"));
        assert_eq!(
            canon("https://www.instagram.com/p/Cxyz123/"),
            Err("bad_handle")
        );
        assert_eq!(canon("https://x.com/i/web/status/1"), Err("bad_handle"));
        assert_eq!(
            canon("https://www.facebook.com/groups/12345"),
            Err("bad_handle")
        );
        assert_eq!(
            canon("https://api.whatsapp.com/send?text=hi"),
            Err("bad_handle")
        );
        assert_eq!(canon("weixin://dl/chat"), Err("bad_handle"));
        assert_eq!(
            normalize(&"a".repeat(MAX_VALUE_LEN + 1), &Context::default()).map_err(|e| e.code()),
            Err("too_long")
        );
    }

    /// These go through `crate::phone::normalize`: they pass once phone.rs is in.
    #[test]
    fn phone_keyed_accounts() {
        let th = Context::with_region(CountryCode::parse("TH").unwrap());
        let c = |s: &str| {
            normalize(s, &th)
                .map(|n| n.identifier.canonical().to_owned())
                .map_err(|e| e.code())
        };
        assert_eq!(
            c("https://wa.me/66812345678"),
            Ok("whatsapp:+66812345678".into())
        );
        assert_eq!(
            c("wa.me/+66812345678?text=hello"),
            Ok("whatsapp:+66812345678".into())
        );
        assert_eq!(
            c("https://api.whatsapp.com/send?phone=66812345678&text=hi"),
            Ok("whatsapp:+66812345678".into())
        );
        assert_eq!(
            c("whatsapp://send?phone=%2B66812345678"),
            Ok("whatsapp:+66812345678".into())
        );
        assert_eq!(
            c("WhatsApp: 081-234-5678"),
            Ok("whatsapp:+66812345678".into())
        );
        assert_eq!(
            c("whatsapp:+66812345678"),
            Ok("whatsapp:+66812345678".into())
        );
        assert_eq!(
            c("viber://chat?number=%2B66812345678"),
            Ok("viber:+66812345678".into())
        );
        assert_eq!(
            c("viber://add?number=66812345678"),
            Ok("viber:+66812345678".into())
        );
        assert_eq!(c("Viber 081 234 5678"), Ok("viber:+66812345678".into()));
        assert_eq!(
            c("https://signal.me/#p/+66812345678"),
            Ok("signal:+66812345678".into())
        );
        assert_eq!(c("signal: 0812345678"), Ok("signal:+66812345678".into()));
        assert_eq!(
            c("https://t.me/+66812345678"),
            Ok("telegram:+66812345678".into())
        );
        assert_eq!(c("LINE: +66 81 234 5678"), Ok("line:+66812345678".into()));
        let n = normalize("https://wa.me/66812345678", &th).unwrap();
        assert_eq!(n.subtype.as_deref(), Some("whatsapp"));
        assert_eq!(
            n.region.as_ref().map(|r| r.as_str().to_owned()),
            Some("TH".into())
        );
        let implied: Vec<String> = n.implied.iter().map(ToString::to_string).collect();
        assert_eq!(implied, vec!["phone:+66812345678"]);
        assert_eq!(c("whatsapp:12"), Err("bad_handle"));
        assert_eq!(c("https://wa.me/"), Err("bad_handle"));
    }

    fn handle_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            "(telegram|Telegram|tg|TG)(:| |: @)[a-zA-Z][a-zA-Z0-9_]{3,20}",
            "(line|LINE ID)(:| )@?[a-zA-Z0-9._-]{4,18}",
            "(wechat|微信)(:| )[a-zA-Z][a-zA-Z0-9_-]{5,18}",
            "(facebook|fb)(:| )[a-zA-Z0-9][a-zA-Z0-9.]{4,20}",
            "(instagram|ig)(:| @)[a-zA-Z0-9._]{1,30}",
            "(x|twitter)(:| @)[a-zA-Z0-9_]{1,15}",
            "signal:[a-zA-Z_][a-zA-Z0-9_]{2,20}\\.[0-9]{2,4}",
            "(https://)?(t\\.me|telegram\\.me)/[a-zA-Z][a-zA-Z0-9_]{3,20}",
            "https://line\\.me/R/ti/p/(~|@)[a-zA-Z0-9._-]{4,18}",
            "https://(www\\.)?(instagram\\.com|x\\.com|twitter\\.com|facebook\\.com)/[a-zA-Z0-9._]{5,15}",
        ]
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = normalize(&s, &Context::default());
        }

        #[test]
        fn never_panics_on_link_like(s in "(https?://|tg://|line://|viber://|sgnl://)?(t\\.me|line\\.me|wa\\.me|signal\\.me|facebook\\.com|resolve|chat)?[/?#=&%+@~a-zA-Z0-9.]{0,30}") {
            let _ = normalize(&s, &Context::default());
        }

        #[test]
        fn idempotent(s in handle_strategy()) {
            if let Ok(first) = normalize(&s, &Context::default()) {
                let again = normalize(first.identifier.canonical(), &Context::default()).unwrap();
                prop_assert_eq!(&first.identifier, &again.identifier);
                prop_assert_eq!(first.subtype, again.subtype);
            }
        }
    }
}
