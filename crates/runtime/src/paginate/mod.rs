//! Paginators: every page of a listing as a [`Stream`], or every item of it, with
//! botocore's `PageSize`, `MaxItems` and `StartingToken`.
//!
//! A generated crate describes each paginator of `paginators-1.json` as a static
//! [`PaginatorSpec`] and wraps a [`Paginator`] in a typed builder
//! (`client.list_objects_v2_paginator(input)`); everything that decides anything is here.
//! It behaves as botocore's `PageIterator` (`paginate.py`), the reference:
//!
//! * The next request carries each `output_token`'s value (a JMESPath expression on the
//!   page, evaluated on the typed output) in its `input_token` member; an empty or absent
//!   token is none, and the listing ends when there is no token at all, or when
//!   `more_results` is false.
//! * `max_items` counts the items of the first result key. A page that goes past it is cut
//!   to fit, and [`Pages::resume_token`] then names that page and how many of its items were
//!   handed out (`boto_truncate_amount`), so resuming hands out the rest of it first.
//! * Resume tokens are botocore's own (base64 of its JSON), so a listing the AWS CLI or
//!   boto3 started resumes here and the reverse. A bare service token works as a starting
//!   token too.
//! * A service that answers with the token it was just sent would page forever; the stream
//!   ends with [`PaginationError`] instead.

mod page;
mod token;

use crate::client::ClientHandle;
use crate::error::SdkError;
use crate::jmespath::Expression;
use crate::operation::{Operation, OperationError};
use crate::value::StructValue;
use futures_core::Stream;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use token::PageToken;

/// One paginator of a service's `paginators-1.json`, as static data.
#[derive(Debug)]
pub struct PaginatorSpec {
    /// Input members that carry the tokens (`input_token`).
    pub input_tokens: &'static [&'static str],
    /// Where each input token's next value is in a page (`output_token`, JMESPath).
    pub output_tokens: &'static [&'static str],
    /// The members, or member paths, whose items a page lists (`result_key`); the first is
    /// the one `max_items` counts.
    pub result_keys: &'static [&'static str],
    /// Whether there are more pages (`more_results`, JMESPath), for services that say so.
    pub more_results: Option<&'static str>,
    /// The input member that takes the page size (`limit_key`).
    pub limit_key: Option<&'static str>,
    /// Output members that are the same on every page, not lists to gather
    /// (`non_aggregate_keys`).
    pub non_aggregate_keys: &'static [&'static str],
    compiled: OnceLock<Result<Compiled, String>>,
}

/// The expressions of a spec, parsed once.
#[derive(Debug)]
struct Compiled {
    output_tokens: Vec<Expression>,
    more_results: Option<Expression>,
    result_keys: Vec<page::KeyPath>,
}

impl PaginatorSpec {
    /// A paginator with these tokens and result keys and nothing else.
    pub const fn new(
        input_tokens: &'static [&'static str],
        output_tokens: &'static [&'static str],
        result_keys: &'static [&'static str],
    ) -> Self {
        PaginatorSpec {
            input_tokens,
            output_tokens,
            result_keys,
            more_results: None,
            limit_key: None,
            non_aggregate_keys: &[],
            compiled: OnceLock::new(),
        }
    }

    pub const fn more_results(mut self, expression: &'static str) -> Self {
        self.more_results = Some(expression);
        self
    }

    pub const fn limit_key(mut self, member: &'static str) -> Self {
        self.limit_key = Some(member);
        self
    }

    pub const fn non_aggregate_keys(mut self, keys: &'static [&'static str]) -> Self {
        self.non_aggregate_keys = keys;
        self
    }

    /// The parsed expressions. Codegen parsed every one already, so an error here means a
    /// spec written by hand.
    fn compiled(&self) -> Result<&Compiled, PaginationError> {
        self.compiled
            .get_or_init(|| {
                if self.input_tokens.len() != self.output_tokens.len() {
                    return Err(format!(
                        "{} input tokens but {} output tokens",
                        self.input_tokens.len(),
                        self.output_tokens.len()
                    ));
                }
                let parse = |text: &str| Expression::parse(text).map_err(|e| e.to_string());
                Ok(Compiled {
                    output_tokens: self
                        .output_tokens
                        .iter()
                        .map(|t| parse(t))
                        .collect::<Result<_, _>>()?,
                    more_results: self.more_results.map(parse).transpose()?,
                    result_keys: self.result_keys.iter().map(|k| page::key_path(k)).collect(),
                })
            })
            .as_ref()
            .map_err(|e| PaginationError::new(PaginationErrorKind::Spec, e.clone()))
    }
}

