//! JMESPath: the query language of paginators' tokens (`NextMarker || Contents[-1].Key`,
//! [`crate::paginate`]), waiters' acceptors (``length(Reservations[].Instances[]) > `0` ``,
//! [`crate::waiter`]) and endpoint `operationContextParams`
//! (`TransactItems[*].Get.TableName`), evaluated on typed values.
//!
//! The whole grammar of the [specification](https://jmespath.org/specification.html) is
//! implemented, with all its built-in functions, and the project's conformance run passes
//! the JMESPath compliance suite (`tests/fixtures/jmespath/`). Where the specification and
//! jmespath.py (the implementation botocore uses) differ, this module does as jmespath.py
//! does, since botocore's behaviour is the reference:
//!
//! * `<`, `<=`, `>`, `>=` also order strings (by code point); other non-numbers give null.
//! * A raw string `'...'` only unescapes `\'`; a JSON literal that is not JSON reads as a
//!   string of its text (`` `foo` ``, JEP 12's deprecated form).
//!
//! [`Expression::parse`] checks the syntax, the function names and their arities, and bounds
//! the nesting of the expression, so evaluation never recurses deeper than the expression
//! does; values of any depth are compared and converted with explicit stacks. Argument
//! types are checked when the expression is evaluated, as the specification requires.
//!
//! # Typed values
//!
//! [`Expression::search`] walks a generated output or input through its schema: an
//! identifier selects a structure member by its model name (`AutoScalingGroups`, the key
//! botocore's parsed dicts use), a map entry by its key; nothing is converted to JSON to
//! be evaluated. [`Found`] documents how every kind of typed value reads.
//!
//! ```
//! use stratus_runtime::jmespath::{Expression, Found};
//! use serde_json::json;
//!
//! let expr = Expression::parse("length(Reservations[].Instances[?State.Name == 'running']) > `0`")?;
//! let output = json!({"Reservations": [{"Instances": [{"State": {"Name": "running"}}]}]});
//! let found = expr.search_found(Found::from_json(&output))?;
//! assert!(found.eq_json(&json!(true)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod eval;
mod found;
mod functions;
mod lexer;
mod parser;

pub use found::Found;

use crate::value::{StructValue, Value};
use std::borrow::Cow;
use std::fmt;

/// A parsed JMESPath expression and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    text: String,
    ast: parser::Node,
}

impl Expression {
    /// Parses `text`.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] naming the expression, the byte offset and what is wrong: bad
    /// syntax, an unknown function or a wrong number of arguments, a slice step of 0, or
    /// nesting beyond what any real expression needs.
    pub fn parse(text: &str) -> Result<Expression, ParseError> {
        Ok(Expression {
            text: text.to_owned(),
            ast: parser::parse(text)?,
        })
    }

    /// The text the expression was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates the expression against a typed value (a generated output or input
    /// structure), walking it through its schema. What it selects stays borrowed.
    ///
    /// # Errors
    ///
    /// An [`EvalError`] when the specification requires one: a function given an argument
    /// of the wrong type, or an expression reference used outside a function argument.
    pub fn search<'a>(&self, root: &'a dyn Value) -> Result<Found<'a>, EvalError> {
        self.run(Found::Value(root))
    }

    /// As [`search`](Self::search), for a structure held as its accessor trait (the request
    /// pipeline sees inputs so).
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search).
    pub fn search_struct<'a>(&self, root: &'a dyn StructValue) -> Result<Found<'a>, EvalError> {
        self.run(Found::Struct(root))
    }

    /// Evaluates the expression against any [`Found`], such as JSON converted with
    /// [`Found::from_json`].
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search).
    pub fn search_found<'a>(&self, root: Found<'a>) -> Result<Found<'a>, EvalError> {
        match eval::eval(&self.ast, &Cow::Borrowed(&root)) {
            Ok(found) => Ok(found.into_owned()),
            Err(e) => Err(e.with_expression(&self.text)),
        }
    }

    fn run<'a>(&self, root: Found<'a>) -> Result<Found<'a>, EvalError> {
        match eval::eval(&self.ast, &Cow::Owned(root)) {
            Ok(found) => Ok(found.into_owned()),
            Err(e) => Err(e.with_expression(&self.text)),
        }
    }
}

impl std::str::FromStr for Expression {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Expression::parse(text)
    }
}

impl fmt::Display for Expression {
    /// The expression's text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What kind of error a JMESPath expression has, named as the compliance suite names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The expression is not JMESPath (`syntax`).
    Syntax,
    /// A function that does not exist (`unknown-function`).
    UnknownFunction,
    /// A function called with the wrong number of arguments (`invalid-arity`).
    InvalidArity,
    /// A function given an argument of the wrong type (`invalid-type`).
    InvalidType,
    /// A value outside what is allowed, such as a slice step of 0 (`invalid-value`).
    InvalidValue,
}

impl ErrorKind {
    /// The compliance suite's name: `syntax`, `unknown-function`, `invalid-arity`,
    /// `invalid-type` or `invalid-value`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownFunction => "unknown-function",
            ErrorKind::InvalidArity => "invalid-arity",
            ErrorKind::InvalidType => "invalid-type",
            ErrorKind::InvalidValue => "invalid-value",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An expression that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ErrorKind,
    expression: String,
    offset: usize,
    message: String,
}

impl ParseError {
    fn new(kind: ErrorKind, expression: &str, offset: usize, message: &str) -> Self {
        ParseError {
            kind,
            expression: expression.to_owned(),
            offset,
            message: message.to_owned(),
        }
    }

    /// What kind of error it is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The expression's text.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The byte offset in the expression where the problem is.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong, without the expression.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ParseError {
    /// ``invalid JMESPath expression `a.`: at offset 2: expected an identifier, ...``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid JMESPath expression `{}`: at offset {}: {}",
            self.expression, self.offset, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// An expression that cannot be evaluated against a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    kind: ErrorKind,
    expression: String,
    message: String,
}

impl EvalError {
    fn new(kind: ErrorKind, message: String) -> Self {
        EvalError {
            kind,
            expression: String::new(),
            message,
        }
    }

    fn with_expression(mut self, expression: &str) -> Self {
        expression.clone_into(&mut self.expression);
        self
    }

    /// What kind of error it is ([`ErrorKind::InvalidType`] for the errors evaluation
    /// finds).
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The expression's text.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// What is wrong, without the expression.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EvalError {
    /// ``cannot evaluate JMESPath expression `abs(Name)`: abs(): argument 1 must be ...``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot evaluate JMESPath expression `{}`: {}",
            self.expression, self.message
        )
    }
}

impl std::error::Error for EvalError {}

#[cfg(test)]
mod tests;
