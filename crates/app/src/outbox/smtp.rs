//! Email through an SMTP server, with lettre.

use super::delivery::SendError;
use coproduce_store::outbox::Claimed;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An SMTP server and the address messages come from.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the password: say only where mail comes from.
        f.debug_struct("Smtp")
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Smtp {
    /// Reads `smtp://[user:password@]host[:port]?from=ADDRESS[&tls=starttls|tls|none]`. TLS is
    /// STARTTLS unless `tls=tls` (port 465) or `tls=none` (a relay on the same machine).
    pub fn from_url(url: &str) -> Result<Smtp, String> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or("an SMTP address starts smtp://")?;
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                Some(
                    p.parse::<u16>()
                        .map_err(|_| format!("bad SMTP port {p:?}"))?,
                ),
            ),
            None => (hostport, None),
        };
        if host.is_empty() {
            return Err("the SMTP address needs a host".into());
        }
        let mut from = None;
        let mut tls = "starttls";
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("from", v)) => from = Some(v.replace("%40", "@")),
                Some(("tls", v)) => {
                    tls = if v == "tls" {
                        "tls"
                    } else if v == "none" {
                        "none"
                    } else {
                        "starttls"
                    }
                }
                _ => return Err(format!("unknown SMTP setting {pair:?}")),
            }
        }
        let from: Mailbox = from
            .ok_or("the SMTP address needs ?from=ADDRESS")?
            .parse()
            .map_err(|e| format!("bad from address: {e}"))?;
        let mut builder = match tls {
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            "tls" => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?
            }
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| e.to_string())?,
        };
        if let Some(port) = port {
            builder = builder.port(port);
        }
        if let Some(u) = userinfo {
            let (user, password) = u.split_once(':').unwrap_or((u, ""));
            builder = builder.credentials(Credentials::new(user.to_owned(), password.to_owned()));
        }
        Ok(Smtp {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one email.
    pub async fn send(&self, m: &Claimed, id: i64) -> Result<(), SendError> {
        if m.channel != "email" {
            return Err(SendError::Permanent(format!(
                "SMTP sends email only; this is a {} message",
                m.channel
            )));
        }
        let to = Mailbox::new(
            Some(m.recipient_name.clone()).filter(|n| !n.is_empty()),
            m.recipient
                .parse()
                .map_err(|e| SendError::Permanent(format!("bad address: {e}")))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<outbox-{id}@coproduce>")))
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| SendError::Permanent(format!("cannot build the email: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Retry(e.to_string())),
        }
    }
}
