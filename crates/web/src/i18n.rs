//! Translations: one Fluent bundle per language, built once from the `.ftl` files under
//! `locales/`, which are compiled into the binary.
//!
//! Every page is rendered in one [`Lang`]; templates call [`Tr::t`] with a message id. A message
//! missing from a bundle renders as its id (never a panic); `tests::catalogues_agree` makes
//! sure that never ships: every id exists in every language and every id the templates and
//! the server use exists.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::LazyLock;

/// The languages the pages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Th,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Th];

    /// The BCP 47 tag (`lang` attribute, cookie value).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Th => "th",
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Th => "ไทย",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The first supported language of an `Accept-Language` header, by quality; English when
    /// none is.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',').take(32) {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Th => 1,
        }
    }
}

/// The `.ftl` files of each language, in the order they are added to its bundle.
macro_rules! catalogue {
    ($lang:literal: $($file:literal),* $(,)?) => {
        &[$((
            $file,
            include_str!(concat!("../locales/", $lang, "/", $file, ".ftl")),
        )),*]
    };
}

type Files = &'static [(&'static str, &'static str)];

const EN: Files = catalogue!("en": "common", "dashboard", "search", "entity", "report", "admin");
const TH: Files = catalogue!("th": "common", "dashboard", "search", "entity", "report", "admin");

fn files(lang: Lang) -> Files {
    match lang {
        Lang::En => EN,
        Lang::Th => TH,
    }
}

struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    /// Parse or duplicate-id errors, kept for the test that refuses them.
    errors: Vec<String>,
}

fn build(lang: Lang) -> Catalogue {
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks around placeables would end up inside URLs and numbers.
    bundle.set_use_isolating(false);
    let mut errors = Vec::new();
    for (name, text) in files(lang) {
        let resource = match FluentResource::try_new((*text).to_owned()) {
            Ok(r) => r,
            Err((r, errs)) => {
                errors.extend(
                    errs.iter()
                        .map(|e| format!("{}/{name}.ftl: {e:?}", lang.tag())),
                );
                r
            }
        };
        if let Err(errs) = bundle.add_resource(resource) {
            errors.extend(
                errs.iter()
                    .map(|e| format!("{}/{name}.ftl: {e:?}", lang.tag())),
            );
        }
    }
    Catalogue { bundle, errors }
}

static CATALOGUES: LazyLock<[Catalogue; 2]> = LazyLock::new(|| [build(Lang::En), build(Lang::Th)]);

/// The translator a page renders with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The message `id`, or `id` itself when it is missing.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: impl ToString) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.format(id, Some(&args))
    }

    /// The message `id` with a number argument (plural rules apply).
    pub fn n(&self, id: &str, name: &str, value: impl std::borrow::Borrow<u64>) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(*value.borrow()));
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let catalogue = &CATALOGUES[self.lang.index()];
        let Some(pattern) = catalogue.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text: Cow<str> = catalogue.bundle.format_pattern(pattern, args, &mut errors);
        text.into_owned()
    }

    /// Whether `id` exists in this language.
    pub fn has(&self, id: &str) -> bool {
        CATALOGUES[self.lang.index()].bundle.has_message(id)
    }
}

/// Every message id of a language, from its files (for tests and tools).
pub fn message_ids(lang: Lang) -> Vec<String> {
    let mut ids = Vec::new();
    for (_, text) in files(lang) {
        let resource = match FluentResource::try_new((*text).to_owned()) {
            Ok(r) | Err((r, _)) => r,
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                ids.push(m.id.name.to_owned());
            }
        }
    }
    ids
}

/// Parse errors and duplicate ids of a language's files.
pub fn catalogue_errors(lang: Lang) -> Vec<String> {
    CATALOGUES[lang.index()].errors.clone()
}

#[cfg(test)]
mod tests;
