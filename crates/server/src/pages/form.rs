//! Form bodies (`application/x-www-form-urlencoded`), with repeated fields, and the checks
//! every state-changing form passes: same origin, then the session's CSRF token.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Largest form body read (a narrative fits many times).
pub const MAX_FORM: usize = 256 * 1024;

#[derive(Debug, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, or "".
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").trim().to_owned()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Reads a form that changes something: this origin, at most [`MAX_FORM`] bytes, and the
/// session's CSRF token; the refusal is the response to send.
pub async fn read(
    page: &super::Page,
    req: axum::extract::Request,
) -> Result<(axum::http::request::Parts, FormData), Box<Response>> {
    let (parts, body) = req.into_parts();
    same_origin(&parts.headers)?;
    let bytes = axum::body::to_bytes(body, MAX_FORM)
        .await
        .map_err(|_| Box::new((StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response()))?;
    let f = FormData::parse(&bytes);
    page.check_csrf(f.get("csrf"))?;
    Ok((parts, f))
}

/// Refuses a state-changing request whose `Origin` (or, without it, `Referer`) names another
/// origin than the one it was sent to. Browsers send `Origin` on every cross-site POST.
pub fn same_origin(headers: &HeaderMap) -> Result<(), Box<Response>> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(from) = from else {
        // Non-browser clients send neither; the CSRF token still has to match.
        return Ok(());
    };
    let from_host = from
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(""));
    match (host, from_host) {
        (Some(h), Some(f)) if h.eq_ignore_ascii_case(f) => Ok(()),
        _ => Err(Box::new(
            (StatusCode::FORBIDDEN, "cross-origin form refused").into_response(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn repeated_fields_and_encoding_are_read() {
        let f = FormData::parse(b"method=a&method=b+c&q=%E0%B9%84&empty=");
        assert_eq!(f.all("method"), vec!["a", "b c"]);
        assert_eq!(f.get("q"), Some("ไ"));
        assert_eq!(f.text("missing"), "");
    }

    #[test]
    fn cross_origin_posts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(same_origin(&h).is_err());
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(same_origin(&h).is_err());
    }
}
