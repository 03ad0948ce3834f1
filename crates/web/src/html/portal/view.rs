//! What several portal pages share: the layout and its navigation, the person's overview and their meetings as lines.

use super::*;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::time::spoken_moment;
use coproduce_domain::Timestamp;

/// The portal's pages, in the order the menu shows them: where, what they are called, what
/// Easy Read calls them and the picture beside that.
pub(super) const PORTAL_NAV: &[(&str, &str, &str, &str)] = &[
    ("/my", "Your page", "Your page", "home"),
    ("/my/meetings", "Meetings", "Your meetings", "meeting"),
    (
        "/my/opportunities",
        "Opportunities",
        "Things you can do",
        "star",
    ),
    (
        "/my/involvement",
        "What you have done",
        "What you have done",
        "yes",
    ),
    (
        "/my/contact",
        "How we contact you",
        "How we contact you",
        "phone",
    ),
    ("/my/consents", "Your choices", "Your choices", "sign"),
    ("/my/calendar", "Calendar link", "Your calendar", "calendar"),
    ("/my/easy-read", "Easy Read", "Easy Read", "read"),
];

/// The layout for a portal page. Its forms carry the session's own form token.
pub(super) fn portal_layout(
    state: &AppState,
    s: &PortalSession,
    title: impl Into<String>,
    current: &str,
) -> Layout {
    let mut layout = Layout::new(state, None, title, current);
    layout.pages = PORTAL_NAV
        .iter()
        .map(|&(href, label, easy, picture)| NavItem {
            href,
            label: if s.easy_read { easy } else { label },
            current: href == current,
            picture,
        })
        .collect();
    layout.user = Some(UserBar {
        name: s.name.clone(),
        csrf_token: s.csrf_token.clone(),
        account: "/my",
        sign_out: "/my/sign-out",
    });
    layout.easy_read = s.easy_read;
    layout.acting = s.on_behalf.as_ref().map(|(_, staff)| {
        format!(
            "{staff} is signed in to {}'s page for them. This ends at {}, or when you press the button.",
            s.name,
            uk(s.expires_at.millis())
        )
    });
    layout
}

/// A meeting as the portal shows it.
pub(super) struct MeetingLine {
    pub(super) m: Meeting,
    pub(super) when: String,
    pub(super) reply: Option<String>,
    /// How to join it, in the page's words.
    pub(super) how: String,
    /// The Easy Read picture for how to join it.
    pub(super) how_picture: &'static str,
}

/// The person's meetings to come, each dated as people say it in Easy Read ("Thursday 3
/// December, half past 6 in the evening").
pub(super) fn meeting_lines(o: &PortalOverview, easy_read: bool) -> Vec<MeetingLine> {
    o.meetings
        .iter()
        .filter(|(m, _)| m.status != MeetingStatus::Cancelled)
        .map(|(m, reply)| {
            let (how, how_picture) = joining(m, easy_read);
            MeetingLine {
                when: if easy_read {
                    spoken_moment(Timestamp(m.starts_at), true)
                } else {
                    uk(m.starts_at)
                },
                how,
                how_picture,
                reply: reply.clone(),
                m: m.clone(),
            }
        })
        .collect()
}

/// How to join a meeting, and the picture for it: online first, then by phone, then in person.
fn joining(m: &Meeting, easy_read: bool) -> (String, &'static str) {
    match (&m.join_video_link, easy_read) {
        (Some(v), false) => return (format!("Online: {v}"), "computer"),
        (Some(v), true) => return (format!("Join on a computer or phone: {v}"), "computer"),
        (None, _) => {}
    }
    let dial = &m.join_phone_dial_in;
    let venue = &m.join_venue;
    match (dial.is_empty(), venue.is_empty(), easy_read) {
        (false, _, false) => (format!("By phone: {dial}"), "phone"),
        (false, _, true) => (format!("Call {dial} to join."), "phone"),
        (true, false, false) => (format!("At {venue}"), "place"),
        (true, false, true) => (format!("It is at {venue}."), "place"),
        (true, true, _) => (String::new(), "meeting"),
    }
}

/// A person signed in to the portal, with their overview read for the page.
pub(super) struct Seen(pub(super) PortalSession, pub(super) PortalOverview);

impl FromRequestParts<AppState> for Seen {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Portal(s) = Portal::from_request_parts(parts, state).await?;
        match state.app.portal_overview(&s).await {
            Ok(o) => Ok(Seen(s, o)),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Done {
    pub(super) done: String,
}

/// Whether a link's token (to sign in, or to give feedback) could be one we made: 64 hex
/// digits, nothing else.
pub(super) fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit())
}
