//! The `query` (awsQuery) and `ec2` (ec2Query) protocols: [form-encoded](super::form)
//! requests, [XML](super::xml) responses.
//!
//! # Requests
//!
//! `POST /` with `Content-Type: application/x-www-form-urlencoded; charset=utf-8` and the body
//! `Action=<operation>&Version=<apiVersion>` followed by the input's members, flattened into
//! dotted keys as [`super::form`] describes (the two protocols differ only in names and empty
//! lists).
//!
//! # Responses
//!
//! A query output is the `<{resultWrapper}>` child of the root element
//! (`<OpResponse><OpResult>..</OpResult><ResponseMetadata><RequestId>..`); an ec2 output is the
//! root element itself, with a `<requestId>` child. Both are read by
//! [`XmlDecoder`]. An empty body is an empty output.
//!
//! Errors are `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`
//! (query), `<Response><Errors><Error>..</Error></Errors><RequestID/></Response>` (ec2), or a
//! bare `<Error>`; each codec reads all three ([`super::xml::error`]). A body that is empty or
//! HTML (a proxy's or load balancer's page) gives the HTTP status as the code (`503`) and its
//! reason phrase as the message, as botocore does.

use super::form::write_members;
use super::text::UNRESERVED;
use super::xml::error::{find_error, read_error_fields};
use super::xml::{XmlDecoder, XmlError};
use super::{
    Codec, ErrorResponse, HttpRequest, HttpResponse, ParseError, ResponseMetadata, SerializeError,
    generic_error, header_request_id, is_generic_error_body,
};
use crate::operation::Operation;
use crate::value::StructValue;
use bytes::Bytes;
use percent_encoding::utf8_percent_encode;

/// The `Content-Type` of every query and ec2 request.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The codec of the `query` protocol.
pub static QUERY: QueryCodec = QueryCodec { ec2: false };

/// The codec of the `ec2` protocol.
pub static EC2: QueryCodec = QueryCodec { ec2: true };

/// The `query` or `ec2` codec ([`QUERY`], [`EC2`]).
#[derive(Debug)]
pub struct QueryCodec {
    ec2: bool,
}

impl Codec for QueryCodec {
    fn serialize(
        &self,
        op: &Operation,
        input: &dyn StructValue,
    ) -> Result<HttpRequest, SerializeError> {
        let error = |message: String| SerializeError::new(op, message);
        let mut body = String::with_capacity(256);
        body.push_str("Action=");
        body.extend(utf8_percent_encode(op.name, UNRESERVED));
        body.push_str("&Version=");
        body.extend(utf8_percent_encode(op.service.api_version, UNRESERVED));
        write_members(&mut body, self.ec2, input).map_err(error)?;
        let method = if op.http_method.is_empty() {
            "POST"
        } else {
            op.http_method
        };
        let builder = http::Request::builder()
            .method(method)
            .uri("/")
            .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(http::header::CONTENT_LENGTH, body.len());
        super::finish_request(op, builder, Bytes::from(body))
    }

    fn parse_output(
        &self,
        op: &Operation,
        response: &HttpResponse,
        output: &mut dyn StructValue,
    ) -> Result<ResponseMetadata, ParseError> {
        let mut request_id = None;
        super::refuse_html(response)
            .map_err(|message| ParseError::new(op, response.body(), message))?;
        self.read_output(op, response.body(), output, &mut request_id)
            .map_err(|e| parse_error(op, response, e))?;
        Ok(ResponseMetadata {
            request_id: request_id.or_else(|| header_request_id(response)),
        })
    }

    fn parse_error(
        &self,
        op: &Operation,
        response: &HttpResponse,
    ) -> Result<ErrorResponse, ParseError> {
        if is_generic_error_body(response.body()) {
            return Ok(generic_error(op, response));
        }
        let (fields, outer_id) =
            read_error_fields(response.body()).map_err(|e| parse_error(op, response, e))?;
        Ok(ErrorResponse {
            code: fields.code.unwrap_or_default(),
            message: fields.message,
            request_id: outer_id
                .or(fields.request_id)
                .or_else(|| header_request_id(response)),
            query_error_code: None,
        })
    }

    fn parse_error_members(
        &self,
        op: &Operation,
        response: &HttpResponse,
        exception: &mut dyn StructValue,
    ) -> Result<(), ParseError> {
        if is_generic_error_body(response.body()) {
            return Ok(());
        }
        let mut decoder = XmlDecoder::new(response.body());
        find_error(&mut decoder, &mut |decoder, error| {
            decoder.read_struct(&mut *exception, error, None)
        })
        .map(|_| ())
        .map_err(|e| parse_error(op, response, e))
    }
}

