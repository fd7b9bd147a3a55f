//! Everything the emulator remembers between calls, behind one lock: resources and remembered
//! idempotent answers change together, so a replayed token can never race the action it guards.

use std::collections::{BTreeSet, HashMap};

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::idempotency::IdempotencyStore;
use crate::records::{Record, Records};
use crate::resources::{
    Instance, InstanceState, Proxy, VpnConnection, VpnConnectionState, VpnGateway,
    is_well_formed_id,
};
use crate::transitions::{self, Transitions};

/// A seed the emulator cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    #[error(
        "malformed {kind} id `{id}`: expected `{prefix}` followed by 8 lowercase letters or digits"
    )]
    MalformedId {
        kind: &'static str,
        id: String,
        prefix: &'static str,
    },
    #[error("{kind} id must not be empty")]
    EmptyId { kind: &'static str },
}

/// Where GAAP proxies are kept: as the records of their kind of `gaap`.
pub(crate) const GAAP: &str = "gaap";
pub(crate) const PROXY: &str = "Proxy";
/// Where VPN gateways and tunnels are kept: as the records of their kinds of `vpc`.
const VPC: &str = "vpc";
const VPN_GATEWAY: &str = "VpnGateway";
const VPN_CONNECTION: &str = "VpnConnection";

#[derive(Default)]
pub(crate) struct World {
    pub instances: HashMap<String, Instance>,
    pub idempotency: IdempotencyStore,
    /// How many items the listing of a paged action holds, by action, where it was set; the
    /// others hold as many as their documented example.
    pub listing_sizes: HashMap<String, usize>,
    /// How long changes of state take, and which launches fail.
    pub transitions: Transitions,
    /// The resources modelled as data, created through their actions.
    pub records: Records,
    /// Instances with a change of state under way: the only ones settling looks at, so a
    /// world of many instances settles in the time of the few that change.
    pub under_way: BTreeSet<String>,
}

fn well_formed(kind: &'static str, id: &str, prefix: &'static str) -> Result<(), SeedError> {
    if is_well_formed_id(id, prefix) {
        Ok(())
    } else {
        Err(SeedError::MalformedId {
            kind,
            id: id.to_string(),
            prefix,
        })
    }
}

/// The tunnel a record holds; a state other than the three known reads as `Pending`.
fn vpn_connection(id: &str, record: &Record) -> VpnConnection {
    let member = |name: &str| record.members.get(name).cloned().unwrap_or_default();
    let state = serde_json::from_value(member("State")).unwrap_or(VpnConnectionState::Pending);
    let gateway = member("VpnGatewayId")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    VpnConnection::new(id, gateway).state(state)
}

impl World {
    pub fn seed_instance(&mut self, instance: Instance) -> Result<(), SeedError> {
        well_formed("instance", &instance.instance_id, "ins-")?;
        self.instances
            .insert(instance.instance_id.clone(), instance);
        Ok(())
    }

    /// Seeds the proxy as the record its kind keeps (`gaap` `Proxy`), in the default region.
    pub fn seed_proxy(&mut self, proxy: Proxy) -> Result<(), SeedError> {
        if proxy.proxy_id.is_empty() {
            return Err(SeedError::EmptyId { kind: "proxy" });
        }
        let id = proxy.proxy_id.clone();
        let record = Record::new(crate::resources::DEFAULT_REGION, proxy.members());
        self.records.of_mut(GAAP, PROXY).insert(id, record);
        Ok(())
    }

    /// The GAAP proxies kept, by id.
    pub fn proxies(&self) -> Vec<Proxy> {
        let records = self.records.of(GAAP, PROXY).into_iter().flatten();
        records
            .map(|(id, record)| Proxy::from_members(id, &record.members))
            .collect()
    }

    /// The proxy `id`, when kept.
    pub fn proxy(&self, id: &str) -> Option<Proxy> {
        let record = self.records.of(GAAP, PROXY)?.get(id)?;
        Some(Proxy::from_members(id, &record.members))
    }

    /// Seeds the gateway as the record its kind keeps (`vpc` `VpnGateway`).
    pub fn seed_vpn_gateway(&mut self, gateway: VpnGateway) -> Result<(), SeedError> {
        well_formed("VPN gateway", &gateway.vpn_gateway_id, "vpngw-")?;
        let members = Map::from_iter([(
            "VpnGatewayId".to_owned(),
            Value::from(gateway.vpn_gateway_id.clone()),
        )]);
        self.records.of_mut(VPC, VPN_GATEWAY).insert(
            gateway.vpn_gateway_id,
            Record::new(&gateway.region, members),
        );
        Ok(())
    }

    /// Seeds the tunnel, in its gateway's region, and its gateway (in the default region) if
    /// that is not seeded yet.
    pub fn seed_vpn_connection(&mut self, connection: VpnConnection) -> Result<(), SeedError> {
        well_formed("VPN connection", &connection.vpn_connection_id, "vpnx-")?;
        well_formed("VPN gateway", &connection.vpn_gateway_id, "vpngw-")?;
        let gateway = &connection.vpn_gateway_id;
        let region = match self
            .records
            .of(VPC, VPN_GATEWAY)
            .and_then(|g| g.get(gateway))
        {
            Some(record) => record.region.clone(),
            None => {
                self.seed_vpn_gateway(VpnGateway::new(gateway.clone()))?;
                crate::resources::DEFAULT_REGION.to_owned()
            }
        };
        let members = Map::from_iter([
            (
                "VpnConnectionId".to_owned(),
                Value::from(connection.vpn_connection_id.clone()),
            ),
            ("VpnGatewayId".to_owned(), Value::from(gateway.clone())),
            (
                "State".to_owned(),
                serde_json::to_value(connection.state).unwrap_or_default(),
            ),
        ]);
        self.records
            .of_mut(VPC, VPN_CONNECTION)
            .insert(connection.vpn_connection_id, Record::new(&region, members));
        Ok(())
    }

