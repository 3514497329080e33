//! Property tests of the API boundary: the decoders of `cs_account::api::decode` on arbitrary
//! statuses, headers and bodies (random bytes, and JSON shaped like the API's answers with every
//! field of a wrong type now and then), and `sanitize::display` itself.
//!
//! What must hold for every input: no decoder panics; a non-2xx status is never `Ok`; and every
//! string that comes out (each key and value of a decoded user, each notice, each error's
//! `user_message()` and `Display`) holds no C0/C1 control, ESC, DEL, BiDi/format control or
//! other invisible character (TAG characters, Hangul fillers, variation selectors but after
//! their base, ...).
//! Case counts are modest (256 per property) so `cargo test` stays quick.

use std::cell::Cell;
use std::time::Duration;

use cs_account::api::decode;
use cs_account::api::profile_store::RolesJson;
use cs_account::api::{ApiError, RetryPolicy};
use cs_account::sanitize::{display, is_clean};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::ExposeSecret;
use serde_json::{Map, Value, json};

const CASES: u32 = 256;

/// Characters a hostile server would send, over-represented next to arbitrary ones.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        3 => proptest::char::range('\0', '\x7f'),
        1 => proptest::char::range('\u{80}', '\u{9f}'),
        2 => select(vec![
            '\u{1b}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200f}', '\u{200b}',
            '\u{feff}', '\u{61c}', '\u{2028}', '\t', '\n', '\r', '\u{7}', '\0',
        ]),
        2 => invisible_char(),
        // Bases of variation sequences, so that selectors after them are tried too.
        1 => select(vec!['❤', '☎', '1', '#', '👍', '葛', 'ᠠ', 'a']),
    ]
}

/// Characters terminals draw as nothing: TAG characters, Hangul fillers, the soft hyphen, the
/// combining grapheme joiner, variation selectors, word joiners and invisible operators,
/// musical format controls, interlinear annotation.
fn invisible_char() -> impl Strategy<Value = char> {
    let range = |a: u32, b: u32| (a..=b).prop_filter_map("a char", char::from_u32);
    prop_oneof![
        range(0xE0000, 0xE007F),
        select(vec![
            '\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{00AD}', '\u{034F}', '\u{180E}', '\u{FEFF}'
        ]),
        range(0x2060, 0x206F),
        range(0xFE00, 0xFE0F),
        range(0xE0100, 0xE01EF),
        range(0x1D173, 0x1D17A),
        range(0xFFF9, 0xFFFB),
        range(0x180B, 0x180F),
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    vec(hostile_char(), 0..16).prop_map(|cs| cs.into_iter().collect())
}

/// Field names of the API's answers, so that objects often hit a model's fields.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "uid", "email", "username", "first_name", "last_name", "company", "mobile_number", "country_code",
    "tfa_status", "active", "failed_attempts", "created_at", "org_uid", "shared_org_uid", "roles",
    "organizations", "settings", "notice", "user", "authtoken", "rules", "acl", "module", "name",
    "org_roles", "admin", "error_code", "error_message", "errors", "tfa_type", "message", "error",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![2 => select(KEYS).prop_map(str::to_string), 1 => hostile_string()]
}

/// Any JSON value, nested a few levels; big numbers and NaN (which becomes null) included.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Mostly the right type, sometimes anything at all (a wrong type reads as absent, except in a
/// user's `uid` and `email`, which fail the answer).
fn or_anything(right: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![12 => right, 1 => any_json()].boxed()
}

fn string() -> impl Strategy<Value = Value> {
    hostile_string().prop_map(Value::String)
}

/// An object with some of `fields` (each mostly of its right type) and a few unknown keys. The
/// first `required` fields are nearly always there.
fn object(required: usize, fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let picked: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .into_iter()
        .enumerate()
        .map(|(i, (name, strat))| {
            let p = if i < required { 0.97 } else { 0.6 };
            proptest::option::weighted(p, strat.prop_map(move |v| (name.to_string(), v))).boxed()
        })
        .collect();
    (picked, vec((key(), any_json()), 0..3))
        .prop_map(|(known, unknown)| {
            let mut map: Map<String, Value> = unknown.into_iter().collect();
            map.extend(known.into_iter().flatten());
            Value::Object(map)
        })
        .boxed()
}

fn rule() -> BoxedStrategy<Value> {
    let acl_value = prop_oneof![any::<bool>().prop_map(Value::Bool), any_json()];
    let acl = vec((key(), acl_value), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect()));
    object(
        0,
        vec![
            ("module", or_anything(string())),
            ("acl", or_anything(acl)),
            ("locales", or_anything(vec(string(), 0..3).prop_map(Value::Array))),
        ],
    )
}

