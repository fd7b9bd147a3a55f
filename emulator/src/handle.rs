//! A running emulator: where it listens, how to sign for it, and the admin operations (seed
//! resources, script faults, read the request log) tests drive it with.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::catalog::{ServedService, SpecsFolder};
use crate::emulator::{ADMIN_PATH, Shared};
use crate::faults::{Fault, FaultError};
use crate::log::LogEntry;
use crate::resources::{Instance, Proxy, VpnConnection, VpnGateway};
use crate::server;
use crate::snapshot::Snapshot;
use crate::state::SeedError;
use crate::transitions::Transitions;

/// A running emulator. Dropping it stops the server; [`shutdown`](Self::shutdown) also waits for
/// in-flight calls.
pub struct EmulatorHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("endpoint", &self.endpoint())
            .field("secret_id", &self.secret_id())
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    pub(crate) fn serve(shared: Arc<Shared>, listener: TcpListener) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, Arc::clone(&shared), stopped));
        Ok(EmulatorHandle {
            shared,
            addr,
            stop,
            task: Some(task),
        })
    }

    /// Base URL for SDK configuration, e.g. `http://127.0.0.1:41234` (`https://` when built
    /// with [`tls`](crate::EmulatorBuilder::tls)).
    pub fn endpoint(&self) -> String {
        format!("{}://{}", self.scheme(), self.addr)
    }

    fn scheme(&self) -> &'static str {
        if self.shared.tls.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// The certificate served over HTTPS, as PEM, for clients to trust; `None` over HTTP.
    pub fn tls_certificate_pem(&self) -> Option<&str> {
        self.shared
            .tls
            .as_ref()
            .map(|tls| tls.certificate_pem.as_str())
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL of the admin HTTP API, e.g. `http://127.0.0.1:41234/_emulator`.
    pub fn admin_url(&self) -> String {
        format!("{}://{}{ADMIN_PATH}", self.scheme(), self.addr)
    }

    /// The first configured secret id.
    pub fn secret_id(&self) -> &str {
        &self.shared.primary_secret_id
    }

    /// The secret key of [`secret_id`](Self::secret_id).
    pub fn secret_key(&self) -> &str {
        self.shared
            .keyring
            .fixed_key(&self.shared.primary_secret_id)
            .unwrap_or_default()
    }

    pub fn specs_dir(&self) -> &Path {
        self.shared.specs_dir()
    }

    /// The services and versions compiled so far: those that have been called.
    pub fn served_services(&self) -> Vec<ServedService> {
        self.shared.catalog.served()
    }

    /// The specs folder served: how many services and versions it holds, and how many
    /// services have been compiled.
    pub fn specs_folder(&self) -> SpecsFolder {
        self.shared.catalog.specs_folder()
    }

    /// Adds or replaces an instance.
    pub fn seed_instance(&self, instance: Instance) -> Result<(), SeedError> {
        self.shared.world().seed_instance(instance)
    }

    /// Adds or replaces a GAAP proxy.
    pub fn seed_proxy(&self, proxy: Proxy) -> Result<(), SeedError> {
        self.shared.world().seed_proxy(proxy)
    }

    /// Adds or replaces a VPN gateway.
    pub fn seed_vpn_gateway(&self, gateway: VpnGateway) -> Result<(), SeedError> {
        self.shared.world().seed_vpn_gateway(gateway)
    }

    /// Adds or replaces a VPN tunnel, seeding its gateway too when needed.
    pub fn seed_vpn_connection(&self, connection: VpnConnection) -> Result<(), SeedError> {
        self.shared.world().seed_vpn_connection(connection)
    }

    /// Seeds the resources the reference pages' examples name, so their example requests work
    /// as written: instance `ins-3jaw1j8m`; proxies `link-11112222`, `link-11113333`,
    /// `link-4ftf12sb` (running, scalable, unbound, no group); VPN gateway `vpngw-7lcl5331` with
    /// tunnel `vpnx-p0j11j28`.
    pub fn seed_reference_examples(&self) -> Result<(), SeedError> {
        let mut world = self.shared.world();
        world.seed_instance(Instance::new("ins-3jaw1j8m"))?;
        for proxy in ["link-11112222", "link-11113333", "link-4ftf12sb"] {
            world.seed_proxy(Proxy::new(proxy))?;
        }
        world.seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))
    }

    /// The state as of now: resources, ids handed out, changes under way.
    pub fn snapshot(&self) -> Snapshot {
        self.shared.world().snapshot(std::time::Instant::now())
    }

    /// Replaces the state with `snapshot`'s (changes under way resume from now); the state is
    /// kept as it was when a resource of the snapshot cannot be held.
    pub fn restore(&self, snapshot: Snapshot) -> Result<(), SeedError> {
        self.shared
            .world()
            .restore(snapshot, std::time::Instant::now())
    }

    /// How long changes of state take from now on (launching, stopping, starting) and how
    /// many of the next launches fail.
    pub fn set_transitions(&self, transitions: Transitions) {
        self.shared.world().transitions = transitions;
    }

    /// Finishes every change of state under way at once, as if its time had passed; returns
    /// how many finished.
    pub fn complete_transitions(&self) -> usize {
        self.shared.world().settle(None)
    }

    /// Finishes only the change of state due soonest (and any due at the same moment), for
    /// tests that walk through changes one at a time; returns how many finished (0 when none
    /// is under way).
    pub fn step_transition(&self) -> usize {
        self.shared.world().step()
    }

    pub fn instance(&self, instance_id: &str) -> Option<Instance> {
        self.shared.world().instances.get(instance_id).cloned()
    }

    pub fn instances(&self) -> Vec<Instance> {
        sorted(self.shared.world().instances.values().cloned(), |i| {
            i.instance_id.clone()
        })
    }

    /// The proxy, or `None` once destroyed.
    pub fn proxy(&self, proxy_id: &str) -> Option<Proxy> {
        self.shared.world().proxy(proxy_id)
    }

    pub fn proxies(&self) -> Vec<Proxy> {
        self.shared.world().proxies()
    }

    pub fn vpn_gateways(&self) -> Vec<VpnGateway> {
        self.shared.world().vpn_gateways()
    }

    /// The VPN tunnel, or `None` once deleted.
    pub fn vpn_connection(&self, vpn_connection_id: &str) -> Option<VpnConnection> {
        self.shared.world().vpn_connection(vpn_connection_id)
    }

    pub fn vpn_connections(&self) -> Vec<VpnConnection> {
        self.shared.world().vpn_connections()
    }

    /// Makes the listing of the paged action `action` hold `size` items (copies of its
    /// documented example's first item, each told apart by its index), served page by page.
    pub fn set_listing_size(&self, action: &str, size: usize) {
        self.shared
            .world()
            .listing_sizes
            .insert(action.to_owned(), size);
    }

    /// Makes the next `times` calls of `action` (`"*"`: any action) fail with `fault`.
    pub fn script_fault(&self, action: &str, fault: Fault, times: u32) -> Result<(), FaultError> {
        self.shared.script_fault(action, fault, times)
    }

    /// Makes each call of `action` (`"*"`: any action) fail with `fault` with this probability
    /// (0 removes it), drawn from the RNG seeded by [`set_fault_seed`](Self::set_fault_seed).
    pub fn set_fault_rate(
        &self,
        action: &str,
        fault: Fault,
        probability: f64,
    ) -> Result<(), FaultError> {
        self.shared.set_fault_rate(action, fault, probability)
    }

    pub fn set_fault_seed(&self, seed: u64) {
        self.shared.set_fault_seed(seed);
    }

    /// Removes every scripted and probabilistic fault.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// Every API call so far (admin calls excluded), oldest first.
    pub fn request_log(&self) -> Vec<LogEntry> {
        self.shared.request_log()
    }

    pub fn clear_request_log(&self) {
        self.shared.log.clear();
    }

    /// Turns the documented rate limits on or off.
    pub fn set_rate_limits_enabled(&self, enabled: bool) {
        self.shared.rate_limiter.set_enabled(enabled);
    }

    /// Overrides one action's limit in requests per second (`Some(0)`: unlimited; `None`: back to
    /// the documented limit).
    pub fn set_rate_limit(&self, action: &str, per_second: Option<u32>) {
        self.shared.rate_limiter.set_override(action, per_second);
    }

    /// Forgets all resources, remembered idempotency tokens, faults, the log and rate-limit
    /// history.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops accepting, lets in-flight calls finish (up to 5 s) and returns.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

fn sorted<T>(items: impl Iterator<Item = T>, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut items: Vec<T> = items.collect();
    items.sort_by_key(key);
    items
}
