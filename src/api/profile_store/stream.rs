//! Roles read straight from the answer's bytes into a [`RuleStore`](super::RuleStore): one
//! pass, each string sanitised as it is read, nothing built but the store's tokens.
//!
//! The result is exactly what [`Builder::push_role`] makes of the `Role` models that
//! `serde_json::from_value` would have read (the decoders' agreement test checks it): fields of
//! the wrong type left out as the lenient models leave them out, a role's fields in the model's
//! order (`uid`, `name`, `description`, `users`, `api_key`, `rules`, `created_at`, `updated_at`,
//! then every other key in the server's order), a rule's `module` and `acl` first. To put them
//! in that order a role (or rule) is first written as it comes, at the end of the tape, and then
//! its fields are moved into place: a copy of one role's tokens, not of the profile.
//!
//! Roles and rules are counted as they are read, and an answer with more than [`MAX_ROLES`]
//! roles or [`MAX_RULES`] rules is refused at that point (see [`Limit`]): without a count, 20 MB
//! of `[{},{},…]` would be millions of roles, each with its rows, flags and search text.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

crate::api::decode::visitor_seeds!(RolesSeed<'_>, Shape<'_>, List<'_>, AnyValue<'_>);

use super::{ARR, Builder, FALSE, KEY, NULL, OBJ, STR, TRUE, tok};
use crate::api::error::Limit;
use crate::api::lenient::model::Key;

/// Most roles a profile may have: a hundred times the largest profile measured (1,000 roles),
/// and far more than any Contentstack user holds.
pub const MAX_ROLES: usize = 100_000;
/// Most rules, over all roles: twenty times the 1,000 × 50 profile.
pub const MAX_RULES: usize = 1_000_000;

/// Where a limit that was passed is recorded, so the decoder can say which one.
pub type LimitHit = Cell<Option<Limit>>;

fn refuse<E: de::Error>(hit: &LimitHit, limit: Limit) -> E {
    hit.set(Some(limit));
    E::custom(format_args!("the answer has more than {} {}", limit.max(), limit.noun()))
}

/// Skipping a scalar: each `visit_*` of one gives `$v`.
macro_rules! scalars_are_skipped {
    ($v:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($v)
        }
    };
}

/// Reads a `roles` value: a list's objects become roles, anything else is skipped (as the
/// lenient model reads it).
pub struct RolesSeed<'b> {
    pub builder: &'b mut Builder,
    pub hit: &'b LimitHit,
}

impl<'de> Visitor<'de> for RolesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of roles")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (b, hit) = (self.builder, self.hit);
        while seq.next_element_seed(Shape { b: &mut *b, hit, what: Part::Role })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    scalars_are_skipped!(());
}

/// What [`Shape`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A role: an object is stored, anything else skipped.
    Role,
    /// A rule: an object is stored (the value is where), anything else skipped.
    Rule,
    /// Text: stored as a string token (without a key), anything else skipped.
    Text,
    /// An `acl`: a non-empty object is stored, anything else skipped.
    Acl,
}

/// Reads one value of the shape `what` wants; the answer is where it starts in the tape, or
/// `None` when it was skipped.
struct Shape<'b> {
    b: &'b mut Builder,
    hit: &'b LimitHit,
    what: Part,
}

impl<'de> Visitor<'de> for Shape<'_> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<usize>, E> {
        if self.what != Part::Text {
            return Ok(None);
        }
        let at = self.b.store.tape.len();
        self.b.string(STR, v);
        Ok(Some(at))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<usize>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<usize>, A::Error> {
        match self.what {
            Part::Text => {
                let mut map = map;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            Part::Acl => {
                let at = self.b.store.tape.len();
                AnyValue(self.b).visit_map(map)?;
                if self.b.store.payload(at) == 0 {
                    self.b.store.tape.truncate(at);
                    return Ok(None);
                }
                Ok(Some(at))
            }
            Part::Role => {
                if self.b.store.roles.len() >= MAX_ROLES {
                    return Err(refuse(self.hit, Limit::Roles));
                }
                role(self.b, self.hit, map).map(Some)
            }
            Part::Rule => {
                if self.b.rules_read >= MAX_RULES {
                    return Err(refuse(self.hit, Limit::Rules));
                }
                self.b.rules_read += 1;
                rule(self.b, map).map(Some)
            }
        }
    }
}

