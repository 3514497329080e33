//! Borrowed views of a [`RuleStore`]'s tokens, shaped like `serde_json`'s values, and their
//! serialisation back to JSON.

use crate::api::profile_store::ARR;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::api::profile_store::FALSE;

use crate::api::profile_store::KEY;

use crate::api::profile_store::NUM;

use crate::api::profile_store::OBJ;

use crate::api::profile_store::RuleStore;

use crate::api::profile_store::STR;

use crate::api::models::{Role, Rule};
use crate::api::profile_store::TRUE;

/// A JSON value in a [`RuleStore`].
#[derive(Clone, Copy)]
pub struct Val<'a> {
    pub(super) s: &'a RuleStore,
    pub(super) at: usize,
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
    pub(super) s: &'a RuleStore,
    pub(super) at: usize,
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
    pub(super) s: &'a RuleStore,
    pub(super) at: usize,
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
pub struct RoleRef<'a>(pub(super) Obj<'a>);

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
pub struct RuleRef<'a>(pub(super) Obj<'a>);

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
