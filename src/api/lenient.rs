//! Reading the fields of the API's answers leniently: a field that comes as the wrong type
//! reads as absent (and is logged at debug with its name and what it came as), instead of
//! making the whole answer unreadable. Real answers vary by plan, region and query flags, and
//! one `"failed_attempts": "3"` or `-1e308` must not hide a whole profile.
//!
//! Only a user's `uid` and `email` are required ([`required_text`]); when one of them is wrong
//! the error names it, in words (`` `uid` is a number, not text ``), never quoting the value.
//!
//! Everything here works on any [`Deserializer`] with `deserialize_any` and buffers nothing
//! larger than one scalar: lists and objects are read element by element (a wrong element is
//! skipped), and a value of the wrong shape is skipped with [`IgnoredAny`], so the same
//! attributes serve a streaming decoder reading the bytes directly.
//!
//! Models are declared with [`model!`](model::model), which reads each field under its own name
//! (so the log can say which field was wrong); the field's type picks how it is read
//! ([`Lenient`]).

use std::fmt;
use std::marker::PhantomData;

pub(crate) mod model;
pub use model::Absent;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A field type that can be read leniently: the right type gives its value, `null` or the wrong
/// type gives [`Default`] (absent).
pub trait Lenient: Sized + Default {
    /// Reads the value of `field`.
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error>;
}

/// One JSON value as far as a field needs it: a scalar in full, only the kind of anything else
/// (which was skipped).
enum Seen {
    Text(String),
    Bool(bool),
    Int(i64),
    /// A whole number above `i64::MAX`.
    Big,
    /// A number with a fraction or an exponent (`1.5`, `-1e308`).
    Float,
    Null,
    List,
    Object,
    Bytes,
}

impl Seen {
    /// What it was, for the log and for error messages.
    fn kind(&self) -> &'static str {
        match self {
            Seen::Text(_) => "text",
            Seen::Bool(_) => "true or false",
            Seen::Int(_) | Seen::Big => "a number",
            Seen::Float => "a fractional number",
            Seen::Null => "null",
            Seen::List => "a list",
            Seen::Object => "an object",
            Seen::Bytes => "bytes",
        }
    }
}

/// Reads any value into a [`Seen`], skipping lists and objects.
struct SeenVisitor;

