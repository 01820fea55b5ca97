//! Generated response types decode through `json::Decode`: lenient scalars,
//! one-or-many arrays where the sample shows them, nested arrays and maps,
//! and errors that name the member's path.

use aliyun_runtime::json::{self, DecodeError};
use aliyun_tests::snapshots::listing::demo::ListWidgetsResponse;

fn decode(text: &str) -> Result<ListWidgetsResponse, DecodeError> {
    json::decode(&serde_json::from_str(text).expect("test JSON"))
}

const SAMPLE: &str = r#"{"RequestId": 7, "Headers": {"X-Total-Count": "2"}, "Unknown": [1],
  "Result": [{"widgetId": "w-1", "attributes": {"color": "red"}, "enabled": 1, "tags": "solo",
  "grid": [[1, "2"], []], "owners": {"o": [{"id": "7"}]}, "shapes": [{"a": "1.5"}]}]}"#;

#[test]
fn decodes_every_shape_leniently() {
    let parsed = decode(SAMPLE).expect("decodes");
    assert_eq!(parsed.request_id.as_deref(), Some("7"));
    assert_eq!(parsed.headers.as_ref().and_then(|h| h.x_total_count), Some(2));
    let result = &parsed.result.as_ref().expect("result")[0];
    assert_eq!(result.enabled, Some(true));
    assert_eq!(result.tags, Some(vec!["solo".to_string()]));
    assert_eq!(result.grid, Some(vec![vec![1, 2], vec![]]));
    assert_eq!(result.owners.as_ref().expect("owners")["o"][0].id, Some(7));
    assert_eq!(result.shapes.as_ref().expect("shapes")[0]["a"], 1.5);
    assert_eq!(result.attributes.as_ref().expect("attributes")["color"], "red");
}

#[test]
fn tags_take_json_text_and_absent_members_are_none() {
    let parsed = decode(r#"{"Result": [{"tags": "[\"a\", \"b\"]", "grid": null}]}"#).expect("decodes");
    let result = &parsed.result.as_ref().expect("result")[0];
    assert_eq!(result.tags, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(result.grid, None);
    assert_eq!(result.owners, None);
}

#[test]
fn errors_name_the_member() {
    let error = |json: &str| decode(json).expect_err("fails").to_string();
    assert!(error(r#"{"Result": [{}, {"grid": [[1, "x"]]}]}"#).contains("`Result[1].grid[0][1]`"));
    assert!(error(r#"{"Result": [{"owners": {"o": [{"id": "seven"}]}}]}"#).contains("`Result[0].owners.o[0].id`"));
    assert!(error(r#"{"Result": [{"shapes": [{"a": null}]}]}"#).contains("`Result[0].shapes[0].a`"));
    assert!(error(r#"{"Headers": {"X-Total-Count": "many"}}"#).contains("`Headers.X-Total-Count`"));
    let too_large = error(r#"{"Headers": {"X-Total-Count": 99999999999999999999}}"#);
    assert!(too_large.contains("`Headers.X-Total-Count`") && too_large.contains("integer"), "{too_large}");
    assert!(error(r#"{"Result": {"widgetId": "w"}}"#).contains("expected an array"));
    assert!(error("[]").contains("expected an object"));
}
