//! The one pass over an answer that carries a user: the bytes are read once, each string
//! sanitised as it is read, `user.authtoken` taken out raw, the roles written straight into a
//! [`RuleStore`](crate::api::profile_store::RuleStore) (or skipped, for the log-in's answer),
//! and of the rest only what is used kept: the user's other fields, and the top-level fields an
//! error or a notice is read from. Everything else is skipped without being built.
//!
//! Values kept as JSON (the user's fields besides the roles, organisations and settings
//! included, and the error fields) are counted as they are built: past [`MAX_OTHER_VALUES`] the
//! answer is refused, so no shape of answer under the byte cap can make a large amount of
//! memory out of a few bytes each.

use std::cell::Cell;
use std::fmt;

use secrecy::SecretString;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

crate::api::decode::visitor_seeds!(Top<'_>, UserSeed<'_>, Kept<'_>);

use crate::api::error::Limit;
use crate::api::profile_store::stream::{LimitHit, RolesSeed};
use crate::api::profile_store::{Builder, RuleStore};

/// Most JSON values kept outside the roles (each some 50–100 bytes as a `serde_json::Value`):
/// a real user's fields, organisations and settings are a few hundred.
pub const MAX_OTHER_VALUES: usize = 200_000;

/// The top-level keys kept: what errors are classified by, and the notice.
const TOP_KEYS: [&str; 7] =
    ["error_code", "tfa_type", "error_message", "message", "error", "errors", "notice"];

/// What the answer's `user` was.
pub(super) enum UserSlot {
    Absent,
    /// Not an object: what it was, in words.
    Not(&'static str),
    Object {
        /// Every field but `roles` and `authtoken`, sanitised, in the server's order.
        fields: Map<String, Value>,
        /// `authtoken`, exactly as sent, when it was non-empty text.
        token: Option<SecretString>,
        /// The roles, when they were read.
        roles: Option<Box<RuleStore>>,
    },
}

/// An answer read in one pass.
pub(super) struct Parsed {
    /// The top-level [`TOP_KEYS`] present, sanitised (an answer that is not an object has none).
    pub top: Map<String, Value>,
    pub user: UserSlot,
}

/// Why the pass failed: the JSON itself, or a limit.
pub(super) enum Failure {
    Json(serde_json::Error),
    Limit(Limit),
}

/// Reads `bytes`. With `roles` false, a user's roles are skipped unread; with `user` false,
/// the whole user is.
pub(super) fn parse(bytes: &[u8], user: bool, roles: bool) -> Result<Parsed, Failure> {
    let hit = LimitHit::default();
    let budget = Cell::new(MAX_OTHER_VALUES);
    let ctx = Ctx { hit: &hit, budget: &budget, user, roles, len: bytes.len() };
    // One UTF-8 check of the whole answer (vectorised in std) instead of one per string: the
    // per-string checks were a twentieth of `whoami`'s time on a 7 MB profile. An answer that is
    // not UTF-8 is read as bytes.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => read_all(&ctx, serde_json::Deserializer::from_str(text)),
        Err(_) => read_all(&ctx, serde_json::Deserializer::from_slice(bytes)),
    };
    parsed.map_err(|e| match hit.get() {
        Some(limit) => Failure::Limit(limit),
        // A broken answer's error as the whole-document reader words it (see `validate`).
        None => Failure::Json(super::validate::syntax_error(bytes).unwrap_or(e)),
    })
}

/// The whole answer, and nothing after it.
fn read_all<'de, R: serde_json::de::Read<'de>>(
    ctx: &Ctx<'_>,
    mut de: serde_json::Deserializer<R>,
) -> Result<Parsed, serde_json::Error> {
    Top(ctx).deserialize(&mut de).and_then(|p| de.end().map(|()| p))
}

/// What every reader shares.
struct Ctx<'c> {
    hit: &'c LimitHit,
    /// Values that may still be built.
    budget: &'c Cell<usize>,
    user: bool,
    roles: bool,
    /// The answer's length, which the roles' store is sized from.
    len: usize,
}

