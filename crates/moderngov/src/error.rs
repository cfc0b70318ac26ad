//! What can go wrong talking to modern.gov.

/// A failure to read a council's modern.gov.
#[derive(Debug, thiserror::Error)]
pub enum ModernGovError {
    /// The site could not be reached, or the answer was cut short.
    #[error("the council's committee site could not be reached: {0}")]
    Network(String),
    /// The site answered with an HTTP error.
    #[error("the council's committee site answered {status} to {operation}")]
    Status {
        /// What was asked.
        operation: &'static str,
        /// Its status code.
        status: u16,
    },
    /// The site does not offer this operation ("Web Service method name is not valid"), as a
    /// council that has turned part of the service off answers.
    #[error("the council's committee site does not offer {0}")]
    NotOffered(&'static str),
    /// The answer was not the XML the operation gives.
    #[error("the council's committee site sent {operation} an answer that could not be read: {detail}")]
    Malformed {
        /// What was asked.
        operation: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// A document is restricted (exempt, "not for publication"): the site answered with its
    /// sign-in page, not the paper.
    #[error("that paper is not for publication: the council's site asks for its own sign-in")]
    Restricted,
    /// A document is larger than the caller allowed.
    #[error("that paper is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// The paper's reader stopped its download (where it is kept failed: the reader knows why).
    #[error("the paper's download was stopped where it was being kept")]
    Stopped,
    /// The site's address, or an address it gave, is not one this client will use.
    #[error("not a usable address for the council's committee site: {0}")]
    Address(String),
}

impl ModernGovError {
    /// Worth trying again shortly: the network, or the server's own trouble.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
