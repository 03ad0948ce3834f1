//! Every page and every API operation, as every role, against things of a service the staff
//! member does not work in: refused (403, 404, or sent to sign in) everywhere except where the
//! policy says yes. The paths come from the router's own list and the OpenAPI document, so a
//! route added without a line in the table below fails the first test here.

use axum::http::Method;
use coproduce_app::{may, Action, Actor, Resource, StaffMember};
use coproduce_domain::{Role, ServiceId, StaffId};
use coproduce_testkit::{each_app, Response, TestApp};
use std::collections::HashMap;

/// Who may reach a route.
#[derive(Clone, Copy, Debug)]
enum Guard {
    /// Anyone (signing in, the public pages, secret links): not walked.
    Open,
    /// Only the person taking part, signed in to their own page: whether it answers GET and
    /// POST.
    Portal { get: bool, write: bool },
    /// The policy: the action each method needs, and whether the path names something of a
    /// service (the other one, in the walk) rather than nothing in particular.
    Policy {
        get: Option<Action>,
        write: Option<Action>,
        of_service: bool,
    },
}

use coproduce_domain::MeetingId;
use Action::*;

const fn any(get: Option<Action>, write: Option<Action>) -> Guard {
    Guard::Policy {
        get,
        write,
        of_service: false,
    }
}

const fn service(get: Option<Action>, write: Option<Action>) -> Guard {
    Guard::Policy {
        get,
        write,
        of_service: true,
    }
}

