//! Lists longer than their spec's `max_items` (the `N` a page allows) are
//! refused while the request is built, naming the parameter and the limit;
//! a list at its limit goes out whole. The generated code under test is the
//! `rpc` snapshot (`MachineId` at most 3, `Tag` at most 2, a network
//! interface's `SecurityGroupIds` at most 5).

use aliyun_tests::snapshots::rpc::compute::{LaunchMachinesNetworkInterface, LaunchMachinesRequest, LaunchMachinesTag};

fn ids(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("id-{i}")).collect()
}

fn sent(request: &aliyun_runtime::Request, name: &str) -> bool {
    request.query_pairs().any(|(k, _)| k == name)
}

#[test]
fn a_required_list_at_its_limit_is_sent_and_one_more_is_refused() {
    let at = LaunchMachinesRequest::new("cn-hangzhou", ids(3)).into_request();
    assert_eq!(at.construction_error(), None);
    assert!(sent(&at, "MachineId.3"));
    let over = LaunchMachinesRequest::new("cn-hangzhou", ids(4)).into_request();
    assert_eq!(over.construction_error(), Some("parameter MachineId: 4 items, at most 3 allowed"));
}

#[test]
fn an_optional_list_over_its_limit_is_refused() {
    let tags = |n: usize| (0..n).map(|i| LaunchMachinesTag::default().key(format!("k{i}"))).collect::<Vec<_>>();
    let at = LaunchMachinesRequest::new("cn-hangzhou", ids(1)).tag(tags(2)).into_request();
    assert_eq!(at.construction_error(), None);
    assert!(sent(&at, "Tag.2.Key"));
    let over = LaunchMachinesRequest::new("cn-hangzhou", ids(1)).tag(tags(3)).into_request();
    assert_eq!(over.construction_error(), Some("parameter Tag: 3 items, at most 2 allowed"));
}

#[test]
fn a_nested_list_over_its_limit_names_its_element() {
    let nic = |n: usize| LaunchMachinesNetworkInterface::default().security_group_ids(ids(n));
    let at = LaunchMachinesRequest::new("cn-hangzhou", ids(1)).network_interface(vec![nic(5), nic(5)]).into_request();
    assert_eq!(at.construction_error(), None);
    assert!(sent(&at, "NetworkInterface.2.SecurityGroupIds.5"));
    let over = LaunchMachinesRequest::new("cn-hangzhou", ids(1)).network_interface(vec![nic(5), nic(6)]).into_request();
    assert_eq!(
        over.construction_error(),
        Some("parameter NetworkInterface.2.SecurityGroupIds: 6 items, at most 5 allowed")
    );
}
