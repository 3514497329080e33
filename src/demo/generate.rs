//! Large, varied role lists (`--roles N --rules M`), to show how the TUI copes with big
//! profiles: thousands of rules, every module, nested ACLs, long target lists.
//!
//! Output depends only on the indexes (no randomness), so two runs serve the same profile and a
//! test can assert on it. 1000 roles × 50 rules build in well under 200 ms.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::clock::stamp;

/// Modules rules are spread over, and the key their targets come under.
const MODULES: [(&str, &str); 10] = [
    ("content_type", "content_types"),
    ("entry", "entries"),
    ("asset", "assets"),
    ("folder", "folders"),
    ("locale", "locales"),
    ("environment", "environments"),
    ("branch", "branches"),
    ("branch_alias", "branch_aliases"),
    ("taxonomy", "taxonomies"),
    ("workflow_stage", "workflow_stages"),
];

const TEAMS: [&str; 8] =
    ["Editors", "Reviewers", "Developers", "Publishers", "Translators", "Admins", "Marketing", "Legal"];

/// How many distinct stacks the generated roles belong to.
const STACKS: u64 = 25;

/// SplitMix64: a tiny, well-mixed hash of an index, for uids and choices.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A Contentstack-looking uid for `(kind, index)`.
fn uid(kind: u64, index: u64) -> String {
    format!("blt{:016x}", mix(kind.wrapping_mul(0x1_0000_0000).wrapping_add(index)))
}

