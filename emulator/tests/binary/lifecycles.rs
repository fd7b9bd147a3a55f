//! Resource lifecycles through the generated clients against the binary: what is created reads
//! back with the documented shape, changes are seen (those that take time, through the
//! documented waiters), deletes remove, and dependency and state errors carry the documented
//! codes.

use super::*;
use serde_json::json;
use tencentcloud_sdk::{cam, cbs, clb, cvm, tke, vpc};

const QUICK: (Duration, Duration) = (Duration::from_millis(50), Duration::from_millis(100));

/// The binary, with changes of state taking `change_ms` (launches too).
async fn start(change_ms: u64) -> Running {
    let running = Running::start();
    running
        .admin(
            reqwest::Method::PUT,
            "/transitions",
            Some(json!({"launchMs": change_ms, "changeMs": change_ms})),
        )
        .await;
    running
}

async fn launch_instance(running: &Running) -> String {
    let client = cvm::v20170312::Client::new(&running.regional_config());
    let launched = client.run_instances().send().await.unwrap();
    launched.instance_id_set[0].clone()
}

#[tokio::test]
async fn cbs_disks_attach_detach_and_refuse_what_their_state_forbids() {
    use cbs::v20170312::{Client, types::Placement};
    let running = start(300).await;
    let instance = launch_instance(&running).await;
    let client = Client::new(&running.regional_config());
    let disks = client
        .create_disks()
        .disk_type("CLOUD_PREMIUM")
        .disk_charge_type("POSTPAID_BY_HOUR")
        .placement(Placement::default().zone("ap-guangzhou-3"))
        .disk_size(50)
        .disk_name("data")
        .send()
        .await
        .unwrap()
        .disk_id_set;
    assert_eq!(disks, ["disk-00000001"]);
    client
        .attach_disks()
        .disk_ids(disks.clone())
        .instance_id(&instance)
        .send()
        .await
        .unwrap();
    let attaching = client
        .describe_disks()
        .disk_ids(disks.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        attaching.disk_set[0].disk_state.as_deref(),
        Some("ATTACHING")
    );
    let again = client
        .attach_disks()
        .disk_ids(disks.clone())
        .instance_id(&instance)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        again.code(),
        Some("ResourceUnavailable.Attached"),
        "{again}"
    );

    let attached = client
        .describe_disks()
        .disk_ids(disks.clone())
        .wait_until_disk_attached()
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
    let disk = &attached.disk_set[0];
    assert_eq!(
        (
            disk.attached,
            disk.instance_id.as_deref(),
            disk.disk_name.as_deref()
        ),
        (Some(true), Some(instance.as_str()), Some("data"))
    );
    assert!(
        attached.unread_members.is_empty(),
        "the answer has the documented shape: {:?}",
        attached.unread_members
    );
    let in_use = client
        .terminate_disks()
        .disk_ids(disks.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        in_use.code(),
        Some("ResourceUnavailable.Attached"),
        "{in_use}"
    );

    client
        .detach_disks()
        .disk_ids(disks.clone())
        .send()
        .await
        .unwrap();
    client
        .describe_disks()
        .disk_ids(disks.clone())
        .wait_until_disk_unattached()
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
    client
        .terminate_disks()
        .disk_ids(disks.clone())
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_disks()
        .disk_ids(disks)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.total_count, Some(0));
}

