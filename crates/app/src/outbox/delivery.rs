//! What every transport answers: whether a message went, and what became of it.

/// Why a message was not sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later (the provider is down or busy).
    Retry(String),
    /// Never going to work (a bad address, or a channel this transport cannot send).
    Permanent(String),
}

/// What a provider says became of a sent message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Still on its way.
    Pending,
    /// It arrived.
    Delivered,
    /// It did not, and why.
    Failed(String),
}
