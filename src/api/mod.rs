//! Contentstack's user API: a typed async client, its models, errors and regions. No UI here.

pub mod check;
pub mod client;
pub mod credential;
pub mod decode;
pub mod error;
pub mod lenient;
pub mod links;
pub mod models;
pub mod oauth;
pub mod oauth_session;
pub mod outbox;
pub mod profile_store;
pub mod redirect;
pub mod region;
pub mod retry;
pub mod rules;
pub mod secret;
pub mod signin;
pub mod stacks;

pub use client::{Client, ClientConfig, GetUserOptions};
pub use credential::{Auth, Credential};
pub use error::{ApiError, TransportKind};
pub use links::{email_in_link, looks_like_link, token_from_link};
pub use models::{
    LoginSuccess, Notice, Organization, Profile, Role, Rule, Stack, UpdateSuccess, User, UserUpdate,
};
pub use region::{Endpoint, Region};
pub use retry::RetryPolicy;
pub use secret::mask;
pub use stacks::{StackListing, all_stacks, may_need_organization, per_organization};
