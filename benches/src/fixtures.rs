//! The canned responses the benchmarks parse, built in code so every tool that needs them
//! (the criterion benches, the canned-response server, the comparison with the official
//! SDK) uses byte-for-byte the same XML.
//!
//! This module uses nothing but `std`: `benches/compare` includes the file as a module
//! of its own.

use std::fmt::Write;

/// Groups in the `DescribeAutoScalingGroups` response the benchmarks use.
pub const ASG_GROUPS: usize = 50;

/// Instances in the `DescribeInstances` response the benchmarks use.
pub const EC2_INSTANCES: usize = 1000;

/// Instances per reservation in [`describe_instances_response`].
const INSTANCES_PER_RESERVATION: usize = 4;

/// Base64 user data of a typical size (a boot script of about 200 bytes).
pub const USER_DATA: &str = "IyEvYmluL2Jhc2gKc2V0IC1ldQpkbmYgaW5zdGFsbCAteSBuZ2lueCBhbWF6b24tY2xvdWR3YXRjaC1hZ2VudApzeXN0ZW1jdGwgZW5hYmxlIC0tbm93IG5naW54Cmluc3RhbGwgLWQgLW8gbmdpbnggL3Zhci93d3cvc3RvcmVmcm9udAplY2hvICJ3ZWIgdGllciByZWFkeSIgPiAvdmFyL2xvZy9ib290LWRvbmUK";

/// `(resource type, [(key, value)])` of the `RunInstances` request's tag specifications.
pub const TAGS: &[(&str, &[(&str, &str)])] = &[
    (
        "instance",
        &[
            ("Name", "web-42"),
            ("env", "production"),
            ("team", "storefront"),
            ("cost-center", "cc-4711"),
            ("owner", "platform@example.com"),
        ],
    ),
    (
        "volume",
        &[
            ("env", "production"),
            ("team", "storefront"),
            ("backup", "daily"),
        ],
    ),
    (
        "network-interface",
        &[("env", "production"), ("team", "storefront")],
    ),
];

const REQUEST_ID: &str = "5c3a1b0e-9f0d-4c36-8d8e-2f1d6a7b9c10";

/// A `DescribeAutoScalingGroups` response with `groups` groups of 3 instances and 4 tags
/// each (about 2 KB per group).
pub fn describe_auto_scaling_groups_response(groups: usize) -> String {
    let mut body = String::from(
        r#"<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups>"#,
    );
    for g in 0..groups {
        let _ = write!(
            body,
            "<member><AutoScalingGroupName>group-{g}</AutoScalingGroupName>\
             <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5c9b1f0e-{g:04}:autoScalingGroupName/group-{g}</AutoScalingGroupARN>\
             <LaunchConfigurationName>lc-{g}</LaunchConfigurationName><MinSize>1</MinSize><MaxSize>10</MaxSize>\
             <DesiredCapacity>3</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>\
             <AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>\
             <LoadBalancerNames/><TargetGroupARNs/><HealthCheckType>EC2</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod><Instances>"
        );
        for i in 0..3 {
            let _ = write!(
                body,
                "<member><InstanceId>i-0{g:04}{i:04}abcdef</InstanceId><InstanceType>t3.micro</InstanceType>\
                 <AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService</LifecycleState>\
                 <HealthStatus>Healthy</HealthStatus><LaunchConfigurationName>lc-{g}</LaunchConfigurationName>\
                 <ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>"
            );
        }
        body.push_str("</Instances><CreatedTime>2026-11-26T10:00:00.123Z</CreatedTime><SuspendedProcesses/><Tags>");
        for t in 0..4 {
            let _ = write!(
                body,
                "<member><ResourceId>group-{g}</ResourceId><ResourceType>auto-scaling-group</ResourceType>\
                 <Key>key-{t}</Key><Value>value-{t}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>"
            );
        }
        body.push_str(
            "</Tags><TerminationPolicies><member>Default</member></TerminationPolicies>\
             <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn></member>",
        );
    }
    let _ = write!(
        body,
        "</AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>{REQUEST_ID}</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>"
    );
    body
}

