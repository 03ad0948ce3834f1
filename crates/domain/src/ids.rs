//! Identifiers of stored records.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<$name, Self::Err> {
                text.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A staff member's id.
    StaffId
);
id_type!(
    /// A service's id.
    ServiceId
);
id_type!(
    /// A person's id.
    PersonId
);
id_type!(
    /// A partner organisation's id.
    PartnerId
);
id_type!(
    /// A group's id.
    GroupId
);
id_type!(
    /// A project's id.
    ProjectId
);
id_type!(
    /// A meeting's id.
    MeetingId
);
id_type!(
    /// An opportunity's id.
    OpportunityId
);
id_type!(
    /// An enquiry's id.
    EnquiryId
);
id_type!(
    /// A relationship's id.
    RelationshipId
);
id_type!(
    /// A concern's id.
    ConcernId
);
id_type!(
    /// An improvement's id.
    ImprovementId
);
id_type!(
    /// A review's id.
    ReviewId
);