impl<'de> Visitor<'de> for SeenVisitor {
    type Value = Seen;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Seen, E> {
        Ok(Seen::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Seen, E> {
        Ok(Seen::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Seen, E> {
        Ok(i64::try_from(v).map_or(Seen::Big, Seen::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Seen, E> {
        Ok(i64::try_from(v).map_or(Seen::Big, Seen::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Seen, E> {
        Ok(i64::try_from(v).map_or(Seen::Big, Seen::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Seen, E> {
        Ok(Seen::Float)
    }
    fn visit_str<E>(self, v: &str) -> Result<Seen, E> {
        Ok(Seen::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Seen, E> {
        Ok(Seen::Text(v))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Seen, E> {
        Ok(Seen::Bytes)
    }
    fn visit_none<E>(self) -> Result<Seen, E> {
        Ok(Seen::Null)
    }
    fn visit_unit<E>(self) -> Result<Seen, E> {
        Ok(Seen::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Seen, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Seen, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Seen::List)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Seen::Object)
    }
}

impl<'de> de::Deserialize<'de> for Seen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Seen, D::Error> {
        d.deserialize_any(SeenVisitor)
    }
}

/// Logs a field that came as the wrong type (its name and kind, never its value).
fn wrong_type(field: &'static str, wanted: &'static str, seen: &Seen) {
    tracing::debug!(field, wanted, found = seen.kind(), "a field of the wrong type was read as absent");
}

/// Reads a scalar: `pick` takes the value it wants out of what came.
fn scalar<'de, D, T>(
    d: D,
    field: &'static str,
    wanted: &'static str,
    pick: fn(Seen) -> Result<T, Seen>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    match pick(d.deserialize_any(SeenVisitor)?) {
        Ok(v) => Ok(Some(v)),
        Err(Seen::Null) => Ok(None),
        Err(other) => {
            wrong_type(field, wanted, &other);
            Ok(None)
        }
    }
}

fn text(seen: Seen) -> Result<String, Seen> {
    match seen {
        Seen::Text(s) => Ok(s),
        other => Err(other),
    }
}

impl Lenient for Option<String> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        scalar(d, field, "text", text)
    }
}

/// A text field that always has a value: absent or of the wrong type, it is empty.
impl Lenient for String {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        Ok(scalar(d, field, "text", text)?.unwrap_or_default())
    }
}

impl Lenient for Option<bool> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        scalar(d, field, "true or false", |seen| match seen {
            Seen::Bool(b) => Ok(b),
            other => Err(other),
        })
    }
}

impl Lenient for Option<i64> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        scalar(d, field, "a whole number", |seen| match seen {
            Seen::Int(n) => Ok(n),
            other => Err(other),
        })
    }
}

/// A visitor's `visit_<scalar>` methods that read a value of that type and answer `$out`
/// whatever it was (a value of the wrong kind, dropped).
macro_rules! dropped {
    ($out:expr; $($name:ident: $t:ty),* $(,)?) => {
        $(fn $name<E>(self, _: $t) -> Result<Self::Value, E> {
            Ok($out)
        })*
    };
}

/// An object read as a model: the object gives it, anything else is skipped.
struct Object<T>(Option<T>);

impl<'de, T: DeserializeOwned> de::Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Object(Some(t)))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Object<T>, D::Error> {
                d.deserialize_any(self)
            }
            // Anything else is read as what it is, and dropped.
            dropped! {
                Object(None);
                visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128,
                visit_f64: f64, visit_str: &str, visit_bytes: &[u8]
            }
            fn visit_none<E>(self) -> Result<Object<T>, E> {
                Ok(Object(None))
            }
            fn visit_unit<E>(self) -> Result<Object<T>, E> {
                Ok(Object(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Object<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Object(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// An element of a list: how a list field reads each of its items, dropping the wrong ones.
trait Element: Sized {
    /// The element as it came off the wire.
    type Raw: DeserializeOwned;
    fn take(raw: Self::Raw) -> Option<Self>;
}

impl Element for String {
    type Raw = Seen;
    fn take(raw: Seen) -> Option<String> {
        text(raw).ok()
    }
}

/// A list: each element of the right shape is kept, the others dropped (and counted in the
/// log); anything but a list is `None`.
fn list<'de, D, T>(d: D, field: &'static str) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Element,
{
    struct V<T>(&'static str, PhantomData<T>);
    impl<'de, T: Element> Visitor<'de> for V<T> {
        type Value = Result<Vec<T>, Seen>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            let mut dropped = 0usize;
            while let Some(raw) = seq.next_element::<T::Raw>()? {
                match T::take(raw) {
                    Some(item) => out.push(item),
                    None => dropped += 1,
                }
            }
            if dropped > 0 {
                tracing::debug!(field = self.0, dropped, "list items of the wrong type were left out");
            }
            Ok(Ok(out))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Err(Seen::Null))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Err(Seen::Null))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Err(Seen::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Err(Seen::Int(v)))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Err(Seen::Big))
        }
        fn visit_i128<E>(self, _: i128) -> Result<Self::Value, E> {
            Ok(Err(Seen::Big))
        }
        fn visit_u128<E>(self, _: u128) -> Result<Self::Value, E> {
            Ok(Err(Seen::Big))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Err(Seen::Float))
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Err(Seen::Text(String::new())))
        }
        fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
            Ok(Err(Seen::Bytes))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Err(Seen::Object))
        }
    }
    match d.deserialize_any(V::<T>(field, PhantomData))? {
        Ok(items) => Ok(Some(items)),
        Err(Seen::Null) => Ok(None),
        Err(other) => {
            wrong_type(field, "a list", &other);
            Ok(None)
        }
    }
}

/// Marks the models read as list elements: an element that is not an object is dropped.
pub trait Model: DeserializeOwned {}

impl<T: Model> Element for T {
    type Raw = Object<T>;
    fn take(raw: Object<T>) -> Option<T> {
        raw.0
    }
}

impl<T: Element> Lenient for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        Ok(list(d, field)?.unwrap_or_default())
    }
}

impl<T: Element> Lenient for Option<Vec<T>> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        list(d, field)
    }
}

