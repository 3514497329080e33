//! Answers in Contentstack's shapes, and reading request bodies the way its clients send them.
//!
//! Bodies are read as bytes and parsed here rather than with axum's `Json` extractor, because
//! that extractor insists on a `Content-Type: application/json` header, and the official clients
//! differ: the Python SDK sends the header on bodiless GET and DELETE, Postman on everything,
//! others not at all. What matters is whether the bytes are JSON.
//!
//! Error codes the demo uses (the ones Contentstack documents, plus a few the demo picked where
//! no source settles them):
//! - 104 wrong email or password, and account locked ([`crate::api::error::CODE_INVALID_CREDENTIALS`]);
//! - 105 missing, unknown, expired or logged-out authtoken;
//! - 294 two-factor code required; 295 wrong two-factor code;
//! - [`CODE_NOT_ACTIVATED`] (107) log-in to an account that is not activated yet;
//! - [`CODE_VALIDATION`] (119) a request with field errors (`errors` names each field);
//! - 120 and 121 (with 422) for `GET /stacks` refused for want of an SSO organisation's
//!   `organization_uid` header, or with one the user is not in (see [`super::stacks`]);
//! - the HTTP status itself for 400, 404, 405, 413, 429 and 503, as Contentstack's mocks do.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::state::AppState;

/// Error code of a request whose fields did not validate.
pub const CODE_VALIDATION: i64 = 119;
/// Error code of a log-in to an account that has not been activated.
pub const CODE_NOT_ACTIVATED: i64 = 107;

/// Largest request body read, in bytes. Real requests are a few kilobytes; the JS SDK's
/// whole-user PUT of a large profile is the biggest and stays far below this.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Serialises `value` as a JSON answer.
pub(crate) fn json_response(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => raw_json(status, bytes),
        Err(err) => {
            tracing::error!(%err, "demo: could not serialise an answer");
            raw_json(
                StatusCode::INTERNAL_SERVER_ERROR,
                br#"{"error_message":"Internal error","error_code":500}"#.to_vec(),
            )
        }
    }
}

/// Bytes that are (or, for the malformed fault, pretend to be) JSON.
pub(crate) fn raw_json(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    resp
}

/// `{"notice": "..."}` with 200.
pub(crate) fn notice(text: &str) -> Response {
    json_response(StatusCode::OK, &json!({ "notice": text }))
}

/// A refusal: status, Contentstack error body, and sometimes extra headers.
#[derive(Debug)]
pub(crate) struct ApiFailure {
    pub status: StatusCode,
    pub body: Value,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiFailure {
    /// A body of `error_message`, `error_code` and, when given, `errors`.
    pub fn new(status: StatusCode, code: i64, message: impl Into<String>, errors: Option<Value>) -> Self {
        let mut body = Map::new();
        body.insert("error_message".into(), Value::String(message.into()));
        body.insert("error_code".into(), Value::from(code));
        if let Some(errors) = errors {
            body.insert("errors".into(), errors);
        }
        ApiFailure { status, body: Value::Object(body), headers: Vec::new() }
    }

    /// 401 / 105, the answer to every authenticated call without a live session.
    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            crate::api::error::CODE_INVALID_TOKEN,
            "You're not allowed in here unless you're logged in.",
            Some(json!({ "authtoken": ["is not valid."] })),
        )
    }

    /// 400: the body is not JSON.
    pub fn bad_json() -> Self {
        Self::new(StatusCode::BAD_REQUEST, 400, "Bad request: the request body is not valid JSON.", None)
    }

    /// 404 for routes the demo does not serve.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            404,
            "The requested resource was not found. The demo server serves only the user, user-session and stacks API.",
            None,
        )
    }

    /// 422 with field errors. The message repeats the first problem so that a client showing
    /// only `error_message` still says something useful.
    pub fn validation(errors: FieldErrors) -> Self {
        let message = errors.summary();
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, CODE_VALIDATION, message, Some(errors.into_value()))
    }

    /// 422 for a request without the `{"user": {...}}` wrapper.
    pub fn missing_user() -> Self {
        let mut errors = FieldErrors::default();
        errors.add("user", "is required (send {\"user\": {...}}).");
        Self::validation(errors)
    }

    /// Adds a key to the error body (e.g. `tfa_type`).
    pub fn with_body_field(mut self, key: &str, value: Value) -> Self {
        if let Value::Object(map) = &mut self.body {
            map.insert(key.to_string(), value);
        }
        self
    }

    /// Adds a header to the answer.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let mut resp = json_response(self.status, &self.body);
        for (name, value) in self.headers {
            resp.headers_mut().insert(name, value);
        }
        resp
    }
}

