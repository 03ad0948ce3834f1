//! Finding people, a page at a time, and downloading what a search found.

use super::*;
use coproduce_domain::enquiries::Match;
use coproduce_domain::time::uk_day_start;

/// One page of search results.
#[derive(Clone, Debug)]
pub struct SearchPage {
    /// The people.
    pub people: Vec<Person>,
    /// The cursor for the next page.
    pub next_cursor: Option<String>,
}

/// What a search asks for, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SearchInput {
    /// Words to find in name, email or phone.
    pub q: String,
    /// A service id.
    pub service: String,
    /// A status code.
    pub status: String,
    /// A tag.
    pub tag: String,
    /// Only people overdue a contact.
    pub overdue: bool,
    /// Where the page starts.
    pub cursor: String,
}

fn encode_cursor(p: &Person) -> String {
    hex::encode(format!("{}\u{1f}{}", p.name, p.id))
}

fn decode_cursor(text: &str) -> Option<(String, i64)> {
    let bytes = hex::decode(text).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let (name, id) = s.split_once('\u{1f}')?;
    Some((name.to_owned(), id.parse().ok()?))
}

impl App {
    /// People the actor can see who already have the email address or phone number typed on the
    /// form that adds someone: the form warns before saving, and saves when told they are a
    /// different person. Details that do not parse match nobody (the form refuses them).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn people_with_address(
        &self,
        actor: &Actor,
        email: &str,
        phone: &str,
    ) -> Result<Vec<Match>, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let email = Email::parse(email.trim()).ok().map(|e| e.to_string());
        let phone = UkPhone::parse(phone.trim())
            .ok()
            .map(|p| p.as_str().to_owned());
        let mut tx = self.db().read().await?;
        let found = people::visible_with_address(
            &mut tx,
            email.as_deref(),
            phone.as_deref(),
            people_scope(actor),
        )
        .await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Finds people, a page at a time, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn search_people(
        &self,
        actor: &Actor,
        input: &SearchInput,
    ) -> Result<SearchPage, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let filter = self.search_filter(input);
        let mut tx = self.db().read().await?;
        let mut found =
            people::search(&mut tx, &filter, people_scope(actor), PAGE_SIZE + 1).await?;
        tx.commit().await?;
        let next_cursor = if found.len() as i64 > PAGE_SIZE {
            found.truncate(PAGE_SIZE as usize);
            found.last().map(encode_cursor)
        } else {
            None
        };
        Ok(SearchPage {
            people: found,
            next_cursor,
        })
    }

    /// The storage filter for what a search asks.
    fn search_filter(&self, input: &SearchInput) -> Filter {
        let text = input.q.trim().to_lowercase();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        // A phone number is stored as national digits: search for it the same way.
        let text = if digits.len() >= 6 && digits.len() * 2 > text.len() {
            UkPhone::parse(&text)
                .map(|p| p.as_str().to_owned())
                .unwrap_or(digits)
        } else {
            text
        };
        Filter {
            text: (!text.is_empty()).then_some(text),
            service_id: input.service.trim().parse().ok(),
            status: PersonStatus::parse(&input.status).map(|s| s.code().to_owned()),
            tag: (!input.tag.trim().is_empty()).then(|| input.tag.trim().to_owned()),
            overdue_at: input.overdue.then(|| uk_day_start(self.now(), 0)),
            after: decode_cursor(&input.cursor),
        }
    }

    /// Every person a search finds (not a page of them), for a download. The export is audited
    /// with how many people it held.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn export_people(
        &self,
        actor: &Actor,
        input: &SearchInput,
    ) -> Result<Vec<Person>, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let filter = Filter {
            after: None,
            ..self.search_filter(input)
        };
        let mut tx = self.db().read().await?;
        let found = people::search(&mut tx, &filter, people_scope(actor), EXPORT_LIMIT).await?;
        tx.commit().await?;
        let mut tx = self.db().write().await?;
        self.audit(
            &mut tx,
            actor,
            AuditEvent::PeopleExport,
            "people",
            &format!("{} people", found.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(found)
    }
}
