//! The one call a generated `send()` makes.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use crate::client::{Operation, Whole, read_output, send, success_summary};
use crate::error::{SdkError, ServiceError};
use crate::paging::{Cursor, Listing, Paginator, Paging};
use crate::retry::Repeatability;
use crate::validate::ValidationError;
use crate::waiter::{Polled, Waiter, WaiterSpec};
use crate::{CallOptions, Client, EventStream};

/// A service version as its generated client addresses it; each version module holds one as a
/// constant, so an action's `send()` names only what is its own.
#[derive(Debug, Clone, Copy)]
pub struct ServiceVersion {
    /// The service name, e.g. `cvm`.
    pub service: &'static str,
    /// The API version, e.g. `2017-03-12`.
    pub version: &'static str,
    /// Whether the service's actions cannot run without `X-TC-Region`.
    pub region_required: bool,
}

impl ServiceVersion {
    /// Sends `action` with `body` (or fails with the body's validation error, nothing sent)
    /// under the call's `options`, to `host` under the root domain when the action is served
    /// there (`es.ai`), and decodes its answer into `O`, service errors into `E`.
    pub fn send<O, E>(
        self,
        host: Option<&'static str>,
        client: Client,
        action: &'static str,
        repeatability: Repeatability,
        options: CallOptions,
        body: Result<Vec<u8>, ValidationError>,
    ) -> impl Future<Output = Result<O, SdkError<E>>> + Send + 'static
    where
        O: DeserializeOwned + Send + 'static,
        E: From<ServiceError> + Send + 'static,
    {
        send(
            client,
            self.operation(host, action, repeatability, options, body),
        )
    }

    /// [`send`](Self::send) asking for a stream of events, returned once its answer begins.
    pub fn send_stream<O, E>(
        self,
        host: Option<&'static str>,
        client: Client,
        action: &'static str,
        repeatability: Repeatability,
        options: CallOptions,
        body: Result<Vec<u8>, ValidationError>,
    ) -> impl Future<Output = Result<EventStream<O, E>, SdkError<E>>> + Send + 'static
    where
        O: DeserializeOwned + Send + 'static,
        E: From<ServiceError> + Send + 'static,
    {
        crate::stream::open(
            client,
            self.operation(host, action, repeatability, options, body),
        )
    }

    /// Pages through `action` from the request `body` (or fails with its validation error
    /// at the first page, nothing sent), as `paging` says; `items_of` takes a page's items.
    #[allow(clippy::too_many_arguments)]
    pub fn paginate<O, I, E>(
        self,
        host: Option<&'static str>,
        client: Client,
        action: &'static str,
        options: CallOptions,
        body: Result<serde_json::Value, ValidationError>,
        paging: &'static Paging,
        items_of: fn(O) -> Vec<I>,
    ) -> Paginator<O, I, E>
    where
        O: DeserializeOwned + Send + 'static,
        I: Send + 'static,
        E: From<ServiceError> + Send + 'static,
    {
        let listing = Listing {
            client,
            service: self.service,
            version: self.version,
            action,
            region_required: self.region_required,
            host,
            options,
            paging,
        };
        let cursor = body
            .map(|body| Cursor::new(listing, body))
            .map_err(SdkError::Validation);
        Paginator::new(cursor, items_of)
    }

    /// Polls `action` with the request `body` (the first poll failing with its validation
    /// error, nothing sent) until a state of `waiter` is seen; each poll is a read.
    pub fn wait<O, E>(
        self,
        host: Option<&'static str>,
        client: Client,
        action: &'static str,
        options: CallOptions,
        body: Result<Vec<u8>, ValidationError>,
        waiter: &'static WaiterSpec,
    ) -> Waiter<O, E>
    where
        O: DeserializeOwned + Send + 'static,
        E: From<ServiceError> + Send + 'static,
    {
        let clock = client.config().inner.clock.clone();
        let jitter = client.config().inner.jitter.clone();
        let poll = move || -> Pin<Box<dyn Future<Output = _> + Send>> {
            let client = client.clone();
            let op = self.operation(
                host,
                action,
                Repeatability::Read,
                options.clone(),
                body.clone(),
            );
            Box::pin(async move {
                let op = op.map_err(SdkError::Validation)?;
                let place = (op.service, op.action);
                let (answer, attempts) = client
                    .invoke_counting::<Whole>(op)
                    .await
                    .map_err(|e| e.map_service_error(E::from))?;
                let call = success_summary(Repeatability::Read, attempts);
                let output = read_output(&answer, place, call)?;
                let response = serde_json::from_slice(answer.response_json()).ok();
                Ok(Polled { output, response })
            })
        };
        Waiter::documented(waiter, Box::new(poll), clock, jitter)
    }

    fn operation(
        self,
        host: Option<&'static str>,
        action: &'static str,
        repeatability: Repeatability,
        options: CallOptions,
        body: Result<Vec<u8>, ValidationError>,
    ) -> Result<Operation<'static>, ValidationError> {
        body.map(|body| Operation {
            service: self.service,
            version: self.version,
            action,
            region_required: self.region_required,
            repeatability,
            body,
            host,
            options,
        })
    }
}

/// A generated request as the JSON object a paginator changes page by page.
pub fn encode_value<T: serde::Serialize>(
    request: &T,
) -> Result<serde_json::Value, ValidationError> {
    serde_json::to_value(request).map_err(unencodable::<T>)
}

/// A generated request as the JSON body of its action. Serializing one cannot fail with the
/// field types generated code uses, but a failure still names the type rather than panicking.
pub fn encode<T: serde::Serialize>(request: &T) -> Result<Vec<u8>, ValidationError> {
    serde_json::to_vec(request).map_err(unencodable::<T>)
}

/// The error of a request of type `T` that serde_json refused.
fn unencodable<T>(err: serde_json::Error) -> ValidationError {
    ValidationError::new(
        std::any::type_name::<T>(),
        format!("cannot be encoded as JSON: {err}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_cannot_be_encoded_is_a_validation_error_naming_its_type() {
        // JSON object keys must be strings: serde_json refuses a map keyed by lists.
        let unencodable = std::collections::BTreeMap::from([(vec![1u8], 1)]);
        let error = encode(&unencodable).unwrap_err();
        assert!(error.parameter.contains("BTreeMap"), "{error}");
        assert!(
            error.rule.starts_with("cannot be encoded as JSON"),
            "{error}"
        );
        assert_eq!(encode(&[1, 2]).unwrap(), b"[1,2]");
    }
}
