//! The words of co-production as types.
//!
//! Everything here is pure: no async, no SQL, no HTTP. Values that come from outside
//! (a form, the API, the command line) are parsed into these types once, at the edge,
//! so the layers below never see an unchecked email address or a weak password.

pub mod audit;
pub mod email;
pub mod ids;
pub mod password;
pub mod pattern;
pub mod people;
pub mod role;
pub mod secret;
pub mod time;
pub mod totp;

pub use email::Email;
pub use ids::{ServiceId, StaffId};
pub use password::NewPassword;
pub use role::Role;
pub use secret::SecretToken;
pub use time::Timestamp;