#[tokio::test]
async fn cvm_images_become_available_and_key_pair_names_are_unique() {
    use cvm::v20170312::Client;
    let running = start(300).await;
    let instance = launch_instance(&running).await;
    let client = Client::new(&running.regional_config());
    let image = client
        .create_image()
        .instance_id(&instance)
        .image_name("golden")
        .send()
        .await
        .unwrap()
        .image_id
        .unwrap();
    let available = client
        .describe_images()
        .image_ids([image.clone()])
        .wait_until_image_available()
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
    assert_eq!(available.image_set[0].image_name.as_deref(), Some("golden"));
    let missing = client
        .create_image()
        .instance_id("ins-0000dead")
        .image_name("none")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        missing.code(),
        Some("InvalidInstanceId.NotFound"),
        "{missing}"
    );

    let key = client
        .create_key_pair()
        .key_name("deploy")
        .project_id(0)
        .send()
        .await
        .unwrap()
        .key_pair
        .unwrap();
    assert_eq!(key.key_name.as_deref(), Some("deploy"));
    let taken = client
        .create_key_pair()
        .key_name("deploy")
        .project_id(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        taken.code(),
        Some("InvalidKeyPairName.Duplicate"),
        "{taken}"
    );
    let key_id = key.key_id.unwrap();
    client
        .delete_key_pairs()
        .key_ids([key_id.clone()])
        .send()
        .await
        .unwrap();
    let read = client
        .describe_key_pairs()
        .key_ids([key_id])
        .send()
        .await
        .unwrap();
    assert_eq!(read.total_count, Some(0));
}

#[tokio::test]
async fn vpc_eips_bind_to_instances_and_are_released_only_when_unbound() {
    use vpc::v20170312::Client;
    let running = start(0).await;
    let instance = launch_instance(&running).await;
    let client = Client::new(&running.regional_config());
    let eips = client
        .allocate_addresses()
        .address_count(2)
        .send()
        .await
        .unwrap()
        .address_set;
    assert_eq!(eips, ["eip-00000001", "eip-00000002"]);
    client
        .associate_address()
        .address_id(&eips[0])
        .instance_id(&instance)
        .send()
        .await
        .unwrap();
    let read = client.describe_addresses().send().await.unwrap();
    let statuses: Vec<_> = read
        .address_set
        .iter()
        .map(|a| (a.address_status.as_deref(), a.instance_id.as_deref()))
        .collect();
    assert_eq!(
        statuses,
        [
            (Some("BIND"), Some(instance.as_str())),
            (Some("UNBIND"), None)
        ]
    );
    let bound = client
        .release_addresses()
        .address_ids(eips.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        bound.code(),
        Some("UnsupportedOperation.AddressStatusNotPermit"),
        "{bound}"
    );
    client
        .disassociate_address()
        .address_id(&eips[0])
        .send()
        .await
        .unwrap();
    client
        .release_addresses()
        .address_ids(eips)
        .send()
        .await
        .unwrap();
    assert_eq!(
        client
            .describe_addresses()
            .send()
            .await
            .unwrap()
            .total_count,
        Some(0)
    );
}

#[tokio::test]
async fn clb_listeners_need_their_load_balancer() {
    use clb::v20180317::Client;
    let running = start(0).await;
    let client = Client::new(&running.regional_config());
    let lb = client
        .create_load_balancer()
        .load_balancer_type("OPEN")
        .load_balancer_name("front")
        .send()
        .await
        .unwrap()
        .load_balancer_ids
        .remove(0);
    let listener = client
        .create_listener()
        .load_balancer_id(&lb)
        .ports([443])
        .protocol("HTTPS")
        .listener_names(["https"])
        .send()
        .await
        .unwrap()
        .listener_ids;
    assert_eq!(listener.len(), 1);
    let orphan = client
        .create_listener()
        .load_balancer_id("lb-0000dead")
        .ports([80])
        .protocol("HTTP")
        .send()
        .await
        .unwrap_err();
    assert_eq!(orphan.code(), Some("ResourceNotFound"), "{orphan}");
    let read = client
        .describe_load_balancers()
        .load_balancer_ids([lb.clone()])
        .send()
        .await
        .unwrap();
    let balancer = &read.load_balancer_set[0];
    assert_eq!(
        (balancer.load_balancer_name.as_deref(), balancer.status),
        (Some("front"), Some(1))
    );
    let listeners = client
        .describe_listeners()
        .load_balancer_id(&lb)
        .send()
        .await
        .unwrap();
    assert_eq!(listeners.total_count, Some(1));
    client
        .delete_load_balancer()
        .load_balancer_ids([lb.clone()])
        .send()
        .await
        .unwrap();
    let read = client
        .describe_load_balancers()
        .load_balancer_ids([lb])
        .send()
        .await
        .unwrap();
    assert_eq!(read.total_count, Some(0));
}

