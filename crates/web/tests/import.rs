//! Importing people from a spreadsheet and downloading them again, through the real router, on
//! both backends.

use axum::http::StatusCode;
use coproduce_app::Actor;
use coproduce_domain::PersonId;
use coproduce_testkit::{each_app, Response, TestApp};

async fn upload(t: &TestApp, service: &str, filename: &str, file: &[u8]) -> Response {
    let token = t
        .get("/people/import")
        .await
        .form_token()
        .expect("form token");
    let fields = [("csrf_token", token.as_str()), ("service_id", service)];
    t.upload_form("/people/import", &fields, Some(("file", filename, file)))
        .await
}

async fn learning_disabilities(t: &TestApp) -> String {
    t.app
        .create_service(&Actor::Cli, "Learning Disabilities", "14")
        .await
        .expect("service")
        .to_string()
}

async fn arrange(t: &TestApp) -> String {
    let service = learning_disabilities(t).await;
    t.add_staff_in("tom@example.org", "staff", &[&service])
        .await;
    t.sign_in("tom@example.org").await;
    service
}

const SHEET: &str = "Full name,E-mail,Mobile,Favourite colour\n\
Ana Lane,ana@example.org,07700 900 001,blue\n\
,nobody@example.org,,green\n\
Ben Hill,not-an-email,07700 900 002,red\n\
Cal Moss,cal@example.org,07700900003,\n\
Ana Lane again,ANA@example.org,,\n";

