//! Roles and rules stored flat: every role, its rules included, as tokens in one `Vec<u32>`,
//! short strings once.
//!
//! Why: a 1,000-role × 50-rule profile deserialised into `serde_json` maps is about four million
//! small allocations and well over 100 MB resident (each map an index table plus an entry vector,
//! each key and value its own `String`). Here the same rules are a few megabytes of tokens and
//! text in a handful of allocations. Rules are read through small borrowed views ([`Val`],
//! [`Obj`], [`Arr`], [`RuleRef`]) shaped like `serde_json`'s, and serialise back unchanged, so the
//! raw view still shows exactly what the server sent.
//!
//! A token is a 3-bit tag and a 29-bit payload: a string's id, a number's index, or for an array
//! or object the number of tokens in its subtree (so skipping a value is one addition). An object
//! lists each entry as a key token followed by the value's tokens. A role is stored as the `Role`
//! model serialises it (so the raw view prints the same text), and each of its rules as the `Rule`
//! model does: `module`, then `acl`, then every other key in the server's order.
//!
//! Keeping the roles' own fields here too, rather than as `Role` structs, matters for memory as
//! much as the rules do: a role's strings were allocated while the whole answer was being decoded,
//! scattered through the heap, and each one left alive pins a page that the allocator could
//! otherwise give back.
//!
//! Payloads fit: the client refuses bodies over 20 MB, and every token takes at least two bytes of
//! JSON, so there are fewer than 2^29 tokens or strings. Should one ever not fit it saturates,
//! which can garble that one value on screen but never panics.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Number, Value};

use crate::api::models::{Role, Rule};

const TAG_SHIFT: u32 = 29;
const PAYLOAD: u32 = (1 << TAG_SHIFT) - 1;

const NULL: u32 = 0;
const FALSE: u32 = 1;
const TRUE: u32 = 2;
const NUM: u32 = 3;
const STR: u32 = 4;
const KEY: u32 = 5;
const ARR: u32 = 6;
const OBJ: u32 = 7;

/// Strings this short are interned: keys, module names, `$all`, locale codes repeat thousands of
/// times; longer ones (uids) are nearly all distinct, and looking them up would only cost time.
const INTERN_MAX: usize = 16;

fn tok(tag: u32, payload: usize) -> u32 {
    (tag << TAG_SHIFT) | u32::try_from(payload).unwrap_or(PAYLOAD).min(PAYLOAD)
}

/// FxHash (as in rustc): a multiply per word, plenty for short interned strings.
#[derive(Default)]
pub(crate) struct Fx(u64);