#[tokio::test]
async fn cam_users_roles_and_policies_read_back_by_name_and_number() {
    use cam::v20190116::Client;
    let running = start(0).await;
    let client = Client::new(&running.regional_config());
    client
        .add_user()
        .name("ci-bot")
        .remark("runs CI")
        .send()
        .await
        .unwrap();
    let user = client.get_user().name("ci-bot").send().await.unwrap();
    assert_eq!(
        (user.name.as_deref(), user.remark.as_deref()),
        (Some("ci-bot"), Some("runs CI"))
    );
    let twice = client.add_user().name("ci-bot").send().await.unwrap_err();
    assert_eq!(
        twice.code(),
        Some("InvalidParameter.SubUserNameInUse"),
        "{twice}"
    );

    let document =
        r#"{"version":"2.0","statement":[{"effect":"allow","action":["cvm:*"],"resource":["*"]}]}"#;
    let policy = client
        .create_policy()
        .policy_name("cvm-all")
        .policy_document(document)
        .send()
        .await
        .unwrap()
        .policy_id
        .unwrap();
    assert_eq!(policy, 1, "policy ids are numbers counted from 1");
    let listed = client.list_policies().send().await.unwrap();
    assert_eq!(listed.total_num, Some(1));
    assert_eq!(listed.list[0].policy_name.as_deref(), Some("cvm-all"));
    let role = client
        .create_role()
        .role_name("deployer")
        .policy_document(document)
        .send()
        .await
        .unwrap()
        .role_id
        .unwrap();
    let read = client.get_role().role_id(&role).send().await.unwrap();
    assert_eq!(
        read.role_info.and_then(|r| r.role_name).as_deref(),
        Some("deployer")
    );

    client
        .delete_policy()
        .policy_id([policy])
        .send()
        .await
        .unwrap();
    let gone = client
        .get_policy()
        .policy_id(policy)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        gone.code(),
        Some("ResourceNotFound.PolicyIdNotFound"),
        "{gone}"
    );
    client.delete_role().role_id(&role).send().await.unwrap();
    client.delete_user().name("ci-bot").send().await.unwrap();
    let gone = client.get_user().name("ci-bot").send().await.unwrap_err();
    assert_eq!(gone.code(), Some("ResourceNotFound.UserNotExist"), "{gone}");
}

