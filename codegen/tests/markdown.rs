//! Markdown front end on small, hand-written pages covering the messy cases
//! of real reference pages.

use std::path::Path;

use aliyun_codegen::diag::Severity;
use aliyun_codegen::ir::{BodyKind, Field, Location, Operation, Type};
use aliyun_codegen::stages::spec::PageOutcome;
use aliyun_codegen::stages::spec::markdown::read_page;

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
    // Placeholders are written `[X]` in the IR, whatever the page uses.
    assert_eq!(op.path, "/widgets/[WidgetId]");
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
    assert_eq!(types, [Type::Long, Type::Double, Type::Float, Type::Any, Type::Any, Type::Array, Type::Map]);
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

// ------------------------------------------------------------ body examples

/// A page with a request line, a path parameter table, then `rest`.
fn body_page(syntax: &str, rest: &str) -> String {
    format!(
        "# SetThing

Sets a thing.

## Request syntax

```
{syntax} /things/[ThingId]/settings HTTPS|HTTP
```

## Request parameters

|Parameter|Type|Required|Example|Description|
|---------|----|--------|-------|-----------|
|ThingId|String|Yes|t-1|The thing.|
|clientToken|String|No|tok|A token.|
{rest}"
    )
}

#[test]
fn body_section_code_example_without_table_gives_an_object() {
    let page = body_page(
        "PATCH|POST",
        "
## RequestBody

Fill **secret** in the RequestBody. Example:

```

{
  \"secret\": \"pw*\",
  \"limits\": {\"disk\": 40, \"ratio\": 0.5, \"on\": true},
  \"settings\": {\"thread_pool.bulk.queue_size\": 500},
  \"zones\": [{\"id\": \"a\"}, {\"id\": \"b\", \"weight\": 2}],
  \"gone\": null
}
            
```
",
    );
    let op = op(&page);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Object);
    assert!(!body.required);
    assert!(body.description.as_deref().is_some_and(|d| d.contains("secret")));
    let names: Vec<&str> = body.fields.iter().map(|f| f.name.as_str()).collect();
    // serde_json keeps object keys sorted, which also keeps output stable.
    assert_eq!(names, ["gone", "limits", "secret", "settings", "zones"]);
    let secret = field(&body.fields, "secret");
    assert_eq!((secret.ty, secret.required, secret.example.as_deref()), (Type::String, false, Some("pw*")));
    assert!(secret.description.as_deref().is_some_and(|d| d.contains("example")));
    let limits = field(&body.fields, "limits");
    assert_eq!(limits.ty, Type::Object);
    let types: Vec<(&str, Type)> = limits.fields.iter().map(|f| (f.name.as_str(), f.ty)).collect();
    assert_eq!(types, [("disk", Type::Long), ("on", Type::Boolean), ("ratio", Type::Double)]);
    // Dotted keys are data: a map whose values the one example cannot type.
    let settings = field(&body.fields, "settings");
    assert_eq!(settings.ty, Type::Map);
    assert_eq!(settings.values.as_deref().map(|v| v.ty), Some(Type::Any));
    // Array elements are merged: members of every element.
    let zones = field(&body.fields, "zones");
    let item = zones.items.as_deref().expect("items");
    let item_names: Vec<&str> = item.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(item_names, ["id", "weight"]);
    assert_eq!(field(&body.fields, "gone").ty, Type::Any);
}

#[test]
fn body_section_inline_array_example_gives_an_array() {
    // The format template does not parse; the example after it does.
    let page = body_page(
        "POST",
        "
## RequestBody

Enter the names in the format `[\"name1\",\"name2\",…, \"namen\"]`. Example: `[\"a-1\",\"b-2\"]`.
",
    );
    let body = op(&page).body.expect("body");
    assert_eq!(body.kind, BodyKind::Array);
    assert!(body.required, "a list body is the whole payload");
    assert_eq!(body.items.as_deref().map(|i| i.ty), Some(Type::String));
    assert!(body.fields.is_empty());
}

#[test]
fn body_section_with_map_keys_at_the_top_or_scalar_example_stays_opaque() {
    for example in ["{\"i18n.locale\": \"en\"}", "\"just text\""] {
        let page = body_page("POST", &format!("\n## RequestBody\n\nSet it. Example:\n\n```\n{example}\n```\n"));
        let body = op(&page).body.expect("body");
        assert_eq!(body.kind, BodyKind::Opaque, "{example}");
        assert!(body.fields.is_empty() && body.items.is_none());
    }
}

#[test]
fn sample_request_json_gives_the_body_when_the_page_has_no_body_section() {
    let page = body_page(
        "PUT",
        "
## Examples

Sample requests

```
PUT /things/t-1/settings HTTP/1.1
common request header
{
  \"ThingId\": \"t-1\",
  \"nodeSpec\": {
      \"disk\": 40,
    }
}
```
",
    );
    let op = op(&page);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Object);
    let names: Vec<&str> = body.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["nodeSpec"], "keys echoing parameters are dropped; trailing commas tolerated");
    assert_eq!(field(&body.fields[0].fields, "disk").ty, Type::Long);
}

#[test]
fn sample_request_json_on_the_request_line_and_array_bodies() {
    // One-line samples put the body after the header words; the `[`
    // of the path placeholder is not a body.
    let page = body_page(
        "POST",
        "
## Examples

Sample requests

```

     POST /things/[ThingId]/settings HTTP/1.1 public request header [{\"host\": \"1.2.3.4\", \"port\": 9200}] 
   
```
",
    );
    let body = op(&page).body.expect("body");
    assert_eq!(body.kind, BodyKind::Array);
    let item = body.items.as_deref().expect("items");
    assert_eq!(item.ty, Type::Object);
    assert_eq!(field(&item.fields, "port").ty, Type::Long);
}

