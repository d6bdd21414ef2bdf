//! The syntax tree and a Pratt (top-down operator precedence) parser that builds it.
//!
//! Binding powers, and so precedence, are the specification's (and jmespath.py's): `|` binds
//! loosest, then `||`, `&&`, the comparators, `[]`; projections (`*`, `[*]`, `[?`, `[]`)
//! apply what follows them to each element until a token of binding power below 10 (a
//! comparator, `&&`, `||`, `|`, `]`, `)`, `,`, the end) stops them.
//!
//! Function names and arities are checked here, so an expression that parses calls only
//! functions that exist with a number of arguments they accept; the types of the arguments
//! are checked when the expression is evaluated. Nesting ([`MAX_NESTING`]) and the depth of
//! the tree ([`MAX_DEPTH`]) are bounded, so neither parsing nor evaluating an expression can
//! exhaust the stack (the unit tests evaluate the deepest expression of every kind on a
//! 2 MiB stack, debug build).

use super::functions::Function;
use super::lexer::{Tok, Token, tokenize};
use super::{ErrorKind, Found, ParseError};

/// How deeply sub-expressions may nest (in brackets, braces, parentheses, function
/// arguments, projections, operands): this bounds the parser's recursion. Model expressions
/// nest a handful of levels; the compliance suite's deepest, 104 chained projections, 105.
pub(super) const MAX_NESTING: usize = 128;

/// How deep the syntax tree may be: each nested sub-expression counts one level, and so
/// does each operator applied to a left operand (`a.b.c` is two levels below `a`), since
/// each wraps the tree once more. The tree is at most a small multiple of this deep, which
/// bounds the recursion of evaluating, comparing, printing and dropping it.
pub(super) const MAX_DEPTH: usize = 256;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A node of the syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// `@`, and the implicit current node of projections and brackets.
    Current,
    /// An identifier: a member of the current object.
    Field(String),
    /// `lhs.rhs`, `lhs[0]`: `rhs` evaluated on the result of `lhs`.
    Sub(Box<Node>, Box<Node>),
    /// `lhs | rhs`: as [`Node::Sub`], but it ends projections.
    Pipe(Box<Node>, Box<Node>),
    /// `[n]` on the current array.
    Index(i64),
    /// `[start:stop:step]` on the current array (the step is never 0).
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `lhs[*] rhs`, `lhs[] rhs`, `lhs[a:b] rhs`: `rhs` on each element of the array `lhs`
    /// gives, nulls dropped.
    Projection(Box<Node>, Box<Node>),
    /// `lhs.* rhs`: `rhs` on each value of the object `lhs` gives, nulls dropped.
    ValueProjection(Box<Node>, Box<Node>),
    /// `lhs[?condition] rhs`: `rhs` on each element of `lhs` for which `condition` is true.
    Filter {
        lhs: Box<Node>,
        condition: Box<Node>,
        rhs: Box<Node>,
    },
    /// The array `lhs` with its array elements spliced in (the left of `lhs[]`).
    Flatten(Box<Node>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Compare(Comparator, Box<Node>, Box<Node>),
    /// A raw string or JSON literal.
    Literal(Found<'static>),
    /// `[a, b]`
    MultiList(Vec<Node>),
    /// `{k: a, l: b}`
    MultiHash(Vec<(String, Node)>),
    /// `name(args)`: arity already checked.
    Call(Function, Vec<Node>),
    /// `&expr`, an expression reference (a function argument).
    Expref(Box<Node>),
}

/// Parses `text` into a tree.
pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(
            ErrorKind::Syntax,
            text,
            0,
            "the expression is empty",
        ));
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        text,
        tokens,
        at: 0,
        nesting: 0,
        depth: 0,
    };
    let node = parser.expression(0)?;
    if parser.peek() != &Tok::Eof {
        return Err(parser.unexpected("an operator or the end of the expression"));
    }
    Ok(node)
}

