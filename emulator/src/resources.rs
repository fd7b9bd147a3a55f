//! The cloud resources the emulator keeps, as seeded through the admin API and changed by actions.
//!
//! State names are Tencent's own (`RUNNING`, `STOPPED`, ...), so the admin HTTP API speaks the same
//! words as the DescribeInstances / DescribeProxies answers users know.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Region resources are seeded in when the seed does not say.
pub const DEFAULT_REGION: &str = "ap-guangzhou";

fn default_region() -> String {
    DEFAULT_REGION.to_string()
}

/// A CVM instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    /// `ins-` followed by 8 lowercase letters or digits.
    pub instance_id: String,
    #[serde(default = "default_region")]
    pub region: String,
    /// Termination protection: `TerminateInstances` answers `UnsupportedOperation.InstancesProtected`.
    #[serde(default)]
    pub disable_api_termination: bool,
    #[serde(default)]
    pub instance_state: InstanceState,
    /// The last action that changed the instance (`RunInstances`), as DescribeInstances reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_operation: Option<String>,
    /// `OPERATING` while that action is under way, then `SUCCESS` or `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_operation_state: Option<String>,
    /// The state the instance is moving to and when it gets there.
    #[serde(skip)]
    pub transition: Option<Transition>,
}

/// A change of state under way: an instance launching, stopping or starting reaches `to` at
/// `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: InstanceState,
    pub at: std::time::Instant,
}

impl Instance {
    /// A running, unprotected instance in [`DEFAULT_REGION`].
    pub fn new(instance_id: impl Into<String>) -> Self {
        Instance {
            instance_id: instance_id.into(),
            region: default_region(),
            disable_api_termination: false,
            instance_state: InstanceState::Running,
            latest_operation: None,
            latest_operation_state: None,
            transition: None,
        }
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Turns termination protection on or off.
    pub fn protected(mut self, protected: bool) -> Self {
        self.disable_api_termination = protected;
        self
    }

    pub fn state(mut self, state: InstanceState) -> Self {
        self.instance_state = state;
        self
    }
}

/// `InstanceState` as DescribeInstances reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceState {
    Pending,
    LaunchFailed,
    #[default]
    Running,
    Stopped,
    Starting,
    Stopping,
    Rebooting,
    Shutdown,
    Terminating,
    /// Terminated by `TerminateInstances`; kept so a second call gets the documented answer.
    Terminated,
}

/// A GAAP connection ("proxy").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Proxy {
    /// E.g. `link-11112222`.
    pub proxy_id: String,
    /// The connection group, if the proxy is in one; batch operations need one group.
    #[serde(default)]
    pub group_id: Option<String>,
    /// Whether an origin server is bound: `DestroyProxies` with `Force=0` refuses to destroy it.
    #[serde(default)]
    pub real_server_bound: bool,
    /// `Scalarable` in DescribeProxies: whether `ModifyProxyConfiguration` may change it.
    #[serde(default = "yes")]
    pub scalable: bool,
    #[serde(default)]
    pub status: ProxyStatus,
    /// Mbps.
    #[serde(default = "default_bandwidth")]
    pub bandwidth: u64,
    /// In units of 10,000 concurrent connections.
    #[serde(default = "default_concurrent")]
    pub concurrent: u64,
    /// 0: bill by bandwidth, 1: bill by traffic.
    #[serde(default)]
    pub billing_type: i64,
}

fn yes() -> bool {
    true
}

fn default_bandwidth() -> u64 {
    10
}

fn default_concurrent() -> u64 {
    2
}

impl Proxy {
    /// A running, scalable proxy in no group with no origin server bound.
    pub fn new(proxy_id: impl Into<String>) -> Self {
        Proxy {
            proxy_id: proxy_id.into(),
            group_id: None,
            real_server_bound: false,
            scalable: true,
            status: ProxyStatus::Running,
            bandwidth: default_bandwidth(),
            concurrent: default_concurrent(),
            billing_type: 0,
        }
    }

    pub fn group(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some(group_id.into());
        self
    }

    pub fn real_server_bound(mut self, bound: bool) -> Self {
        self.real_server_bound = bound;
        self
    }

    pub fn scalable(mut self, scalable: bool) -> Self {
        self.scalable = scalable;
        self
    }

