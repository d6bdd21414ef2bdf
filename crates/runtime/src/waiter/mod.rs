//! Waiters: call an operation until the response says a resource reached a state
//! (`client.wait_until_stack_create_complete(input, WaiterConfig::default())`).
//!
//! A generated crate describes each waiter of `waiters-2.json` as a static [`WaiterSpec`];
//! [`wait`] runs it the way botocore's `Waiter.wait` (`waiter.py`) does:
//!
//! * Each attempt calls the operation once (with the client's own retries) and tries the
//!   acceptors in model order; the first that matches decides: success ends the wait,
//!   failure ends it with [`WaiterError::Failure`], retry waits on.
//! * A service error no acceptor expects ends the wait with [`WaiterError::Call`], and so
//!   does any other failed call (no connection, bad input): botocore raises those too.
//! * Attempts are `delay` apart (the model's, or [`WaiterConfig::delay`]), at most
//!   `max_attempts` of them; [`WaiterConfig::max_wait`] also bounds the whole wait. Giving
//!   up is [`WaiterError::Timeout`], with the last response.

mod acceptor;

pub use acceptor::{Acceptor, AcceptorState, Expected, Matcher};

use crate::client::ClientHandle;
use crate::error::SdkError;
use crate::jmespath::Expression;
use crate::operation::{Operation, OperationError};
use crate::value::StructValue;
use std::fmt;
use std::time::Duration;
use tokio::time::Instant;

/// One waiter of a service's `waiters-2.json`, as static data.
#[derive(Debug)]
pub struct WaiterSpec {
    /// The waiter's name in the model, e.g. `StackCreateComplete`.
    pub name: &'static str,
    /// Seconds between attempts.
    pub delay: u32,
    pub max_attempts: u32,
    pub acceptors: &'static [Acceptor],
}

/// How long and how often to wait; unset values are the model's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaiterConfig {
    delay: Option<Duration>,
    max_attempts: Option<u32>,
    max_wait: Option<Duration>,
}

impl WaiterConfig {
    /// The model's delay and attempts, no overall limit beyond them.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time between attempts (botocore's `WaiterConfig={'Delay': ...}`).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The most calls to make (botocore's `MaxAttempts`); at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The longest the whole wait may take: no attempt starts after it, and the wait gives up
    /// before a delay that would end past it.
    pub fn max_wait(mut self, limit: Duration) -> Self {
        self.max_wait = Some(limit);
        self
    }
}

/// The last response of a wait: the operation's output, or its error.
#[derive(Debug)]
pub enum Response<O, E> {
    Output(O),
    Error(SdkError<E>),
}

impl<O, E> Response<O, E> {
    /// The output, if the last call succeeded.
    pub fn output(&self) -> Option<&O> {
        match self {
            Response::Output(output) => Some(output),
            Response::Error(_) => None,
        }
    }

    /// The error, if the last call failed.
    pub fn error(&self) -> Option<&SdkError<E>> {
        match self {
            Response::Output(_) => None,
            Response::Error(error) => Some(error),
        }
    }

    fn from_result(result: Result<(O, u16), SdkError<E>>) -> Self {
        match result {
            Ok((output, _)) => Response::Output(output),
            Err(error) => Response::Error(error),
        }
    }
}

/// A wait that reached its success state.
#[derive(Debug)]
#[non_exhaustive]
pub struct Waited<O, E> {
    /// The response the success acceptor matched (an error, for waiters that wait for a
    /// resource to be gone).
    pub response: Response<O, E>,
    /// The acceptor that matched.
    pub acceptor: Acceptor,
    pub attempts: u32,
    pub elapsed: Duration,
}

/// A wait that did not reach its success state.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// A failure acceptor matched: the resource will not reach the state.
    Failure {
        waiter: &'static str,
        acceptor: Acceptor,
        response: Response<O, E>,
        attempts: u32,
    },
    /// The attempts or the time ran out first.
    Timeout {
        waiter: &'static str,
        /// The acceptor the last matching response matched (a retry), if any did.
        last_acceptor: Option<Acceptor>,
        response: Response<O, E>,
        attempts: u32,
        elapsed: Duration,
    },
    /// A call failed in a way no acceptor expects (a service error, or no answer at all).
    Call {
        waiter: &'static str,
        error: SdkError<E>,
        attempts: u32,
    },
    /// The waiter's description is broken (not possible for generated waiters).
    Spec {
        waiter: &'static str,
        message: String,
    },
}

