//! Overrides (`specs/<product>/overrides.yaml`): every kind of patch
//! applies, and a stale override fails with its `file:line`.

use std::path::Path;

use aliyun_codegen::diag::Diagnostic;
use aliyun_codegen::ir::{BodyEncoding, BodyKind, Field, Location, Product, Type};
use aliyun_codegen::stages::spec;

const PRODUCT: &str = "product: demo\nversion: \"2020-01-01\"\nstyle: ROA\n";

/// A page with the mistakes the overrides below repair.
const PAGE: &str = r#"name: ListThings
method: GET
path: /things/[ThingId]
params:
  - {name: ThingId, in: path, type: string, required: true}
  - {name: RegionId, in: path, type: string}
  - {name: Size, in: query, type: string}
  - {name: Description, in: query, type: string}
body:
  kind: object
  fields:
    - {name: Tags, type: array, items: {type: string}}
response:
  - {name: RequestId, type: string}
  - name: Result
    type: object
    fields:
      - name: Instances
        type: object
        fields:
          - {name: Id, type: string}
          - {name: Labels, type: array, items: {type: string}}
  - {name: Total, type: integer}
  - {name: Bogus, type: string}
  - {name: Type, type: string}
errors:
  - {status: 400, code: ThingNotFound}
"#;

fn read(overrides: &str) -> (Product, Vec<Diagnostic>) {
    read_with(PAGE, overrides)
}

fn read_with(page: &str, overrides: &str) -> (Product, Vec<Diagnostic>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("demo");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("product.yaml"), PRODUCT).expect("write");
    std::fs::write(dir.join("ListThings.yaml"), page).expect("write");
    std::fs::write(dir.join("overrides.yaml"), overrides).expect("write");
    let outcome = spec::read_product_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    // Name the overrides file the same way whatever the temp folder is.
    let diags = outcome
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.source.file = d.source.file.strip_prefix(tmp.path()).map(Path::to_path_buf).unwrap_or(d.source.file);
            d
        })
        .collect();
    (outcome.product, diags)
}

fn messages(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(ToString::to_string).collect()
}

fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn every_kind_of_patch_applies() {
    let (product, diags) = read(
        r#"# Repairs for ListThings.
ListThings:
  response.Result.Instances: {type: array}       # object -> array of objects
  response.Result.Instances.Labels[]: {type: integer}
  params.RegionId: {in: query}
  params.Size: {type: integer, required: true}
  params.Description: {move_to: body}
  body: {kind: array}
  response.Total: {move_to: response.Result}
  response.Type: {rust_name: kind}
  response.Bogus: {drop: true}
  errors.ThingNotFound: {status: 404, rust_name: Missing}
  operation: {rust_name: list_all_things}
"#,
    );
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    let op = &product.operations[0];
    assert_eq!(op.rust_name.as_deref(), Some("list_all_things"));

    // Positions and types of parameters; a "parameter" that is a body member.
    let region = op.params.iter().find(|p| p.name == "RegionId").expect("RegionId");
    assert_eq!(region.location, Location::Query);
    let size = op.params.iter().find(|p| p.name == "Size").expect("Size");
    assert_eq!((size.ty, size.required), (Type::Integer, true));
    assert!(op.params.iter().all(|p| p.name != "Description"));

    // The body became an array of the objects it described, Description included.
    let body = op.body.as_ref().expect("body");
    assert_eq!(body.kind, BodyKind::Array);
    assert!(body.fields.is_empty());
    let items = body.items.as_ref().expect("items");
    assert_eq!(items.ty, Type::Object);
    let names: Vec<&str> = items.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Tags", "Description"]);

    // Response: retype with members kept, `[]` step, move, rename, drop.
    let result = field(&op.response, "Result");
    let instances = field(&result.fields, "Instances");
    assert_eq!(instances.ty, Type::Array);
    assert!(instances.fields.is_empty());
    let element = instances.items.as_ref().expect("array element");
    assert_eq!(element.ty, Type::Object);
    let labels = field(&element.fields, "Labels");
    assert_eq!(labels.items.as_ref().map(|i| i.ty), Some(Type::Integer));
    assert_eq!(field(&result.fields, "Total").ty, Type::Integer);
    let top: Vec<&str> = op.response.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(top, ["RequestId", "Result", "Type"]);
    assert_eq!(field(&op.response, "Type").rust_name.as_deref(), Some("kind"));

    let error = &op.errors[0];
    assert_eq!((error.status, error.rust_name.as_deref()), (404, Some("Missing")));
}

