//! A report being written: entities with local refs, relationships, marking and distribution,
//! and what the ground truth must learn from it.

use crate::agencies::{A, G, World};
use crate::clock::rfc3339;
use crate::country::Cc;
use crate::infra::{Item, Loc};
use crate::noise::Noise;
use crate::people::Identity;
use crate::places::Place;
use crate::rng::{WRng, between, chance};
use crate::truth::TravelTruth;
use uuid::Uuid;
use warroom_wire::{
    DistributionJson, EntityIn, IdentifierIn, MoneyJson, OrganisationJson, RelationshipJson,
    ReportIn,
};

#[derive(Debug)]
pub(crate) struct Draft {
    pub agency: A,
    pub kind: &'static str,
    pub occurred: Option<i64>,
    pub reported: i64,
    pub methods: Vec<&'static str>,
    pub narrative: String,
    pub language: &'static str,
    /// Major units and currency.
    pub loss: Option<(u64, &'static str)>,
    pub victim_country: Option<Cc>,
    pub marking: &'static str,
    pub groups: Vec<G>,
    pub agencies: Vec<A>,
    pub hit_notices: Option<bool>,
    pub entities: Vec<EntityIn>,
    pub relationships: Vec<RelationshipJson>,
    pub keep_raw: bool,
    pub syndicate: Option<usize>,
    /// People recorded: entity ref and the real person.
    pub persons: Vec<(String, Identity)>,
    /// Identifiers written validly, with where they live.
    pub items: Vec<(Item, Option<Loc>)>,
    pub travel: Option<TravelTruth>,
    pub noise_only: bool,
    pub invalid: u32,
    pub sightings: u32,
    next_ref: u32,
}

impl Draft {
    pub(crate) fn new(agency: A, kind: &'static str, reported: i64) -> Self {
        Self {
            agency,
            kind,
            occurred: None,
            reported,
            methods: Vec::new(),
            narrative: String::new(),
            language: agency.country().language(),
            loss: None,
            victim_country: None,
            marking: "GREEN",
            groups: Vec::new(),
            agencies: Vec::new(),
            hit_notices: None,
            entities: Vec::new(),
            relationships: Vec::new(),
            keep_raw: false,
            syndicate: None,
            persons: Vec::new(),
            items: Vec::new(),
            travel: None,
            noise_only: false,
            invalid: 0,
            sightings: 0,
            next_ref: 0,
        }
    }

    pub(crate) fn reporter(&self) -> Cc {
        self.agency.country()
    }

    /// Whether an officer (not a victim) writes the report.
    pub(crate) fn official(&self) -> bool {
        self.kind != "victim_complaint"
    }

    fn new_ref(&mut self, prefix: &str) -> String {
        self.next_ref += 1;
        format!("{prefix}{}", self.next_ref)
    }

    /// RFC 3339 in the agency's time zone.
    pub(crate) fn at(&self, t: i64) -> String {
        rfc3339(t, self.reporter().offset_min())
    }

    /// A relationship's time: never after the report was made.
    fn rel_time(&self, t: i64) -> String {
        self.at(t.min(self.reported))
    }

    /// Adds an identifier, written validly; returns its ref and the writing.
    pub(crate) fn item(
        &mut self,
        item: &Item,
        loc: Option<Loc>,
        rng: &mut WRng,
    ) -> (String, String) {
        let w = item
            .value
            .write(&item.canonical, self.reporter(), self.official(), rng);
        let r = self.new_ref("i");
        self.entities.push(EntityIn::Identifier(IdentifierIn {
            reference: Some(r.clone()),
            kind: w.kind.map(str::to_owned),
            value: w.value.clone(),
            region: w.region.map(str::to_owned),
        }));
        self.sightings += 1;
        self.items.push((item.clone(), loc));
        (r, w.value)
    }

    /// Adds an identifier whose writing does not normalise: the report keeps it raw.
    pub(crate) fn raw(&mut self, kind: &'static str, raw: String) -> String {
        let r = self.new_ref("i");
        self.entities.push(EntityIn::Identifier(IdentifierIn {
            reference: Some(r.clone()),
            kind: Some(kind.to_owned()),
            value: raw,
            region: None,
        }));
        self.keep_raw = true;
        self.invalid += 1;
        self.sightings += 1;
        r
    }

    /// Adds a noise value as an identifier (short codes are kept raw); returns the writing.
    pub(crate) fn noise(&mut self, n: &Noise, rng: &mut WRng) -> String {
        let w = n.write(self.reporter(), rng);
        let r = self.new_ref("i");
        self.entities.push(EntityIn::Identifier(IdentifierIn {
            reference: Some(r),
            kind: Some(n.kind.as_str().to_owned()),
            value: w.clone(),
            region: None,
        }));
        if n.canonical.is_none() {
            self.keep_raw = true;
        }
        self.sightings += 1;
        w
    }

    /// Adds a person as this agency records them.
    pub(crate) fn person(&mut self, id: &Identity, formal: bool, rng: &mut WRng) -> String {
        let r = self.new_ref("p");
        let p = id.render(self.reporter(), formal, r.clone(), rng);
        self.sightings += p.documents.len() as u32;
        self.entities.push(EntityIn::Person(p));
        self.persons.push((r.clone(), id.clone()));
        r
    }

    pub(crate) fn place(&mut self, p: Place) -> String {
        let r = self.new_ref("l");
        self.entities
            .push(EntityIn::Location(p.entity(r.clone(), self.language)));
        r
    }

