//! Feedback from people after a meeting or an activity: four short questions, three on a
//! five-point scale and one in their own words, reported per group, project or activity over
//! time and never for fewer than [`MIN_ANSWERS`] answers.

use crate::groups::Team;
use crate::ids::{MeetingId, OpportunityId};
use serde::Serialize;

/// What someone is asked about: a meeting, or an activity they took part in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    /// A meeting they attended.
    Meeting(MeetingId),
    /// An opportunity they were confirmed for, once its day has passed.
    Opportunity(OpportunityId),
}

/// Whose results: a group's or project's meetings, or one activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultsOf {
    /// A group's or project's meetings.
    Team(Team),
    /// One activity.
    Opportunity(OpportunityId),
}

impl ResultsOf {
    /// The answers' column that names it.
    pub fn column(self) -> &'static str {
        match self {
            ResultsOf::Team(Team::Group(_)) => "group_id",
            ResultsOf::Team(Team::Project(_)) => "project_id",
            ResultsOf::Opportunity(_) => "opportunity_id",
        }
    }

    /// Its id.
    pub fn id(self) -> i64 {
        match self {
            ResultsOf::Team(t) => t.id(),
            ResultsOf::Opportunity(o) => o.0,
        }
    }

    /// Its kind: `group`, `project` or `opportunity`.
    pub fn kind(self) -> &'static str {
        self.column().trim_end_matches("_id")
    }

    /// How it is named in the API: `group:ID`, `project:ID` or `opportunity:ID`.
    pub fn code(self) -> String {
        format!("{}:{}", self.kind(), self.id())
    }
}

/// Days a feedback link works for.
pub const LINK_DAYS: i64 = 14;

/// Fewer answers than this in a period are not reported: so few could point to who gave them.
pub const MIN_ANSWERS: i64 = 5;

/// What a period with too few answers shows instead of its results.
pub const TOO_FEW: &str = "Too few answers to report";

/// One of the questions answered on the scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    /// Its field, JSON name and stored column.
    pub code: &'static str,
    /// The question as most people read it.
    pub asks: &'static str,
    /// The question in Easy Read.
    pub easy: &'static str,
    /// The Easy Read picture beside it.
    pub picture: &'static str,
}

/// The three questions on the scale, in the order they are asked.
pub const QUESTIONS: [Question; 3] = [
    Question {
        code: "listened",
        asks: "Did you feel listened to?",
        easy: "Did people listen to you?",
        picture: "listen",
    },
    Question {
        code: "took_part",
        asks: "Could you take part the way you wanted?",
        easy: "Could you join in the way you wanted?",
        picture: "talk",
    },
    Question {
        code: "belong",
        asks: "Do you feel part of the group?",
        easy: "Do you feel part of the group?",
        picture: "together",
    },
];

/// The question answered in their own words: its field and stored column, and its wording.
pub const CHANGE: Question = Question {
    code: "to_change",
    asks: "Is there anything we should change?",
    easy: "Is there anything we should do differently?",
    picture: "write",
};

/// An answer on the scale: 1 (no, not at all) to 5 (yes, completely).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Score(i64);

impl Score {
    /// Every point, lowest first.
    pub const ALL: [Score; 5] = [Score(1), Score(2), Score(3), Score(4), Score(5)];

    /// Reads a point typed or chosen: `1` to `5`.
    pub fn parse(text: &str) -> Option<Score> {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Score)
    }

    /// The point as a number, as it is stored.
    pub fn value(self) -> i64 {
        self.0
    }

    /// Its words.
    pub fn label(self) -> &'static str {
        [
            "No, not at all",
            "Not really",
            "Partly",
            "Mostly",
            "Yes, completely",
        ][self.index()]
    }

    /// Its words in Easy Read, beside its face.
    pub fn easy(self) -> &'static str {
        ["No", "Not really", "A bit", "Mostly", "Yes"][self.index()]
    }

    /// The Easy Read picture of its face.
    pub fn face(self) -> &'static str {
        ["face_1", "face_2", "face_3", "face_4", "face_5"][self.index()]
    }

    fn index(self) -> usize {
        usize::try_from(self.0 - 1).unwrap_or(0).min(4)
    }
}

/// What one person said about one meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    /// Each scale question's point, in [`QUESTIONS`]' order.
    pub scores: [Score; 3],
    /// What they would change, in their own words.
    pub to_change: String,
}

/// One month's answers for a group or project, as the store adds them up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthTotals {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// How many answers.
    pub answers: i64,
    /// Each question's points added up.
    pub sums: [i64; 3],
    /// Each question's answers of 4 or 5.
    pub positive: [i64; 3],
}

