//! `whoami` and `update`: calls on the logged-in session.

use super::{Failure, Outcome, authed, out, print_json};
use crate::api::error::field_label;
use crate::api::rules::{check_profile_value, field_sentence};
use crate::api::{GetUserOptions, User, UserUpdate, mask};
use crate::cli::{GlobalArgs, UpdateArgs};

/// Asks the server who the token belongs to (unlike csdx's whoami, which reads a file).
pub async fn whoami(global: &GlobalArgs, json: bool) -> Outcome {
    let ctx = authed(global)?;
    let user = ctx.client.get_user(&ctx.token, GetUserOptions::full()).await?;
    if json {
        return print_json(&user);
    }
    let mut text = summary(&user, ctx.client.endpoint().label());
    text.push_str(&format!("{:<16}{}\n", "Session token", mask(&ctx.token)));
    out(&text)
}

/// A readable profile summary, one `label  value` line each.
fn summary(user: &User, endpoint: String) -> String {
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
    line("Stack roles", &user.roles.len().to_string());
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
    let current = ctx.client.get_user(&ctx.token, GetUserOptions::default()).await?;
    let changes = wanted.changes_from(&current);
    if changes.is_empty() {
        eprintln!("Nothing changed: the profile already has these values.");
        return if args.out.json { print_json(&current) } else { Ok(()) };
    }
    let result = ctx.client.update_user(&ctx.token, &changes).await.map_err(super::api_failure)?;
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
