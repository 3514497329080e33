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

use serde_json::{Map, Number, Value};

use crate::api::models::{Role, Rule};

pub mod stream;
#[cfg(test)]
mod tests;
mod view;

pub use view::{Obj, RoleRef, RuleRef, Val};

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

/// Most strings (and numbers) interned: past it, new ones are stored as they come. An answer of
/// millions of distinct short strings would otherwise cost a map entry (some 50 bytes) for each
/// of its few bytes of JSON.
const INTERNED_MAX: usize = 1 << 16;

/// A string of at most [`INTERN_MAX`] bytes as a map key: every byte, read in two overlapping
/// loads (the first and last 8, or 4, bytes; shorter strings byte by byte), and the length, which
/// tells which bytes the loads share. Longer strings are not interned. Loads rather than a copy
/// into a padded buffer: the copy's variable-length `memcpy`, read back at once as a word, stalled
/// on store forwarding.
fn short_key(s: &str) -> Option<(u128, u8)> {
    let b = s.as_bytes();
    let n = b.len();
    let word = |at: usize| b.get(at..at + 8).and_then(|w| w.try_into().ok()).map_or(0, u64::from_le_bytes);
    let half = |at: usize| b.get(at..at + 4).and_then(|w| w.try_into().ok()).map_or(0, u32::from_le_bytes);
    let (lo, hi) = match n {
        0 => (0, 0),
        1..=3 => (u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0),
        4..=7 => (u64::from(half(0)), u64::from(half(n - 4))),
        8..=INTERN_MAX => (word(0), word(n - 8)),
        _ => return None,
    };
    Some((u128::from(lo) | u128::from(hi) << 64, n as u8))
}

fn tok(tag: u32, payload: usize) -> u32 {
    (tag << TAG_SHIFT) | u32::try_from(payload).unwrap_or(PAYLOAD).min(PAYLOAD)
}

/// Hash maps keyed by short strings built while a profile loads: FxHash (as in rustc), a multiply
/// per word, plenty for short interned strings (no DoS concern: the keys are a server's field
/// names, and a slow map would only slow that server's own profile down).
pub(crate) type FxBuild = rustc_hash::FxBuildHasher;

/// Every role of a profile and every rule, by global index (role by role, in order).
#[derive(Debug, Clone, Default)]
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
    /// After [`RuleStore::reorder`]: the index of each role in the order the server sent them
    /// (empty while that is the order). The raw view prints roles in the server's order.
    served: Vec<u32>,
}

/// Fills a [`RuleStore`], interning short strings.
#[derive(Default)]
pub struct Builder {
    store: RuleStore,
    /// Interned strings by [`short_key`]: a fixed-size key hashes in two multiplies and compares
    /// in two instructions, where a `Box<str>` key cost a hash loop, a `memcmp` and an allocation
    /// per new string (together a sixth of `whoami`'s time on a 7 MB profile).
    interned: HashMap<(u128, u8), u32, FxBuild>,
    /// Numbers already stored, by kind and bits: `0`, `1`, `true`-like flags repeat a lot.
    numbers: HashMap<(u8, u64), u32, FxBuild>,
    /// Rules read so far (see [`stream::MAX_RULES`]).
    rules_read: usize,
}

impl Builder {
    /// A builder sized for the roles of an answer of `len` bytes, its large buffers backed by
    /// huge pages where the system allows ([`crate::sys::prefer_huge_pages`]): a large
    /// profile's tape and text are then neither grown by doubling (copied, their pages faulted
    /// in twice) nor faulted in 4 KiB at a time. A 1,000-role × 50-rule answer (6.9 MB) makes a
    /// tape of one token per 8 bytes and 1.4 MB of text; a little more is reserved. What is not
    /// used costs address space only (no page is touched until written), and
    /// [`Builder::finish`] gives it back.
    pub fn for_answer(len: usize) -> Builder {
        let mut b = Builder::default();
        b.store.tape.reserve(len / 6);
        b.store.text.reserve(len / 4);
        b.store.ends.reserve(len / 64);
        let tape = &b.store.tape;
        crate::sys::prefer_huge_pages(tape.as_ptr().cast(), tape.capacity() * std::mem::size_of::<u32>());
        crate::sys::prefer_huge_pages(b.store.text.as_ptr(), b.store.text.capacity());
        b
    }

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