/// Hash maps keyed by short strings built while a profile loads (no DoS concern: the keys are a
/// server's field names, and a slow map would only slow that server's own profile down).
pub(crate) type FxBuild = BuildHasherDefault<Fx>;

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 =
                (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Every role of a profile and every rule, by global index (role by role, in order).
#[derive(Debug, Default)]
pub struct RuleStore {
    tape: Vec<u32>,
    /// Per role: where its object token is in `tape`.
    roles: Vec<u32>,
    /// Per rule: where its object token is in `tape`.
    rules: Vec<u32>,
    text: String,
    /// Per string id: where it ends in `text` (it starts where the previous one ends).
    ends: Vec<u32>,
    numbers: Vec<Number>,
}

/// Fills a [`RuleStore`], interning short strings.
#[derive(Default)]
pub struct Builder {
    store: RuleStore,
    interned: HashMap<Box<str>, u32, FxBuild>,
}

impl Builder {
    /// Appends `role` and its rules; returns how many rules it had.
    pub fn push_role(&mut self, role: &Role) -> usize {
        // The role's own fields as the model prints them, with a placeholder rule that keeps
        // `rules` in its place. Every field is listed (no `..`), so a field added to the model
        // fails to compile here rather than going missing from the raw view.
        let bare = Role {
            uid: role.uid.clone(),
            name: role.name.clone(),
            description: role.description.clone(),
            users: role.users.clone(),
            api_key: role.api_key.clone(),
            rules: vec![Rule::default()],
            created_at: role.created_at.clone(),
            updated_at: role.updated_at.clone(),
            extra: role.extra.clone(),
        };
        let fields = match serde_json::to_value(&bare) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let at = self.store.tape.len();
        self.store.roles.push(u32::try_from(at).unwrap_or(u32::MAX));
        self.store.tape.push(tok(OBJ, 0));
        let mut rules_placed = false;
        for (k, v) in &fields {
            if k == "rules" {
                rules_placed = true;
                self.rules(&role.rules);
            } else {
                self.key(k);
                self.value(v);
            }
        }
        // Only if printing the role failed: the rules are kept all the same.
        if !rules_placed {
            self.rules(&role.rules);
        }
        self.close(at);
        role.rules.len()
    }

    /// `"rules": [...]`, unless there are none (the model skips an empty list).
    fn rules(&mut self, rules: &[Rule]) {
        if rules.is_empty() {
            return;
        }
        self.key("rules");
        let list = self.store.tape.len();
        self.store.tape.push(tok(ARR, 0));
        rules.iter().for_each(|rule| self.push(rule));
        self.close(list);
    }

    /// Appends `rule`.
    pub fn push(&mut self, rule: &Rule) {
        let at = self.store.tape.len();
        self.store.rules.push(u32::try_from(at).unwrap_or(u32::MAX));
        self.store.tape.push(tok(OBJ, 0));
        if let Some(module) = &rule.module {
            self.key("module");
            self.string(STR, module);
        }
        if !rule.acl.is_empty() {
            self.key("acl");
            self.object(&rule.acl);
        }
        for (k, v) in &rule.other {
            self.key(k);
            self.value(v);
        }
        self.close(at);
    }

    pub fn finish(mut self) -> RuleStore {
        let s = &mut self.store;
        s.tape.shrink_to_fit();
        s.roles.shrink_to_fit();
        s.rules.shrink_to_fit();
        s.text.shrink_to_fit();
        s.ends.shrink_to_fit();
        s.numbers.shrink_to_fit();
        self.store
    }

    fn close(&mut self, at: usize) {
        let size = self.store.tape.len() - at - 1;
        let tag = self.store.tape[at] >> TAG_SHIFT;
        self.store.tape[at] = tok(tag, size);
    }

    fn key(&mut self, k: &str) {
        self.string(KEY, k);
    }

    fn string(&mut self, tag: u32, s: &str) {
        let id = if s.len() <= INTERN_MAX {
            match self.interned.get(s) {
                Some(&id) => id,
                None => {
                    let id = self.store.add_string(s);
                    self.interned.insert(s.into(), id);
                    id
                }
            }
        } else {
            self.store.add_string(s)
        };
        self.store.tape.push(tok(tag, id as usize));
    }

    fn object(&mut self, map: &Map<String, Value>) {
        let at = self.store.tape.len();
        self.store.tape.push(tok(OBJ, 0));
        for (k, v) in map {
            self.key(k);
            self.value(v);
        }
        self.close(at);
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.store.tape.push(tok(NULL, 0)),
            Value::Bool(false) => self.store.tape.push(tok(FALSE, 0)),
            Value::Bool(true) => self.store.tape.push(tok(TRUE, 0)),
            Value::Number(n) => {
                self.store.tape.push(tok(NUM, self.store.numbers.len()));
                self.store.numbers.push(n.clone());
            }
            Value::String(s) => self.string(STR, s),
            Value::Array(items) => {
                let at = self.store.tape.len();
                self.store.tape.push(tok(ARR, 0));
                for item in items {
                    self.value(item);
                }
                self.close(at);
            }
            Value::Object(map) => self.object(map),
        }
    }
}

impl RuleStore {
    /// The store of `rules`, consumed in order.
    #[cfg(test)]
    pub fn from_rules(rules: impl IntoIterator<Item = Rule>) -> RuleStore {
        let mut b = Builder::default();
        rules.into_iter().for_each(|r| b.push(&r));
        b.finish()
    }

    fn add_string(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        u32::try_from(self.ends.len() - 1).unwrap_or(PAYLOAD)
    }

    fn string(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends.get(id - 1).map_or(0, |&e| e as usize) };
        let end = self.ends.get(id).map_or(0, |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Number of roles.
    pub fn role_count(&self) -> usize {
        self.roles.len()
    }

    /// Role `r`.
    pub fn role(&self, r: usize) -> Option<RoleRef<'_>> {
        let at = *self.roles.get(r)? as usize;
        Some(RoleRef(Obj { s: self, at }))
    }

    /// Rule `g` (global index).
    pub fn rule(&self, g: usize) -> Option<RuleRef<'_>> {
        let at = *self.rules.get(g)? as usize;
        Some(RuleRef(Obj { s: self, at }))
    }

    fn tag(&self, at: usize) -> u32 {
        self.tape.get(at).map_or(NULL, |t| t >> TAG_SHIFT)
    }

    fn payload(&self, at: usize) -> u32 {
        self.tape.get(at).map_or(0, |t| t & PAYLOAD)
    }

    /// One past the last token of the value at `at`.
    fn end(&self, at: usize) -> usize {
        match self.tag(at) {
            ARR | OBJ => at + 1 + self.payload(at) as usize,
            _ => at + 1,
        }
    }
}

