//! Roles for tests: the seed profile's Developer role, a role with hostile and wide text (passed
//! through the sanitiser as the API client does), and a generated 1,000 × 50 profile.

use serde_json::{Value, json};

use crate::api::models::Role;

/// The Developer role of the seed `GET /user` sample (shared/seed/000_52f46f8f69054800.txt).
pub(crate) fn developer() -> Role {
    serde_json::from_value(json!({
        "uid": "bltc0aa00ea0000b000",
        "name": "Developer",
        "description": "Developer can perform all Content Manager's actions, view audit logs, create roles, invite users, manage content types, languages, and environments.",
        "users": ["blt1d11a1d11c1b11111e111a1f", "blt22dd2fd22222222e22f2aa22", "sys_blt3a3333e33b30c3ea"],
        "created_at": "2016-03-21T10:15:09.434Z",
        "updated_at": "2018-06-20T10:44:19.618Z",
        "api_key": "blt444ad44e4d44aa4a",
        "rules": [
            {"module": "locale", "locales": ["$all"], "acl": {"read": true}},
            {"module": "environment", "environments": ["$all"], "acl": {"read": true}},
            {"module": "asset", "assets": ["$all"],
             "acl": {"create": true, "read": true, "update": true, "delete": true, "publish": true}}
        ]
    }))
    .expect("the seed role is valid")
}

/// A role whose strings hold escapes, BiDi controls, wide and combined characters, delivered the
/// way the client delivers every server string: sanitised once.
pub(crate) fn hostile() -> Role {
    let raw = json!({
        "uid": "blthostile",
        "name": "Ｒｏｌｅ 管理者\u{1b}[31mRED\u{202e}gnp.exe 👩‍💻 naïve",
        "description": "line one\nline two\ttabbed \u{9b}2J done",
        "users": ["u1"],
        "api_key": "blt\u{7}bell",
        "rules": [
            {"module": "entry\u{200f}", "content_types": ["ct_日本語_uid", "x\u{1b}]0;pwned\u{7}", "plain"],
             "acl": {"read": true, "sub_acl": {"publish": false, "削除": true}}}
        ]
    });
    serde_json::from_value(crate::sanitize::json(raw)).expect("the hostile role is valid")
}

/// The modules the generated profile cycles through.
pub(crate) const MODULES: [&str; 5] = ["asset", "entry", "content_type", "locale", "environment"];

/// A generated profile of `roles` roles × `rules` rules. Rule `j`: module `MODULES[j % 5]`;
/// acl read/create/update/delete/publish (some false), plus `sub_acl: {publish}` when `j % 4 == 0`;
/// targets `["$all"]`, or three uids when `j % 3 == 0`.
pub(crate) fn big(roles: usize, rules: usize) -> Vec<Role> {
    (0..roles)
        .map(|r| {
            let rules: Vec<Value> = (0..rules)
                .map(|j| {
                    let module = MODULES[j % MODULES.len()];
                    let mut acl = json!({
                        "read": true, "create": j % 2 == 0, "update": true, "delete": j % 3 == 0,
                        "publish": j % 5 == 0
                    });
                    if j % 4 == 0 {
                        acl["sub_acl"] = json!({"publish": j % 8 == 0});
                    }
                    let targets: Vec<String> = if j % 3 == 0 {
                        (0..3).map(|k| format!("blt{r}x{j}x{k}")).collect()
                    } else {
                        vec!["$all".to_string()]
                    };
                    let mut rule = json!({"module": module, "acl": acl});
                    rule[format!("{module}s")] = json!(targets);
                    rule
                })
                .collect();
            json!({
                "uid": format!("role{r}"), "name": format!("Role {r}"), "api_key": format!("key{}", r % 7),
                "description": format!("Generated role number {r}"), "users": ["u"], "rules": rules
            })
        })
        .map(|v| serde_json::from_value(v).expect("generated role is valid"))
        .collect()
}
