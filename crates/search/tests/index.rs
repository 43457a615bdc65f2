//! The index's life: where it lives, how it is shared between threads.

mod common;

use common::{Rep, apply, find};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use warroom_domain::AgencyId;
use warroom_search::SearchIndex;

#[test]
fn the_index_is_shared_between_threads() {
    fn shareable<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    shareable::<SearchIndex>();
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("{e}"));
    assert!(format!("{index:?}").contains("docs: 0"));
    let owner = AgencyId::random();
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let index = index.clone();
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            for i in 0..20u64 {
                let batch: Vec<Rep> = (0..50)
                    .map(|j| {
                        Rep::new(owner, "shared ledger entry")
                            .seq(i * 50 + j)
                            .rev(i * 50 + j)
                    })
                    .collect();
                apply(&index, &batch);
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    // Searches see whole commits only: a multiple of 50, never fewer than before.
    let mut seen = 0;
    while !done.load(Ordering::SeqCst) {
        let n = index.doc_count();
        assert_eq!(n % 50, 0);
        assert!(n >= seen);
        seen = n;
        // Found among at least what was committed before the search began (a page at most).
        let found = find(&index, "ledger").len() as u64;
        assert!(found >= n.min(100), "{found} < {n}");
    }
    writer
        .join()
        .unwrap_or_else(|_| panic!("writer thread panicked"));
    assert_eq!(index.doc_count(), 1000);
    assert!(format!("{index:?}").contains("docs: 1000"));
}

#[test]
fn an_index_in_a_directory_starts_empty_and_refuses_foreign_directories() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("search");
    let owner = AgencyId::random();
    {
        let index = SearchIndex::in_dir(&path).unwrap_or_else(|e| panic!("{e}"));
        apply(&index, &[Rep::new(owner, "on disk")]);
        assert_eq!(find(&index, "disk").len(), 1);
    }
    let again = SearchIndex::in_dir(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.doc_count(), 0);
    assert!(find(&again, "disk").is_empty());
    drop(again);

    let foreign = dir.path().join("data");
    std::fs::create_dir_all(&foreign).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(foreign.join("warroom.db"), b"keep me").unwrap_or_else(|e| panic!("{e}"));
    let err = SearchIndex::in_dir(&foreign).err().map(|e| e.to_string());
    assert!(err.unwrap_or_default().contains("refusing"));
    assert!(foreign.join("warroom.db").exists());
}

fn changes(reps: &[Rep]) -> Vec<warroom_store::ChangedReport> {
    reps.iter().map(Rep::change).collect()
}

#[test]
fn staged_changes_are_invisible_until_committed_and_later_stages_override_earlier_ones() {
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("{e}"));
    let owner = AgencyId::random();
    let first = Rep::new(owner, "harbour warehouse").rev(1);
    let other = Rep::new(owner, "harbour office").rev(2);
    index
        .stage(&changes(&[first.clone(), other.clone()]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&index, "harbour").is_empty());
    assert_eq!(index.doc_count(), 0);
    // A later page replaces a report staged by an earlier one, and retracts another.
    index
        .stage(&changes(&[
            first.updated("airport warehouse", 3),
            other.retracted(4),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
    index.commit().unwrap_or_else(|e| panic!("{e}"));
    assert!(find(&index, "harbour").is_empty());
    assert_eq!(find(&index, "airport"), vec![first.id()]);
    assert_eq!(index.doc_count(), 1);
}

#[test]
fn discarded_stages_leave_the_committed_index_as_it_was() {
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("{e}"));
    let owner = AgencyId::random();
    let kept = Rep::new(owner, "river crossing").rev(1);
    apply(&index, std::slice::from_ref(&kept));
    index
        .stage(&changes(&[
            kept.updated("mountain pass", 2),
            Rep::new(owner, "river ferry").rev(3),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
    index.discard().unwrap_or_else(|e| panic!("{e}"));
    // A commit after the discard publishes nothing of it.
    index.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(find(&index, "river"), vec![kept.id()]);
    assert!(find(&index, "mountain").is_empty());
    assert_eq!(index.doc_count(), 1);
}

#[test]
fn after_waiting_for_merges_the_index_answers_the_same_and_takes_writes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let index = SearchIndex::in_dir(&dir.path().join("search")).unwrap_or_else(|e| panic!("{e}"));
    let owner = AgencyId::random();
    // One commit per report: at least one small segment each, which the merge policy
    // (eight segments of a size at a time) merges in the background.
    let reps: Vec<Rep> = (0..40u64)
        .map(|i| Rep::new(owner, "border checkpoint").seq(i).rev(i + 1))
        .collect();
    for r in &reps {
        apply(&index, std::slice::from_ref(r));
    }
    index.wait_for_merges().unwrap_or_else(|e| panic!("{e}"));
    let segments = index.segment_count();
    assert!(
        segments < 40 / 8 + 8,
        "{segments} segments after merging 40 commits"
    );
    assert_eq!(find(&index, "checkpoint").len(), 40);
    // The index takes writes again after the wait.
    apply(&index, &[Rep::new(owner, "after the merge").rev(41)]);
    assert_eq!(index.doc_count(), 41);
}

#[test]
fn deletes_are_queued_only_where_an_earlier_document_can_exist() {
    let index = SearchIndex::in_ram().unwrap_or_else(|e| panic!("{e}"));
    let owner = AgencyId::random();
    let pending = |index: &SearchIndex| index.pending_deletes().unwrap_or_else(|e| panic!("{e}"));
    let a = Rep::new(owner, "first lead").rev(1);
    let b = Rep::new(owner, "second lead").rev(2);
    // Nothing committed: new reports queue no delete; one staged twice queues one.
    index
        .stage(&changes(&[a.clone(), b.clone()]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending(&index), 0);
    index
        .stage(&changes(&[a.updated("first lead, revised", 3)]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending(&index), 1);
    index.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending(&index), 0);
    // With documents committed, every staged change may replace one.
    index
        .stage(&changes(&[
            Rep::new(owner, "third lead").rev(4),
            b.retracted(5),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending(&index), 2);
    index.discard().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending(&index), 0);
    assert_eq!(find(&index, "lead").len(), 2);
}