/// A JSON value in a [`RuleStore`].
#[derive(Clone, Copy)]
pub struct Val<'a> {
    s: &'a RuleStore,
    at: usize,
}

impl<'a> Val<'a> {
    pub fn as_bool(self) -> Option<bool> {
        match self.s.tag(self.at) {
            TRUE => Some(true),
            FALSE => Some(false),
            _ => None,
        }
    }

    pub fn as_str(self) -> Option<&'a str> {
        (self.s.tag(self.at) == STR).then(|| self.s.string(self.s.payload(self.at)))
    }

    pub fn as_object(self) -> Option<Obj<'a>> {
        (self.s.tag(self.at) == OBJ).then_some(Obj { s: self.s, at: self.at })
    }

    pub fn as_array(self) -> Option<Arr<'a>> {
        (self.s.tag(self.at) == ARR).then_some(Arr { s: self.s, at: self.at })
    }

    /// Lines this value takes in pretty-printed JSON (serde_json's layout: one per scalar, entry
    /// or empty container; a non-empty container adds its opening and closing lines).
    pub fn pretty_lines(self) -> usize {
        let inner: usize = match (self.as_object(), self.as_array()) {
            (Some(o), _) if !o.is_empty() => o.iter().map(|(_, v)| v.pretty_lines()).sum(),
            (_, Some(a)) if self.s.payload(self.at) > 0 => a.iter().map(Val::pretty_lines).sum(),
            _ => return 1,
        };
        inner + 2
    }
}

impl Serialize for Val<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match self.s.tag(self.at) {
            TRUE => ser.serialize_bool(true),
            FALSE => ser.serialize_bool(false),
            NUM => match self.s.numbers.get(self.s.payload(self.at) as usize) {
                Some(n) => n.serialize(ser),
                None => ser.serialize_unit(),
            },
            STR | KEY => ser.serialize_str(self.s.string(self.s.payload(self.at))),
            ARR => Arr { s: self.s, at: self.at }.serialize(ser),
            OBJ => Obj { s: self.s, at: self.at }.serialize(ser),
            _ => ser.serialize_unit(),
        }
    }
}

/// A JSON object in a [`RuleStore`].
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    s: &'a RuleStore,
    at: usize,
}

impl<'a> Obj<'a> {
    /// Entries in order.
    pub fn iter(self) -> impl Iterator<Item = (&'a str, Val<'a>)> + 'a {
        let (s, end) = (self.s, self.s.end(self.at));
        let mut pos = self.at + 1;
        std::iter::from_fn(move || {
            if pos >= end || s.tag(pos) != KEY {
                return None;
            }
            let key = s.string(s.payload(pos));
            let value = Val { s, at: pos + 1 };
            pos = s.end(pos + 1);
            Some((key, value))
        })
    }

    pub fn is_empty(self) -> bool {
        self.s.payload(self.at) == 0
    }

    /// The value of `key`.
    #[cfg(test)]
    pub fn get(self, key: &str) -> Option<Val<'a>> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

impl Serialize for Obj<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut map = ser.serialize_map(None)?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, &v)?;
        }
        map.end()
    }
}

/// A JSON array in a [`RuleStore`].
#[derive(Clone, Copy)]
pub struct Arr<'a> {
    s: &'a RuleStore,
    at: usize,
}

impl<'a> Arr<'a> {
    pub fn iter(self) -> impl Iterator<Item = Val<'a>> + 'a {
        let (s, end) = (self.s, self.s.end(self.at));
        let mut pos = self.at + 1;
        std::iter::from_fn(move || {
            if pos >= end {
                return None;
            }
            let item = Val { s, at: pos };
            pos = s.end(pos);
            Some(item)
        })
    }

    /// The items when every one is a string (a target list), else `None`.
    pub fn strings(self) -> Option<Vec<&'a str>> {
        self.iter().map(Val::as_str).collect()
    }

    /// How many items there are when every one is a string (a target list), else `None`;
    /// without collecting them. A string is one token, so that is every token being one.
    pub fn string_count(self) -> Option<usize> {
        let (start, end) = (self.at + 1, self.s.end(self.at));
        (start..end).all(|at| self.s.tag(at) == STR).then_some(end - start)
    }
}

impl Serialize for Arr<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(None)?;
        for v in self.iter() {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

/// One role (its rules included): what the tree's rows, the filter and the raw view read.
#[derive(Clone, Copy)]
pub struct RoleRef<'a>(Obj<'a>);

