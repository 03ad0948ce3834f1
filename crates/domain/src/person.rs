//! A person's record: what every page and endpoint about them shows, in typed values.

use crate::ids::{PartnerId, PersonId};
use crate::people::{Channel, Need, PersonStatus};
use chrono::NaiveDate;
use serde::Deserialize;

/// A person taking part, as stored. Their contact details were checked on the way in, so they
/// are kept as the text that was stored.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Person {
    /// Id (0 until stored).
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// What they like to be called.
    pub preferred_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number (UK, national digits).
    pub phone: Option<String>,
    /// Postal address, without the postcode.
    pub address: String,
    /// Postcode.
    pub postcode: Option<String>,
    /// The partner organisation they came through.
    pub partner_id: Option<PartnerId>,
    /// Where they are in their involvement.
    pub status: PersonStatus,
    /// Ways to reach them, first choice first.
    #[serde(deserialize_with = "crate::code_list")]
    pub channels: Vec<Channel>,
    /// Best times to reach them.
    pub best_times: String,
    /// Their communication and access needs.
    #[serde(deserialize_with = "crate::code_list")]
    pub needs: Vec<Need>,
    /// The language an interpreter is needed for.
    pub interpreter_language: String,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// Version, for refusing stale writes.
    pub version: i64,
}

impl Default for Person {
    fn default() -> Person {
        Person {
            id: PersonId(0),
            name: String::new(),
            preferred_name: String::new(),
            pronouns: String::new(),
            date_of_birth: None,
            email: None,
            phone: None,
            address: String::new(),
            postcode: None,
            partner_id: None,
            status: PersonStatus::Active,
            channels: Vec::new(),
            best_times: String::new(),
            needs: Vec::new(),
            interpreter_language: String::new(),
            needs_notes: String::new(),
            version: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_row_reads_into_typed_values() {
        let row = r#"{"id":7,"name":"Ana","preferred_name":"","pronouns":"","date_of_birth":"1980-02-29",
            "email":null,"phone":"07700900119","address":"","postcode":null,"partner_id":null,"status":"paused",
            "channels":"text,phone","best_times":"","needs":"easy_read,nonsense","interpreter_language":"",
            "needs_notes":"","version":2}"#;
        let p: Person = serde_json::from_str(row).expect("a person");
        assert_eq!(p.id, PersonId(7));
        assert_eq!(p.status, PersonStatus::Paused);
        assert_eq!(p.channels, [Channel::Text, Channel::Phone]);
        assert_eq!(p.needs, [Need::EasyRead]);
        assert_eq!(p.date_of_birth, NaiveDate::from_ymd_opt(1980, 2, 29));
    }
}
