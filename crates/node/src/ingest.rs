//! From a submitted [`ReportIn`] to a [`ReportRecord`]: every field validated, every identifier
//! normalised in the owner agency's region, with the exact field named when something is wrong.

use crate::limits;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;
use uuid::Uuid;
use warroom_domain::policy::distribution_allowed;
use warroom_domain::{
    Agency, AgencyId, CountryCode, Distribution, EntityId, GroupId, IdentifierKind, ReportId,
    ReportKind, ScamMethod, Tlp, UserId,
};
use warroom_normalize::{Context, Detection, NormalizeError, Normalized, detect, normalize};
use warroom_store::{EntityRef, ReportRecord};
use warroom_wire::{
    DistributionJson, EntityDoc, EntityIn, FieldError, IdentifierDoc, IdentifierIn, LocationJson,
    MoneyJson, OrganisationJson, PersonJson, RelationshipJson, ReportBody, ReportIn,
};

/// The namespace of ids the node gives to people, organisations and places that a report
/// names without an id: UUIDv5(report id, ref), so re-submitting the report gives the same ids.
fn local_entity_id(report: ReportId, key: &str) -> EntityId {
    EntityId(Uuid::new_v5(&report.0, key.as_bytes()))
}

/// Builds the record to store. `id` is the report id to use when the input has none; `version`
/// is 1 for a new report.
pub(crate) fn prepare(
    owner: &Agency,
    author: UserId,
    input: &ReportIn,
    id: ReportId,
    version: u32,
    now: Timestamp,
) -> Result<ReportRecord, Vec<FieldError>> {
    let mut errs = Errors::default();
    let fingerprint = fingerprint(owner.id, input);

    let kind = ReportKind::parse(&input.kind);
    if kind.is_none() {
        errs.push(
            "kind",
            "invalid_kind",
            format!(
                "unknown report kind {:?}; expected one of {}",
                clip(&input.kind),
                ReportKind::ALL.map(|k| k.as_str()).join(", ")
            ),
        );
    }
    let marking = Tlp::from_str(&input.marking).map_err(|e| e.to_string());
    if let Err(m) = &marking {
        errs.push("marking", "invalid_marking", m.clone());
    }
    let occurred_at = errs.time("occurred_at", input.occurred_at.as_deref());
    let reported_at = errs.time("reported_at", input.reported_at.as_deref());
    let mut methods = Vec::new();
    if input.methods.len() > limits::MAX_METHODS {
        errs.push(
            "methods",
            "too_many",
            format!("at most {} methods", limits::MAX_METHODS),
        );
    }
    for (i, m) in input.methods.iter().enumerate() {
        match ScamMethod::parse(m) {
            Some(m) if !methods.contains(&m.slug().to_owned()) => methods.push(m.slug().to_owned()),
            Some(_) => {}
            None => errs.push(
                format!("methods[{i}]"),
                "invalid_method",
                "a scam method is a known slug or a proposed one of [a-z0-9_], at most 64 characters",
            ),
        }
    }
    if input.narrative.len() > limits::MAX_NARRATIVE {
        errs.push(
            "narrative",
            "too_long",
            format!("at most {} bytes", limits::MAX_NARRATIVE),
        );
    }
    let language = input.language.as_deref().map(|l| {
        if l.is_empty() || l.len() > 35 || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            errs.push(
                "language",
                "invalid_language",
                "a BCP 47 language tag such as th, en, ja or hi",
            );
        }
        l.to_ascii_lowercase()
    });
    let loss = input.loss.as_ref().and_then(|m| errs.money("loss", m));
    let victim_country = errs.country("victim_country", input.victim_country.as_deref());
    let distribution = errs.distribution(&input.distribution);
    if let (Ok(m), Some(d)) = (&marking, &distribution)
        && !distribution_allowed(*m, d)
    {
        errs.push(
            "distribution.groups",
            "groups_not_allowed",
            format!("{m} reports name agencies only: list the agencies instead of groups"),
        );
    }
    let keep_raw = match input.invalid_identifiers.as_deref() {
        None | Some("reject") => false,
        Some("keep_raw") => true,
        Some(_) => {
            errs.push(
                "invalid_identifiers",
                "invalid_option",
                "expected reject or keep_raw",
            );
            false
        }
    };

    if input.entities.len() > limits::MAX_ENTITIES {
        errs.push(
            "entities",
            "too_many",
            format!("at most {} entities", limits::MAX_ENTITIES),
        );
    }
    if input.relationships.len() > limits::MAX_RELATIONSHIPS {
        errs.push(
            "relationships",
            "too_many",
            format!("at most {} relationships", limits::MAX_RELATIONSHIPS),
        );
    }
    let ctx = Context::with_region(owner.country);
    let mut refs: HashMap<String, EntityId> = HashMap::new();
    let mut docs = Vec::with_capacity(input.entities.len());
    let mut entity_refs: Vec<EntityRef> = Vec::new();
    let mut seen_ids = BTreeSet::new();
    let mut add_ref = |r: EntityRef, out: &mut Vec<EntityRef>| {
        if seen_ids.insert(r.id) {
            out.push(r);
        }
    };
    for (i, e) in input.entities.iter().take(limits::MAX_ENTITIES).enumerate() {
        let at = At("entities", i);
        let (doc, reference) = match e {
            EntityIn::Identifier(ident) => {
                let (doc, found) = identifier(&mut errs, at, ident, &ctx, keep_raw);
                if let (Some(n), Some(id)) = (found, doc.id) {
                    for r in identifier_refs(&n, EntityId(id)) {
                        add_ref(r, &mut entity_refs);
                    }
                }
                (EntityDoc::Identifier(doc), ident.reference.clone())
            }
            EntityIn::Person(p) => {
                let p = person(&mut errs, at, p, id, i, &ctx);
                for n in &p.1 {
                    for r in identifier_refs(n, n.identifier.entity_id()) {
                        add_ref(r, &mut entity_refs);
                    }
                }
                let label =
                    p.0.names
                        .first()
                        .map(|n| n.full.clone())
                        .unwrap_or_default();
                if let Some(pid) = p.0.id {
                    add_ref(
                        EntityRef {
                            id: EntityId(pid),
                            kind: "person".into(),
                            value: label,
                        },
                        &mut entity_refs,
                    );
                }
                let r = p.0.reference.clone();
                (EntityDoc::Person(p.0), r)
            }
            EntityIn::Organisation(o) => {
                let o = organisation(&mut errs, at, o, id, i);
                if let Some(oid) = o.id {
                    add_ref(
                        EntityRef {
                            id: EntityId(oid),
                            kind: "organisation".into(),
                            value: o.name.clone(),
                        },
                        &mut entity_refs,
                    );
                }
                let r = o.reference.clone();
                (EntityDoc::Organisation(o), r)
            }
            EntityIn::Location(l) => {
                let l = location(&mut errs, at, l, id, i);
                if let Some(lid) = l.id {
                    add_ref(
                        EntityRef {
                            id: EntityId(lid),
                            kind: "location".into(),
                            value: l.name.clone(),
                        },
                        &mut entity_refs,
                    );
                }
                let r = l.reference.clone();
                (EntityDoc::Location(l), r)
            }
        };
        if let Some(r) = reference {
            if r.is_empty() || r.len() > limits::MAX_TEXT {
                errs.push(
                    format!("{at}.ref"),
                    "invalid_ref",
                    "a ref is 1 to 1000 bytes",
                );
            } else if let Some(eid) = doc_id(&doc)
                && refs.insert(r.clone(), eid).is_some()
            {
                errs.push(
                    format!("{at}.ref"),
                    "duplicate_ref",
                    format!("ref {:?} is used twice", clip(&r)),
                );
            }
        }
        docs.push(doc);
    }
    let mut relationships = Vec::with_capacity(input.relationships.len());
    for (i, r) in input
        .relationships
        .iter()
        .take(limits::MAX_RELATIONSHIPS)
        .enumerate()
    {
        let at = At("relationships", i);
        if let Some(r) = relationship(&mut errs, at, r, &refs) {
            relationships.push(r);
        }
    }

    if !errs.0.is_empty() {
        return Err(errs.0);
    }
    let (Some(kind), Ok(marking), Some(distribution)) = (kind, marking, distribution) else {
        return Err(vec![FieldError::new("", "invalid", "invalid report")]);
    };
    let body = ReportBody {
        narrative: input.narrative.clone(),
        language,
        loss,
        entities: docs,
        relationships,
    };
    let body = serde_json::to_string(&body).map_err(|e| {
        vec![FieldError::new(
            "",
            "invalid",
            format!("cannot encode the report: {e}"),
        )]
    })?;
    Ok(ReportRecord {
        id,
        owner: owner.id,
        author,
        kind,
        marking,
        distribution,
        methods,
        victim_country,
        occurred_at: occurred_at.flatten(),
        reported_at: reported_at.flatten().unwrap_or(now),
        recorded_at: now,
        version,
        retracted_at: None,
        hit_notices: input.hit_notices.unwrap_or(true),
        fingerprint,
        entities: entity_refs,
        body,
    })
}