impl<O, E> WaiterError<O, E> {
    /// The last response, if there was one.
    pub fn response(&self) -> Option<&Response<O, E>> {
        match self {
            WaiterError::Failure { response, .. } | WaiterError::Timeout { response, .. } => {
                Some(response)
            }
            _ => None,
        }
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, WaiterError::Timeout { .. })
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, WaiterError::Failure { .. })
    }
}

impl<O, E> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure {
                waiter, acceptor, ..
            } => write!(
                f,
                "Waiter {waiter} failed: Waiter encountered a terminal failure state: {}",
                acceptor.explanation()
            ),
            WaiterError::Timeout {
                waiter,
                last_acceptor,
                attempts,
                elapsed,
                ..
            } => {
                write!(
                    f,
                    "Waiter {waiter} failed: gave up after {attempts} attempt(s) in {:.1} s",
                    elapsed.as_secs_f64()
                )?;
                match last_acceptor {
                    Some(acceptor) => {
                        write!(f, ". Previously accepted state: {}", acceptor.explanation())
                    }
                    None => Ok(()),
                }
            }
            WaiterError::Call { waiter, error, .. } => {
                write!(f, "Waiter {waiter} failed: {error}")
            }
            WaiterError::Spec { waiter, message } => {
                write!(f, "Waiter {waiter} is broken: {message}")
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Call { error, .. } => Some(error),
            WaiterError::Failure { response, .. } | WaiterError::Timeout { response, .. } => {
                response.error().map(|e| e as _)
            }
            WaiterError::Spec { .. } => None,
        }
    }
}

/// Runs a waiter: calls `operation` with clones of `input` until an acceptor ends the wait
/// or the attempts or time run out.
pub async fn wait<I, O, E>(
    handle: &ClientHandle,
    operation: &'static Operation,
    spec: &'static WaiterSpec,
    input: I,
    config: WaiterConfig,
) -> Result<Waited<O, E>, WaiterError<O, E>>
where
    I: StructValue + Clone,
    O: StructValue + Default,
    E: OperationError,
{
    let expressions = spec
        .acceptors
        .iter()
        .map(|a| a.argument().map(Expression::parse).transpose())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| WaiterError::Spec {
            waiter: spec.name,
            message: e.to_string(),
        })?;
    let delay = config
        .delay
        .unwrap_or(Duration::from_secs(u64::from(spec.delay)));
    let max_attempts = config.max_attempts.unwrap_or(spec.max_attempts).max(1);
    let start = Instant::now();
    let deadline = config.max_wait.map(|limit| start + limit);
    let mut attempts = 0;
    let mut last_acceptor = None;
    loop {
        let result = handle
            .invoke_with_status::<I, O, E>(operation, input.clone())
            .await;
        attempts += 1;
        let mut matched = None;
        for (acceptor, expression) in spec.acceptors.iter().zip(&expressions) {
            let hit = acceptor
                .matches(&result, expression.as_ref())
                .map_err(|message| WaiterError::Spec {
                    waiter: spec.name,
                    message,
                })?;
            if hit {
                matched = Some(*acceptor);
                break;
            }
        }
        match matched {
            Some(acceptor) => {
                last_acceptor = Some(acceptor);
                match acceptor.state {
                    AcceptorState::Success => {
                        return Ok(Waited {
                            response: Response::from_result(result),
                            acceptor,
                            attempts,
                            elapsed: start.elapsed(),
                        });
                    }
                    AcceptorState::Failure => {
                        return Err(WaiterError::Failure {
                            waiter: spec.name,
                            acceptor,
                            response: Response::from_result(result),
                            attempts,
                        });
                    }
                    AcceptorState::Retry => {}
                }
            }
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::Call {
                        waiter: spec.name,
                        error,
                        attempts,
                    });
                }
            }
        }
        let out_of_time = deadline.is_some_and(|deadline| Instant::now() + delay > deadline);
        if attempts >= max_attempts || out_of_time {
            return Err(WaiterError::Timeout {
                waiter: spec.name,
                last_acceptor,
                response: Response::from_result(result),
                attempts,
                elapsed: start.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests;