/// `count` roles of `rules` rules each. `owner_uid` (the demo user) is among the users of every
/// other role.
pub(crate) fn roles(count: usize, rules: usize, owner_uid: &str) -> Value {
    let base = DateTime::parse_from_rfc3339("2020-01-06T09:00:00.000Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    Value::Array((0..count).map(|i| role(i as u64, rules, owner_uid, base)).collect())
}

fn role(i: u64, rules: usize, owner_uid: &str, base: DateTime<Utc>) -> Value {
    let h = mix(i);
    let team = TEAMS[(h % TEAMS.len() as u64) as usize];
    let user_count = 1 + (h >> 8) % 12;
    let mut users: Vec<Value> = (0..user_count).map(|u| Value::String(uid(1, i * 16 + u))).collect();
    if i.is_multiple_of(2) {
        users[0] = Value::String(owner_uid.to_string());
    }
    let created = base + Duration::days(i as i64 % 1500);
    let updated = created + Duration::hours(((h >> 16) % 20_000) as i64);
    let mut m = Map::new();
    m.insert("uid".into(), Value::String(uid(2, i)));
    m.insert("name".into(), Value::String(format!("Role {i:04} · {team}")));
    m.insert(
        "description".into(),
        Value::String(format!(
            "Generated role {i} for the {team} team, with {rules} rules across every module."
        )),
    );
    m.insert("users".into(), Value::Array(users));
    m.insert("created_at".into(), Value::String(stamp(created)));
    m.insert("updated_at".into(), Value::String(stamp(updated)));
    m.insert("api_key".into(), Value::String(uid(3, i % STACKS)));
    m.insert("rules".into(), Value::Array((0..rules as u64).map(|j| rule(i, j)).collect()));
    Value::Object(m)
}

fn rule(i: u64, j: u64) -> Value {
    let h = mix(i.wrapping_mul(1_000_003).wrapping_add(j));
    let (module, key) = MODULES[((i + j) % MODULES.len() as u64) as usize];
    let mut m = Map::new();
    m.insert("module".into(), Value::String(module.into()));
    m.insert(key.into(), targets(module, h));
    m.insert("acl".into(), Value::Object(acl(module, h)));
    Value::Object(m)
}

/// `["$all"]` for about a third of rules, else one to four uids (or names, for locales and
/// branches, as Contentstack uses codes there).
fn targets(module: &str, h: u64) -> Value {
    if h.is_multiple_of(3) {
        return Value::Array(vec![Value::String("$all".into())]);
    }
    let n = 1 + (h >> 4) % 4;
    let items = (0..n).map(|k| {
        let s = match module {
            "locale" => ["en-us", "fr-fr", "de-de", "ja-jp", "pt-br", "hi-in"][((h >> (8 + k)) % 6) as usize]
                .to_string(),
            "branch" | "branch_alias" => {
                ["main", "develop", "release", "staging"][((h >> (8 + k)) % 4) as usize].into()
            }
            _ => uid(4, (h >> 12).wrapping_add(k)),
        };
        Value::String(s)
    });
    Value::Array(items.collect())
}

fn acl(module: &str, h: u64) -> Map<String, Value> {
    let bit = |n: u32| (h >> (20 + n)) & 1 == 1;
    let mut acl = Map::new();
    let full = ["create", "read", "update", "delete", "publish"];
    let keys: &[&str] = match module {
        "content_type" | "entry" | "asset" | "folder" => &full,
        "taxonomy" => &full[..4],
        "workflow_stage" | "branch" | "branch_alias" => &full[1..3],
        _ => &full[1..2],
    };
    for (n, k) in keys.iter().enumerate() {
        // Read is nearly always granted; the other rights vary.
        let allowed = if *k == "read" { !h.is_multiple_of(17) } else { bit(n as u32) };
        acl.insert((*k).into(), Value::Bool(allowed));
    }
    let nested = matches!(module, "content_type" | "taxonomy" | "folder") && h.is_multiple_of(4);
    if nested {
        let mut sub = Map::new();
        for (n, k) in full.iter().enumerate() {
            sub.insert((*k).into(), Value::Bool(bit(8 + n as u32)));
        }
        acl.insert("sub_acl".into(), Value::Object(sub));
    }
    acl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let a = roles(40, 20, "bltowner");
        assert_eq!(a, roles(40, 20, "bltowner"));
        let list = a.as_array().cloned().unwrap_or_default();
        assert_eq!(list.len(), 40);
        let name = list[2]["name"].as_str().unwrap_or_default();
        assert!(name.starts_with("Role 0002 · ") && TEAMS.iter().any(|t| name.ends_with(t)), "{name}");
        let teams: std::collections::HashSet<&str> =
            list.iter().filter_map(|r| r["name"].as_str()?.split(" · ").nth(1)).collect();
        assert!(teams.len() > 4, "{teams:?}");
        let rules: Vec<&Value> =
            list.iter().flat_map(|r| r["rules"].as_array().into_iter().flatten()).collect();
        assert_eq!(rules.len(), 800);
        for (module, key) in MODULES {
            let of = rules.iter().filter(|r| r["module"] == module).collect::<Vec<_>>();
            assert!(!of.is_empty(), "{module} missing");
            assert!(of.iter().all(|r| r[key].is_array()), "{module} targets under {key}");
        }
        assert!(rules.iter().any(|r| r["acl"]["sub_acl"].is_object()), "some nested acls");
        assert!(rules.iter().any(|r| r["content_types"] == serde_json::json!(["$all"])));
        assert!(rules.iter().any(|r| r["entries"].as_array().is_some_and(|t| t.len() > 1)));
        let sizes: std::collections::HashSet<usize> =
            list.iter().filter_map(|r| r["users"].as_array().map(Vec::len)).collect();
        assert!(sizes.len() > 3, "user lists vary in size: {sizes:?}");
        assert_eq!(list[0]["users"][0], "bltowner");
        assert!(list[0]["uid"].as_str().is_some_and(|u| u.starts_with("blt") && u.len() == 19));
    }

    #[test]
    fn big_profiles_build_fast() {
        let start = std::time::Instant::now();
        let v = roles(1000, 50, "bltowner");
        let took = start.elapsed();
        assert_eq!(v.as_array().map(Vec::len), Some(1000));
        // Generous in debug builds; the release build takes a fraction of this.
        assert!(
            took < std::time::Duration::from_millis(if cfg!(debug_assertions) { 1500 } else { 200 }),
            "{took:?}"
        );
    }
}
