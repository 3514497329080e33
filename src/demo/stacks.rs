//! `GET /v3/stacks`: the stacks the user's roles belong to and those they own, as
//! `{"stacks": [...]}` (the shape of Contentstack's "CMA | Stacks" page, "Get all stacks", and of
//! the Python SDK's mock `tests/resources/mockstack/stacks.json`).
//!
//! The `organization_uid` header narrows the list to that organisation. Contentstack says it is
//! "mandatory" for SSO-enabled organisations but not how a call without it is refused, nor how
//! an organisation the user is not in is; the demo picks (unconfirmed, see
//! [`super::http`]): a member of an SSO organisation gets 422 / [`CODE_ORGANIZATION_REQUIRED`]
//! for the plain call, and an organisation the user is not in (or that does not exist) is 422 /
//! [`CODE_NOT_IN_ORGANIZATION`]. 422 is what Contentstack answers most refusals of a well-formed
//! request with (see `docs/contentstack-api.md` §2.2).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::http::{ApiFailure, JsonBody, json_response};
use super::session::Authed;
use super::state::{AppState, lock};

/// Error code of a plain `GET /stacks` by a member of an SSO-enabled organisation.
pub const CODE_ORGANIZATION_REQUIRED: i64 = 120;
/// Error code of an `organization_uid` the user does not belong to.
pub const CODE_NOT_IN_ORGANIZATION: i64 = 121;

/// `GET /v3/stacks`, optionally with an `organization_uid` header.
pub(crate) async fn get_stacks(
    State(state): State<AppState>,
    headers: HeaderMap,
    authed: Authed,
    _body: JsonBody,
) -> Result<Response, ApiFailure> {
    // A value that is not text cannot name one of the user's organisations.
    let asked = headers
        .get("organization_uid")
        .map(|v| v.to_str().map(str::trim).unwrap_or("\u{fffd}"))
        .filter(|v| !v.is_empty());
    let store = lock(&state.store);
    let orgs = store.organization_uids(authed.user);
    let visible = store.visible_stacks(authed.user);
    let stacks: Vec<&serde_json::Map<String, Value>> = match asked {
        Some(org) if !orgs.contains(&org) => {
            return Err(ApiFailure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                CODE_NOT_IN_ORGANIZATION,
                "You are not a member of the organization named in the organization_uid header, or it does not exist.",
                Some(json!({ "organization_uid": ["is not valid."] })),
            ));
        }
        Some(org) => {
            visible.into_iter().filter(|s| s.get("org_uid").and_then(Value::as_str) == Some(org)).collect()
        }
        None => {
            if let Some(sso) = orgs.iter().find(|o| store.sso_organizations.contains(**o)) {
                let name = store.users[authed.user]
                    .organizations
                    .iter()
                    .find(|o| o.get("uid").and_then(Value::as_str) == Some(sso))
                    .and_then(|o| o.get("name").and_then(Value::as_str))
                    .unwrap_or(sso);
                return Err(ApiFailure::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    CODE_ORGANIZATION_REQUIRED,
                    format!(
                        "The organization '{name}' signs in with SSO: pass the organization UID in the organization_uid header."
                    ),
                    None,
                ));
            }
            visible
        }
    };
    let answer = json_response(StatusCode::OK, &json!({ "stacks": stacks }));
    drop(store);
    Ok(answer)
}