#[test]
fn body_kinds_convert_and_a_missing_body_can_be_added() {
    let (product, diags) = read("ListThings:\n  body: {kind: opaque, description: Raw JSON settings.}\n");
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    let body = product.operations[0].body.as_ref().expect("body");
    assert_eq!(body.kind, BodyKind::Opaque);
    assert!(body.fields.is_empty() && body.items.is_none());

    let (product, diags) = read("ListThings:\n  body: {drop: true}\n");
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    assert!(product.operations[0].body.is_none());

    let no_body = "name: ListThings\nmethod: POST\npath: /things\n";
    let (product, diags) = read_with(no_body, "ListThings:\n  body: {kind: opaque, required: true}\n");
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    let body = product.operations[0].body.as_ref().expect("body added");
    assert_eq!((body.kind, body.required), (BodyKind::Opaque, true));

    let (_, diags) = read_with(no_body, "ListThings:\n  body: {required: true}\n");
    assert_eq!(
        messages(&diags),
        ["demo/overrides.yaml:2: error: override body of ListThings: the operation has no body; set `kind` to add one"]
    );
}

#[test]
fn a_stale_override_fails_with_its_line() {
    let (_, diags) = read(
        r#"ListThings:
  response.Result.Instances: {type: array}
  response.Result.Nodes: {type: array, items: {type: string}}
  params.ClientToken: {in: query}
"#,
    );
    assert_eq!(
        messages(&diags),
        [
            "demo/overrides.yaml:3: error: override response.Result.Nodes of ListThings: no field Nodes under response.Result (fields: Instances)",
            "demo/overrides.yaml:4: error: override params.ClientToken of ListThings: no parameter ClientToken (parameters: ThingId, RegionId, Size, Description)",
        ]
    );
}

#[test]
fn overrides_that_cannot_apply_say_why() {
    let (_, diags) = read(
        r#"# Everything here is wrong.
GetThings:
  response.Result: {type: object}
ListThings:
  params.ThingId: {kind: array}
  response.Result: {type: string}
  response.RequestId.Id: {type: string}
  errors.Throttling: {status: 429}
  response.Total: {move_to: response.RequestId}
  body.Tags: {drop: true, type: string}
  response.Type: {}
  somewhere: {drop: true}
"#,
    );
    assert_eq!(
        messages(&diags),
        [
            "demo/overrides.yaml:3: error: override response.Result of GetThings: no operation GetThings in product demo",
            "demo/overrides.yaml:5: error: override params.ThingId of ListThings: `kind` does not apply to a parameter; keys for a parameter: type, in, required, description, example, items, max_items, rust_name, move_to, paging, drop",
            "demo/overrides.yaml:6: error: override response.Result of ListThings: Result has fields (Instances); drop or move them before making it string",
            "demo/overrides.yaml:7: error: override response.RequestId.Id of ListThings: response.RequestId is string, it has no fields",
            "demo/overrides.yaml:8: error: override errors.Throttling of ListThings: no error code Throttling (codes: ThingNotFound)",
            "demo/overrides.yaml:9: error: override response.Total of ListThings: `move_to: response.RequestId`: the new parent is string, it cannot hold fields",
            "demo/overrides.yaml:10: error: override body.Tags of ListThings: `drop: true` stands alone",
            "demo/overrides.yaml:11: error: override response.Type of ListThings: the override changes nothing; keys for a response field: type, required, description, example, items, values, rust_name, move_to, drop",
            "demo/overrides.yaml:12: error: override somewhere of ListThings: unknown target; targets are `operation`, `params.<Name>`, `body`, `body.<Field>...`, `response.<Field>...`, `errors.<Code>`",
        ]
    );
}

#[test]
fn a_bad_change_key_is_reported_with_its_line() {
    let (_, diags) = read("ListThings:\n  response.Total:\n    typ: long\n  response.Bogus: {type: strng}\n");
    let got = messages(&diags);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("demo/overrides.yaml:2: error: ListThings response.Total: unknown key typ"), "{got:#?}");
    assert!(
        got[1].starts_with("demo/overrides.yaml:4: error: ListThings response.Bogus: unknown variant strng"),
        "{got:#?}"
    );
}

