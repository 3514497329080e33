//! Every stack the user can see, across organisations.
//!
//! `GET /v3/stacks` lists the stacks owned by or shared with the user. For SSO-enabled
//! organisations "it is mandatory to pass the organization UID in the header" (Contentstack's
//! "CMA | Stacks" page, <https://www.contentstack.com/docs/developers/apis/content-management-api/stacks>),
//! so a session in such an organisation may have the plain call refused. [`all_stacks`] then
//! asks once per organisation the user belongs to (from `GET /user`'s organisations) and merges
//! the answers.
//!
//! The refusal itself is not documented (no status, code or message in the docs, SDKs or CLI),
//! so [`may_need_organization`] treats any refusal of the request as possibly that one, except
//! those that say something else for sure: the token (401), the rate limit, the server, the
//! network. The cost of a wrong guess is one request per organisation, answered with the same
//! refusal, which is then reported.

use std::collections::HashSet;

use super::credential::Auth;

use super::client::Client;
use super::error::ApiError;
use super::models::Stack;

/// What [`all_stacks`] found.
#[derive(Debug, Default)]
pub struct StackListing {
    /// Each stack once (by API key), in the order the answers gave them.
    pub stacks: Vec<Stack>,
    /// True when the plain call was refused and each organisation was asked on its own.
    pub per_organization: bool,
    /// Organisations whose stacks could not be listed, with why (only when
    /// [`StackListing::per_organization`]).
    pub failed: Vec<(String, ApiError)>,
}

/// Whether a refusal of the plain `GET /stacks` may be an SSO-enabled organisation asking for
/// the `organization_uid` header: a 403, a 422/400 or any other refusal of the request. Not a
/// 401 (the token is not valid: asking again per organisation cannot help), a rate limit, a
/// server error, a network failure or an unreadable answer.
pub fn may_need_organization(e: &ApiError) -> bool {
    match e {
        ApiError::Unauthorized { status, .. } => *status == 403,
        ApiError::Validation { .. } | ApiError::Rejected { .. } => true,
        _ => false,
    }
}

/// The plain `GET /stacks`; when it is refused as an SSO-enabled organisation refuses it (see
/// [`may_need_organization`]), [`per_organization`] with `organizations`. Fails with the plain
/// call's error when that error is of another kind or there are no organisations to ask.
pub async fn all_stacks<'a>(
    client: &Client,
    token: impl Into<Auth<'a>>,
    organizations: &[String],
) -> Result<StackListing, ApiError> {
    let token: Auth<'a> = token.into();
    match client.get_stacks(token, None).await {
        Ok(stacks) => Ok(StackListing::from_plain(stacks)),
        Err(e) if may_need_organization(&e) && organizations.iter().any(|o| !o.trim().is_empty()) => {
            per_organization(client, token, organizations, e).await
        }
        Err(e) => Err(e),
    }
}

/// After the plain call was `refused`: `GET /stacks` once per organisation in `organizations`
/// (each once, with its `organization_uid` header), merged. Fails with a 401 as soon as one
/// comes (the session is gone), and with the first organisation's error when no organisation
/// could be listed (`refused` when there was none to ask); the organisations that failed
/// otherwise are in [`StackListing::failed`].
pub async fn per_organization<'a>(
    client: &Client,
    token: impl Into<Auth<'a>>,
    organizations: &[String],
    refused: ApiError,
) -> Result<StackListing, ApiError> {
    let token: Auth<'a> = token.into();
    let mut asked: Vec<&str> = Vec::new();
    for org in organizations.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        if !asked.contains(&org) {
            asked.push(org);
        }
    }
    tracing::info!(
        organizations = asked.len(),
        refused = %refused.user_message(),
        "the stacks call was refused; asking per organisation"
    );
    let mut answers = Vec::new();
    let mut failed = Vec::new();
    for org in &asked {
        match client.get_stacks(token, Some(org)).await {
            Ok(stacks) => answers.push(stacks),
            Err(e @ ApiError::Unauthorized { status: 401, .. }) => return Err(e),
            Err(e) => failed.push((org.to_string(), e)),
        }
    }
    if answers.is_empty() {
        return Err(failed.into_iter().next().map(|(_, e)| e).unwrap_or(refused));
    }
    Ok(StackListing { stacks: merged(answers), per_organization: true, failed })
}

impl StackListing {
    /// The answer of the plain call.
    pub fn from_plain(stacks: Vec<Stack>) -> StackListing {
        StackListing { stacks: merged(vec![stacks]), ..StackListing::default() }
    }
}

/// The stacks of several answers, each once: by API key, or by uid for one without a key
/// (a stack with neither is kept, as nothing says it is a repeat).
fn merged(answers: Vec<Vec<Stack>>) -> Vec<Stack> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for stack in answers.into_iter().flatten() {
        let key = if stack.api_key.is_empty() {
            stack.uid.clone().map(|uid| format!("uid:{uid}"))
        } else {
            Some(format!("key:{}", stack.api_key))
        };
        if key.is_none_or(|k| seen.insert(k)) {
            out.push(stack);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(api_key: &str, uid: Option<&str>) -> Stack {
        Stack { api_key: api_key.into(), uid: uid.map(str::to_string), ..Stack::default() }
    }

    #[test]
    fn merged_keeps_each_stack_once_in_order() {
        let a = vec![stack("k1", Some("s1")), stack("k2", Some("s2"))];
        let b = vec![stack("k2", Some("s2")), stack("", Some("s3")), stack("", Some("s3")), stack("", None)];
        let c = vec![stack("k3", None), stack("", None)];
        let keys: Vec<(String, Option<String>)> =
            merged(vec![a, b, c]).into_iter().map(|s| (s.api_key, s.uid)).collect();
        assert_eq!(
            keys,
            vec![
                ("k1".into(), Some("s1".into())),
                ("k2".into(), Some("s2".into())),
                ("".into(), Some("s3".into())),
                ("".into(), None),
                ("k3".into(), None),
                ("".into(), None),
            ]
        );
    }

    #[test]
    fn only_refusals_of_the_request_are_retried_per_organisation() {
        let unauthorized =
            |status| ApiError::Unauthorized { status, code: Some(105), message: String::new() };
        assert!(may_need_organization(&unauthorized(403)));
        assert!(!may_need_organization(&unauthorized(401)));
        assert!(may_need_organization(&ApiError::Validation {
            status: 422,
            code: None,
            message: String::new(),
            errors: Default::default()
        }));
        assert!(may_need_organization(&ApiError::Rejected {
            status: 412,
            code: None,
            message: String::new()
        }));
        assert!(!may_need_organization(&ApiError::Server {
            status: 503,
            code: None,
            message: String::new()
        }));
        assert!(!may_need_organization(&ApiError::RateLimited {
            message: String::new(),
            retry_after: None,
            limit: None,
            remaining: None
        }));
        assert!(!may_need_organization(&ApiError::Decode { status: 200, detail: String::new() }));
    }
}
