//! What the stories share: deterministic ids and times, sample records, and a tracker that
//! checks every write appends exactly its own audit event (and a refused write none).

use crate::{AuditDraft, AuditEvent, AuditFilter, EntityRef, ReportRecord, Store, StoreError};
use jiff::Timestamp;
use std::collections::BTreeSet;
use std::fmt::Debug;
use uuid::Uuid;
use warroom_domain::{
    Agency, AgencyId, AgencyKind, CountryCode, Distribution, EntityId, ReportId, ReportKind, Role,
    Tlp, User, UserId,
};

/// Nanoseconds are non-zero on purpose: a backend must keep them exactly.
pub(super) fn at(seconds: i64) -> Timestamp {
    Timestamp::new(1_700_000_000 + seconds, 123_456_789).unwrap()
}

pub(super) fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).unwrap()
}

/// A story's view of the store: it hands out ids and audit drafts and checks the audit log
/// after every write.
pub(super) struct Ctx<'s> {
    pub store: &'s dyn Store,
    next_id: u128,
    next_draft: i64,
    /// Every event the log should hold, in order.
    expected: Vec<AuditDraft>,
    pub actor_user: Option<UserId>,
    pub actor_agency: Option<AgencyId>,
}

impl<'s> Ctx<'s> {
    pub fn new(store: &'s dyn Store) -> Self {
        assert_eq!(
            events(store, None, 0).len(),
            0,
            "a fresh store must have an empty audit log"
        );
        Self {
            store,
            next_id: 0,
            next_draft: 0,
            expected: Vec::new(),
            actor_user: None,
            actor_agency: None,
        }
    }

    /// A fresh id, readable in failure output (`...0001`, `...0002`).
    pub fn uuid(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(0x5741_0000_0000_0000_0000_0000_0000_0000 | self.next_id)
    }

    pub fn agency(&mut self, name: &str, code: &str) -> Agency {
        Agency {
            id: AgencyId(self.uuid()),
            name: name.to_owned(),
            country: country(code),
            kind: AgencyKind::Police,
            home_node: format!("node-{}", code.to_ascii_lowercase()),
        }
    }

    pub fn user(&mut self, agency: AgencyId, username: &str, roles: &[Role]) -> crate::UserRecord {
        crate::UserRecord {
            user: User {
                id: UserId(self.uuid()),
                agency,
                username: username.to_owned(),
                display_name: format!("{username} (display)"),
                roles: roles.iter().copied().collect(),
                disabled: false,
            },
            password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned()),
            created_at: at(1),
        }
    }

    pub fn entity(&mut self, kind: &str, value: &str) -> EntityRef {
        EntityRef {
            id: EntityId(self.uuid()),
            kind: kind.to_owned(),
            value: value.to_owned(),
        }
    }

    /// A version-1 report with every optional field filled.
    pub fn report(
        &mut self,
        owner: AgencyId,
        author: UserId,
        entities: Vec<EntityRef>,
    ) -> ReportRecord {
        let id = self.uuid();
        ReportRecord {
            id: ReportId(id),
            owner,
            author,
            kind: ReportKind::VictimComplaint,
            marking: Tlp::Amber,
            distribution: Distribution {
                agencies: BTreeSet::from([owner]),
                groups: BTreeSet::new(),
            },
            // Not in sorted order: the store keeps the order it was given.
            methods: vec!["romance".to_owned(), "investment".to_owned()],
            victim_country: Some(country("TH")),
            occurred_at: Some(at(100)),
            reported_at: at(200),
            recorded_at: at(300),
            version: 1,
            retracted_at: None,
            hit_notices: true,
            fingerprint: fingerprint(id, 1),
            entities,
            body: format!(r#"{{"narrative":"ถูกหลอกให้โอนเงิน","id":"{id}"}}"#),
        }
    }

    /// A draft for the next write, with the story's current actor.
    pub fn draft(
        &mut self,
        action: &str,
        object_kind: &str,
        object_id: impl ToString,
    ) -> AuditDraft {
        self.next_draft += 1;
        let n = self.next_draft;
        AuditDraft {
            at: at(10_000 + n),
            actor_user: self.actor_user,
            actor_agency: self.actor_agency,
            action: action.to_owned(),
            object_kind: object_kind.to_owned(),
            object_id: object_id.to_string(),
            request_id: format!("req-{n}"),
            purpose: (n % 2 == 0).then(|| format!("case {n}")),
        }
    }

    /// Runs a write that must succeed and append exactly `draft`.
    pub fn write<T>(
        &mut self,
        what: &str,
        draft: AuditDraft,
        f: impl FnOnce(&AuditDraft) -> crate::Result<T>,
    ) -> T {
        let out = match f(&draft) {
            Ok(v) => v,
            Err(e) => panic!("{what}: expected success, got {e}"),
        };
        self.expected.push(draft);
        self.check_log(what);
        out
    }

    /// Runs a write whose outcome appends exactly `drafts` (e.g. `put_reports` with duplicates).
    pub fn write_many<T>(
        &mut self,
        what: &str,
        drafts: Vec<AuditDraft>,
        f: impl FnOnce() -> crate::Result<T>,
    ) -> T {
        let out = match f() {
            Ok(v) => v,
            Err(e) => panic!("{what}: expected success, got {e}"),
        };
        self.expected.extend(drafts);
        self.check_log(what);
        out
    }

    /// Runs a write that must fail and append nothing; returns the error.
    pub fn refused<T: Debug>(
        &mut self,
        what: &str,
        f: impl FnOnce(&AuditDraft) -> crate::Result<T>,
    ) -> StoreError {
        let draft = self.draft("refused", "test", what);
        let err = match f(&draft) {
            Ok(v) => panic!("{what}: expected an error, got Ok({v:?})"),
            Err(e) => e,
        };
        self.check_log(what);
        err
    }

    pub fn expected_events(&self) -> &[AuditDraft] {
        &self.expected
    }

    fn check_log(&self, what: &str) {
        let got = events(self.store, None, 0);
        let drafts: Vec<&AuditDraft> = got.iter().map(|e| &e.draft).collect();
        let want: Vec<&AuditDraft> = self.expected.iter().collect();
        if drafts != want {
            panic!(
                "after {what}: the audit log holds {} events, expected {}; \
                 the first difference is at position {}\n got: {:#?}\nwant: {:#?}",
                drafts.len(),
                want.len(),
                drafts.iter().zip(&want).take_while(|(a, b)| a == b).count(),
                drafts.last(),
                want.last(),
            );
        }
        for (i, e) in got.iter().enumerate() {
            assert_eq!(
                e.seq,
                i as u64 + 1,
                "after {what}: audit seq numbers must run 1, 2, 3..."
            );
        }
    }
}

