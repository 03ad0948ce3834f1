//! "You said, we did": the published improvements anyone may read, by service, in standard
//! words and in Easy Read. The page shows each service's newest few, and a service's own page
//! all of its; each is drawn once for the rows the app keeps (see `kit::kept`).

use super::kit::{Layout, PageResult, Routes};
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use coproduce_app::AppError;
use coproduce_domain::improvements::{by_service, Published, ServiceChanges};
use coproduce_domain::time::{iso_date_text, spoken_date};
use coproduce_domain::ServiceId;
use serde::Deserialize;

/// How many of each service's changes the page shows; its own page shows every one.
const SHOWN_PER_SERVICE: usize = 5;

/// The public routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/you-said-we-did", get(standard))
        .route("/you-said-we-did/easy-read", get(easy_read))
}

/// One service's section: its changes shown, each with the date it changed in words, and how
/// many it has in all.
struct Section<'a> {
    service_id: ServiceId,
    service_name: &'a str,
    items: Vec<(&'a Published, String)>,
    all: usize,
}

#[derive(Template)]
#[template(path = "public/you_said_we_did.html")]
struct Page<'a> {
    layout: Layout,
    sections: Vec<Section<'a>>,
    /// The service the page is for, when it is one service's.
    one: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "public/you_said_we_did_easy_read.html")]
struct EasyReadPage<'a> {
    layout: Layout,
    sections: Vec<Section<'a>>,
    one: Option<&'a str>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Which {
    /// A service's id, for its own page.
    service: String,
}

/// The sections shown: every service's newest few, or all of one service's (`None` when it
/// has none published).
fn sections<'a>(
    groups: Vec<ServiceChanges<'a>>,
    service: Option<ServiceId>,
    date: fn(&str) -> String,
) -> Option<Vec<Section<'a>>> {
    let shown = |g: ServiceChanges<'a>, limit: usize| Section {
        service_id: g.service_id,
        service_name: g.service_name,
        all: g.items.len(),
        items: g
            .items
            .into_iter()
            .take(limit)
            .map(|i| (i, date(&i.changed_on)))
            .collect(),
    };
    match service {
        None => Some(
            groups
                .into_iter()
                .map(|g| shown(g, SHOWN_PER_SERVICE))
                .collect(),
        ),
        Some(id) => {
            let g = groups.into_iter().find(|g| g.service_id == id)?;
            Some(vec![shown(g, usize::MAX)])
        }
    }
}

/// The service asked for: none, or one that has changes published (else not found).
fn which(q: &Which) -> Result<Option<ServiceId>, PageError> {
    match q.service.trim() {
        "" => Ok(None),
        typed => typed
            .parse::<ServiceId>()
            .map(Some)
            .map_err(|_| AppError::NotFound.into()),
    }
}

async fn standard(state: State<AppState>, q: Query<Which>) -> PageResult {
    shown(state, q, false).await
}

async fn easy_read(state: State<AppState>, q: Query<Which>) -> PageResult {
    shown(state, q, true).await
}

/// The page, or its Easy Read version, for every service or one.
async fn shown(State(state): State<AppState>, Query(q): Query<Which>, easy: bool) -> PageResult {
    let service = which(&q)?;
    let rows = state.app.published_improvements().await?;
    let org = state.app.organisation();
    let date: fn(&str) -> String = match easy {
        true => |d| format!("We did this on {}", spoken_date(d)),
        false => |d| format!("Changed {}", iso_date_text(d)),
    };
    let found = sections(by_service(&rows), service, date).ok_or(AppError::NotFound)?;
    let one = service.map(|_| found[0].service_name.to_owned());
    // Only a service with changes published gets here, so the variants kept are few.
    let key = format!("{easy}:{}", service.map_or(0, |s| s.0));
    Ok(state.you_said.page(&key, &rows, &org, || {
        let mut title = match &one {
            Some(name) => format!("You said, we did: {name}"),
            None => "You said, we did".to_owned(),
        };
        if easy {
            title.push_str(": Easy Read");
        }
        let mut layout = Layout::public(&state, title, "/you-said-we-did");
        layout.easy_read = easy;
        let one = one.as_deref();
        match easy {
            true => EasyReadPage {
                layout,
                sections: found,
                one,
            }
            .render(),
            false => Page {
                layout,
                sections: found,
                one,
            }
            .render(),
        }
    }))
}
