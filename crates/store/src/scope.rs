//! Whose records a query may see: the one value every scoped read takes.

use coproduce_domain::StaffId;

/// Whose people a query may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everyone (the participation team).
    All,
    /// People with a relationship with one of this staff member's services.
    ServicesOf(StaffId),
}

impl Scope {
    /// The bind value for `SCOPE_SQL`: null for everyone, else the staff id.
    pub(crate) fn bind(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::ServicesOf(id) => Some(id.0),
        }
    }
}
