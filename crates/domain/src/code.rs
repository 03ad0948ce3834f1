//! What every list of codes (statuses, kinds, channels, …) shares: one spelling, stored, in forms
//! and in JSON.

use serde::{de::Error, Deserialize, Deserializer};

/// A closed list of values, each with a stored code.
pub trait Code: Sized + Copy {
    /// The stored and JSON code.
    fn code(self) -> &'static str;
    /// Reads a code.
    fn parse(code: &str) -> Option<Self>;
}

/// Reads one code, refusing one that is not on the list.
pub fn code_of<'de, D: Deserializer<'de>, T: Code>(d: D) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    T::parse(&text).ok_or_else(|| D::Error::custom(format!("unknown code {text:?}")))
}

/// Reads codes stored as one comma-separated text, passing over any no longer on the list (a
/// stored row must always read).
pub fn code_list<'de, D: Deserializer<'de>, T: Code + PartialEq>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(crate::people::parse_list(
        &String::deserialize(d)?,
        T::parse,
    ))
}

/// Reads a stored yes or no: `true`/`false` from PostgreSQL, `1`/`0` from SQLite.
pub fn json_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Int(i) => i != 0,
    })
}