#[tokio::test]
async fn a_spreadsheet_is_mapped_previewed_and_imported_once() {
    each_app(|t| async move {
        let service = arrange(&t).await;
        let staged = upload(&t, &service, "people.csv", SHEET.as_bytes()).await;
        assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.body);
        let map_path = staged.location().unwrap().to_owned();
        let map = t.get(&map_path).await;
        assert!(map.body.contains("5 rows"));
        assert!(
            map.body.contains("<option value=\"name\" selected>"),
            "the name column is guessed"
        );
        assert!(map.body.contains("<option value=\"phone\" selected>"));

        let nameless = t
            .submit(
                &map_path,
                &map_path,
                &[("column-0", ""), ("column-1", "email")],
            )
            .await;
        nameless.assert_shows(
            StatusCode::BAD_REQUEST,
            &["Choose the column that holds each person"],
        );

        let mapped = t
            .submit(
                &map_path,
                &map_path,
                &[
                    ("column-0", "name"),
                    ("column-1", "email"),
                    ("column-2", "phone"),
                    ("column-3", "interests"),
                ],
            )
            .await;
        let preview_path = mapped.location().unwrap().to_owned();
        let preview = t.get(&preview_path).await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(preview.body.contains("Import 2 people"), "{}", preview.body);
        preview.assert_contains(&[
            "<strong>Row 3:</strong> Enter their name",
            "<strong>Row 4:</strong> Enter an email address in the correct format",
            "<strong>Row 6:</strong> The same person is on an earlier row",
        ]);

        let run_path = format!("{}/run", map_path);
        let done = t.submit(&preview_path, &run_path, &[]).await;
        assert_eq!(done.location(), Some("/people?imported=2"));
        let list = t.get("/people?imported=2").await;
        assert!(list.body.contains("Imported 2 people."));
        assert!(list.body.contains("Ana Lane") && list.body.contains("Cal Moss"));
        // Each is linked to the service, due a first call, with their history and interests.
        let found = t
            .app
            .search_people(&Actor::Cli, &Default::default())
            .await
            .unwrap();
        for p in &found.people {
            let view = t
                .app
                .view_person(&Actor::Cli, PersonId(p.id.0))
                .await
                .unwrap();
            assert_eq!(view.relationships.len(), 1, "{}", p.name);
            assert_eq!(view.relationships[0].service_id.to_string(), service);
            assert_eq!(
                view.relationships[0].cadence_days, 14,
                "the service's usual cadence"
            );
            assert_eq!(view.status_changes.len(), 1);
            assert_eq!(view.status_changes[0].reason, "Imported");
            let tags: Vec<&str> = view.tags.iter().map(|t| t.name.as_str()).collect();
            match p.name.as_str() {
                "Ana Lane" => assert_eq!(tags, ["blue"]),
                _ => assert!(tags.is_empty(), "{tags:?}"),
            }
        }
        let cal = t.get("/people?q=mo").await;
        assert!(
            cal.body.contains("Cal Moss") && !cal.body.contains("Ana Lane"),
            "found by name after the import"
        );
        let queue = t.get("/keep-in-touch").await;
        assert!(queue.body.contains("Ana Lane") && queue.body.contains("Cal Moss"));

        // The same file again adds nobody.
        let again = upload(&t, &service, "people.csv", SHEET.as_bytes()).await;
        let again_map = again.location().unwrap().to_owned();
        let preview = t.get(&format!("{again_map}/preview")).await;
        assert!(preview.body.contains("There is nobody new to import"));
        assert_eq!(
            t.app
                .search_people(&Actor::Cli, &Default::default())
                .await
                .unwrap()
                .people
                .len(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn files_that_are_not_spreadsheets_are_refused_with_a_reason_and_nothing_is_stored() {
    each_app(|t| async move {
        let service = arrange(&t).await;
        let empty = upload(&t, &service, "people.csv", b"").await;
        empty.assert_shows(StatusCode::BAD_REQUEST, &["The file is empty"]);
        let picture = upload(&t, &service, "photo.png", b"\x89PNG\r\n\x1a\n").await;
        assert!(picture.body.contains("must be a CSV or an Excel"));
        let headless = upload(&t, &service, "people.csv", b"Name\n").await;
        assert!(headless.body.contains("no people"));
        assert!(t
            .app
            .search_people(&Actor::Cli, &Default::default())
            .await
            .unwrap()
            .people
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn downloads_hold_only_the_people_the_staff_member_may_see() {
    each_app(|t| async move {
        let service = arrange(&t).await;
        let other = t
            .app
            .create_service(&Actor::Cli, "Other", "")
            .await
            .unwrap()
            .to_string();
        let add = |name: &str| coproduce_app::people::PersonInput {
            name: name.to_owned(),
            needs: vec!["easy_read".into()],
            ..Default::default()
        };
        t.app
            .create_person(&Actor::Cli, &add("Ana Lane"), &service)
            .await
            .unwrap();
        t.app
            .create_person(&Actor::Cli, &add("=Hidden Person"), &other)
            .await
            .unwrap();
        let csv = t.get("/people/export.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(csv.body.contains("Ana Lane") && csv.body.contains("Easy Read"));
        assert!(!csv.body.contains("Hidden Person"));
        let xlsx = t.get("/people/export.xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx
            .header("content-disposition")
            .unwrap()
            .contains("people.xlsx"));
        let page = t.app.audit_page(&Actor::Cli, None).await.unwrap();
        assert_eq!(
            page.rows
                .iter()
                .filter(|r| r.action == "people_export")
                .count(),
            2
        );
    })
    .await;
}

/// Uploads a file and returns the answer and how long it took.
async fn timed_upload(
    t: &TestApp,
    service: &str,
    filename: &str,
    file: &[u8],
) -> (Response, std::time::Duration) {
    let started = std::time::Instant::now();
    let answer = upload(t, service, filename, file).await;
    (answer, started.elapsed())
}

#[tokio::test]
async fn hostile_spreadsheets_are_refused_at_once_and_the_server_keeps_answering() {
    use coproduce_testkit::files::{row, with_declared_sheet_size, xlsx};
    each_app(|t| async move {
        let service = arrange(&t).await;
        let header = row(1, &[("A", "Name"), ("B", "Email")]);
        let ana = row(2, &[("A", "Ana Lane"), ("B", "ana@example.org")]);
        let far_right = row(1_048_576, &[("XFD", "x")]);
        let many_rows: String = (2..10_000)
            .map(|n| row(n, &[("A", "Someone"), ("B", "someone@example.org")]))
            .collect();
        let long_cell = row(2, &[("A", &"x".repeat(40_000))]);
        let refused: [(&str, Vec<u8>, &str); 6] = [
            (
                "a cell far out to the right",
                xlsx("A1:XFD1048576", &format!("{header}{ana}{far_right}")),
                "more than 100 columns",
            ),
            (
                "a sheet that unpacks to gigabytes",
                with_declared_sheet_size(xlsx("A1:B2", &format!("{header}{ana}")), 4_000_000_000),
                "unpacks to more than we can read",
            ),
            (
                "a sheet bigger than its zip says",
                with_declared_sheet_size(xlsx("A1:B9999", &format!("{header}{many_rows}")), 200),
                "could not be read",
            ),
            (
                "a cell longer than Excel allows",
                xlsx("A1:A2", &format!("{header}{long_cell}")),
                "more than 32,767 characters",
            ),
            (
                "too many rows",
                format!("Name\n{}", "Someone\n".repeat(200_001)).into_bytes(),
                "more than 200,000 rows",
            ),
            (
                "too many columns",
                format!("{}\nx\n", vec!["Name"; 101].join(",")).into_bytes(),
                "more than 100 columns",
            ),
        ];
        for (what, file, message) in refused {
            let name = if file.starts_with(b"PK") {
                "people.xlsx"
            } else {
                "people.csv"
            };
            let (answer, took) = timed_upload(&t, &service, name, &file).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{what}");
            assert!(answer.body.contains(message), "{what}: {}", answer.body);
            assert!(
                answer.body.contains("There is a problem"),
                "{what}: the error summary"
            );
            assert!(
                took < std::time::Duration::from_secs(1),
                "{what} took {took:?}"
            );
            assert_eq!(t.get("/healthz").await.status, StatusCode::OK, "{what}");
        }
        // A sheet that declares the whole grid but fills four cells, and one whose last person
        // is a million rows down, are read by their cells.
        let far_down = row(1_048_576, &[("A", "Ben Hill")]);
        for (what, file, rows) in [
            (
                "a huge declared extent",
                xlsx("A1:XFD1048576", &format!("{header}{ana}")),
                1,
            ),
            (
                "a person far down",
                xlsx("A1:B2", &format!("{header}{ana}{far_down}")),
                2,
            ),
        ] {
            let (answer, took) = timed_upload(&t, &service, "people.xlsx", &file).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{what}: {}",
                answer.body
            );
            assert!(
                took < std::time::Duration::from_secs(1),
                "{what} took {took:?}"
            );
            let map = t.get(answer.location().expect("the mapping page")).await;
            assert!(
                map.body.contains(&format!("{rows} row")),
                "{what}: {}",
                map.body
            );
        }
        let form = t.get("/people/import").await;
        assert!(
            form.body.contains("200,000 rows") && form.body.contains("100 columns"),
            "the page says what it takes"
        );
    })
    .await;
}

#[tokio::test]
async fn only_those_who_may_import_see_the_upload_form() {
    each_app(|t| async move {
        let service = learning_disabilities(&t).await;
        for role in ["finance", "auditor"] {
            let email = format!("{role}@example.org");
            t.add_staff(&email, role).await;
            t.clear_cookies();
            t.sign_in_enrolled(&email).await;
            let page = t.get("/people/import").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
            assert!(
                !page.body.contains("type=\"file\""),
                "{role} sees no upload form"
            );
            let too_wide = format!("{}\nx\n", vec!["Name"; 101].join(","));
            let sent = upload(&t, &service, "people.csv", too_wide.as_bytes()).await;
            assert_eq!(
                sent.status,
                StatusCode::FORBIDDEN,
                "{role}'s upload is refused before the file is read: {}",
                sent.body
            );
        }
        t.clear_cookies();
        t.add_staff_in("tom@example.org", "staff", &[&service])
            .await;
        t.sign_in("tom@example.org").await;
        let page = t.get("/people/import").await;
        page.assert_shows(StatusCode::OK, &["type=\"file\""]);
    })
    .await;
}

#[tokio::test]
async fn a_file_bigger_than_one_batch_is_imported_whole_and_once() {
    each_app(|t| async move {
        let service = arrange(&t).await;
        let mut file = String::from("Name,Email,Interests\n");
        for n in 0..4_500 {
            file.push_str(&format!("Person {n},person{n}@example.org,panels\n"));
        }
        let staged = upload(&t, &service, "people.csv", file.as_bytes()).await;
        let map_path = staged.location().expect("the mapping page").to_owned();
        let preview = t.get(&format!("{map_path}/preview")).await;
        assert!(preview.body.contains("Import 4500 people"), "{}", preview.body);
        let run_path = format!("{map_path}/run");
        let done = t.submit(&format!("{map_path}/preview"), &run_path, &[]).await;
        assert_eq!(done.location(), Some("/people?imported=4500"));
        let again = t.submit(&format!("{map_path}/preview"), &run_path, &[]).await;
        assert_eq!(again.location(), Some("/people?imported=4500"), "the same import adds nobody twice");
        let mut tx = t.app.db().read().await.unwrap();
        let (people, tagged): (i64, i64) = coproduce_store::on!(&mut tx, c => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM person_tags)").fetch_one(c).await).unwrap();
        assert_eq!((people, tagged), (4_500, 4_500));
    })
    .await;
}
