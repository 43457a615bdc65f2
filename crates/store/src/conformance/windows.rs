//! Shared fixed-window counters: totals per key and window, reads with `n` = 0, and old
//! windows forgotten.

use crate::Store;

pub fn story(store: &dyn Store) {
    let key: &[u8] = b"login:203.0.113.7";
    let other: &[u8] = b"login:198.51.100.1";
    assert_eq!(store.bump_window(key, 60, 1, 0).unwrap(), 1);
    assert_eq!(store.bump_window(key, 60, 1, 0).unwrap(), 2);
    assert_eq!(store.bump_window(key, 60, 5, 0).unwrap(), 7, "n adds up");
    assert_eq!(
        store.bump_window(key, 60, 0, 0).unwrap(),
        7,
        "n = 0 reads the total"
    );
    assert_eq!(
        store.bump_window(other, 60, 1, 0).unwrap(),
        1,
        "keys count apart"
    );
    assert_eq!(
        store.bump_window(key, 120, 1, 0).unwrap(),
        1,
        "a new window starts from zero"
    );
    // Forgetting windows before 120 drops the first one: counting in it starts again.
    assert_eq!(store.bump_window(key, 120, 0, 120).unwrap(), 1);
    assert_eq!(
        store.bump_window(key, 60, 1, 0).unwrap(),
        1,
        "the window before forget_before was dropped"
    );
    // Counters are limits, not records: they append no audit event.
    let events = store
        .audit_events(&crate::AuditFilter {
            after: 0,
            limit: 10,
            agency: None,
        })
        .unwrap();
    assert!(events.is_empty(), "{events:?}");
}
