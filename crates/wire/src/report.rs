use crate::entity::{EntityDoc, EntityIn};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A report as a client submits it (`POST /api/v1/reports`, one line of `reports:bulk` or of
/// `warroom import`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportIn {
    /// Chosen by the client to make re-submission idempotent; the node picks one otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// `victim_complaint`, `intelligence`, `arrest`, `raid`, `seizure`, `travel_record`,
    /// `trafficking_referral`, `financial_trace` or `advisory`.
    pub kind: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    /// RFC 3339; the time of submission when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<String>,
    /// Scam method slugs (`fake_police`, `pig_butchering`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    #[serde(default)]
    pub narrative: String,
    /// BCP 47 tag of the narrative (`th`, `en`, `ja`, `hi`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<MoneyJson>,
    /// ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim_country: Option<String>,
    /// TLP 2.0: `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT` or `RED`.
    pub marking: String,
    #[serde(default)]
    pub distribution: DistributionJson,
    /// Whether other agencies' matches on this report's identifiers raise hit notices (true
    /// when absent). Off, the report makes no hits, and an agency that may not read it is not
    /// told its owner holds the identifier (no `held_by` in lookups or search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_notices: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityIn>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relationships: Vec<RelationshipJson>,
    /// `reject` (the default): an identifier that does not normalise rejects the report, naming
    /// the field. `keep_raw`: it is kept as raw text, with the reason, and correlates with
    /// nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_identifiers: Option<String>,
}

/// Who a report is addressed to (SPEC section 4). AMBER+STRICT and RED take agencies only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistributionJson {
    #[serde(default)]
    pub agencies: Vec<Uuid>,
    #[serde(default)]
    pub groups: Vec<Uuid>,
}

/// An amount in a currency: a decimal string (`"12500.50"`) and an ISO 4217 code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyJson {
    pub amount: String,
    pub currency: String,
}

/// A typed edge between two entities of the report. In input, `source`, `target` and `via`
/// name entities by their `ref` (or id); stored and returned, by entity id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationshipJson {
    pub source: String,
    pub target: String,
    /// `uses`, `owns`, `member_of`, `located_at`, `controls`, `recruited`, `transferred_to`,
    /// `travelled` or `contacted`.
    pub kind: String,
    /// For `transferred_to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyJson>,
    /// RFC 3339; for `transferred_to`, `travelled` and `contacted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// For `travelled`: the places passed through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
}

/// What the store keeps as a report's document: the parts that are not indexed columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportBody {
    pub narrative: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<MoneyJson>,
    pub entities: Vec<EntityDoc>,
    pub relationships: Vec<RelationshipJson>,
}

/// A report as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportOut {
    pub id: Uuid,
    pub owner: Uuid,
    pub author: Uuid,
    pub kind: String,
    pub marking: String,
    pub distribution: DistributionJson,
    pub methods: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim_country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    pub reported_at: String,
    /// When this version was stored.
    pub recorded_at: String,
    pub version: u32,
    /// Set when the owner retracted the report; the content is then withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracted_at: Option<String>,
    pub hit_notices: bool,
    /// Absent on a retracted report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<ReportBody>,
}

/// Where a [`ReportIn`] document must hold objects. serde's derived structs also accept a JSON
/// array of the fields in order, which no client means and which would make a typo'd document
/// silently valid; the server checks these positions before deserialising.
pub fn report_shape_error(v: &serde_json::Value) -> Option<(String, &'static str)> {
    use serde_json::Value;
    let object = |v: &Value| v.is_object() || v.is_null();
    let Value::Object(root) = v else {
        return Some((String::new(), "a report is a JSON object"));
    };
    for key in ["distribution", "loss"] {
        if root.get(key).is_some_and(|x| !object(x)) {
            return Some((key.to_owned(), "must be an object"));
        }
    }
    let items = |key: &str| {
        root.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
    };
    for (i, e) in items("entities") {
        if !e.is_object() {
            return Some((
                format!("entities[{i}]"),
                "an entity is an object with a type",
            ));
        }
        for (j, n) in e
            .get("names")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if !n.is_object() {
                return Some((
                    format!("entities[{i}].names[{j}]"),
                    "a name is an object with `full`",
                ));
            }
        }
    }
    for (i, r) in items("relationships") {
        if !r.is_object() {
            return Some((format!("relationships[{i}]"), "a relationship is an object"));
        }
        if r.get("amount").is_some_and(|x| !object(x)) {
            return Some((format!("relationships[{i}].amount"), "must be an object"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_where_objects_belong_are_named() {
        let ok = json!({"kind": "x", "marking": "RED", "distribution": {"agencies": []},
            "entities": [{"type": "person", "names": [{"full": "A"}]}],
            "relationships": [{"source": "a", "target": "b", "kind": "uses", "amount": null}]});
        assert_eq!(report_shape_error(&ok), None);
        let cases = [
            (json!([null, "intelligence"]), ""),
            (json!({"distribution": [[], []]}), "distribution"),
            (json!({"loss": ["1", "THB"]}), "loss"),
            (json!({"entities": [["identifier"]]}), "entities[0]"),
            (
                json!({"entities": [{"type": "person", "names": [["A"]]}]}),
                "entities[0].names[0]",
            ),
            (
                json!({"relationships": [{"amount": ["1", "THB"]}]}),
                "relationships[0].amount",
            ),
            (
                json!({"relationships": [["a", "b", "uses"]]}),
                "relationships[0]",
            ),
        ];
        for (v, path) in cases {
            assert_eq!(
                report_shape_error(&v).map(|e| e.0),
                Some(path.to_owned()),
                "{v}"
            );
        }
    }
}
