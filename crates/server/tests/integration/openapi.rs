//! The OpenAPI document: 3.1, every documented operation routed, and valid according to the
//! external `openapi-spec-validator` (pinned in requirements-test.txt).
//!
//! Without Python and the validator the test fails, it never skips: run `cargo xtask test`,
//! which creates `.venv` from `requirements-test.txt`, or point `WARROOM_PYTHON` at a Python
//! that has the pinned version.

use super::common::{TestNode, World};
use axum::body::Body;
use axum::http::{StatusCode, header};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fail_setup(why: &str) -> ! {
    panic!(
        "OpenAPI validation test: {why}; run `cargo xtask test` (it creates .venv from \
         requirements-test.txt) or set WARROOM_PYTHON to a Python with the pinned \
         openapi-spec-validator"
    )
}

/// The interpreter, checked to have the `openapi-spec-validator` version pinned in
/// requirements-test.txt.
fn python() -> PathBuf {
    let root = workspace_root();
    let python = match std::env::var_os("WARROOM_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => root.join(".venv/bin/python"),
    };
    if !python.exists() {
        fail_setup(&format!("no Python at {}", python.display()));
    }
    let pinned = std::fs::read_to_string(root.join("requirements-test.txt"))
        .ok()
        .and_then(|reqs| {
            reqs.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("openapi-spec-validator==")
                    .map(str::to_owned)
            })
        })
        .unwrap_or_else(|| fail_setup("requirements-test.txt does not pin openapi-spec-validator"));
    let out = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m, openapi_spec_validator; print(m.version('openapi-spec-validator'))",
        ])
        .output()
        .unwrap_or_else(|e| fail_setup(&format!("cannot run {}: {e}", python.display())));
    if !out.status.success() {
        fail_setup(&format!(
            "`import openapi_spec_validator` fails in {}",
            python.display()
        ));
    }
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if version != pinned.trim() {
        fail_setup(&format!(
            "{} has openapi-spec-validator {version}, requirements-test.txt pins {pinned}",
            python.display()
        ));
    }
    python
}

async fn served_document(t: &TestNode) -> Value {
    let (status, doc) = t.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    doc
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_every_documented_operation_is_routed() {
    let w = World::new();
    let t = &w.t;
    t.node
        .start_correlation_and_wait(warroom_node::CorrelationOptions::default())
        .unwrap();
    let doc = served_document(t).await;
    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3.1"), "openapi is {version:?}");
    assert_eq!(
        doc["servers"][0]["url"], "/api/v1",
        "paths are relative to /api/v1"
    );
    assert_eq!(
        doc,
        serde_json::to_value(warroom_server::openapi()).unwrap(),
        "the served document is the built one"
    );

    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                operations.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    for expected in [
        ("POST", "/reports"),
        ("GET", "/reports/{id}"),
        ("POST", "/reports:bulk"),
        ("GET", "/entities/lookup"),
        ("GET", "/audit"),
    ] {
        assert!(
            operations
                .iter()
                .any(|(m, p)| m == expected.0 && p == expected.1),
            "{expected:?} is not documented: {operations:?}"
        );
    }

    // Call each one, as an admin of the TH agency, with ids that exist nowhere: a routed
    // operation answers anything but the router's own 404 and 405.
    let id = uuid::Uuid::new_v4().to_string();
    for (method, path) in &operations {
        let concrete = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') && seg.ends_with('}') {
                    id.as_str()
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let url = format!(
            "/api/v1{concrete}{}",
            if path == "/entities/lookup" {
                "?value=x"
            } else if path == "/search" {
                "?q=x"
            } else {
                ""
            }
        );
        let mut b = TestNode::request(method, &url, Some(&w.admin.token));
        let body = if ["POST", "PUT", "PATCH"].contains(&method.as_str()) {
            let ct = if path.ends_with(":bulk") {
                "application/x-ndjson"
            } else {
                "application/json"
            };
            b = b.header(header::CONTENT_TYPE, ct);
            Body::from("{}")
        } else {
            Body::empty()
        };
        if path.ends_with("/stream") {
            // An endless event stream: its status is the answer.
            use tower::ServiceExt;
            let resp = t.app.clone().oneshot(b.body(body).unwrap()).await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "{method} {path}");
            continue;
        }
        let reply = t.send(b.body(body).unwrap()).await;
        let code = reply.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !(reply.status == StatusCode::NOT_FOUND && code == "no_route")
                && reply.status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but not routed: {} {}",
            reply.status,
            reply.text()
        );
        assert!(
            !reply.status.is_server_error(),
            "{method} {path}: {} {}",
            reply.status,
            reply.text()
        );
    }
}

#[tokio::test]
async fn the_document_passes_openapi_spec_validator() {
    let python = python();
    let t = TestNode::new();
    let doc = served_document(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = Command::new(&python)
        .args([
            "-m",
            "openapi_spec_validator",
            "--schema",
            "3.1",
            "--validation-errors",
            "all",
        ])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| fail_setup(&format!("cannot run {}: {e}", python.display())));
    assert!(
        out.status.success(),
        "openapi-spec-validator refuses the document:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
