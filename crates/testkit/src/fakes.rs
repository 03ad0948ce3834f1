//! Local fakes of the message providers, each checking the documented protocol: an SMTP server
//! that insists on the conversation's order (RFC 5321), and a GOV.UK Notify that checks the JWT
//! signature, issuer and age, and the JSON shape of each notification. Either can be told to fail.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// An email the fake SMTP server accepted.
#[derive(Clone, Debug)]
pub struct Mail {
    /// `MAIL FROM` address.
    pub from: String,
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message as sent after `DATA`, dot-unstuffed.
    pub data: String,
}

/// A fake SMTP server on 127.0.0.1.
pub struct FakeSmtp {
    /// Its port.
    pub port: u16,
    /// What it accepted.
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// Protocol errors it saw (a command out of order, a bad reply).
    pub errors: Arc<Mutex<Vec<String>>>,
    /// How many more connections to answer with 421 (service not available).
    pub refuse: Arc<AtomicUsize>,
}

impl FakeSmtp {
    /// Starts the server.
    pub async fn start() -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(AtomicUsize::new(0));
        let (m, e, r) = (mails.clone(), errors.clone(), refuse.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (m, e, r) = (m.clone(), e.clone(), r.clone());
                tokio::spawn(async move {
                    if let Err(err) = converse(socket, &m, &e, &r).await {
                        e.lock().expect("lock").push(err);
                    }
                });
            }
        });
        FakeSmtp {
            port,
            mails,
            errors,
            refuse,
        }
    }
}

async fn converse(
    socket: tokio::net::TcpStream,
    mails: &Mutex<Vec<Mail>>,
    errors: &Mutex<Vec<String>>,
    refuse: &AtomicUsize,
) -> Result<(), String> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let io = |e: std::io::Error| e.to_string();
    if refuse
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        write
            .write_all(b"421 fake.test Service not available\r\n")
            .await
            .map_err(io)?;
        return Ok(());
    }
    write
        .write_all(b"220 fake.test ESMTP ready\r\n")
        .await
        .map_err(io)?;
    let (mut greeted, mut from, mut to) = (false, None::<String>, Vec::new());
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.map_err(io)? == 0 {
            return Ok(());
        }
        if !line.ends_with("\r\n") {
            errors
                .lock()
                .expect("lock")
                .push(format!("a line not ended by CRLF: {line:?}"));
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO ") || upper.starts_with("HELO ") {
            greeted = true;
            b"250-fake.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            if !greeted {
                errors.lock().expect("lock").push("MAIL before EHLO".into());
                b"503 EHLO first\r\n"
            } else {
                from = Some(command[10..].trim().trim_matches(['<', '>']).to_owned());
                to.clear();
                b"250 OK\r\n"
            }
        } else if upper.starts_with("RCPT TO:") {
            if from.is_none() {
                errors.lock().expect("lock").push("RCPT before MAIL".into());
                b"503 MAIL first\r\n"
            } else {
                to.push(command[8..].trim().trim_matches(['<', '>']).to_owned());
                b"250 OK\r\n"
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                errors.lock().expect("lock").push("DATA before RCPT".into());
                write.write_all(b"503 RCPT first\r\n").await.map_err(io)?;
                continue;
            }
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .map_err(io)?;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).await.map_err(io)? == 0 {
                    return Err("the connection closed during DATA".into());
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
            }
            mails.lock().expect("lock").push(Mail {
                from: from.take().unwrap_or_default(),
                to: std::mem::take(&mut to),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await.map_err(io)?;
            return Ok(());
        } else {
            errors
                .lock()
                .expect("lock")
                .push(format!("unexpected command {command:?}"));
            b"500 Unrecognised command\r\n"
        };
        write.write_all(reply).await.map_err(io)?;
    }
}

/// A notification the fake Notify accepted.
#[derive(Clone, Debug)]
pub struct Notification {
    /// `email`, `sms` or `letter`.
    pub kind: String,
    /// The JSON sent.
    pub body: Value,
    /// The id given back.
    pub id: String,
}

/// The state behind the fake Notify.
#[derive(Default)]
pub struct NotifyState {
    service_id: String,
    secret: String,
    /// What it accepted.
    pub sent: Mutex<Vec<Notification>>,
    /// Protocol errors it saw.
    pub errors: Mutex<Vec<String>>,
    /// How many more requests to answer with 500.
    pub fail: AtomicUsize,
}

/// A fake GOV.UK Notify on 127.0.0.1.
pub struct FakeNotify {
    /// Its address, for `NOTIFY_URL`.
    pub url: String,
    /// An API key it accepts, for `NOTIFY_API_KEY`.
    pub api_key: String,
    /// What it saw.
    pub state: Arc<NotifyState>,
}

