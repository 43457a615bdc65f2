use crate::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub chrome: Chrome,
    /// Where to go after logging in (a local path).
    pub next: String,
    pub username: String,
    pub error: Option<String>,
}
