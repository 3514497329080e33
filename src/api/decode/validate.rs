//! The error a broken answer gets, worded as `serde_json::Value` words it.
//!
//! The streaming reader ([`super::stream`]) skips what it does not keep with `IgnoredAny` and
//! reads keys and tokens with seeds of its own; on a cut or malformed answer serde_json then words
//! the same fault differently ("invalid number" where `Value` says "EOF while parsing a value").
//! The error shown must not depend on which reader ran, so a failed streaming read is read once
//! more here, with exactly the calls `Value`'s visitor makes (`deserialize_any` for values,
//! `deserialize_str` for keys), keeping nothing: memory stays flat whatever the answer holds.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The syntax error of `bytes` as `serde_json::from_slice::<Value>` reports it, or `None` when
/// they are well-formed JSON (the streaming reader then failed on their shape, not their syntax).
pub(super) fn syntax_error(bytes: &[u8]) -> Option<serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Any.deserialize(&mut de).and_then(|()| de.end()).err()
}

/// Any value, read and dropped.
struct Any;

impl<'de> DeserializeSeed<'de> for Any {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Any {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Any)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Key)?.is_some() {
            map.next_value_seed(Any)?;
        }
        Ok(())
    }
}

/// An object's key, read as `Value` reads it (`deserialize_str`) and dropped.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(Any)
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderMap;
    use serde_json::json;

    use crate::api::decode;

    /// Every prefix of an answer (a connection cut anywhere) fails alike in the streaming and the
    /// whole-document decoder. Before the second reading, a cut inside a skipped field's number
    /// said "invalid number" in one and "EOF while parsing a value" in the other.
    #[test]
    fn every_cut_answer_fails_alike_in_both_decoders() {
        let body = serde_json::to_vec(&json!({
            "notice": "ok",
            "user": {
                "uid": "blt1", "email": "a@b.c", "authtoken": "blttoken",
                "unknown_field": [-12.5e3, {"deep": [true, null, "x\u{1b}"]}],
                "failed_attempts": -3,
                "roles": [{"uid": "r1", "name": "Dev", "api_key": "blt2",
                           "rules": [{"module": "asset", "assets": ["$all"], "acl": {"read": true}}],
                           "extra": -0.5}],
                "settings": {"global": [{"key": "k", "value": -1}]}
            },
            "after": -42
        }))
        .expect("serialises");
        let headers = HeaderMap::new();
        for cut in 0..body.len() {
            let part = &body[..cut];
            let old = decode::user(200, &headers, part).map(|_| ());
            let new = decode::profile(200, &headers, part).map(|_| ());
            assert_eq!(
                format!("{old:?}"),
                format!("{new:?}"),
                "cut after {cut} bytes: {}",
                String::from_utf8_lossy(part)
            );
        }
    }
}
