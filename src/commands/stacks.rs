//! `stacks`: the stacks the logged-in user owns or shares, from `GET /v3/stacks`.
//!
//! The profile (`GET /user` with its organisations) is asked for at the same time: it names the
//! organisations and says which stacks are the user's own. When the plain stacks call is refused
//! the way an SSO-enabled organisation refuses it, each organisation is asked on its own
//! ([`crate::api::stacks`]) and the answers merged.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::{Failure, Outcome, authed, out, print_json};
use crate::api::stacks::{StackListing, may_need_organization, per_organization};
use crate::api::{GetUserOptions, Stack, User};
use crate::cli::GlobalArgs;

/// Lists the stacks: a table on stdout, or with `json` the sanitised array. Exit codes as for
/// `whoami`; organisations whose stacks could not be listed are named on stderr after the list,
/// with exit code 1.
pub async fn stacks(global: &GlobalArgs, json: bool) -> Outcome {
    let ctx = authed(global)?;
    let with_orgs = GetUserOptions { include_orgs: true, ..GetUserOptions::default() };
    let (user, plain) =
        tokio::join!(ctx.client.get_user(&ctx.cred, with_orgs), ctx.client.get_stacks(&ctx.cred, None));
    let user = user?;
    let organizations: Vec<String> =
        user.organizations.iter().flatten().map(|o| o.uid.clone()).filter(|u| !u.is_empty()).collect();
    let listing = match plain {
        Ok(stacks) => StackListing::from_plain(stacks),
        Err(e) if may_need_organization(&e) && !organizations.is_empty() => {
            per_organization(&ctx.client, &ctx.cred, &organizations, e).await?
        }
        Err(e) => return Err(e.into()),
    };
    let names = organization_names(&user);
    if json {
        print_json(&listing.stacks)?;
    } else if listing.stacks.is_empty() {
        if listing.failed.is_empty() {
            eprintln!("No stacks: none is owned by or shared with {}.", user.email);
        }
    } else {
        out(&table(&listing.stacks, &user.uid, &names))?;
    }
    match failures(&listing, &names) {
        Some(message) => Err(Failure::other(message)),
        None => Ok(()),
    }
}

/// Organisation uid → name, from the profile.
fn organization_names(user: &User) -> HashMap<String, String> {
    user.organizations
        .iter()
        .flatten()
        .filter_map(|o| o.name.as_ref().map(|n| (o.uid.clone(), n.clone())))
        .collect()
}

/// The organisation's name, or its uid when the profile does not name it.
fn organization<'a>(stack: &'a Stack, names: &'a HashMap<String, String>) -> &'a str {
    match stack.org_uid.as_deref() {
        Some(uid) => names.get(uid).map_or(uid, String::as_str),
        None => "—",
    }
}

/// One line per stack, by organisation then name, under a header: name, API key, organisation,
/// owner ("you" or "other") and the day it was created, in aligned columns.
fn table(stacks: &[Stack], user_uid: &str, names: &HashMap<String, String>) -> String {
    let mut rows: Vec<[String; 5]> = stacks
        .iter()
        .map(|s| {
            [
                s.display_name().to_string(),
                s.api_key.clone(),
                organization(s, names).to_string(),
                if s.is_owned_by(user_uid) { "you" } else { "other" }.to_string(),
                crate::text::date(s.created_at.as_deref()),
            ]
        })
        .collect();
    rows.sort_by(|a, b| {
        (a[2].to_lowercase(), a[0].to_lowercase()).cmp(&(b[2].to_lowercase(), b[0].to_lowercase()))
    });
    let header = ["Name", "API key", "Organisation", "Owner", "Created"].map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// "The stacks of Acme Publishing could not be listed: …", one sentence per organisation that
/// failed, or nothing when all were listed.
fn failures(listing: &StackListing, names: &HashMap<String, String>) -> Option<String> {
    if listing.failed.is_empty() {
        return None;
    }
    let lines: Vec<String> = listing
        .failed
        .iter()
        .map(|(uid, e)| {
            let name = names.get(uid).map_or(uid.as_str(), String::as_str);
            format!("The stacks of {name} could not be listed: {}", e.user_message())
        })
        .collect();
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(name: &str, key: &str, org: &str, owner: &str, created: &str) -> Stack {
        Stack {
            name: Some(name.into()),
            api_key: key.into(),
            org_uid: Some(org.into()),
            owner_uid: Some(owner.into()),
            created_at: Some(created.into()),
            ..Stack::default()
        }
    }

    #[test]
    fn the_table_is_aligned_and_sorted_by_organisation_then_name() {
        let names: HashMap<String, String> =
            [("o1".to_string(), "Zeta Ünïcode Org".to_string()), ("o2".to_string(), "Acme".to_string())]
                .into_iter()
                .collect();
        let stacks = [
            stack("Marketing site", "blt1", "o1", "me", "2017-03-14T10:12:45.201Z"),
            stack("Newsroom", "blt22", "o2", "them", "2020-10-01T07:00:00.000Z"),
            stack("Blog", "blt333", "o9", "me", "later"),
            Stack { api_key: "blt4".into(), ..Stack::default() },
        ];
        assert_eq!(
            table(&stacks, "me", &names),
            "\
Name            API key  Organisation      Owner  Created
Newsroom        blt22    Acme              other  2020-10-01
Blog            blt333   o9                you    later
Marketing site  blt1     Zeta Ünïcode Org  you    2017-03-14
blt4            blt4     —                 other  —
"
        );
    }

    #[test]
    fn failed_organisations_are_named() {
        let names: HashMap<String, String> = [("o1".to_string(), "Acme".to_string())].into_iter().collect();
        let listing = StackListing {
            failed: vec![
                (
                    "o1".into(),
                    crate::api::ApiError::Server { status: 503, code: None, message: String::new() },
                ),
                (
                    "o2".into(),
                    crate::api::ApiError::Rejected { status: 412, code: None, message: "No".into() },
                ),
            ],
            ..StackListing::default()
        };
        assert_eq!(
            failures(&listing, &names).as_deref(),
            Some(
                "The stacks of Acme could not be listed: Contentstack had a problem (503). Try again in a moment.\n\
                 The stacks of o2 could not be listed: The server refused the request (412): No"
            )
        );
        assert_eq!(failures(&StackListing::default(), &names), None);
    }
}
