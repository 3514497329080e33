use crate::api::profile_store::*;
use serde_json::json;

fn rules() -> Vec<Rule> {
    serde_json::from_value(json!([
        {"module": "entry", "acl": {"read": true, "n": 1.5, "none": null, "empty": {}, "sub_acl": {"publish": false, "deep": {"x": true}}},
         "content_types": ["a", "b", "this one is longer than sixteen bytes"], "locales": ["$all"], "mixed": [1, "x"], "restrict": true},
        {"acl": {"read": false}},
        {"module": "asset", "assets": []},
        {}
    ]))
    .expect("valid rules")
}

#[test]
fn rules_serialise_back_as_the_model_does() {
    let rules = rules();
    let want: Vec<Value> = rules.iter().map(|r| serde_json::to_value(r).expect("serialises")).collect();
    let store = RuleStore::from_rules(rules);
    assert_eq!(store.len(), 4);
    for (g, want) in want.iter().enumerate() {
        let rule = store.rule(g).expect("rule");
        assert_eq!(&serde_json::to_value(rule.as_val()).expect("serialises"), want);
        let pretty = serde_json::to_string_pretty(want).expect("pretty");
        assert_eq!(rule.as_val().pretty_lines(), pretty.lines().count(), "{pretty}");
    }
    assert!(store.rule(4).is_none());
}

#[test]
fn views_read_like_the_model() {
    let rules = rules();
    let models = rules.clone();
    let store = RuleStore::from_rules(rules);
    for (g, model) in models.iter().enumerate() {
        let rule = store.rule(g).expect("rule");
        assert_eq!(rule.module_name(), model.module_name());
        assert_eq!(rule.targets().collect::<Vec<_>>(), model.targets().collect::<Vec<_>>());
        let flags: Vec<(Vec<String>, bool)> =
            model.acl_flags().into_iter().map(|f| (f.path, f.allowed)).collect();
        let mine: Vec<(Vec<String>, bool)> = rule
            .acl_flags()
            .into_iter()
            .map(|(p, b)| (p.into_iter().map(str::to_string).collect(), b))
            .collect();
        assert_eq!(mine, flags);
        assert_eq!(rule.other().count(), model.other.len());
        assert_eq!(rule.acl().map_or(0, |a| a.iter().count()), model.acl.len());
    }
    let first = store.rule(0).expect("rule");
    assert_eq!(first.to_rule().map(|r| r.acl.len()), Some(5));
    let acl = first.acl().expect("acl");
    assert_eq!(acl.get("sub_acl").and_then(|v| v.as_object()).map(|o| o.iter().count()), Some(2));
    assert!(acl.get("empty").and_then(|v| v.as_object()).is_some_and(Obj::is_empty));
}

#[test]
fn roles_serialise_back_as_the_model_does() {
    let roles: Vec<Role> = serde_json::from_value(json!([
        {"uid": "r1", "name": "Dev", "description": "d", "users": ["a", "b"], "api_key": "k",
         "created_at": "t0", "updated_at": "t1", "zz_extra": {"x": [1]},
         "rules": [{"module": "entry", "acl": {"read": true}}, {}]},
        {"name": "no rules", "rules": []},
        {}
    ]))
    .expect("valid roles");
    let want: Vec<String> = roles.iter().map(|r| serde_json::to_string_pretty(r).expect("pretty")).collect();
    let mut b = Builder::default();
    let counts: Vec<usize> = roles.iter().map(|r| b.push_role(r)).collect();
    let store = b.finish();
    assert_eq!(counts, [2, 0, 0]);
    assert_eq!((store.role_count(), store.len()), (3, 2));
    for (r, want) in want.iter().enumerate() {
        let role = store.role(r).expect("role");
        assert_eq!(&serde_json::to_string_pretty(&role.as_val()).expect("pretty"), want);
        assert_eq!(role.as_val().pretty_lines(), want.lines().count());
    }
    let dev = store.role(0).expect("role");
    assert_eq!((dev.uid(), dev.name(), dev.api_key(), dev.users()), (Some("r1"), Some("Dev"), Some("k"), 2));
    assert_eq!(dev.to_role().map(|r| r.rules.len()), Some(2));
    assert_eq!(store.rule(0).map(RuleRef::module_name), Some("entry"));
    assert_eq!(store.role(2).and_then(RoleRef::name), None);
}

#[test]
fn short_strings_are_stored_once() {
    let many: Vec<Rule> = (0..100)
        .map(|_| serde_json::from_value(json!({"module": "entry", "acl": {"read": true}})).expect("valid"))
        .collect();
    let store = RuleStore::from_rules(many);
    assert_eq!(store.text, "moduleentryaclread");
}
