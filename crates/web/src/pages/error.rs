use crate::Chrome;
use askama::Template;

/// An error page: the status, a title and a readable message (never a detail of what the
/// viewer may not see).
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub title: String,
    pub message: String,
}
