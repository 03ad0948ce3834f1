//! Text as people type it. Every piece of text that comes from outside passes one rule: control
//! characters other than tab, line feed and carriage return are not text. PostgreSQL cannot
//! store NUL and SQLite can, so without the rule the two databases would answer differently;
//! the others are invisible, and only ever arrive by mistake or on purpose.

use std::borrow::Cow;

/// Whether `c` is a character text may not hold: C0 controls other than tab, line feed and
/// carriage return, DEL, and C1 controls.
pub fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first character `text` may not hold, if any.
pub fn first_forbidden(text: &str) -> Option<char> {
    text.chars().find(|c| forbidden(*c))
}

/// What to say about a field that holds one: the same words on every page and endpoint.
pub fn problem_message(c: char) -> String {
    format!(
        "Remove the control character U+{:04X}: only letters, numbers, punctuation, spaces, tabs and new lines can be stored",
        u32::from(c)
    )
}

/// `text` without the characters it may not hold, for input people cannot see the characters
/// in (a pasted form field, a spreadsheet cell): taking them out loses nothing they meant.
pub fn clean(text: &str) -> Cow<'_, str> {
    if first_forbidden(text).is_none() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| !forbidden(*c)).collect())
    }
}

/// Reads a web address: it must start with `https://` (`scheme`, the message otherwise) and have
/// a host with a dot, no spaces and at most 500 characters (`shape`, the message otherwise).
pub fn https_address(
    text: &str,
    scheme: &'static str,
    shape: &'static str,
) -> Result<String, &'static str> {
    let t = text.trim();
    let rest = t.strip_prefix("https://").ok_or(scheme)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') || t.contains(char::is_whitespace) || t.len() > 500 {
        return Err(shape);
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_new_lines_are_text_and_other_controls_are_not() {
        assert_eq!(first_forbidden("Ana\tLane\r\nnotes"), None);
        assert_eq!(first_forbidden("Zoë Ünal 🙂"), None);
        for c in [
            '\u{0}', '\u{1}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            assert_eq!(first_forbidden(&format!("a{c}b")), Some(c), "{:?}", c);
            assert_eq!(clean(&format!("a{c}b")), "ab");
        }
        assert!(matches!(clean("plain"), Cow::Borrowed("plain")));
        assert!(problem_message('\u{0}').contains("U+0000"));
    }
}
