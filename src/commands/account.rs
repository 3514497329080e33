//! `whoami` and `update`: calls on the logged-in session.

use super::{Failure, Outcome, authed, out, print_json};
use crate::api::error::field_label;
use crate::api::profile_store::{RolesJson, RuleStore};
use crate::api::rules::{check_profile_value, field_sentence};
use crate::api::{GetUserOptions, Profile, User, UserUpdate};
use crate::cli::{GlobalArgs, UpdateArgs};

/// Asks the server who the token belongs to (unlike csdx's whoami, which reads a file).
///
/// The profile is read in one pass into what is printed from (see
/// [`crate::api::decode::profile`]), and printed straight into a locked, buffered stdout: the
/// JSON of a 1,000-role profile (20 MB) is never held as text.
pub async fn whoami(global: &GlobalArgs, json: bool) -> Outcome {
    let ctx = authed(global)?;
    let profile = ctx.client.get_profile(&ctx.cred, GetUserOptions::full()).await?;
    let endpoint = ctx.client.endpoint().label();
    write_out(|w| {
        if json {
            serde_json::to_writer_pretty(&mut *w, &ProfileJson(&profile)).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        } else {
            let mut text = summary(&profile.user, &profile.roles, endpoint);
            text.push_str(&format!("{:<16}{}\n", "Session token", ctx.cred.masked()));
            w.write_all(text.as_bytes())
        }
    })
}

/// Writes to a locked, buffered stdout. A reader that stops early (`whoami --json | head`) is
/// not an error, as with [`out`].
fn write_out(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Outcome {
    use std::io::Write;
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::other(format!("Could not write the output: {e}"))),
    }
}

/// The user's fields that the model prints before `roles`; the roles go before the first other.
const BEFORE_ROLES: [&str; 20] = [
    "uid",
    "email",
    "username",
    "first_name",
    "last_name",
    "company",
    "mobile_number",
    "country_code",
    "tfa_status",
    "authy_id",
    "active",
    "failed_attempts",
    "profile_type",
    "created_at",
    "updated_at",
    "last_login_at",
    "password_updated_at",
    "password_reset_required",
    "org_uid",
    "shared_org_uid",
];

/// A profile printed as the `User` model prints with its roles: the user's fields with the
/// roles from the store in their place (the user's own fields, a few dozen values, go through a
/// map to find that place).
struct ProfileJson<'a>(&'a Profile);

impl serde::Serialize for ProfileJson<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let fields = match serde_json::to_value(&self.0.user).map_err(S::Error::custom)? {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let roles = &self.0.roles;
        let mut map = ser.serialize_map(None)?;
        let mut placed = roles.role_count() == 0;
        for (k, v) in &fields {
            if !placed && !BEFORE_ROLES.contains(&k.as_str()) {
                map.serialize_entry("roles", &RolesJson(roles))?;
                placed = true;
            }
            map.serialize_entry(k, v)?;
        }
        if !placed {
            map.serialize_entry("roles", &RolesJson(roles))?;
        }
        map.end()
    }
}

/// A readable profile summary, one `label  value` line each.
fn summary(user: &User, roles: &RuleStore, endpoint: String) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        if !value.is_empty() {
            out.push_str(&format!("{label:<16}{value}\n"));
        }
    };
    line("Name", &user.display_name());
    line("Email", &user.email);
    line("Username", user.username.as_deref().unwrap_or(""));
    line("User uid", &user.uid);
    line("Company", user.company.as_deref().unwrap_or(""));
    line("Mobile", &user.mobile().unwrap_or_default());
    line("2FA", user.tfa_status.as_deref().unwrap_or(""));
    line("Region", &endpoint);
    let orgs =
        user.organizations.as_ref().map(Vec::len).unwrap_or(user.org_uid.len() + user.shared_org_uid.len());
    line("Organisations", &orgs.to_string());
    line("Stack roles", &roles.role_count().to_string());
    out
}

/// Sends only the fields given that differ from the current profile, once they pass the same
/// checks as the edit form's ([`crate::api::rules`]): a value the server would refuse is refused
/// here, before anything is sent.
pub async fn update(global: &GlobalArgs, args: UpdateArgs) -> Outcome {
    let wanted = checked_update(UserUpdate {
        first_name: args.first_name,
        last_name: args.last_name,
        company: args.company,
        mobile_number: args.mobile,
        country_code: args.country_code,
    })?;
    if wanted.is_empty() {
        return Err(Failure::usage(
            "Nothing to change: give at least one of --first-name, --last-name, --company, --mobile, --country-code.",
        ));
    }
    let ctx = authed(global)?;
    let current = ctx.client.get_user(&ctx.cred, GetUserOptions::default()).await?;
    let changes = wanted.changes_from(&current);
    if changes.is_empty() {
        eprintln!("Nothing changed: the profile already has these values.");
        return if args.out.json { print_json(&current) } else { Ok(()) };
    }
    let result = ctx.client.update_user(&ctx.cred, &changes).await.map_err(super::api_failure)?;
    if args.out.json {
        return print_json(&result.user);
    }
    eprintln!("{}", if result.notice.is_empty() { "Profile updated." } else { &result.notice });
    let mut text = String::new();
    for (field, value) in changes.fields() {
        text.push_str(&format!("{:<16}{value}\n", crate::api::error::field_label(field)));
    }
    out(&text)
}

/// The update with every value trimmed as it will be sent, or one sentence per refused field.
fn checked_update(wanted: UserUpdate) -> Result<UserUpdate, Failure> {
    let mut problems = Vec::new();
    let mut check = |name: &str, value: Option<String>| {
        let value = value?;
        match check_profile_value(name, &value) {
            Ok(v) => Some(v),
            Err(p) => {
                problems.push(field_sentence(&field_label(name), &[p.message(name)]));
                None
            }
        }
    };
    let checked = UserUpdate {
        first_name: check("first_name", wanted.first_name),
        last_name: check("last_name", wanted.last_name),
        company: check("company", wanted.company),
        mobile_number: check("mobile_number", wanted.mobile_number),
        country_code: check("country_code", wanted.country_code),
    };
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(Failure::usage(format!("{} Nothing was sent.", problems.join(" "))))
    }
}