/// Field → messages, in the order found.
#[derive(Debug, Default)]
pub(crate) struct FieldErrors(Map<String, Value>);

impl FieldErrors {
    /// Adds one message for `field`.
    pub fn add(&mut self, field: &str, message: &str) {
        let entry = self.0.entry(field.to_string()).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::String(message.to_string()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Ok when nothing was found, the 422 otherwise.
    pub fn into_result(self) -> Result<(), ApiFailure> {
        if self.is_empty() { Ok(()) } else { Err(ApiFailure::validation(self)) }
    }

    /// "First name can't be blank." from the first message.
    fn summary(&self) -> String {
        let first = self.0.iter().next().and_then(|(field, msgs)| {
            let msg = msgs.as_array()?.first()?.as_str()?;
            Some(format!("{} {msg}", crate::api::error::field_label(field)))
        });
        first.unwrap_or_else(|| "The request could not be processed.".to_string())
    }

    fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// The request body as JSON, or `None` when there is none (empty or only whitespace), of at
/// most `MAX` bytes, arriving within the server's body timeout: a client that stops half-way
/// through a body (a slow-body attack) holds its connection no longer than that.
pub(crate) struct JsonBody<const MAX: usize = MAX_BODY_BYTES>(pub Option<Value>);

impl<const MAX: usize> FromRequest<AppState> for JsonBody<MAX> {
    type Rejection = ApiFailure;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let timeout = state.body_timeout;
        let read = tokio::time::timeout(timeout, axum::body::to_bytes(req.into_body(), MAX));
        let bytes = match read.await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return Err(ApiFailure::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    413,
                    format!("Bad request: the request body is larger than {MAX} bytes or was cut short."),
                    None,
                ));
            }
            Err(_) => {
                return Err(ApiFailure::new(
                    StatusCode::REQUEST_TIMEOUT,
                    408,
                    format!(
                        "Bad request: the request body did not arrive within {} ms.",
                        timeout.as_millis()
                    ),
                    None,
                ));
            }
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(None));
        }
        serde_json::from_slice(&bytes).map(|v| JsonBody(Some(v))).map_err(|_| ApiFailure::bad_json())
    }
}

impl<const MAX: usize> JsonBody<MAX> {
    /// The `user` object of the body, or the 422 a missing wrapper gets.
    pub fn user(self) -> Result<Map<String, Value>, ApiFailure> {
        match self.0 {
            Some(Value::Object(mut body)) => match body.remove("user") {
                Some(Value::Object(user)) => Ok(user),
                _ => Err(ApiFailure::missing_user()),
            },
            _ => Err(ApiFailure::missing_user()),
        }
    }
}

/// `true`, `1`, `yes` or a bare `?flag` switch a query flag on.
pub(crate) fn flag_on(query: &std::collections::HashMap<String, String>, name: &str) -> bool {
    query.get(name).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "" | "true" | "1" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_summarise_the_first() {
        let mut e = FieldErrors::default();
        assert!(e.is_empty());
        e.add("first_name", "can't be blank.");
        e.add("first_name", "must be text.");
        e.add("password", "must contain a digit.");
        let f = ApiFailure::validation(e);
        assert_eq!(f.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(f.body["error_message"], "First name can't be blank.");
        assert_eq!(f.body["error_code"], CODE_VALIDATION);
        assert_eq!(f.body["errors"]["first_name"], json!(["can't be blank.", "must be text."]));
        assert_eq!(f.body["errors"]["password"], json!(["must contain a digit."]));
    }

    #[test]
    fn flags() {
        let q: std::collections::HashMap<String, String> =
            [("a", "true"), ("b", "0"), ("c", ""), ("d", "TRUE")].map(|(k, v)| (k.into(), v.into())).into();
        assert!(flag_on(&q, "a") && flag_on(&q, "c") && flag_on(&q, "d"));
        assert!(!flag_on(&q, "b") && !flag_on(&q, "missing"));
    }
}