    /// The VPN gateways kept, by id.
    pub fn vpn_gateways(&self) -> Vec<VpnGateway> {
        let records = self.records.of(VPC, VPN_GATEWAY).into_iter().flatten();
        records
            .map(|(id, record)| VpnGateway::new(id.clone()).region(record.region.clone()))
            .collect()
    }

    /// The VPN tunnels kept, by id.
    pub fn vpn_connections(&self) -> Vec<VpnConnection> {
        let records = self.records.of(VPC, VPN_CONNECTION).into_iter().flatten();
        records
            .map(|(id, record)| vpn_connection(id, record))
            .collect()
    }

    /// The VPN tunnel `id`, when kept.
    pub fn vpn_connection(&self, id: &str) -> Option<VpnConnection> {
        let record = self.records.of(VPC, VPN_CONNECTION)?.get(id)?;
        Some(vpn_connection(id, record))
    }

    /// Finishes every change of state due at `now` (every change, with `None`); returns how
    /// many finished.
    pub fn settle(&mut self, now: Option<Instant>) -> usize {
        let mut settled = 0;
        let instances = &mut self.instances;
        self.under_way.retain(|id| {
            let Some(instance) = instances.get_mut(id) else {
                return false;
            };
            settled += usize::from(transitions::settle(instance, now));
            instance.transition.is_some()
        });
        settled + self.records.settle(now)
    }

    /// Finishes the change under way due soonest (with any due at the same moment), as if its
    /// time had come, the others left under way; returns how many finished.
    pub fn step(&mut self) -> usize {
        let instances = self
            .under_way
            .iter()
            .filter_map(|id| Some(self.instances.get(id)?.transition?.at));
        match instances.chain(self.records.next_due()).min() {
            Some(due) => self.settle(Some(due)),
            None => 0,
        }
    }

    /// Starts `operation` on instance `id`: it is `now_in` at once and `to` after `after`.
    pub fn begin(
        &mut self,
        id: &str,
        operation: &str,
        (now_in, to): (InstanceState, InstanceState),
        after: Duration,
        now: Instant,
    ) {
        if let Some(instance) = self.instances.get_mut(id) {
            transitions::begin(instance, operation, now_in, to, after, now);
            self.under_way.insert(id.to_owned());
        }
    }

    /// A fresh instance id: `ins-` and 8 digits, counted as every id handed out is, never a
    /// seeded one's.
    pub fn new_instance_id(&mut self) -> String {
        loop {
            let id = self.records.new_id("ins-");
            if !self.instances.contains_key(&id) {
                return id;
            }
        }
    }

    /// Forgets every resource and remembered answer.
    pub fn clear(&mut self) {
        *self = World::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settling_follows_only_the_instances_whose_state_is_changing() {
        let mut world = World::default();
        for n in 0..1_000 {
            world
                .seed_instance(Instance::new(format!("ins-{n:08}")))
                .unwrap();
        }
        let start = Instant::now();
        world.begin(
            "ins-00000007",
            "StopInstances",
            (InstanceState::Stopping, InstanceState::Stopped),
            Duration::from_millis(100),
            start,
        );
        assert_eq!(world.under_way.len(), 1);
        assert_eq!(world.settle(Some(start)), 0);
        assert_eq!(world.settle(Some(start + Duration::from_millis(100))), 1);
        assert!(world.under_way.is_empty());
        assert_eq!(
            world.instances["ins-00000007"].instance_state,
            InstanceState::Stopped
        );
    }

    #[test]
    fn stepping_finishes_the_changes_one_at_a_time_soonest_first() {
        let mut world = World::default();
        for id in ["ins-00000001", "ins-00000002"] {
            world.seed_instance(Instance::new(id)).unwrap();
        }
        let start = Instant::now();
        let stop = (InstanceState::Stopping, InstanceState::Stopped);
        world.begin(
            "ins-00000002",
            "StopInstances",
            stop,
            Duration::from_secs(300),
            start,
        );
        world.begin(
            "ins-00000001",
            "StopInstances",
            stop,
            Duration::from_secs(100),
            start,
        );
        world.records.of_mut("vpc", "Vpc").insert(
            "vpc-00000001".to_owned(),
            Record::new("ap-guangzhou", Map::new()),
        );
        let renamed = Map::from_iter([("VpcName".to_owned(), Value::from("later"))]);
        let place = (
            "vpc".to_owned(),
            "Vpc".to_owned(),
            "vpc-00000001".to_owned(),
        );
        world
            .records
            .begin(place, start + Duration::from_secs(200), renamed);
        let state = |world: &World, id: &str| world.instances[id].instance_state;

        assert_eq!(world.step(), 1);
        assert_eq!(state(&world, "ins-00000001"), InstanceState::Stopped);
        assert_eq!(state(&world, "ins-00000002"), InstanceState::Stopping);
        assert_eq!(world.step(), 1);
        let vpc = &world.records.of("vpc", "Vpc").unwrap()["vpc-00000001"];
        assert_eq!(vpc.members["VpcName"], "later");
        assert_eq!(state(&world, "ins-00000002"), InstanceState::Stopping);
        assert_eq!(world.step(), 1);
        assert_eq!(state(&world, "ins-00000002"), InstanceState::Stopped);
        assert_eq!(world.step(), 0, "nothing left under way");
    }
}
