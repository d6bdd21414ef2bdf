//! Lambda end to end against moto (rest-json, signatures checked): a function created from a
//! zip in memory, read, listed, reconfigured, tagged and deleted. (Invoking it would need
//! Docker, which moto uses to run functions.)
//!
//! moto gaps met here (each seen with boto3 against the same moto too): every bodyless
//! request (GET, DELETE) fails moto's signature check whoever signs it, so those run inside
//! [`Session::unchecked`]; moto labels its Lambda responses `Content-Type: text/html;
//! charset=utf-8` (AWS: `application/json`), which Stratus reads as the JSON it is, as
//! botocore does.

use base64::Engine as _;
use lambda_client::*;
use std::collections::HashMap;
use stratus_runtime::Blob;
use stratus_tests::e2e::Session;

/// The CRC-32 (IEEE) of `data`, as zip files record it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A zip archive holding one file, stored (not compressed).
fn zip_one_file(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let size = u32::try_from(content.len()).expect("a small file");
    let name_len = u16::try_from(name.len()).expect("a short name");
    // Version 2.0, no flags, stored, 1980-01-01 00:00.
    let common = |out: &mut Vec<u8>| {
        for half in [20u16, 0, 0, 0, 0x21] {
            out.extend_from_slice(&half.to_le_bytes());
        }
        for word in [crc, size, size] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    };
    let mut zip = Vec::new();
    zip.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    common(&mut zip);
    zip.extend_from_slice(name.as_bytes());
    zip.extend_from_slice(content);

    let directory_offset = zip.len() as u32;
    zip.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    zip.extend_from_slice(&20u16.to_le_bytes()); // made by
    common(&mut zip);
    for half in [0u16, 0, 0] {
        // comment length, disk number, internal attributes
        zip.extend_from_slice(&half.to_le_bytes());
    }
    zip.extend_from_slice(&0o100644u32.wrapping_shl(16).to_le_bytes()); // external attributes
    zip.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    zip.extend_from_slice(name.as_bytes());
    let directory_size = zip.len() as u32 - directory_offset;

    zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, 1, 1] {
        zip.extend_from_slice(&half.to_le_bytes());
    }
    zip.extend_from_slice(&directory_size.to_le_bytes());
    zip.extend_from_slice(&directory_offset.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes()); // comment length
    zip
}

#[test]
fn the_zip_is_well_formed() {
    // The CRC-32 check value.
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    let zip = zip_one_file("a.txt", b"hi");
    assert_eq!(&zip[..4], b"PK\x03\x04");
    assert_eq!(zip.len(), 30 + 5 + 2 + 46 + 5 + 22);
    assert_eq!(&zip[zip.len() - 22..zip.len() - 18], b"PK\x05\x06");
}

