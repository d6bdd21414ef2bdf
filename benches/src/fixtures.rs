//! The canned responses the benchmarks parse, built in code so every tool that needs them
//! (the criterion benches, the canned-response server, the comparison with the official
//! SDK) uses byte-for-byte the same XML and JSON, and the DynamoDB items both SDKs send,
//! described once ([`Attr`]) for each side to build its own `AttributeValue`s from.
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

/// Keys in the S3 `ListObjectsV2` response the benchmarks use (a full page).
pub const S3_KEYS: usize = 1000;

/// The bucket of every S3 request the benchmarks send.
pub const S3_BUCKET: &str = "stratus-bench-logs";

/// The prefix the `ListObjectsV2` request asks for, and every listed key starts with.
pub const S3_PREFIX: &str = "logs/2026/11/";

/// Distributions in the CloudFront `ListDistributions` response the benchmarks use.
pub const CLOUDFRONT_DISTRIBUTIONS: usize = 100;

/// The DynamoDB table of every DynamoDB request the benchmarks send.
pub const DYNAMODB_TABLE: &str = "orders";

/// Items in the DynamoDB `Query` response the benchmarks use: one page of a customer's
/// orders, about 1 MB of JSON (DynamoDB stops a page at 1 MB of data).
pub const DYNAMODB_QUERY_ITEMS: usize = 750;

/// The partition key value of every order in the DynamoDB benchmarks (one customer).
pub const DYNAMODB_CUSTOMER: &str = "CUSTOMER#c-004711";

/// The order the DynamoDB `GetItem` benchmark reads and the `PutItem` benchmark writes.
pub const DYNAMODB_ORDER: usize = 42;

/// Bytes of the object the `GetObject` benchmark streams (1 GiB).
pub const GET_OBJECT_BYTES: u64 = 1 << 30;

/// Bytes of the object the `PutObject` benchmark uploads from a stream (64 MiB).
pub const PUT_OBJECT_BYTES: u64 = 64 << 20;

/// Bytes of each chunk of the `PutObject` benchmark's stream (as a socket or pipe would
/// hand them over).
pub const UPLOAD_CHUNK_BYTES: usize = 64 << 10;

/// Bytes of the block that object bodies repeat ([`object_block`]).
pub const OBJECT_BLOCK_BYTES: usize = 1 << 20;

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

/// The key under which the canned server serves an object of `bytes` bytes of
/// [`object_block`] repeated, with its CRC32 in `x-amz-checksum-crc32` when the request
/// says `x-amz-checksum-mode: ENABLED`.
pub fn object_key(bytes: u64) -> String {
    format!("blobs/{bytes}.bin")
}

/// The key under which the canned server serves the same object as [`object_key`] with a
/// wrong CRC32: a client that validates checksums fails reading it.
pub fn corrupt_object_key(bytes: u64) -> String {
    format!("corrupt/{bytes}.bin")
}

/// The bytes an object body of the canned server repeats: [`OBJECT_BLOCK_BYTES`] of
/// xorshift output, so that no layer can compress or shortcut it.
pub fn object_block() -> Vec<u8> {
    pseudo_random_bytes(0x5eed_0b1e_c7b0_d1e5, OBJECT_BLOCK_BYTES)
}

/// One chunk of the `PutObject` benchmark's stream: [`UPLOAD_CHUNK_BYTES`] of xorshift
/// output. The stream repeats it until the object's length.
pub fn upload_chunk() -> Vec<u8> {
    pseudo_random_bytes(0x00c0_ffee_d00d_f00d, UPLOAD_CHUNK_BYTES)
}

fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A well-mixed 64-bit value of `n` (splitmix64's finalizer): ETags, ids and tokens that
/// look random but are the same on every run.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// An S3 `ListObjectsV2` response (`fetch-owner=true`) with `keys` objects under
/// [`S3_PREFIX`] and more to come (`IsTruncated`, `NextContinuationToken`), about 450 bytes
/// per key. Each object looks like a compressed access log of a web tier: a key by day and
/// host, its ETag (one in ten from a multipart upload), a CRC32 checksum, a size, a storage
/// class (some have moved to Infrequent Access or Intelligent-Tiering) and its owner.
pub fn list_objects_v2_response(keys: usize) -> String {
    let token = format!("1{:016x}{:016x}/wm36Hy4vbOwM=", mix(keys as u64), mix(7));
    let mut body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>{S3_BUCKET}</Name><Prefix>{S3_PREFIX}</Prefix><NextContinuationToken>{token}</NextContinuationToken><KeyCount>{keys}</KeyCount><MaxKeys>{keys}</MaxKeys><IsTruncated>true</IsTruncated>"#
    );
    for n in 0..keys {
        let hash = mix(n as u64);
        let (day, host, hour) = (n / 96 % 30 + 1, n % 8 + 1, n / 4 % 24);
        let multipart = n % 10 == 9;
        let _ = write!(
            body,
            "<Contents><Key>{S3_PREFIX}{day:02}/web-{host:02}/access-{hour:02}-{n:06}.log.gz</Key>\
             <LastModified>2026-11-{day:02}T{hour:02}:{:02}:{:02}.000Z</LastModified>\
             <ETag>&quot;{hash:016x}{:016x}",
            n % 60,
            n * 7 % 60,
            mix(hash)
        );
        if multipart {
            let _ = write!(body, "-{}", n % 7 + 2);
        }
        let size = if multipart {
            (hash % (64 << 20)) + (16 << 20)
        } else {
            hash % (4 << 20) + 512
        };
        let class = match n % 20 {
            0..=14 => "STANDARD",
            15..=17 => "STANDARD_IA",
            _ => "INTELLIGENT_TIERING",
        };
        let _ = write!(
            body,
            "&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>{}</ChecksumType>\
             <Size>{size}</Size><StorageClass>{class}</StorageClass>\
             <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>\
             <DisplayName>logs-admin</DisplayName></Owner></Contents>",
            if multipart {
                "COMPOSITE"
            } else {
                "FULL_OBJECT"
            }
        );
    }
    body.push_str("</ListBucketResult>");
    body
}

/// A CloudFront distribution id of `n`: `E` and 13 letters and digits.
pub fn distribution_id(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut value = mix(n as u64 ^ 0xd157);
    let mut id = String::from("E");
    for _ in 0..13 {
        id.push(ALPHABET[(value % 36) as usize] as char);
        value /= 36;
    }
    id
}

/// A CloudFront `ListDistributions` response with `distributions` distributions and more to
/// come (about 6 KB each). Each is a storefront as a web team sets one up: two aliases
/// with an ACM certificate, an S3 origin with origin access control and a load balancer
/// origin with a secret header and Origin Shield, a default behavior with a managed cache
/// policy and a viewer-request function, an `/api/*` behavior forwarding to the load
/// balancer, two custom error pages, a WAF web ACL and HTTP/2 and 3.
pub fn list_distributions_response(distributions: usize) -> String {
    let mut body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker></Marker><NextMarker>{}</NextMarker><MaxItems>{distributions}</MaxItems><IsTruncated>true</IsTruncated><Quantity>{distributions}</Quantity><Items>"#,
        distribution_id(distributions)
    );
    for n in 0..distributions {
        distribution_summary(&mut body, n);
    }
    body.push_str("</Items></DistributionList>");
    body
}