/// Every page path, and who may reach it.
const PAGES: &[(&str, Guard)] = &[
    ("/", any(Some(UseOwnAccount), None)),
    ("/accessibility", Guard::Open),
    ("/privacy", Guard::Open),
    ("/sign-in", Guard::Open),
    ("/sign-in/two-factor", Guard::Open),
    ("/sign-out", Guard::Open),
    ("/set-password/{token}", Guard::Open),
    ("/account", any(Some(UseOwnAccount), None)),
    (
        "/account/two-factor",
        any(Some(UseOwnAccount), Some(UseOwnAccount)),
    ),
    ("/account/meetings", any(Some(ViewGroups), Some(ViewGroups))),
    ("/audit", any(Some(ReadAuditTrail), None)),
    ("/calendar/groups/{file}", service(Some(ViewGroups), None)),
    ("/calendar/feed/{file}", Guard::Open),
    (
        "/people/{id}/meetings",
        service(Some(ViewPeople), Some(EditPeople)),
    ),
    ("/concerns", any(Some(ViewConcerns), Some(RaiseConcerns))),
    ("/concerns/new", any(Some(RaiseConcerns), None)),
    (
        "/concerns/settings",
        any(Some(ManageServices), Some(ManageServices)),
    ),
    ("/concerns/{id}", service(Some(ViewConcerns), None)),
    (
        "/concerns/{id}/escalate",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/concerns/{id}/respond",
        service(None, Some(RespondToConcerns)),
    ),
    (
        "/concerns/{id}/feed-back",
        service(None, Some(ManageConcerns)),
    ),
    ("/concerns/{id}/close", service(None, Some(ManageConcerns))),
    ("/concerns/{id}/reopen", service(None, Some(ManageConcerns))),
    (
        "/concerns/{id}/redirect",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/improvements",
        any(Some(ViewConcerns), Some(RecordImprovements)),
    ),
    ("/improvements/new", any(Some(RecordImprovements), None)),
    (
        "/improvements/{id}",
        service(Some(ViewConcerns), Some(RecordImprovements)),
    ),
    (
        "/improvements/{id}/edit",
        service(Some(RecordImprovements), None),
    ),
    (
        "/improvements/{id}/files",
        service(None, Some(RecordImprovements)),
    ),
    (
        "/improvements/{id}/files/{removable}/remove",
        service(None, Some(RecordImprovements)),
    ),
    (
        "/improvements/files/{evidence}",
        service(Some(ViewConcerns), None),
    ),
    ("/reviews", any(Some(ViewGroups), Some(RecordReviews))),
    ("/reviews/new", any(Some(RecordReviews), None)),
    ("/reviews/{id}", service(Some(ViewGroups), None)),
    ("/reviews/{id}/actions", service(None, Some(RecordReviews))),
    ("/you-said-we-did", Guard::Open),
    ("/you-said-we-did/easy-read", Guard::Open),
    ("/enquiries", any(Some(ManageEnquiries), None)),
    ("/enquiries/{id}", any(Some(ManageEnquiries), None)),
    ("/enquiries/{id}/assign", any(None, Some(ManageEnquiries))),
    (
        "/enquiries/{id}/welcome-call",
        any(None, Some(ManageEnquiries)),
    ),
    ("/enquiries/{id}/convert", any(None, Some(ManageEnquiries))),
    ("/enquiries/{id}/close", any(None, Some(ManageEnquiries))),
    ("/groups", any(Some(ViewGroups), Some(EditGroups))),
    ("/groups/new", any(Some(EditGroups), None)),
    ("/groups/{id}", service(Some(ViewGroups), None)),
    (
        "/groups/{id}/edit",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/groups/{id}/members",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/groups/{id}/members/{member}/end",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/groups/{id}/meetings/new",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    ("/projects", any(Some(ViewGroups), Some(EditGroups))),
    ("/projects/new", any(Some(EditGroups), None)),
    ("/projects/{id}", service(Some(ViewGroups), None)),
    (
        "/projects/{id}/edit",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/projects/{id}/members",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/projects/{id}/members/{member}/end",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/projects/{id}/meetings/new",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    ("/meetings/{id}", service(Some(ViewGroups), None)),
    (
        "/meetings/{id}/feedback",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    ("/groups/{id}/feedback", service(Some(ViewGroups), None)),
    ("/projects/{id}/feedback", service(Some(ViewGroups), None)),
    (
        "/manage/opportunities/{id}/feedback",
        service(Some(ViewGroups), None),
    ),
    (
        "/meetings/{id}/edit",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/meetings/{id}/register",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    ("/meetings/{id}/replies", service(None, Some(EditGroups))),
    ("/meetings/{id}/invite", service(Some(EditGroups), None)),
    (
        "/meetings/{id}/invitations",
        service(None, Some(EditGroups)),
    ),
    ("/meetings/{id}/actions", service(None, Some(EditGroups))),
    ("/meetings/{id}/papers", service(None, Some(EditGroups))),
    (
        "/meetings/{id}/papers/{paper}/remove",
        service(None, Some(EditGroups)),
    ),
    ("/actions/{id}", service(None, Some(EditGroups))),
    ("/papers/{id}", service(Some(ViewGroups), None)),
    (
        "/manage/opportunities",
        any(Some(ViewGroups), Some(EditGroups)),
    ),
    ("/manage/opportunities/new", any(Some(EditGroups), None)),
    (
        "/manage/opportunities/{id}",
        service(Some(ViewGroups), None),
    ),
    (
        "/manage/opportunities/{id}/edit",
        service(Some(EditGroups), Some(EditGroups)),
    ),
    (
        "/manage/opportunities/{id}/people",
        service(None, Some(EditGroups)),
    ),
    ("/manage/pictures", any(Some(ViewGroups), Some(EditGroups))),
    ("/pictures/{id}", Guard::Open),
    ("/keep-in-touch", any(Some(ViewPeople), None)),
    ("/people", any(Some(ViewPeople), Some(EditPeople))),
    ("/people/new", any(Some(EditPeople), None)),
    ("/people/export.csv", any(Some(ViewPeople), None)),
    ("/people/export.xlsx", any(Some(ViewPeople), None)),
    ("/people/import", any(Some(EditPeople), Some(EditPeople))),
    (
        "/people/import/{id}",
        service(Some(EditPeople), Some(EditPeople)),
    ),
    (
        "/people/import/{id}/preview",
        service(Some(EditPeople), None),
    ),
    ("/people/import/{id}/run", service(None, Some(EditPeople))),
    ("/people/{id}", service(Some(ViewPeople), None)),
    (
        "/people/{id}/edit",
        service(Some(EditPeople), Some(EditPeople)),
    ),
    ("/people/{id}/contacts", service(None, Some(EditPeople))),
    (
        "/people/{id}/relationships",
        service(None, Some(EditPeople)),
    ),
    ("/people/{id}/consents", service(None, Some(EditPeople))),
    (
        "/people/{id}/merge/{other}",
        service(Some(EditPeople), Some(EditPeople)),
    ),
    (
        "/people/{id}/relationships/{rid}",
        service(Some(EditPeople), Some(EditPeople)),
    ),
    ("/people/{id}/portal", service(None, Some(EditPeople))),
    (
        "/my",
        Guard::Portal {
            get: true,
            write: false,
        },
    ),
    ("/my/sign-in", Guard::Open),
    ("/my/sign-in/code", Guard::Open),
    ("/my/sign-in/link", Guard::Open),
    ("/my/sign-in/link/{token}", Guard::Open),
    ("/my/feedback/{token}", Guard::Open),
    ("/my/sign-out", Guard::Open),
    (
        "/my/meetings",
        Guard::Portal {
            get: true,
            write: false,
        },
    ),
    (
        "/my/meetings/{id}/reply",
        Guard::Portal {
            get: false,
            write: true,
        },
    ),
    (
        "/my/groups/{id}/reply",
        Guard::Portal {
            get: false,
            write: true,
        },
    ),
    (
        "/my/opportunities",
        Guard::Portal {
            get: true,
            write: false,
        },
    ),
    (
        "/my/opportunities/{id}/interest",
        Guard::Portal {
            get: false,
            write: true,
        },
    ),
    (
        "/my/involvement",
        Guard::Portal {
            get: true,
            write: false,
        },
    ),
    (
        "/my/contact",
        Guard::Portal {
            get: true,
            write: true,
        },
    ),
    (
        "/my/consents",
        Guard::Portal {
            get: true,
            write: true,
        },
    ),
    (
        "/my/calendar",
        Guard::Portal {
            get: true,
            write: true,
        },
    ),
    (
        "/my/easy-read",
        Guard::Portal {
            get: true,
            write: true,
        },
    ),
    ("/get-involved", Guard::Open),
    ("/logo/{tag}", Guard::Open),
    (
        "/organisation",
        any(Some(ManageServices), Some(ManageServices)),
    ),
    ("/get-involved/easy-read", Guard::Open),
    ("/get-involved/ask", Guard::Open),
    ("/get-involved/ask/easy-read", Guard::Open),
    ("/get-involved/thank-you", Guard::Open),
    ("/opportunities", Guard::Open),
    ("/opportunities/{id}", Guard::Open),
    ("/services", any(Some(ManageServices), Some(ManageServices))),
    ("/partners", any(None, Some(ManageServices))),
    (
        "/services/{id}",
        any(Some(ManageServices), Some(ManageServices)),
    ),
    ("/services/{id}/archive", any(None, Some(ManageServices))),
    (
        "/partners/{id}",
        any(Some(ManageServices), Some(ManageServices)),
    ),
    ("/partners/{id}/archive", any(None, Some(ManageServices))),
    ("/staff", any(Some(ManageStaff), None)),
    ("/staff/{id}/disable", any(None, Some(ManageStaff))),
    ("/staff/{id}/enable", any(None, Some(ManageStaff))),
    ("/staff/{id}/second-factor", any(None, Some(ManageStaff))),
];

/// Every API path, and who may reach it (`write` covers POST, PATCH, PUT and DELETE).
const API: &[(&str, Guard)] = &[
    ("/api/v1/me", any(Some(UseOwnAccount), None)),
    (
        "/api/v1/concerns",
        any(Some(ViewConcerns), Some(RaiseConcerns)),
    ),
    ("/api/v1/concerns/{id}", service(Some(ViewConcerns), None)),
    (
        "/api/v1/concerns/{id}/escalate",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/api/v1/concerns/{id}/respond",
        service(None, Some(RespondToConcerns)),
    ),
    (
        "/api/v1/concerns/{id}/feed-back",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/api/v1/concerns/{id}/close",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/api/v1/concerns/{id}/reopen",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/api/v1/concerns/{id}/redirect",
        service(None, Some(ManageConcerns)),
    ),
    (
        "/api/v1/improvements",
        any(Some(ViewConcerns), Some(RecordImprovements)),
    ),
    (
        "/api/v1/reviews",
        any(Some(ViewGroups), Some(RecordReviews)),
    ),
    ("/api/v1/reviews/{id}", service(Some(ViewGroups), None)),
    ("/api/v1/feedback", any(Some(ViewGroups), None)),
    (
        "/api/v1/reviews/{id}/actions",
        service(None, Some(RecordReviews)),
    ),
    (
        "/api/v1/improvements/{id}",
        service(Some(ViewConcerns), Some(RecordImprovements)),
    ),
    (
        "/api/v1/enquiries",
        any(Some(ManageEnquiries), Some(ManageEnquiries)),
    ),
    ("/api/v1/enquiries/{id}", any(Some(ManageEnquiries), None)),
    ("/api/v1/groups", any(Some(ViewGroups), Some(EditGroups))),
    (
        "/api/v1/groups/{id}",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/groups/{id}/members",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/groups/{id}/members/{member}",
        service(None, Some(EditGroups)),
    ),
    ("/api/v1/keep-in-touch", any(Some(ViewPeople), None)),
    ("/api/v1/meetings", any(Some(ViewGroups), Some(EditGroups))),
    (
        "/api/v1/meetings/{id}",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/meetings/{id}/actions",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/meetings/{id}/attendance",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/opportunities",
        any(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/opportunities/{id}",
        service(Some(ViewGroups), None),
    ),
    (
        "/api/v1/opportunities/{id}/interest",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/partners",
        any(Some(UseOwnAccount), Some(ManageServices)),
    ),
    ("/api/v1/partners/{id}", any(None, Some(ManageServices))),
    ("/api/v1/people", any(Some(ViewPeople), Some(EditPeople))),
    (
        "/api/v1/people/{id}",
        service(Some(ViewPeople), Some(EditPeople)),
    ),
    (
        "/api/v1/people/{id}/consents",
        service(Some(ViewPeople), Some(EditPeople)),
    ),
    (
        "/api/v1/people/{id}/contacts",
        service(Some(ViewPeople), Some(EditPeople)),
    ),
    ("/api/v1/projects", any(Some(ViewGroups), Some(EditGroups))),
    (
        "/api/v1/projects/{id}",
        service(Some(ViewGroups), Some(EditGroups)),
    ),
    (
        "/api/v1/services",
        any(Some(UseOwnAccount), Some(ManageServices)),
    ),
    ("/api/v1/services/{id}", any(None, Some(ManageServices))),
];

fn guard_of(table: &[(&str, Guard)], path: &str) -> Option<Guard> {
    table.iter().find(|(p, _)| *p == path).map(|(_, g)| *g)
}

#[test]
fn every_page_and_api_operation_has_a_line_in_the_policy_table() {
    let pages = coproduce_web::html::paths();
    let missing: Vec<_> = pages
        .iter()
        .filter(|p| guard_of(PAGES, p).is_none())
        .collect();
    assert!(missing.is_empty(), "pages with no policy line: {missing:?}");
    let gone: Vec<_> = PAGES
        .iter()
        .filter(|(p, _)| !pages.contains(p))
        .map(|(p, _)| p)
        .collect();
    assert!(gone.is_empty(), "policy lines for no page: {gone:?}");
    for (path, methods) in api_operations() {
        let guard =
            guard_of(API, &path).unwrap_or_else(|| panic!("API path with no policy line: {path}"));
        for method in methods {
            assert!(
                action_for(guard, &method).is_some(),
                "{method} {path} has no action in the policy table"
            );
        }
    }
    assert_eq!(
        API.len(),
        api_operations().len(),
        "policy lines for no path"
    );
}

/// The API's operations, from its own OpenAPI document.
fn api_operations() -> Vec<(String, Vec<Method>)> {
    let doc = coproduce_web::api::openapi();
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .map(|(path, item)| {
            let methods = ["get", "post", "patch", "put", "delete"]
                .into_iter()
                .filter(|m| item.get(*m).is_some())
                .map(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).expect("method"))
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

fn action_for(guard: Guard, method: &Method) -> Option<Action> {
    match guard {
        Guard::Policy { get, .. } if method == Method::GET => get,
        Guard::Policy { write, .. } => write,
        Guard::Open | Guard::Portal { .. } => None,
    }
}

/// The smallest value `schema` accepts: its required fields, each the simplest of its type, so
/// that a request reaches the policy rather than being refused for its shape.
fn shaped(doc: &serde_json::Value, schema: &serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Value};
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/");
        return shaped(doc, &doc["components"]["schemas"][name]);
    }
    for any in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema[any]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["type"] != "null"))
        {
            return shaped(doc, first);
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|k| *k != "null")
            .cloned()
            .unwrap_or(Value::Null),
        other => other.clone(),
    };
    match kind.as_str().unwrap_or("object") {
        "object" => {
            let mut object = serde_json::Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                object.insert(name.to_owned(), shaped(doc, &schema["properties"][name]));
            }
            Value::Object(object)
        }
        "string" => match schema["format"].as_str() {
            Some("date") => json!("2026-06-01"),
            Some("date-time") => json!("2026-06-01T10:00:00Z"),
            _ => json!("walk"),
        },
        "integer" | "number" => json!(1),
        "boolean" => json!(false),
        "array" => json!([]),
        _ => Value::Null,
    }
}

/// `url` with the operation's required query parameters, each the simplest of its type.
fn query(operation: &serde_json::Value, url: &str) -> String {
    let pairs: Vec<String> = operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| {
            let value = match p["schema"]["format"].as_str() {
                Some("date") => "2026-06-01",
                Some("date-time") => "2026-06-01T10:00:00Z",
                _ => "1",
            };
            format!("{}={value}", p["name"].as_str().unwrap_or_default())
        })
        .collect();
    if pairs.is_empty() {
        url.to_owned()
    } else {
        format!("{url}?{}", pairs.join("&"))
    }
}

