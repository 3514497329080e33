//! The stacks' names for the roles tree: asked for once the profile shows (it shows at once with
//! API keys), filled in when the answer comes without moving anything, and asked again with
//! `S` when that failed.

use rustc_hash::FxHashMap;

use crate::api::ApiError;
use crate::api::stacks::StackListing;
use crate::app::effect::Effect;
use crate::app::request::{Kind, Lives, OnStacks, Request};
use crate::app::state::{App, ToastLevel};
use crate::screens::profile::StacksStatus;
use crate::screens::profile::tree::{Directory, StackEntry};

/// The stacks request for the session's own endpoint and token, with the organisations to ask
/// one by one if the plain call is refused; one still running is cancelled first (`S` pressed
/// twice asks once). Nothing without a session.
pub fn request(app: &mut App) -> Vec<Effect> {
    let mut effects = app.cancel_where(|p| p.kind == Kind::Stacks);
    if let Some(p) = app.profile_anywhere_mut() {
        p.stacks.status = StacksStatus::Loading;
    }
    let Some(session) = app.session.as_ref() else { return effects };
    let user = &session.user;
    let mut organizations: Vec<String> = match &user.organizations {
        Some(orgs) => orgs.iter().map(|o| o.uid.clone()).collect(),
        None => user.org_uid.iter().chain(&user.shared_org_uid).cloned().collect(),
    };
    organizations.retain(|o| !o.trim().is_empty());
    organizations.dedup();
    let request = Request::Stacks {
        endpoint: session.endpoint.clone(),
        cred: session.cred.clone(),
        organizations,
        then: OnStacks,
    };
    effects.push(app.request(Lives::Session, request));
    effects
}

/// A text the server sent, unless it is blank.
fn known(text: Option<&String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).cloned()
}

/// The answer: names into the tree; a failure said once, with the key that asks again.
pub fn on_answer(app: &mut App, result: Result<StackListing, ApiError>) -> Vec<Effect> {
    match result {
        Ok(listing) => {
            let orgs = app.session.as_ref().and_then(|s| s.user.organizations.as_ref());
            let orgs: FxHashMap<String, String> = orgs
                .into_iter()
                .flatten()
                .filter_map(|o| Some((o.uid.clone(), known(o.name.as_ref())?)))
                .collect();
            let stacks = listing
                .stacks
                .iter()
                .map(|s| {
                    let entry = StackEntry { name: known(s.name.as_ref()), org: known(s.org_uid.as_ref()) };
                    (s.api_key.clone(), entry)
                })
                .collect();
            let user = app.session.as_ref().map(|s| s.user.clone()).unwrap_or_default();
            // Wherever the profile is on the stack (the edit form may be over it).
            let Some(p) = app.profile_anywhere_mut() else { return Vec::new() };
            p.tree.set_directory(Directory { stacks, orgs });
            // Its stacks are named now, and its roles in the tree's new order.
            p.rebuild_perms();
            p.stacks.listed = listing.stacks;
            p.stacks.status = StacksStatus::Loaded;
            p.refresh_stack_rows(&user);
            match listing.failed.len() {
                0 => Vec::new(),
                n => {
                    let said = format!(
                        "The stacks of {n} organisation{} could not be listed ({}); their stacks show API keys.",
                        if n == 1 { "" } else { "s" },
                        listing.failed.first().map(|(_, e)| e.user_message()).unwrap_or_default()
                    );
                    vec![app.toast(ToastLevel::Warning, said)]
                }
            }
        }
        // The session's end is handled where every 401 is: by the next call the user makes.
        Err(e) => {
            if let Some(p) = app.profile_anywhere_mut() {
                p.stacks.status = StacksStatus::Failed(e.user_message());
            }
            let said = format!(
                "Stack names not loaded (S tries again; stacks show their API keys): {}",
                e.user_message()
            );
            vec![app.toast(ToastLevel::Warning, said)]
        }
    }
}
