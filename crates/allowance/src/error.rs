use thiserror::Error;

/// What can go wrong with the allowance.
#[derive(Debug, Error)]
pub enum AllowanceError {
    /// The council's policy file (or a member's setting) is not valid; the message names the field.
    #[error("the data allowance policy is not valid: {0}")]
    Policy(String),
    /// The member asked to change something the council's policy fixes.
    #[error("your council sets {0}, so it cannot be changed here")]
    Locked(&'static str),
    /// Reading or writing the ledger or settings failed.
    #[error(transparent)]
    Vault(#[from] companion_vault::VaultError),
}

/// Results in this crate.
pub type Result<T, E = AllowanceError> = std::result::Result<T, E>;
