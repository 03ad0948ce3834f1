//! What an idempotency key holds: the answer to the request it was first sent with.

/// A stored answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: i64,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// Its `Location`.
    pub location: Option<String>,
    /// The body.
    pub body: String,
}

/// What a key's row says when a request arrives with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is this request's now: answer it, then store the answer.
    Claimed,
    /// The key was answered for the same request: here is the answer.
    Answered(Answer),
    /// The key was sent with another request.
    OtherRequest,
    /// The same request is still being answered.
    InFlight,
}

/// A request's fingerprint: SHA-256 over its parts (method, path, query, body), each with its
/// length before it, hex.
pub fn request_hash(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(hash.finalize())
}
