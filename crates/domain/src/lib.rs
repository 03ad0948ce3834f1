//! The words of co-production as types.
//!
//! Everything here is pure: no async, no SQL, no HTTP. Values that come from outside
//! (a form, the API, the command line) are parsed into these types once, at the edge,
//! so the layers below never see an unchecked email address or a weak password.

/// Defines a closed list of codes: each variant with its stored/JSON code and its label.
macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order they are offered to people.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored and JSON code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The words shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Reads a code.
            pub fn parse(code: &str) -> Option<$name> {
                match code.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::Code for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn parse(code: &str) -> Option<$name> {
                $name::parse(code)
            }
        }

        // Stored and sent as its code, so a row, a form and JSON all spell it one way.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                $crate::code_of(d)
            }
        }

        // Read and bound as its code by the store (the domain itself runs no SQL); a stored code
        // no longer on the list refuses to read, as it does from JSON.
        #[cfg(feature = "sqlx")]
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        #[cfg(feature = "sqlx")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<$name, sqlx::error::BoxDynError> {
                let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                $name::parse(text).ok_or_else(|| format!("unknown code {text:?}").into())
            }
        }

        #[cfg(feature = "sqlx")]
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            String: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut DB::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, DB>>::encode(self.code().to_owned(), buf)
            }
        }
    };
}

pub mod audit;
mod audit_event;
mod code;
pub mod concerns;
pub mod easy_read;
pub mod email;
pub mod enquiries;
pub mod feedback;
pub mod files;
pub mod groups;
pub mod ical;
pub mod idempotency;
pub mod ids;
pub mod improvements;
pub mod logo;
pub mod meetings;
pub mod opportunities;
pub mod organisation;
pub mod outbox;
pub mod password;
pub mod pattern;
pub mod people;
pub mod person;
pub mod projects;
pub mod range;
pub mod relationships;
pub mod reviews;
pub mod role;
pub mod secret;
pub mod services;
pub mod table;
pub mod text;
pub mod time;
pub mod totp;

pub use audit_event::AuditEvent;
pub use code::{code_list, code_of, json_bool, Code};
pub use email::Email;
pub use ids::{
    ConcernId, EnquiryId, GroupId, ImprovementId, MeetingId, OpportunityId, PartnerId, PersonId,
    ProjectId, RelationshipId, ReviewId, ServiceId, StaffId,
};
pub use password::NewPassword;
pub use person::Person;
pub use role::Role;
pub use secret::SecretToken;
pub use time::Timestamp;
