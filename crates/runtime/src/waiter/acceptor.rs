//! Acceptors: how a waiter reads one response (botocore's `AcceptorConfig` in `waiter.py`).

use crate::error::SdkError;
use crate::jmespath::{Expression, Found};
use crate::value::StructValue;
use serde_json::Value as Json;
use std::fmt;

/// What a matching acceptor makes of the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The resource is in the state waited for.
    Success,
    /// It never will be: stop with an error.
    Failure,
    /// Not yet: ask again after the delay.
    Retry,
}

/// The value a path matcher compares with (`expected`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expected {
    String(&'static str),
    Bool(bool),
    Integer(i64),
    Float(f64),
    Null,
}

impl Expected {
    pub(crate) fn to_json(self) -> Json {
        match self {
            Expected::String(s) => Json::from(s),
            Expected::Bool(b) => Json::from(b),
            Expected::Integer(i) => Json::from(i),
            Expected::Float(f) => Json::from(f),
            Expected::Null => Json::Null,
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::String(s) => f.write_str(s),
            // Python's str() of the value, as botocore's explanations print it.
            Expected::Bool(true) => f.write_str("True"),
            Expected::Bool(false) => f.write_str("False"),
            Expected::Integer(i) => write!(f, "{i}"),
            Expected::Float(x) => write!(f, "{x:?}"),
            Expected::Null => f.write_str("None"),
        }
    }
}

/// How an acceptor tests a response (`matcher`, `argument`, `expected`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Matcher {
    /// The expression's result equals `expected`.
    Path {
        argument: &'static str,
        expected: Expected,
    },
    /// The expression gives a non-empty list whose every element equals `expected`.
    PathAll {
        argument: &'static str,
        expected: Expected,
    },
    /// The expression gives a list with at least one element equal to `expected`.
    PathAny {
        argument: &'static str,
        expected: Expected,
    },
    /// The response has this HTTP status (a success or a service error).
    Status(u16),
    /// The service answered with this error code.
    Error(&'static str),
    /// The service answered with any error (`"expected": true`).
    AnyError,
    /// The service answered without an error (`"expected": false`).
    NoError,
}

/// One acceptor of a waiter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

impl Acceptor {
    pub const fn new(state: AcceptorState, matcher: Matcher) -> Self {
        Acceptor { state, matcher }
    }

    /// The JMESPath expression of a path matcher.
    pub(crate) fn argument(&self) -> Option<&'static str> {
        match self.matcher {
            Matcher::Path { argument, .. }
            | Matcher::PathAll { argument, .. }
            | Matcher::PathAny { argument, .. } => Some(argument),
            _ => None,
        }
    }

    /// botocore's `explanation` of what matched, for error messages.
    pub fn explanation(&self) -> String {
        match self.matcher {
            Matcher::Path { argument, expected } => {
                format!("For expression \"{argument}\" we matched expected path: \"{expected}\"")
            }
            Matcher::PathAll { argument, expected } => format!(
                "For expression \"{argument}\" all members matched expected path: \"{expected}\""
            ),
            Matcher::PathAny { argument, expected } => format!(
                "For expression \"{argument}\" we matched expected path: \"{expected}\" at least once"
            ),
            Matcher::Status(status) => format!("Matched expected HTTP status code: {status}"),
            Matcher::Error(code) => format!("Matched expected service error code: {code}"),
            Matcher::AnyError => "Matched expected service error code: True".to_owned(),
            Matcher::NoError => "Matched expected service error code: False".to_owned(),
        }
    }

    /// Whether the acceptor matches one response: an output and its HTTP status, or an
    /// error. `expression` is the parsed argument of a path matcher.
    pub(crate) fn matches<'r, O: StructValue, E>(
        &self,
        response: &'r Result<(O, u16), SdkError<E>>,
        expression: Option<&Expression>,
    ) -> Result<bool, String> {
        let path = |output: &'r O| search(expression, output);
        Ok(match (self.matcher, response) {
            (Matcher::Path { expected, .. }, Ok((output, _))) => {
                path(output)?.is_some_and(|found| found.eq_json(&expected.to_json()))
            }
            (Matcher::PathAll { expected, .. }, Ok((output, _))) => {
                let expected = expected.to_json();
                match path(output)?.and_then(|found| found.into_list()) {
                    Some(items) => !items.is_empty() && items.iter().all(|i| i.eq_json(&expected)),
                    None => false,
                }
            }
            (Matcher::PathAny { expected, .. }, Ok((output, _))) => {
                let expected = expected.to_json();
                match path(output)?.and_then(|found| found.into_list()) {
                    Some(items) => items.iter().any(|i| i.eq_json(&expected)),
                    None => false,
                }
            }
            // Path matchers never match an error (botocore's `is_valid_waiter_error`).
            (Matcher::Path { .. } | Matcher::PathAll { .. } | Matcher::PathAny { .. }, Err(_)) => {
                false
            }
            (Matcher::Status(expected), Ok((_, status))) => *status == expected,
            (Matcher::Status(expected), Err(SdkError::Service(failure))) => {
                failure.raw.status == Some(expected)
            }
            (Matcher::Error(code), Err(SdkError::Service(failure))) => failure.raw.code == code,
            (Matcher::AnyError, Err(SdkError::Service(_))) => true,
            (Matcher::NoError, Ok(_)) => true,
            // Anything that is not the service's answer (a connection that failed, bad
            // input) matches nothing: botocore raises it instead of waiting on.
            (Matcher::Status(_) | Matcher::Error(_) | Matcher::AnyError | Matcher::NoError, _) => {
                false
            }
        })
    }
}

/// What a path matcher's expression selects in an output.
fn search<'a>(
    expression: Option<&Expression>,
    output: &'a dyn StructValue,
) -> Result<Option<Found<'a>>, String> {
    match expression {
        Some(expression) => expression
            .search_struct(output)
            .map(Some)
            .map_err(|e| format!("waiter expression {}: {e}", expression.text())),
        None => Ok(None),
    }
}
