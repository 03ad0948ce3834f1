//! What several portal pages share: the layout and its navigation, the person's overview and their meetings as lines.

use super::*;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::time::spoken_moment;
use coproduce_domain::Timestamp;

/// The portal's pages, in the order the menu shows them.
pub(super) const PORTAL_NAV: &[(&str, &str, &str)] = &[
    ("/my", "Your page", "Your page"),
    ("/my/meetings", "Meetings", "Meetings"),
    ("/my/opportunities", "Opportunities", "Things to do"),
    ("/my/involvement", "What you have done", "What you did"),
    ("/my/contact", "How we contact you", "How we contact you"),
    ("/my/consents", "Your choices", "Your choices"),
    ("/my/calendar", "Calendar link", "Calendar"),
    ("/my/easy-read", "Easy Read", "Easy Read"),
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
        .map(|&(href, label, easy)| NavItem {
            href,
            label: if s.easy_read { easy } else { label },
            current: href == current,
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
    pub(super) how: String,
}

/// The person's meetings to come, each dated as people say it in Easy Read ("Thursday 3
/// December, half past 6 in the evening").
pub(super) fn meeting_lines(o: &PortalOverview, easy_read: bool) -> Vec<MeetingLine> {
    o.meetings
        .iter()
        .filter(|(m, _)| m.status != MeetingStatus::Cancelled)
        .map(|(m, reply)| MeetingLine {
            when: if easy_read {
                spoken_moment(Timestamp(m.starts_at), true)
            } else {
                uk(m.starts_at)
            },
            how: if let Some(v) = &m.join_video_link {
                format!("Online: {v}")
            } else if !m.join_phone_dial_in.is_empty() {
                format!("By phone: {}", m.join_phone_dial_in)
            } else if !m.join_venue.is_empty() {
                format!("At {}", m.join_venue)
            } else {
                String::new()
            },
            reply: reply.clone(),
            m: m.clone(),
        })
        .collect()
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