/// An object of any values (a rule's `acl`): anything but an object is empty.
impl Lenient for Map<String, Value> {
    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<Self, D::Error> {
        Ok(d.deserialize_any(MapOr(field))?.unwrap_or_default())
    }
}

/// Reads an object into a map of values, or logs what came instead and gives `None`.
struct MapOr(&'static str);

impl<'de> Visitor<'de> for MapOr {
    type Value = Option<Map<String, Value>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        de::Deserialize::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        self.wrong(Seen::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        self.wrong(Seen::Int(v))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        self.wrong(Seen::Big)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Self::Value, E> {
        self.wrong(Seen::Big)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Self::Value, E> {
        self.wrong(Seen::Big)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        self.wrong(Seen::Float)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        self.wrong(Seen::Text(String::new()))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        self.wrong(Seen::Bytes)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.wrong(Seen::List)
    }
}

impl MapOr {
    fn wrong<E>(&self, seen: Seen) -> Result<Option<Map<String, Value>>, E> {
        wrong_type(self.0, "an object", &seen);
        Ok(None)
    }
}

/// A required text field: missing is serde's "missing field" error; of the wrong type, an
/// error that names the field and what it came as.
pub fn required_text<'de, D: Deserializer<'de>>(d: D, field: &'static str) -> Result<String, D::Error> {
    match d.deserialize_any(SeenVisitor)? {
        Seen::Text(s) => Ok(s),
        other => Err(de::Error::custom(format_args!("`{field}` is {}, not text", other.kind()))),
    }
}

/// Readers for fields of envelopes declared with serde's derive (the models use
/// [`model!`](model::model)).
pub mod field {
    use super::Lenient;
    use serde::Deserializer;

    /// Reads `stacks` leniently (`GET /stacks`' envelope).
    pub fn stacks<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
        T::read(d, "stacks")
    }
}

/// Any value, kept as it came (a user's `settings`, whose shape varies); `null` is absent.
impl Lenient for Option<Value> {
    fn read<'de, D: Deserializer<'de>>(d: D, _field: &'static str) -> Result<Self, D::Error> {
        de::Deserialize::deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use crate::api::User;

    /// A log writer into a shared buffer.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_field_read_as_absent_is_logged_by_name_without_its_value() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let user: Result<User, _> = tracing::subscriber::with_default(subscriber, || {
            // Other tests hit the same log lines on other threads, with no subscriber: make the
            // callsites ask again now that one is listening.
            tracing::callsite::rebuild_interest_cache();
            serde_json::from_str(
                r#"{"uid": "u", "email": "e", "failed_attempts": "secret-ish 3", "org_uid": ["a", 1, 2]}"#,
            )
        });
        assert_eq!(user.expect("readable").failed_attempts, None);
        let log = String::from_utf8(buffer.0.lock().expect("log").clone()).expect("utf-8");
        assert!(log.contains("DEBUG"), "{log}");
        assert!(log.contains("field=\"failed_attempts\"") && log.contains("found=\"text\""), "{log}");
        assert!(log.contains("field=\"org_uid\"") && log.contains("dropped=2"), "{log}");
        assert!(!log.contains("secret-ish"), "the value stays out of the log: {log}");
    }

    #[test]
    fn reading_works_straight_from_json_text_too() {
        // The same attributes on a streaming deserializer (serde_json from text, not a Value).
        let user: User = serde_json::from_str(
            r#"{"uid": "u", "email": "e", "active": 1, "roles": [{"rules": [{"acl": [], "module": 3}]}, "x"],
                "organizations": [{"uid": "o", "org_roles": [true, {"admin": "yes", "name": "N"}]}]}"#,
        )
        .expect("readable");
        assert_eq!(user.active, None);
        assert_eq!(user.roles.len(), 1);
        assert_eq!(user.roles[0].rules[0].module, None);
        let orgs = user.organizations.expect("organisations");
        assert_eq!(orgs[0].org_roles.len(), 1);
        assert_eq!((orgs[0].org_roles[0].admin, orgs[0].org_roles[0].name.as_deref()), (None, Some("N")));
        let err = serde_json::from_str::<User>(r#"{"uid": 1.5, "email": "e"}"#).expect_err("uid required");
        assert!(err.to_string().starts_with("`uid` is a fractional number, not text"), "{err}");
    }
}
