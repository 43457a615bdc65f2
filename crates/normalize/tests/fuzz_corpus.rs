//! Replays every cargo-fuzz corpus entry (`fuzz/corpus/<target>/*`) through the same property
//! the fuzz target checks, so that what the fuzzers found stays fixed in ordinary test runs.

use std::path::Path;
use warroom_normalize::invariants;

const KIND_TARGETS: &[&str] = &[
    "phone",
    "messaging",
    "email",
    "url",
    "domain",
    "ip",
    "bank_account",
    "crypto_wallet",
    "imei",
    "document",
];

#[test]
fn every_fuzz_corpus_entry_holds_its_property() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut replayed = 0usize;
    let mut targets = 0usize;
    for target in KIND_TARGETS.iter().copied().chain(["detect", "extract"]) {
        let dir = corpus.join(target);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("corpus {} missing: {e}", dir.display()));
        targets += 1;
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            let data = std::fs::read(&path).expect("corpus file");
            match target {
                "detect" => invariants::check_detect(&data),
                "extract" => invariants::check_extract(&data),
                kind => invariants::check_kind(kind, &data),
            }
            replayed += 1;
        }
    }
    assert_eq!(targets, KIND_TARGETS.len() + 2);
    // Every target has a seed corpus at least; an empty replay would prove nothing.
    assert!(
        replayed >= targets * 5,
        "only {replayed} corpus entries replayed"
    );
    println!("replayed {replayed} corpus entries over {targets} targets");
}
