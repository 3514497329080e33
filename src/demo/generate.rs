//! Large, varied role lists (`--roles N --rules M`), to show how the TUI copes with big
//! profiles: thousands of rules, every module, nested ACLs, long target lists; and the stacks
//! those roles belong to (about one stack for every five roles, see [`stack_count`]), named
//! readably and spread over the user's organisations.
//!
//! Output depends only on the indexes (no randomness), so two runs serve the same profile and a
//! test can assert on it. The list is written straight to JSON text rather than built as a
//! `serde_json::Value` tree: 1000 roles × 50 rules is about a million small values, and building
//! (and later serialising) them as maps took most of the 200 ms budget; writing text takes a
//! few milliseconds, and answers then copy the text as is.

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
const LOCALES: [&str; 6] = ["en-us", "fr-fr", "de-de", "ja-jp", "pt-br", "hi-in"];
const BRANCHES: [&str; 4] = ["main", "develop", "release", "staging"];
const RIGHTS: [&str; 5] = ["create", "read", "update", "delete", "publish"];

/// What generated stacks are for, and the market they serve: with a number after the first
/// round, `12 × 8` names before any repeats ("Help centre (APAC) 2").
const SITES: [&str; 12] = [
    "Marketing site",
    "Product catalogue",
    "Help centre",
    "Newsroom",
    "Careers site",
    "Mobile app",
    "Partner portal",
    "Investor relations",
    "Recipes",
    "Store locator",
    "Design system",
    "Events",
];
const MARKETS: [&str; 8] = ["", " (EU)", " (US)", " (APAC)", " (UK)", " (LATAM)", " (DACH)", " (Nordics)"];

/// How many stacks `roles` generated roles belong to: one for every five roles, at least one.
pub(crate) fn stack_count(roles: usize) -> u64 {
    roles.div_ceil(5).max(1) as u64
}

/// SplitMix64: a tiny, well-mixed hash of an index, for uids and choices.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Appends a quoted Contentstack-looking uid for `(kind, index)`: `"blt` + 16 hex digits + `"`.
fn push_uid(out: &mut String, kind: u64, index: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let v = mix(kind.wrapping_mul(0x1_0000_0000).wrapping_add(index));
    out.push_str("\"blt");
    for shift in (0..16).rev() {
        out.push(HEX[((v >> (shift * 4)) & 0xf) as usize] as char);
    }
    out.push('"');
}

/// Appends `s` as a JSON string.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `count` roles of `rules` rules each, as the text of a JSON array. `owner_uid` (the demo user)
/// is among the users of every other role.
pub(crate) fn roles_json(count: usize, rules: usize, owner_uid: &str) -> String {
    let base = base_time();
    // About 150 bytes a rule; reserving avoids re-copying megabytes while growing.
    let mut out = String::with_capacity(64 + count * (400 + rules * 160));
    out.push('[');
    let stacks = stack_count(count);
    for i in 0..count as u64 {
        if i > 0 {
            out.push(',');
        }
        role(&mut out, i, rules as u64, owner_uid, base, stacks);
    }
    out.push(']');
    out
}

fn base_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2020-01-06T09:00:00.000Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn role(out: &mut String, i: u64, rules: u64, owner_uid: &str, base: DateTime<Utc>, stacks: u64) {
    let h = mix(i);
    let team = TEAMS[(h % TEAMS.len() as u64) as usize];
    let created = base + Duration::days(i as i64 % 1500);
    let updated = created + Duration::hours(((h >> 16) % 20_000) as i64);
    out.push_str("{\"uid\":");
    push_uid(out, 2, i);
    out.push_str(&format!(
        ",\"name\":\"Role {i:04} · {team}\",\"description\":\"Generated role {i} for the {team} team, \
         with {rules} rules across every module.\",\"users\":["
    ));
    for u in 0..1 + (h >> 8) % 12 {
        if u > 0 {
            out.push(',');
        }
        if u == 0 && i.is_multiple_of(2) {
            push_json_str(out, owner_uid);
        } else {
            push_uid(out, 1, i * 16 + u);
        }
    }
    out.push_str(&format!(
        "],\"created_at\":\"{}\",\"updated_at\":\"{}\",\"api_key\":",
        stamp(created),
        stamp(updated)
    ));
    push_uid(out, 3, i % stacks);
    out.push_str(",\"rules\":[");
    for j in 0..rules {
        if j > 0 {
            out.push(',');
        }
        rule(out, i, j);
    }
    out.push_str("]}");
}