impl Ctx<'_> {
    /// Counts one value built, or refuses the answer.
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => {
                self.hit.set(Some(Limit::Values));
                Err(E::custom(format_args!("the answer has more than {MAX_OTHER_VALUES} values")))
            }
        }
    }
}

/// The document.
struct Top<'c>(&'c Ctx<'c>);

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Parsed;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let ctx = self.0;
        let mut parsed = Parsed { top: Map::new(), user: UserSlot::Absent };
        while let Some(key) = map.next_key::<String>()? {
            if key == "user" && ctx.user {
                parsed.user = map.next_value_seed(UserSeed(ctx))?;
            } else if TOP_KEYS.contains(&key.as_str()) {
                let value = map.next_value_seed(Kept(ctx))?;
                parsed.top.insert(key, value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(parsed)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Parsed { top: Map::new(), user: UserSlot::Absent })
    }
    fn visit_bool<E>(self, _: bool) -> Result<Parsed, E> {
        Ok(Parsed { top: Map::new(), user: UserSlot::Absent })
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Parsed, E> {
        self.visit_bool(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Parsed, E> {
        self.visit_bool(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Parsed, E> {
        self.visit_bool(false)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Parsed, E> {
        self.visit_bool(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Parsed, E> {
        self.visit_bool(false)
    }
}

/// The `user` value.
struct UserSeed<'c>(&'c Ctx<'c>);

impl<'de> Visitor<'de> for UserSeed<'_> {
    type Value = UserSlot;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a user")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UserSlot, A::Error> {
        let ctx = self.0;
        let (mut fields, mut token, mut roles) = (Map::new(), None, None);
        while let Some(key) = map.next_key::<String>()? {
            // Compared as sent, before sanitising: the token must go back byte for byte.
            if key == "authtoken" {
                token = map.next_value::<Token>()?.0;
            } else if key == "roles" && ctx.roles {
                let mut builder = Builder::for_answer(ctx.len);
                map.next_value_seed(RolesSeed { builder: &mut builder, hit: ctx.hit })?;
                roles = Some(Box::new(builder.finish()));
            } else if key == "roles" {
                map.next_value::<IgnoredAny>()?;
            } else {
                let value = map.next_value_seed(Kept(ctx))?;
                fields.insert(crate::sanitize::owned(key), value);
            }
        }
        Ok(UserSlot::Object { fields, token, roles })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UserSlot, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(UserSlot::Not("a list"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<UserSlot, E> {
        Ok(UserSlot::Not("true or false"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<UserSlot, E> {
        Ok(UserSlot::Not("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<UserSlot, E> {
        Ok(UserSlot::Not("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<UserSlot, E> {
        Ok(UserSlot::Not("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<UserSlot, E> {
        Ok(UserSlot::Not("text"))
    }
    fn visit_unit<E>(self) -> Result<UserSlot, E> {
        Ok(UserSlot::Absent)
    }
}

/// `user.authtoken`: non-empty text is the token, anything else none.
struct Token(Option<SecretString>);

impl<'de> de::Deserialize<'de> for Token {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Token, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Token;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a token")
            }
            fn visit_str<E>(self, v: &str) -> Result<Token, E> {
                Ok(Token((!v.is_empty()).then(|| SecretString::from(v.to_owned()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Token, E> {
                Ok(Token((!v.is_empty()).then(|| SecretString::from(v))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Token, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Token(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Token, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Token(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Token, E> {
                Ok(Token(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Token, E> {
                Ok(Token(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Token, E> {
                Ok(Token(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Token, E> {
                Ok(Token(None))
            }
            fn visit_unit<E>(self) -> Result<Token, E> {
                Ok(Token(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A value kept as JSON: sanitised and counted as it is built.
struct Kept<'c>(&'c Ctx<'c>);

impl<'de> Visitor<'de> for Kept<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::String(crate::sanitize::display(v).into_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::String(crate::sanitize::owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.spend()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Kept(self.0))? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.spend()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Kept(self.0))?;
            out.insert(crate::sanitize::owned(key), value);
        }
        Ok(Value::Object(out))
    }
}