/// SHA-256 over the owner and the input exactly as submitted (before defaults such as the time
/// of submission are filled in), so that sending the same report twice is a duplicate.
pub(crate) fn fingerprint(owner: AgencyId, input: &ReportIn) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(owner.0.as_bytes());
    // Serialising a struct is deterministic: fields in declaration order.
    if let Ok(bytes) = serde_json::to_vec(input) {
        h.update(bytes);
    }
    h.finalize().into()
}

fn doc_id(doc: &EntityDoc) -> Option<EntityId> {
    match doc {
        EntityDoc::Identifier(i) => i.id.map(EntityId),
        EntityDoc::Person(p) => p.id.map(EntityId),
        EntityDoc::Organisation(o) => o.id.map(EntityId),
        EntityDoc::Location(l) => l.id.map(EntityId),
    }
}

/// The entity of `n`'s identifier, whose id the caller has already derived (a UUIDv5 over
/// JCS text: worth deriving once), then those of the identifiers it implies.
fn identifier_refs(n: &Normalized, id: EntityId) -> impl Iterator<Item = EntityRef> + '_ {
    let entity = |id: EntityId, i: &warroom_domain::Identifier| EntityRef {
        id,
        kind: i.kind().as_str().to_owned(),
        value: i.canonical().to_owned(),
    };
    std::iter::once(entity(id, &n.identifier))
        .chain(n.implied.iter().map(move |i| entity(i.entity_id(), i)))
}