const SERVICE_ID: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";

impl FakeNotify {
    /// Starts the fake.
    pub async fn start() -> FakeNotify {
        let state = Arc::new(NotifyState {
            service_id: SERVICE_ID.into(),
            secret: SECRET.into(),
            ..NotifyState::default()
        });
        let app = Router::new()
            .route("/v2/notifications/{kind}", post(notification))
            .route("/v2/notifications/{kind}", get(status))
            .with_state(state.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeNotify {
            url,
            api_key: format!("coproduce_test-{SERVICE_ID}-{SECRET}"),
            state,
        }
    }
}

/// Checks the bearer token: HS256 with the service's secret, issued by the service, within 30
/// seconds of now, as Notify does.
fn check_token(state: &NotifyState, headers: &HeaderMap) -> Result<(), String> {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization header")?;
    let token = auth.strip_prefix("Bearer ").ok_or("not a Bearer token")?;
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err("a JWT has three parts".into());
    };
    let decode = |p: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| "not base64url".to_owned())
    };
    let header: Value = serde_json::from_slice(&decode(header)?).map_err(|e| e.to_string())?;
    if header["alg"] != "HS256" || header["typ"] != "JWT" {
        return Err(format!("header {header}"));
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(state.secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&decode(signature)?)
        .map_err(|_| "the signature does not match".to_owned())?;
    let claims: Value = serde_json::from_slice(&decode(claims)?).map_err(|e| e.to_string())?;
    if claims["iss"] != state.service_id.as_str() {
        return Err(format!("issuer {}", claims["iss"]));
    }
    let iat = claims["iat"].as_i64().ok_or("no iat")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if (now - iat).abs() > 30 {
        return Err("the token is more than 30 seconds old".into());
    }
    Ok(())
}

fn problem(status: StatusCode, error: &str, message: &str) -> (StatusCode, Json<Value>) {
    (
        status,
        Json(
            json!({"status_code": status.as_u16(), "errors": [{"error": error, "message": message}]}),
        ),
    )
}

async fn notification(
    State(state): State<Arc<NotifyState>>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, Json<Value>) {
    if let Err(e) = check_token(&state, &headers) {
        state.errors.lock().expect("lock").push(e.clone());
        return problem(StatusCode::FORBIDDEN, "AuthError", &e);
    }
    if state
        .fail
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Exception",
            "Internal server error",
        );
    }
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        state
            .errors
            .lock()
            .expect("lock")
            .push("the body is not JSON".into());
        return problem(
            StatusCode::BAD_REQUEST,
            "BadRequestError",
            "Invalid JSON supplied",
        );
    };
    let required: &[&str] = match kind.as_str() {
        "email" => &["email_address", "template_id"],
        "sms" => &["phone_number", "template_id"],
        "letter" => &["template_id", "personalisation"],
        _ => return problem(StatusCode::NOT_FOUND, "NotFound", "no such endpoint"),
    };
    let mut missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !body[*k].is_string() && !body[*k].is_object())
        .collect();
    if kind == "letter" {
        let lines = (1..=7)
            .filter(|i| body["personalisation"][format!("address_line_{i}")].is_string())
            .count();
        if lines < 3 {
            missing.push("address_line_1..3");
        }
    }
    if !body["personalisation"].is_object()
        && kind != "letter"
        && body.get("personalisation").is_some()
    {
        missing.push("personalisation must be an object");
    }
    if !missing.is_empty() {
        let message = format!("missing or wrong: {}", missing.join(", "));
        state.errors.lock().expect("lock").push(message.clone());
        return problem(StatusCode::BAD_REQUEST, "ValidationError", &message);
    }
    let mut sent = state.sent.lock().expect("lock");
    let id = format!("00000000-0000-4000-8000-{:012}", sent.len() + 1);
    sent.push(Notification {
        kind,
        body: body.clone(),
        id: id.clone(),
    });
    (
        StatusCode::CREATED,
        Json(
            json!({"id": id, "reference": body["reference"], "template": {"id": body["template_id"], "version": 1}}),
        ),
    )
}

async fn status(
    State(state): State<Arc<NotifyState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, Json<Value>) {
    if let Err(e) = check_token(&state, &headers) {
        state.errors.lock().expect("lock").push(e.clone());
        return problem(StatusCode::FORBIDDEN, "AuthError", &e);
    }
    let sent = state.sent.lock().expect("lock");
    match sent.iter().find(|n| n.id == id) {
        Some(n) => (
            StatusCode::OK,
            Json(json!({"id": n.id, "status": "delivered", "type": n.kind})),
        ),
        None => problem(StatusCode::NOT_FOUND, "NoResultFound", "No result found"),
    }
}