/// Why a paginator stopped without the service failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    kind: PaginationErrorKind,
    message: String,
}

/// What kind of [`PaginationError`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationErrorKind {
    /// The starting token is not one this paginator can read.
    BadStartingToken,
    /// The service answered with the same token twice in a row.
    RepeatedToken,
    /// A page's tokens could not be read, or not written into the next request.
    Token,
    /// The paginator's description is broken (not possible for generated ones).
    Spec,
}

impl PaginationError {
    fn new(kind: PaginationErrorKind, message: impl Into<String>) -> Self {
        PaginationError {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> PaginationErrorKind {
        self.kind
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PaginationError {}

/// A paginator for one call: the input, the paging options, and the client to call.
///
/// Generated crates wrap it in a type per paginated operation, with an `items` method per
/// result key.
pub struct Paginator<I, O, E> {
    handle: ClientHandle,
    operation: &'static Operation,
    spec: &'static PaginatorSpec,
    input: I,
    page_size: Option<u32>,
    max_items: Option<usize>,
    starting_token: Option<String>,
    _types: PhantomData<fn() -> (O, E)>,
}

impl<I: fmt::Debug, O, E> fmt::Debug for Paginator<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation.name)
            .field("input", &self.input)
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("starting_token", &self.starting_token)
            .finish()
    }
}

impl<I, O, E> Paginator<I, O, E>
where
    I: StructValue + Clone + 'static,
    O: StructValue + Default + 'static,
    E: OperationError,
{
    pub fn new(
        handle: &ClientHandle,
        operation: &'static Operation,
        spec: &'static PaginatorSpec,
        input: I,
    ) -> Self {
        Paginator {
            handle: handle.clone(),
            operation,
            spec,
            input,
            page_size: None,
            max_items: None,
            starting_token: None,
            _types: PhantomData,
        }
    }

    /// The number of items to ask for per request (set in the `limit_key` member).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The most items (of the first result key) to hand out; a listing cut short leaves a
    /// resume token.
    pub fn max_items(mut self, count: usize) -> Self {
        self.max_items = Some(count);
        self
    }

    /// Starts where an earlier listing stopped: its resume token (from this SDK, botocore or
    /// the AWS CLI's `NextToken`), or a service's own token.
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// The pages, one request each, as a [`Stream`].
    pub fn pages(self) -> Pages<I, O, E> {
        Pages {
            state: Some(Box::new(State {
                handle: self.handle,
                operation: self.operation,
                spec: self.spec,
                input: self.input,
                page_size: self.page_size,
                max_items: self.max_items,
                starting_token: self.starting_token,
                starting_skip: 0,
                next: PageToken::none(self.spec.input_tokens.len()),
                previous: None,
                total_items: 0,
                first: true,
                finished: Finished::No,
                resume_token: None,
            })),
            pending: None,
            _types: PhantomData,
        }
    }

    /// The items of one result key, taken out of each page by `take`, as a [`Stream`].
    /// Generated paginators call this with the key's field.
    pub fn items<T>(self, take: fn(&mut O) -> Vec<T>) -> Items<I, O, E, T> {
        Items {
            pages: self.pages(),
            take,
            buffered: Vec::new().into_iter(),
        }
    }
}

/// How the listing ended, if it did.
enum Finished {
    No,
    /// The next poll reports this error, then the stream ends.
    AfterError(PaginationError),
    Yes,
}

/// The paging state, moved into each request's future and back.
struct State<I> {
    handle: ClientHandle,
    operation: &'static Operation,
    spec: &'static PaginatorSpec,
    input: I,
    page_size: Option<u32>,
    max_items: Option<usize>,
    /// The starting token, until the first request decodes it.
    starting_token: Option<String>,
    /// Items of the first page a resume token says were handed out already.
    starting_skip: usize,
    /// The tokens of the next request.
    next: PageToken,
    previous: Option<PageToken>,
    total_items: usize,
    first: bool,
    finished: Finished,
    resume_token: Option<String>,
}

type Step<I, O, E> = (Box<State<I>>, Option<Result<O, SdkError<E>>>);

impl<I> State<I>
where
    I: StructValue + Clone + 'static,
{
    /// Fetches the next page; `None` once the listing is over.
    async fn next_page<O, E>(mut self: Box<Self>) -> Step<I, O, E>
    where
        O: StructValue + Default + 'static,
        E: OperationError,
    {
        match std::mem::replace(&mut self.finished, Finished::Yes) {
            Finished::No => self.finished = Finished::No,
            Finished::AfterError(error) => return (self, Some(Err(SdkError::Pagination(error)))),
            Finished::Yes => return (self, None),
        }
        let input = match self.prepare_input() {
            Ok(input) => input,
            Err(error) => {
                self.finished = Finished::Yes;
                return (self, Some(Err(SdkError::Pagination(error))));
            }
        };
        match self.handle.invoke::<I, O, E>(self.operation, input).await {
            Ok(mut page) => {
                let outcome = self.after_page(&mut page);
                match outcome {
                    Ok(()) => (self, Some(Ok(page))),
                    Err(error) => {
                        self.finished = Finished::Yes;
                        (self, Some(Err(SdkError::Pagination(error))))
                    }
                }
            }
            Err(error) => {
                self.finished = Finished::Yes;
                (self, Some(Err(error)))
            }
        }
    }

    /// The input of the next request: the caller's, with the page size and the tokens.
    fn prepare_input(&mut self) -> Result<I, PaginationError> {
        let spec = self.spec;
        spec.compiled()?;
        if let Some(text) = self.starting_token.take() {
            let starting = token::decode(&text, spec.input_tokens)
                .map_err(|e| PaginationError::new(PaginationErrorKind::BadStartingToken, e))?;
            self.next = starting.token;
            self.starting_skip = starting.skip;
        }
        let mut input = self.input.clone();
        if let (Some(size), Some(key)) = (self.page_size, spec.limit_key) {
            page::write_page_size(&mut input, key, size)
                .map_err(|e| PaginationError::new(PaginationErrorKind::Spec, e))?;
        }
        page::write_token(&mut input, spec.input_tokens, &self.next).map_err(|e| {
            let kind = if self.first {
                PaginationErrorKind::BadStartingToken
            } else {
                PaginationErrorKind::Token
            };
            PaginationError::new(kind, e)
        })?;
        Ok(input)
    }

    /// botocore's loop body after a response: skip what a resume token handed out, cut to
    /// `max_items`, find the next tokens, decide whether the listing goes on.
    fn after_page(&mut self, page: &mut dyn StructValue) -> Result<(), PaginationError> {
        let spec = self.spec;
        let compiled = spec.compiled()?;
        let first = std::mem::take(&mut self.first);
        let Some(primary) = compiled.result_keys.first() else {
            // No result key (not in any model): pages without counting.
            return self.advance(page, compiled, 0);
        };
        let mut skipped = 0;
        if first && self.starting_skip > 0 {
            skipped = self.starting_skip;
            let len = page::count(page, primary);
            page::cut(page, primary, skipped.min(len)..len);
            for secondary in &compiled.result_keys[1..] {
                page::empty(page, secondary);
            }
        }
        let items = page::count(page, primary);
        if let Some(max) = self.max_items {
            let over = (self.total_items + items).saturating_sub(max);
            if over > 0 && page::can_cut(page, primary) {
                let keep = items - over;
                page::cut(page, primary, 0..keep);
                self.resume_token = Some(token::encode(
                    spec.input_tokens,
                    &self.next,
                    Some(keep + skipped),
                ));
                self.finished = Finished::Yes;
                return Ok(());
            }
        }
        self.advance(page, compiled, items)
    }

    /// Records the page's items and tokens: the listing ends without tokens, at `max_items`
    /// (leaving a resume token) or with a token repeated.
    fn advance(
        &mut self,
        page: &dyn StructValue,
        compiled: &Compiled,
        items: usize,
    ) -> Result<(), PaginationError> {
        let spec = self.spec;
        self.total_items += items;
        let next = page::next_token(
            page,
            spec.input_tokens,
            &compiled.output_tokens,
            compiled.more_results.as_ref(),
        )
        .map_err(|e| PaginationError::new(PaginationErrorKind::Token, e))?;
        if next.is_end() {
            self.finished = Finished::Yes;
        } else if self.max_items.is_some_and(|max| self.total_items >= max) {
            self.resume_token = Some(token::encode(spec.input_tokens, &next, None));
            self.finished = Finished::Yes;
        } else if self.previous.as_ref() == Some(&next) {
            self.finished = Finished::AfterError(PaginationError::new(
                PaginationErrorKind::RepeatedToken,
                format!(
                    "{} returned the same next token twice ({}); stopping instead of asking for the same page forever",
                    self.operation.name,
                    describe(spec.input_tokens, &next)
                ),
            ));
        } else {
            self.previous = Some(next.clone());
            self.next = next;
        }
        Ok(())
    }
}

fn describe(names: &[&str], token: &PageToken) -> String {
    names
        .iter()
        .zip(&token.values)
        .map(|(name, value)| match value {
            Some(v) => format!("{name}={v}"),
            None => format!("{name}=null"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

type PageFuture<I, O, E> = Pin<Box<dyn Future<Output = Step<I, O, E>> + Send>>;

/// The pages of a listing, one request each: a [`Stream`] of outputs.
///
/// After the stream ends, [`Pages::resume_token`] says where a listing cut short by
/// `max_items` would go on.
pub struct Pages<I, O, E> {
    /// The state between requests (`None` while a request is in flight).
    state: Option<Box<State<I>>>,
    pending: Option<PageFuture<I, O, E>>,
    _types: PhantomData<fn() -> (O, E)>,
}

impl<I, O, E> fmt::Debug for Pages<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("in_flight", &self.pending.is_some())
            .field("resume_token", &self.resume_token())
            .finish()
    }
}

impl<I, O, E> Pages<I, O, E>
where
    I: StructValue + Clone + Send + 'static,
    O: StructValue + Default + Send + 'static,
    E: OperationError,
{
    /// The next page, or `None` at the end (what `StreamExt::next` gives, without needing
    /// the futures crate).
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page that is left, or the first error. Takes `&mut self`, so
    /// [`Pages::resume_token`] can be read afterwards.
    pub async fn try_collect(&mut self) -> Result<Vec<O>, SdkError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl<I, O, E> Pages<I, O, E> {
    /// Where to resume, once the stream has ended because of `max_items` with more to list:
    /// a token for [`Paginator::starting_token`] (or botocore's `StartingToken`). `None`
    /// while pages are still coming, and when the listing is complete.
    pub fn resume_token(&self) -> Option<&str> {
        self.state.as_ref()?.resume_token.as_deref()
    }
}

impl<I, O, E> Stream for Pages<I, O, E>
where
    I: StructValue + Clone + Send + 'static,
    O: StructValue + Default + Send + 'static,
    E: OperationError,
{
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            let Some(state) = this.state.take() else {
                return Poll::Ready(None);
            };
            if matches!(state.finished, Finished::Yes) {
                this.state = Some(state);
                return Poll::Ready(None);
            }
            this.pending = Some(Box::pin(state.next_page::<O, E>()));
        }
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((state, item)) => {
                this.pending = None;
                this.state = Some(state);
                Poll::Ready(item)
            }
        }
    }
}

/// The items of one result key of every page: a [`Stream`] of `T`.
pub struct Items<I, O, E, T> {
    pages: Pages<I, O, E>,
    take: fn(&mut O) -> Vec<T>,
    buffered: std::vec::IntoIter<T>,
}

impl<I, O, E, T> fmt::Debug for Items<I, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<I, O, E, T> Items<I, O, E, T>
where
    I: StructValue + Clone + Send + 'static,
    O: StructValue + Default + Send + 'static,
    E: OperationError,
    T: Unpin,
{
    /// The next item, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item that is left, or the first error. Takes `&mut self`, so
    /// [`Items::resume_token`] can be read afterwards.
    pub async fn try_collect(&mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<I, O, E, T> Items<I, O, E, T> {
    /// As [`Pages::resume_token`].
    pub fn resume_token(&self) -> Option<&str> {
        self.pages.resume_token()
    }
}

impl<I, O, E, T> Stream for Items<I, O, E, T>
where
    I: StructValue + Clone + Send + 'static,
    O: StructValue + Default + Send + 'static,
    E: OperationError,
    T: Unpin,
{
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(mut page))) => {
                    this.buffered = (this.take)(&mut page).into_iter();
                }
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests;