/// The stacks the roles of `roles_json(roles, ..)` belong to, as `GET /stacks` lists them: the
/// API key each role names, a readable name, a description, one of `organizations` (in turn),
/// the user as owner of every seventh, someone else otherwise.
pub(crate) fn stacks(roles: usize, owner_uid: &str, organizations: &[String]) -> Vec<Map<String, Value>> {
    let base = base_time();
    let unquoted = |kind: u64, index: u64| {
        let mut s = String::new();
        push_uid(&mut s, kind, index);
        s.trim_matches('"').to_string()
    };
    (0..stack_count(roles))
        .map(|k| {
            let h = mix(k.wrapping_add(0x5eed));
            let site = SITES[(k % SITES.len() as u64) as usize];
            let market = MARKETS[((k / SITES.len() as u64) % MARKETS.len() as u64) as usize];
            let round = k / (SITES.len() * MARKETS.len()) as u64;
            let name =
                if round == 0 { format!("{site}{market}") } else { format!("{site}{market} {}", round + 1) };
            let org = organizations.get((k % organizations.len().max(1) as u64) as usize).cloned();
            let owner = if k % 7 == 0 { owner_uid.to_string() } else { unquoted(1, 1_000_000 + k) };
            let created = base - Duration::days((h % 900) as i64);
            let updated = created + Duration::hours(((h >> 12) % 30_000) as i64);
            let mut stack = Map::new();
            stack.insert("uid".into(), unquoted(5, k).into());
            stack.insert("name".into(), name.clone().into());
            stack.insert("description".into(), format!("{name}: generated stack {k}.").into());
            stack.insert("api_key".into(), unquoted(3, k).into());
            stack.insert("org_uid".into(), org.map_or(Value::Null, Value::String));
            stack.insert("owner_uid".into(), owner.into());
            stack.insert("master_locale".into(), LOCALES[(h % LOCALES.len() as u64) as usize].into());
            stack.insert("created_at".into(), stamp(created).into());
            stack.insert("updated_at".into(), stamp(updated).into());
            stack
        })
        .collect()
}

fn rule(out: &mut String, i: u64, j: u64) {
    let h = mix(i.wrapping_mul(1_000_003).wrapping_add(j));
    let (module, key) = MODULES[((i + j) % MODULES.len() as u64) as usize];
    out.push_str("{\"module\":\"");
    out.push_str(module);
    out.push_str("\",\"");
    out.push_str(key);
    out.push_str("\":");
    targets(out, module, h);
    out.push_str(",\"acl\":");
    acl(out, module, h);
    out.push('}');
}

/// `["$all"]` for about a third of rules, else one to four uids (or codes, for locales and
/// branches, as Contentstack names those by code).
fn targets(out: &mut String, module: &str, h: u64) {
    if h.is_multiple_of(3) {
        out.push_str("[\"$all\"]");
        return;
    }
    out.push('[');
    for k in 0..1 + (h >> 4) % 4 {
        if k > 0 {
            out.push(',');
        }
        let pick = h >> (8 + k);
        match module {
            "locale" => push_json_str(out, LOCALES[(pick % LOCALES.len() as u64) as usize]),
            "branch" | "branch_alias" => {
                push_json_str(out, BRANCHES[(pick % BRANCHES.len() as u64) as usize])
            }
            _ => push_uid(out, 4, (h >> 12).wrapping_add(k)),
        }
    }
    out.push(']');
}

/// Appends `"right":true` (after a comma unless it is the first).
fn push_flag(out: &mut String, comma: bool, right: &str, allowed: bool) {
    if comma {
        out.push(',');
    }
    out.push('"');
    out.push_str(right);
    out.push_str(if allowed { "\":true" } else { "\":false" });
}

