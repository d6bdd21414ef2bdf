//! End-to-end tests: the generated clients against moto (a local AWS stand-in, one server for
//! the whole test binary, signature checking on), plus presigned URLs and rest-xml requests
//! checked against botocore.

mod autoscaling;
mod cloudformation;
mod cloudfront;
mod credentials_sso;
mod credentials_sts;
mod dynamodb;
mod json_services;
mod lambda;
mod presign;
mod readme;
mod route53;
mod s3;
mod services;
mod sqs;
mod wire;
