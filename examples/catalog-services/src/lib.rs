//! A program that needs three services of the catalog, SMS, CLB and TKE, enables each as a
//! feature of `tencentcloud-sdk` and makes one typed call of each.

use tencentcloud_sdk::{Config, clb, sms, tke};

/// Whichever call failed, with its typed error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One line per call: what each service answered.
pub async fn run(config: &Config) -> Result<Vec<String>, BoxError> {
    let sent = sms::v20210111::Client::new(config)
        .send_sms()
        .phone_number_set(["+8613711112222"])
        .sms_sdk_app_id("1400787878")
        .template_id("449739")
        .sign_name("Tencent Cloud")
        .template_param_set(["1234"])
        .send()
        .await?;
    let load_balancers = clb::v20180317::Client::new(config)
        .describe_load_balancers()
        .limit(20)
        .send()
        .await?;
    let clusters = tke::v20180525::Client::new(config)
        .describe_clusters()
        .limit(20)
        .send()
        .await?;
    Ok(vec![
        format!(
            "sms SendSms: {} messages, first status {:?} (request id {})",
            sent.send_status_set.len(),
            sent.send_status_set.first().and_then(|s| s.code.as_deref()),
            sent.request_id
        ),
        format!(
            "clb DescribeLoadBalancers: {} load balancers of {:?} (request id {})",
            load_balancers.load_balancer_set.len(),
            load_balancers.total_count,
            load_balancers.request_id
        ),
        format!(
            "tke DescribeClusters: {} clusters of {:?} (request id {})",
            clusters.clusters.len(),
            clusters.total_count,
            clusters.request_id
        ),
    ])
}