/// A stand-in for the SHA-256 of a submission: distinct per report and per `variant`.
pub(super) fn fingerprint(id: Uuid, variant: u8) -> [u8; 32] {
    let mut f = [variant; 32];
    f[..16].copy_from_slice(id.as_bytes());
    f
}

/// The whole log (or one agency's), after `after`, in pages of 7 to exercise `limit`.
pub(super) fn events(store: &dyn Store, agency: Option<AgencyId>, after: u64) -> Vec<AuditEvent> {
    let mut out: Vec<AuditEvent> = Vec::new();
    let mut after = after;
    loop {
        let page = store
            .audit_events(&AuditFilter {
                agency,
                after,
                limit: 7,
            })
            .unwrap_or_else(|e| panic!("audit_events failed: {e}"));
        assert!(
            page.len() <= 7,
            "audit_events returned more than `limit` events"
        );
        let Some(last) = page.last() else {
            return out;
        };
        after = last.seq;
        out.extend(page);
    }
}

/// Compares two report records field by field, so a failure names the field.
pub(super) fn assert_report(what: &str, got: &ReportRecord, want: &ReportRecord) {
    macro_rules! field {
        ($f:ident) => {
            assert_eq!(
                got.$f,
                want.$f,
                "{what}: report field `{}` differs",
                stringify!($f)
            );
        };
    }
    field!(id);
    field!(owner);
    field!(author);
    field!(kind);
    field!(marking);
    field!(distribution);
    field!(methods);
    field!(victim_country);
    field!(occurred_at);
    field!(reported_at);
    field!(recorded_at);
    field!(version);
    field!(retracted_at);
    field!(hit_notices);
    field!(fingerprint);
    field!(entities);
    field!(body);
    assert_eq!(got, want, "{what}: reports differ");
}

/// Asserts a result is the given error variant.
#[track_caller]
pub(super) fn assert_conflict(what: &str, e: &StoreError) {
    assert!(
        matches!(e, StoreError::Conflict(_)),
        "{what}: expected StoreError::Conflict, got {e:?}"
    );
}

#[track_caller]
pub(super) fn assert_not_found(what: &str, e: &StoreError) {
    assert!(
        matches!(e, StoreError::NotFound(_)),
        "{what}: expected StoreError::NotFound, got {e:?}"
    );
}

/// Sorts by a key so list results can be compared where the trait leaves order open.
pub(super) fn sorted<T: Clone, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort_by_key(|x| key(x));
    v
}