/// The field path of a list element, such as `entities[2]`, formatted only when an error
/// names it.
#[derive(Clone, Copy, Debug)]
struct At(&'static str, usize);

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

fn identifier(
    errs: &mut Errors,
    at: At,
    ident: &IdentifierIn,
    owner_ctx: &Context,
    keep_raw: bool,
) -> (IdentifierDoc, Option<Normalized>) {
    let ctx = match ident.region.as_deref() {
        None => owner_ctx.clone(),
        Some(r) => match CountryCode::parse(r) {
            Ok(c) => Context::with_region(c),
            Err(_) => {
                errs.push(
                    format!("{at}.region"),
                    "invalid_country",
                    "an ISO 3166-1 alpha-2 country code",
                );
                owner_ctx.clone()
            }
        },
    };
    let result: Result<Normalized, NormalizeError> = match ident.kind.as_deref() {
        Some(k) => match IdentifierKind::from_str(k) {
            Ok(kind) => normalize(kind, &ident.value, &ctx),
            Err(_) => {
                errs.push(
                    format!("{at}.kind"),
                    "invalid_kind",
                    format!(
                        "unknown identifier kind {:?}; expected one of {}",
                        clip(k),
                        IdentifierKind::ALL.map(|k| k.as_str()).join(", ")
                    ),
                );
                return (raw_doc(ident, None), None);
            }
        },
        None => match detect(&ident.value, &ctx) {
            Detection::Found(n) => Ok(n),
            Detection::Ambiguous(c) => Err(NormalizeError::Invalid {
                kind: c
                    .first()
                    .map_or(IdentifierKind::Phone, |n| n.identifier.kind()),
                code: "ambiguous",
                message: format!(
                    "the value could be a {}: give its kind",
                    c.iter()
                        .map(|n| n.identifier.kind().as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            }),
            Detection::None(e) => Err(e),
        },
    };
    match result {
        Ok(n) => (
            IdentifierDoc {
                id: Some(n.identifier.entity_id().0),
                reference: ident.reference.clone(),
                kind: Some(n.identifier.kind().as_str().to_owned()),
                canonical: Some(n.identifier.canonical().to_owned()),
                raw: ident.value.clone(),
                subtype: n.subtype.clone(),
                region: n.region.as_ref().map(|r| r.as_str().to_owned()),
                valid: n.valid,
                error: None,
            },
            Some(n),
        ),
        Err(e) => {
            // The message names the kind and the rule, never echoes more than the value's field.
            let fe = FieldError::new(format!("{at}.value"), e.code(), e.to_string());
            if keep_raw {
                let mut doc = raw_doc(ident, Some(fe));
                doc.raw = ident.value.chars().take(limits::MAX_TEXT).collect();
                (doc, None)
            } else {
                errs.0.push(fe);
                (raw_doc(ident, None), None)
            }
        }
    }
}

fn raw_doc(ident: &IdentifierIn, error: Option<FieldError>) -> IdentifierDoc {
    IdentifierDoc {
        id: None,
        reference: ident.reference.clone(),
        kind: ident.kind.clone(),
        canonical: None,
        raw: ident.value.clone(),
        subtype: None,
        region: None,
        valid: false,
        error,
    }
}

fn person(
    errs: &mut Errors,
    at: At,
    p: &PersonJson,
    report: ReportId,
    index: usize,
    ctx: &Context,
) -> (PersonJson, Vec<Normalized>) {
    let mut out = p.clone();
    out.id = Some(p.id.unwrap_or_else(|| local_id(report, p.reference.as_deref(), index).0));
    if p.names.is_empty() {
        errs.push(
            format!("{at}.names"),
            "required",
            "a person needs at least one name",
        );
    }
    for (j, n) in p.names.iter().enumerate() {
        errs.text(&format!("{at}.names[{j}].full"), &n.full, true);
    }
    for (j, a) in p.aliases.iter().enumerate() {
        errs.text(&format!("{at}.aliases[{j}]"), a, true);
    }
    if let Some(d) = &p.birth_date
        && !valid_partial_date(d)
    {
        errs.push(
            format!("{at}.birth_date"),
            "invalid_date",
            "YYYY, YYYY-MM or YYYY-MM-DD",
        );
    }
    for (j, c) in p.nationalities.iter().enumerate() {
        errs.country(&format!("{at}.nationalities[{j}]"), Some(c));
    }
    if let Some(s) = &p.sex
        && !matches!(s.as_str(), "female" | "male" | "other")
    {
        errs.push(format!("{at}.sex"), "invalid_sex", "female, male or other");
    }
    let mut docs = Vec::new();
    out.documents = Vec::new();
    for (j, d) in p.documents.iter().enumerate() {
        match normalize(IdentifierKind::Document, d, ctx) {
            Ok(n) => {
                out.documents.push(n.identifier.canonical().to_owned());
                docs.push(n);
            }
            Err(e) => errs.push(format!("{at}.documents[{j}]"), e.code(), e.to_string()),
        }
    }
    (out, docs)
}

fn organisation(
    errs: &mut Errors,
    at: At,
    o: &OrganisationJson,
    report: ReportId,
    index: usize,
) -> OrganisationJson {
    let mut out = o.clone();
    out.id = Some(o.id.unwrap_or_else(|| local_id(report, o.reference.as_deref(), index).0));
    errs.text(&format!("{at}.name"), &o.name, true);
    if !matches!(
        o.kind.as_str(),
        "syndicate" | "front_company" | "call_centre" | "other"
    ) {
        errs.push(
            format!("{at}.kind"),
            "invalid_kind",
            "syndicate, front_company, call_centre or other",
        );
    }
    for (j, c) in o.countries.iter().enumerate() {
        errs.country(&format!("{at}.countries[{j}]"), Some(c));
    }
    out
}

fn location(
    errs: &mut Errors,
    at: At,
    l: &LocationJson,
    report: ReportId,
    index: usize,
) -> LocationJson {
    let mut out = l.clone();
    out.id = Some(l.id.unwrap_or_else(|| local_id(report, l.reference.as_deref(), index).0));
    errs.text(&format!("{at}.name"), &l.name, true);
    if !matches!(
        l.kind.as_str(),
        "compound" | "city" | "border_crossing" | "airport" | "other"
    ) {
        errs.push(
            format!("{at}.kind"),
            "invalid_kind",
            "compound, city, border_crossing, airport or other",
        );
    }
    errs.country(&format!("{at}.country"), l.country.as_deref());
    match (l.lat, l.lon) {
        (None, None) => {}
        (Some(lat), Some(lon)) => {
            if warroom_domain::Coordinates::new(lat, lon).is_none() {
                errs.push(
                    format!("{at}.lat"),
                    "invalid_coordinates",
                    "lat in [-90, 90] and lon in [-180, 180]",
                );
            }
        }
        _ => errs.push(
            format!("{at}.lat"),
            "invalid_coordinates",
            "give both lat and lon, or neither",
        ),
    }
    out
}

fn local_id(report: ReportId, reference: Option<&str>, index: usize) -> EntityId {
    match reference {
        Some(r) => local_entity_id(report, &format!("ref:{r}")),
        None => local_entity_id(report, &format!("index:{index}")),
    }
}

fn relationship(
    errs: &mut Errors,
    at: At,
    r: &RelationshipJson,
    refs: &HashMap<String, EntityId>,
) -> Option<RelationshipJson> {
    let resolve = |errs: &mut Errors, field: &str, name: &str| -> Option<EntityId> {
        if let Some(id) = refs.get(name) {
            return Some(*id);
        }
        match Uuid::parse_str(name) {
            Ok(u) => Some(EntityId(u)),
            Err(_) => {
                errs.push(
                    format!("{at}.{field}"),
                    "unknown_ref",
                    format!(
                        "{:?} is neither the ref of an entity of this report nor an entity id",
                        clip(name)
                    ),
                );
                None
            }
        }
    };
    let source = resolve(errs, "source", &r.source);
    let target = resolve(errs, "target", &r.target);
    let mut via = Vec::new();
    for (j, v) in r.via.iter().enumerate() {
        if let Some(id) = resolve(errs, &format!("via[{j}]"), v) {
            via.push(id.0.to_string());
        }
    }
    const KINDS: [&str; 9] = [
        "uses",
        "owns",
        "member_of",
        "located_at",
        "controls",
        "recruited",
        "transferred_to",
        "travelled",
        "contacted",
    ];
    if !KINDS.contains(&r.kind.as_str()) {
        errs.push(
            format!("{at}.kind"),
            "invalid_kind",
            format!("expected one of {}", KINDS.join(", ")),
        );
    }
    if r.amount.is_some() && r.kind != "transferred_to" {
        errs.push(
            format!("{at}.amount"),
            "not_allowed",
            "only transferred_to carries an amount",
        );
    }
    if !r.via.is_empty() && r.kind != "travelled" {
        errs.push(
            format!("{at}.via"),
            "not_allowed",
            "only travelled goes via places",
        );
    }
    let amount = r
        .amount
        .as_ref()
        .and_then(|m| errs.money(&format!("{at}.amount"), m));
    let when = errs.time(&format!("{at}.at"), r.at.as_deref()).flatten();
    Some(RelationshipJson {
        source: source?.0.to_string(),
        target: target?.0.to_string(),
        kind: r.kind.clone(),
        amount,
        at: when.map(|t| t.to_string()),
        via,
    })
}

fn valid_partial_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u8>().unwrap_or(0)),
        [y, m, dd] => {
            num(y, 4)
                && num(m, 2)
                && num(dd, 2)
                && jiff::civil::Date::new(
                    y.parse().unwrap_or(0),
                    m.parse().unwrap_or(0),
                    dd.parse().unwrap_or(0),
                )
                .is_ok()
        }
        _ => false,
    }
}

