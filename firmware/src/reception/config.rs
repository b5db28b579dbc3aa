//! How a terminal is set up: where it stands and how long it waits.

use super::visual_check::{SALT_LEN, VisualCheckPassword};
use crate::domain::Facility;

/// Terminal configuration (sent whole to a board by `Message::StartTerminal`:
/// the password travels as salt + hash only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TerminalConfig {
    /// The facility and its equipment.
    pub facility: Facility,
    /// Wait for a card answer, ms.
    pub card_timeout_ms: u32,
    /// Wait for the patient's or clerk's next input, ms.
    pub input_timeout_ms: u32,
    /// Wait for the service's reply, ms, per attempt.
    pub query_timeout_ms: u32,
    /// Query attempts before giving up (the same query id is re-sent).
    pub query_attempts: u8,
    /// How long a result or message stays on screen, ms.
    pub screen_ms: u32,
    /// The facility's password for switching to visual check at the reader
    /// (salt + hash only); `None`: the reader does not offer the switch.
    pub visual_check: Option<VisualCheckPassword>,
}

impl TerminalConfig {
    /// Sensible waits for a counter.
    pub const fn new(facility: Facility) -> Self {
        Self {
            facility,
            card_timeout_ms: 3_000,
            input_timeout_ms: 60_000,
            query_timeout_ms: 10_000,
            query_attempts: 3,
            screen_ms: 15_000,
            visual_check: None,
        }
    }

    /// The same configuration with the facility's visual-check password,
    /// kept as salt + hash (board provisioning, host side; the salt is
    /// drawn at random there). The plain password is not kept.
    pub fn with_visual_check_password(mut self, password: &str, salt: [u8; SALT_LEN]) -> Self {
        self.visual_check = Some(VisualCheckPassword::derive(password, salt));
        self
    }
}
