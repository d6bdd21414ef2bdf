//! Waiters: `waiters.rs` (a static description per waiter) and the client's
//! `wait_until_<waiter>` methods.
//!
//! Acceptors are checked here: a matcher the runtime does not know, an `expected` value of
//! the wrong kind or an expression that does not parse fails codegen, naming the file.

use super::writer::{Writer, float_lit, lit};
use super::{HEADER, docs, io_type};
use crate::ir::{Service, Waiter};
use crate::load::Acceptor;
use anyhow::{Result, bail};
use serde_json::Value as Json;
use stratus_runtime::jmespath::Expression;

/// `waiters.rs`, or `None` for a service without waiters.
pub(super) fn waiters_rs(svc: &Service) -> Result<Option<String>> {
    if svc.waiters.is_empty() {
        return Ok(None);
    }
    let mut w = Writer::new("");
    for waiter in &svc.waiters {
        let file = format!("{}: waiters-2.json: {}", svc.files.name, waiter.name);
        let m = &waiter.model;
        if m.max_attempts == 0 {
            bail!("{file}: maxAttempts is 0");
        }
        w.blank();
        w.open(&format!(
            "pub(crate) static {}: WaiterSpec = WaiterSpec {{",
            waiter.static_name
        ));
        w.line(&format!("name: {},", lit(&waiter.name)));
        w.line(&format!("delay: {},", m.delay));
        w.line(&format!("max_attempts: {},", m.max_attempts));
        w.open("acceptors: &[");
        for acceptor in &m.acceptors {
            let state = match acceptor.state.as_str() {
                "success" => "Success",
                "failure" => "Failure",
                "retry" => "Retry",
                other => bail!("{file}: unknown acceptor state `{other}`"),
            };
            let matcher = matcher(acceptor).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
            w.line(&format!("Acceptor::new({state}, {matcher}),"));
        }
        w.close("],");
        w.close("};");
    }
    let body = w.finish();
    let mut out = Writer::new(HEADER);
    out.inner_doc("Waiters: what the client's `wait_until_<waiter>` methods wait for.");
    out.blank();
    let expected = if body.contains("Expected::") {
        "Expected, "
    } else {
        ""
    };
    out.line(&format!(
        "use stratus_runtime::waiter::{{Acceptor, AcceptorState::*, {expected}Matcher, WaiterSpec}};"
    ));
    Ok(Some(out.finish() + &body))
}

/// The `Matcher` expression of an acceptor.
fn matcher(acceptor: &Acceptor) -> Result<String> {
    let path = |kind: &str| -> Result<String> {
        let Some(argument) = &acceptor.argument else {
            bail!("a `{}` acceptor without an argument", acceptor.matcher);
        };
        if let Err(e) = Expression::parse(argument) {
            bail!("{e}");
        }
        Ok(format!(
            "Matcher::{kind} {{ argument: {}, expected: {} }}",
            lit(argument),
            expected(&acceptor.expected)?
        ))
    };
    Ok(match (acceptor.matcher.as_str(), &acceptor.expected) {
        ("path", _) => path("Path")?,
        ("pathAll", _) => path("PathAll")?,
        ("pathAny", _) => path("PathAny")?,
        ("status", Json::Number(n)) => match n.as_u64().and_then(|s| u16::try_from(s).ok()) {
            Some(status) => format!("Matcher::Status({status})"),
            None => bail!("status `{n}` is not an HTTP status"),
        },
        ("error", Json::String(code)) => format!("Matcher::Error({})", lit(code)),
        ("error", Json::Bool(true)) => "Matcher::AnyError".to_owned(),
        ("error", Json::Bool(false)) => "Matcher::NoError".to_owned(),
        (matcher, expected) => bail!("a `{matcher}` acceptor expecting {expected}"),
    })
}

fn expected(value: &Json) -> Result<String> {
    Ok(match value {
        Json::String(s) => format!("Expected::String({})", lit(s)),
        Json::Bool(b) => format!("Expected::Bool({b})"),
        Json::Number(n) => match n.as_i64() {
            Some(i) => format!("Expected::Integer({i})"),
            None => format!(
                "Expected::Float({})",
                float_lit(n.as_f64().unwrap_or(f64::NAN))
            ),
        },
        Json::Null => "Expected::Null".to_owned(),
        other => bail!("expected value {other} is not a string, number, boolean or null"),
    })
}

/// The client's `wait_until_<waiter>` methods.
pub(super) fn client_methods(w: &mut Writer, svc: &Service) {
    for waiter in &svc.waiters {
        let op = &svc.operations[waiter.operation];
        let input = io_type(svc, &op.input_alias, &op.input);
        let output = io_type(svc, &op.output_alias, &op.output);
        let error = &op.error_enum;
        w.blank();
        w.doc(&waiter_docs(svc, waiter));
        super::deprecated(
            w,
            op.model.deprecated,
            op.model.deprecated_message.as_deref(),
        );
        w.open(&format!(
            "pub async fn {}(&self, input: {input}, config: WaiterConfig) -> Result<Waited<{output}, {error}>, WaiterError<{output}, {error}>> {{",
            waiter.fn_name
        ));
        w.line(&format!(
            "stratus_runtime::waiter::wait(&self.handle, &operations::{}, &crate::waiters::{}, input, config).await",
            op.static_name, waiter.static_name
        ));
        w.close("}");
    }
}

fn waiter_docs(svc: &Service, waiter: &Waiter) -> String {
    let op = &svc.operations[waiter.operation];
    let m = &waiter.model;
    let summary = docs(
        m.description.as_deref(),
        &format!("Waits for the `{}` state.", waiter.name),
    );
    let mut doc = format!(
        "{}\n\nCalls [`Client::{}`] every {} s, at most {} times (the model's `{}` waiter; \
         `config` can change both and bound the whole wait), until an acceptor ends the wait:\n",
        summary.trim_end(),
        op.fn_name.trim_start_matches("r#"),
        m.delay,
        m.max_attempts,
        waiter.name
    );
    for acceptor in &m.acceptors {
        let what = match (acceptor.matcher.as_str(), &acceptor.expected) {
            ("path", e) => format!(
                "`{}` is `{e}`",
                acceptor.argument.as_deref().unwrap_or_default()
            ),
            ("pathAll", e) => format!(
                "every `{}` is `{e}`",
                acceptor.argument.as_deref().unwrap_or_default()
            ),
            ("pathAny", e) => format!(
                "any `{}` is `{e}`",
                acceptor.argument.as_deref().unwrap_or_default()
            ),
            ("status", e) => format!("the HTTP status is {e}"),
            ("error", Json::Bool(true)) => "the call fails with any error".to_owned(),
            ("error", Json::Bool(false)) => "the call succeeds".to_owned(),
            ("error", Json::String(code)) => format!("the call fails with `{code}`"),
            (other, e) => format!("`{other}` matches `{e}`"),
        };
        doc.push_str(&format!("\n- {}: {what}", acceptor.state));
    }
    doc.push_str(
        "\n\nAny other error ends the wait with [`WaiterError::Call`](stratus_runtime::waiter::WaiterError::Call).",
    );
    doc
}