/// An EC2 `DescribeInstances` response with `instances` running instances, four per
/// reservation (about 4.5 KB per instance). Each instance looks like one a web tier
/// launches from a launch template: two EBS volumes, one network interface with a public
/// address and two private ones, two security groups, six tags, and the metadata, CPU,
/// placement and maintenance options EC2 reports today.
pub fn describe_instances_response(instances: usize) -> String {
    let mut body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>{REQUEST_ID}</requestId><reservationSet>"#
    );
    let mut n = 0;
    while n < instances {
        let in_this = INSTANCES_PER_RESERVATION.min(instances - n);
        let _ = write!(
            body,
            "<item><reservationId>r-0{:016x}</reservationId><ownerId>123456789012</ownerId>\
             <requesterId>940372691376</requesterId><groupSet/><instancesSet>",
            0x5a00_0000_u64 + n as u64
        );
        for index in 0..in_this {
            instance(&mut body, n + index, index);
        }
        body.push_str("</instancesSet></item>");
        n += in_this;
    }
    body.push_str("</reservationSet></DescribeInstancesResponse>");
    body
}

/// An EC2 `RunInstances` response: the reservation of the one instance launched.
pub fn run_instances_response() -> String {
    let mut body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>{REQUEST_ID}</requestId><reservationId>r-0b1e2d3c4f5a69788</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>"#
    );
    instance(&mut body, 0, 0);
    body.push_str("</instancesSet></RunInstancesResponse>");
    body
}