/// The binding power of a token as the left operand's continuation: 0 for tokens that
/// never continue an expression.
fn binding_power(tok: &Tok) -> u8 {
    match tok {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

/// Tokens below this binding power end a projection.
const PROJECTION_STOP: u8 = 10;

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    at: usize,
    /// Open `expression` calls.
    nesting: usize,
    /// Levels of the tree above the current token.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at].kind
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.at + ahead).min(last)].kind
    }

    fn offset(&self) -> usize {
        self.tokens[self.at].start
    }

    /// The current token, consumed.
    fn advance(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn error(&self, offset: usize, message: String) -> ParseError {
        ParseError::new(ErrorKind::Syntax, self.text, offset, &message)
    }

    /// "expected X, found <current token>".
    #[cold]
    #[inline(never)]
    fn unexpected(&self, expected: &str) -> ParseError {
        self.error(
            self.offset(),
            format!("expected {expected}, found {}", self.peek().describe()),
        )
    }

    fn expect(&mut self, tok: Tok) -> Result<(), ParseError> {
        if *self.peek() == tok {
            self.advance();
            Ok(())
        } else {
            Err(self.unexpected(&tok.describe()))
        }
    }

    /// An expression whose operators bind tighter than `power`.
    fn expression(&mut self, power: u8) -> Result<Node, ParseError> {
        let (nesting, depth) = (self.nesting, self.depth);
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.too_deep(format!("nests more than {MAX_NESTING} levels deep")));
        }
        self.deeper()?;
        let mut left = self.prefix()?;
        while power < binding_power(self.peek()) {
            self.deeper()?;
            left = self.infix(left)?;
        }
        (self.nesting, self.depth) = (nesting, depth);
        Ok(left)
    }

    /// One level deeper in the tree, within [`MAX_DEPTH`].
    fn deeper(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.too_deep(format!(
                "is more than {MAX_DEPTH} levels deep (nested or chained)"
            )));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&self, what: String) -> ParseError {
        self.error(self.offset(), format!("the expression {what}"))
    }

    // `prefix` and `infix` only dispatch: every branch is a function of its own, kept out of
    // line, so that the frames on the parser's recursion stay small in debug builds too.

    /// What an expression can start with.
    fn prefix(&mut self) -> Result<Node, ParseError> {
        let token = self.advance();
        match token.kind {
            Tok::Literal(value) => Ok(Node::Literal(value)),
            Tok::Identifier(name) => Ok(Node::Field(name)),
            Tok::Quoted(name) => self.quoted(name, token.start),
            Tok::Current => Ok(Node::Current),
            Tok::Star => self.value_projection(Node::Current, Tok::Star),
            Tok::Filter => self.filter(Node::Current),
            Tok::Flatten => self.flatten(Node::Current),
            Tok::LBrace => self.multi_hash(),
            Tok::LParen => self.parenthesized(),
            Tok::Not => self.unary(Tok::Not),
            Tok::Expref => self.unary(Tok::Expref),
            Tok::LBracket => self.bracket(None),
            other => Err(self.not_an_expression(&other, token.start)),
        }
    }

    /// What can follow a complete left operand.
    fn infix(&mut self, left: Node) -> Result<Node, ParseError> {
        let token = self.advance();
        match token.kind {
            Tok::Dot => self.dot(left),
            Tok::Pipe => self.binary(left, 1, Node::Pipe),
            Tok::Or => self.binary(left, 2, Node::Or),
            Tok::And => self.binary(left, 3, Node::And),
            Tok::Eq => self.compare(Comparator::Eq, left),
            Tok::Ne => self.compare(Comparator::Ne, left),
            Tok::Lt => self.compare(Comparator::Lt, left),
            Tok::Le => self.compare(Comparator::Le, left),
            Tok::Gt => self.compare(Comparator::Gt, left),
            Tok::Ge => self.compare(Comparator::Ge, left),
            Tok::Flatten => self.flatten(left),
            Tok::Filter => self.filter(left),
            Tok::LBracket => self.bracket(Some(left)),
            Tok::LParen => self.call(left, token.start),
            other => Err(self.cannot_follow(&other, token.start)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_an_expression(&self, tok: &Tok, offset: usize) -> ParseError {
        let what = if *tok == Tok::Eof {
            "the expression ends too early: expected an expression".to_owned()
        } else {
            format!("expected an expression, found {}", tok.describe())
        };
        self.error(offset, what)
    }

    #[cold]
    #[inline(never)]
    fn cannot_follow(&self, tok: &Tok, offset: usize) -> ParseError {
        self.error(
            offset,
            format!("{} cannot follow an expression", tok.describe()),
        )
    }

    /// A quoted identifier: a field, never a function name.
    #[inline(never)]
    fn quoted(&mut self, name: String, offset: usize) -> Result<Node, ParseError> {
        if *self.peek() == Tok::LParen {
            return Err(self.error(
                offset,
                "a function name cannot be a quoted identifier".to_owned(),
            ));
        }
        Ok(Node::Field(name))
    }

    /// After `(`: an expression and `)`.
    #[inline(never)]
    fn parenthesized(&mut self) -> Result<Node, ParseError> {
        let inner = self.expression(0)?;
        self.expect(Tok::RParen)?;
        Ok(inner)
    }

    /// After `!` or `&`: the operand.
    #[inline(never)]
    fn unary(&mut self, op: Tok) -> Result<Node, ParseError> {
        if op == Tok::Not {
            Ok(Node::Not(Box::new(self.expression(binding_power(&op))?)))
        } else {
            Ok(Node::Expref(Box::new(self.expression(0)?)))
        }
    }

    /// After `lhs op` for `|`, `||` and `&&`: the right operand.
    #[inline(never)]
    fn binary(
        &mut self,
        left: Node,
        power: u8,
        node: fn(Box<Node>, Box<Node>) -> Node,
    ) -> Result<Node, ParseError> {
        let right = self.expression(power)?;
        Ok(node(Box::new(left), Box::new(right)))
    }

    /// After `left.`: `*` and what it projects, or what may follow a dot.
    #[inline(never)]
    fn dot(&mut self, left: Node) -> Result<Node, ParseError> {
        if *self.peek() == Tok::Star {
            self.advance();
            return self.value_projection(left, Tok::Dot);
        }
        let rhs = self.dot_rhs(binding_power(&Tok::Dot))?;
        Ok(Node::Sub(Box::new(left), Box::new(rhs)))
    }

    /// After `left.*` (or a leading `*`, `after` telling which): what is projected.
    #[inline(never)]
    fn value_projection(&mut self, left: Node, after: Tok) -> Result<Node, ParseError> {
        let rhs = self.projection_rhs(binding_power(&after))?;
        Ok(Node::ValueProjection(Box::new(left), Box::new(rhs)))
    }

    /// After `left[]`: what is projected on the flattened array.
    #[inline(never)]
    fn flatten(&mut self, left: Node) -> Result<Node, ParseError> {
        let rhs = self.projection_rhs(binding_power(&Tok::Flatten))?;
        Ok(Node::Projection(
            Box::new(Node::Flatten(Box::new(left))),
            Box::new(rhs),
        ))
    }

    /// After `[`: an index, a slice or `*]` applied to `left` (the current node when the
    /// bracket starts the expression), or, starting an expression, a multi-select list.
    #[inline(never)]
    fn bracket(&mut self, left: Option<Node>) -> Result<Node, ParseError> {
        let star = *self.peek() == Tok::Star;
        match (self.peek(), left) {
            (Tok::Number(_) | Tok::Colon, left) => {
                self.index_or_slice(left.unwrap_or(Node::Current))
            }
            (_, Some(left)) if star => self.star_projection(left),
            (_, None) if star && *self.peek_at(1) == Tok::RBracket => {
                self.star_projection(Node::Current)
            }
            (_, None) => self.multi_list(),
            (_, Some(_)) => Err(self.unexpected("a number, `:` or `*`")),
        }
    }

    /// At `*]` after `left[`: what is projected.
    #[inline(never)]
    fn star_projection(&mut self, left: Node) -> Result<Node, ParseError> {
        self.advance();
        self.expect(Tok::RBracket)?;
        let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
        Ok(Node::Projection(Box::new(left), Box::new(rhs)))
    }

    #[inline(never)]
    fn compare(&mut self, op: Comparator, left: Node) -> Result<Node, ParseError> {
        let right = self.expression(binding_power(&Tok::Eq))?;
        Ok(Node::Compare(op, Box::new(left), Box::new(right)))
    }

    /// After `[`, a number or a colon: `[n]` or a slice, applied to `left`.
    #[inline(never)]
    fn index_or_slice(&mut self, left: Node) -> Result<Node, ParseError> {
        let is_slice = *self.peek() == Tok::Colon || *self.peek_at(1) == Tok::Colon;
        if !is_slice {
            let offset = self.offset();
            let Tok::Number(n) = self.advance().kind else {
                // Callers only come here on a number or a colon; an error, not a panic,
                // should that ever change.
                return Err(self.error(offset, "an index must be a number".to_string()));
            };
            self.expect(Tok::RBracket)?;
            return Ok(sub(left, Node::Index(n)));
        }
        let mut parts = [None; 3];
        let mut part = 0;
        let mut step_offset = self.offset();
        loop {
            match self.peek().clone() {
                Tok::RBracket => break,
                Tok::Colon if part < 2 => {
                    part += 1;
                    self.advance();
                    if part == 2 {
                        step_offset = self.offset();
                    }
                }
                Tok::Number(n) if parts[part].is_none() => {
                    parts[part] = Some(n);
                    self.advance();
                }
                _ => {
                    let expected = if part < 2 {
                        "a number, `:` or `]`"
                    } else {
                        "a number or `]`"
                    };
                    return Err(self.unexpected(expected));
                }
            }
        }
        self.advance();
        if parts[2] == Some(0) {
            return Err(ParseError::new(
                ErrorKind::InvalidValue,
                self.text,
                step_offset,
                "a slice step cannot be 0",
            ));
        }
        let slice = Node::Slice(parts[0], parts[1], parts[2]);
        let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
        Ok(Node::Projection(Box::new(sub(left, slice)), Box::new(rhs)))
    }

    /// After `[?` applied to `left`: the condition, `]` and what is projected.
    #[inline(never)]
    fn filter(&mut self, left: Node) -> Result<Node, ParseError> {
        let condition = self.expression(0)?;
        self.expect(Tok::RBracket)?;
        let rhs = if *self.peek() == Tok::Flatten {
            Node::Current
        } else {
            self.projection_rhs(binding_power(&Tok::Filter))?
        };
        Ok(Node::Filter {
            lhs: Box::new(left),
            condition: Box::new(condition),
            rhs: Box::new(rhs),
        })
    }

    /// What a projection applies to each element: nothing (`@`) when a token that stops
    /// projections follows, else brackets, a filter or `.` and what may follow a dot.
    #[inline(never)]
    fn projection_rhs(&mut self, power: u8) -> Result<Node, ParseError> {
        match self.peek() {
            tok if binding_power(tok) < PROJECTION_STOP => Ok(Node::Current),
            Tok::LBracket | Tok::Filter => self.expression(power),
            Tok::Dot => {
                self.advance();
                self.dot_rhs(power)
            }
            _ => Err(self.unexpected("`.`, `[` or the end of the projection")),
        }
    }

    /// After a `.`: an identifier, `*`, a multi-select list or hash, or a function call.
    #[inline(never)]
    fn dot_rhs(&mut self, power: u8) -> Result<Node, ParseError> {
        match self.peek() {
            Tok::Identifier(_) | Tok::Quoted(_) | Tok::Star => self.expression(power),
            Tok::LBracket => {
                self.advance();
                self.multi_list()
            }
            Tok::LBrace => {
                self.advance();
                self.multi_hash()
            }
            _ => Err(self.unexpected("an identifier, `*`, `[` or `{` after `.`")),
        }
    }

    /// After `[`: `a, b, ...]`.
    #[inline(never)]
    fn multi_list(&mut self) -> Result<Node, ParseError> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            match self.peek() {
                Tok::Comma => {
                    self.advance();
                }
                Tok::RBracket => {
                    self.advance();
                    return Ok(Node::MultiList(items));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    /// After `{`: `key: a, ...}`.
    #[inline(never)]
    fn multi_hash(&mut self) -> Result<Node, ParseError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.peek().clone() {
                Tok::Identifier(key) | Tok::Quoted(key) => key,
                _ => return Err(self.unexpected("a key (an identifier)")),
            };
            self.advance();
            self.expect(Tok::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.peek() {
                Tok::Comma => {
                    self.advance();
                }
                Tok::RBrace => {
                    self.advance();
                    return Ok(Node::MultiHash(pairs));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    /// After `name(`: the arguments and `)`. `left` must be an unquoted identifier.
    #[inline(never)]
    fn call(&mut self, left: Node, paren: usize) -> Result<Node, ParseError> {
        // The token before `(` (quoted identifiers were refused when read).
        let name_token = &self.tokens[self.at.saturating_sub(2)];
        let name_offset = name_token.start;
        let name = match (&left, &name_token.kind) {
            (Node::Field(name), Tok::Identifier(_)) => name.clone(),
            _ => {
                return Err(self.error(
                    paren,
                    "only a function name (an identifier) can be called".to_owned(),
                ));
            }
        };
        let mut args = Vec::new();
        if *self.peek() == Tok::RParen {
            self.advance();
        } else {
            loop {
                args.push(self.expression(0)?);
                match self.peek() {
                    Tok::Comma => {
                        self.advance();
                    }
                    Tok::RParen => {
                        self.advance();
                        break;
                    }
                    _ => return Err(self.unexpected("`,` or `)`")),
                }
            }
        }
        let Some(function) = Function::from_name(&name) else {
            return Err(ParseError::new(
                ErrorKind::UnknownFunction,
                self.text,
                name_offset,
                &format!("unknown function `{name}()`"),
            ));
        };
        if let Err(expected) = function.check_arity(args.len()) {
            return Err(ParseError::new(
                ErrorKind::InvalidArity,
                self.text,
                name_offset,
                &format!(
                    "`{name}()` takes {expected}, given {}",
                    plural(args.len(), "argument")
                ),
            ));
        }
        Ok(Node::Call(function, args))
    }
}

/// `rhs` applied to `left`, without a needless `@.`.
fn sub(left: Node, rhs: Node) -> Node {
    match left {
        Node::Current => rhs,
        left => Node::Sub(Box::new(left), Box::new(rhs)),
    }
}

/// "1 argument", "2 arguments".
pub(super) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Node> {
        Box::new(Node::Field(name.to_owned()))
    }

    #[test]
    fn builds_the_tree_of_paginator_and_waiter_expressions() {
        assert_eq!(
            parse("NextMarker || Contents[-1].Key").unwrap(),
            Node::Or(
                field("NextMarker"),
                Box::new(Node::Sub(
                    Box::new(Node::Sub(field("Contents"), Box::new(Node::Index(-1)))),
                    field("Key")
                ))
            )
        );
        assert_eq!(
            parse("Reservations[].Instances[].State.Name").unwrap(),
            // `[]` (binding power 9) ends the projection before it and flattens its result.
            Node::Projection(
                Box::new(Node::Flatten(Box::new(Node::Projection(
                    Box::new(Node::Flatten(field("Reservations"))),
                    field("Instances")
                )))),
                Box::new(Node::Sub(field("State"), field("Name")))
            )
        );
        assert_eq!(
            parse("length(services[?status == 'ACTIVE']) > `0`").unwrap(),
            Node::Compare(
                Comparator::Gt,
                Box::new(Node::Call(
                    Function::Length,
                    vec![Node::Filter {
                        lhs: field("services"),
                        condition: Box::new(Node::Compare(
                            Comparator::Eq,
                            field("status"),
                            Box::new(Node::Literal(Found::String("ACTIVE".into())))
                        )),
                        rhs: Box::new(Node::Current),
                    }]
                )),
                Box::new(Node::Literal(Found::Integer(0)))
            )
        );
    }

    #[test]
    fn pipes_end_projections_and_dots_do_not() {
        assert_eq!(
            parse("a[*].b | [0]").unwrap(),
            Node::Pipe(
                Box::new(Node::Projection(field("a"), field("b"))),
                Box::new(Node::Index(0))
            )
        );
        assert_eq!(
            parse("a[*].b[0]").unwrap(),
            Node::Projection(
                field("a"),
                Box::new(Node::Sub(field("b"), Box::new(Node::Index(0))))
            )
        );
    }

    #[test]
    fn precedence_of_boolean_operators() {
        // `!` binds tighter than comparators, comparators than `&&`, `&&` than `||`.
        assert_eq!(
            parse("!a == b && c || d").unwrap(),
            Node::Or(
                Box::new(Node::And(
                    Box::new(Node::Compare(
                        Comparator::Eq,
                        Box::new(Node::Not(field("a"))),
                        field("b")
                    )),
                    field("c")
                )),
                field("d")
            )
        );
    }

    #[test]
    fn slices_and_multi_selects() {
        assert_eq!(
            parse("a[::-1].{x: b, \"y z\": [c, @]}").unwrap(),
            Node::Projection(
                Box::new(Node::Sub(
                    field("a"),
                    Box::new(Node::Slice(None, None, Some(-1)))
                )),
                Box::new(Node::MultiHash(vec![
                    ("x".to_owned(), Node::Field("b".to_owned())),
                    (
                        "y z".to_owned(),
                        Node::MultiList(vec![Node::Field("c".to_owned()), Node::Current])
                    ),
                ]))
            )
        );
    }

    fn error(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        for (text, offset, message) in [
            ("", 0, "the expression is empty"),
            (
                "foo.",
                4,
                "expected an identifier, `*`, `[` or `{` after `.`, found the end of the expression",
            ),
            ("foo[0, 1]", 5, "expected `]`, found `,`"),
            (
                "a.`\"b\"`",
                2,
                "expected an identifier, `*`, `[` or `{` after `.`, found a literal",
            ),
            (
                "foo[*]bar",
                6,
                "expected an operator or the end of the expression, found identifier `bar`",
            ),
            (
                "\"f\"(x)",
                0,
                "a function name cannot be a quoted identifier",
            ),
            ("a{b: c}", 1, "`{` cannot follow an expression"),
            ("foo[1:2:3:4]", 9, "expected a number or `]`, found `:`"),
            ("(a", 2, "expected `)`, found the end of the expression"),
            (
                "a ||",
                4,
                "the expression ends too early: expected an expression",
            ),
            (
                "foo[0](x)",
                6,
                "only a function name (an identifier) can be called",
            ),
        ] {
            let err = error(text);
            assert_eq!(err.kind(), ErrorKind::Syntax, "{text}");
            assert_eq!(err.offset(), offset, "{text}: {err}");
            assert_eq!(err.message(), message, "{text}");
        }
    }

    #[test]
    fn functions_are_checked_when_parsed() {
        let err = error("a || nope(`1`)");
        assert_eq!(err.kind(), ErrorKind::UnknownFunction);
        assert_eq!(err.offset(), 5);
        assert_eq!(err.message(), "unknown function `nope()`");
        let err = error("length(a, b)");
        assert_eq!(err.kind(), ErrorKind::InvalidArity);
        assert_eq!(
            err.message(),
            "`length()` takes 1 argument, given 2 arguments"
        );
        let err = error("not_null()");
        assert_eq!(err.kind(), ErrorKind::InvalidArity);
        assert_eq!(
            err.message(),
            "`not_null()` takes at least 1 argument, given 0 arguments"
        );
        let err = error("a[1:2:0]");
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert_eq!(err.offset(), 6);
    }

    #[test]
    fn nesting_and_depth_are_bounded() {
        let ok = format!(
            "{}a{}",
            "(".repeat(MAX_NESTING - 1),
            ")".repeat(MAX_NESTING - 1)
        );
        assert!(parse(&ok).is_ok());
        let too_deep = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(
            error(&too_deep).message(),
            "the expression nests more than 128 levels deep"
        );
        // `a`, each `.`, and the identifier after the last one.
        let ok = "a".to_owned() + &".a".repeat(MAX_DEPTH - 2);
        assert!(parse(&ok).is_ok());
        let too_long = "a".to_owned() + &".a".repeat(MAX_DEPTH - 1);
        assert_eq!(
            error(&too_long).message(),
            "the expression is more than 256 levels deep (nested or chained)"
        );
        for text in [
            format!("{}a{}", "[".repeat(100_000), "]".repeat(100_000)),
            "!".repeat(100_000) + "a",
            "a".to_owned() + &"[1:]".repeat(100_000),
            // Chains build trees as deep as they are long.
            "a".to_owned() + &".a".repeat(100_000),
            "a".to_owned() + &" | a".repeat(100_000),
            "a".to_owned() + &"[0]".repeat(100_000),
        ] {
            let err = error(&text);
            assert_eq!(err.kind(), ErrorKind::Syntax);
            assert!(err.message().contains("levels deep"), "{err}");
        }
    }
}