/// At most 64 characters of a user's value, for messages.
fn clip(s: &str) -> String {
    s.chars().take(64).collect()
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// `Some(None)` when absent, `None` when invalid.
    fn time(&mut self, field: &str, value: Option<&str>) -> Option<Option<Timestamp>> {
        match value {
            None => Some(None),
            Some(v) => match v.parse::<Timestamp>() {
                Ok(t) => Some(Some(t)),
                Err(_) => {
                    self.push(
                        field,
                        "invalid_time",
                        "an RFC 3339 time with offset, such as 2026-11-29T08:30:00+07:00",
                    );
                    None
                }
            },
        }
    }

    fn country(&mut self, field: &str, value: Option<&str>) -> Option<CountryCode> {
        let v = value?;
        match CountryCode::parse(v) {
            Ok(c) => Some(c),
            Err(_) => {
                self.push(
                    field,
                    "invalid_country",
                    "an ISO 3166-1 alpha-2 country code such as TH",
                );
                None
            }
        }
    }

    fn money(&mut self, field: &str, m: &MoneyJson) -> Option<MoneyJson> {
        let amount_ok = {
            let (int, frac) = m.amount.split_once('.').unwrap_or((&m.amount, ""));
            !int.is_empty()
                && int.len() <= 15
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.len() <= 4
                && frac.bytes().all(|b| b.is_ascii_digit())
                && (frac.is_empty() != m.amount.contains('.'))
        };
        if !amount_ok {
            self.push(
                format!("{field}.amount"),
                "invalid_amount",
                "a non-negative decimal such as 12500.50",
            );
        }
        let currency = m.currency.to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            self.push(
                format!("{field}.currency"),
                "invalid_currency",
                "an ISO 4217 code such as THB",
            );
        }
        (amount_ok).then(|| MoneyJson {
            amount: m.amount.clone(),
            currency,
        })
    }

    fn distribution(&mut self, d: &DistributionJson) -> Option<Distribution> {
        if d.agencies.len() + d.groups.len() > limits::MAX_DISTRIBUTION {
            self.push(
                "distribution",
                "too_many",
                format!("at most {} agencies and groups", limits::MAX_DISTRIBUTION),
            );
            return None;
        }
        Some(Distribution {
            agencies: d.agencies.iter().map(|u| AgencyId(*u)).collect(),
            groups: d.groups.iter().map(|u| GroupId(*u)).collect(),
        })
    }

    fn text(&mut self, field: &str, value: &str, required: bool) {
        if required && value.trim().is_empty() {
            self.push(field, "required", "must not be empty");
        } else if value.len() > limits::MAX_TEXT {
            self.push(
                field,
                "too_long",
                format!("at most {} bytes", limits::MAX_TEXT),
            );
        }
    }
}