    pub(crate) fn org(
        &mut self,
        name: &str,
        aliases: &[&str],
        kind: &str,
        countries: &[Cc],
    ) -> String {
        let r = self.new_ref("o");
        self.entities.push(EntityIn::Organisation(OrganisationJson {
            id: None,
            reference: Some(r.clone()),
            name: name.to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            kind: kind.to_owned(),
            countries: countries.iter().map(|c| c.code().to_owned()).collect(),
        }));
        r
    }

    pub(crate) fn rel(&mut self, source: &str, target: &str, kind: &str) {
        self.relationships.push(RelationshipJson {
            source: source.to_owned(),
            target: target.to_owned(),
            kind: kind.to_owned(),
            amount: None,
            at: None,
            via: Vec::new(),
        });
    }

    pub(crate) fn rel_at(&mut self, source: &str, target: &str, kind: &str, at: i64) {
        let at = self.rel_time(at);
        self.relationships.push(RelationshipJson {
            source: source.to_owned(),
            target: target.to_owned(),
            kind: kind.to_owned(),
            amount: None,
            at: Some(at),
            via: Vec::new(),
        });
    }

    pub(crate) fn transfer(
        &mut self,
        source: &str,
        target: &str,
        amount: String,
        currency: &str,
        at: i64,
    ) {
        let at = self.rel_time(at);
        self.relationships.push(RelationshipJson {
            source: source.to_owned(),
            target: target.to_owned(),
            kind: "transferred_to".into(),
            amount: Some(MoneyJson {
                amount,
                currency: currency.to_owned(),
            }),
            at: Some(at),
            via: Vec::new(),
        });
    }

    pub(crate) fn travelled(&mut self, person: &str, to: &str, via: Vec<String>, at: i64) {
        let at = self.rel_time(at);
        self.relationships.push(RelationshipJson {
            source: person.to_owned(),
            target: to.to_owned(),
            kind: "travelled".into(),
            amount: None,
            at: Some(at),
            via,
        });
    }

    /// Marking and distribution by report kind, the way each kind is usually shared.
    pub(crate) fn mark(&mut self, rng: &mut WRng) {
        let own = self.agency;
        let bilateral = A::bilateral(self.victim_country.unwrap_or(own.country()));
        let bilateral = if own.country() == Cc::Th && bilateral == G::WarRoom {
            G::WarRoom
        } else if own.country() == Cc::Th {
            bilateral
        } else {
            A::bilateral(own.country())
        };
        let roll = between(rng, 0, 99);
        let (marking, groups, agencies): (&str, Vec<G>, Vec<A>) = match self.kind {
            "advisory" => ("CLEAR", vec![], vec![]),
            "victim_complaint" => match roll {
                0..=49 => ("GREEN", vec![], vec![]),
                50..=84 => ("AMBER", vec![bilateral], vec![]),
                85..=94 => ("AMBER+STRICT", vec![], dedup(vec![own, A::ThAoc])),
                _ => ("RED", vec![], vec![own]),
            },
            "financial_trace" => match roll {
                0..=79 => ("AMBER", dedup_g(vec![G::Banks, bilateral]), vec![]),
                _ => ("AMBER+STRICT", vec![], dedup(vec![own, A::ThAmlo])),
            },
            "travel_record" => match roll {
                0..=84 => ("AMBER", vec![G::Mekong], vec![]),
                _ => ("AMBER+STRICT", vec![], dedup(vec![own, A::UsHsi])),
            },
            "trafficking_referral" => match roll {
                0..=89 => ("AMBER", dedup_g(vec![G::Mekong, bilateral]), vec![]),
                _ => ("GREEN", vec![], vec![]),
            },
            _ if own == A::ThTelco => ("AMBER", vec![G::Telecom], vec![]),
            _ => match roll {
                0..=14 => ("GREEN", vec![], vec![]),
                15..=74 => ("AMBER", dedup_g(vec![G::WarRoom, bilateral]), vec![]),
                75..=89 => ("AMBER+STRICT", vec![], dedup(vec![own, A::ThCcib])),
                _ => ("RED", vec![], vec![own]),
            },
        };
        self.marking = marking;
        self.groups = groups;
        self.agencies = agencies;
        if marking == "RED" && chance(rng, 0.5) {
            self.hit_notices = Some(false);
        }
    }

    /// The report as submitted (takes the entities and relationships out of the draft).
    pub(crate) fn report(&mut self, world: &World, id: Uuid) -> ReportIn {
        ReportIn {
            id: Some(id),
            kind: self.kind.to_owned(),
            occurred_at: self.occurred.map(|t| self.at(t)),
            reported_at: Some(self.at(self.reported)),
            methods: self.methods.iter().map(|m| (*m).to_owned()).collect(),
            narrative: std::mem::take(&mut self.narrative),
            language: Some(self.language.to_owned()),
            loss: self.loss.map(|(amount, currency)| MoneyJson {
                amount: amount.to_string(),
                currency: currency.to_owned(),
            }),
            victim_country: self.victim_country.map(|c| c.code().to_owned()),
            marking: self.marking.to_owned(),
            distribution: DistributionJson {
                agencies: self.agencies.iter().map(|a| world.agency(*a).id).collect(),
                groups: self.groups.iter().map(|g| world.group(*g).id).collect(),
            },
            hit_notices: self.hit_notices,
            entities: std::mem::take(&mut self.entities),
            relationships: std::mem::take(&mut self.relationships),
            invalid_identifiers: self.keep_raw.then(|| "keep_raw".to_owned()),
        }
    }
}

fn dedup(mut v: Vec<A>) -> Vec<A> {
    v.sort();
    v.dedup();
    v
}

fn dedup_g(v: Vec<G>) -> Vec<G> {
    let mut out: Vec<G> = Vec::new();
    for g in v {
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}