/// Things of the service the walkers do not work in, by the name their path gives them.
struct Elsewhere {
    service: i64,
    ids: HashMap<&'static str, i64>,
}

impl Elsewhere {
    /// `path` with each `{name}` replaced by the id of the thing of that kind elsewhere.
    fn fill(&self, path: &str) -> String {
        let kind_of_id = [
            ("/people/import/", "import"),
            ("/people/", "person"),
            ("/groups/", "group"),
            ("/projects/", "project"),
            ("/meetings/", "meeting"),
            ("/actions/", "action"),
            ("/papers/", "paper"),
            ("/opportunities/", "opportunity"),
            ("/enquiries/", "enquiry"),
            ("/concerns/", "concern"),
            ("/improvements/", "improvement"),
            ("/reviews/", "review"),
            ("/services/", "service"),
            ("/partners/", "partner"),
            ("/staff/", "staff"),
        ];
        let kind = kind_of_id
            .iter()
            .find(|(prefix, _)| path.contains(prefix))
            .map_or("", |(_, kind)| *kind);
        let id = |name: &str| self.ids.get(name).copied().unwrap_or(0).to_string();
        path.replace("{id}", &id(kind))
            .replace("{file}", &format!("{}.ics", id(kind)))
            .replace("{member}", &id(&format!("{kind}_member")))
            .replace("{paper}", &id("removable_paper"))
            .replace("{other}", &id("other_person"))
            .replace("{rid}", &id("relationship"))
            .replace("{evidence}", &id("evidence"))
            .replace("{removable}", &id("removable_evidence"))
    }
}

