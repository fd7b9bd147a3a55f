//! VPC `DeleteVpnConnection` through the generated SDK: success and every error the emulator models.

use tencentcloud_emulator::{VpnConnection, VpnConnectionState, VpnGateway};
use tencentcloud_sdk::CommonError;
use tencentcloud_sdk::vpc::v20170312::DeleteVpnConnectionError;
use tencentcloud_tests::{
    assert_took_effect, delete_vpn_connection, expect_service_error, start_emulator,
};

#[tokio::test]
async fn delete_vpn_connection_deletes_the_tunnel_and_keeps_the_gateway() {
    let emulator = start_emulator().await;
    for tunnel in ["vpnx-p0j11j28", "vpnx-keepme01"] {
        emulator
            .seed_vpn_connection(VpnConnection::new(tunnel, "vpngw-7lcl5331"))
            .unwrap();
    }

    let output = delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-p0j11j28")
        .await
        .unwrap();

    assert_took_effect(&emulator, &output.request_id);
    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_none());
    assert!(emulator.vpn_connection("vpnx-keepme01").is_some());
    assert_eq!(emulator.vpn_gateways().len(), 1);
}

#[tokio::test]
async fn deleting_an_unknown_vpn_connection_is_resource_not_found() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_gateway(VpnGateway::new("vpngw-7lcl5331"))
        .unwrap();

    let refused = expect_service_error!(
        &emulator,
        delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-00000000").await,
        DeleteVpnConnectionError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );

    refused.assert_message_names("vpnx-00000000");
}

#[tokio::test]
async fn deleting_a_tunnel_twice_is_resource_not_found_the_second_time() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();
    let delete = || delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-p0j11j28");

    delete().await.unwrap();
    expect_service_error!(
        &emulator,
        delete().await,
        DeleteVpnConnectionError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );
}

#[tokio::test]
async fn deleting_on_an_unknown_gateway_is_resource_not_found() {
    let emulator = start_emulator().await;

    let refused = expect_service_error!(
        &emulator,
        delete_vpn_connection(&emulator, "vpngw-00000000", "vpnx-p0j11j28").await,
        DeleteVpnConnectionError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );

    refused.assert_message_names("vpngw-00000000");
}

#[tokio::test]
async fn a_tunnel_of_another_gateway_is_resource_not_found_and_survives() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();
    emulator
        .seed_vpn_gateway(VpnGateway::new("vpngw-other001"))
        .unwrap();

    expect_service_error!(
        &emulator,
        delete_vpn_connection(&emulator, "vpngw-other001", "vpnx-p0j11j28").await,
        DeleteVpnConnectionError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );

    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_some());
}

#[tokio::test]
async fn a_malformed_tunnel_id_is_invalid_parameter_value_malformed() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_gateway(VpnGateway::new("vpngw-7lcl5331"))
        .unwrap();

    let refused = expect_service_error!(
        &emulator,
        delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-12").await,
        DeleteVpnConnectionError::InvalidParameterValueMalformed,
        "InvalidParameterValue.Malformed",
    );

    refused.assert_message_names("vpnx-12");
}

#[tokio::test]
async fn a_tunnel_that_is_not_available_cannot_be_deleted_now() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_connection(
            VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331")
                .state(VpnConnectionState::Pending),
        )
        .unwrap();

    expect_service_error!(
        &emulator,
        delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-p0j11j28").await,
        DeleteVpnConnectionError::UnsupportedOperationDeleteVpnConnInvalidState,
        "UnsupportedOperation.DeleteVpnConnInvalidState",
    );

    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_some());
}

#[tokio::test]
async fn a_gateway_of_another_region_is_resource_not_found() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_gateway(VpnGateway::new("vpngw-7lcl5331").region("ap-shanghai"))
        .unwrap();
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();

    expect_service_error!(
        &emulator,
        delete_vpn_connection(&emulator, "vpngw-7lcl5331", "vpnx-p0j11j28").await,
        DeleteVpnConnectionError::Common => CommonError::ResourceNotFound,
        "ResourceNotFound",
    );

    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_some());
}