/// One question's results in a period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionResult {
    /// The question's code.
    pub question: &'static str,
    /// The question.
    pub asks: &'static str,
    /// The share answering "mostly" or "yes, completely", as a whole percentage.
    pub positive_percent: i64,
    /// The average point, to one decimal place.
    pub average: f64,
}

/// A quarter's feedback: its results, or none when too few answered to report them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Period {
    /// Its first month, `YYYY-MM`.
    pub starts: String,
    /// What it is called, e.g. "Jan to Mar 2027".
    pub label: String,
    /// How many answered.
    pub answers: i64,
    /// Each question's results; none when fewer than [`MIN_ANSWERS`] answered.
    pub results: Option<Vec<QuestionResult>>,
}

/// Months' totals (in any order) gathered into quarters, newest first, each suppressed when
/// fewer than [`MIN_ANSWERS`] answered.
pub fn quarters(months: &[MonthTotals]) -> Vec<Period> {
    let mut gathered: Vec<(String, MonthTotals)> = Vec::new();
    for m in months {
        let Some(start) = quarter_start(&m.month) else {
            continue;
        };
        match gathered.iter_mut().find(|(s, _)| *s == start) {
            Some((_, t)) => {
                t.answers += m.answers;
                for i in 0..3 {
                    t.sums[i] += m.sums[i];
                    t.positive[i] += m.positive[i];
                }
            }
            None => gathered.push((start, m.clone())),
        }
    }
    gathered.sort_by(|a, b| b.0.cmp(&a.0));
    gathered
        .into_iter()
        .map(|(starts, t)| Period {
            label: quarter_label(&starts),
            answers: t.answers,
            results: (t.answers >= MIN_ANSWERS).then(|| results(&t)),
            starts,
        })
        .collect()
}

fn results(t: &MonthTotals) -> Vec<QuestionResult> {
    QUESTIONS
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionResult {
            question: q.code,
            asks: q.asks,
            positive_percent: (t.positive[i] * 100 + t.answers / 2) / t.answers.max(1),
            // Tenths, rounded half up, in whole numbers so both databases' sums give one answer.
            average: ((t.sums[i] * 20 + t.answers) / (t.answers.max(1) * 2)) as f64 / 10.0,
        })
        .collect()
}

/// The first month (`YYYY-MM`) of the quarter a day (`YYYY-MM-DD`) falls in.
pub fn quarter_of(day: &str) -> Option<String> {
    day.get(..7).and_then(quarter_start)
}

/// Whether a day (`YYYY-MM-DD`) falls in the quarter starting `starts` (`YYYY-MM`).
pub fn in_quarter(day: &str, starts: &str) -> bool {
    quarter_of(day).as_deref() == Some(starts)
}

/// The first month of the quarter a `YYYY-MM` month is in.
fn quarter_start(month: &str) -> Option<String> {
    let (year, m) = month.split_once('-')?;
    let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some(format!("{year}-{:02}", (m - 1) / 3 * 3 + 1))
}

fn quarter_label(starts: &str) -> String {
    const NAMES: [&str; 4] = ["Jan to Mar", "Apr to Jun", "Jul to Sep", "Oct to Dec"];
    let (year, m) = starts.split_once('-').unwrap_or((starts, "01"));
    let q = m.parse::<usize>().unwrap_or(1).saturating_sub(1) / 3;
    format!("{} {year}", NAMES[q.min(3)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(month: &str, answers: i64, score: i64) -> MonthTotals {
        MonthTotals {
            month: month.to_owned(),
            answers,
            sums: [answers * score; 3],
            positive: [if score >= 4 { answers } else { 0 }; 3],
        }
    }

    #[test]
    fn months_gather_into_quarters_newest_first_and_few_answers_are_not_reported() {
        let periods = quarters(&[
            month("2027-01", 2, 5),
            month("2027-03", 4, 3),
            month("2027-04", 3, 4),
        ]);
        assert_eq!(periods.len(), 2);
        assert_eq!(periods[0].label, "Apr to Jun 2027");
        assert_eq!(periods[0].results, None);
        assert_eq!(periods[1].label, "Jan to Mar 2027");
        assert_eq!(periods[1].answers, 6);
        let r = periods[1]
            .results
            .as_ref()
            .expect("six answers are reported");
        assert_eq!(r[0].positive_percent, 33);
        assert!((r[0].average - 3.7).abs() < 1e-9, "{}", r[0].average);
        assert!(in_quarter("2027-03-31", "2027-01"));
        assert!(!in_quarter("2027-04-01", "2027-01"));
    }

    #[test]
    fn a_score_is_one_to_five_with_words_and_a_face() {
        assert_eq!(Score::parse("0"), None);
        assert_eq!(Score::parse("6"), None);
        assert_eq!(
            Score::parse(" 5 ").map(Score::label),
            Some("Yes, completely")
        );
        assert_eq!(Score::parse("1").map(Score::face), Some("face_1"));
    }
}