fn acl(out: &mut String, module: &str, h: u64) {
    let bit = |n: usize| (h >> (20 + n)) & 1 == 1;
    let rights: &[&str] = match module {
        "content_type" | "entry" | "asset" | "folder" => &RIGHTS,
        "taxonomy" => &RIGHTS[..4],
        "workflow_stage" | "branch" | "branch_alias" => &RIGHTS[1..3],
        _ => &RIGHTS[1..2],
    };
    out.push('{');
    for (n, right) in rights.iter().enumerate() {
        // Read is nearly always granted; the other rights vary.
        let allowed = if *right == "read" { !h.is_multiple_of(17) } else { bit(n) };
        push_flag(out, n > 0, right, allowed);
    }
    if matches!(module, "content_type" | "taxonomy" | "folder") && h.is_multiple_of(4) {
        out.push_str(",\"sub_acl\":{");
        for (n, right) in RIGHTS.iter().enumerate() {
            push_flag(out, n > 0, right, bit(8 + n));
        }
        out.push('}');
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn parsed(count: usize, rules: usize, owner: &str) -> Vec<Value> {
        match serde_json::from_str::<Value>(&roles_json(count, rules, owner)) {
            Ok(Value::Array(list)) => list,
            other => panic!("not a JSON array: {other:?}"),
        }
    }

    #[test]
    fn deterministic_and_varied() {
        assert_eq!(roles_json(40, 20, "bltowner"), roles_json(40, 20, "bltowner"));
        let list = parsed(40, 20, "bltowner");
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
            assert!(
                of.iter().all(|r| r[key].is_array() && r["acl"].is_object()),
                "{module} targets under {key}"
            );
        }
        assert!(rules.iter().any(|r| r["acl"]["sub_acl"]["publish"].is_boolean()), "some nested acls");
        assert!(rules.iter().any(|r| r["content_types"] == serde_json::json!(["$all"])));
        assert!(rules.iter().any(|r| r["entries"].as_array().is_some_and(|t| t.len() > 1)));
        assert!(rules.iter().any(|r| r["locales"].as_array().is_some_and(|t| t.contains(&"fr-fr".into()))));
        let sizes: std::collections::HashSet<usize> =
            list.iter().filter_map(|r| r["users"].as_array().map(Vec::len)).collect();
        assert!(sizes.len() > 3, "user lists vary in size: {sizes:?}");
        assert_eq!(list[0]["users"][0], "bltowner");
        let uid = list[0]["uid"].as_str().unwrap_or_default();
        assert!(uid.len() == 19 && uid.starts_with("blt") && uid[3..].chars().all(|c| c.is_ascii_hexdigit()));
        assert!(list[0]["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    }

    #[test]
    fn every_generated_role_names_a_generated_stack() {
        let orgs = vec!["bltorg1".to_string(), "bltorg2".to_string()];
        for roles in [1, 7, 40, 1000] {
            let list = parsed(roles, 1, "bltowner");
            let stacks = stacks(roles, "bltowner", &orgs);
            assert_eq!(stacks.len() as u64, stack_count(roles));
            assert_eq!(stacks.len(), roles.div_ceil(5), "about one stack for five roles");
            let keys: std::collections::HashSet<&str> =
                stacks.iter().filter_map(|s| s["api_key"].as_str()).collect();
            assert_eq!(keys.len(), stacks.len(), "API keys are distinct");
            let used: std::collections::HashSet<&str> =
                list.iter().filter_map(|r| r["api_key"].as_str()).collect();
            assert_eq!(used, keys, "{roles} roles: every role's stack exists, and every stack has a role");
            let names: std::collections::HashSet<&str> =
                stacks.iter().filter_map(|s| s["name"].as_str()).collect();
            assert_eq!(names.len(), stacks.len(), "names are distinct");
            assert!(stacks.iter().all(|s| orgs.iter().any(|o| s["org_uid"] == o.as_str())));
        }
        let s = stacks(1000, "bltowner", &["bltorg1".to_string()]);
        assert_eq!(s[0]["name"], "Marketing site");
        assert_eq!(s[13]["name"], "Product catalogue (EU)");
        assert_eq!(s[96]["name"], "Marketing site 2");
        assert_eq!(s[0]["owner_uid"], "bltowner");
        assert_ne!(s[1]["owner_uid"], "bltowner");
        for key in ["uid", "description", "master_locale", "created_at", "updated_at"] {
            assert!(s[5][key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
        }
        assert_eq!(stacks(3, "x", &[])[0]["org_uid"], Value::Null);
    }

    #[test]
    fn owner_uids_are_escaped() {
        let list = parsed(1, 1, "a\"b\\c\u{1}");
        assert_eq!(list[0]["users"][0], "a\"b\\c\u{1}");
    }

    #[test]
    fn empty_lists_are_valid_json() {
        assert_eq!(roles_json(0, 5, "x"), "[]");
        assert_eq!(parsed(2, 0, "x")[1]["rules"], serde_json::json!([]));
    }

    #[test]
    fn big_profiles_build_fast() {
        let start = std::time::Instant::now();
        let text = roles_json(1000, 50, "bltowner");
        let took = start.elapsed();
        assert!(text.len() > 5_000_000, "{}", text.len());
        // Generous in debug builds; the release build takes a few milliseconds.
        let budget = std::time::Duration::from_millis(if cfg!(debug_assertions) { 1000 } else { 200 });
        assert!(took < budget, "{took:?}");
    }
}
