//! A year of feedback in the demo: after each of the groups' past meetings, most of those who
//! attended answered (some anonymously), mostly content, with a few asking for changes. In the
//! first weeks, the oldest quarter, few answered: too few to report.

use crate::meetings::FeedbackInput;
use crate::{Actor, App, AppError};
use coproduce_domain::feedback::{in_quarter, quarter_of};
use coproduce_domain::groups::{Attendance, Team};
use coproduce_domain::Timestamp;

/// What people said should change, now and then.
const SUGGESTIONS: [&str; 5] = [
    "Send the papers a few days earlier, please.",
    "It would help to have a break halfway through.",
    "More time for the people on the phone to speak.",
    "Could we meet in person sometimes?",
    "Say at the start what happened to what we raised last time.",
];

/// The demo's feedback: for meetings over a fortnight old (newer ones are sent links).
pub(super) async fn seed_feedback(app: &App) -> Result<(), AppError> {
    let now = app.now();
    let year_ago = Timestamp(now.millis() - 365 * 86_400_000);
    let fortnight_ago = now.plus_days(-14);
    let first_day = coproduce_domain::time::uk_day(year_ago).to_string();
    let first_quarter = quarter_of(&first_day).unwrap_or_default();
    let mut n = 0usize;
    for group in app.groups(&Actor::Cli).await? {
        let team = Team::Group(group.id);
        let past = app
            .team_meetings(&Actor::Cli, team, Some(year_ago), Some(fortnight_ago))
            .await?;
        for m in past {
            let view = app.view_meeting(&Actor::Cli, m.id).await?;
            let attended = view
                .invitees
                .iter()
                .filter(|i| i.attendance == Some(Attendance::Attended));
            for person in attended.filter_map(|i| i.person_id) {
                n += 1;
                // Roughly three in four answer; at first, one in six.
                let early = in_quarter(&m.starts_on, &first_quarter);
                if n % 4 == 3 || (early && !n.is_multiple_of(6)) {
                    continue;
                }
                let score = |k: usize| ["5", "4", "4", "5", "3", "4", "2", "5"][(n + k * 3) % 8];
                let input = FeedbackInput {
                    listened: score(0).into(),
                    took_part: score(1).into(),
                    belong: score(2).into(),
                    to_change: if n.is_multiple_of(6) {
                        SUGGESTIONS[(n / 6) % SUGGESTIONS.len()].into()
                    } else {
                        String::new()
                    },
                    anonymous: if n.is_multiple_of(3) { "yes" } else { "" }.into(),
                    who: String::new(),
                };
                app.feedback_from(&m, person, &input).await?;
            }
        }
    }
    Ok(())
}
