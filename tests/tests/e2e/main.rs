//! End-to-end tests: the generated clients against moto (a local AWS stand-in, one server for
//! the whole binary, signature checking on), plus presigned URLs checked against botocore.
//! One binary for all of them, so the service crates are linked once and moto starts once.

mod autoscaling;
mod cloudformation;
mod cloudfront;
mod presign;
mod readme;
mod route53;
mod s3;
mod services;
mod wire;
