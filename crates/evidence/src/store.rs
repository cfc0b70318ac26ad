//! The member's evidence in the vault: responses (finished or not), which have been delivered,
//! which prompts have been answered or dismissed, and the events that trigger a survey. Kept as
//! one record, written in one vault transaction, so a crash leaves the last whole state.

use crate::schedule::TrialTrigger;
use crate::survey::SurveyResponse;
use chrono::NaiveDate;
use companion_vault::Vault;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

const KEY: &str = "evidence.state";

/// What can go wrong keeping evidence.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The vault failed.
    #[error("the trial answers could not be saved: {0}")]
    Vault(#[from] companion_vault::VaultError),
    /// The stored record does not read.
    #[error("the saved trial answers could not be read: {0}")]
    Corrupt(String),
    /// No such response.
    #[error("that survey response is not on this device")]
    NotFound,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct EvidenceState {
    responses: Vec<SurveyResponse>,
    delivered: Vec<String>,
    prompts_done: Vec<String>,
    last_prompted: Option<NaiveDate>,
    triggers: Vec<(TrialTrigger, NaiveDate)>,
}

/// The evidence kept on this device.
pub struct EvidenceStore {
    vault: Arc<Vault>,
    /// Read-modify-write of the one record, one at a time.
    turn: Mutex<()>,
}

impl EvidenceStore {
    /// The store in `vault`.
    pub fn new(vault: Arc<Vault>) -> Self {
        Self { vault, turn: Mutex::new(()) }
    }

    fn load(&self) -> Result<EvidenceState, StoreError> {
        match self.vault.setting(KEY)? {
            Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string())),
            None => Ok(EvidenceState::default()),
        }
    }

    fn change<T>(&self, f: impl FnOnce(&mut EvidenceState) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let _turn = self.turn.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = self.load()?;
        let out = f(&mut state)?;
        let text = serde_json::to_string(&state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.vault.write(|w| w.set_setting(KEY, &text))?;
        Ok(out)
    }

    /// Saves a response as it stands (each answer is saved, so a survey resumes after a restart).
    pub fn save(&self, response: &SurveyResponse) -> Result<(), StoreError> {
        self.change(|s| {
            match s.responses.iter_mut().find(|r| r.response_id == response.response_id) {
                Some(existing) => *existing = response.clone(),
                None => s.responses.push(response.clone()),
            }
            Ok(())
        })
    }

    /// A response by id.
    pub fn response(&self, response_id: &str) -> Result<SurveyResponse, StoreError> {
        self.load()?.responses.into_iter().find(|r| r.response_id == response_id).ok_or(StoreError::NotFound)
    }

    /// The unfinished response to `survey_id`, if the member started one.
    pub fn unfinished(&self, survey_id: &str) -> Result<Option<SurveyResponse>, StoreError> {
        Ok(self.load()?.responses.into_iter().find(|r| r.survey_id == survey_id && r.submitted_at.is_none()))
    }

    /// Sent by the member, not yet delivered.
    pub fn undelivered(&self) -> Result<Vec<SurveyResponse>, StoreError> {
        let s = self.load()?;
        Ok(s.responses.iter().filter(|r| r.submitted_at.is_some() && !s.delivered.contains(&r.response_id)).cloned().collect())
    }

    /// Marks a response delivered; its answers are then dropped from the device.
    pub fn mark_delivered(&self, response_id: &str) -> Result<(), StoreError> {
        self.change(|s| {
            if !s.delivered.iter().any(|d| d == response_id) {
                s.delivered.push(response_id.to_owned());
            }
            s.responses.retain(|r| r.response_id != response_id);
            Ok(())
        })
    }

    /// Whether `response_id` has been delivered.
    pub fn is_delivered(&self, response_id: &str) -> Result<bool, StoreError> {
        Ok(self.load()?.delivered.iter().any(|d| d == response_id))
    }

    /// Records that the prompt `key` was answered or dismissed on `today`.
    pub fn prompt_done(&self, key: &str, today: NaiveDate) -> Result<(), StoreError> {
        self.change(|s| {
            if !s.prompts_done.iter().any(|k| k == key) {
                s.prompts_done.push(key.to_owned());
            }
            s.last_prompted = Some(today);
            Ok(())
        })
    }

    /// Records an event that may trigger a survey (the first data warning only once).
    pub fn triggered(&self, trigger: TrialTrigger, on: NaiveDate) -> Result<(), StoreError> {
        self.change(|s| {
            let first_only = trigger == TrialTrigger::FirstDataWarning;
            if !(first_only && s.triggers.iter().any(|(t, _)| *t == trigger)) {
                s.triggers.push((trigger, on));
            }
            Ok(())
        })
    }

    /// What the schedule needs: prompts done, the last prompt's day, the events seen.
    pub fn schedule_state(&self) -> Result<(Vec<String>, Option<NaiveDate>, Vec<(TrialTrigger, NaiveDate)>), StoreError> {
        let s = self.load()?;
        Ok((s.prompts_done, s.last_prompted, s.triggers))
    }
}
