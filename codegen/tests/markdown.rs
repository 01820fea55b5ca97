//! Markdown front end on small, hand-written pages covering the messy cases
//! of real reference pages.

use std::path::Path;

use aliyun_codegen::diag::Severity;
use aliyun_codegen::ir::{BodyKind, Field, Location, Operation, Type};
use aliyun_codegen::spec::PageOutcome;
use aliyun_codegen::spec::markdown::read_page;

fn read(text: &str) -> PageOutcome {
    read_page(Path::new("specs/demo/Op.md"), text)
}

fn op(text: &str) -> Operation {
    let outcome = read(text);
    assert!(!outcome.failed(), "page failed: {:?}", outcome.diagnostics);
    outcome.operation.expect("operation")
}

fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no field {name} in {fields:#?}"))
}

const BASIC: &str = "# StartWidget

Starts a widget. It then runs.

More prose about the widget.

## Request syntax

```
POST /openapi/widgets/[WidgetId]/actions/start HTTPS|HTTP
```

## Request parameters

|Parameter|Type|Required|Example|Description|
|---------|----|--------|-------|-----------|
|WidgetId|String|Yes|wd-abc\\*\\*\\*\\*|The widget \\(see [docs](https://example.invalid)\\). |
|clientToken|String|No|tok\\_1|A token, `idempotent`. |

## Response parameters

|Parameter|Type|Example|Description|
|---------|----|-------|-----------|
|RequestId|String|ABC|The ID of the request. |
|Result|Boolean|true|What happened:

-   true: started.
-   false: not started. |

## Examples

Sample success responses

```
{\"Result\": true, \"RequestId\": \"ABC\"}
```

## Error codes

|HttpCode|Error code|Error message|Description|
|--------|----------|-------------|-----------|
|404|WidgetNotFound|No such widget.|The widget does not exist.|
| |Throttled|Slow down.| |
";

#[test]
fn basic_page() {
    let op = op(BASIC);
    assert_eq!(op.name, "StartWidget");
    assert_eq!(op.summary.as_deref(), Some("Starts a widget. It then runs."));
    assert_eq!(op.description.as_deref(), Some("More prose about the widget."));
    assert_eq!(op.method, "POST");
    assert!(op.alternative_methods.is_empty());
    assert_eq!(op.path, "/openapi/widgets/[WidgetId]/actions/start");
    assert_eq!(op.source.line, 1);
    assert_eq!(op.params.len(), 2);
    let id = &op.params[0];
    assert_eq!((id.name.as_str(), id.location, id.required), ("WidgetId", Location::Path, true));
    assert_eq!(id.example.as_deref(), Some("wd-abc****"));
    assert_eq!(id.description.as_deref(), Some("The widget (see docs)."));
    assert_eq!(id.line, 17);
    let token = &op.params[1];
    assert_eq!((token.name.as_str(), token.location, token.required), ("clientToken", Location::Query, false));
    assert_eq!(token.example.as_deref(), Some("tok_1"));
    assert_eq!(token.description.as_deref(), Some("A token, idempotent."));
    assert!(op.body.is_none());
    // The Result row continues over several lines: repaired, not lost.
    assert_eq!(op.response.len(), 2);
    let result = field(&op.response, "Result");
    assert_eq!(result.ty, Type::Boolean);
    assert_eq!(result.line, 25);
    assert_eq!(result.description.as_deref(), Some("What happened:\n- true: started.\n- false: not started."));
    assert!(op.response_example.as_deref().is_some_and(|e| e.contains("\"Result\": true")));
    assert_eq!(op.errors.len(), 2);
    assert_eq!((op.errors[0].status, op.errors[0].code.as_str()), (404, "WidgetNotFound"));
    assert_eq!(op.errors[0].message.as_deref(), Some("No such widget."));
    assert_eq!((op.errors[1].status, op.errors[1].code.as_str()), (0, "Throttled"));
}

#[test]
fn setext_headings_indented_code_and_alternative_methods() {
    let page = "UpdateWidget {#title}
====================

Updates a widget.

Request structure
-----------------

    PATCH|POST /widgets/{WidgetId} HTTP/1.1

Request parameters
------------------

|Parameter|Type|Location|Required|Example|Description|
|---|---|---|---|---|---|
|WidgetId|String|Path|Yes|w1|The widget.|
|DryRun|Boolean|Query|No|false|Only check.|
|X-Trace|String|Header|No|t|Trace id.|
|name|String|Body|No|n|New name.|
";
    let op = op(page);
    assert_eq!(op.name, "UpdateWidget");
    assert_eq!(op.method, "POST");
    assert_eq!(op.alternative_methods, vec!["PATCH".to_string()]);
    assert_eq!(op.path, "/widgets/{WidgetId}");
    let locs: Vec<(&str, Location)> = op.params.iter().map(|p| (p.name.as_str(), p.location)).collect();
    assert_eq!(locs, vec![("WidgetId", Location::Path), ("DryRun", Location::Query), ("X-Trace", Location::Header)]);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Object);
    assert_eq!(body.fields.len(), 1);
    assert_eq!(body.fields[0].name, "name");
}

#[test]
fn one_cell_per_line_body_table_under_request_body() {
    let page = "# LinkWidgets

Links widgets.

## Request syntax

```
POST /widgets/[WidgetId]/links HTTPS|HTTP
```

## Request parameters

|Parameter|Type|Required|Example|Description|
|---------|----|--------|-------|-----------|
|WidgetId|String|Yes|w1|The widget.|

## RequestBody

Put these in the RequestBody.

|Parameter

|Type

|Required

|Example

|Description |
|---|---|---|---|---|
|otherId

|String

|Yes

|w2

|The other widget. |
|weight

|Integer

|No

|\u{a0}

|How much. |
";
    let op = op(page);
    assert_eq!(op.params.len(), 1);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Object);
    let names: Vec<&str> = body.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["otherId", "weight"]);
    assert!(body.fields[0].required);
    assert_eq!(body.fields[1].ty, Type::Integer);
    assert_eq!(body.fields[1].example, None, "a non-breaking space is an empty cell");
    assert_eq!(body.fields[0].line, 31);
}

