//! What a paginator does to one typed page and one typed input, through their schemas:
//! read the next tokens, count and cut the result key, write tokens and the page size.

use super::token::{PageToken, Step};
use crate::jmespath::{Expression, Found};
use crate::schema::ShapeType;
use crate::value::{Scalar, StructValue, Value, ValueRef};
use serde_json::Value as Json;

/// A result key: a member, or a path of members (`DistributionList.Items`).
pub(crate) type KeyPath = Vec<&'static str>;

/// The value at `path` in `root`, if every step is set.
pub(crate) fn find<'a>(root: &'a dyn StructValue, path: &[&str]) -> Option<&'a dyn Value> {
    let (first, rest) = path.split_first()?;
    let (index, _) = root.schema().member(first)?;
    let value = root.member(index)?;
    if rest.is_empty() {
        return Some(value);
    }
    match value.get() {
        ValueRef::Struct(inner) => find(inner, rest),
        _ => None,
    }
}

/// The value at `path` in `root` to change, if every step is set (nothing is created).
fn find_mut<'a>(root: &'a mut dyn StructValue, path: &[&str]) -> Option<&'a mut dyn Value> {
    let (first, rest) = path.split_first()?;
    let (index, _) = root.schema().member(first)?;
    root.member(index)?;
    let value = root.member_mut(index)?;
    if rest.is_empty() {
        return Some(value);
    }
    find_mut(value.as_struct_mut()?, rest)
}

/// How many items the result key holds on this page, as botocore's `len()` counts them:
/// list elements, map entries, characters of a string. Anything else counts 0.
pub(crate) fn count(page: &dyn StructValue, key: &[&str]) -> usize {
    match find(page, key).map(|v| v.get()) {
        Some(ValueRef::List(list)) => list.len(),
        Some(ValueRef::Map(map)) => map.len(),
        Some(ValueRef::String(s)) => s.chars().count(),
        _ => 0,
    }
}

/// Whether the result key's items can be cut mid-page: lists and strings can. botocore
/// slices a map too, which fails in Python; here a page keyed by a map is never cut, and
/// `max_items` ends such a listing at a page boundary.
pub(crate) fn can_cut(page: &dyn StructValue, key: &[&str]) -> bool {
    !matches!(find(page, key).map(|v| v.get()), Some(ValueRef::Map(_)))
}

/// Keeps the items `range` of the result key (a list or a string).
pub(crate) fn cut(page: &mut dyn StructValue, key: &[&str], range: std::ops::Range<usize>) {
    let Some(value) = find_mut(page, key) else {
        return;
    };
    if let ValueRef::String(s) = value.get() {
        let kept: String = s
            .chars()
            .skip(range.start)
            .take(range.end.saturating_sub(range.start))
            .collect();
        let _ = value.set(Scalar::String(kept));
    } else if let Some(list) = value.as_list_mut() {
        list.keep(range);
    }
}

/// Empties a secondary result key of a resumed first page, as botocore's
/// `_handle_first_request` does: its items were handed out with the page the token cut.
/// Lists and strings are emptied; numbers (DynamoDB's `Count`) stay, as in botocore. botocore
/// sets anything else to `None`; typed values cannot be unset, so those stay too.
pub(crate) fn empty(page: &mut dyn StructValue, key: &[&str]) {
    let Some(value) = find_mut(page, key) else {
        return;
    };
    if let ValueRef::String(_) = value.get() {
        let _ = value.set(Scalar::String(String::new()));
    } else if let Some(list) = value.as_list_mut() {
        list.keep(0..0);
    }
}

