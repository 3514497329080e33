//! Typed views of what Contentstack's user API returns.
//!
//! Every field is optional except a user's `uid` and `email`: real responses vary by plan, region
//! and query flags, and the official SDKs' mocks disagree. A field of the wrong type reads as
//! absent (see [`super::lenient`]), so one odd value never hides a whole profile. Unknown fields
//! are kept in `extra`, so the profile can show everything the server sent. Strings here are already sanitised (see
//! [`crate::sanitize`]); the authtoken is the one value kept raw, as a secret.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient::Model;
use super::lenient::model::model;

impl Model for Role {}
impl Model for Rule {}
impl Model for Organization {}
impl Model for OrgRole {}
impl Model for Stack {}

model! {
    /// A Contentstack user, as `GET /v3/user` and the log-in call return it.
    #[derive(Debug, Clone, Default)]
    pub struct User {
        @required {
            uid: String,
            email: String,
        }
        username: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        company: Option<String>,
        mobile_number: Option<String>,
        country_code: Option<String>,
        tfa_status: Option<String>,
        authy_id: Option<String>,
        active: Option<bool>,
        failed_attempts: Option<i64>,
        profile_type: Option<String>,
        created_at: Option<String>,
        updated_at: Option<String>,
        last_login_at: Option<String>,
        password_updated_at: Option<String>,
        password_reset_required: Option<bool>,
        org_uid: Vec<String>,
        shared_org_uid: Vec<String>,
        roles: Vec<Role>,
        /// Present when the request asked for `include_orgs` or `include_orgs_roles`.
        organizations: Option<Vec<Organization>>,
        /// Kept generic: its shape differs between responses (`settings.global[]` in the update
        /// sample, `settings.preferences.global[]` elsewhere). See [`User::favorite_stacks`].
        settings: Option<Value>,
        ;
        /// Everything else the server sent, shown as it came.
        extra: Map<String, Value>
        ;
        /// The session token, when the response carried one. Never serialised.
        authtoken: Option<SecretString>
    }
}

/// Favourite stacks of one organisation, from the user's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FavoriteStacks {
    pub org_uid: String,
    pub api_keys: Vec<String>,
}

impl User {
    /// "First Last", or whichever part exists, or the email.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() { self.email.clone() } else { name }
    }

    /// Mobile number with its country code, `+91 9898989898`, when there is one.
    pub fn mobile(&self) -> Option<String> {
        match (self.country_code.as_deref(), self.mobile_number.as_deref()) {
            (_, None) | (_, Some("")) => None,
            (Some(cc), Some(n)) if !cc.is_empty() => Some(format!("+{cc} {n}")),
            (_, Some(n)) => Some(n.to_string()),
        }
    }

    /// The favourite stacks found in the settings, whichever of the known shapes they come in.
    pub fn favorite_stacks(&self) -> Vec<FavoriteStacks> {
        let Some(settings) = &self.settings else { return Vec::new() };
        let lists = [settings.get("global"), settings.get("preferences").and_then(|p| p.get("global"))];
        let mut out = Vec::new();
        for entry in lists.into_iter().flatten().filter_map(Value::as_array).flatten() {
            if entry.get("key").and_then(Value::as_str) != Some("favorite_stacks") {
                continue;
            }
            for org in entry.get("value").and_then(Value::as_array).into_iter().flatten() {
                let org_uid = org.get("org_uid").and_then(Value::as_str).unwrap_or("").to_string();
                let api_keys = org
                    .get("stacks")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.get("api_key").and_then(Value::as_str).map(str::to_string))
                    .collect();
                out.push(FavoriteStacks { org_uid, api_keys });
            }
        }
        out
    }
}

model! {
    /// A stack role the user holds.
    #[derive(Debug, Clone, Default)]
    pub struct Role {
        uid: Option<String>,
        name: Option<String>,
        description: Option<String>,
        users: Vec<String>,
        /// The stack the role belongs to.
        api_key: Option<String>,
        rules: Vec<Rule>,
        created_at: Option<String>,
        updated_at: Option<String>,
        ;
        extra: Map<String, Value>
    }
}

