//! The profile: `GET /v3/user` and `PUT /v3/user`.
//!
//! `PUT` changes only `first_name`, `last_name`, `company`, `mobile_number` and `country_code`.
//! Everything else in the body is ignored rather than refused, because the JS SDK's
//! `user.update()` sends the whole user object back (email, authtoken, roles, organisations with
//! an extra `urlPath`...). Values are validated all at once and every problem is named under
//! `errors`, so a form can mark each bad field.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;

use super::clock::stamp;
use super::http::{ApiFailure, FieldErrors, JsonBody};
use super::rules::{Field, check_profile, field};
use super::session::{Authed, org_detail};
use super::state::{AppState, OrgDetail, lock, user_answer};

/// The fields `PUT /v3/user` may change.
pub const EDITABLE_FIELDS: [&str; 5] = crate::api::rules::PROFILE_FIELDS;

/// `GET /v3/user`: the logged-in user, with its authtoken (the JS SDK only gives a user object
/// its methods when the payload has one) and, when asked, its organisations.
pub(crate) async fn get_user(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    authed: Authed,
    _body: JsonBody,
) -> Result<Response, ApiFailure> {
    let store = lock(&state.store);
    let user = store.users.get(authed.user).ok_or_else(ApiFailure::invalid_token)?;
    let view = user.view(Some(&authed.token), org_detail(&query));
    drop(store);
    Ok(user_answer(None, &view))
}

/// Validates the editable fields present in `body`; returns the new values.
fn validate(
    body: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<(&'static str, String)>, ApiFailure> {
    let mut errors = FieldErrors::default();
    let mut changes = Vec::new();
    for key in EDITABLE_FIELDS {
        let value = field(body, key);
        if matches!(value, Field::Missing) {
            continue;
        }
        match check_profile(key, value) {
            Ok(v) => changes.push((key, v)),
            Err(msg) => errors.add(key, &msg),
        }
    }
    errors.into_result()?;
    Ok(changes)
}

/// `PUT /v3/user`.
pub(crate) async fn update_user(
    State(state): State<AppState>,
    authed: Authed,
    body: JsonBody,
) -> Result<Response, ApiFailure> {
    let body = body.user()?;
    let changes = validate(&body)?;
    let now = state.clock.now();
    let mut store = lock(&state.store);
    let user = store.users.get_mut(authed.user).ok_or_else(ApiFailure::invalid_token)?;
    let mut changed = Vec::new();
    for (key, value) in changes {
        if user.profile.get(key).and_then(|v| v.as_str()) != Some(value.as_str()) {
            user.set(key, value);
            changed.push(key);
        }
    }
    if !changed.is_empty() {
        user.set("updated_at", stamp(now));
    }
    tracing::info!(email = %user.email(), fields = ?changed, "demo: profile updated");
    let view = user.view(Some(&authed.token), OrgDetail::None);
    drop(store);
    Ok(user_answer(Some("Profile updated successfully."), &view))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors_of(v: serde_json::Value) -> serde_json::Value {
        let map = v.as_object().cloned().unwrap_or_default();
        match validate(&map) {
            Ok(_) => json!(null),
            Err(e) => e.body["errors"].clone(),
        }
    }

    #[test]
    fn only_editable_fields_are_taken() {
        let map = json!({"first_name": " Jane ", "email": "x@y.z", "authtoken": "blt1", "roles": [], "active": false})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(validate(&map).ok(), Some(vec![("first_name", "Jane".to_string())]));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = errors_of(json!({
            "first_name": "", "last_name": "x".repeat(65), "company": "c".repeat(101),
            "mobile_number": "98-98", "country_code": "+91"
        }));
        for key in EDITABLE_FIELDS {
            assert!(e[key].is_array(), "{key} not reported: {e}");
        }
        assert_eq!(errors_of(json!({"company": 5}))["company"], json!(["must be text."]));
        assert_eq!(errors_of(json!({"mobile_number": "", "country_code": ""})), json!(null));
    }
}
