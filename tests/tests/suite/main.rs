//! Every integration test of Stratus, in one binary: each test binary links the service
//! crates again, so one binary keeps CI's build time down, and moto (started on first use by
//! the end-to-end tests) starts once per run.
//!
//! | module | what |
//! |---|---|
//! | `auth` | auth schemes: no-auth operations, bearer tokens, account-based endpoints |
//! | `credentials_output` | no provider's secret reaches `Debug`, `Display` or a trace |
//! | `beyond_tier1` | one call of every protocol on twenty services generated outside `sdk/` |
//! | `bodies` | request bodies on the wire: payload hashes, checksums, streams and retries |
//! | `conformance` | every vendored conformance suite (protocols, SigV4, endpoints), case by case |
//! | `endpoints` | the endpoint tests' `operationInputs` through the generated clients |
//! | `schemas` | every generated static schema equals the one built from `models/` |
//! | `generated_types` | what generated types do, on the hand-written `tiny-client` |
//! | `paginate_tokens` | resume tokens interchange with botocore's, on recorded pages and tokens |
//! | `retries` | retries, timeouts and broken responses, against a scripted local server |
//! | `e2e` | the generated clients against moto, and requests compared with botocore's |

mod auth;
mod beyond_tier1;
mod bodies;
mod conformance;
mod credentials_output;
mod e2e;
mod endpoints;
mod generated_types;
mod paginate_tokens;
mod retries;
mod schemas;