#[test]
fn no_body_evidence_or_get_samples_give_no_body() {
    // Nothing about a body anywhere.
    let page = body_page(
        "POST",
        "\n## Examples\n\nSample requests\n\n```\nPOST /things/t-1/settings HTTP/1.1\ncommon request header\n```\n",
    );
    assert_eq!(op(&page).body, None);
    // A GET sample with JSON shows parameters, not a body.
    let page = body_page(
        "GET",
        "\n## Examples\n\nSample requests\n\n```\nGET /things/t-1/settings HTTP/1.1 header { \"kind\": \"IK\" }\n```\n",
    );
    assert_eq!(op(&page).body, None);
    // Only keys that echo parameters: nothing is left for a body.
    let page = body_page(
        "POST",
        "\n## Examples\n\nSample requests\n\n```\nPOST /things/t-1/settings HTTP/1.1\n{\"thingId\": \"t-1\"}\n```\n",
    );
    assert_eq!(op(&page).body, None);
}

#[test]
fn request_table_with_a_status_header_names_rows_from_that_column() {
    let page = body_page(
        "POST",
        "
## RequestBody

The following parameters must also be filled in in RequestBody:

|HTTP status code

|Type

|Required

|Example

|Description |
|------------------|------|----------|---------|-------------|
|nodeType

|String

|Yes

|KIBANA

|The node type. |
|actionType

|String

|Yes

|OPEN

|The action. |
",
    );
    let op = op(&page);
    let body = op.body.expect("body");
    assert_eq!(body.kind, BodyKind::Object);
    let names: Vec<&str> = body.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["nodeType", "actionType"]);
    assert!(body.fields.iter().all(|f| f.required && f.ty == Type::String));
}

#[test]
fn body_member_spelt_like_a_filled_placeholder_stays_in_the_body() {
    let page = body_page(
        "POST",
        "
## RequestBody

The following parameters go in the RequestBody.

|Parameter|Type|Required|Example|Description|
|---|---|---|---|---|
|thingId|String|Yes|t-2|The other thing.|
",
    );
    let op = op(&page);
    let path: Vec<&str> = op.params.iter().filter(|p| p.location == Location::Path).map(|p| p.name.as_str()).collect();
    assert_eq!(path, ["ThingId"]);
    let body = op.body.expect("body");
    assert_eq!(body.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["thingId"]);
}

#[test]
fn sample_request_confirms_a_body_table_but_adds_no_members() {
    let page = body_page(
        "POST",
        "
## RequestBody

The following parameters go in the RequestBody.

|Parameter|Type|Required|Example|Description|
|---|---|---|---|---|
|dryRun|Boolean|Yes|false|Check only.|
|vpcId|Integer|Yes|vpc-bp1\\*\\*\\*|The VPC.|
|ids|Array|No|\\[\"a\"\\]|The IDs.|
|tags|Array|No| |The tags.|
|port|Integer|No|9200|The port.|

## Examples

Sample requests

```
POST /things/t-1/settings HTTP/1.1 header {\"dryrun\": false, \"dryRun\": false, \"vpcId\": \"vpc-bp1***\", \"ids\": [\"a\", \"b\"], \"tags\": [{\"key\": \"k\", \"value\": \"v\"}], \"port\": \"9200\", \"extra\": 1}
```
",
    );
    let outcome = read(&page);
    let warnings: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("vpcId is typed integer"), "{warnings:?}");
    assert!(outcome.diagnostics.iter().all(|d| d.severity == Severity::Warning));
    let body = outcome.operation.expect("operation").body.expect("body");
    let names: Vec<&str> = body.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["dryRun", "vpcId", "ids", "tags", "port"], "the table decides the members");
    assert_eq!(field(&body.fields, "vpcId").ty, Type::String, "text contradicts Integer");
    assert_eq!(field(&body.fields, "port").ty, Type::Integer, "numeric text agrees with Integer");
    assert_eq!(field(&body.fields, "ids").items.as_deref().map(|i| i.ty), Some(Type::String));
    let tags = field(&body.fields, "tags");
    assert_eq!(tags.description.as_deref(), Some("The tags."), "the table's word on the member is kept");
    let tag = tags.items.as_deref().expect("items");
    assert_eq!(tag.ty, Type::Object);
    assert_eq!(tag.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["key", "value"]);
}

#[test]
fn body_examples_never_panic() {
    let odd = [
        "{",
        "[",
        "[[[[[[",
        "{\"a\":",
        "{\"\": 1}",
        "[null, 1, \"x\"]",
        "[{}, []]",
        "{\"a\": {}}",
        "{\"a\": [[[[1]]]]}",
        "[{\"a\": 1}, {\"a\": \"x\"}]",
    ];
    for ex in odd {
        for rest in [
            format!("\n## RequestBody\n\nExample: `{ex}`\n"),
            format!("\n## RequestBody\n\n```\n{ex}\n```\n"),
            format!("\n## Examples\n\n```\nPOST /things/x/settings HTTP/1.1 {ex}\n```\n"),
            format!("\n## Examples\n\n```\nPOST /things/x/settings HTTP/1.1\n{ex}\n```\n"),
        ] {
            let _ = read(&body_page("POST", &rest));
        }
    }
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let _ = read(&body_page("POST", &format!("\n## RequestBody\n\n```\n{deep}\n```\n")));
}
