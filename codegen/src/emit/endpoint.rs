//! `src/endpoint.rs` of a service crate: the service's endpoint rule set, compiled by
//! [`crate::endpoints`] into static data, with its parameters documented.

use super::HEADER;
use super::writer::Writer;
use crate::endpoints::CompiledRules;
use crate::ir::Service;
use stratus_runtime::endpoint::ParamValue;

/// The module's source.
pub(super) fn endpoint_rs(svc: &Service, rules: &CompiledRules) -> String {
    let mut w = Writer::new(HEADER);
    let mut text = format!(
        "The endpoint rules of {}: where each request goes and how it is signed.\n\n\
         Compiled from `endpoint-rule-set-1.json` into static data the runtime decodes once.\n\
         A client binds the built-in parameters from its [`Config`](stratus_runtime::Config)\n\
         (region, FIPS, dual-stack, the endpoint URL, ...), parameters set with\n\
         [`ConfigBuilder::endpoint_param`](stratus_runtime::config::ConfigBuilder::endpoint_param),\n\
         and each operation's context parameters from its input.\n\n\
         | Parameter | Type | Bound to | Default | Description |\n\
         |---|---|---|---|---|\n",
        svc.files.model.metadata.service_full_name
    );
    for param in rules.params() {
        let bound = param
            .built_in
            .map_or_else(String::new, |b| format!("`{}`", b.name()));
        let default = match &param.default {
            None => String::new(),
            Some(ParamValue::Bool(b)) => format!("`{b}`"),
            Some(ParamValue::String(s)) => format!("`{s:?}`"),
            Some(ParamValue::StringArray(items)) => format!("`{items:?}`"),
        };
        let mut description = param
            .documentation
            .as_deref()
            .unwrap_or("")
            .replace(['\n', '|'], " ");
        if param.required {
            description.insert_str(0, "Required. ");
        }
        if let Some(deprecated) = &param.deprecated {
            description.push_str(" Deprecated");
            if let Some(message) = &deprecated.message {
                description.push_str(": ");
                description.push_str(&message.replace(['\n', '|'], " "));
            }
            description.push('.');
        }
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            param.name,
            param.kind.name(),
            bound,
            default,
            escape_markdown(description.trim())
        ));
    }
    w.inner_doc(text.trim_end());
    w.blank();
    w.line("use stratus_runtime::endpoint::StaticRuleSet;");
    w.blank();
    w.doc("The compiled rule set.");
    w.line(&format!(
        "pub static RULES: StaticRuleSet = StaticRuleSet::new({});",
        rules.rust_literal()
    ));
    w.finish()
}

/// Keeps rule-set prose from being read as Markdown or HTML by rustdoc.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '<' | '>' | '[' | ']' | '*' | '_' | '`' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