#[test]
fn prose_before_table_puts_rows_in_the_body_and_array_example() {
    let page = "# AddTags

Adds tags.

## Request syntax

```
POST /tags HTTPS|HTTP
```

## Request parameters

The following parameters go in RequestBody.

|Parameter|Type|Required|Example|Description|
|---|---|---|---|---|
|key|Sting|Yes|k|The key.|
|value|String|No|v|The value.|

Example:

```
[{\"key\": \"k\", \"value\": \"v\"}]
```
";
    let outcome = read(page);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let op = outcome.operation.expect("operation");
    assert!(op.params.is_empty(), "body rows never become params: {:?}", op.params);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Array);
    let items = body.items.expect("items");
    assert_eq!(items.ty, Type::Object);
    assert_eq!(items.fields[0].ty, Type::String, "Sting is a typo for String");
}

#[test]
fn opaque_body_from_prose_only() {
    let page = "# Ping

Pings.

## Request syntax

```
POST /ping HTTPS|HTTP
```

## RequestBody

Send the JSON document you want echoed.
";
    let op = op(page);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Opaque);
    assert!(body.description.is_some_and(|d| d.contains("echoed")));
}

#[test]
fn flat_response_nested_with_sample_and_sibling_order() {
    let page = "# ListWidgets

Lists widgets.

## Request syntax

```
GET /widgets HTTPS|HTTP
```

## Response parameters

|Parameter|Type|Example|Description|
|---|---|---|---|
|Headers|Struct| |Response headers.|
|X-Total-Count|Integer|3|How many.|
|RequestId|String|R|The request.|
|Result|Array of Widget| |The widgets.|
|config|Struct| |Settings.|
|size|Integer|1|Size.|
|id|String|w1|The id.|
|labels|Array of String| |Labels.|
|zone|String|z|The zone.|

## Examples

Sample success responses

```
{
  \"Headers\": {\"X-Total-Count\": 3},
  \"RequestId\": \"R\",
  \"Result\": [{\"config\": {\"size\": 1}, \"id\": \"w1\", \"labels\": [\"a\"], \"zone\": \"z\"}]
}
```
";
    let op = op(page);
    let top: Vec<&str> = op.response.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(top, ["Headers", "RequestId", "Result"]);
    let headers = field(&op.response, "Headers");
    assert_eq!(headers.ty, Type::Object);
    assert_eq!(headers.fields[0].name, "X-Total-Count");
    let result = field(&op.response, "Result");
    assert_eq!(result.ty, Type::Array);
    let item = result.items.as_deref().expect("items");
    let names: Vec<&str> = item.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["config", "id", "labels", "zone"]);
    let config = field(&item.fields, "config");
    assert_eq!(config.fields.len(), 1);
    let labels = field(&item.fields, "labels");
    assert_eq!(labels.items.as_deref().map(|i| i.ty), Some(Type::String));
}