#[test]
fn a_stale_override_fails_the_generation_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("specs/demo");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("product.yaml"), PRODUCT).expect("write");
    std::fs::write(dir.join("ListThings.yaml"), PAGE).expect("write");
    std::fs::write(dir.join("overrides.yaml"), "ListThings:\n  response.Gone: {drop: true}\n").expect("write");
    let out = tmp.path().join("out");
    let err = aliyun_codegen::Config::new()
        .specs(tmp.path().join("specs"))
        .out_dir(&out)
        .cargo_directives(false)
        .compile()
        .expect_err("a stale override must fail the run");
    let text = err.to_string();
    assert!(text.contains("overrides.yaml:2: error: override response.Gone of ListThings: no field Gone"), "{text}");
    assert!(!out.join("aliyun_sdk.rs").exists(), "a failed run writes nothing");
}

#[test]
fn traits_the_naming_rule_gets_wrong_are_corrected() {
    let (product, diags) = read(
        r#"ListThings:
  operation: {idempotent: false}
  params.Size: {paging: none, required: true}
  params.Description: {paging: next_token}
"#,
    );
    assert_eq!(messages(&diags), Vec::<String>::new());
    let traits = &product.traits["ListThings"];
    assert_eq!(traits.idempotent, Some(false));
    assert_eq!(traits.paging.get("Size"), Some(&aliyun_codegen::ir::PagingRole::None));
    assert_eq!(traits.paging.get("Description"), Some(&aliyun_codegen::ir::PagingRole::NextToken));
    // The other keys of a patch with a trait still apply.
    let size = product.operations[0].params.iter().find(|p| p.name == "Size").expect("Size");
    assert!(size.required);
    let (_, diags) = read("ListThings:\n  params.Nope: {paging: page_size}\n  response.Result: {idempotent: true}\n");
    assert_eq!(messages(&diags).len(), 2, "{diags:?}");
}

#[test]
fn a_body_can_be_form_encoded_and_a_member_sent_in_the_query() {
    let page = PAGE.replace(
        "    - {name: Tags, type: array, items: {type: string}}",
        "    - {name: Tags, type: string}\n    - {name: Note, type: string, required: true}",
    );
    let (product, diags) = read_with(&page, "ListThings:\n  body: {encoding: form}\n  body.Note: {move_to: query}\n");
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    let op = &product.operations[0];
    let body = op.body.as_ref().expect("body");
    assert_eq!(body.encoding, BodyEncoding::Form);
    assert_eq!(body.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["Tags"]);
    let note = op.params.iter().find(|p| p.name == "Note").expect("Note became a parameter");
    assert_eq!((note.location, note.required), (Location::Query, true));

    // A form needs names: an array body cannot be one.
    let (mut array, diags) = read_with(&page, "ListThings:\n  body: {kind: array, encoding: form}\n");
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    let text = messages(&aliyun_codegen::stages::check::check(&mut array)).join("\n");
    assert!(text.contains("form-encoded body is an object"), "{text}");
    // A member cannot become a parameter that already exists.
    let (_, diags) = read_with(
        &page,
        "ListThings:\n  body.Tags: {move_to: query}\n  body.Note: {move_to: header}\n  body.Tags2: {drop: true}\n",
    );
    assert!(messages(&diags).join("\n").contains("overrides.yaml:4"), "{:#?}", messages(&diags));
}

/// A list limit a page states in a form the reader does not know (or
/// states wrong) is set on the parameter; a limit on a value that is not a
/// list is an error.
#[test]
fn list_limits_are_set_on_list_parameters_only() {
    let page = PAGE.replace(
        "  - {name: Size, in: query, type: string}",
        "  - {name: Size, in: query, type: string}\n  - {name: Ids, in: query, type: array, items: {type: string}}",
    );
    let (product, diags) = read_with(&page, "ListThings:\n  params.Ids: {max_items: 1}\n");
    assert!(diags.is_empty(), "{:#?}", messages(&diags));
    let ids = product.operations[0].params.iter().find(|p| p.name == "Ids").expect("Ids");
    assert_eq!(ids.max_items, Some(1));
    let (_, diags) = read_with(&page, "ListThings:\n  params.Size: {max_items: 1}\n");
    assert_eq!(
        messages(&diags),
        [
            "demo/overrides.yaml:2: error: override params.Size of ListThings: `max_items` applies to a list; Size is string"
        ]
    );
}
