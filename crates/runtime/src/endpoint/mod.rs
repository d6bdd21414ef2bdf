//! Endpoint rules: the engine that evaluates a service's `endpoint-rule-set-1.json`
//! (compiled by codegen into static data) with the client's configuration and the
//! operation's input, and the standard library of functions rule sets call.
//!
//! `stratus-codegen` validates a rule set and compiles it into a compact text
//! ([`encoding`]) that the generated crate embeds in a [`StaticRuleSet`]; the first
//! resolution decodes it into a [`RuleSet`], and every resolution binds [`Params`] and
//! evaluates it to an [`Endpoint`] or a [`ResolveError`] whose message is botocore's.
//!
//! ```
//! use stratus_runtime::endpoint::{Params, StaticRuleSet};
//!
//! static RULES: StaticRuleSet = StaticRuleSet::new(
//!     "stratus-endpoint-rules 1\n\
//!      \"Region\n\
//!      \"https://example.\n\
//!      \".amazonaws.com\n\
//!      \"Missing Region\n\
//!      p 0 string 0 AWS::Region -\n\
//!      e r 0\n\
//!      e f isSet - 0\n\
//!      e t s1 e0 s2\n\
//!      e s 3\n\
//!      r endpoint 1 | 2 | | -\n\
//!      r error | 3\n\
//!      R 0 1\n",
//! );
//!
//! let rules = RULES.get().unwrap();
//! let mut params = Params::new(rules);
//! assert_eq!(rules.resolve(&params).unwrap_err().to_string(), "Missing Region");
//! params.set_by_name(rules, "Region", "eu-west-3").unwrap();
//! assert_eq!(rules.resolve(&params).unwrap().url, "https://example.eu-west-3.amazonaws.com");
//! ```

pub mod encoding;
mod eval;
mod params;
pub mod partition;
#[rustfmt::skip]
mod partitions_data;
mod rules;
pub mod stdlib;

pub use encoding::DecodeError;
pub use eval::{Endpoint, ResolveError, ResolveErrorKind};
pub use params::{BuiltIn, ParamError, ParamKind, ParamSpec, ParamValue, Params};
pub use rules::{Attribute, AttributeOwner, Function, RuleSet, StaticRuleSet};
