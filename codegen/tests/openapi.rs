//! The OpenAPI export parses as OpenAPI 3.0 (openapiv3) and says what the
//! IR says: one operation per IR operation, placeholders declared as path
//! parameters, bodies and responses present.

use std::collections::BTreeSet;
use std::path::Path;

use aliyun_codegen::Config;
use aliyun_codegen::ir::{BodyKind, Product};
use aliyun_codegen::stages::openapi;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, StatusCode};

#[path = "../benches/support/mod.rs"]
mod support;

fn products(specs: &Path) -> Vec<Product> {
    match Config::new().specs(specs).load() {
        Ok(loaded) => loaded.products,
        Err(e) => panic!("{e}"),
    }
}

fn validate(product: &Product) {
    let value = openapi::document(product);
    let text = openapi::to_json(product);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&text).ok(), Some(value.clone()));
    let doc: OpenAPI = match serde_json::from_value(value) {
        Ok(doc) => doc,
        Err(e) => panic!("{}: not an OpenAPI 3.0 document: {e}", product.product),
    };
    assert!(doc.openapi.starts_with("3.0"));

    let mut ids = BTreeSet::new();
    for (path, method, op) in doc.operations() {
        let id = op.operation_id.clone().unwrap_or_default();
        assert!(ids.insert(id.clone()), "operationId {id} twice");
        let ir =
            product.operations.iter().find(|o| o.name == id).unwrap_or_else(|| panic!("{id} is not an IR operation"));
        assert_eq!(method, ir.method.to_ascii_lowercase(), "{id}: method");

        // Every `{Name}` of the path is a required path parameter.
        let params: Vec<&Parameter> = op
            .parameters
            .iter()
            .map(|p| match p {
                ReferenceOr::Item(p) => p,
                ReferenceOr::Reference { .. } => panic!("{id}: unexpected parameter reference"),
            })
            .collect();
        let path = path.split('#').next().unwrap_or(path);
        for placeholder in path.split('{').skip(1).filter_map(|s| s.split('}').next()) {
            let found = params.iter().any(|p| {
                matches!(p, Parameter::Path { parameter_data, .. } if parameter_data.name == placeholder && parameter_data.required)
            });
            assert!(found, "{id}: placeholder {{{placeholder}}} has no required path parameter");
        }
        let distinct: BTreeSet<_> = ir.params.iter().map(|p| (p.location, p.name.as_str())).collect();
        assert!(params.len() >= distinct.len(), "{id}: parameters lost");

        // Bodies: present exactly when the IR has one.
        assert_eq!(op.request_body.is_some(), ir.body.is_some(), "{id}: request body");
        if let (Some(ReferenceOr::Item(body)), Some(b)) = (&op.request_body, &ir.body) {
            let media = body.content.get("application/json").unwrap_or_else(|| panic!("{id}: body is not JSON"));
            assert!(media.schema.is_some() || b.kind == BodyKind::Opaque, "{id}: body schema");
        }

        // 200 with a schema when the IR documents a response; one response
        // per error status.
        let ok = op.responses.responses.get(&StatusCode::Code(200)).unwrap_or_else(|| panic!("{id}: no 200"));
        if let ReferenceOr::Item(ok) = ok {
            assert_eq!(ok.content.contains_key("application/json"), !ir.response.is_empty(), "{id}: 200 content");
        }
        let statuses: BTreeSet<u16> = ir.errors.iter().map(|e| e.status).filter(|s| (400..=599).contains(s)).collect();
        for status in statuses {
            assert!(op.responses.responses.contains_key(&StatusCode::Code(status)), "{id}: no {status} response");
        }
    }
    let expected: BTreeSet<String> = product.operations.iter().map(|o| o.name.clone()).collect();
    assert_eq!(ids, expected, "{}: operations", product.product);
}

#[test]
fn specs_export_is_valid_openapi() {
    for product in products(&support::workspace_dir().join("specs")) {
        validate(&product);
    }
}

#[test]
fn corpus_export_is_valid_openapi() {
    let Some(docs) = support::corpus_docs() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let specs = support::write_specs(&tmp.path().join("specs"), &support::scaled_pages(&docs, 1));
    let products = products(&specs);
    assert_eq!(products.len(), 1);
    assert!(products[0].operations.len() >= 130, "only {} operations", products[0].operations.len());
    validate(&products[0]);
}

#[test]
fn export_is_deterministic() {
    let Some(docs) = support::corpus_docs() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let specs = support::write_specs(&tmp.path().join("specs"), &support::scaled_pages(&docs, 1));
    let a = openapi::to_json(&products(&specs)[0]);
    let b = openapi::to_json(&products(&specs)[0]);
    assert!(a == b);
}
