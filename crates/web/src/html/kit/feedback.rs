//! Feedback as several pages show it: the questionnaire's scale questions (on the person's own
//! page and staff's form for them) and the results of a group or project by period.

use coproduce_app::meetings::FeedbackInput;
use coproduce_domain::feedback::{Period, Score, QUESTIONS, TOO_FEW};

/// One point on a question's scale, as a radio.
pub(crate) struct Point {
    pub value: &'static str,
    pub label: &'static str,
    pub face: &'static str,
    pub checked: bool,
}

/// One scale question, with what was chosen.
pub(crate) struct ScaleQuestion {
    pub code: &'static str,
    pub legend: &'static str,
    pub picture: &'static str,
    pub points: Vec<Point>,
}

/// The scale questions as typed so far, in standard or Easy Read words.
pub(crate) fn scale_questions(form: &FeedbackInput, easy_read: bool) -> Vec<ScaleQuestion> {
    const VALUES: [&str; 5] = ["1", "2", "3", "4", "5"];
    let typed = [&form.listened, &form.took_part, &form.belong];
    QUESTIONS
        .iter()
        .zip(typed)
        .map(|(q, chosen)| ScaleQuestion {
            code: q.code,
            legend: if easy_read { q.easy } else { q.asks },
            picture: q.picture,
            points: Score::ALL
                .iter()
                .zip(VALUES)
                .rev()
                .map(|(s, value)| Point {
                    value,
                    label: if easy_read { s.easy() } else { s.label() },
                    face: s.face(),
                    checked: chosen.trim() == value,
                })
                .collect(),
        })
        .collect()
}

/// A period's results as a results table row.
pub(crate) struct PeriodRow {
    pub label: String,
    pub answers: i64,
    /// Each question's share answering mostly or yes, and average; none when too few answered.
    pub results: Option<Vec<(String, String)>>,
    pub too_few: &'static str,
}

impl PeriodRow {
    pub(crate) fn of(p: &Period) -> PeriodRow {
        PeriodRow {
            label: p.label.clone(),
            answers: p.answers,
            results: p.results.as_ref().map(|r| {
                r.iter()
                    .map(|q| {
                        (
                            format!("{}%", q.positive_percent),
                            format!("{:.1}", q.average),
                        )
                    })
                    .collect()
            }),
            too_few: TOO_FEW,
        }
    }
}

/// The questions' wording, for a results table's headings.
pub(crate) fn question_headings() -> Vec<&'static str> {
    QUESTIONS.iter().map(|q| q.asks).collect()
}
