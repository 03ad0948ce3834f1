//! Easy Read summaries: short sentences, one idea each, each with a picture beside it.

use std::sync::LazyLock;

/// A picture from the built-in set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// Our name for it, as stored.
    pub name: &'static str,
    /// The OpenMoji file it comes from.
    pub code: &'static str,
    /// What it shows.
    pub label: &'static str,
}

static PICTURES: LazyLock<Vec<Picture>> = LazyLock::new(|| {
    include_str!("easy_read_pictures.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some(Picture {
                name: parts.next()?,
                code: parts.next()?,
                label: parts.next()?,
            })
        })
        .collect()
});

/// The built-in pictures, in the order staff are offered them.
pub fn pictures() -> &'static [Picture] {
    &PICTURES
}

/// Sentences a summary may have.
pub const MAX_LINES: usize = 12;

/// Characters a sentence may have: Easy Read sentences are short.
pub const MAX_LINE_CHARS: usize = 200;

/// One sentence and its picture.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Line {
    /// A built-in picture's name, `upload:ID` for one staff uploaded, or empty for none.
    pub picture: String,
    /// The sentence.
    pub text: String,
}

impl Line {
    /// The picture's address, if it has one.
    pub fn picture_src(&self) -> Option<String> {
        if let Some(id) = self.picture.strip_prefix("upload:") {
            return Some(format!("/pictures/{id}"));
        }
        pictures()
            .iter()
            .find(|p| p.name == self.picture)
            .map(|p| format!("/assets/pictures/{}.svg", p.name))
    }
}

/// Whether a picture name is one a line may use.
pub fn known_picture(name: &str) -> bool {
    name.is_empty()
        || pictures().iter().any(|p| p.name == name)
        || name
            .strip_prefix("upload:")
            .is_some_and(|id| id.parse::<i64>().is_ok())
}

/// Reads a stored summary: one line a sentence, the picture's name, a tab, then the words.
pub fn parse(stored: &str) -> Vec<Line> {
    stored
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_once('\t') {
            Some((picture, text)) => Line {
                picture: picture.to_owned(),
                text: text.to_owned(),
            },
            None => Line {
                picture: String::new(),
                text: l.to_owned(),
            },
        })
        .collect()
}

/// Writes a summary to store. Tabs and line breaks in a sentence become spaces.
pub fn join(lines: &[Line]) -> String {
    lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| {
            let text: String = l
                .text
                .trim()
                .chars()
                .map(|c| {
                    if c == '\t' || c == '\n' || c == '\r' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            format!("{}\t{text}", l.picture.trim())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_set_is_read_and_every_name_is_unique() {
        let all = pictures();
        assert!(all.len() >= 30);
        let mut names: Vec<_> = all.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert!(known_picture("money") && known_picture("upload:7") && known_picture(""));
        assert!(!known_picture("upload:x") && !known_picture("nonsense"));
    }

    #[test]
    fn summaries_round_trip_and_sentences_stay_on_one_line() {
        let lines = vec![
            Line {
                picture: "meeting".into(),
                text: "We meet\tonce a month.\nOn Zoom.".into(),
            },
            Line {
                picture: String::new(),
                text: "You get paid.".into(),
            },
            Line {
                picture: "clock".into(),
                text: "  ".into(),
            },
        ];
        let stored = join(&lines);
        let back = parse(&stored);
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].text, "We meet once a month. On Zoom.");
        assert_eq!(
            back[0].picture_src().as_deref(),
            Some("/assets/pictures/meeting.svg")
        );
        assert_eq!(back[1].picture, "");
        assert_eq!(back[1].picture_src(), None);
    }
}