async fn create_role(session: &Session, name: &str) -> String {
    iam_client::Client::new(&session.config())
        .create_role(iam_client::CreateRoleInput {
            role_name: name.into(),
            assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("create role {name}: {e}"))
        .role
        .arn
}

#[tokio::test]
async fn lambda_function_lifecycle() {
    let session = Session::get().await;
    // moto gap: its Lambda labels JSON responses `text/html` (boto3 ignores the type).
    let lambda = Client::new(&session.config());
    let role = create_role(session, "stratus-lambda-role").await;
    let name = "stratus-lambda-fn";
    let code = zip_one_file(
        "handler.py",
        b"def handle(event, context):\n    return {\"echo\": event}\n",
    );
    let sha256 = base64::engine::general_purpose::STANDARD
        .encode(ring::digest::digest(&ring::digest::SHA256, &code));

    let created = lambda
        .create_function(CreateFunctionInput {
            function_name: name.into(),
            runtime: Some(Runtime::Python3_12),
            role: role.clone(),
            handler: Some("handler.handle".into()),
            code: FunctionCode {
                zip_file: Some(Blob::from(code.clone())),
                ..Default::default()
            },
            description: Some("created by Stratus".into()),
            timeout: Some(15),
            memory_size: Some(256),
            environment: Some(Environment {
                variables: Some([("STAGE".to_string(), "test".to_string())].into()),
            }),
            tags: Some([("team".to_string(), "stratus".to_string())].into()),
            ..Default::default()
        })
        .await
        .expect("create function");
    assert_eq!(created.function_name.as_deref(), Some(name));
    assert_eq!(created.runtime, Some(Runtime::Python3_12));
    assert_eq!(created.role.as_deref(), Some(role.as_str()));
    assert_eq!(created.handler.as_deref(), Some("handler.handle"));
    assert_eq!(created.code_size, Some(code.len() as i64));
    assert_eq!(created.code_sha256.as_deref(), Some(sha256.as_str()));
    assert_eq!(created.memory_size, Some(256));
    assert_eq!(created.timeout, Some(15));
    let arn = created.function_arn.expect("a function ARN");
    assert!(arn.ends_with(&format!(":function:{name}")), "{arn}");

    // moto gap: bodyless requests (GET, DELETE) fail its signature check, boto3's too.
    let (got, listed) = session
        .unchecked(|config| async move {
            let lambda = Client::new(&config);
            let got = lambda
                .get_function(GetFunctionInput {
                    function_name: name.into(),
                    qualifier: None,
                })
                .await
                .expect("get function");
            let listed = lambda
                .list_functions(ListFunctionsInput {
                    max_items: Some(50),
                    ..Default::default()
                })
                .await
                .expect("list functions");
            (got, listed)
        })
        .await;
    let configuration = got.configuration.expect("a configuration");
    assert_eq!(configuration.function_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(
        configuration.description.as_deref(),
        Some("created by Stratus")
    );
    assert_eq!(
        configuration.environment.and_then(|e| e.variables),
        Some([("STAGE".to_string(), "test".to_string())].into())
    );
    assert_eq!(configuration.code_sha256.as_deref(), Some(sha256.as_str()));
    assert_eq!(
        got.tags,
        Some([("team".to_string(), "stratus".to_string())].into())
    );
    let listed = listed.functions.unwrap_or_default();
    assert!(
        listed
            .iter()
            .any(|f| f.function_name.as_deref() == Some(name)),
        "{listed:?}"
    );

    let variables: HashMap<String, String> = [
        ("STAGE".to_string(), "prod".to_string()),
        ("GREETING".to_string(), "héllo wörld = 1&2".to_string()),
    ]
    .into();
    let updated = lambda
        .update_function_configuration(UpdateFunctionConfigurationInput {
            function_name: name.into(),
            memory_size: Some(512),
            timeout: Some(30),
            environment: Some(Environment {
                variables: Some(variables.clone()),
            }),
            description: Some("updated".into()),
            ..Default::default()
        })
        .await
        .expect("update function configuration");
    assert_eq!(updated.memory_size, Some(512));
    assert_eq!(updated.timeout, Some(30));
    assert_eq!(
        updated.environment.and_then(|e| e.variables).as_ref(),
        Some(&variables)
    );
    lambda
        .tag_resource(TagResourceInput {
            resource: arn.clone(),
            tags: [
                ("env".to_string(), "test".to_string()),
                ("cost center".to_string(), "a/b+c".to_string()),
            ]
            .into(),
        })
        .await
        .expect("tag resource");
    // moto gap: bodyless requests (GET, DELETE) fail its signature check, boto3's too.
    let (configuration, tags, gone) = session
        .unchecked(|config| {
            let arn = arn.clone();
            async move {
                let lambda = Client::new(&config);
                let configuration = lambda
                    .get_function_configuration(GetFunctionConfigurationInput {
                        function_name: name.into(),
                        qualifier: None,
                    })
                    .await
                    .expect("get function configuration");
                let tags = lambda
                    .list_tags(ListTagsInput { resource: arn })
                    .await
                    .expect("list tags")
                    .tags
                    .unwrap_or_default();
                lambda
                    .delete_function(DeleteFunctionInput {
                        function_name: name.into(),
                        qualifier: None,
                    })
                    .await
                    .expect("delete function");
                let gone = lambda
                    .get_function(GetFunctionInput {
                        function_name: name.into(),
                        qualifier: None,
                    })
                    .await
                    .expect_err("the function is gone");
                (configuration, tags, gone)
            }
        })
        .await;
    assert_eq!(configuration.memory_size, Some(512));
    assert_eq!(configuration.description.as_deref(), Some("updated"));
    assert_eq!(
        configuration.environment.and_then(|e| e.variables).as_ref(),
        Some(&variables)
    );
    let expected: HashMap<String, String> = [
        ("team", "stratus"),
        ("env", "test"),
        ("cost center", "a/b+c"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(tags, expected);
    assert!(
        matches!(
            gone.service_error(),
            Some(GetFunctionError::ResourceNotFoundException(_))
        ),
        "{gone:?}"
    );
}
