use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An entity as submitted: `{"type": "identifier" | "person" | "organisation" | "location", ...}`.
///
/// Deserialised by hand: serde's internally tagged enums buffer the object and lose the path
/// of an error inside it, and a client must be told `entities[2].value`, not `entities[2]`.
/// Errors inside carry their inner path as a leading `at <path>: ` that the server joins to the
/// outer one.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntityIn {
    Identifier(IdentifierIn),
    Person(PersonJson),
    Organisation(OrganisationJson),
    Location(LocationJson),
}

/// An identifier as written by the reporter. `kind` is detected when absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierIn {
    /// The name relationships use for this entity within the report.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `phone`, `messaging`, `email`, `url`, `domain`, `ip`, `bank_account`, `crypto_wallet`,
    /// `imei` or `document`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub value: String,
    /// The region national writings are read in; the owner agency's country when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// An entity as stored and returned: ids filled in, identifiers canonical beside their raw form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntityDoc {
    Identifier(IdentifierDoc),
    Person(PersonJson),
    Organisation(OrganisationJson),
    Location(LocationJson),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IdentifierDoc {
    /// The entity id (deterministic from the canonical form); absent when kept raw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The canonical form; absent when the value did not normalise and was kept raw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    pub raw: String,
    /// Number type, chain and token, and the like.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// False for a possible but unassigned number, or a value kept raw.
    pub valid: bool,
    /// Why the value did not normalise, when kept raw: `{code, message}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::FieldError>,
}

/// A person, under every name the reporter knows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub names: Vec<NameJson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Passport and ID numbers, written `CC:number` or as the document normaliser reads them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    /// `female`, `male` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameJson {
    pub full: String,
    /// ISO 15924 (`Thai`, `Jpan`, `Deva`, `Latn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub romanisations: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// `syndicate`, `front_company`, `call_centre` or `other`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub name: String,
    /// `compound`, `city`, `border_crossing`, `airport` or `other`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// The entity types, as written in `type`.
pub const ENTITY_TYPES: [&str; 4] = ["identifier", "person", "organisation", "location"];

impl<'de> Deserialize<'de> for EntityIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let ty = match map.remove("type") {
            Some(serde_json::Value::String(s)) => s,
            Some(_) => {
                return Err(D::Error::custom(
                    "at type: invalid type: the entity type is a string",
                ));
            }
            None => return Err(D::Error::missing_field("type")),
        };
        let rest = serde_json::Value::Object(map);
        fn inner<T: DeserializeOwned, E: serde::de::Error>(v: serde_json::Value) -> Result<T, E> {
            serde_path_to_error::deserialize(v).map_err(|e| {
                let path = e.path().to_string();
                E::custom(format!("at {path}: {}", e.into_inner()))
            })
        }
        match ty.as_str() {
            "identifier" => inner(rest).map(EntityIn::Identifier),
            "person" => inner(rest).map(EntityIn::Person),
            "organisation" => inner(rest).map(EntityIn::Organisation),
            "location" => inner(rest).map(EntityIn::Location),
            other => Err(D::Error::custom(format!(
                "at type: unknown variant `{}`, expected one of `{}`",
                other.chars().take(64).collect::<String>(),
                ENTITY_TYPES.join("`, `")
            ))),
        }
    }
}
