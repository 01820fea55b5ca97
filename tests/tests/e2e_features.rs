//! End-to-end calls of the checked-in client for every request shape: an
//! object body (PUT), an array body, an opaque body, DELETE, and the list
//! pattern with its paginator.

mod common;

use aliyun_runtime::Stream;
use aliyun_sdk::elasticsearch::*;
use common::{Reply, Seen, local_config, serve};

fn client(url: &str) -> Client {
    let config = local_config(url).token_generator(|| "fixed-token".to_string()).build();
    Client::new(&config)
}

fn only(server: &common::Server) -> Seen {
    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1, "exactly one request: {seen:?}");
    seen.into_iter().next().expect("one")
}

fn body_json(seen: &Seen) -> serde_json::Value {
    serde_json::from_slice(&seen.body).expect("JSON body")
}

#[tokio::test]
async fn put_with_object_body() {
    let server = serve(vec![Reply::json(200, r#"{"RequestId":"r-1","Result":{"instanceId":"es-1"}}"#)]).await;
    let body = UpdateInstanceBody::default()
        .node_amount(3)
        .client_node_configuration(
            UpdateInstanceBodyClientNodeConfiguration::default().amount(2).spec("elasticsearch.sn2ne.large"),
        )
        // A member the page does not list still reaches the service.
        .extra_member("futureSetting", serde_json::json!({"on": true}));
    client(&server.url).update_instance(UpdateInstanceRequest::new("es-1").force(true).body(body)).await.expect("ok");
    let seen = only(&server);
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.path, "/openapi/instances/es-1");
    assert_eq!(seen.header("content-type"), Some("application/json; charset=utf-8"));
    assert!(seen.query_pairs().contains(&("force".to_string(), "true".to_string())));
    // The runtime filled the missing clientToken with the configured generator.
    assert!(seen.query_pairs().contains(&("clientToken".to_string(), "fixed-token".to_string())));
    assert_eq!(
        body_json(&seen),
        serde_json::json!({
            "nodeAmount": 3,
            "clientNodeConfiguration": {"amount": 2, "spec": "elasticsearch.sn2ne.large"},
            "futureSetting": {"on": true}
        })
    );
}

#[tokio::test]
async fn post_with_array_body() {
    let server = serve(vec![Reply::json(200, r#"{"RequestId":"r-2","Result":true}"#)]).await;
    let items = vec![
        CreatePipelinesBodyItem::new("input {} output {}", "p1").batch_size(125),
        CreatePipelinesBodyItem::new("input {} output {}", "p2"),
    ];
    let response =
        client(&server.url).create_pipelines(CreatePipelinesRequest::new("ls-1").body(items)).await.expect("ok");
    assert_eq!(response.result, Some(true));
    let seen = only(&server);
    assert_eq!(seen.method, "POST");
    assert_eq!(
        body_json(&seen),
        serde_json::json!([
            {"config": "input {} output {}", "pipelineId": "p1", "batchSize": 125},
            {"config": "input {} output {}", "pipelineId": "p2"}
        ])
    );
}

#[tokio::test]
async fn post_with_opaque_body() {
    let server = serve(vec![Reply::json(200, r#"{"RequestId":"r-3"}"#)]).await;
    let body = serde_json::json!({"restartType": "nodeIp", "nodes": ["10.0.0.1"]});
    client(&server.url).restart_instance(RestartInstanceRequest::new("es-1").body(body.clone())).await.expect("ok");
    assert_eq!(body_json(&only(&server)), body);
}

#[tokio::test]
async fn delete_without_body() {
    let server = serve(vec![Reply { status: 204, headers: vec![], body: String::new() }]).await;
    let response = client(&server.url)
        .delete_instance(DeleteInstanceRequest::new("es-1").delete_type("immediate"))
        .await
        .expect("204 with no body is success");
    assert_eq!(response.meta().status, 204);
    let seen = only(&server);
    assert_eq!(seen.method, "DELETE");
    assert!(seen.body.is_empty());
    assert!(seen.header("content-type").is_none());
}

#[tokio::test]
async fn list_pattern_and_paginator() {
    let page = |ids: &[&str], total: usize| {
        let items: Vec<String> = ids.iter().map(|id| format!(r#"{{"instanceId":"{id}"}}"#)).collect();
        Reply::json(
            200,
            &format!(r#"{{"RequestId":"r","Headers":{{"X-Total-Count":{total}}},"Result":[{}]}}"#, items.join(",")),
        )
    };
    let server = serve(vec![page(&["a", "b"], 5), page(&["c", "d"], 5), page(&["e"], 5), page(&["never"], 5)]).await;
    let c = client(&server.url);
    let stream = c.list_logstash_pages(ListLogstashRequest::new().size(2));
    let mut stream = std::pin::pin!(stream);
    let mut ids = Vec::new();
    while let Some(page) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        let page = page.expect("page");
        assert_eq!(page.headers.as_ref().and_then(|h| h.x_total_count), Some(5));
        ids.extend(page.result.unwrap_or_default().into_iter().filter_map(|r| r.instance_id));
    }
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let seen = server.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 3, "stops after the last page without an extra request");
    let pages: Vec<String> = seen
        .iter()
        .map(|s| s.query_pairs().into_iter().find(|(k, _)| k == "page").map(|(_, v)| v).unwrap_or_default())
        .collect();
    assert_eq!(pages, ["", "2", "3"]);
    assert!(seen.iter().all(|s| s.method == "GET"));
}
