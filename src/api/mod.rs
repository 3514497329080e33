//! Contentstack's user API: a typed async client, its models, errors and regions. No UI here.

pub mod error;
pub mod models;
pub mod region;
pub mod secret;

pub use error::{ApiError, TransportKind};
pub use models::{LoginSuccess, Notice, Organization, Role, Rule, UpdateSuccess, User, UserUpdate};
pub use region::{Endpoint, Region};
pub use secret::mask;