impl<'a> RoleRef<'a> {
    fn text(self, key: &str) -> Option<&'a str> {
        self.0.iter().find(|(k, _)| *k == key).and_then(|(_, v)| v.as_str())
    }

    pub fn uid(self) -> Option<&'a str> {
        self.text("uid")
    }

    pub fn name(self) -> Option<&'a str> {
        self.text("name")
    }

    pub fn description(self) -> Option<&'a str> {
        self.text("description")
    }

    pub fn api_key(self) -> Option<&'a str> {
        self.text("api_key")
    }

    /// How many users hold the role.
    pub fn users(self) -> usize {
        let users = self.0.iter().find(|(k, _)| *k == "users").and_then(|(_, v)| v.as_array());
        users.map_or(0, |a| a.iter().count())
    }

    /// The role as a JSON value, rules included (for the raw view and its line count).
    pub fn as_val(self) -> Val<'a> {
        Val { s: self.0.s, at: self.0.at }
    }

    /// The role back as the model, rules included.
    pub fn to_role(self) -> Option<Role> {
        serde_json::to_value(self.as_val()).ok().and_then(|v| serde_json::from_value(v).ok())
    }
}

/// One rule: the views the tree, the permissions and the raw view read it through.
#[derive(Clone, Copy)]
pub struct RuleRef<'a>(Obj<'a>);

impl<'a> RuleRef<'a> {
    pub fn module(self) -> Option<&'a str> {
        self.0.iter().next().filter(|(k, _)| *k == "module").and_then(|(_, v)| v.as_str())
    }

    /// The module name, or `"(no module)"`, as [`Rule::module_name`].
    pub fn module_name(self) -> &'a str {
        self.module().unwrap_or("(no module)")
    }

    /// The acl object, when the rule has a non-empty one.
    pub fn acl(self) -> Option<Obj<'a>> {
        self.0.iter().take(2).find(|(k, _)| *k == "acl").and_then(|(_, v)| v.as_object())
    }

    /// Every key but `module` and `acl` (which the model never leaves among them).
    pub fn other(self) -> impl Iterator<Item = (&'a str, Val<'a>)> + 'a {
        self.0.iter().filter(|(k, _)| *k != "module" && *k != "acl")
    }

    /// The target lists: every other key whose value is an array of strings, as
    /// [`Rule::targets`].
    pub fn targets(self) -> impl Iterator<Item = (&'a str, Vec<&'a str>)> + 'a {
        self.other().filter_map(|(k, v)| Some((k, v.as_array()?.strings()?)))
    }

    /// Every boolean in the acl with its path, depth first, as [`Rule::acl_flags`].
    pub fn acl_flags(self) -> Vec<(Vec<&'a str>, bool)> {
        fn walk<'a>(obj: Obj<'a>, path: &mut Vec<&'a str>, out: &mut Vec<(Vec<&'a str>, bool)>) {
            for (k, v) in obj.iter() {
                path.push(k);
                if let Some(b) = v.as_bool() {
                    out.push((path.clone(), b));
                } else if let Some(inner) = v.as_object() {
                    walk(inner, path, out);
                }
                path.pop();
            }
        }
        let mut out = Vec::new();
        if let Some(acl) = self.acl() {
            walk(acl, &mut Vec::new(), &mut out);
        }
        out
    }

    /// The rule as a JSON value (for the raw view and its line count).
    pub fn as_val(self) -> Val<'a> {
        Val { s: self.0.s, at: self.0.at }
    }

    /// The rule back as the model, for callers that want one.
    pub fn to_rule(self) -> Option<Rule> {
        serde_json::to_value(self.as_val()).ok().and_then(|v| serde_json::from_value(v).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let want: Vec<String> =
            roles.iter().map(|r| serde_json::to_string_pretty(r).expect("pretty")).collect();
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
        assert_eq!(
            (dev.uid(), dev.name(), dev.api_key(), dev.users()),
            (Some("r1"), Some("Dev"), Some("k"), 2)
        );
        assert_eq!(dev.to_role().map(|r| r.rules.len()), Some(2));
        assert_eq!(store.rule(0).map(RuleRef::module_name), Some("entry"));
        assert_eq!(store.role(2).and_then(RoleRef::name), None);
    }

    #[test]
    fn short_strings_are_stored_once() {
        let many: Vec<Rule> = (0..100)
            .map(|_| {
                serde_json::from_value(json!({"module": "entry", "acl": {"read": true}})).expect("valid")
            })
            .collect();
        let store = RuleStore::from_rules(many);
        assert_eq!(store.text, "moduleentryaclread");
    }
}
