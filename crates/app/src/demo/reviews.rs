//! Reviews in the demo: the parent carer forum reviewed two months ago, with what it agreed to
//! adjust carrying forward to its meetings; the learning disabilities group overdue its review;
//! and a project whose review moved it up the ladder.

use crate::meetings::ActionInput;
use crate::projects::ProjectInput;
use crate::reviews::ReviewInput;
use crate::{Actor, App, AppError};
use coproduce_domain::reviews::ReviewOf;
use coproduce_domain::time::uk_day;

/// The demo's reviews.
pub(super) async fn seed_reviews(app: &App) -> Result<(), AppError> {
    let day = |days_ago: i64| uk_day(app.now().plus_days(-days_ago));
    let groups = app.groups(&Actor::Cli).await?;
    let named = |start: &str| groups.iter().find(|g| g.name.starts_with(start));
    let (Some(forum), Some(ld)) = (named("Therapy service"), named("Learning disabilities")) else {
        return Ok(());
    };
    let forum_review = ReviewInput {
        of: ReviewOf::Group(forum.id).code(),
        held_on: day(60).to_string(),
        principles: "mostly".into(),
        principles_notes: "Parents say they are listened to, and that the team now answers concerns at the next meeting.".into(),
        purpose: "fully".into(),
        purpose_notes: "Everyone could say what the forum is for: shaping how the service talks to families.".into(),
        presence: "partly".into(),
        presence_notes: "Few fathers, and nobody yet from the Polish-speaking families the service sees.".into(),
        process: "mostly".into(),
        process_notes: "Zoom suits most; two parents join by phone and sometimes miss the papers.".into(),
        impact: "mostly".into(),
        impact_notes: "The way difficult news is given to families was changed with the forum's guidance.".into(),
        views: "Keep meeting weekly. Send the papers two days before. Try an evening in person each term.".into(),
        submission_key: "demo:review:forum".into(),
        ..ReviewInput::default()
    };
    let id = app.record_review(&Actor::Cli, &forum_review).await?;
    let lead = app
        .staff_id_by_email(&Actor::Cli, "megan.achterberg@harbourside.example")
        .await?;
    for (n, (description, owner)) in [
        (
            "Post the papers to parents who join by phone",
            format!("staff:{lead}"),
        ),
        (
            "Ask the Polish community group how to reach families",
            String::new(),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let action = ActionInput {
            description: description.into(),
            owner,
            due_on: day(-30).to_string(),
            submission_key: format!("demo:review:forum:{n}"),
        };
        app.add_review_action(&Actor::Cli, id, &action).await?;
    }
    // The learning disabilities group's review is two weeks overdue.
    let mut tx = app.db().write().await?;
    let overdue = day(14).to_string();
    coproduce_store::reviews::set_next_review(&mut tx, ReviewOf::Group(ld.id), &overdue).await?;
    tx.commit().await?;
    seed_project(app, &ld.service_id.to_string(), day).await
}

/// The waiting area project, started five months ago at consultation and moved to co-design at
/// its review last month.
async fn seed_project(
    app: &App,
    service: &str,
    day: impl Fn(i64) -> chrono::NaiveDate,
) -> Result<(), AppError> {
    let input = ProjectInput {
        name: "A calmer waiting area".into(),
        aims:
            "Redesign the waiting area with people with learning disabilities and autistic people."
                .into(),
        service_id: service.to_owned(),
        starts_on: day(150).to_string(),
        stage: "under_way".into(),
        ladder: "consultation".into(),
        ..ProjectInput::default()
    };
    let project = app.create_project(&Actor::Cli, &input).await?;
    let review = ReviewInput {
        of: ReviewOf::Project(project).code(),
        held_on: day(30).to_string(),
        principles: "fully".into(),
        purpose: "fully".into(),
        presence: "mostly".into(),
        process: "mostly".into(),
        process_notes: "Easy Read papers and a quiet room before each session helped.".into(),
        impact: "partly".into(),
        impact_notes: "The new signs are up; the seating changes are still to come.".into(),
        views: "Members want to choose the seating themselves, and to test it on a busy day."
            .into(),
        ladder: "co_design".into(),
        ladder_reason:
            "Members now draw up the designs with the estates team, not only comment on them."
                .into(),
        submission_key: "demo:review:waiting-area".into(),
        ..ReviewInput::default()
    };
    app.record_review(&Actor::Cli, &review).await?;
    Ok(())
}
