//! Declaring a model read leniently: [`model!`] writes the struct, its `Serialize` (absent
//! fields left out, the unknown ones after the known, as the server's order had them) and a
//! `Deserialize` that reads each known field with [`Lenient`] under its own name (so the log
//! says which field was wrong) and keeps every other field in the model's `extra` map.
//!
//! Written once here instead of a `#[serde(default, deserialize_with = "field::<name>",
//! skip_serializing_if = "...")]` on every field of every model: an attribute cannot name the
//! field for the reader, the macro can.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde_json::{Map, Value};

use super::Lenient;

/// Whether a field is left out when a model is serialised: an absent option, an empty list or
/// map. A text field that always has a value (an organisation's `uid`) is always written.
pub trait Absent {
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Vec<T> {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

impl Absent for Map<String, Value> {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

impl Absent for String {
    fn absent(&self) -> bool {
        false
    }
}

/// An object key, borrowed from the answer when it can be (no allocation for the known keys of
/// a large profile's thousands of objects).
pub struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned().into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
}

/// Reads the value of the field named `.0` with [`Lenient`].
pub struct Read<T>(pub &'static str, pub PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Read<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d, self.0)
    }
}

/// Reads the required text field named `.0` (see [`super::required_text`]).
pub struct Required(pub &'static str);

impl<'de> DeserializeSeed<'de> for Required {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        super::required_text(d, self.0)
    }
}

/// Fills a field's slot, refusing a second value for it as serde's derive does.
pub fn once<T, E: de::Error>(
    slot: &mut Option<T>,
    name: &'static str,
    read: impl FnOnce() -> Result<T, E>,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(read()?);
    Ok(())
}

/// A model read leniently (see the module's text). Every field of a model is public.
///
/// ```ignore
/// model! {
///     /// A role.
///     #[derive(Debug, Clone, Default)]
///     pub struct Role {
///         @required { uid: String }        // optional group: missing is an error
///         name: Option<String>,            // read with `Lenient`, left out when absent
///         ;
///         extra: Map<String, Value>        // every other field, as it came
///         ; authtoken: Option<SecretString> // optional: never read nor written
///     }
/// }
/// ```
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(@required { $( $(#[$rmeta:meta])* $rfield:ident: $rty:ty ),* $(,)? })?
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty ),* $(,)?
            ;
            $(#[$xmeta:meta])* $extra:ident: Map<String, Value>
            $(; $(#[$smeta:meta])* $skip:ident: $sty:ty)?
            $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(serde::Serialize)]
        pub struct $name {
            $($( $(#[$rmeta])* pub $rfield: $rty, )*)?
            $(
                $(#[$fmeta])*
                #[serde(skip_serializing_if = "crate::api::lenient::Absent::absent")]
                pub $field: $ty,
            )*
            $(#[$xmeta])*
            #[serde(flatten)]
            pub $extra: serde_json::Map<String, serde_json::Value>,
            $( $(#[$smeta])* #[serde(skip)] pub $skip: $sty, )?
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use crate::api::lenient::model::{Key, Read, once};
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map_access: A,
                    ) -> Result<$name, A::Error> {
                        $($( let mut $rfield: Option<$rty> = None; )*)?
                        $( let mut $field: Option<$ty> = None; )*
                        let mut $extra = serde_json::Map::new();
                        while let Some(key_text) = map_access.next_key_seed(Key)? {
                            match &*key_text {
                                $($(
                                    stringify!($rfield) => once(&mut $rfield, stringify!($rfield), || {
                                        map_access.next_value_seed(crate::api::lenient::model::Required(stringify!($rfield)))
                                    })?,
                                )*)?
                                $(
                                    stringify!($field) => once(&mut $field, stringify!($field), || {
                                        map_access.next_value_seed(Read(stringify!($field), std::marker::PhantomData))
                                    })?,
                                )*
                                _ => {
                                    let value: serde_json::Value = map_access.next_value()?;
                                    $extra.insert(key_text.into_owned(), value);
                                }
                            }
                        }
                        Ok($name {
                            $($(
                                $rfield: $rfield
                                    .ok_or_else(|| serde::de::Error::missing_field(stringify!($rfield)))?,
                            )*)?
                            $( $field: $field.unwrap_or_default(), )*
                            $extra,
                            $( $skip: Default::default(), )?
                        })
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}
pub(crate) use model;