    pub fn status(mut self, status: ProxyStatus) -> Self {
        self.status = status;
        self
    }

    /// The proxy as the record DescribeProxies lists (`ProxyId` and its older name
    /// `InstanceId`, `Scalarable` 1 or 0), with `RealServerBound`, which no answer shows.
    pub(crate) fn members(&self) -> Map<String, Value> {
        let mut members = Map::new();
        let mut put = |name: &str, value: Value| {
            members.insert(name.to_owned(), value);
        };
        put("ProxyId", Value::from(self.proxy_id.clone()));
        put("InstanceId", Value::from(self.proxy_id.clone()));
        put("GroupId", Value::from(self.group_id.clone()));
        put("RealServerBound", Value::from(self.real_server_bound));
        put("Scalarable", Value::from(u64::from(self.scalable)));
        put(
            "Status",
            serde_json::to_value(self.status).unwrap_or_default(),
        );
        put("Bandwidth", Value::from(self.bandwidth));
        put("Concurrent", Value::from(self.concurrent));
        put("BillingType", Value::from(self.billing_type));
        members
    }

    /// The proxy a record holds; a status other than those known reads as `Creating` (one
    /// that is not destroyable).
    pub(crate) fn from_members(id: &str, members: &Map<String, Value>) -> Self {
        let get = |name: &str| members.get(name).cloned().unwrap_or_default();
        Proxy {
            proxy_id: id.to_owned(),
            group_id: get("GroupId")
                .as_str()
                .filter(|g| !g.is_empty())
                .map(str::to_owned),
            real_server_bound: get("RealServerBound").as_bool().unwrap_or(false),
            scalable: get("Scalarable").as_u64() == Some(1),
            status: serde_json::from_value(get("Status")).unwrap_or(ProxyStatus::Creating),
            bandwidth: get("Bandwidth").as_u64().unwrap_or_default(),
            concurrent: get("Concurrent").as_u64().unwrap_or_default(),
            billing_type: get("BillingType").as_i64().unwrap_or_default(),
        }
    }
}

/// Proxy `Status` as DescribeProxies reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProxyStatus {
    #[default]
    Running,
    Creating,
    Destroying,
    Opening,
    Closing,
    Closed,
    Adjusting,
    Isolating,
    Isolated,
    Cloning,
    Recovering,
    Moving,
}

impl ProxyStatus {
    /// Statuses from which a proxy can be destroyed; others land in `InvalidStatusInstanceSet`.
    pub fn is_destroyable(self) -> bool {
        matches!(
            self,
            ProxyStatus::Running | ProxyStatus::Closed | ProxyStatus::Isolated
        )
    }
}

/// A VPN gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnGateway {
    /// `vpngw-` followed by 8 lowercase letters or digits.
    pub vpn_gateway_id: String,
    #[serde(default = "default_region")]
    pub region: String,
}

impl VpnGateway {
    pub fn new(vpn_gateway_id: impl Into<String>) -> Self {
        VpnGateway {
            vpn_gateway_id: vpn_gateway_id.into(),
            region: default_region(),
        }
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }
}

/// A VPN tunnel on a gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpnConnection {
    /// `vpnx-` followed by 8 lowercase letters or digits.
    pub vpn_connection_id: String,
    pub vpn_gateway_id: String,
    #[serde(default)]
    pub state: VpnConnectionState,
}

impl VpnConnection {
    /// An available tunnel on `vpn_gateway_id`.
    pub fn new(vpn_connection_id: impl Into<String>, vpn_gateway_id: impl Into<String>) -> Self {
        VpnConnection {
            vpn_connection_id: vpn_connection_id.into(),
            vpn_gateway_id: vpn_gateway_id.into(),
            state: VpnConnectionState::Available,
        }
    }

    pub fn state(mut self, state: VpnConnectionState) -> Self {
        self.state = state;
        self
    }
}

/// VPN tunnel `State` as DescribeVpnConnections reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VpnConnectionState {
    Pending,
    #[default]
    Available,
    Deleting,
}

/// Whether `id` is `prefix` followed by exactly 8 lowercase ASCII letters or digits.
pub(crate) fn is_well_formed_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}
