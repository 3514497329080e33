//! The demo's starting data, from JSON embedded in the binary (so `cs-account demo` needs no
//! files next to it): users in `assets/demo/users.json`, organisations in
//! `assets/demo/organizations.json`, stacks (and which organisations use SSO) in
//! `assets/demo/stacks.json`. Every seed role's `api_key` names a stack there, in one of the
//! user's organisations (a test below checks it).
//!
//! Each seed user is `{"demo": {...}, "user": {...}}`: `user` is the profile exactly as clients
//! get it; `demo` holds what the server keeps to itself (password, whether log-in needs a second
//! factor, the user's roles in each organisation, whether an activation email waits).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::generate;
use super::outbox::{Carries, Draft};
use super::state::{OneTimeToken, Store, StoredUser, email_key, one_time_token};
use crate::api::outbox::OutboxKind;

const USERS_JSON: &str = include_str!("../../assets/demo/users.json");
const ORGANIZATIONS_JSON: &str = include_str!("../../assets/demo/organizations.json");
const STACKS_JSON: &str = include_str!("../../assets/demo/stacks.json");

/// Where the demo's activation links point (the real app's URL shape; the demo serves no page).
pub(crate) const APP_URL: &str = "https://app.contentstack.com/#!";

#[derive(Deserialize)]
struct UsersFile {
    users: Vec<SeedUser>,
}

#[derive(Deserialize)]
struct SeedUser {
    demo: SeedFlags,
    user: Map<String, Value>,
}

#[derive(Deserialize)]
struct SeedFlags {
    /// Empty for an invited user who has not chosen one yet.
    #[serde(default)]
    password: String,
    #[serde(default)]
    tfa_enabled: bool,
    #[serde(default)]
    tfa_type: Option<String>,
    /// Organisation uid → the user's roles there.
    #[serde(default)]
    org_roles: HashMap<String, Value>,
    /// Put an activation email in the outbox at start.
    #[serde(default)]
    send_activation: bool,
    /// Signs in with SSO: a password log-in gives no authtoken, only browser sign-in works.
    #[serde(default)]
    sso: bool,
}

#[derive(Deserialize)]
struct OrganizationsFile {
    organizations: Vec<Map<String, Value>>,
}

#[derive(Deserialize)]
struct StacksFile {
    /// Organisations that sign in with SSO (see [`Store::sso_organizations`]).
    sso_organizations: Vec<String>,
    stacks: Vec<Map<String, Value>>,
}

/// Generated roles to put in place of the first user's: `(roles, rules per role)`.
pub(crate) type Generated = Option<(usize, usize)>;

/// Builds the store from the embedded seed. Fails only if the embedded JSON is broken, which
/// the unit tests below rule out for the shipped files.
pub(crate) fn load(now: DateTime<Utc>, generated: Generated) -> Result<Store, String> {
    let users: UsersFile =
        serde_json::from_str(USERS_JSON).map_err(|e| format!("assets/demo/users.json: {e}"))?;
    let orgs: OrganizationsFile = serde_json::from_str(ORGANIZATIONS_JSON)
        .map_err(|e| format!("assets/demo/organizations.json: {e}"))?;
    let stacks: StacksFile =
        serde_json::from_str(STACKS_JSON).map_err(|e| format!("assets/demo/stacks.json: {e}"))?;
    let mut store = Store {
        stacks: stacks.stacks,
        sso_organizations: stacks.sso_organizations.into_iter().collect(),
        ..Store::default()
    };
    for (index, seed) in users.users.into_iter().enumerate() {
        let send_activation = seed.demo.send_activation;
        let user = build_user(seed, &orgs.organizations)?;
        store.users.push(user);
        if send_activation {
            send_activation_email(&mut store, index, now);
        }
    }
    if let Some((roles, rules)) = generated {
        let first = store.users.first_mut().ok_or("assets/demo/users.json has no users")?;
        let uid = first.profile.get("uid").and_then(Value::as_str).unwrap_or_default().to_string();
        first.roles = Arc::from(generate::roles_json(roles, rules, &uid));
        let orgs: Vec<String> = first
            .organizations
            .iter()
            .filter_map(|o| o.get("uid").and_then(Value::as_str).map(str::to_string))
            .collect();
        let generated = generate::stacks(roles, &uid, &orgs);
        first.stack_keys = api_keys(generated.iter());
        store.stacks.extend(generated);
    }
    Ok(store)
}

fn build_user(seed: SeedUser, all_orgs: &[Map<String, Value>]) -> Result<StoredUser, String> {
    let mut profile = seed.user;
    let email = profile.get("email").and_then(Value::as_str).ok_or("a seed user has no email")?.to_string();
    let roles = profile.remove("roles").unwrap_or_else(|| Value::Array(Vec::new()));
    // The profile carries no token and no organisation objects: both are per answer.
    profile.remove("authtoken");
    profile.remove("organizations");
    let owned = uid_list(&profile, "org_uid");
    let shared = uid_list(&profile, "shared_org_uid");
    let mut organizations = Vec::new();
    for (uid, is_owner) in owned.iter().map(|u| (u, true)).chain(shared.iter().map(|u| (u, false))) {
        let org = all_orgs
            .iter()
            .find(|o| o.get("uid").and_then(Value::as_str) == Some(uid.as_str()))
            .ok_or_else(|| format!("{email}: organisation {uid} is not in organizations.json"))?;
        let mut org = org.clone();
        org.insert("is_owner".into(), Value::Bool(is_owner));
        let org_roles = seed.demo.org_roles.get(uid).cloned().unwrap_or_else(|| Value::Array(Vec::new()));
        org.insert("org_roles".into(), org_roles);
        organizations.push(org);
    }
    let stack_keys = api_keys(roles.as_array().into_iter().flatten().filter_map(Value::as_object));
    let roles = serde_json::to_string(&roles).map_err(|e| format!("{email}: roles: {e}"))?;
    let tfa =
        seed.demo.tfa_enabled.then(|| seed.demo.tfa_type.unwrap_or_else(|| "totp_authenticator".into()));
    Ok(StoredUser {
        key: email_key(&email),
        profile,
        roles: Arc::from(roles),
        password: seed.demo.password,
        tfa,
        organizations,
        stack_keys,
        sso: seed.demo.sso,
    })
}

