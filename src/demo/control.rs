//! Demo-only routes under `/demo`, for the TUI's demo panel and for tests driving the server
//! over HTTP: read the outbox, set or clear faults, read or move the clock. They are exempt from
//! faults and the rate limit, so a test can always undo what it set.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::clock::stamp;
use super::faults::Faults;
use super::http::{ApiFailure, FieldErrors, JsonBody, json_response};
use super::state::{AppState, lock};

/// `GET /demo/outbox[?to=ADDRESS][&kind=sms]`: `{"messages": [...]}`, oldest first.
pub(crate) async fn outbox(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let all = lock(&state.store).outbox.all(state.clock.now());
    let to = q.get("to").map(|s| s.trim().to_lowercase());
    let kind = q.get("kind").map(|s| s.trim().to_lowercase());
    let messages: Vec<_> = all
        .into_iter()
        .filter(|m| to.as_ref().is_none_or(|t| m.to.to_lowercase() == *t))
        .filter(|m| kind.as_ref().is_none_or(|k| m.kind.as_str() == k))
        .collect();
    json_response(StatusCode::OK, &json!({ "messages": messages }))
}

/// `GET /demo/faults`: the faults in force (with `times` as left now).
pub(crate) async fn get_faults(State(state): State<AppState>) -> Response {
    let faults = lock(&state.faults).clone();
    json_response(StatusCode::OK, &faults)
}

/// `PUT /demo/faults`: replaces the faults in force. The body is capped at
/// [`MAX_FAULTS_BODY`](super::faults::MAX_FAULTS_BODY) and the routes at
/// [`MAX_ROUTES`](super::faults::MAX_ROUTES).
pub(crate) async fn put_faults(
    State(state): State<AppState>,
    body: JsonBody<{ super::faults::MAX_FAULTS_BODY }>,
) -> Result<Response, ApiFailure> {
    let value = body.0.unwrap_or(Value::Object(Default::default()));
    let faults: Faults = serde_json::from_value(value).map_err(|e| {
        let mut errors = FieldErrors::default();
        errors.add("faults", &format!("could not be read: {e}."));
        ApiFailure::validation(errors)
    })?;
    faults.validate()?;
    let faults = faults.normalised();
    tracing::info!(?faults, "demo: faults set");
    *lock(&state.faults) = faults.clone();
    Ok(json_response(StatusCode::OK, &faults))
}

/// `DELETE /demo/faults`: back to a well-behaved server.
pub(crate) async fn clear_faults(State(state): State<AppState>) -> Response {
    *lock(&state.faults) = Faults::default();
    tracing::info!("demo: faults cleared");
    json_response(StatusCode::OK, &Faults::default())
}

fn clock_value(state: &AppState) -> Value {
    json!({ "now": stamp(state.clock.now()), "offset_secs": state.clock.offset_secs() })
}

/// `GET /demo/clock`: `{"now": RFC 3339, "offset_secs": N}`.
pub(crate) async fn get_clock(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, &clock_value(&state))
}

/// `POST /demo/clock` with `{"advance_secs": N}` (N ≥ 0): moves the demo clock forward.
pub(crate) async fn advance_clock(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Response, ApiFailure> {
    let secs =
        body.0.as_ref().and_then(|b| b.get("advance_secs")).and_then(Value::as_u64).ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.add("advance_secs", "must be a whole number of seconds, 0 or more.");
            ApiFailure::validation(errors)
        })?;
    state.clock.advance(Duration::from_secs(secs));
    tracing::info!(secs, "demo: clock advanced");
    Ok(json_response(StatusCode::OK, &clock_value(&state)))
}
