//! The requests the benchmarks send, as Stratus inputs. `benches/compare` builds the same
//! requests with the official SDK's builders, field for field (the values they share are
//! in [`crate::fixtures`]).

use crate::fixtures::{self, Attr};
use autoscaling_client::DescribeAutoScalingGroupsInput;
use dynamodb_client::{AttributeValue, GetItemInput, PutItemInput, QueryInput};
use ec2_client::{
    BlockDeviceMapping, EbsBlockDevice, IamInstanceProfileSpecification,
    InstanceMetadataOptionsRequest, InstanceNetworkInterfaceSpecification, Placement,
    PrivateIpAddressSpecification, RunInstancesInput, RunInstancesMonitoringEnabled, Tag,
    TagSpecification,
};
use std::collections::HashMap;

/// `DescribeAutoScalingGroups` for three groups, 50 records a page.
pub fn describe_auto_scaling_groups() -> DescribeAutoScalingGroupsInput {
    DescribeAutoScalingGroupsInput {
        auto_scaling_group_names: Some(vec!["web-01".into(), "web-02".into(), "batch".into()]),
        max_records: Some(50),
        ..Default::default()
    }
}

/// `RunInstances` as a launch script would send it: two EBS volumes, one network interface
/// with two private addresses, tags for the instance, its volumes and its interface,
/// an instance profile, metadata options, placement and user data.
pub fn run_instances() -> RunInstancesInput {
    RunInstancesInput {
        image_id: Some("ami-0c02fb55956c7d316".into()),
        instance_type: Some("m6i.large".into()),
        min_count: 1,
        max_count: 1,
        key_name: Some("web-deploy".into()),
        client_token: Some("run-web-42-2026-11-26".into()),
        user_data: Some(fixtures::USER_DATA.into()),
        ebs_optimized: Some(true),
        monitoring: Some(RunInstancesMonitoringEnabled { enabled: true }),
        instance_initiated_shutdown_behavior: Some("terminate".into()),
        placement: Some(Placement {
            availability_zone: Some("us-east-1a".into()),
            tenancy: Some("default".into()),
            ..Default::default()
        }),
        iam_instance_profile: Some(IamInstanceProfileSpecification {
            arn: Some("arn:aws:iam::123456789012:instance-profile/web-role".into()),
            name: None,
        }),
        metadata_options: Some(InstanceMetadataOptionsRequest {
            http_tokens: Some("required".into()),
            http_put_response_hop_limit: Some(2),
            http_endpoint: Some("enabled".into()),
            ..Default::default()
        }),
        block_device_mappings: Some(vec![
            BlockDeviceMapping {
                device_name: Some("/dev/xvda".into()),
                ebs: Some(EbsBlockDevice {
                    volume_size: Some(30),
                    volume_type: Some("gp3".into()),
                    delete_on_termination: Some(true),
                    encrypted: Some(true),
                    ..Default::default()
                }),
                ..Default::default()
            },
            BlockDeviceMapping {
                device_name: Some("/dev/sdf".into()),
                ebs: Some(EbsBlockDevice {
                    volume_size: Some(100),
                    volume_type: Some("gp3".into()),
                    iops: Some(3000),
                    throughput: Some(125),
                    delete_on_termination: Some(false),
                    encrypted: Some(true),
                    kms_key_id: Some(
                        "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
                            .into(),
                    ),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ]),
        network_interfaces: Some(vec![InstanceNetworkInterfaceSpecification {
            device_index: Some(0),
            subnet_id: Some("subnet-0a1b2c3d4e5f60718".into()),
            groups: Some(vec![
                "sg-0123456789abcdef0".into(),
                "sg-0fedcba9876543210".into(),
            ]),
            associate_public_ip_address: Some(true),
            delete_on_termination: Some(true),
            private_ip_addresses: Some(vec![
                PrivateIpAddressSpecification {
                    primary: Some(true),
                    private_ip_address: Some("10.0.1.42".into()),
                },
                PrivateIpAddressSpecification {
                    primary: Some(false),
                    private_ip_address: Some("10.0.1.43".into()),
                },
            ]),
            ..Default::default()
        }]),
        tag_specifications: Some(
            fixtures::TAGS
                .iter()
                .map(|(resource, tags)| TagSpecification {
                    resource_type: Some((*resource).into()),
                    tags: Some(
                        tags.iter()
                            .map(|(key, value)| Tag {
                                key: Some((*key).into()),
                                value: Some((*value).into()),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
        ..Default::default()
    }
}

/// A fixture's DynamoDB attribute value as Stratus's `AttributeValue`.
pub fn attribute_value(value: &Attr) -> AttributeValue {
    match value {
        Attr::S(text) => AttributeValue::S(text.clone()),
        Attr::N(number) => AttributeValue::N(number.clone()),
        Attr::B(bytes) => AttributeValue::B(bytes.clone().into()),
        Attr::Bool(b) => AttributeValue::Bool(*b),
        Attr::Null => AttributeValue::Null(true),
        Attr::Ss(values) => AttributeValue::Ss(values.clone()),
        Attr::Ns(values) => AttributeValue::Ns(values.clone()),
        Attr::L(values) => AttributeValue::L(values.iter().map(attribute_value).collect()),
        Attr::M(members) => AttributeValue::M(item(members)),
    }
}

/// A fixture's DynamoDB item (or map) as Stratus's attribute map.
pub fn item(attributes: &[(String, Attr)]) -> HashMap<String, AttributeValue> {
    attributes
        .iter()
        .map(|(name, value)| (name.clone(), attribute_value(value)))
        .collect()
}

/// DynamoDB `Query`: the customer's orders of November 2026.
pub fn query() -> QueryInput {
    QueryInput {
        table_name: fixtures::DYNAMODB_TABLE.into(),
        key_condition_expression: Some(fixtures::QUERY_KEY_CONDITION.into()),
        expression_attribute_values: Some(item(&fixtures::query_values())),
        ..Default::default()
    }
}

/// DynamoDB `GetItem` of one order by its key.
pub fn get_item() -> GetItemInput {
    GetItemInput {
        table_name: fixtures::DYNAMODB_TABLE.into(),
        key: item(&fixtures::order_key(fixtures::DYNAMODB_ORDER)),
        ..Default::default()
    }
}

/// DynamoDB `PutItem` of one order: 20 attributes of every type but `BS`, maps and lists
/// of maps among them (`fixtures::order_item`).
pub fn put_item() -> PutItemInput {
    PutItemInput {
        table_name: fixtures::DYNAMODB_TABLE.into(),
        item: item(&fixtures::order_item(fixtures::DYNAMODB_ORDER)),
        ..Default::default()
    }
}