/// The next page's tokens: each output token's value, `None` where it is empty or unset
/// (botocore's `_get_next_token`); no tokens at all when `more_results` says the listing is
/// complete.
pub(crate) fn next_token(
    page: &dyn StructValue,
    input_tokens: &[&'static str],
    output_tokens: &[Expression],
    more_results: Option<&Expression>,
) -> Result<PageToken, String> {
    if let Some(more) = more_results {
        let found = more
            .search_struct(page)
            .map_err(|e| format!("`more_results` {}: {e}", more.text()))?;
        if !python_truthy(&found.to_json()) {
            return Ok(PageToken::none(input_tokens.len()));
        }
    }
    let mut token = PageToken::none(input_tokens.len());
    for ((name, expression), slot) in input_tokens
        .iter()
        .zip(output_tokens)
        .zip(&mut token.values)
    {
        let found = expression
            .search_struct(page)
            .map_err(|e| format!("`output_token` {}: {e}", expression.text()))?;
        let json = found.to_json();
        if python_truthy(&json) {
            blob_paths(
                &found,
                &mut vec![Step::Key((*name).to_owned())],
                &mut token.blobs,
            );
            *slot = Some(json);
        }
    }
    Ok(token)
}

/// Python's truth of a parsed value: `None`, `False`, `0`, `""`, `[]` and `{}` are false.
fn python_truthy(value: &Json) -> bool {
    match value {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
    }
}

/// The paths of the binary values in `found` (botocore's `boto_encoded_keys`).
fn blob_paths(found: &Found<'_>, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match found {
        Found::Value(value) => value_blob_paths(value.get(), path, out),
        Found::Struct(value) => value_blob_paths(ValueRef::Struct(*value), path, out),
        Found::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                blob_paths(item, path, out);
                path.pop();
            }
        }
        Found::Object(entries) => {
            for (key, item) in entries {
                path.push(Step::Key(key.to_string()));
                blob_paths(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn value_blob_paths(value: ValueRef<'_>, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        ValueRef::Blob(_) => out.push(path.clone()),
        ValueRef::Struct(s) => {
            for (index, member) in s.schema().members().iter().enumerate() {
                if let Some(v) = s.member(index) {
                    path.push(Step::Key(member.name.to_owned()));
                    value_blob_paths(v.get(), path, out);
                    path.pop();
                }
            }
        }
        ValueRef::List(list) => {
            for i in 0..list.len() {
                if let Some(v) = list.item(i) {
                    path.push(Step::Index(i));
                    value_blob_paths(v.get(), path, out);
                    path.pop();
                }
            }
        }
        ValueRef::Map(map) => {
            for (key, v) in map.entries() {
                path.push(Step::Key(key.to_owned()));
                value_blob_paths(v.get(), path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Writes the page's tokens into the input (botocore's `_inject_token_into_kwargs`): each
/// value is read through the member's schema, so a map of attribute values (DynamoDB's
/// `ExclusiveStartKey`) becomes typed again. A token botocore wrote as the text `None` is no
/// token.
pub(crate) fn write_token(
    input: &mut dyn StructValue,
    input_tokens: &[&'static str],
    token: &PageToken,
) -> Result<(), String> {
    for (name, value) in input_tokens.iter().zip(&token.values) {
        let Some(value) = value else { continue };
        if value.as_str() == Some("None") {
            continue;
        }
        let (index, member) = input.schema().member(name).ok_or_else(|| {
            format!(
                "the input of {} has no member `{name}`",
                input.schema().name
            )
        })?;
        let text = serde_json::to_vec(value).map_err(|e| e.to_string())?;
        let slot = input
            .member_mut(index)
            .ok_or_else(|| format!("the input has no member `{name}`"))?;
        crate::protocol::json::reader::read_value(&text, member, slot)
            .map_err(|e| format!("the token for `{name}` does not fit it: {e}"))?;
    }
    Ok(())
}

/// Sets the input's `limit_key` to the page size: a number, or its text where the model
/// makes the member a string (botocore's `_extract_paging_params`).
pub(crate) fn write_page_size(
    input: &mut dyn StructValue,
    limit_key: &str,
    size: u32,
) -> Result<(), String> {
    let (index, member) = input
        .schema()
        .member(limit_key)
        .ok_or_else(|| format!("the input has no member `{limit_key}`"))?;
    let scalar = match member.target.shape_type {
        ShapeType::String => Scalar::String(size.to_string()),
        _ => Scalar::Integer(i64::from(size)),
    };
    input
        .member_mut(index)
        .ok_or_else(|| format!("the input has no member `{limit_key}`"))?
        .set(scalar)
        .map_err(|e| format!("`{limit_key}`: {e}"))
}

/// Splits a result key into its member path.
pub(crate) fn key_path(key: &'static str) -> KeyPath {
    key.split('.').collect()
}
