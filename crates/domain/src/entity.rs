//! Entities: what reports talk about. Identifier entities are keyed by their canonical form;
//! people, organisations and places are not identifiers and carry their own attributes.

use crate::country::CountryCode;
use crate::identifier::Identifier;
use crate::ids::EntityId;

#[derive(Clone, Debug, PartialEq)]
pub enum Entity {
    Identifier(Identifier),
    Person(Person),
    Organisation(Organisation),
    Location(Location),
}

impl Entity {
    /// Identifier entities derive their id from the canonical form; other entities carry
    /// the id their reporter gave them.
    pub fn id(&self) -> EntityId {
        match self {
            Entity::Identifier(i) => i.entity_id(),
            Entity::Person(p) => p.id,
            Entity::Organisation(o) => o.id,
            Entity::Location(l) => l.id,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Entity::Identifier(i) => i.kind().as_str(),
            Entity::Person(_) => "person",
            Entity::Organisation(_) => "organisation",
            Entity::Location(_) => "location",
        }
    }
}

/// One written form of a person's name: the name as written, its script (ISO 15924, e.g.
/// `Thai`, `Jpan`, `Deva`, `Latn`) and, where known, romanisations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName {
    pub full: String,
    pub script: Option<String>,
    pub romanisations: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    Female,
    Male,
    Other,
}

/// A date that may be partly known (day or month missing), as records often are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: EntityId,
    pub names: Vec<PersonName>,
    pub aliases: Vec<String>,
    pub birth_date: Option<PartialDate>,
    pub nationalities: Vec<CountryCode>,
    /// Identity documents, as `Document` identifiers.
    pub documents: Vec<Identifier>,
    pub sex: Option<Sex>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    Syndicate,
    FrontCompany,
    CallCentre,
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Organisation {
    pub id: EntityId,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: OrganisationKind,
    pub countries: Vec<CountryCode>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocationKind {
    Compound,
    City,
    BorderCrossing,
    Airport,
    Other,
}

/// WGS 84 coordinates in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl Coordinates {
    /// Rejects out-of-range or non-finite values.
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
            .then_some(Self { lat, lon })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub id: EntityId,
    pub name: String,
    pub kind: LocationKind,
    pub country: Option<CountryCode>,
    pub coordinates: Option<Coordinates>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_reject_out_of_range_and_nan() {
        assert!(Coordinates::new(16.7, 98.5).is_some());
        assert!(Coordinates::new(91.0, 0.0).is_none());
        assert!(Coordinates::new(0.0, -181.0).is_none());
        assert!(Coordinates::new(f64::NAN, 0.0).is_none());
    }
}