#[test]
fn sibling_order_alone_closes_levels() {
    let page = "# GetWidget

Gets a widget.

## Request syntax

```
GET /widget HTTPS|HTTP
```

## Response parameters

|Parameter|Type|Example|Description|
|---|---|---|---|
|RequestId|String|R|The request.|
|Result|Struct| |The widget.|
|name|String|n|Name.|
|spec|Struct| |Spec.|
|disk|Integer|1|Disk.|
|type|String|ssd|Type.|
|status|String|ok|Status.|
";
    let op = op(page);
    let result = field(&op.response, "Result");
    let names: Vec<&str> = result.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["name", "spec", "status"]);
    assert_eq!(field(&result.fields, "spec").fields.len(), 2);
}

#[test]
fn marker_rows_nest_under_the_row_above() {
    let page = "# GetWidget

Gets a widget.

## Request syntax

```
GET /widget HTTPS|HTTP
```

## Response parameters

|Parameter|Type|Example|Description|
|---|---|---|---|
|RequestId|String|R|The request.|
|zones|Array| |Zones.|
|└zoneId|String|z|The zone.|
|└status|String|ok|Its state.|
|total|Integer|1|Count.|
";
    let op = op(page);
    let names: Vec<&str> = op.response.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["RequestId", "zones", "total"]);
    let zones = field(&op.response, "zones");
    let item = zones.items.as_deref().expect("items");
    assert_eq!(item.fields.len(), 2);
}

#[test]
fn unknown_type_is_any_with_a_warning() {
    let page = "# Op

Does it.

## Request syntax

```
GET /op HTTPS|HTTP
```

## Request parameters

|Parameter|Type|Required|Example|Description|
|---|---|---|---|---|
|RegionId|Strng|Yes|cn|The region.|
";
    let outcome = read(page);
    assert!(!outcome.failed());
    let op = outcome.operation.expect("operation");
    assert_eq!(op.params[0].ty, Type::Any);
    assert_eq!(outcome.diagnostics.len(), 1);
    let d = &outcome.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.to_string(), "specs/demo/Op.md:15: warning: unknown type \"Strng\" for parameter RegionId");
}

#[test]
fn malformed_syntax_is_an_error() {
    let page = "# Op\n\nDoes it.\n\n## Request syntax\n\n```\nFETCH the widget\n```\n";
    let outcome = read(page);
    assert!(outcome.failed());
    let d = &outcome.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.to_string().starts_with("specs/demo/Op.md:7: error: malformed request syntax"), "{d}");
}

#[test]
fn missing_parameter_table_is_an_error_when_the_path_needs_one() {
    let page = "# Op\n\nDoes it.\n\n## Request syntax\n\n```\nGET /things/[ThingId] HTTPS|HTTP\n```\n";
    let outcome = read(page);
    assert!(outcome.failed());
    assert!(outcome.diagnostics[0].message.contains("ThingId"));
}

#[test]
fn type_vocabulary() {
    let page = "# Op

Does it.

## Request syntax

```
GET /op HTTPS|HTTP
```

## Response parameters

|Parameter|Type|Example|Description|
|---|---|---|---|
|a|Long|1|.|
|b|Double|1.5|.|
|c|Float|1.5|.|
|d|Json|{}|.|
|e| | |.|
|f|List<String\\>| |.|
|g|Map| |.|
";
    let outcome = read(page);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let op = outcome.operation.expect("operation");
    let types: Vec<Type> = op.response.iter().map(|f| f.ty).collect();
    assert_eq!(
        types,
        [Type::Long, Type::Double, Type::Float, Type::Any, Type::Any, Type::Array, Type::Map]
    );
    assert_eq!(op.response[5].items.as_deref().map(|i| i.ty), Some(Type::String));
}

#[test]
fn never_panics_on_truncated_or_odd_input() {
    let inputs = [
        String::new(),
        "|".to_string(),
        "|a\n\n|b".to_string(),
        "# \n".to_string(),
        "```".to_string(),
        "# X\n## Request syntax\n    GET".to_string(),
        "# X\n|---|\n|└└└|\n".to_string(),
        "\u{a0}|\u{a0}|\r\n|--|--|\r\n".to_string(),
        "# X\n\n## Request syntax\n\n```\nGET /[a]/{b}/[ HTTP\n```\n".to_string(),
        "<a><b></a>".to_string(),
    ];
    for text in &inputs {
        let _ = read(text);
    }
    // Every prefix of a full page.
    for (i, _) in BASIC.char_indices() {
        let _ = read(&BASIC[..i]);
    }
}