impl QueryCodec {
    fn read_output(
        &self,
        op: &Operation,
        body: &[u8],
        output: &mut dyn StructValue,
        request_id: &mut Option<String>,
    ) -> Result<(), XmlError> {
        let mut decoder = XmlDecoder::new(body);
        let Some(root) = decoder.root()? else {
            // An empty body: an output without members.
            return Ok(());
        };
        if super::is_html_root(root.local_name()) {
            return Err(XmlError::new(
                "the response is an HTML page, not the service's XML",
            ));
        }
        match op.result_wrapper {
            Some(wrapper) if !self.ec2 => {
                if root.is_empty() {
                    return Ok(());
                }
                while let Some(child) = decoder.next_child()? {
                    if child.local_name() == wrapper.as_bytes() {
                        decoder.read_struct(output, &child, None)?;
                    } else {
                        decoder.read_request_id(&child, request_id)?;
                    }
                }
                Ok(())
            }
            _ => decoder.read_struct(output, &root, Some(request_id)),
        }
    }
}

/// A response that is not what the protocol says, naming the operation and showing the start
/// of the body.
fn parse_error(op: &Operation, response: &HttpResponse, error: XmlError) -> ParseError {
    ParseError::new(op, response.body(), error.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::DateTime;
    use crate::operation::ServiceInfo;
    use crate::schema::{Member, MemberFlags, Schema, ShapeType};
    use crate::value::{Value, opt, opt_mut};

    static SERVICE: ServiceInfo = ServiceInfo::test("autoscaling", "Auto Scaling");

    // A hand-written "generated" shape: Count (i32), Name, Tags (list), When.
    static INT: Schema = Schema::scalar("Int", ShapeType::Integer);
    static STRING: Schema = Schema::string("String");
    static TIME: Schema = Schema::scalar("Time", ShapeType::Timestamp);
    static TAG_LIST_MEMBER: [Member; 1] = [Member::new("member", &STRING)];
    static TAG_LIST: Schema = Schema::list("TagList", &TAG_LIST_MEMBER);
    static THING_MEMBERS: [Member; 4] = [
        Member::new("Count", &INT),
        Member::new("Name", &STRING).location_name("name"),
        Member::new("Tags", &TAG_LIST).flag(MemberFlags::FLATTENED),
        Member::new("When", &TIME),
    ];
    static THING: Schema = Schema::structure("Thing", &THING_MEMBERS);
    static MESSAGE_MEMBERS: [Member; 1] = [Member::new("Message", &STRING)];
    static LIMIT_EXCEEDED: Schema = Schema::structure("LimitExceededFault", &MESSAGE_MEMBERS)
        .error(Some("LimitExceeded"), Some(400), true);
    static OP: Operation = Operation::new("DescribeThings", &SERVICE, "POST", "/", &THING, &THING)
        .result_wrapper("DescribeThingsResult");

    #[derive(Default, PartialEq)]
    struct Thing {
        count: Option<i32>,
        name: Option<String>,
        tags: Option<Vec<String>>,
        when: Option<DateTime>,
    }

    impl StructValue for Thing {
        fn schema(&self) -> &'static Schema {
            &THING
        }
        fn member(&self, index: usize) -> Option<&dyn Value> {
            match index {
                0 => opt(&self.count),
                1 => opt(&self.name),
                2 => opt(&self.tags),
                3 => opt(&self.when),
                _ => None,
            }
        }
        fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
            match index {
                0 => opt_mut(&mut self.count),
                1 => opt_mut(&mut self.name),
                2 => opt_mut(&mut self.tags),
                3 => opt_mut(&mut self.when),
                _ => None,
            }
        }
    }
    crate::impl_struct_value!(Thing);

    #[derive(Default)]
    struct LimitExceeded {
        message: Option<String>,
    }

    impl StructValue for LimitExceeded {
        fn schema(&self) -> &'static Schema {
            &LIMIT_EXCEEDED
        }
        fn member(&self, index: usize) -> Option<&dyn Value> {
            match index {
                0 => opt(&self.message),
                _ => None,
            }
        }
        fn member_mut(&mut self, index: usize) -> Option<&mut dyn Value> {
            match index {
                0 => opt_mut(&mut self.message),
                _ => None,
            }
        }
    }
    crate::impl_struct_value!(LimitExceeded);

    fn response(status: u16, body: &str) -> HttpResponse {
        http::Response::builder()
            .status(status)
            .header("x-amzn-RequestId", "header-id")
            .body(Bytes::from(body.to_string()))
            .unwrap()
    }

    fn body(request: &HttpRequest) -> &str {
        std::str::from_utf8(request.body()).unwrap()
    }

    #[test]
    fn serializes_a_generated_structure() {
        let thing = Thing {
            count: Some(3),
            name: Some("a b+c/d~é".into()),
            tags: Some(vec!["x".into(), "y".into()]),
            when: Some(DateTime::from_secs_and_nanos(1_422_172_800, 123_456_789)),
        };
        let request = QUERY.serialize(&OP, &thing).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/");
        assert_eq!(request.headers()["content-type"], CONTENT_TYPE);
        assert_eq!(
            request.headers()["content-length"],
            body(&request).len().to_string()
        );
        assert_eq!(
            body(&request),
            "Action=DescribeThings&Version=2020-01-01&Count=3&name=a+b%2Bc%2Fd~%C3%A9\
             &Tags.1=x&Tags.2=y&When=2015-01-25T08%3A00%3A00.123456Z"
        );
        // ec2: names capitalised, lists `Name.N`, empty lists left out.
        let thing = Thing {
            name: Some("n".into()),
            tags: Some(Vec::new()),
            ..Thing::default()
        };
        assert_eq!(
            body(&EC2.serialize(&OP, &thing).unwrap()),
            "Action=DescribeThings&Version=2020-01-01&Name=n"
        );
        assert_eq!(
            body(&QUERY.serialize(&OP, &thing).unwrap()),
            "Action=DescribeThings&Version=2020-01-01&name=n&Tags="
        );
    }

    #[test]
    fn parses_output_and_request_id() {
        let xml = "<DescribeThingsResponse xmlns=\"https://autoscaling.amazonaws.com/doc/2011-01-01/\">\
            <DescribeThingsResult><Count>2</Count><name>x</name><Tags>a</Tags><Tags>b</Tags>\
            <When>2015-01-25T08:00:00.5Z</When></DescribeThingsResult>\
            <ResponseMetadata><RequestId>body-id</RequestId></ResponseMetadata>\
            </DescribeThingsResponse>";
        let mut thing = Thing::default();
        let meta = QUERY
            .parse_output(&OP, &response(200, xml), &mut thing)
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("body-id"));
        assert!(
            thing
                == Thing {
                    count: Some(2),
                    name: Some("x".into()),
                    tags: Some(vec!["a".into(), "b".into()]),
                    when: Some(DateTime::from_secs_and_nanos(1_422_172_800, 500_000_000)),
                }
        );
        // ec2: the members and <requestId> are children of the root.
        let xml = "<DescribeThingsResponse><requestId>ec2-id</requestId><Count>1</Count>\
                   </DescribeThingsResponse>";
        let mut thing = Thing::default();
        let meta = EC2
            .parse_output(&OP, &response(200, xml), &mut thing)
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("ec2-id"));
        assert_eq!(thing.count, Some(1));
        // An empty body is an empty output; the request id comes from the header.
        let mut thing = Thing::default();
        let meta = QUERY
            .parse_output(&OP, &response(200, ""), &mut thing)
            .unwrap();
        assert_eq!(meta.request_id.as_deref(), Some("header-id"));
        assert!(thing == Thing::default());
    }

    #[test]
    fn malformed_output_is_a_parse_error_naming_element_and_value() {
        let cases = [
            (
                "<R><DescribeThingsResult><Count>12x</Count></DescribeThingsResult></R>",
                "malformed DescribeThings response: \"12x\" in <Count> is not an integer",
            ),
            (
                "<R><DescribeThingsResult><Count>4294967296</Count></DescribeThingsResult></R>",
                "malformed DescribeThings response: \"4294967296\" in <Count>: cannot store \
                 4294967296 in a value of type i32",
            ),
            (
                "<R><DescribeThingsResult><Count>1</Count></R>",
                "malformed DescribeThings response: invalid XML at byte 41: ill-formed document: \
                 expected `</DescribeThingsResult>`, but `</R>` was found",
            ),
        ];
        for (xml, message) in cases {
            let err = QUERY
                .parse_output(&OP, &response(200, xml), &mut Thing::default())
                .unwrap_err();
            // The message names the operation and the value, then shows the body's start.
            assert_eq!(
                err.to_string(),
                format!("{message} (the body starts {xml:?})")
            );
        }
        let err = QUERY
            .parse_output(
                &OP,
                &response(
                    200,
                    "<R><DescribeThingsResult><When>soon</When></DescribeThingsResult></R>",
                ),
                &mut Thing::default(),
            )
            .unwrap_err();
        assert!(
            err.message
                .starts_with("<When>: invalid date-time timestamp \"soon\""),
            "{err}"
        );
    }

    #[test]
    fn reads_moto_query_errors() {
        // As moto sends them (autoscaling): 400 text/xml.
        let xml = "<ErrorResponse xmlns=\"https://autoscaling.amazonaws.com/doc/2011-01-01/\">\
            <Error><Type>Sender</Type><Code>ValidationError</Code>\
            <Message>Group web not found</Message></Error>\
            <RequestId>moto-id</RequestId></ErrorResponse>";
        let error = QUERY.parse_error(&OP, &response(400, xml)).unwrap();
        assert_eq!(
            error,
            ErrorResponse {
                code: "ValidationError".into(),
                message: Some("Group web not found".into()),
                request_id: Some("moto-id".into()),
                query_error_code: None,
            }
        );
        // A modeled exception's members come from the same <Error>.
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Code>\
                   <Message>too many</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        let mut exception = LimitExceeded::default();
        QUERY
            .parse_error_members(&OP, &response(400, xml), &mut exception)
            .unwrap();
        assert_eq!(exception.message.as_deref(), Some("too many"));
        // Without the ErrorResponse wrapper, and without a request id in the body.
        let xml = "<Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>";
        let error = QUERY.parse_error(&OP, &response(400, xml)).unwrap();
        assert_eq!(error.code, "Throttling");
        assert_eq!(error.request_id.as_deref(), Some("header-id"));
    }

    #[test]
    fn reads_ec2_errors() {
        let xml = "<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code>\
                   <Message>Invalid id: \"i-1\"</Message></Error></Errors>\
                   <RequestID>ec2-id</RequestID></Response>";
        for codec in [&EC2, &QUERY] {
            let error = codec.parse_error(&OP, &response(400, xml)).unwrap();
            assert_eq!(
                error,
                ErrorResponse {
                    code: "InvalidInstanceID.Malformed".into(),
                    message: Some("Invalid id: \"i-1\"".into()),
                    request_id: Some("ec2-id".into()),
                    query_error_code: None,
                }
            );
        }
        // moto's ec2 auth failure: 401.
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
                   <Code>AuthFailure</Code><Message>AWS was not able to validate the provided \
                   access credentials</Message></Error></Errors><RequestID>x</RequestID></Response>";
        assert_eq!(
            EC2.parse_error(&OP, &response(401, xml)).unwrap().code,
            "AuthFailure"
        );
    }

    #[test]
    fn bodiless_and_html_errors_use_the_status() {
        let error = QUERY.parse_error(&OP, &response(503, "")).unwrap();
        assert_eq!(
            error,
            ErrorResponse {
                code: "503".into(),
                message: Some("Service Unavailable".into()),
                request_id: Some("header-id".into()),
                query_error_code: None,
            }
        );
        let html = "\n<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>500 Internal Server Error</title>";
        let error = QUERY.parse_error(&OP, &response(500, html)).unwrap();
        assert_eq!(error.code, "500");
        let error = EC2
            .parse_error(&OP, &response(502, "<html><body>Bad gateway</body></html>"))
            .unwrap();
        assert_eq!(error.code, "502");
        assert_eq!(
            error.message.as_deref(),
            Some(
                "Bad Gateway (DescribeThings got a response that is not an AWS error: the body \
                 starts \"<html><body>Bad gateway</body></html>\")"
            )
        );
    }

    #[test]
    fn malformed_errors_are_parse_errors() {
        for xml in [
            "<ErrorResponse><Error><Code>X</Error>",
            "<Other/>",
            "<Error><Message>m</Message></Error>",
            "not xml",
        ] {
            let err = QUERY.parse_error(&OP, &response(400, xml)).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("malformed DescribeThings response: "),
                "{err}"
            );
        }
    }

    #[test]
    fn random_and_mutated_bodies_never_panic() {
        let valid = "<DescribeThingsResponse><DescribeThingsResult><Count>2</Count><name>x&amp;y</name>\
            <Tags>a</Tags><When>2015-01-25T08:00:00Z</When></DescribeThingsResult>\
            <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></DescribeThingsResponse>";
        for bytes in crate::protocol::mutate::bodies(0x9e37_79b9_7f4a_7c15, &[valid], 20_000) {
            let response = http::Response::builder()
                .status(400)
                .body(Bytes::from(bytes))
                .unwrap();
            for codec in [&QUERY, &EC2] {
                let _ = codec.parse_output(&OP, &response, &mut Thing::default());
                let _ = codec.parse_error(&OP, &response);
                let _ = codec.parse_error_members(&OP, &response, &mut LimitExceeded::default());
            }
        }
    }
}