#[tokio::test]
async fn a_tke_cluster_is_waited_for_until_running() {
    use tke::v20180525::{
        Client,
        types::{ClusterBasicSettings, ClusterCIDRSettings},
    };
    let running = start(400).await;
    let client = Client::new(&running.regional_config());
    let cluster = client
        .create_cluster()
        .cluster_type("MANAGED_CLUSTER")
        .cluster_cidr_settings(ClusterCIDRSettings::default().cluster_cidr("172.16.0.0/16"))
        .cluster_basic_settings(ClusterBasicSettings::default().cluster_name("prod"))
        .send()
        .await
        .unwrap()
        .cluster_id
        .unwrap();
    let first = client
        .describe_clusters()
        .cluster_ids([cluster.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(
        first.clusters[0].cluster_status.as_deref(),
        Some("Creating")
    );
    let running_now = client
        .describe_clusters()
        .cluster_ids([cluster.clone()])
        .wait_until_cluster_running()
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
    assert_eq!(
        running_now.clusters[0].cluster_id.as_deref(),
        Some(cluster.as_str())
    );
    client
        .delete_cluster()
        .cluster_id(&cluster)
        .instance_delete_mode("terminate")
        .send()
        .await
        .unwrap();
    let again = client
        .delete_cluster()
        .cluster_id(&cluster)
        .instance_delete_mode("terminate")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        again.code(),
        Some("ResourceNotFound.ClusterNotFound"),
        "{again}"
    );
}

#[test]
fn the_coverage_report_lists_every_action_and_how_it_answers() {
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .args(["--coverage", "--actions"])
        .output()
        .expect("binary runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let (summary, lines) = {
        let mut lines: Vec<&str> = text.lines().collect();
        (lines.pop().unwrap_or_default(), lines)
    };
    let how = |service: &str, action: &str| -> Vec<&str> {
        lines
            .iter()
            .map(|line| line.split('\t').collect::<Vec<_>>())
            .find(|fields| fields[0] == service && fields[2] == action)
            .map(|fields| fields[3..].to_vec())
            .unwrap_or_default()
    };
    assert_eq!(
        how("cbs", "AttachDisks"),
        ["state", "Disk change by DiskIds"]
    );
    assert_eq!(how("cvm", "TerminateInstances"), ["state", "rule"]);
    assert_eq!(how("vpc", "DescribeIpGeolocationInfos"), ["examples", ""]);
    let stateful = lines.iter().filter(|l| l.contains("\tstate\t")).count();
    assert!(
        stateful >= 1_500,
        "{stateful} actions keep state: {summary}"
    );
    assert!(
        summary.contains(&format!(" {} actions: {stateful} keep state", lines.len())),
        "{summary}"
    );
}

#[tokio::test]
async fn a_rebooted_cvm_instance_is_rebooting_until_its_operation_succeeds() {
    use cvm::v20170312::Client;
    let running = start(300).await;
    let instance = launch_instance(&running).await;
    let client = Client::new(&running.regional_config());
    let read = || client.describe_instances().instance_ids([instance.clone()]);
    read()
        .wait_until_instance_running()
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
    client
        .reboot_instances()
        .instance_ids([instance.clone()])
        .send()
        .await
        .unwrap();
    let now = read().send().await.unwrap();
    assert_eq!(
        now.instance_set[0].instance_state.as_deref(),
        Some("REBOOTING")
    );
    let stop = client
        .stop_instances()
        .instance_ids([instance.clone()])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        stop.code(),
        Some("UnsupportedOperation.InstanceStateRebooting"),
        "{stop}"
    );
    let done = read()
        .wait_until_instance_operation_succeeded()
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
    let rebooted = &done.instance_set[0];
    assert_eq!(
        (
            rebooted.instance_state.as_deref(),
            rebooted.latest_operation.as_deref()
        ),
        (Some("RUNNING"), Some("RebootInstances"))
    );
}

