//! SQS end to end against moto (awsJson 1.0 with `awsQueryCompatible`, signatures checked):
//! messages with String, Number and Binary attributes sent, received and deleted, and the
//! error of a missing queue.

use sqs_client::*;
use std::collections::HashMap;
use stratus_runtime::Blob;
use stratus_tests::e2e::Session;

async fn create_queue(sqs: &Client, name: &str) -> String {
    sqs.create_queue(CreateQueueInput {
        queue_name: name.into(),
        attributes: Some([(QueueAttributeName::VisibilityTimeout, "30".to_string())].into()),
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| panic!("create queue {name}: {e}"))
    .queue_url
    .expect("a queue URL")
}

fn attribute(
    data_type: &str,
    string: Option<&str>,
    binary: Option<&[u8]>,
) -> MessageAttributeValue {
    MessageAttributeValue {
        data_type: data_type.into(),
        string_value: string.map(str::to_string),
        binary_value: binary.map(Blob::copy_from_slice),
        ..Default::default()
    }
}

#[tokio::test]
async fn sqs_messages_with_attributes() {
    let session = Session::get().await;
    let sqs = Client::new(&session.config());
    let url = create_queue(&sqs, "stratus-sqs-messages").await;
    assert!(url.ends_with("/stratus-sqs-messages"), "{url}");
    // GetQueueUrl finds the same queue.
    let found = sqs
        .get_queue_url(GetQueueUrlInput {
            queue_name: "stratus-sqs-messages".into(),
            ..Default::default()
        })
        .await
        .expect("get queue url")
        .queue_url;
    assert_eq!(found.as_deref(), Some(url.as_str()));

    let attributes: HashMap<String, MessageAttributeValue> = [
        ("text", attribute("String", Some("héllo, wörld"), None)),
        ("count", attribute("Number", Some("-12.5"), None)),
        ("typed", attribute("Number.int", Some("42"), None)),
        (
            "bytes",
            attribute("Binary", None, Some(&[0, 1, 2, 0x7f, 0x80, 0xfe, 0xff])),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let body = "a body with \"quotes\", <angles> & ünïcødé 😀";
    let sent = sqs
        .send_message(SendMessageInput {
            queue_url: url.clone(),
            message_body: body.into(),
            message_attributes: Some(attributes.clone()),
            ..Default::default()
        })
        .await
        .expect("send message");
    let message_id = sent.message_id.expect("a message id");
    assert_eq!(sent.md5_of_message_body.as_ref().map(String::len), Some(32));
    assert_eq!(
        sent.md5_of_message_attributes.as_ref().map(String::len),
        Some(32)
    );

    let received = sqs
        .receive_message(ReceiveMessageInput {
            queue_url: url.clone(),
            message_attribute_names: Some(vec!["All".into()]),
            message_system_attribute_names: Some(vec![MessageSystemAttributeName::All]),
            max_number_of_messages: Some(10),
            wait_time_seconds: Some(1),
            ..Default::default()
        })
        .await
        .expect("receive message")
        .messages
        .unwrap_or_default();
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0];
    assert_eq!(message.message_id.as_deref(), Some(message_id.as_str()));
    assert_eq!(message.body.as_deref(), Some(body));
    assert_eq!(message.md5_of_body, sent.md5_of_message_body);
    assert_eq!(
        message.md5_of_message_attributes,
        sent.md5_of_message_attributes
    );
    assert_eq!(message.message_attributes.as_ref(), Some(&attributes));
    let system = message.attributes.clone().unwrap_or_default();
    assert_eq!(
        system
            .get(&MessageSystemAttributeName::ApproximateReceiveCount)
            .map(String::as_str),
        Some("1")
    );
    assert!(system.contains_key(&MessageSystemAttributeName::SentTimestamp));

    sqs.delete_message(DeleteMessageInput {
        queue_url: url.clone(),
        receipt_handle: message.receipt_handle.clone().expect("a receipt handle"),
    })
    .await
    .expect("delete message");
    let counts = sqs
        .get_queue_attributes(GetQueueAttributesInput {
            queue_url: url.clone(),
            attribute_names: Some(vec![
                QueueAttributeName::ApproximateNumberOfMessages,
                QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
                QueueAttributeName::VisibilityTimeout,
            ]),
        })
        .await
        .expect("get queue attributes")
        .attributes
        .unwrap_or_default();
    let count = |name| counts.get(&name).map(String::as_str);
    assert_eq!(
        count(QueueAttributeName::ApproximateNumberOfMessages),
        Some("0")
    );
    assert_eq!(
        count(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        Some("0")
    );
    assert_eq!(count(QueueAttributeName::VisibilityTimeout), Some("30"));

    sqs.delete_queue(DeleteQueueInput { queue_url: url })
        .await
        .expect("delete queue");
}

/// With `awsQueryCompatible`, the code is the query-era one from `x-amzn-query-error`, and
/// the typed variant is the exception the model names (botocore matches it by its shape name,
/// `QueueDoesNotExist`, through `QueryErrorCode`: `handlers.py`'s SQS compatibility hook).
#[tokio::test]
async fn sqs_missing_queue_is_a_typed_error() {
    let session = Session::get().await;
    let sqs = Client::new(&session.config());
    let err = sqs
        .get_queue_url(GetQueueUrlInput {
            queue_name: "stratus-sqs-no-such-queue".into(),
            ..Default::default()
        })
        .await
        .expect_err("no such queue");
    assert_eq!(
        err.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "{err}"
    );
    assert!(
        matches!(
            err.service_error(),
            Some(GetQueueUrlError::QueueDoesNotExist(_))
        ),
        "{err:?}"
    );
}
