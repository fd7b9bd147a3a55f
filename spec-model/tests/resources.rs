//! The resources found in the repository's specs by the naming families: the ones programs
//! touch first are found with the actions that create, read, change and delete them.

use std::path::Path;

use tencentcloud_spec::load;
use tencentcloud_spec::resources::{self, IdType, Resource};

fn specs() -> Vec<load::LoadedSpec> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    load::load_dir(&dir).unwrap().services
}

fn found(specs: &[load::LoadedSpec], path: &str) -> std::collections::BTreeMap<String, Resource> {
    let spec = specs.iter().find(|s| s.path == path).unwrap();
    resources::find(&spec.spec)
}

#[test]
fn vpcs_subnets_and_security_groups_are_found_with_their_actions() {
    let specs = specs();
    let vpc = found(&specs, "vpc/2017-03-12.json");
    let v = &vpc["Vpc"];
    assert_eq!((v.id.as_str(), v.prefix.as_str()), ("VpcId", "vpc-"));
    assert_eq!(v.create.action, "CreateVpc");
    assert_eq!(v.create.ids, ["Vpc", "VpcId"]);
    assert_eq!(v.read.action, "DescribeVpcs");
    assert_eq!(v.read.ids.as_deref(), Some("VpcIds"));
    assert_eq!(v.read.items, ["VpcSet"]);
    let deletes: Vec<&str> = v.delete.iter().map(|t| t.action.as_str()).collect();
    assert_eq!(deletes, ["DeleteVpc"]);
    assert!(v.modify.iter().any(|t| t.action == "ModifyVpcAttribute"));
    assert_eq!(vpc["Subnet"].prefix, "subnet-");
    assert_eq!(vpc["SecurityGroup"].prefix, "sg-");
    let counts: usize = specs
        .iter()
        .map(|s| {
            resources::find(&s.spec)
                .values()
                .map(|r| r.actions().count())
                .sum::<usize>()
        })
        .sum();
    let kinds: usize = specs.iter().map(|s| resources::find(&s.spec).len()).sum();
    println!("{kinds} resources, {counts} actions");
}

#[test]
fn overlays_add_the_resources_the_families_miss_with_their_lifecycle_verbs() {
    let specs = specs();
    let cvm = found(&specs, "cvm/2017-03-12.json");
    let key_pair = &cvm["KeyPair"];
    assert_eq!(
        (key_pair.id.as_str(), key_pair.prefix.as_str()),
        ("KeyId", "skey-")
    );
    assert_eq!(key_pair.create.unique[0].member, "KeyName");

    let vpc = found(&specs, "vpc/2017-03-12.json");
    let address = &vpc["Address"];
    assert!(
        address.create.list,
        "AllocateAddresses answers a list of ids"
    );
    assert_eq!(address.create.count.as_deref(), Some("AddressCount"));
    let verbs: Vec<&str> = address.changes.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(verbs, ["AssociateAddress", "DisassociateAddress"]);
    assert!(
        !address.changes[0].list,
        "AssociateAddress names one address"
    );
    assert!(address.delete[0].list, "ReleaseAddresses names a list");

    let cam = found(&specs, "cam/2019-01-16.json");
    assert_eq!(cam["Policy"].id_type, IdType::Number);
    assert_eq!(cam["User"].create.id_from.as_deref(), Some("Name"));
    assert_eq!(cam["Role"].get[0].at, ["RoleInfo"]);
}
