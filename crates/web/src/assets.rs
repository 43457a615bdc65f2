//! The static assets the binary serves: stylesheet and scripts, compiled in. Their URLs carry
//! a hash of their content (`/assets/<hash>/<name>`), so a browser may cache them forever and
//! still never runs a stale script after an upgrade.

use sha2::{Digest, Sha256};
use std::sync::LazyLock;

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
    /// The first 12 hex digits of the content's SHA-256.
    pub hash: String,
}

macro_rules! assets {
    ($(($name:literal, $type:literal)),* $(,)?) => {
        &[$(($name, $type, include_bytes!(concat!("../assets/", $name)) as &[u8])),*]
    };
}

const FILES: &[(&str, &str, &[u8])] = assets![
    ("app.css", "text/css; charset=utf-8"),
    ("live.js", "text/javascript; charset=utf-8"),
    ("map.js", "text/javascript; charset=utf-8"),
    ("graph.js", "text/javascript; charset=utf-8"),
    ("favicon.svg", "image/svg+xml"),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, content_type, bytes)| {
            let digest = Sha256::digest(bytes);
            let hash = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
            Asset {
                name,
                content_type,
                bytes,
                hash,
            }
        })
        .collect()
});

/// The asset called `name`, if it exists.
pub fn get(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

/// The URL of the asset called `name` (with its content hash).
pub fn url(name: &str) -> String {
    match get(name) {
        Some(a) => format!("/assets/{}/{}", a.hash, a.name),
        None => format!("/assets/missing/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_served_under_its_content_hash() {
        for (name, _, bytes) in FILES {
            let a = get(name).expect("listed");
            assert!(!bytes.is_empty(), "{name} is empty");
            assert_eq!(url(name), format!("/assets/{}/{name}", a.hash));
            assert_eq!(a.hash.len(), 12);
        }
        assert!(get("nope.js").is_none());
        assert_ne!(
            get("app.css").map(|a| &a.hash),
            get("live.js").map(|a| &a.hash)
        );
    }

    #[test]
    fn no_asset_names_another_host() {
        for (name, _, bytes) in FILES {
            let text = String::from_utf8_lossy(bytes);
            for scheme in ["http://", "https://", "//cdn", "@import url("] {
                // The SVG namespace is an identifier, not a request.
                let hits = text
                    .match_indices(scheme)
                    .filter(|(i, _)| !text[*i..].starts_with("http://www.w3.org/"))
                    .count();
                assert_eq!(hits, 0, "{name} names another host with {scheme}");
            }
        }
    }
}
