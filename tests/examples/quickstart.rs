//! Quickstart: the generated SDK against a local emulator — no account, no network beyond loopback.
//!
//! ```sh
//! cargo run -p tencentcloud-tests --example quickstart
//! ```
//!
//! Starts the emulator in-process on a free loopback port, seeds an instance, three GAAP proxies
//! and a VPN tunnel, then calls the four actions through the generated clients exactly as against
//! Tencent Cloud (only the endpoint differs), and handles one typed error: terminating an
//! instance under termination protection.

use std::error::Error;
use std::process::ExitCode;

use tencentcloud_emulator::{
    Emulator, EmulatorHandle, Instance, Proxy, ProxyStatus, VpnConnection,
};
use tencentcloud_sdk::cvm::v20170312::{self as cvm, TerminateInstancesError};
use tencentcloud_sdk::gaap::v20180529 as gaap;
use tencentcloud_sdk::vpc::v20170312 as vpc;
use tencentcloud_sdk::{Config, Credentials, SdkError};

const SECRET_ID: &str = "AKIDquickstart00000000000000000000001";
const SECRET_KEY: &str = "quickstart-secret-key";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            let mut cause = error.source();
            while let Some(inner) = cause {
                eprintln!("  caused by: {inner}");
                cause = inner.source();
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::builder()
        .credential(SECRET_ID, SECRET_KEY)
        .build()?
        .start("127.0.0.1:0")
        .await?;
    println!("Emulator listening on {}", emulator.endpoint());
    seed(&emulator)?;

    // The same configuration a program uses against Tencent Cloud, plus the emulator's endpoint.
    let config = Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY)?)
        .region("ap-guangzhou")
        .endpoint(emulator.endpoint())
        .build()?;
    let cvm = cvm::Client::new(&config);
    let gaap = gaap::Client::new(&config);
    let vpc = vpc::Client::new(&config);

    println!("\n1. cvm TerminateInstances ins-3jaw1j8m");
    let terminated = cvm
        .terminate_instances()
        .instance_ids(["ins-3jaw1j8m"])
        .send()
        .await?;
    println!("   terminated (request id {})", terminated.request_id);

    println!("\n2. gaap DestroyProxies link-11112222, link-11113333 (Force=1)");
    let destroyed = gaap
        .destroy_proxies()
        .force(1)
        .proxy_ids(["link-11112222", "link-11113333"])
        .send()
        .await?;
    println!("   done (request id {})", destroyed.request_id);
    println!(
        "   kept, their status forbids destroying them: {:?}",
        destroyed.invalid_status_instance_set
    );
    println!(
        "   failed to destroy: {:?}",
        destroyed.operation_failed_instance_set
    );

    println!("\n3. gaap ModifyProxyConfiguration link-4ftf12sb: 20 Mbps, 5 x 10,000 connections");
    let modified = gaap
        .modify_proxy_configuration()
        .proxy_id("link-4ftf12sb")
        .bandwidth(20)
        .concurrent(5)
        .send()
        .await?;
    println!("   modified (request id {})", modified.request_id);

    println!("\n4. vpc DeleteVpnConnection vpnx-p0j11j28 on vpngw-7lcl5331");
    let deleted = vpc
        .delete_vpn_connection()
        .vpn_gateway_id("vpngw-7lcl5331")
        .vpn_connection_id("vpnx-p0j11j28")
        .send()
        .await?;
    println!("   deleted (request id {})", deleted.request_id);

    println!("\n5. cvm TerminateInstances ins-protect1 (under termination protection)");
    match cvm
        .terminate_instances()
        .instance_ids(["ins-protect1"])
        .send()
        .await
    {
        Err(SdkError::Service(
            TerminateInstancesError::UnsupportedOperationInstancesProtected(error),
        )) => {
            println!("   refused, as documented:");
            println!("     code:       {}", error.code());
            println!("     message:    {}", error.message());
            println!("     request id: {}", error.request_id());
        }
        Err(other) => return Err(format!("expected InstancesProtected, got: {other}").into()),
        Ok(output) => {
            return Err(format!(
                "a protected instance was terminated (request id {})",
                output.request_id
            )
            .into());
        }
    }

    println!("\nEmulator state afterwards:");
    for instance in emulator.instances() {
        println!(
            "   instance {}: {:?}",
            instance.instance_id, instance.instance_state
        );
    }
    for proxy in emulator.proxies() {
        println!(
            "   proxy {}: {:?}, {} Mbps, concurrency {}",
            proxy.proxy_id, proxy.status, proxy.bandwidth, proxy.concurrent
        );
    }
    println!("   VPN tunnels left: {}", emulator.vpn_connections().len());
    println!("\nRequest log:");
    for call in emulator.request_log() {
        let outcome = call
            .error_code()
            .map_or_else(|| "ok".to_string(), str::to_string);
        println!(
            "   {:>2}. {:<25} {:<40} took effect: {}",
            call.seq, call.action, outcome, call.took_effect
        );
    }

    emulator.shutdown().await;
    Ok(())
}

fn seed(emulator: &EmulatorHandle) -> Result<(), Box<dyn Error>> {
    emulator.seed_instance(Instance::new("ins-3jaw1j8m"))?;
    emulator.seed_instance(Instance::new("ins-protect1").protected(true))?;
    emulator.seed_proxy(Proxy::new("link-11112222").real_server_bound(true))?;
    emulator.seed_proxy(Proxy::new("link-11113333").status(ProxyStatus::Adjusting))?;
    emulator.seed_proxy(Proxy::new("link-4ftf12sb"))?;
    emulator.seed_vpn_connection(VpnConnection::new("vpnx-p0j11j28", "vpngw-7lcl5331"))?;
    println!(
        "Seeded instances ins-3jaw1j8m and ins-protect1 (protected), proxies link-11112222 \
         (origin server bound), link-11113333 (adjusting) and link-4ftf12sb, and VPN tunnel \
         vpnx-p0j11j28 on vpngw-7lcl5331"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_quickstart_calls_the_four_actions_and_handles_the_typed_error() {
        if let Err(error) = super::run().await {
            panic!("the quickstart failed: {error}");
        }
    }
}