/// A review of a group.
async fn review(t: &TestApp, group: i64) -> i64 {
    let input = coproduce_app::reviews::ReviewInput {
        of: format!("group:{group}"),
        held_on: "2026-01-05".into(),
        principles: "mostly".into(),
        purpose: "mostly".into(),
        presence: "partly".into(),
        process: "fully".into(),
        impact: "partly".into(),
        ..Default::default()
    };
    t.app
        .record_review(&Actor::Cli, &input)
        .await
        .expect("review")
        .0
}

/// A file of evidence kept with an improvement.
async fn evidence(t: &TestApp, improvement: coproduce_domain::ImprovementId) -> i64 {
    let upload = coproduce_app::Upload {
        name: "room.pdf".into(),
        bytes: b"%PDF-1.4 the new room".to_vec(),
    };
    t.app
        .add_improvement_file(&Actor::Cli, improvement, &upload)
        .await
        .expect("evidence")
}

async fn scalar(t: &TestApp, sql: &str) -> i64 {
    let mut tx = t.app.db().read().await.expect("tx");
    let n =
        coproduce_store::on!(&mut tx, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    tx.commit().await.expect("commit");
    n
}

/// The demo organisation, and one more of each kind of thing in the therapy service, where the
/// walkers (service staff of the learning disabilities service) do not work.
async fn elsewhere(t: &TestApp) -> Elsewhere {
    coproduce_app::demo::seed(&t.app).await.expect("demo data");
    let service = scalar(
        t,
        "SELECT id FROM services WHERE name = 'Child and Family Therapy'",
    )
    .await;
    let group = scalar(
        t,
        &format!("SELECT MIN(id) FROM groups WHERE service_id = {service}"),
    )
    .await;
    let project = t
        .app
        .create_project(
            &Actor::Cli,
            &coproduce_app::projects::ProjectInput {
                name: "Waiting list leaflet".into(),
                service_id: service.to_string(),
                starts_on: "2026-01-05".into(),
                stage: "planning".into(),
                ladder: "consultation".into(),
                ..Default::default()
            },
        )
        .await
        .expect("project");
    let meeting = scalar(
        t,
        &format!("SELECT MIN(id) FROM meetings WHERE group_id = {group}"),
    )
    .await;
    let paper = t
        .app
        .add_paper(
            &Actor::Cli,
            MeetingId(meeting),
            &coproduce_app::meetings::PaperInput {
                title: "Draft leaflet".into(),
                link: String::new(),
                easy_read: false,
            },
            Some(&coproduce_app::meetings::Upload {
                name: "leaflet.pdf".into(),
                bytes: b"%PDF-1.4 pretend".to_vec(),
            }),
        )
        .await
        .expect("paper");
    let removable_paper = t
        .app
        .add_paper(
            &Actor::Cli,
            MeetingId(meeting),
            &coproduce_app::meetings::PaperInput {
                title: "Old agenda".into(),
                link: "https://docs.example.org/agenda".into(),
                easy_read: false,
            },
            None,
        )
        .await
        .expect("paper");
    let in_service = format!(
        "SELECT MIN(person_id) FROM relationships WHERE service_id = {service} AND person_id NOT IN \
         (SELECT person_id FROM relationships WHERE service_id <> {service})"
    );
    let person = scalar(t, &in_service).await;
    let other_person = scalar(
        t,
        &format!(
            "{} AND person_id <> {person}",
            in_service.replace("MIN(person_id)", "MAX(person_id)")
        ),
    )
    .await;
    let mut table =
        coproduce_domain::table::Table::new(vec!["First name".into(), "Last name".into()]);
    table.push_row(["Ada", "Lovelace"]);
    let import = t
        .app
        .stage_import(&Actor::Cli, &service.to_string(), "people.csv", &table)
        .await
        .expect("import");
    let form_key = t.app.new_form_key().await.expect("form key");
    t.app.clock().advance_minutes(1);
    t.app
        .submit_enquiry(
            &coproduce_app::enquiries::EnquiryInput {
                name: "Sam Elsewhere".into(),
                email: "sam@example.org".into(),
                consent: "yes".into(),
                form_key,
                ..Default::default()
            },
            "203.0.113.9",
        )
        .await
        .expect("enquiry");
    let improvement = t
        .app
        .record_improvement(
            &Actor::Cli,
            &coproduce_app::improvements::ImprovementInput {
                service_id: service.to_string(),
                you_said: "The waiting room is too loud.".into(),
                we_did: "A quiet room.".into(),
                changed_on: "2026-01-05".into(),
                ..Default::default()
            },
        )
        .await
        .expect("improvement");
    let ids = HashMap::from([
        ("service", service),
        ("group", group),
        (
            "group_member",
            scalar(
                t,
                &format!("SELECT MIN(id) FROM group_members WHERE group_id = {group}"),
            )
            .await,
        ),
        ("project", project.0),
        (
            "project_member",
            t.app
                .add_project_member(
                    &Actor::Cli,
                    project,
                    &coproduce_app::groups::MemberInput {
                        person_id: person.to_string(),
                        role: "member".into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("project member"),
        ),
        ("meeting", meeting),
        (
            "action",
            t.app
                .add_action(
                    &Actor::Cli,
                    MeetingId(meeting),
                    &coproduce_app::meetings::ActionInput {
                        description: "Send the draft round".into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("action"),
        ),
        ("paper", paper),
        ("removable_paper", removable_paper),
        (
            "opportunity",
            scalar(
                t,
                &format!("SELECT MIN(id) FROM opportunities WHERE service_id = {service}"),
            )
            .await,
        ),
        ("enquiry", scalar(t, "SELECT MIN(id) FROM enquiries").await),
        (
            "concern",
            t.app
                .raise_concern(
                    &Actor::Cli,
                    &coproduce_app::concerns::ConcernInput {
                        service_id: service.to_string(),
                        raised_by: format!("group:{group}"),
                        words: "The waiting room is too loud.".into(),
                        severity: "low".into(),
                    },
                )
                .await
                .expect("concern")
                .0,
        ),
        ("improvement", improvement.0),
        ("review", review(t, group).await),
        ("evidence", evidence(t, improvement).await),
        ("removable_evidence", evidence(t, improvement).await),
        ("partner", scalar(t, "SELECT MIN(id) FROM partners").await),
        (
            "staff",
            scalar(
                t,
                "SELECT id FROM staff WHERE email = 'megan.achterberg@harbourside.example'",
            )
            .await,
        ),
        ("person", person),
        ("other_person", other_person),
        (
            "relationship",
            scalar(
                t,
                &format!("SELECT MIN(id) FROM relationships WHERE person_id = {person}"),
            )
            .await,
        ),
        ("import", import),
    ]);
    Elsewhere { service, ids }
}

/// The walkers: one of each role, working in the learning disabilities service.
const WALKERS: [(Role, &str); 4] = [
    (Role::Staff, "tom.reilly@harbourside.example"),
    (Role::Finance, "dev.kalsi@harbourside.example"),
    (Role::Auditor, "ruth.mensah@harbourside.example"),
    (Role::Admin, "priya.okafor@harbourside.example"),
];

/// The walker as the policy sees them.
fn walker(role: Role, own_service: i64) -> Actor {
    Actor::Staff(StaffMember {
        id: StaffId(0),
        name: String::new(),
        email: String::new(),
        role,
        service_ids: if role == Role::Staff {
            vec![ServiceId(own_service)]
        } else {
            Vec::new()
        },
    })
}

/// The pages that take a file, sent as a browser sends a form with one.
const UPLOADS: [&str; 5] = [
    "/organisation",
    "/people/import",
    "/manage/pictures",
    "/meetings/{id}/papers",
    "/improvements/{id}/files",
];

async fn send_upload(t: &TestApp, url: &str, token: &str) -> Response {
    let body = format!(
        "--walk\r\ncontent-disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--walk--\r\n"
    );
    t.request(
        Method::POST,
        url,
        &[("content-type", "multipart/form-data; boundary=walk")],
        axum::body::Body::from(body),
    )
    .await
}

/// Refused: forbidden, not found, or sent to sign in.
fn refused(r: &Response) -> bool {
    matches!(r.status.as_u16(), 401 | 403 | 404)
        || (r.status.is_redirection()
            && r.location()
                .is_some_and(|l| l.starts_with("/sign-in") || l.starts_with("/my/sign-in")))
}

async fn sign_in_as(t: &TestApp, role: Role, email: &str) -> String {
    t.clear_cookies();
    if role.requires_second_factor() {
        t.sign_in_enrolled(email).await;
    } else {
        t.sign_in(email).await;
    }
    let account = t.get("/account").await;
    assert_eq!(account.status, 200, "{email} is signed in");
    account.form_token().expect("a form token")
}

#[tokio::test]
async fn every_page_refuses_what_the_policy_refuses_for_things_of_another_service() {
    each_app(|t| async move {
        let other = elsewhere(&t).await;
        let own = scalar(&t, "SELECT id FROM services WHERE name LIKE 'Integrated%'").await;
        let mut wrong = Vec::new();
        for (role, email) in WALKERS {
            let token = sign_in_as(&t, role, email).await;
            let session = t.cookie("coproduce_session").expect("a session");
            let actor = walker(role, own);
            for (path, guard) in PAGES {
                let (get, write, of_service) = match *guard {
                    Guard::Open => continue,
                    Guard::Portal { get, write } => (
                        get.then_some(ActAsPerson),
                        write.then_some(ActAsPerson),
                        false,
                    ),
                    Guard::Policy {
                        get,
                        write,
                        of_service,
                    } => (get, write, of_service),
                };
                let resource = if of_service {
                    Resource::in_service(ServiceId(other.service))
                } else {
                    Resource::ANY
                };
                let url = other.fill(path);
                for (method, action) in [(Method::GET, get), (Method::POST, write)] {
                    // Only the staff session: signing someone in to their page on their
                    // behalf leaves a portal cookie that would sign the walker in there.
                    t.clear_cookies();
                    t.set_cookie("coproduce_session", &session);
                    let answer = if method == Method::GET {
                        t.get(&url).await
                    } else if UPLOADS.contains(path) {
                        send_upload(&t, &url, &token).await
                    } else {
                        t.post_form_raw(&url, &[("csrf_token", token.as_str())])
                            .await
                    };
                    let Some(action) = action else {
                        if answer.status != 405 {
                            wrong.push(format!(
                                "{role} {method} {url}: {} with no policy line",
                                answer.status
                            ));
                        }
                        continue;
                    };
                    let allowed = may(&actor, action, &resource);
                    if allowed == refused(&answer) || answer.status.is_server_error() {
                        wrong.push(format!(
                            "{role} {method} {url}: {} {:?} but the policy says {}",
                            answer.status,
                            answer.location(),
                            if allowed { "yes" } else { "no" }
                        ));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    })
    .await;
}

#[tokio::test]
async fn every_api_operation_refuses_what_the_policy_refuses_for_things_of_another_service() {
    each_app(|t| async move {
        let other = elsewhere(&t).await;
        let own = scalar(&t, "SELECT id FROM services WHERE name LIKE 'Integrated%'").await;
        let mut wrong = Vec::new();
        for (role, email) in WALKERS {
            let id = scalar(&t, &format!("SELECT id FROM staff WHERE email = '{email}'")).await;
            let token = t
                .app
                .create_api_token(&Actor::Cli, StaffId(id), "walk", None)
                .await
                .expect("token");
            let actor = walker(role, own);
            let doc = coproduce_web::api::openapi();
            for (path, methods) in api_operations() {
                let Some(Guard::Policy { of_service, .. }) = guard_of(API, &path) else {
                    continue;
                };
                let guard = guard_of(API, &path).expect("a line");
                let resource = if of_service {
                    Resource::in_service(ServiceId(other.service))
                } else {
                    Resource::ANY
                };
                let url = other.fill(&path);
                for method in methods {
                    let action = action_for(guard, &method).expect("an action");
                    let operation = &doc["paths"][&path][method.as_str().to_ascii_lowercase()];
                    let body = (method != Method::GET).then(|| {
                        let schema =
                            &operation["requestBody"]["content"]["application/json"]["schema"];
                        shaped(&doc, schema)
                    });
                    let answer = t
                        .api_send(
                            method.clone(),
                            &query(operation, &url),
                            token.expose(),
                            body,
                        )
                        .await;
                    let allowed = may(&actor, action, &resource);
                    if allowed == refused(&answer) || answer.status.is_server_error() {
                        wrong.push(format!(
                            "{role} {method} {url}: {} but the policy says {}: {}",
                            answer.status,
                            if allowed { "yes" } else { "no" },
                            answer.body.chars().take(300).collect::<String>()
                        ));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    })
    .await;
}
