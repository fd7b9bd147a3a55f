//! VPC `DeleteVpnConnection`.

use serde_json::Map;

use super::{CallContext, Effect};
use crate::api_error::ApiError;
use crate::resources::{VpnConnectionState, is_well_formed_id};
use crate::state::World;
use crate::validate::Params;

pub(super) fn delete_vpn_connection(
    world: &mut World,
    ctx: &CallContext<'_>,
    params: &Params,
) -> Result<Effect, ApiError> {
    let gateway_id = params
        .string("VpnGatewayId")
        .ok_or_else(|| ApiError::missing_parameter("VpnGatewayId"))?;
    let connection_id = params
        .string("VpnConnectionId")
        .ok_or_else(|| ApiError::missing_parameter("VpnConnectionId"))?;
    for (name, id, prefix) in [
        ("VpnGatewayId", gateway_id, "vpngw-"),
        ("VpnConnectionId", connection_id, "vpnx-"),
    ] {
        if !is_well_formed_id(id, prefix) {
            return Err(ApiError::new(
                "InvalidParameterValue.Malformed",
                format!(
                    "The parameter `{name}` value `{id}` is malformed: expected `{prefix}` followed by 8 lowercase letters or digits."
                ),
            ));
        }
    }
    let gateway_found = world
        .vpn_gateways
        .get(gateway_id)
        .is_some_and(|g| ctx.region.is_none_or(|r| r == g.region));
    if !gateway_found {
        return Err(ApiError::new(
            "ResourceNotFound",
            format!("The VPN gateway `{gateway_id}` does not exist."),
        ));
    }
    let connection = world
        .vpn_connections
        .get(connection_id)
        .filter(|c| c.vpn_gateway_id == gateway_id)
        .ok_or_else(|| {
            ApiError::new(
                "ResourceNotFound",
                format!(
                    "The VPN connection `{connection_id}` does not exist on gateway `{gateway_id}`."
                ),
            )
        })?;
    if connection.state != VpnConnectionState::Available {
        return Err(ApiError::new(
            "UnsupportedOperation.DeleteVpnConnInvalidState",
            format!(
                "The VPN connection `{connection_id}` is {:?} and cannot be deleted now.",
                connection.state
            ),
        ));
    }
    world.vpn_connections.remove(connection_id);
    Ok(Effect::changed(Map::new()))
}