#[tokio::test]
async fn a_vpn_tunnel_is_pending_then_deleted_only_through_its_own_gateway() {
    use vpc::v20170312::Client;
    let running = start(300).await;
    let client = Client::new(&running.regional_config());
    let vpc_id = client
        .create_vpc()
        .vpc_name("office")
        .cidr_block("10.7.0.0/16")
        .send()
        .await
        .unwrap()
        .vpc
        .and_then(|v| v.vpc_id)
        .unwrap();
    let gateway = |name: &'static str| {
        client
            .create_vpn_gateway()
            .vpc_id(&vpc_id)
            .vpn_gateway_name(name)
            .internet_max_bandwidth_out(5)
    };
    let gateway_id = gateway("primary")
        .send()
        .await
        .unwrap()
        .vpn_gateway
        .and_then(|g| g.vpn_gateway_id)
        .unwrap();
    let other_id = gateway("other")
        .send()
        .await
        .unwrap()
        .vpn_gateway
        .and_then(|g| g.vpn_gateway_id)
        .unwrap();
    let customer_id = client
        .create_customer_gateway()
        .customer_gateway_name("office")
        .ip_address("203.0.113.7")
        .send()
        .await
        .unwrap()
        .customer_gateway
        .and_then(|c| c.customer_gateway_id)
        .unwrap();
    let tunnel = client
        .create_vpn_connection()
        .vpn_gateway_id(&gateway_id)
        .customer_gateway_id(&customer_id)
        .vpn_connection_name("to-office")
        .pre_share_key("shared-secret")
        .send()
        .await
        .unwrap()
        .vpn_connection
        .unwrap();
    assert_eq!(tunnel.state.as_deref(), Some("PENDING"));
    let tunnel_id = tunnel.vpn_connection_id.unwrap();
    let delete = |gateway: &str| {
        client
            .delete_vpn_connection()
            .vpn_gateway_id(gateway)
            .vpn_connection_id(&tunnel_id)
    };
    let pending = delete(&gateway_id).send().await.unwrap_err();
    assert_eq!(
        pending.code(),
        Some("UnsupportedOperation.DeleteVpnConnInvalidState"),
        "{pending}"
    );
    let in_use = client
        .delete_vpn_gateway()
        .vpn_gateway_id(&gateway_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(in_use.code(), Some("ResourceInUse"), "{in_use}");
    running
        .admin(reqwest::Method::POST, "/transitions/complete", None)
        .await;
    let read = client
        .describe_vpn_connections()
        .vpn_connection_ids([tunnel_id.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.vpn_connection_set[0].state.as_deref(),
        Some("AVAILABLE")
    );
    let wrong = delete(&other_id).send().await.unwrap_err();
    assert_eq!(wrong.code(), Some("ResourceNotFound"), "{wrong}");
    let malformed = delete("vpngw-1").send().await.unwrap_err();
    assert_eq!(
        malformed.code(),
        Some("InvalidParameterValue.Malformed"),
        "{malformed}"
    );
    delete(&gateway_id).send().await.unwrap();
    client
        .delete_vpn_gateway()
        .vpn_gateway_id(&gateway_id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_dry_run_checks_and_changes_nothing() {
    use cvm::v20170312::Client;
    let running = start(0).await;
    let instance = launch_instance(&running).await;
    let client = Client::new(&running.regional_config());
    let image = || {
        client
            .create_image()
            .instance_id(&instance)
            .image_name("golden")
            .dry_run(true)
    };
    let checked = image().send().await.unwrap_err();
    assert_eq!(checked.code(), Some("DryRunOperation"), "{checked}");
    let read = client.describe_images().send().await.unwrap();
    assert_eq!(read.total_count, Some(0), "a dry run created nothing");
    let launch = client
        .run_instances()
        .dry_run(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(launch.code(), Some("DryRunOperation"), "{launch}");
    // The checks come first: a dry run naming a missing instance is refused for that.
    let missing = image()
        .instance_id("ins-0000dead")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        missing.code(),
        Some("InvalidInstanceId.NotFound"),
        "{missing}"
    );
}

#[tokio::test]
async fn a_test_steps_through_changes_of_state_one_at_a_time() {
    use tke::v20180525::{
        Client,
        types::{ClusterBasicSettings, ClusterCIDRSettings},
    };
    let running = start(3_600_000).await;
    let instance = launch_instance(&running).await;
    let clusters = Client::new(&running.regional_config());
    let cluster = clusters
        .create_cluster()
        .cluster_type("MANAGED_CLUSTER")
        .cluster_cidr_settings(ClusterCIDRSettings::default().cluster_cidr("172.16.0.0/16"))
        .cluster_basic_settings(ClusterBasicSettings::default().cluster_name("prod"))
        .send()
        .await
        .unwrap()
        .cluster_id
        .unwrap();
    let cvm = cvm::v20170312::Client::new(&running.regional_config());
    let states = || async {
        let instance_state = cvm
            .describe_instances()
            .instance_ids([instance.clone()])
            .send()
            .await
            .unwrap()
            .instance_set[0]
            .instance_state
            .clone();
        let cluster_state = clusters
            .describe_clusters()
            .cluster_ids([cluster.clone()])
            .send()
            .await
            .unwrap()
            .clusters[0]
            .cluster_status
            .clone();
        (instance_state.unwrap(), cluster_state.unwrap())
    };
    let step = || running.admin(reqwest::Method::POST, "/transitions/step", None);
    assert_eq!(states().await, ("PENDING".into(), "Creating".into()));
    assert_eq!(step().await["completed"], 1);
    assert_eq!(states().await, ("RUNNING".into(), "Creating".into()));
    assert_eq!(step().await["completed"], 1);
    assert_eq!(states().await, ("RUNNING".into(), "Running".into()));
    assert_eq!(step().await["completed"], 0);
}