/// One `<item>` of an `instancesSet`; `n` makes identifiers and addresses unique.
fn instance(out: &mut String, n: usize, launch_index: usize) {
    let id = 0x0a1b_2c3d_0000_0000_u64 + n as u64;
    let (a, b) = (n / 250, n % 250 + 4);
    let zone = ["us-east-1a", "us-east-1b", "us-east-1c"][n % 3];
    let zone_id = ["use1-az1", "use1-az2", "use1-az4"][n % 3];
    let subnet = [
        "subnet-0a1b2c3d4e5f60718",
        "subnet-0b2c3d4e5f6071829",
        "subnet-0c3d4e5f607182930",
    ][n % 3];
    let _ = write!(
        out,
        "<item><instanceId>i-{id:017x}</instanceId><imageId>ami-0c02fb55956c7d316</imageId>\
         <instanceState><code>16</code><name>running</name></instanceState>\
         <privateDnsName>ip-10-{a}-{b}-10.ec2.internal</privateDnsName>\
         <dnsName>ec2-54-{a}-{b}-10.compute-1.amazonaws.com</dnsName><reason/>\
         <keyName>web-deploy</keyName><amiLaunchIndex>{launch_index}</amiLaunchIndex><productCodes/>\
         <instanceType>m6i.large</instanceType><launchTime>2026-11-20T08:{:02}:{:02}.000Z</launchTime>\
         <placement><availabilityZoneId>{zone_id}</availabilityZoneId><groupName/><tenancy>default</tenancy>\
         <availabilityZone>{zone}</availabilityZone></placement>\
         <monitoring><state>disabled</state></monitoring><subnetId>{subnet}</subnetId>\
         <vpcId>vpc-0f1e2d3c4b5a69788</vpcId><privateIpAddress>10.0.{a}.{b}</privateIpAddress>\
         <ipAddress>54.12.{a}.{b}</ipAddress><sourceDestCheck>true</sourceDestCheck>\
         <groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>web</groupName></item>\
         <item><groupId>sg-0fedcba9876543210</groupId><groupName>ssh-from-bastion</groupName></item></groupSet>\
         <architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>\
         <blockDeviceMapping>",
        n / 60 % 60,
        n % 60
    );
    for (device, volume) in [("/dev/xvda", 0u64), ("/dev/sdf", 1)] {
        let _ = write!(
            out,
            "<item><deviceName>{device}</deviceName><ebs><volumeId>vol-{:017x}</volumeId>\
             <status>attached</status><attachTime>2026-11-20T08:00:01.000Z</attachTime>\
             <deleteOnTermination>{}</deleteOnTermination></ebs></item>",
            (id << 1) + volume,
            volume == 0
        );
    }
    let _ = write!(
        out,
        "</blockDeviceMapping><virtualizationType>hvm</virtualizationType>\
         <clientToken>web-asg-{n:08}</clientToken>\
         <tagSet><item><key>Name</key><value>web-{n}</value></item>\
         <item><key>env</key><value>production</value></item>\
         <item><key>team</key><value>storefront</value></item>\
         <item><key>cost-center</key><value>cc-4711</value></item>\
         <item><key>aws:autoscaling:groupName</key><value>web-asg</value></item>\
         <item><key>aws:ec2launchtemplate:id</key><value>lt-0a1b2c3d4e5f60718</value></item></tagSet>\
         <hypervisor>xen</hypervisor>\
         <networkInterfaceSet><item><networkInterfaceId>eni-{id:017x}</networkInterfaceId>\
         <subnetId>{subnet}</subnetId><vpcId>vpc-0f1e2d3c4b5a69788</vpcId><description/>\
         <ownerId>123456789012</ownerId><status>in-use</status><macAddress>0e:4f:{:02x}:{:02x}:1c:2d</macAddress>\
         <privateIpAddress>10.0.{a}.{b}</privateIpAddress><privateDnsName>ip-10-0-{a}-{b}.ec2.internal</privateDnsName>\
         <sourceDestCheck>true</sourceDestCheck>\
         <groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>web</groupName></item>\
         <item><groupId>sg-0fedcba9876543210</groupId><groupName>ssh-from-bastion</groupName></item></groupSet>\
         <attachment><attachmentId>eni-attach-{id:017x}</attachmentId><deviceIndex>0</deviceIndex>\
         <status>attached</status><attachTime>2026-11-20T08:00:00.000Z</attachTime>\
         <deleteOnTermination>true</deleteOnTermination><networkCardIndex>0</networkCardIndex></attachment>\
         <association><publicIp>54.12.{a}.{b}</publicIp><publicDnsName>ec2-54-12-{a}-{b}.compute-1.amazonaws.com</publicDnsName>\
         <ipOwnerId>amazon</ipOwnerId></association>\
         <privateIpAddressesSet><item><privateIpAddress>10.0.{a}.{b}</privateIpAddress>\
         <privateDnsName>ip-10-0-{a}-{b}.ec2.internal</privateDnsName><primary>true</primary>\
         <association><publicIp>54.12.{a}.{b}</publicIp><publicDnsName>ec2-54-12-{a}-{b}.compute-1.amazonaws.com</publicDnsName>\
         <ipOwnerId>amazon</ipOwnerId></association></item>\
         <item><privateIpAddress>10.1.{a}.{b}</privateIpAddress><privateDnsName>ip-10-1-{a}-{b}.ec2.internal</privateDnsName>\
         <primary>false</primary></item></privateIpAddressesSet>\
         <ipv6AddressesSet/><interfaceType>interface</interfaceType></item></networkInterfaceSet>\
         <iamInstanceProfile><arn>arn:aws:iam::123456789012:instance-profile/web-role</arn>\
         <id>AIPAJQABLZS4A3QDU576Q</id></iamInstanceProfile>\
         <ebsOptimized>true</ebsOptimized><enaSupport>true</enaSupport>\
         <cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>\
         <capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification>\
         <hibernationOptions><configured>false</configured></hibernationOptions>\
         <metadataOptions><state>applied</state><httpTokens>required</httpTokens>\
         <httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint>\
         <httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>disabled</instanceMetadataTags></metadataOptions>\
         <enclaveOptions><enabled>false</enabled></enclaveOptions><bootMode>uefi-preferred</bootMode>\
         <platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation>\
         <usageOperationUpdateTime>2026-11-20T08:00:00.000Z</usageOperationUpdateTime>\
         <privateDnsNameOptions><hostnameType>ip-name</hostnameType>\
         <enableResourceNameDnsARecord>false</enableResourceNameDnsARecord>\
         <enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptions>\
         <maintenanceOptions><autoRecovery>default</autoRecovery></maintenanceOptions>\
         <currentInstanceBootMode>legacy-bios</currentInstanceBootMode>\
         <networkPerformanceOptions><bandwidthWeighting>default</bandwidthWeighting></networkPerformanceOptions>\
         <operator><managed>false</managed></operator></item>",
        (n >> 8) & 0xff,
        n & 0xff
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_as_documented() {
        let asg = describe_auto_scaling_groups_response(ASG_GROUPS);
        assert_eq!(asg.matches("<AutoScalingGroupName>").count(), ASG_GROUPS);
        let ec2 = describe_instances_response(EC2_INSTANCES);
        assert_eq!(ec2.matches("<instanceId>").count(), EC2_INSTANCES);
        assert_eq!(ec2.matches("<reservationId>").count(), EC2_INSTANCES / 4);
        assert!(ec2.len() > 4_000 * EC2_INSTANCES, "{} bytes", ec2.len());
        assert_eq!(run_instances_response().matches("<instanceId>").count(), 1);
    }
}
