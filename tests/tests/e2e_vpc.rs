//! VPC `DeleteVpnConnection` through the generated SDK: success and every error the emulator models.

use tencentcloud_emulator::{VpnConnection, VpnConnectionState, VpnGateway};
use tencentcloud_runtime::SdkError;
use tencentcloud_sdk::vpc::v20170312::DeleteVpnConnectionError;
use tencentcloud_tests::{assert_service_error, assert_took_effect, start_emulator, vpc};

#[tokio::test]
async fn delete_vpn_connection_deletes_the_tunnel_and_keeps_the_gateway() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-keepme01", "vpngw-7lcl5331"))
        .unwrap();

    let output = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
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

    let error = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-00000000")
        .send()
        .await
        .unwrap_err();

    let SdkError::Service(DeleteVpnConnectionError::ResourceNotFound(e)) = &error else {
        panic!("expected ResourceNotFound, got {error:?}");
    };
    assert!(e.message().contains("vpnx-00000000"), "{e}");
    assert_service_error(&emulator, &error, "ResourceNotFound");
}

#[tokio::test]
async fn deleting_a_tunnel_twice_is_resource_not_found_the_second_time() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
        .unwrap();
    let client = vpc(&emulator);
    let delete = || {
        client
            .delete_vpn_connection()
            .vpn_gateway_id("vpngw-7lcl5331")
            .vpn_connection_id("vpnx-p0j11j28")
            .send()
    };

    delete().await.unwrap();
    let error = delete().await.unwrap_err();

    assert!(
        matches!(
            error,
            SdkError::Service(DeleteVpnConnectionError::ResourceNotFound(_))
        ),
        "{error:?}"
    );
    assert_service_error(&emulator, &error, "ResourceNotFound");
}

#[tokio::test]
async fn deleting_on_an_unknown_gateway_is_resource_not_found() {
    let emulator = start_emulator().await;

    let error = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-00000000")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await
        .unwrap_err();

    let SdkError::Service(DeleteVpnConnectionError::ResourceNotFound(e)) = &error else {
        panic!("expected ResourceNotFound, got {error:?}");
    };
    assert!(e.message().contains("vpngw-00000000"), "{e}");
    assert_service_error(&emulator, &error, "ResourceNotFound");
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

    let error = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-other001")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            SdkError::Service(DeleteVpnConnectionError::ResourceNotFound(_))
        ),
        "{error:?}"
    );
    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_some());
}

#[tokio::test]
async fn a_malformed_tunnel_id_is_invalid_parameter_value_malformed() {
    let emulator = start_emulator().await;
    emulator
        .seed_vpn_gateway(VpnGateway::new("vpngw-7lcl5331"))
        .unwrap();

    let error = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-12")
        .send()
        .await
        .unwrap_err();

    let SdkError::Service(DeleteVpnConnectionError::InvalidParameterValueMalformed(e)) = &error
    else {
        panic!("expected InvalidParameterValueMalformed, got {error:?}");
    };
    assert!(e.message().contains("vpnx-12"), "{e}");
    assert_service_error(&emulator, &error, "InvalidParameterValue.Malformed");
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

    let error = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            SdkError::Service(
                DeleteVpnConnectionError::UnsupportedOperationDeleteVpnConnInvalidState(_)
            )
        ),
        "{error:?}"
    );
    assert_service_error(
        &emulator,
        &error,
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

    let error = vpc(&emulator)
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            SdkError::Service(DeleteVpnConnectionError::ResourceNotFound(_))
        ),
        "{error:?}"
    );
    assert!(emulator.vpn_connection("vpnx-p0j11j28").is_some());
}
