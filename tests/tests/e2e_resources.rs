//! Resources the emulator models as data, found in the specs by their naming families, through
//! the generated SDK: what is created reads back, changes are seen, deletes remove, an id that
//! names nothing gets the action's documented code, and ids are the same on every run.

use tencentcloud_sdk::vpc::v20170312::types::Filter;
use tencentcloud_tests::{start_emulator, vpc};

#[tokio::test]
async fn a_vpc_is_created_read_back_renamed_and_deleted() {
    let emulator = start_emulator().await;
    let client = vpc(&emulator);
    let created = client
        .create_vpc()
        .vpc_name("app")
        .cidr_block("10.8.0.0/16")
        .send()
        .await
        .unwrap();
    let made = created.vpc.expect("the new VPC is described");
    let id = made.vpc_id.clone().unwrap();
    assert_eq!(id, "vpc-00000001", "ids count from 1 on a fresh emulator");
    assert_eq!(made.vpc_name.as_deref(), Some("app"));
    assert_eq!(made.cidr_block.as_deref(), Some("10.8.0.0/16"));

    let read = client
        .describe_vpcs()
        .vpc_ids([id.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(read.total_count, Some(1));
    assert_eq!(read.vpc_set[0].vpc_name.as_deref(), Some("app"));
    assert_eq!(read.vpc_set[0].cidr_block.as_deref(), Some("10.8.0.0/16"));

    client
        .modify_vpc_attribute()
        .vpc_id(&id)
        .vpc_name("renamed")
        .send()
        .await
        .unwrap();
    let read = client.describe_vpcs().send().await.unwrap();
    let names: Vec<_> = read.vpc_set.iter().map(|v| v.vpc_name.as_deref()).collect();
    assert_eq!(names, [Some("renamed")]);

    client.delete_vpc().vpc_id(&id).send().await.unwrap();
    let read = client.describe_vpcs().send().await.unwrap();
    assert_eq!((read.total_count, read.vpc_set.len()), (Some(0), 0));

    let error = client.delete_vpc().vpc_id(&id).send().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidVpcId.NotFound"), "{error}");
    assert!(error.to_string().contains(&id), "{error}");
}

#[tokio::test]
async fn reads_list_the_region_s_resources_page_by_page_with_their_total() {
    let emulator = start_emulator().await;
    let client = vpc(&emulator);
    for name in ["a", "b", "c"] {
        client.create_vpc().vpc_name(name).send().await.unwrap();
    }
    let page = client
        .describe_vpcs()
        .offset("1")
        .limit("1")
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(3));
    let ids: Vec<_> = page.vpc_set.iter().map(|v| v.vpc_id.as_deref()).collect();
    assert_eq!(ids, [Some("vpc-00000002")]);
    let mut all = client.describe_vpcs().into_paginator().page_size(2).items();
    let mut names = Vec::new();
    while let Some(vpc) = all.next().await {
        names.push(vpc.unwrap().vpc_name.unwrap());
    }
    assert_eq!(names, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_subnet_needs_its_vpc_and_keeps_it_from_being_deleted() {
    let emulator = start_emulator().await;
    let client = vpc(&emulator);
    let subnet = || {
        client
            .create_subnet()
            .vpc_id("vpc-00000001")
            .subnet_name("web")
            .zone("ap-guangzhou-3")
            .cidr_block("10.8.1.0/24")
    };
    let error = subnet().send().await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidVpcId.NotFound"), "{error}");

    let vpc_id = client
        .create_vpc()
        .vpc_name("app")
        .send()
        .await
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap();
    let made = subnet().send().await.unwrap().subnet.unwrap();
    let subnet_id = made.subnet_id.unwrap();
    assert_eq!(subnet_id, "subnet-00000001");
    let read = client.describe_subnets().send().await.unwrap();
    assert_eq!(read.subnet_set.len(), 1);
    assert_eq!(read.subnet_set[0].zone.as_deref(), Some("ap-guangzhou-3"));
    assert_eq!(read.subnet_set[0].vpc_id.as_deref(), Some(vpc_id.as_str()));

    let error = client
        .delete_vpc()
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ResourceInUse"), "{error}");
    assert!(error.to_string().contains(&subnet_id), "{error}");
    client
        .delete_subnet()
        .subnet_id(&subnet_id)
        .send()
        .await
        .unwrap();
    client.delete_vpc().vpc_id(&vpc_id).send().await.unwrap();
}

#[tokio::test]
async fn filters_naming_members_narrow_a_read() {
    let emulator = start_emulator().await;
    let client = vpc(&emulator);
    for name in ["web", "db", "web"] {
        client.create_vpc().vpc_name(name).send().await.unwrap();
    }
    let filter = Filter::default().name("vpc-name").values(["web"]);
    let read = client
        .describe_vpcs()
        .filters([filter])
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = read.vpc_set.iter().map(|v| v.vpc_id.as_deref()).collect();
    assert_eq!(ids, [Some("vpc-00000001"), Some("vpc-00000003")]);
    assert_eq!(read.total_count, Some(2));
}
