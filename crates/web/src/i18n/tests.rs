use super::*;
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn catalogues_parse_without_errors() {
    for lang in Lang::ALL {
        assert_eq!(catalogue_errors(lang), Vec::<String>::new(), "{lang:?}");
    }
}

#[test]
fn catalogues_agree() {
    let en: BTreeSet<String> = message_ids(Lang::En).into_iter().collect();
    let th: BTreeSet<String> = message_ids(Lang::Th).into_iter().collect();
    assert!(en.len() > 50, "only {} messages", en.len());
    let missing_th: Vec<_> = en.difference(&th).collect();
    let missing_en: Vec<_> = th.difference(&en).collect();
    assert!(missing_th.is_empty(), "missing in th: {missing_th:?}");
    assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
}

/// Message ids used as `tr.t("id")`, `tr.t1("id", ..)` or `tr.n("id", ..)` in a source text.
fn used_ids(text: &str, out: &mut BTreeSet<String>) {
    for call in ["tr.t(\"", "tr.t1(\"", "tr.n(\""] {
        let mut rest = text;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            if let Some(end) = rest.find('"') {
                out.insert(rest[..end].to_owned());
            }
        }
    }
}

fn scan(dir: &Path, out: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // This module's own examples and tests name ids on purpose.
        if path.file_stem().is_some_and(|s| s == "i18n") {
            continue;
        }
        if path.is_dir() {
            scan(&path, out);
        } else if path.extension().is_some_and(|e| e == "html" || e == "rs")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            used_ids(&text, out);
        }
    }
}

#[test]
fn every_message_the_pages_use_exists_in_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    scan(&root.join("templates"), &mut used);
    scan(&root.join("src"), &mut used);
    scan(&root.join("../server/src/pages"), &mut used);
    assert!(
        used.len() > 30,
        "found only {} uses: is the scan broken?",
        used.len()
    );
    for lang in Lang::ALL {
        let tr = Tr::new(lang);
        let missing: Vec<_> = used.iter().filter(|id| !tr.has(id)).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
    }
}

#[test]
fn a_missing_message_renders_as_its_id_and_arguments_are_filled() {
    let tr = Tr::new(Lang::En);
    assert_eq!(tr.t("no-such-message-id"), "no-such-message-id");
    assert!(tr.n("search-results-count", "count", 3).contains('3'));
    assert_ne!(
        Tr::new(Lang::Th).t("nav-dashboard"),
        Tr::new(Lang::En).t("nav-dashboard")
    );
}

#[test]
fn accept_language_is_negotiated_by_quality() {
    assert_eq!(Lang::negotiate("th-TH,th;q=0.9,en;q=0.8"), Lang::Th);
    assert_eq!(Lang::negotiate("en-US,th;q=0.5"), Lang::En);
    assert_eq!(Lang::negotiate("ja,th;q=0.3"), Lang::Th);
    assert_eq!(Lang::negotiate("ja, fr"), Lang::En);
    assert_eq!(Lang::negotiate("th;q=0, en;q=0.1"), Lang::En);
    assert_eq!(Lang::negotiate(""), Lang::En);
}