    /// A number token, the number stored once when it was seen before.
    fn number(&mut self, n: Number) {
        let key = match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => (0, u),
            (None, Some(i), _) => (1, i as u64),
            (_, _, f) => (2, f.unwrap_or_default().to_bits()),
        };
        let id = match self.numbers.get(&key) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.store.numbers.len()).unwrap_or(PAYLOAD);
                self.store.numbers.push(n);
                if self.numbers.len() < INTERNED_MAX {
                    self.numbers.insert(key, id);
                }
                id
            }
        };
        self.store.tape.push(tok(NUM, id as usize));
    }

    /// A string token for `s`, sanitised (once per distinct short string: a hit in the intern map
    /// is looked up by the text as sent, so the thousands of repeats of a key or a module name
    /// are neither scanned nor copied). Two texts as sent may share a sanitised form and then get
    /// two ids; nothing compares ids, only texts.
    fn string(&mut self, tag: u32, s: &str) {
        let id = match short_key(s) {
            Some(key) => match self.interned.get(&key) {
                Some(&id) => id,
                None => {
                    let id = self.store.add_string(&crate::sanitize::display(s));
                    if self.interned.len() < INTERNED_MAX {
                        self.interned.insert(key, id);
                    }
                    id
                }
            },
            None => self.store.add_string(&crate::sanitize::display(s)),
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
            Value::Number(n) => self.number(n.clone()),
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

/// The store of role models (the answer to `PUT /user`, tests): each role copied in, in order.
impl From<Vec<Role>> for RuleStore {
    fn from(roles: Vec<Role>) -> RuleStore {
        let mut b = Builder::default();
        roles.iter().for_each(|role| {
            b.push_role(role);
        });
        b.finish()
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

    /// No rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Number of roles.
    pub fn role_count(&self) -> usize {
        self.roles.len()
    }

    /// Every role, in order.
    pub fn roles(&self) -> impl Iterator<Item = RoleRef<'_>> + '_ {
        (0..self.role_count()).filter_map(|r| self.role(r))
    }

    /// Puts the roles in the order `order` names (`order[i]` is the index of the role to be
    /// `i`th; a permutation of `0..role_count()`, anything else is ignored), their rules with them.
    /// Only the two index vectors move: the tokens stay as the server's order wrote them, which
    /// [`RuleStore::served_role`] reads back.
    pub fn reorder(&mut self, order: &[u32]) {
        let n = self.role_count();
        let mut seen = vec![false; n];
        let valid = order.len() == n
            && order.iter().all(|&r| seen.get_mut(r as usize).is_some_and(|s| !std::mem::replace(s, true)));
        if !valid {
            return;
        }
        let mut first = Vec::with_capacity(n + 1);
        let mut total = 0;
        for r in 0..n {
            first.push(total);
            total += self.rule_count(r);
        }
        first.push(total);
        let mut rules = Vec::with_capacity(self.rules.len());
        for &r in order {
            let (a, b) = (first[r as usize], first[r as usize + 1]);
            rules.extend_from_slice(self.rules.get(a..b).unwrap_or_default());
        }
        self.roles = order.iter().map(|&r| self.roles[r as usize]).collect();
        self.rules = rules;
        // The server's order is the order of the roles' tokens.
        let mut served: Vec<u32> = (0..n as u32).collect();
        served.sort_unstable_by_key(|&r| self.roles[r as usize]);
        let identity = served.iter().enumerate().all(|(i, &r)| i == r as usize);
        self.served = if identity { Vec::new() } else { served };
    }

    /// The `i`th role in the order the server sent them (the same as [`RuleStore::role`] unless
    /// [`RuleStore::reorder`] moved them).
    pub fn served_role(&self, i: usize) -> Option<RoleRef<'_>> {
        match self.served.get(i) {
            Some(&r) => self.role(r as usize),
            None if self.served.is_empty() => self.role(i),
            None => None,
        }
    }

    /// How many rules role `r` has.
    pub fn rule_count(&self, r: usize) -> usize {
        let rules = self.role(r).and_then(|role| role.as_val().as_object()?.get("rules"));
        rules.and_then(Val::as_array).map_or(0, |a| a.iter().count())
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

/// The roles as a JSON list, written as they are serialised (for `whoami --json`): what the
/// `Role` models would print.
pub struct RolesJson<'a>(pub &'a RuleStore);

impl serde::Serialize for RolesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let store = self.0;
        ser.collect_seq((0..store.role_count()).filter_map(|i| store.served_role(i)).map(RoleRef::as_val))
    }
}