/// The `api_key`s of these roles or stacks.
fn api_keys<'a>(items: impl Iterator<Item = &'a Map<String, Value>>) -> HashSet<String> {
    items.filter_map(|r| r.get("api_key").and_then(Value::as_str).map(str::to_string)).collect()
}

fn uid_list(profile: &Map<String, Value>, key: &str) -> Vec<String> {
    profile
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Issues an activation token for `user` and "emails" it.
pub(crate) fn send_activation_email(store: &mut Store, user: usize, now: DateTime<Utc>) {
    let token = one_time_token();
    let Some(u) = store.users.get(user) else { return };
    let to = u.email().to_string();
    let link = format!("{APP_URL}/activate?token={token}");
    let draft = Draft {
        kind: OutboxKind::Activation,
        user,
        to: to.clone(),
        subject: "Activate your Contentstack account".into(),
        body: format!(
            "Welcome to Contentstack!\n\nYou have been invited to Contentstack as {to}. Open this link to choose \
             your name and password and activate your account:\n{link}\n\nActivation token: {token}"
        ),
        carries: Carries::Token { token: token.clone(), link },
        expires_at: None,
    };
    store.activation_tokens.insert(token, OneTimeToken { user, expires_at: None, used: false });
    store.outbox.push(draft, now);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_seed_loads() {
        let store = load(Utc::now(), None);
        let store = match store {
            Ok(s) => s,
            Err(e) => panic!("seed does not load: {e}"),
        };
        assert_eq!(store.users.len(), 4);
        assert!(store.users[3].sso && !store.users[0].sso, "sso.user is the SSO-only one");
        let john = &store.users[0];
        assert_eq!(john.email(), "john.doe@example.com");
        assert!(john.tfa.is_none());
        assert_eq!(john.organizations.len(), 4);
        assert_eq!(john.organizations[0]["is_owner"], true);
        assert_eq!(john.organizations[1]["is_owner"], false);
        assert_eq!(john.snapshot()["roles"][0]["name"], "Developer");
        assert!(!john.profile.contains_key("roles"));
        assert_eq!(store.users[1].tfa.as_deref(), Some("totp_authenticator"));
        assert!(!store.users[2].is_active());
        let mail = store.outbox.all(Utc::now());
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].kind, OutboxKind::Activation);
        assert_eq!(mail[0].to, "new.user@example.com");
        let token = mail[0].token.clone().unwrap_or_default();
        assert_eq!(store.activation_tokens.get(&token).map(|t| t.user), Some(2));
    }

    #[test]
    fn every_role_names_a_stack_in_one_of_its_users_organisations() {
        for generated in [None, Some((40, 1))] {
            let store = load(Utc::now(), generated).unwrap_or_default();
            for (i, user) in store.users.iter().enumerate() {
                let orgs = store.organization_uids(i);
                let visible = store.visible_stacks(i);
                for key in &user.stack_keys {
                    let stack = visible.iter().find(|s| s["api_key"] == key.as_str());
                    assert!(stack.is_some(), "{}: no stack for {key}", user.email());
                }
                for stack in &visible {
                    let org = stack["org_uid"].as_str().unwrap_or_default();
                    assert!(orgs.contains(&org), "{}: {} is in {org}", user.email(), stack["name"]);
                    for key in ["uid", "name", "description", "owner_uid", "master_locale", "created_at"] {
                        assert!(stack[key].is_string(), "{}: {key}", stack["name"]);
                    }
                }
            }
            let john = store.visible_stacks(0);
            let owned = john.iter().filter(|s| s["owner_uid"] == "blt22e22222d22d2f22222a2b2f").count();
            assert!(owned >= 2, "john owns some of his stacks");
            assert!(owned < john.len(), "and is only shared others");
        }
        let store = load(Utc::now(), None).unwrap_or_default();
        let names: Vec<&str> = store.visible_stacks(1).iter().filter_map(|s| s["name"].as_str()).collect();
        assert_eq!(names, ["Product catalogue (EU)", "Newsroom"]);
        assert!(store.visible_stacks(2).is_empty(), "the new user has no stacks");
        assert!(store.organization_uids(1).iter().any(|o| store.sso_organizations.contains(*o)));
        assert!(!store.organization_uids(0).iter().any(|o| store.sso_organizations.contains(*o)));
        let generated = load(Utc::now(), Some((1000, 1))).unwrap_or_default();
        assert_eq!(generated.visible_stacks(0).len(), 200 + 2, "200 generated and the 2 john owns");
    }

    #[test]
    fn generated_roles_replace_the_first_users() {
        let store = load(Utc::now(), Some((3, 4))).unwrap_or_default();
        let roles = store.users[0].snapshot()["roles"].as_array().cloned().unwrap_or_default();
        assert_eq!(roles.len(), 3);
        assert_eq!(roles[0]["rules"].as_array().map(Vec::len), Some(4));
        assert_eq!(
            store.users[1].snapshot()["roles"][0]["name"],
            "Content Manager",
            "other users keep theirs"
        );
    }
}