/// A role's fields that the model names, in the model's order.
const ROLE_FIELDS: [&str; 8] =
    ["uid", "name", "description", "users", "api_key", "rules", "created_at", "updated_at"];
const USERS: usize = 3;
const RULES: usize = 5;

/// Where each field was written while an object was read: `(start, end)` in the tape, key
/// token included.
type Span = (usize, usize);

/// Every other key: its text and where it was written. A repeated key keeps the place of its
/// first appearance and the value of its last, as a `serde_json` map does.
fn keep_other(others: &mut Vec<(String, Span)>, key: String, span: Span) {
    match others.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = span,
        None => others.push((key, span)),
    }
}

/// A known field's span, when something was read into it; otherwise taken back off the tape.
fn keep_read<T>(b: &mut Builder, read: Option<T>, s0: usize) -> Option<Span> {
    let span = read.map(|_| (s0, b.store.tape.len()));
    if span.is_none() {
        b.store.tape.truncate(s0);
    }
    span
}

/// A field the model does not name: written as it comes, under its sanitised key, and kept
/// (the last of the same key wins, as in a JSON object).
fn read_other<'de, A: MapAccess<'de>>(
    b: &mut Builder,
    map: &mut A,
    key: String,
    others: &mut Vec<(String, Span)>,
    s0: usize,
) -> Result<(), A::Error> {
    let key = crate::sanitize::owned(key);
    b.key(&key);
    map.next_value_seed(AnyValue(&mut *b))?;
    keep_other(others, key, (s0, b.store.tape.len()));
    Ok(())
}

/// Where each item of a list starts on the tape, as written; `None` when the value was not a
/// list.
type ItemStarts = Option<Vec<usize>>;

/// Reads a role's list field (`users`, `rules`) of `what`: where each item starts as written,
/// and the field's span when it is kept.
fn list_field<'de, A: MapAccess<'de>>(
    b: &mut Builder,
    hit: &LimitHit,
    map: &mut A,
    field: usize,
    what: Part,
    s0: usize,
) -> Result<(ItemStarts, Option<Span>), A::Error> {
    b.key(ROLE_FIELDS[field]);
    let list = b.store.tape.len();
    b.store.tape.push(tok(ARR, 0));
    let read = map.next_value_seed(List { b: &mut *b, hit, what })?;
    b.close(list);
    let kept = keep_list(b, &read, s0, list);
    Ok((read, kept))
}

/// Reads a role's object: written as it comes, then its fields moved into the model's order.
fn role<'de, A: MapAccess<'de>>(b: &mut Builder, hit: &LimitHit, mut map: A) -> Result<usize, A::Error> {
    let start = b.store.tape.len();
    let mut known: [Option<Span>; 8] = [None; 8];
    let mut others: Vec<(String, Span)> = Vec::new();
    // Where each rule of the last `rules` list starts, as written.
    let mut rules_at: Vec<usize> = Vec::new();
    while let Some(key) = map.next_key_seed(Key)? {
        let s0 = b.store.tape.len();
        match ROLE_FIELDS.iter().position(|f| *f == key) {
            Some(USERS) => {
                let (_, kept) = list_field(b, hit, &mut map, USERS, Part::Text, s0)?;
                known[USERS] = kept;
            }
            Some(RULES) => {
                let (read, kept) = list_field(b, hit, &mut map, RULES, Part::Rule, s0)?;
                known[RULES] = kept;
                rules_at = if kept.is_some() { read.unwrap_or_default() } else { Vec::new() };
            }
            Some(i) => {
                b.key(ROLE_FIELDS[i]);
                let text = map.next_value_seed(Shape { b: &mut *b, hit, what: Part::Text })?;
                known[i] = keep_read(b, text, s0);
            }
            None => read_other(b, &mut map, key.into_owned(), &mut others, s0)?,
        }
    }
    let written = b.store.tape.split_off(start);
    let at = b.store.tape.len();
    b.store.roles.push(u32::try_from(at).unwrap_or(u32::MAX));
    b.store.tape.push(tok(OBJ, 0));
    let spans = known.iter().flatten().copied().chain(others.iter().map(|(_, s)| *s));
    for (s, e) in spans {
        let moved_to = b.store.tape.len();
        b.store.tape.extend_from_slice(&written[s - start..e - start]);
        if known[RULES] == Some((s, e)) {
            for &r in &rules_at {
                b.store.rules.push(u32::try_from(moved_to + (r - s)).unwrap_or(u32::MAX));
            }
        }
    }
    b.close(at);
    Ok(at)
}