model! {
    /// One permission rule of a role: a module, what may be done (`acl`), and on what (targets).
    ///
    /// Rules are generic on purpose: the targets come under a key named after the module
    /// (`locales`, `environments`, `assets`, `content_types`, `branches`, ...), and `acl` nests
    /// (`"acl": {"read": true, "sub_acl": {"publish": false}}`).
    #[derive(Debug, Clone, Default)]
    pub struct Rule {
        module: Option<String>,
        acl: Map<String, Value>,
        ;
        /// Every other key: the target lists, and anything else the server sent.
        other: Map<String, Value>
    }
}

/// One right in a rule's acl, flattened: `["sub_acl", "publish"]` → `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclFlag {
    pub path: Vec<String>,
    pub allowed: bool,
}

impl Rule {
    /// The module name, or `"(no module)"`.
    pub fn module_name(&self) -> &str {
        self.module.as_deref().unwrap_or("(no module)")
    }

    /// The target lists: every key whose value is an array of strings (`$all` included).
    pub fn targets(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        self.other.iter().filter_map(|(k, v)| {
            let items = v.as_array()?;
            let strs: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (strs.len() == items.len()).then_some((k.as_str(), strs))
        })
    }

    /// Every boolean in the acl, depth first, in the server's order. Non-boolean leaves are
    /// skipped here; they still show in the raw view.
    pub fn acl_flags(&self) -> Vec<AclFlag> {
        fn walk(map: &Map<String, Value>, prefix: &mut Vec<String>, out: &mut Vec<AclFlag>) {
            for (k, v) in map {
                prefix.push(k.clone());
                match v {
                    Value::Bool(b) => out.push(AclFlag { path: prefix.clone(), allowed: *b }),
                    Value::Object(inner) => walk(inner, prefix, out),
                    _ => {}
                }
                prefix.pop();
            }
        }
        let mut out = Vec::new();
        walk(&self.acl, &mut Vec::new(), &mut out);
        out
    }
}

model! {
    /// An organisation the user belongs to (sent with `include_orgs` / `include_orgs_roles`).
    #[derive(Debug, Clone, Default)]
    pub struct Organization {
        /// Empty when the server sent none (or not as text).
        uid: String,
        name: Option<String>,
        plan_id: Option<String>,
        expires_on: Option<String>,
        enabled: Option<bool>,
        is_owner: Option<bool>,
        org_roles: Vec<OrgRole>,
        ;
        extra: Map<String, Value>
    }
}

model! {
    /// A role within an organisation.
    #[derive(Debug, Clone, Default)]
    pub struct OrgRole {
        uid: Option<String>,
        name: Option<String>,
        admin: Option<bool>,
        ;
        extra: Map<String, Value>
    }
}

model! {
    /// A stack the user owns or shares, as `GET /v3/stacks` lists it.
    ///
    /// The wire shape is `{"stacks": [{...}, ...]}`, each with `uid`, `name`, `description`,
    /// `api_key`, `org_uid`, `owner_uid`, `master_locale`, `created_at` and `updated_at`, plus
    /// fields this app does not read (`user_uids`, `settings`, `SYS_ACL`, `is_asset_download_public`),
    /// kept in `extra`. Sources: Contentstack's "CMA | Stacks" page
    /// (<https://www.contentstack.com/docs/developers/apis/content-management-api/stacks>, "Get all
    /// stacks"), the Python SDK's mock `tests/resources/mockstack/stacks.json`
    /// (contentstack/contentstack-management-python) and the JS SDK's `StackCollection`, which reads
    /// `data.stacks` (contentstack/contentstack-management-javascript `lib/stack/index.js`).
    ///
    /// Lenient like the other models: only `api_key` always has a value (empty when absent or not
    /// text), as it is what ties a stack to the user's roles.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Stack {
        uid: Option<String>,
        name: Option<String>,
        description: Option<String>,
        /// The stack's API key, which roles name it by (`Role::api_key`).
        api_key: String,
        /// The organisation the stack belongs to.
        org_uid: Option<String>,
        owner_uid: Option<String>,
        master_locale: Option<String>,
        created_at: Option<String>,
        updated_at: Option<String>,
        ;
        extra: Map<String, Value>
    }
}

impl Stack {
    /// The stack's name, or its API key when it has none.
    pub fn display_name(&self) -> &str {
        match self.name.as_deref() {
            Some(name) if !name.trim().is_empty() => name,
            _ => &self.api_key,
        }
    }

    /// Whether `user_uid` owns the stack (as opposed to it being shared with them).
    pub fn is_owned_by(&self, user_uid: &str) -> bool {
        !user_uid.is_empty() && self.owner_uid.as_deref() == Some(user_uid)
    }
}