/// One `<DistributionSummary>` of [`list_distributions_response`].
fn distribution_summary(out: &mut String, n: usize) {
    let id = distribution_id(n);
    let hash = mix(n as u64);
    let domain = format!("d{:013x}.cloudfront.net", hash >> 12);
    let shop = format!("shop-{n:03}");
    let methods = |out: &mut String, all: bool| {
        if all {
            out.push_str(
                "<AllowedMethods><Quantity>7</Quantity><Items><Method>HEAD</Method><Method>DELETE</Method>\
                 <Method>POST</Method><Method>GET</Method><Method>OPTIONS</Method><Method>PUT</Method>\
                 <Method>PATCH</Method></Items><CachedMethods><Quantity>2</Quantity><Items>\
                 <Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>",
            );
        } else {
            out.push_str(
                "<AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method>\
                 </Items><CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method>\
                 <Method>GET</Method></Items></CachedMethods></AllowedMethods>",
            );
        }
    };
    let unsigned = "<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>\
                    <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>";
    let _ = write!(
        out,
        "<DistributionSummary><Id>{id}</Id><ARN>arn:aws:cloudfront::123456789012:distribution/{id}</ARN>\
         <ETag>E{:013X}</ETag><Status>Deployed</Status>\
         <LastModifiedTime>2026-11-{:02}T{:02}:{:02}:{:02}.{:03}Z</LastModifiedTime><DomainName>{domain}</DomainName>\
         <Aliases><Quantity>2</Quantity><Items><CNAME>www.{shop}.example.com</CNAME><CNAME>{shop}.example.com</CNAME></Items></Aliases>\
         <Origins><Quantity>2</Quantity><Items>\
         <Origin><Id>s3-assets</Id><DomainName>{shop}-assets.s3.us-east-1.amazonaws.com</DomainName><OriginPath></OriginPath>\
         <CustomHeaders><Quantity>0</Quantity></CustomHeaders>\
         <S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity><OriginReadTimeout>30</OriginReadTimeout></S3OriginConfig>\
         <ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout>\
         <OriginShield><Enabled>false</Enabled></OriginShield><OriginAccessControlId>E{:013X}</OriginAccessControlId></Origin>\
         <Origin><Id>alb-api</Id><DomainName>api-{shop}-{}.us-east-1.elb.amazonaws.com</DomainName><OriginPath>/v2</OriginPath>\
         <CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader><HeaderName>X-Origin-Verify</HeaderName>\
         <HeaderValue>{:016x}{:016x}</HeaderValue></OriginCustomHeader></Items></CustomHeaders>\
         <CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy>\
         <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>\
         <OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout><IpAddressType>ipv4</IpAddressType></CustomOriginConfig>\
         <ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout>\
         <OriginShield><Enabled>true</Enabled><OriginShieldRegion>us-east-1</OriginShieldRegion></OriginShield>\
         <OriginAccessControlId></OriginAccessControlId></Origin></Items></Origins>\
         <OriginGroups><Quantity>0</Quantity></OriginGroups>\
         <DefaultCacheBehavior><TargetOriginId>s3-assets</TargetOriginId>{unsigned}\
         <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>",
        mix(hash) >> 12,
        n % 26 + 1,
        n % 24,
        n % 60,
        n * 7 % 60,
        n % 1000,
        mix(hash ^ 1) >> 12,
        hash % 1_000_000_000,
        mix(hash ^ 2),
        mix(hash ^ 3),
    );
    methods(out, false);
    let _ = write!(
        out,
        "<SmoothStreaming>false</SmoothStreaming><Compress>true</Compress>\
         <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>\
         <FunctionAssociations><Quantity>1</Quantity><Items><FunctionAssociation>\
         <FunctionARN>arn:aws:cloudfront::123456789012:function/{shop}-rewrite-index</FunctionARN>\
         <EventType>viewer-request</EventType></FunctionAssociation></Items></FunctionAssociations>\
         <FieldLevelEncryptionId></FieldLevelEncryptionId>\
         <CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>\
         <ResponseHeadersPolicyId>67f7725c-6f97-4210-82d7-5512b31e9d03</ResponseHeadersPolicyId>\
         <GrpcConfig><Enabled>false</Enabled></GrpcConfig></DefaultCacheBehavior>\
         <CacheBehaviors><Quantity>1</Quantity><Items><CacheBehavior><PathPattern>/api/*</PathPattern>\
         <TargetOriginId>alb-api</TargetOriginId>{unsigned}<ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>"
    );
    methods(out, true);
    let _ = write!(
        out,
        "<SmoothStreaming>false</SmoothStreaming><Compress>false</Compress>\
         <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>\
         <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>\
         <FieldLevelEncryptionId></FieldLevelEncryptionId>\
         <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>\
         <OriginRequestPolicyId>b689b0a8-53d0-40ab-baf2-68738e2966ac</OriginRequestPolicyId>\
         <GrpcConfig><Enabled>false</Enabled></GrpcConfig></CacheBehavior></Items></CacheBehaviors>\
         <CustomErrorResponses><Quantity>2</Quantity><Items>\
         <CustomErrorResponse><ErrorCode>403</ErrorCode><ResponsePagePath>/index.html</ResponsePagePath>\
         <ResponseCode>200</ResponseCode><ErrorCachingMinTTL>10</ErrorCachingMinTTL></CustomErrorResponse>\
         <CustomErrorResponse><ErrorCode>404</ErrorCode><ResponsePagePath>/404.html</ResponsePagePath>\
         <ResponseCode>404</ResponseCode><ErrorCachingMinTTL>300</ErrorCachingMinTTL></CustomErrorResponse>\
         </Items></CustomErrorResponses>\
         <Comment>Storefront {shop} (production)</Comment><PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled>\
         <ViewerCertificate><CloudFrontDefaultCertificate>false</CloudFrontDefaultCertificate>\
         <ACMCertificateArn>arn:aws:acm:us-east-1:123456789012:certificate/{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}</ACMCertificateArn>\
         <SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion>\
         <Certificate>arn:aws:acm:us-east-1:123456789012:certificate/{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}</Certificate>\
         <CertificateSource>acm</CertificateSource></ViewerCertificate>\
         <Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>\
         <WebACLId>arn:aws:wafv2:us-east-1:123456789012:global/webacl/storefront/{:08x}-{:04x}-4{:03x}-9{:03x}-{:012x}</WebACLId>\
         <HttpVersion>http2and3</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled>\
         <AliasICPRecordals><AliasICPRecordal><CNAME>www.{shop}.example.com</CNAME><ICPRecordalStatus>APPROVED</ICPRecordalStatus></AliasICPRecordal>\
         <AliasICPRecordal><CNAME>{shop}.example.com</CNAME><ICPRecordalStatus>APPROVED</ICPRecordalStatus></AliasICPRecordal></AliasICPRecordals>\
         <Staging>false</Staging></DistributionSummary>",
        hash >> 32,
        hash >> 16 & 0xffff,
        hash >> 4 & 0xfff,
        hash & 0xfff,
        mix(hash ^ 4) >> 16,
        hash >> 32,
        hash >> 16 & 0xffff,
        hash >> 4 & 0xfff,
        hash & 0xfff,
        mix(hash ^ 4) >> 16,
        mix(hash ^ 5) >> 32,
        mix(hash ^ 5) >> 16 & 0xffff,
        mix(hash ^ 5) >> 4 & 0xfff,
        mix(hash ^ 5) & 0xfff,
        mix(hash ^ 6) >> 16,
    );
}