fn role() -> BoxedStrategy<Value> {
    object(
        0,
        vec![
            ("uid", or_anything(string())),
            ("name", or_anything(string())),
            ("api_key", or_anything(string())),
            ("users", or_anything(vec(string(), 0..3).prop_map(Value::Array))),
            ("rules", or_anything(vec(rule(), 0..3).prop_map(Value::Array))),
        ],
    )
}

/// A stack as `GET /stacks` lists it.
fn stack() -> BoxedStrategy<Value> {
    object(
        0,
        vec![
            ("uid", or_anything(string())),
            ("name", or_anything(string())),
            ("description", or_anything(string())),
            ("api_key", or_anything(string())),
            ("org_uid", or_anything(string())),
            ("owner_uid", or_anything(string())),
            ("master_locale", or_anything(string())),
            ("created_at", or_anything(string())),
            ("master_key", or_anything(string())),
        ],
    )
}

fn organization() -> BoxedStrategy<Value> {
    let org_role = object(
        0,
        vec![
            ("uid", or_anything(string())),
            ("name", or_anything(string())),
            ("admin", or_anything(any::<bool>().prop_map(Value::Bool))),
        ],
    );
    object(
        1,
        vec![
            ("uid", or_anything(string())),
            ("name", or_anything(string())),
            ("is_owner", or_anything(any::<bool>().prop_map(Value::Bool))),
            ("org_roles", or_anything(vec(org_role, 0..3).prop_map(Value::Array))),
        ],
    )
}

fn user() -> BoxedStrategy<Value> {
    let strings = vec(string(), 0..3).prop_map(Value::Array);
    object(
        3,
        vec![
            ("uid", or_anything(string())),
            ("email", or_anything(string())),
            ("authtoken", or_anything(string())),
            ("first_name", or_anything(string())),
            ("last_name", or_anything(string())),
            ("company", or_anything(string())),
            ("country_code", or_anything(string())),
            ("active", or_anything(any::<bool>().prop_map(Value::Bool))),
            ("failed_attempts", or_anything(any::<i64>().prop_map(Value::from))),
            ("org_uid", or_anything(strings)),
            ("roles", or_anything(vec(role(), 0..3).prop_map(Value::Array))),
            ("organizations", or_anything(vec(organization(), 0..3).prop_map(Value::Array))),
            ("settings", any_json().boxed()),
        ],
    )
}

/// A whole answer: `{"notice", "user"}`, sometimes with the error keys, each of any shape.
fn envelope() -> BoxedStrategy<Value> {
    let code = prop_oneof![
        any::<i64>().prop_map(Value::from),
        select(vec![104i64, 105, 294, 295, 429]).prop_map(Value::from),
        select(vec!["104", "294", "x"]).prop_map(Value::from),
        any_json(),
    ];
    let sometimes = |p: f64, s: BoxedStrategy<Value>| proptest::option::weighted(p, s);
    (
        sometimes(0.6, or_anything(string())),
        sometimes(0.9, user()),
        sometimes(0.15, code.boxed()),
        sometimes(0.2, or_anything(string())),
        sometimes(0.2, any_json().boxed()),
        sometimes(0.1, or_anything(string())),
        sometimes(0.3, or_anything(vec(stack(), 0..3).prop_map(Value::Array))),
    )
        .prop_map(|(notice, user, code, message, errors, tfa, stacks)| {
            let mut map = Map::new();
            for (k, v) in [
                ("notice", notice),
                ("user", user),
                ("error_code", code),
                ("error_message", message),
                ("errors", errors),
                ("tfa_type", tfa),
                ("stacks", stacks),
            ] {
                if let Some(v) = v {
                    map.insert(k.to_string(), v);
                }
            }
            Value::Object(map)
        })
        .boxed()
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![3 => 200u16..300, 2 => 100u16..600, 1 => select(vec![401u16, 403, 422, 429, 502])]
}

/// The headers classification reads, with arbitrary (sometimes non-UTF-8) values.
fn headers() -> impl Strategy<Value = HeaderMap> {
    let name = select(vec!["retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "content-type"]);
    let value = prop_oneof![
        vec(any::<u8>(), 0..12),
        any::<u64>().prop_map(|n| n.to_string().into_bytes()),
        Just(b"Wed, 21 Oct 2015 07:28:00 GMT".to_vec()),
        Just(b"Fri, 31 Dec 9999 23:59:59 GMT".to_vec()),
        Just(u64::MAX.to_string().into_bytes()),
    ];
    vec((name, value), 0..4).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_bytes(&value) {
                map.insert(HeaderName::from_static(name), v);
            }
        }
        map
    })
}

