use super::report_form::Choice;
use crate::Chrome;
use askama::Template;

/// The admin page: agencies, users, sharing groups, API tokens and the warninglist, each
/// with its form. Only admins reach it (the node refuses the actions to anyone else).
#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub chrome: Chrome,
    pub agencies: Vec<AgencyRow>,
    pub users: Vec<UserRow>,
    pub groups: Vec<GroupRow>,
    pub tokens: Vec<TokenRow>,
    pub warnings: Vec<WarningRow>,
    /// Agencies to choose from in the forms.
    pub agency_choices: Vec<Choice>,
    pub roles: Vec<String>,
    /// A secret shown once (a new user's password or a new token).
    pub secret: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgencyRow {
    pub id: String,
    pub name: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub agency: String,
    pub roles: Vec<String>,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TokenRow {
    pub id: String,
    pub user: String,
    pub name: String,
    pub created: String,
    pub expires: String,
    pub revoked: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WarningRow {
    pub key: String,
    pub kind: String,
    pub value: String,
    pub reason: String,
    pub source: String,
}