/// A DynamoDB attribute value as the fixtures describe it. Each SDK turns it into its own
/// `AttributeValue` (`benches/src/inputs.rs`, `benches/compare/src/main.rs`), and
/// [`write_attr`] into DynamoDB's JSON, so both send and parse the same items.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    S(String),
    N(String),
    B(Vec<u8>),
    Bool(bool),
    Null,
    Ss(Vec<String>),
    Ns(Vec<String>),
    L(Vec<Attr>),
    M(Vec<(String, Attr)>),
}

/// `Attr::S` of anything displayable.
fn text(value: impl std::fmt::Display) -> Attr {
    Attr::S(value.to_string())
}

/// `Attr::N` of anything displayable.
fn num(value: impl std::fmt::Display) -> Attr {
    Attr::N(value.to_string())
}

/// `Attr::M` of `(name, value)` pairs.
fn map<const N: usize>(members: [(&str, Attr); N]) -> Attr {
    Attr::M(
        members
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    )
}

/// Attributes of one order item.
pub const ORDER_ATTRIBUTES: usize = 20;

/// The sort key of order `n`: `ORDER#`, its creation time (orders come half an hour apart,
/// so keys sort as their numbers) and its number.
pub fn order_sort_key(n: usize) -> String {
    format!(
        "ORDER#2026-11-{:02}T{:02}:{:02}:{:02}Z#{n:06}",
        n / 48 % 28 + 1,
        n % 48 / 2,
        n % 2 * 30 + n * 7 % 30,
        n * 13 % 60
    )
}