/// Every key and string value in `v`, checked clean.
fn check_json(v: &Value, what: &str) -> Result<(), TestCaseError> {
    match v {
        Value::String(s) => prop_assert!(is_clean(s), "{what}: unclean value {s:?}"),
        Value::Array(items) => {
            for item in items {
                check_json(item, what)?;
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                prop_assert!(is_clean(k), "{what}: unclean key {k:?}");
                check_json(item, what)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_user(user: &cs_account::api::User, what: &str) -> Result<(), TestCaseError> {
    let value = serde_json::to_value(user).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
    check_json(&value, what)
}

fn check_err(e: &ApiError, status: u16, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(is_clean(&e.user_message()), "{what} {status}: unclean message {:?}", e.user_message());
    prop_assert!(is_clean(&e.to_string()), "{what} {status}: unclean Display {:?}", e.to_string());
    // A hostile `Retry-After` (huge, far-future date) must not overflow the retry decision, nor
    // make a retried call wait past the policy's budget.
    let policy = RetryPolicy::default();
    if let Some(wait) = policy.delay_after(1, e, Duration::from_secs(1), 0.5) {
        prop_assert!(wait <= policy.max_total, "{what} {status}: waits {wait:?}");
        prop_assert!(e.is_transient(), "{what} {status}: retries a final error {e:?}");
    }
    Ok(())
}

/// How many answers each decoder accepted, so a generator that never reaches `Ok` fails the
/// test instead of leaving the cleanliness checks unexercised.
#[derive(Default)]
struct Oks {
    login: Cell<u32>,
    user: Cell<u32>,
    update: Cell<u32>,
    notice: Cell<u32>,
    stacks: Cell<u32>,
}

fn bump(c: &Cell<u32>) {
    c.set(c.get() + 1);
}

/// Runs all five decoders on one input and checks every property.
fn check_all(status: u16, headers: &HeaderMap, body: &[u8], oks: &Oks) -> Result<(), TestCaseError> {
    let success = (200..300).contains(&status);
    match decode::login(status, headers, body) {
        Ok(ok) => {
            prop_assert!(success, "login Ok on {status}");
            bump(&oks.login);
            check_user(&ok.user, "login")?;
            prop_assert!(is_clean(&ok.notice), "login notice {:?}", ok.notice);
            prop_assert!(ok.user.authtoken.is_some(), "login user without its token");
        }
        Err(e) => check_err(&e, status, "login")?,
    }
    match decode::user(status, headers, body) {
        Ok(u) => {
            prop_assert!(success, "user Ok on {status}");
            bump(&oks.user);
            check_user(&u, "user")?;
        }
        Err(e) => check_err(&e, status, "user")?,
    }
    match decode::profile(status, headers, body) {
        Ok(p) => {
            prop_assert!(success, "profile Ok on {status}");
            check_user(&p.user, "profile")?;
            let roles =
                serde_json::to_value(RolesJson(&p.roles)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            check_json(&roles, "profile roles")?;
        }
        Err(e) => check_err(&e, status, "profile")?,
    }
    match decode::update(status, headers, body) {
        Ok(ok) => {
            prop_assert!(success, "update Ok on {status}");
            bump(&oks.update);
            check_user(&ok.user, "update")?;
            prop_assert!(is_clean(&ok.notice), "update notice {:?}", ok.notice);
        }
        Err(e) => check_err(&e, status, "update")?,
    }
    match decode::notice(status, headers, body) {
        Ok(n) => {
            prop_assert!(success, "notice Ok on {status}");
            bump(&oks.notice);
            prop_assert!(is_clean(&n.notice), "notice {:?}", n.notice);
        }
        Err(e) => check_err(&e, status, "notice")?,
    }
    match decode::stacks(status, headers, body) {
        Ok(list) => {
            prop_assert!(success, "stacks Ok on {status}");
            bump(&oks.stacks);
            let value = serde_json::to_value(&list).map_err(|e| TestCaseError::fail(e.to_string()))?;
            check_json(&value, "stacks")?;
            prop_assert!(!value.to_string().contains("master_key"), "a stack's master key kept");
        }
        Err(e) => check_err(&e, status, "stacks")?,
    }
    Ok(())
}

fn run<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(Config { cases: CASES, failure_persistence: None, ..Config::default() });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

#[test]
fn api_shaped_answers_decode_cleanly_or_fail_typed() {
    let oks = Oks::default();
    run((status(), headers(), envelope()), |(status, headers, body)| {
        let bytes = serde_json::to_vec(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_all(status, &headers, &bytes, &oks)
    });
    // The generator must reach the success paths, or the checks above proved little.
    for (name, n) in [
        ("login", &oks.login),
        ("user", &oks.user),
        ("update", &oks.update),
        ("notice", &oks.notice),
        ("stacks", &oks.stacks),
    ] {
        assert!(n.get() >= 5, "only {} of {CASES} {name} answers decoded: the generator misses Ok", n.get());
    }
}

/// The streaming decoder ([`decode::profile`]) and the one that builds the whole document first
/// ([`decode::user`]) agree on every answer: the same user, token and roles (printed, so the
/// order of every key counts), or the same error.
fn agree(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<bool, TestCaseError> {
    let fail = |e: serde_json::Error| TestCaseError::fail(e.to_string());
    match (decode::user(status, headers, body), decode::profile(status, headers, body)) {
        (Ok(mut old), Ok(new)) => {
            let roles = std::mem::take(&mut old.roles);
            prop_assert_eq!(
                serde_json::to_string(&old).map_err(fail)?,
                serde_json::to_string(&new.user).map_err(fail)?
            );
            prop_assert_eq!(
                serde_json::to_string(&roles).map_err(fail)?,
                serde_json::to_string(&RolesJson(&new.roles)).map_err(fail)?
            );
            let token =
                |u: &cs_account::api::User| u.authtoken.as_ref().map(|t| t.expose_secret().to_string());
            prop_assert_eq!(token(&old), token(&new.user));
            prop_assert!(new.user.roles.is_empty());
            Ok(true)
        }
        (Err(old), Err(new)) => {
            prop_assert_eq!(format!("{old:?}"), format!("{new:?}"));
            Ok(false)
        }
        (old, new) => Err(TestCaseError::fail(format!("the decoders disagree: {old:?} / {new:?}"))),
    }
}

#[test]
fn the_streaming_decoder_agrees_with_the_document_decoder() {
    let oks = Cell::new(0u32);
    run((status(), headers(), envelope()), |(status, headers, body)| {
        let bytes = serde_json::to_vec(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if agree(status, &headers, &bytes)? {
            bump(&oks);
        }
        // Cut short, the answer is no longer JSON: both say so, in the same words.
        let cut = &bytes[..bytes.len() / 2];
        agree(status, &headers, cut)?;
        Ok(())
    });
    assert!(oks.get() >= 20, "only {} answers decoded: the generator misses Ok", oks.get());
}

#[test]
fn arbitrary_bytes_never_panic() {
    let oks = Oks::default();
    let bytes = prop_oneof![
        vec(any::<u8>(), 0..256),
        // Broken JSON: a real answer cut anywhere.
        (envelope(), any::<prop::sample::Index>()).prop_map(|(v, at)| {
            let mut b = serde_json::to_vec(&v).unwrap_or_default();
            let cut = at.index(b.len() + 1);
            b.truncate(cut);
            b
        }),
    ];
    run((status(), headers(), bytes), |(status, headers, body)| check_all(status, &headers, &body, &oks));
}

/// Numbers no Rust integer holds, in every field, as JSON text (a `Value` cannot carry them).
#[test]
fn huge_numbers_in_every_field() {
    let oks = Oks::default();
    let number = select(vec![
        "1e400".to_string(),
        "-1e400".to_string(),
        "18446744073709551616".to_string(),
        "-9223372036854775809".to_string(),
        "9".repeat(400),
        "0.0000000000000000000000000001".to_string(),
        "-0".to_string(),
        "1.5".to_string(),
    ]);
    let fields = select(vec![
        "uid",
        "email",
        "failed_attempts",
        "active",
        "roles",
        "organizations",
        "settings",
        "org_uid",
    ]);
    run((status(), number, fields, any::<bool>()), |(status, n, field, as_code)| {
        let code = if as_code { format!(",\"error_code\":{n}") } else { String::new() };
        let text = format!(
            "{{\"notice\":{n},\"user\":{{\"uid\":\"u\",\"email\":\"e\",\"authtoken\":\"blt1\",\"{field}\":{n}}}{code}}}"
        );
        check_all(status, &HeaderMap::new(), text.as_bytes(), &oks)
    });
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let oks = Oks::default();
    let depth = 10_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let in_user =
        format!("{{\"user\":{{\"uid\":\"u\",\"email\":\"e\",\"authtoken\":\"blt1\",\"x\":{arrays}}}}}");
    for body in [&arrays, &objects, &in_user] {
        for status in [200, 201, 401, 422, 500] {
            check_all(status, &HeaderMap::new(), body.as_bytes(), &oks).expect("clean");
        }
        let err = decode::user(200, &HeaderMap::new(), body.as_bytes());
        assert!(matches!(err, Err(ApiError::Decode { status: 200, .. })), "{err:?}");
    }
}

/// Typical hostile answers decode to the right class, so the properties above are not met by
/// refusing everything.
#[test]
fn typical_answers_keep_their_meaning() {
    let h = HeaderMap::new();
    let user = json!({"user": {"uid": "u\u{1b}", "email": "e", "authtoken": "blt1", "roles": [{"rules": [{"acl": {"read": true}}]}]}});
    let bytes = serde_json::to_vec(&user).expect("json");
    let u = decode::user(200, &h, &bytes).expect("a user");
    assert_eq!(u.uid, "u^[");
    assert_eq!(u.roles[0].rules[0].acl_flags().len(), 1);
    let wrong =
        json!({"error_code": "104", "error_message": "Looks like your password is invalid", "errors": 7});
    let err = decode::login(422, &h, &serde_json::to_vec(&wrong).expect("json")).expect_err("refused");
    assert!(matches!(err, ApiError::Validation { .. }), "a string error_code is no code: {err:?}");
    // An optional field of the wrong type reads as absent; a required one is named.
    let roles_as_string =
        json!({"user": {"uid": "u", "email": "e", "roles": "admin", "failed_attempts": "3"}});
    let u = decode::user(200, &h, &serde_json::to_vec(&roles_as_string).expect("json")).expect("readable");
    assert!(u.roles.is_empty() && u.failed_attempts.is_none());
    let uid_as_number = json!({"user": {"uid": 5, "email": "e"}});
    let err = decode::user(200, &h, &serde_json::to_vec(&uid_as_number).expect("json")).expect_err("typed");
    assert!(matches!(&err, ApiError::Decode { status: 200, detail } if detail.contains("`uid`")), "{err:?}");
    // Hidden text in TAG characters shows, one code point at a time.
    let tagged: String = "IGNORE".chars().filter_map(|c| char::from_u32(0xE0000 + c as u32)).collect();
    let admin = json!({"user": {"uid": "u", "email": "e", "first_name": format!("Ad{tagged}min")}});
    let u = decode::user(200, &h, &serde_json::to_vec(&admin).expect("json")).expect("a user");
    let shown = u.first_name.unwrap_or_default();
    assert!(shown.starts_with("Ad⟨U+E0049⟩⟨U+E0047⟩") && shown.ends_with("⟨U+E0045⟩min"), "{shown}");
}

/// Any user whose `uid` and `email` are text decodes, whatever type every other field (and
/// every field of its roles, rules and organisations) comes as.
#[test]
fn a_user_with_a_text_uid_and_email_always_decodes() {
    run((user(), hostile_string(), hostile_string()), |(mut user, uid, email)| {
        if let Value::Object(map) = &mut user {
            map.insert("uid".into(), Value::String(uid));
            map.insert("email".into(), Value::String(email));
        }
        let body =
            serde_json::to_vec(&json!({ "user": user })).map_err(|e| TestCaseError::fail(e.to_string()))?;
        match decode::user(200, &HeaderMap::new(), &body) {
            Ok(u) => check_user(&u, "user"),
            Err(e) => Err(TestCaseError::fail(format!("{e:?} for {user}"))),
        }
    });
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]

    #[test]
    fn display_output_is_always_clean(s in hostile_string()) {
        let out = display(&s);
        prop_assert!(is_clean(&out), "{s:?} -> {out:?}");
    }

    #[test]
    fn display_leaves_clean_text_alone(s in hostile_string()) {
        let clean: String = s.chars().filter(|c| is_clean(c.encode_utf8(&mut [0; 4]))).collect();
        let out = display(&clean);
        prop_assert!(matches!(out, std::borrow::Cow::Borrowed(_)), "{clean:?} was copied");
        prop_assert_eq!(out.as_ref(), clean.as_str());
    }

    #[test]
    fn display_is_idempotent(s in hostile_string()) {
        let once = display(&s).into_owned();
        let twice = display(&once);
        prop_assert_eq!(twice.as_ref(), once.as_str());
    }

    #[test]
    fn display_hides_nothing(s in hostile_string()) {
        // Every character is either kept or replaced by at least one visible one: a hostile
        // value can be spotted, never silently emptied.
        let out = display(&s);
        prop_assert!(out.chars().count() >= s.chars().count(), "{s:?} -> {out:?}");
    }
}
