//! The `coproduce` program as an operator runs it: clear one-line failures with exit code 2,
//! staff and token commands, the audit check, and a clean stop on SIGTERM.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn coproduce() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coproduce"));
    c.env_remove("COPRODUCE_DATABASE_URL")
        .env_remove("COPRODUCE_BIND")
        .env("COPRODUCE_LOG", "warn");
    c
}

/// `coproduce ARGS`, run to its end.
fn run(args: &[&str]) -> Output {
    coproduce().args(args).output().expect("coproduce runs")
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coproduce-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir.join("test.db")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn assert_one_line_failure(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "stderr: {}", text(&out.stderr));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one clear line, got: {err}");
    assert!(lines[0].contains(needle), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"));
}

#[test]
fn a_malformed_database_address_is_one_line_and_exit_2() {
    let out = run(&["migrate", "--database", "mysql://localhost/db"]);
    assert_one_line_failure(&out, "database address is not valid");
    let out = run(&["serve", "--database", "postgres://"]);
    assert_one_line_failure(&out, "database address is not valid");
}

#[test]
fn an_unreachable_postgres_is_one_line_and_exit_2() {
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://postgres@127.0.0.1:{free}/nothing");
    let out = run(&["serve", "--database", &url]);
    assert_one_line_failure(&out, "cannot open the database");
}

#[test]
fn a_port_in_use_is_one_line_and_exit_2() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let db = temp_db("port");
    let out = run(&["serve", "--bind", &bind, "--database", db.to_str().unwrap()]);
    assert_one_line_failure(&out, &format!("cannot listen on {bind}"));
}

#[test]
fn staff_tokens_and_the_audit_check_work_from_the_command_line() {
    let db = temp_db("staff");
    let db = db.to_str().unwrap();
    let mut add = coproduce()
        .args([
            "staff",
            "add",
            "--email",
            "Ada@Example.org",
            "--name",
            "Ada Admin",
            "--role",
            "admin",
            "--password-stdin",
            "--database",
            db,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"kettle lantern orchard velvet\n")
        .unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));

    let link = ["--public-url", "https://cp.example"];
    let out = add_named_staff(db, "sam@example.org", "Sam", "staff", &link);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("https://cp.example/set-password/cpl_"),
        "{}",
        text(&out.stdout)
    );

    let out = add_named_staff(db, "sam@example.org", "Sam", "boss", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("role must be one of") && err.contains("already in use"),
        "{err}"
    );

    let out = token_create(db, "ada@example.org");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "only the token: {stdout}");
    assert!(stdout.starts_with("cpt_") && stdout.trim().len() == 68);

    let out = run(&["audit", "verify", "--database", db]);
    assert!(out.status.success());
    assert!(
        // The entry that keyed the chain, two staff added and a token made.
        text(&out.stdout).contains("intact: 4 entries"),
        "{}",
        text(&out.stdout)
    );
}

/// Sends one request on a fresh connection and returns the whole answer.
fn send(addr: &str, request: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    Some(answer)
}

/// Starts `coproduce serve` on a free port and waits for it to answer.
fn serve(db: &str) -> (std::process::Child, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let outbox = format!("file:{db}-outbox");
    let addr = format!("127.0.0.1:{port}");
    let child = coproduce()
        .args([
            "serve",
            "--bind",
            &addr,
            "--database",
            db,
            "--outbox",
            &outbox,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let started = Instant::now();
    while get(&addr, "/healthz").is_none_or(|r| !r.starts_with("HTTP/1.1 200")) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, addr)
}

fn token_create(db: &str, email: &str) -> Output {
    coproduce()
        .args(["token", "create", "--email", email, "--database", db])
        .output()
        .expect("token create runs")
}

fn add_staff(db: &str, email: &str, role: &str) -> Output {
    add_named_staff(db, email, "Someone", role, &[])
}

/// `coproduce staff add` with a name, and any other options after the role.
fn add_named_staff(db: &str, email: &str, name: &str, role: &str, more: &[&str]) -> Output {
    let mut args = vec![
        "staff", "add", "--email", email, "--name", name, "--role", role,
    ];
    args.extend_from_slice(more);
    args.extend(["--database", db]);
    run(&args)
}

/// `coproduce ARGS` on `db` with the audit key in `key_file` rather than the database's own.
fn with_key(args: &[&str], db: &str, key_file: &str) -> Output {
    let mut args = args.to_vec();
    args.extend(["--database", db, "--audit-key-file", key_file]);
    run(&args)
}

#[test]
fn the_command_line_writes_while_the_server_is_busy_writing_on_sqlite() {
    let db = temp_db("busy");
    let db = db.to_str().unwrap();
    assert!(add_staff(db, "ada@example.org", "admin").status.success());
    let token = token_create(db, "ada@example.org");
    let token = text(&token.stdout).trim().to_owned();
    let (mut server, addr) = serve(db);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stored = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let load: Vec<_> = (0..4)
        .map(|worker| {
            let (stop, stored, addr, token) = (stop.clone(), stored.clone(), addr.clone(), token.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let body = format!(
                        r#"{{"name":"Caller {worker} {n}","phone":"07700900{:03}","consent":true,"idempotency_key":"load-{worker}-{n}"}}"#,
                        n % 1000
                    );
                    let request = format!(
                        "POST /api/v1/enquiries HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    if send(&addr, &request).is_some_and(|a| a.starts_with("HTTP/1.1 201")) {
                        stored.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut failures = Vec::new();
    for i in 0..20 {
        let out = add_staff(db, &format!("colleague{i}@example.org"), "staff");
        if !out.status.success() {
            failures.push(format!("staff add: {}", text(&out.stderr)));
        }
        let out = token_create(db, "ada@example.org");
        if !out.status.success() {
            failures.push(format!("token create: {}", text(&out.stderr)));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for worker in load {
        worker.join().unwrap();
    }
    server.kill().ok();
    server.wait().ok();
    assert!(
        failures.is_empty(),
        "{} of 40 failed: {failures:?}",
        failures.len()
    );
    assert!(
        stored.load(std::sync::atomic::Ordering::Relaxed) > 100,
        "the server was writing all along"
    );
}

fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

#[test]
fn serve_answers_health_and_stops_cleanly_on_sigterm() {
    let db = temp_db("serve");
    let (mut child, addr) = serve(db.to_str().unwrap());
    let answer = get(&addr, "/healthz").expect("the server answered");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    // It wrote a signed checkpoint of the audit trail on the way out, which checks out.
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let line = log
        .lines()
        .rfind(|l| l.contains("coproduce-audit-checkpoint"))
        .expect("a checkpoint in the log");
    let db = db.to_str().unwrap();
    let out = run(&["audit", "verify", "--checkpoint", line, "--database", db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("The checkpoint checks out"));
    // Another key cannot check the trail, nor vouch for the checkpoint.
    let other = format!("{db}.other-key");
    std::fs::write(&other, "ab".repeat(32)).unwrap();
    let out = with_key(&["audit", "verify", "--checkpoint", line], db, &other);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("broken at entry 1"),
        "{}",
        text(&out.stderr)
    );
    // Nor can the server start with it, nor with the key file gone.
    let out = with_key(
        &["staff", "disable", "--email", "x@example.org"],
        db,
        &other,
    );
    assert_one_line_failure(&out, "the audit trail was written with audit key");
    std::fs::remove_file(format!("{db}.audit-key")).unwrap();
    let out = run(&["audit", "verify", "--database", db]);
    assert_one_line_failure(&out, "audit key file");
}
