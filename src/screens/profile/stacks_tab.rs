//! The Stacks tab: every stack the user can reach (from the stacks call that follows the
//! profile), with its organisation, whether the user owns it, the user's roles there and when it
//! was created; stacks the user's roles name but the call did not list are kept, marked so.

use crate::api::User;
use crate::api::models::Stack;
use crate::screens::profile::details::Details;
use crate::screens::profile::tree::{ProfileTree, role_display_name};
use crate::screens::profile::{RowList, StacksStatus};

/// The Stacks tab's state.
#[derive(Debug, Default)]
pub struct StacksTab {
    /// The stacks the user can reach, from the stacks call that follows the profile (empty
    /// until it answers), and how that call went.
    pub listed: Vec<Stack>,
    pub status: StacksStatus,
    /// The tab's rows (made from `listed` and the roles), the ones the filter shows and the
    /// selected one.
    pub rows: Vec<StackRow>,
    pub list: RowList,
}

/// One stack row, made when the stacks call answers (or the profile reloads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackRow {
    /// Its name, `None` when the server sent none or did not list the stack.
    pub name: Option<String>,
    pub key: String,
    /// The organisation's name when the user's organisations tell it, else its uid.
    pub org: Option<String>,
    /// The user owns it (`owner_uid` is the user's uid).
    pub owned: bool,
    /// The user's roles in it, by name.
    pub roles: Vec<String>,
    /// Listed by the stacks call (false: only named by a role's `api_key`).
    pub listed: bool,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub description: Option<String>,
    pub master_locale: Option<String>,
    pub owner_uid: Option<String>,
}

impl StackRow {
    /// The name, or what stands for it.
    pub fn shown_name(&self) -> &str {
        match (&self.name, self.listed) {
            (Some(name), _) => name,
            (None, true) => "(name not sent)",
            (None, false) => "(not listed)",
        }
    }

    /// Whether its name, API key or organisation contains `query` (lower-cased).
    pub fn matches(&self, query: &str) -> bool {
        let has = |t: &str| t.to_lowercase().contains(query);
        self.name.as_deref().is_some_and(has) || has(&self.key) || self.org.as_deref().is_some_and(has)
    }

    pub fn details(&self) -> Details {
        let owner = match (self.owned, self.owner_uid.as_deref()) {
            (true, _) => Some("you".to_string()),
            (false, Some(uid)) => Some(format!("another user ({uid})")),
            (false, None) => None,
        };
        let listed =
            (!self.listed).then_some("no: a role of yours names it, the stacks call did not list it");
        Details::new("Stack")
            .field("Name", self.shown_name())
            .field("Stack API key", self.key.as_str())
            .maybe("Organisation", self.org.as_deref())
            .maybe("Owner", owner.as_deref())
            .list("Your roles", self.roles.clone())
            .maybe("Description", self.description.as_deref())
            .maybe("Master locale", self.master_locale.as_deref())
            .maybe("Created", self.created_at.as_deref().map(|t| crate::text::time(Some(t))).as_deref())
            .maybe("Updated", self.updated_at.as_deref().map(|t| crate::text::time(Some(t))).as_deref())
            .maybe("Listed", listed)
    }
}

/// The rows of `stacks` (as the call listed them, by name), then the stacks the tree's roles
/// name that the call did not list (in the tree's order).
pub fn stack_rows(user: &User, stacks: &[Stack], tree: &ProfileTree) -> Vec<StackRow> {
    let store = tree.rule_store();
    let mut roles_of: Vec<(&str, Vec<String>)> = Vec::new();
    for role in store.roles() {
        let key = role.api_key().unwrap_or("");
        if key.is_empty() {
            continue;
        }
        let name = role_display_name(role.name()).to_string();
        match roles_of.iter_mut().find(|(k, _)| *k == key) {
            Some((_, names)) => names.push(name),
            None => roles_of.push((key, vec![name])),
        }
    }
    let org_name = |uid: &str| {
        let orgs = user.organizations.as_deref().unwrap_or(&[]);
        orgs.iter().find(|o| o.uid == uid).and_then(|o| o.name.clone()).unwrap_or_else(|| uid.to_string())
    };
    let known = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    let mut rows: Vec<StackRow> = stacks
        .iter()
        .map(|s| StackRow {
            name: known(&s.name),
            key: s.api_key.clone(),
            org: known(&s.org_uid).map(|uid| org_name(&uid)),
            owned: s.owner_uid.as_deref().is_some_and(|o| !o.is_empty() && o == user.uid),
            roles: roles_of.iter().find(|(k, _)| *k == s.api_key).map(|(_, r)| r.clone()).unwrap_or_default(),
            listed: true,
            created_at: known(&s.created_at),
            updated_at: known(&s.updated_at),
            description: known(&s.description),
            master_locale: known(&s.master_locale),
            owner_uid: known(&s.owner_uid),
        })
        .collect();
    rows.sort_by_cached_key(|r| (r.name.as_deref().unwrap_or("").to_lowercase(), r.key.clone()));
    for (key, roles) in roles_of {
        if !stacks.iter().any(|s| s.api_key == key) {
            rows.push(StackRow {
                name: None,
                key: key.to_string(),
                org: None,
                owned: false,
                roles,
                listed: false,
                created_at: None,
                updated_at: None,
                description: None,
                master_locale: None,
                owner_uid: None,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_stacks_by_name_then_the_ones_only_roles_name() {
        let user: User = serde_json::from_value(serde_json::json!({
            "uid": "me", "email": "a@b.c",
            "organizations": [{"uid": "o1", "name": "Acme"}]
        }))
        .expect("user");
        let roles: Vec<crate::api::models::Role> = serde_json::from_value(serde_json::json!([
            {"name": "Developer", "api_key": "k_web"},
            {"name": "Ghost", "api_key": "k_gone"},
            {"name": "Editor", "api_key": "k_web"}
        ]))
        .expect("roles");
        let tree = ProfileTree::new(roles);
        let stacks: Vec<Stack> = serde_json::from_value(serde_json::json!([
            {"api_key": "k_web", "name": "Website", "org_uid": "o1", "owner_uid": "me",
             "created_at": "2024-01-02T03:04:05.000Z"},
            {"api_key": "k_blog", "name": "Blog", "org_uid": "o9", "owner_uid": "someone"}
        ]))
        .expect("stacks");
        let rows = stack_rows(&user, &stacks, &tree);
        let summary: Vec<_> =
            rows.iter().map(|r| (r.shown_name(), r.org.as_deref(), r.owned, r.roles.len())).collect();
        assert_eq!(
            summary,
            [
                ("Blog", Some("o9"), false, 0),
                ("Website", Some("Acme"), true, 2),
                ("(not listed)", None, false, 1)
            ]
        );
        assert!(rows[1].matches("acme") && rows[1].matches("k_web") && !rows[1].matches("blog"));
        let d = rows[1].details();
        assert_eq!(d.value("Your roles").as_deref(), Some("Developer\nEditor"));
        assert_eq!(d.value("Owner").as_deref(), Some("you"));
        assert_eq!(d.value("Created").as_deref(), Some("2024-01-02 03:04 UTC"));
        assert!(rows[2].details().value("Listed").is_some());
    }
}