/// The fields `PUT /v3/user` may change. Only the `Some` ones are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
}

impl UserUpdate {
    /// True when nothing would be sent.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Keeps only the fields whose value differs from the user's current one, so that a save
    /// never overwrites a field the user did not touch.
    pub fn changes_from(&self, current: &User) -> UserUpdate {
        fn keep(new: &Option<String>, old: &Option<String>) -> Option<String> {
            let new = new.as_ref()?;
            (new != old.as_deref().unwrap_or("")).then(|| new.clone())
        }
        UserUpdate {
            first_name: keep(&self.first_name, &current.first_name),
            last_name: keep(&self.last_name, &current.last_name),
            company: keep(&self.company, &current.company),
            mobile_number: keep(&self.mobile_number, &current.mobile_number),
            country_code: keep(&self.country_code, &current.country_code),
        }
    }

    /// The set fields as `(name, value)` pairs, in form order.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("company", &self.company),
            ("mobile_number", &self.mobile_number),
            ("country_code", &self.country_code),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// A plain `{"notice": "..."}` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Notice {
    #[serde(default)]
    pub notice: String,
}

/// What a successful log-in gives: the server's notice, the user, and the new session token.
#[derive(Debug, Clone)]
pub struct LoginSuccess {
    pub notice: String,
    pub user: User,
    pub authtoken: SecretString,
}

/// The profile `GET /user` answers: the user (its `roles` empty) and the roles, rules
/// included, in the flat store the profile screen shows them from (see
/// [`crate::api::profile_store`]).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub user: User,
    /// Boxed: a profile travels in the app's replies, which stay small.
    pub roles: Box<crate::api::profile_store::RuleStore>,
}

/// A user's models as a profile: its roles moved into a store.
impl From<User> for Profile {
    fn from(mut user: User) -> Profile {
        let roles = Box::new(std::mem::take(&mut user.roles).into());
        Profile { user, roles }
    }
}

/// What a successful profile update gives.
#[derive(Debug, Clone)]
pub struct UpdateSuccess {
    pub notice: String,
    pub user: User,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_user() -> User {
        serde_json::from_value(serde_json::json!({
            "uid": "blt1", "email": "a@b.c", "first_name": "John", "last_name": "Doe",
            "country_code": "91", "mobile_number": "9898989898", "brand_new_field": {"x": 1},
            "roles": [{"uid": "r1", "name": "Developer", "rules": [
                {"module": "asset", "assets": ["$all"], "acl": {"read": true, "sub_acl": {"publish": false}}}
            ]}],
            "settings": {"global": [{"key": "favorite_stacks", "value": [
                {"org_uid": "o1", "stacks": [{"api_key": "k1"}, {"api_key": "k2"}]}]}]}
        }))
        .expect("valid user")
    }

    #[test]
    fn unknown_fields_are_kept() {
        let u = seed_user();
        assert_eq!(u.extra["brand_new_field"]["x"], 1);
        assert_eq!(u.display_name(), "John Doe");
        assert_eq!(u.mobile().as_deref(), Some("+91 9898989898"));
    }

    #[test]
    fn rules_are_generic() {
        let u = seed_user();
        let rule = &u.roles[0].rules[0];
        assert_eq!(rule.targets().collect::<Vec<_>>(), vec![("assets", vec!["$all"])]);
        let flags = rule.acl_flags();
        assert_eq!(flags[0], AclFlag { path: vec!["read".into()], allowed: true });
        assert_eq!(flags[1], AclFlag { path: vec!["sub_acl".into(), "publish".into()], allowed: false });
    }

    #[test]
    fn favorite_stacks_are_found() {
        let favs = seed_user().favorite_stacks();
        assert_eq!(
            favs,
            vec![FavoriteStacks { org_uid: "o1".into(), api_keys: vec!["k1".into(), "k2".into()] }]
        );
    }

    #[test]
    fn update_keeps_only_changes() {
        let u = seed_user();
        let draft = UserUpdate {
            first_name: Some("John".into()),
            last_name: Some("Smith".into()),
            company: Some(String::new()),
            ..Default::default()
        };
        let changes = draft.changes_from(&u);
        assert_eq!(changes.fields(), vec![("last_name", "Smith")]);
        let body = serde_json::to_value(&changes).expect("serialises");
        assert_eq!(body, serde_json::json!({"last_name": "Smith"}));
    }
}
