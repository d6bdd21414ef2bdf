//! The awsJson services end to end against moto (signatures checked): KMS, SSM, Secrets
//! Manager, CloudWatch Logs, Kinesis, CloudWatch (awsJson 1.0, query-compatible), and SNS
//! (query) delivering to an SQS queue (awsJson 1.0). Every test reads back what it wrote.
//!
//! moto gaps met here (each seen with boto3 against the same moto too): its KMS, Logs and
//! Secrets Manager backends label their JSON responses `Content-Type: text/html;
//! charset=utf-8` (AWS sends `application/x-amz-json-1.1`), which Stratus reads as the JSON
//! it is, as botocore does. CloudWatch's GetMetricStatistics dates a datapoint by its first
//! value instead of the start of its period.

use std::collections::HashMap;
use stratus_runtime::{Blob, DateTime};
use stratus_tests::e2e;

/// Every byte value, then some text: a body no codec can pass through as UTF-8 by luck.
fn all_bytes() -> Blob {
    let mut bytes: Vec<u8> = (0..=255).collect();
    bytes.extend_from_slice("ünïcødé 😀".as_bytes());
    Blob::from(bytes)
}

#[tokio::test]
async fn kms_encrypt_decrypt_round_trip() {
    use kms_client::*;
    let session = e2e::Session::get().await;
    // moto gap: this backend labels its JSON `text/html` (boto3 ignores the type).
    let kms = Client::new(&session.config());
    let key = kms
        .create_key(CreateKeyInput {
            description: Some("stratus-kms".into()),
            ..Default::default()
        })
        .await
        .expect("create key")
        .key_metadata
        .expect("key metadata");
    assert_eq!(key.description.as_deref(), Some("stratus-kms"));
    assert_eq!(key.enabled, Some(true));
    let arn = key.arn.expect("a key ARN");

    let plaintext = all_bytes();
    let context: HashMap<String, String> = [("purpose".to_string(), "e2e".to_string())].into();
    let encrypted = kms
        .encrypt(EncryptInput {
            key_id: key.key_id.clone(),
            plaintext: plaintext.clone(),
            encryption_context: Some(context.clone()),
            ..Default::default()
        })
        .await
        .expect("encrypt");
    assert_eq!(encrypted.key_id.as_deref(), Some(arn.as_str()));
    let ciphertext = encrypted.ciphertext_blob.expect("a ciphertext");
    assert_ne!(ciphertext, plaintext);
    assert!(!ciphertext.is_empty());

    let decrypted = kms
        .decrypt(DecryptInput {
            ciphertext_blob: Some(ciphertext.clone()),
            encryption_context: Some(context),
            ..Default::default()
        })
        .await
        .expect("decrypt");
    assert_eq!(decrypted.plaintext, Some(plaintext));
    assert_eq!(decrypted.key_id.as_deref(), Some(arn.as_str()));

    // A ciphertext that is not one: the typed error.
    let err = kms
        .decrypt(DecryptInput {
            ciphertext_blob: Some(Blob::from_static(b"not a ciphertext at all")),
            ..Default::default()
        })
        .await
        .expect_err("not a ciphertext");
    assert!(
        matches!(
            err.service_error(),
            Some(DecryptError::InvalidCiphertextException(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn ssm_parameters_with_a_secure_string() {
    use ssm_client::*;
    let session = e2e::Session::get().await;
    let ssm = Client::new(&session.config());
    let root = "/stratus-ssm";
    let params = [
        (
            "plain",
            ParameterType::String,
            "a value with spaces & ünïcødé",
        ),
        ("list", ParameterType::StringList, "a,b,c"),
        ("secret", ParameterType::SecureString, "hunter2 🔑"),
        ("nested/deeper", ParameterType::String, "deep"),
    ];
    for (name, r#type, value) in &params {
        let put = ssm
            .put_parameter(PutParameterInput {
                name: format!("{root}/{name}"),
                value: value.to_string(),
                r#type: Some(r#type.clone()),
                description: Some(format!("the {name} parameter")),
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("put {name}: {e}"));
        assert_eq!(put.version, Some(1));
    }
    // Overwriting makes a second version.
    let put = ssm
        .put_parameter(PutParameterInput {
            name: format!("{root}/plain"),
            value: "a new value".into(),
            overwrite: Some(true),
            ..Default::default()
        })
        .await
        .expect("overwrite");
    assert_eq!(put.version, Some(2));

    let get = |name: &str, with_decryption| {
        ssm.get_parameter(GetParameterInput {
            name: format!("{root}/{name}"),
            with_decryption: Some(with_decryption),
        })
    };
    let plain = get("plain", false)
        .await
        .expect("get plain")
        .parameter
        .expect("a parameter");
    assert_eq!(plain.value.as_deref(), Some("a new value"));
    assert_eq!(plain.version, Some(2));
    assert_eq!(plain.r#type, Some(ParameterType::String));
    assert_eq!(plain.name.as_deref(), Some("/stratus-ssm/plain"));
    let secret = get("secret", true)
        .await
        .expect("get secret")
        .parameter
        .expect("a parameter");
    assert_eq!(secret.value.as_deref(), Some("hunter2 🔑"));
    assert_eq!(secret.r#type, Some(ParameterType::SecureString));
    // Without decryption, the secure string is not the plain text.
    let hidden = get("secret", false)
        .await
        .expect("get secret")
        .parameter
        .expect("a parameter");
    assert_ne!(hidden.value.as_deref(), Some("hunter2 🔑"));

    // By path, a page at a time, recursively, decrypted.
    let mut found = HashMap::new();
    let mut next_token = None;
    let mut pages = 0;
    loop {
        let page = ssm
            .get_parameters_by_path(GetParametersByPathInput {
                path: root.into(),
                recursive: Some(true),
                with_decryption: Some(true),
                max_results: Some(2),
                next_token: next_token.take(),
                ..Default::default()
            })
            .await
            .expect("get parameters by path");
        pages += 1;
        let parameters = page.parameters.unwrap_or_default();
        assert!(parameters.len() <= 2);
        for p in parameters {
            found.insert(
                p.name.expect("a name"),
                (p.r#type.expect("a type"), p.value.expect("a value")),
            );
        }
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
        assert!(pages <= 5, "too many pages");
    }
    let expected: HashMap<String, (ParameterType, String)> = [
        ("plain", ParameterType::String, "a new value"),
        ("list", ParameterType::StringList, "a,b,c"),
        ("secret", ParameterType::SecureString, "hunter2 🔑"),
        ("nested/deeper", ParameterType::String, "deep"),
    ]
    .into_iter()
    .map(|(n, t, v)| (format!("{root}/{n}"), (t, v.to_string())))
    .collect();
    assert_eq!(found, expected);

    // Not recursive: the nested one is left out.
    let shallow = ssm
        .get_parameters_by_path(GetParametersByPathInput {
            path: root.into(),
            recursive: Some(false),
            ..Default::default()
        })
        .await
        .expect("get parameters by path")
        .parameters
        .unwrap_or_default();
    let mut names: Vec<String> = shallow.into_iter().filter_map(|p| p.name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "/stratus-ssm/list",
            "/stratus-ssm/plain",
            "/stratus-ssm/secret"
        ]
    );

    let err = get("missing", false).await.expect_err("no such parameter");
    assert!(
        matches!(
            err.service_error(),
            Some(GetParameterError::ParameterNotFound(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn secrets_manager_versions() {
    use secretsmanager_client::*;
    let session = e2e::Session::get().await;
    // moto gap: this backend labels its JSON `text/html` (boto3 ignores the type).
    let secrets = Client::new(&session.config());
    let name = "stratus-secret";
    let created = secrets
        .create_secret(CreateSecretInput {
            name: name.into(),
            secret_string: Some(r#"{"user":"admin","password":"first"}"#.into()),
            description: Some("made by Stratus".into()),
            ..Default::default()
        })
        .await
        .expect("create secret");
    assert_eq!(created.name.as_deref(), Some(name));
    let first_version = created.version_id.expect("a version id");
    let arn = created.arn.expect("an ARN");

    let got = secrets
        .get_secret_value(GetSecretValueInput {
            secret_id: name.into(),
            ..Default::default()
        })
        .await
        .expect("get secret value");
    assert_eq!(
        got.secret_string.as_deref(),
        Some(r#"{"user":"admin","password":"first"}"#)
    );
    assert_eq!(got.version_id.as_deref(), Some(first_version.as_str()));
    assert_eq!(got.arn.as_deref(), Some(arn.as_str()));

    // A new version, binary this time; the old one becomes AWSPREVIOUS.
    let put = secrets
        .put_secret_value(PutSecretValueInput {
            secret_id: arn.clone(),
            secret_binary: Some(all_bytes()),
            ..Default::default()
        })
        .await
        .expect("put secret value");
    let second_version = put.version_id.expect("a version id");
    assert_ne!(second_version, first_version);
    assert_eq!(put.version_stages, Some(vec!["AWSCURRENT".to_string()]));

    let current = secrets
        .get_secret_value(GetSecretValueInput {
            secret_id: name.into(),
            ..Default::default()
        })
        .await
        .expect("get the current version");
    assert_eq!(current.secret_binary, Some(all_bytes()));
    assert_eq!(current.secret_string, None);
    assert_eq!(current.version_id.as_deref(), Some(second_version.as_str()));
    let previous = secrets
        .get_secret_value(GetSecretValueInput {
            secret_id: name.into(),
            version_stage: Some("AWSPREVIOUS".into()),
            ..Default::default()
        })
        .await
        .expect("get the previous version");
    assert_eq!(
        previous.secret_string.as_deref(),
        Some(r#"{"user":"admin","password":"first"}"#)
    );
    assert_eq!(previous.version_id.as_deref(), Some(first_version.as_str()));

    let described = secrets
        .describe_secret(DescribeSecretInput {
            secret_id: name.into(),
        })
        .await
        .expect("describe secret");
    assert_eq!(described.description.as_deref(), Some("made by Stratus"));
    let stages = described.version_ids_to_stages.unwrap_or_default();
    assert_eq!(
        stages.get(&second_version),
        Some(&vec!["AWSCURRENT".to_string()])
    );
    assert_eq!(
        stages.get(&first_version),
        Some(&vec!["AWSPREVIOUS".to_string()])
    );

    let deleted = secrets
        .delete_secret(DeleteSecretInput {
            secret_id: name.into(),
            force_delete_without_recovery: Some(true),
            ..Default::default()
        })
        .await
        .expect("delete secret");
    assert_eq!(deleted.name.as_deref(), Some(name));
    assert!(deleted.deletion_date.is_some());
    let err = secrets
        .get_secret_value(GetSecretValueInput {
            secret_id: name.into(),
            ..Default::default()
        })
        .await
        .expect_err("the secret is gone");
    assert!(
        matches!(
            err.service_error(),
            Some(GetSecretValueError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn logs_events_read_back() {
    use logs_client::*;
    let session = e2e::Session::get().await;
    // moto gap: this backend labels its JSON `text/html` (boto3 ignores the type).
    let logs = Client::new(&session.config());
    let group = "/stratus/e2e-logs";
    let stream = "stream one";
    logs.create_log_group(CreateLogGroupInput {
        log_group_name: group.into(),
        tags: Some([("team".to_string(), "stratus".to_string())].into()),
        ..Default::default()
    })
    .await
    .expect("create log group");
    logs.create_log_stream(CreateLogStreamInput {
        log_group_name: group.into(),
        log_stream_name: stream.into(),
    })
    .await
    .expect("create log stream");

    let now = DateTime::now().to_millis().expect("now in milliseconds");
    let messages = [
        "first line",
        "second: {\"json\": true}",
        "third with ünïcødé 😀",
    ];
    let events: Vec<InputLogEvent> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| InputLogEvent {
            timestamp: now - 3000 + i as i64 * 1000,
            message: m.to_string(),
        })
        .collect();
    let put = logs
        .put_log_events(PutLogEventsInput {
            log_group_name: group.into(),
            log_stream_name: stream.into(),
            log_events: events.clone(),
            ..Default::default()
        })
        .await
        .expect("put log events");
    assert_eq!(put.rejected_log_events_info, None);

    let got = logs
        .get_log_events(GetLogEventsInput {
            log_group_name: Some(group.into()),
            log_stream_name: stream.into(),
            start_from_head: Some(true),
            ..Default::default()
        })
        .await
        .expect("get log events");
    let read: Vec<(i64, String)> = got
        .events
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            (
                e.timestamp.expect("a timestamp"),
                e.message.expect("a message"),
            )
        })
        .collect();
    let written: Vec<(i64, String)> = events
        .into_iter()
        .map(|e| (e.timestamp, e.message))
        .collect();
    assert_eq!(read, written);
    assert!(got.next_forward_token.is_some());

    logs.delete_log_group(DeleteLogGroupInput {
        log_group_name: group.into(),
    })
    .await
    .expect("delete log group");
    let err = logs
        .get_log_events(GetLogEventsInput {
            log_group_name: Some(group.into()),
            log_stream_name: stream.into(),
            ..Default::default()
        })
        .await
        .expect_err("the group is gone");
    assert!(
        matches!(
            err.service_error(),
            Some(GetLogEventsError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn kinesis_records_read_back() {
    use kinesis_client::*;
    let session = e2e::Session::get().await;
    let kinesis = Client::new(&session.config());
    let stream = "stratus-kinesis";
    kinesis
        .create_stream(CreateStreamInput {
            stream_name: stream.into(),
            shard_count: Some(1),
            ..Default::default()
        })
        .await
        .expect("create stream");
    let summary = kinesis
        .describe_stream_summary(DescribeStreamSummaryInput {
            stream_name: Some(stream.into()),
            ..Default::default()
        })
        .await
        .expect("describe stream summary")
        .stream_description_summary;
    assert_eq!(summary.stream_name, stream);
    assert_eq!(summary.stream_status, StreamStatus::Active);
    assert_eq!(summary.open_shard_count, 1);

    let first = kinesis
        .put_record(PutRecordInput {
            stream_name: Some(stream.into()),
            data: all_bytes(),
            partition_key: "key-0".into(),
            ..Default::default()
        })
        .await
        .expect("put record");
    let datas: Vec<Blob> = (1..=3)
        .map(|i| Blob::from(format!("record {i}: ünïcødé").into_bytes()))
        .collect();
    let put = kinesis
        .put_records(PutRecordsInput {
            stream_name: Some(stream.into()),
            records: datas
                .iter()
                .enumerate()
                .map(|(i, data)| PutRecordsRequestEntry {
                    data: data.clone(),
                    partition_key: format!("key-{}", i + 1),
                    explicit_hash_key: None,
                })
                .collect(),
            ..Default::default()
        })
        .await
        .expect("put records");
    assert_eq!(put.failed_record_count.unwrap_or(0), 0);
    assert_eq!(put.records.len(), 3);
    assert!(
        put.records
            .iter()
            .all(|r| r.shard_id.as_deref() == Some(first.shard_id.as_str()))
    );

    let shards = kinesis
        .list_shards(ListShardsInput {
            stream_name: Some(stream.into()),
            ..Default::default()
        })
        .await
        .expect("list shards")
        .shards
        .unwrap_or_default();
    assert_eq!(shards.len(), 1);
    assert_eq!(shards[0].shard_id, first.shard_id);

    let iterator = kinesis
        .get_shard_iterator(GetShardIteratorInput {
            stream_name: Some(stream.into()),
            shard_id: first.shard_id.clone(),
            shard_iterator_type: ShardIteratorType::TrimHorizon,
            ..Default::default()
        })
        .await
        .expect("get shard iterator")
        .shard_iterator
        .expect("an iterator");
    let records = kinesis
        .get_records(GetRecordsInput {
            shard_iterator: iterator,
            limit: Some(100),
            ..Default::default()
        })
        .await
        .expect("get records");
    let read: Vec<(String, Blob)> = records
        .records
        .iter()
        .map(|r| (r.partition_key.clone(), r.data.clone()))
        .collect();
    let mut written = vec![("key-0".to_string(), all_bytes())];
    written.extend(
        datas
            .into_iter()
            .enumerate()
            .map(|(i, d)| (format!("key-{}", i + 1), d)),
    );
    assert_eq!(read, written);
    assert_eq!(records.records[0].sequence_number, first.sequence_number);
    assert!(
        records
            .records
            .iter()
            .all(|r| r.approximate_arrival_timestamp.is_some())
    );
    assert!(records.next_shard_iterator.is_some());

    // AFTER_SEQUENCE_NUMBER of the first record: the other three.
    let iterator = kinesis
        .get_shard_iterator(GetShardIteratorInput {
            stream_name: Some(stream.into()),
            shard_id: first.shard_id.clone(),
            shard_iterator_type: ShardIteratorType::AfterSequenceNumber,
            starting_sequence_number: Some(first.sequence_number.clone()),
            ..Default::default()
        })
        .await
        .expect("get shard iterator")
        .shard_iterator
        .expect("an iterator");
    let rest = kinesis
        .get_records(GetRecordsInput {
            shard_iterator: iterator,
            ..Default::default()
        })
        .await
        .expect("get records")
        .records;
    assert_eq!(rest.len(), 3);
    assert_eq!(rest[0].partition_key, "key-1");

    kinesis
        .delete_stream(DeleteStreamInput {
            stream_name: Some(stream.into()),
            ..Default::default()
        })
        .await
        .expect("delete stream");
    let err = kinesis
        .describe_stream_summary(DescribeStreamSummaryInput {
            stream_name: Some(stream.into()),
            ..Default::default()
        })
        .await
        .expect_err("the stream is gone");
    assert!(
        matches!(
            err.service_error(),
            Some(DescribeStreamSummaryError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn cloudwatch_metrics_read_back() {
    use cloudwatch_client::*;
    let session = e2e::Session::get().await;
    let cloudwatch = Client::new(&session.config());
    let namespace = "Stratus/E2E";
    let dimension = Dimension {
        name: "Host".into(),
        value: "web-1".into(),
    };
    // A whole minute in the past, so every value falls into one period.
    let now = DateTime::now().secs();
    let minute = DateTime::from_secs((now / 60 - 2) * 60);
    let datum = |value: f64, seconds: i64| MetricDatum {
        metric_name: "Latency".into(),
        dimensions: Some(vec![dimension.clone()]),
        timestamp: Some(DateTime::from_secs(minute.secs() + seconds)),
        value: Some(value),
        unit: Some(StandardUnit::Milliseconds),
        ..Default::default()
    };
    cloudwatch
        .put_metric_data(PutMetricDataInput {
            namespace: namespace.into(),
            // The first value at the very start of the period: moto dates a datapoint of
            // GetMetricStatistics by its first value (boto3 sees the same), AWS by the start of
            // its period.
            metric_data: Some(vec![datum(1.5, 0), datum(2.25, 10), datum(10.0, 50)]),
            ..Default::default()
        })
        .await
        .expect("put metric data");

    let metric = Metric {
        namespace: Some(namespace.into()),
        metric_name: Some("Latency".into()),
        dimensions: Some(vec![dimension.clone()]),
    };
    let start = DateTime::from_secs(minute.secs() - 300);
    let end = DateTime::from_secs(now + 60);
    let query = |id: &str, stat: &str| MetricDataQuery {
        id: id.into(),
        metric_stat: Some(MetricStat {
            metric: metric.clone(),
            period: 60,
            stat: stat.into(),
            unit: None,
        }),
        return_data: Some(true),
        ..Default::default()
    };
    let data = cloudwatch
        .get_metric_data(GetMetricDataInput {
            metric_data_queries: vec![query("total", "Sum"), query("peak", "Maximum")],
            start_time: start,
            end_time: end,
            ..Default::default()
        })
        .await
        .expect("get metric data")
        .metric_data_results
        .unwrap_or_default();
    let by_id: HashMap<String, &MetricDataResult> = data
        .iter()
        .map(|r| (r.id.clone().expect("an id"), r))
        .collect();
    assert_eq!(by_id["total"].values, Some(vec![13.75]), "{data:?}");
    assert_eq!(by_id["peak"].values, Some(vec![10.0]), "{data:?}");
    assert_eq!(by_id["total"].status_code, Some(StatusCode::Complete));
    assert_eq!(
        by_id["total"]
            .timestamps
            .as_ref()
            .map(|t| t.iter().map(DateTime::secs).collect::<Vec<_>>()),
        Some(vec![minute.secs()])
    );

    let statistics = cloudwatch
        .get_metric_statistics(GetMetricStatisticsInput {
            namespace: namespace.into(),
            metric_name: "Latency".into(),
            dimensions: Some(vec![dimension]),
            start_time: start,
            end_time: end,
            period: 60,
            statistics: Some(vec![
                Statistic::SampleCount,
                Statistic::Sum,
                Statistic::Minimum,
                Statistic::Maximum,
                Statistic::Average,
            ]),
            ..Default::default()
        })
        .await
        .expect("get metric statistics");
    assert_eq!(statistics.label.as_deref(), Some("Latency"));
    let points = statistics.datapoints.unwrap_or_default();
    assert_eq!(points.len(), 1, "{points:?}");
    let point = &points[0];
    assert_eq!(point.timestamp.map(|t| t.secs()), Some(minute.secs()));
    assert_eq!(point.sample_count, Some(3.0));
    assert_eq!(point.sum, Some(13.75));
    assert_eq!(point.minimum, Some(1.5));
    assert_eq!(point.maximum, Some(10.0));
    assert_eq!(point.average, Some(13.75 / 3.0));
    assert_eq!(point.unit, Some(StandardUnit::Milliseconds));

    let listed = cloudwatch
        .list_metrics(ListMetricsInput {
            namespace: Some(namespace.into()),
            ..Default::default()
        })
        .await
        .expect("list metrics")
        .metrics
        .unwrap_or_default();
    assert_eq!(listed, vec![metric]);
}

#[tokio::test]
async fn sns_delivers_to_an_sqs_subscription() {
    let session = e2e::Session::get().await;
    let config = session.config();
    let sns = sns_client::Client::new(&config);
    let sqs = sqs_client::Client::new(&config);

    let topic = sns
        .create_topic(sns_client::CreateTopicInput {
            name: "stratus-sns-topic".into(),
            ..Default::default()
        })
        .await
        .expect("create topic")
        .topic_arn
        .expect("a topic ARN");
    let queue_url = sqs
        .create_queue(sqs_client::CreateQueueInput {
            queue_name: "stratus-sns-queue".into(),
            ..Default::default()
        })
        .await
        .expect("create queue")
        .queue_url
        .expect("a queue URL");
    let queue_arn = sqs
        .get_queue_attributes(sqs_client::GetQueueAttributesInput {
            queue_url: queue_url.clone(),
            attribute_names: Some(vec![sqs_client::QueueAttributeName::QueueArn]),
        })
        .await
        .expect("get queue attributes")
        .attributes
        .unwrap_or_default()
        .remove(&sqs_client::QueueAttributeName::QueueArn)
        .expect("the queue ARN");
    let subscription = sns
        .subscribe(sns_client::SubscribeInput {
            topic_arn: topic.clone(),
            protocol: "sqs".into(),
            endpoint: Some(queue_arn),
            return_subscription_arn: Some(true),
            ..Default::default()
        })
        .await
        .expect("subscribe")
        .subscription_arn
        .expect("a subscription ARN");
    assert!(subscription.starts_with(&topic), "{subscription}");

    let text = "hello from SNS: <xml> & \"json\" ünïcødé 😀";
    let published = sns
        .publish(sns_client::PublishInput {
            topic_arn: Some(topic.clone()),
            message: text.into(),
            subject: Some("greeting".into()),
            ..Default::default()
        })
        .await
        .expect("publish")
        .message_id
        .expect("a message id");

    let messages = sqs
        .receive_message(sqs_client::ReceiveMessageInput {
            queue_url: queue_url.clone(),
            max_number_of_messages: Some(10),
            wait_time_seconds: Some(2),
            ..Default::default()
        })
        .await
        .expect("receive message")
        .messages
        .unwrap_or_default();
    assert_eq!(messages.len(), 1, "{messages:?}");
    // The SNS envelope, as JSON in the body.
    let envelope: serde_json::Value =
        serde_json::from_str(messages[0].body.as_deref().expect("a body")).expect("JSON");
    assert_eq!(envelope["Type"], "Notification");
    assert_eq!(envelope["Message"], text);
    assert_eq!(envelope["Subject"], "greeting");
    assert_eq!(envelope["TopicArn"], topic.as_str());
    assert_eq!(envelope["MessageId"], published.as_str());

    sqs.delete_queue(sqs_client::DeleteQueueInput { queue_url })
        .await
        .expect("delete queue");
    sns.delete_topic(sns_client::DeleteTopicInput { topic_arn: topic })
        .await
        .expect("delete topic");
}