/// A list field kept when something was read into it, or taken back off the tape.
fn keep_list(b: &mut Builder, read: &ItemStarts, s0: usize, list: usize) -> Option<Span> {
    match read {
        Some(_) if b.store.payload(list) > 0 => Some((s0, b.store.tape.len())),
        _ => {
            b.store.tape.truncate(s0);
            None
        }
    }
}

/// The fields of a rule the model names, in its order.
const RULE_FIELDS: [&str; 2] = ["module", "acl"];

/// Reads a rule's object: `module`, `acl`, then the rest in the server's order.
fn rule<'de, A: MapAccess<'de>>(b: &mut Builder, mut map: A) -> Result<usize, A::Error> {
    let start = b.store.tape.len();
    let mut known: [Option<Span>; 2] = [None; 2];
    let mut others: Vec<(String, Span)> = Vec::new();
    let no_hit = LimitHit::default();
    while let Some(key) = map.next_key_seed(Key)? {
        let s0 = b.store.tape.len();
        match RULE_FIELDS.iter().position(|f| *f == key) {
            Some(i) => {
                b.key(RULE_FIELDS[i]);
                let what = if i == 0 { Part::Text } else { Part::Acl };
                let read = map.next_value_seed(Shape { b: &mut *b, hit: &no_hit, what })?;
                known[i] = keep_read(b, read, s0);
            }
            None => read_other(b, &mut map, key.into_owned(), &mut others, s0)?,
        }
    }
    let written = b.store.tape.split_off(start);
    let at = b.store.tape.len();
    b.store.tape.push(tok(OBJ, 0));
    for (s, e) in known.iter().flatten().copied().chain(others.iter().map(|(_, s)| *s)) {
        b.store.tape.extend_from_slice(&written[s - start..e - start]);
    }
    b.close(at);
    Ok(at)
}

/// Reads a list of `what`: the elements of that shape are written (their starts are the
/// answer), the others skipped. Anything but a list is `None`.
struct List<'b> {
    b: &'b mut Builder,
    hit: &'b LimitHit,
    what: Part,
}

impl<'de> Visitor<'de> for List<'_> {
    type Value = Option<Vec<usize>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut starts = Vec::new();
        let (b, hit, what) = (self.b, self.hit, self.what);
        while let Some(read) = seq.next_element_seed(Shape { b: &mut *b, hit, what })? {
            if let (Some(at), Part::Rule) = (read, what) {
                starts.push(at);
            }
        }
        Ok(Some(starts))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    scalars_are_skipped!(None);
}

/// Any JSON value written to the tape as it comes, strings and keys sanitised.
struct AnyValue<'b>(&'b mut Builder);

impl<'de> Visitor<'de> for AnyValue<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.store.tape.push(tok(if v { TRUE } else { FALSE }, 0));
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.number(Number::from(v));
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.number(Number::from(v));
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        match Number::from_f64(v) {
            Some(n) => self.0.number(n),
            None => self.0.store.tape.push(tok(NULL, 0)),
        }
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.string(STR, v);
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.store.tape.push(tok(NULL, 0));
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let b = self.0;
        let at = b.store.tape.len();
        b.store.tape.push(tok(ARR, 0));
        while seq.next_element_seed(AnyValue(&mut *b))?.is_some() {}
        b.close(at);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let b = self.0;
        let at = b.store.tape.len();
        b.store.tape.push(tok(OBJ, 0));
        while let Some(key) = map.next_key_seed(Key)? {
            b.string(KEY, &key);
            map.next_value_seed(AnyValue(&mut *b))?;
        }
        b.close(at);
        Ok(())
    }
}
