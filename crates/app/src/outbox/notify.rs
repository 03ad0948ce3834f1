//! GOV.UK Notify's v2 API: email, text messages and letters, each through a template whose
//! personalisation carries the subject and words, and delivery status read back.

use super::delivery::{Delivery, SendError};
use base64::Engine;
use coproduce_store::outbox::Claimed;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

/// The live service.
pub const NOTIFY_URL: &str = "https://api.notifications.service.gov.uk";

/// A Notify service: its address, the service id and secret from the API key, and a template per
/// channel.
#[derive(Clone)]
pub struct Notify {
    base_url: String,
    service_id: String,
    secret: String,
    email_template: String,
    sms_template: String,
    letter_template: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for Notify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("Notify")
            .field("base_url", &self.base_url)
            .field("service_id", &self.service_id)
            .finish()
    }
}

/// The service id and secret inside a Notify API key (`{name}-{service id}-{secret}`, each id a
/// 36-character UUID).
pub fn split_api_key(key: &str) -> Option<(String, String)> {
    let key = key.trim();
    if key.len() < 74 || !key.is_ascii() {
        return None;
    }
    let secret = &key[key.len() - 36..];
    let service = &key[key.len() - 73..key.len() - 37];
    Some((service.to_owned(), secret.to_owned()))
}

/// A JSON Web Token as Notify asks: HS256 over `{"iss": service id, "iat": seconds}`.
pub fn token(service_id: &str, secret: &str, issued_at: i64) -> String {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let header = b64(br#"{"typ":"JWT","alg":"HS256"}"#);
    let claims = b64(json!({"iss": service_id, "iat": issued_at})
        .to_string()
        .as_bytes());
    let signing = format!("{header}.{claims}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(signing.as_bytes());
    format!("{signing}.{}", b64(&mac.finalize().into_bytes()))
}

impl Notify {
    /// Reads `NOTIFY_API_KEY`, `NOTIFY_EMAIL_TEMPLATE`, `NOTIFY_SMS_TEMPLATE`,
    /// `NOTIFY_LETTER_TEMPLATE` and, for testing, `NOTIFY_URL`.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Notify, String> {
        let key = env("NOTIFY_API_KEY").ok_or("notify: needs NOTIFY_API_KEY")?;
        let (service_id, secret) =
            split_api_key(&key).ok_or("NOTIFY_API_KEY is not a Notify API key")?;
        let template = |name: &str| env(name).ok_or(format!("notify: needs {name}"));
        Ok(Notify {
            base_url: env("NOTIFY_URL").unwrap_or_else(|| NOTIFY_URL.to_owned()),
            service_id,
            secret,
            email_template: template("NOTIFY_EMAIL_TEMPLATE")?,
            sms_template: template("NOTIFY_SMS_TEMPLATE")?,
            letter_template: template("NOTIFY_LETTER_TEMPLATE")?,
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .map_err(|e| e.to_string())?,
        })
    }

    fn bearer(&self) -> String {
        let now = chrono::Utc::now().timestamp();
        format!("Bearer {}", token(&self.service_id, &self.secret, now))
    }

    /// Sends one message; Notify's id for it, if its answer gave one.
    pub async fn send(&self, m: &Claimed, id: i64) -> Result<Option<String>, SendError> {
        let reference = format!("coproduce-outbox-{id}");
        let (path, body) = match m.channel.as_str() {
            "email" => (
                "email",
                json!({
                    "email_address": m.recipient,
                    "template_id": self.email_template,
                    "personalisation": {"subject": m.subject, "body": m.body},
                    "reference": reference,
                }),
            ),
            "sms" => (
                "sms",
                json!({
                    "phone_number": m.recipient,
                    "template_id": self.sms_template,
                    "personalisation": {"body": m.body},
                    "reference": reference,
                }),
            ),
            _ => {
                let mut personalisation = serde_json::Map::new();
                let lines = std::iter::once(m.recipient_name.as_str())
                    .chain(m.recipient.lines().map(str::trim).filter(|l| !l.is_empty()))
                    .take(7);
                for (i, line) in lines.enumerate() {
                    personalisation.insert(format!("address_line_{}", i + 1), json!(line));
                }
                personalisation.insert("subject".into(), json!(m.subject));
                personalisation.insert("body".into(), json!(m.body));
                (
                    "letter",
                    json!({
                        "template_id": self.letter_template,
                        "personalisation": personalisation,
                        "reference": reference,
                    }),
                )
            }
        };
        let url = format!("{}/v2/notifications/{path}", self.base_url);
        let response = self
            .client
            .post(&url)
            .header("Authorization", self.bearer())
            .json(&body)
            .send()
            .await
            .map_err(|e| SendError::Retry(format!("Notify did not answer: {e}")))?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status.as_u16() == 201 {
            // Accepted: never send again, even if the answer cannot be read (then there is no id
            // to ask about delivery with).
            return Ok(answer["id"].as_str().map(str::to_owned));
        }
        let reason = answer["errors"][0]["message"].as_str().map_or_else(
            || format!("Notify answered {status}"),
            |m| format!("Notify answered {status}: {m}"),
        );
        if status.is_server_error() || status.as_u16() == 429 {
            Err(SendError::Retry(reason))
        } else {
            Err(SendError::Permanent(reason))
        }
    }

    /// What Notify says became of a message.
    pub async fn status(&self, provider_id: &str) -> Delivery {
        let url = format!("{}/v2/notifications/{provider_id}", self.base_url);
        let Ok(response) = self
            .client
            .get(&url)
            .header("Authorization", self.bearer())
            .send()
            .await
        else {
            return Delivery::Pending;
        };
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        match answer["status"].as_str() {
            Some("delivered" | "received") => Delivery::Delivered,
            Some(
                s @ ("permanent-failure" | "temporary-failure" | "technical-failure"
                | "validation-failed" | "virus-scan-failed" | "cancelled"),
            ) => Delivery::Failed(format!("Notify: {s}")),
            _ => Delivery::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_key_splits_into_service_and_secret() {
        let key = "coproduce_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
        let (service, secret) = split_api_key(key).expect("a key");
        assert_eq!(service, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
        assert!(split_api_key("short").is_none());
    }

    #[test]
    fn the_token_is_hs256_over_issuer_and_time() {
        let t = token("service", "secret", 1_700_000_000);
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .expect("base64");
        let claims: Value = serde_json::from_slice(&claims).expect("JSON");
        assert_eq!(claims, json!({"iss": "service", "iat": 1_700_000_000}));
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").expect("key");
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[2])
            .expect("base64");
        assert!(mac.verify_slice(&sig).is_ok());
    }
}