/// The key (`pk`, `sk`) of order `n`.
pub fn order_key(n: usize) -> Vec<(String, Attr)> {
    vec![
        ("pk".into(), text(DYNAMODB_CUSTOMER)),
        ("sk".into(), text(order_sort_key(n))),
    ]
}

/// Order `n` of [`DYNAMODB_CUSTOMER`] as a single-table design stores it: [`ORDER_ATTRIBUTES`]
/// top-level attributes of every type but `BS` (about 1.4 KB of JSON): key, identifiers,
/// status, amounts, flags, a `NULL` (or a gift message, one order in five), a binary
/// receipt signature, a string set and a number set, the shipping address and payment
/// method as maps, the order lines and status history as lists of maps.
pub fn order_item(n: usize) -> Vec<(String, Attr)> {
    let hash = mix(n as u64 ^ 0xd1a0);
    let statuses = ["PENDING", "PAID", "SHIPPED", "DELIVERED"];
    let lines = n % 3 + 2;
    let line = |l: usize| {
        let sku = mix(hash ^ l as u64) % 100_000;
        map([
            ("sku", text(format!("SKU-{sku:05}"))),
            ("name", text(format!("Storefront article {sku}"))),
            ("qty", num((l % 3) + 1)),
            (
                "unitPrice",
                num(format!("{}.{:02}", sku % 200 + 1, sku % 100)),
            ),
        ])
    };
    let mut tags = vec!["web".to_string(), "eu-central".to_string()];
    if n.is_multiple_of(4) {
        tags.push("express".into());
    }
    let mut item = order_key(n);
    item.extend([
        (
            "orderId".into(),
            text(format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                hash >> 32,
                hash >> 16 & 0xffff,
                hash >> 4 & 0xfff,
                hash & 0xfff,
                mix(hash) >> 16
            )),
        ),
        ("entityType".into(), text("ORDER")),
        ("status".into(), text(statuses[n % 4])),
        (
            "createdAt".into(),
            text(
                order_sort_key(n)
                    .trim_start_matches("ORDER#")
                    .split('#')
                    .next()
                    .unwrap_or_default(),
            ),
        ),
        (
            "total".into(),
            num(format!("{}.{:02}", hash % 900 + 10, hash % 100)),
        ),
        ("currency".into(), text("EUR")),
        ("lineCount".into(), num(lines)),
        ("express".into(), Attr::Bool(n.is_multiple_of(4))),
        (
            "giftMessage".into(),
            if n.is_multiple_of(5) {
                text("Happy birthday! With love from all of us")
            } else {
                Attr::Null
            },
        ),
        (
            "receiptSignature".into(),
            Attr::B(
                (0..4)
                    .flat_map(|i| mix(hash ^ (i + 10)).to_be_bytes())
                    .collect(),
            ),
        ),
        ("tags".into(), Attr::Ss(tags)),
        (
            "warehouseIds".into(),
            Attr::Ns(vec![
                (hash % 40 + 1).to_string(),
                (hash % 7 + 41).to_string(),
            ]),
        ),
        (
            "shippingAddress".into(),
            map([
                ("name", text(format!("Customer {}", n % 97))),
                ("street", text(format!("{} Hauptstrasse", n % 200 + 1))),
                ("city", text("Berlin")),
                ("postcode", text(format!("10{:03}", n % 1000))),
                ("country", text("DE")),
                (
                    "location",
                    map([
                        ("lat", num(format!("52.{:06}", hash % 1_000_000))),
                        ("lon", num(format!("13.{:06}", mix(hash) % 1_000_000))),
                    ]),
                ),
            ]),
        ),
        (
            "payment".into(),
            map([
                ("method", text("card")),
                ("brand", text(["visa", "mastercard", "amex"][n % 3])),
                ("last4", text(format!("{:04}", hash % 10_000))),
                ("captured", Attr::Bool(!n.is_multiple_of(4))),
            ]),
        ),
        ("lines".into(), Attr::L((0..lines).map(line).collect())),
        (
            "history".into(),
            Attr::L(
                statuses[..=n % 4]
                    .iter()
                    .enumerate()
                    .map(|(step, state)| {
                        map([
                            ("state", text(state)),
                            (
                                "at",
                                num(1_795_000_000 + n as u64 * 600 + step as u64 * 3600),
                            ),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("version".into(), num(n % 4 + 1)),
        ("expiresAt".into(), num(1_826_000_000 + n as u64 * 600)),
    ]);
    item
}

/// Writes `value` as DynamoDB's JSON writes an `AttributeValue` (`{"S":"…"}`, …).
pub fn write_attr(out: &mut String, value: &Attr) {
    let strings = |out: &mut String, tag: &str, values: &[String]| {
        let _ = write!(out, "{{\"{tag}\":[");
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_json_string(out, value);
        }
        out.push_str("]}");
    };
    match value {
        Attr::S(text) => {
            out.push_str("{\"S\":");
            write_json_string(out, text);
            out.push('}');
        }
        Attr::N(number) => {
            out.push_str("{\"N\":");
            write_json_string(out, number);
            out.push('}');
        }
        Attr::B(bytes) => {
            out.push_str("{\"B\":");
            write_json_string(out, &base64(bytes));
            out.push('}');
        }
        Attr::Bool(b) => {
            let _ = write!(out, "{{\"BOOL\":{b}}}");
        }
        Attr::Null => out.push_str("{\"NULL\":true}"),
        Attr::Ss(values) => strings(out, "SS", values),
        Attr::Ns(values) => strings(out, "NS", values),
        Attr::L(values) => {
            out.push_str("{\"L\":[");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_attr(out, value);
            }
            out.push_str("]}");
        }
        Attr::M(members) => {
            out.push_str("{\"M\":");
            write_item(out, members);
            out.push('}');
        }
    }
}

/// Writes an item (or a map's members) as a JSON object of attribute values.
pub fn write_item(out: &mut String, item: &[(String, Attr)]) {
    out.push('{');
    for (i, (name, value)) in item.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(out, name);
        out.push(':');
        write_attr(out, value);
    }
    out.push('}');
}

fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A DynamoDB `Query` response (awsJson 1.0) with orders `0..items` of
/// [`DYNAMODB_CUSTOMER`] ([`order_item`]), `Count` and `ScannedCount`, and the last
/// order's key as `LastEvaluatedKey`: a full page with more to come.
pub fn query_response(items: usize) -> String {
    let mut body = String::with_capacity(items * 1500 + 256);
    let _ = write!(body, "{{\"Count\":{items},\"Items\":[");
    for i in 0..items {
        if i > 0 {
            body.push(',');
        }
        write_item(&mut body, &order_item(i));
    }
    body.push_str("],\"LastEvaluatedKey\":");
    write_item(&mut body, &order_key(items.saturating_sub(1)));
    let _ = write!(body, ",\"ScannedCount\":{items}}}");
    body
}

/// A DynamoDB `GetItem` response: order [`DYNAMODB_ORDER`].
pub fn get_item_response() -> String {
    let mut body = String::from("{\"Item\":");
    write_item(&mut body, &order_item(DYNAMODB_ORDER));
    body.push('}');
    body
}

/// A DynamoDB `PutItem` response without `ReturnValues`: an empty object.
pub fn put_item_response() -> String {
    "{}".into()
}

/// The key condition of the `Query` benchmark: the customer's orders of November 2026.
pub const QUERY_KEY_CONDITION: &str = "pk = :pk AND begins_with(sk, :month)";

/// The values of [`QUERY_KEY_CONDITION`]'s placeholders.
pub fn query_values() -> Vec<(String, Attr)> {
    vec![
        (":pk".into(), text(DYNAMODB_CUSTOMER)),
        (":month".into(), text("ORDER#2026-11")),
    ]
}

/// Standard base64 with padding (checksum headers, DynamoDB's binary attributes).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
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
        let s3 = list_objects_v2_response(S3_KEYS);
        assert_eq!(s3.matches("<Contents>").count(), S3_KEYS);
        assert!(s3.len() > 400 * S3_KEYS, "{} bytes", s3.len());
        let cloudfront = list_distributions_response(CLOUDFRONT_DISTRIBUTIONS);
        assert_eq!(
            cloudfront.matches("<DistributionSummary>").count(),
            CLOUDFRONT_DISTRIBUTIONS
        );
        assert!(
            cloudfront.len() > 4_000 * CLOUDFRONT_DISTRIBUTIONS,
            "{} bytes",
            cloudfront.len()
        );
    }

    #[test]
    fn dynamodb_fixtures_are_what_they_say() {
        let body = query_response(DYNAMODB_QUERY_ITEMS);
        assert!(
            (900_000..1_100_000).contains(&body.len()),
            "{} bytes",
            body.len()
        );
        assert_eq!(body.matches("\"orderId\"").count(), DYNAMODB_QUERY_ITEMS);
        assert!(body.starts_with(&format!("{{\"Count\":{DYNAMODB_QUERY_ITEMS},")));
        assert!(body.ends_with(&format!(",\"ScannedCount\":{DYNAMODB_QUERY_ITEMS}}}")));
        for tag in ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS"] {
            assert!(body.contains(&format!("{{\"{tag}\":")), "no {tag}");
        }
        let keys: Vec<String> = (0..DYNAMODB_QUERY_ITEMS).map(order_sort_key).collect();
        assert!(
            keys.windows(2).all(|pair| pair[0] < pair[1]),
            "sort keys sort"
        );
        for n in [0, 1, DYNAMODB_ORDER, DYNAMODB_QUERY_ITEMS - 1] {
            let item = order_item(n);
            assert_eq!(item.len(), ORDER_ATTRIBUTES);
            let mut names: Vec<&str> = item.iter().map(|(name, _)| name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), ORDER_ATTRIBUTES, "distinct names");
        }
        assert!(get_item_response().starts_with("{\"Item\":{\"pk\":{\"S\":"));
        let mut text = String::new();
        write_attr(&mut text, &Attr::S("a\"b\\c\n".into()));
        assert_eq!(text, r#"{"S":"a\"b\\c\u000a"}"#);
    }

    #[test]
    fn encodes_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn distribution_ids_are_distinct() {
        let ids: std::collections::HashSet<String> = (0..CLOUDFRONT_DISTRIBUTIONS + 1)
            .map(distribution_id)
            .collect();
        assert_eq!(ids.len(), CLOUDFRONT_DISTRIBUTIONS + 1);
        assert!(ids.iter().all(|id| id.len() == 14 && id.starts_with('E')));
    }

    #[test]
    fn object_bodies_are_what_they_say() {
        assert_eq!(object_block().len(), OBJECT_BLOCK_BYTES);
        assert_eq!(upload_chunk().len(), UPLOAD_CHUNK_BYTES);
        assert_eq!(PUT_OBJECT_BYTES % UPLOAD_CHUNK_BYTES as u64, 0);
        assert_ne!(object_key(5), corrupt_object_key(5));
    }
}
