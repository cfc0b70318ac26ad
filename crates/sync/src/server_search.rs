//! Searching the whole mailbox on the server (Graph's `$search`), for mail older than the
//! cache's window. What it finds is kept in the vault, so it opens like any cached message
//! (until the next update prunes what is outside the window again).

use crate::convert;
use crate::engine::{SyncEngine, IMMUTABLE_IDS, MESSAGE_SELECT};
use crate::error::SyncError;
use crate::policy::{Decision, Download, Purpose};
use companion_graph::{Collection, Feature, GraphError, GraphRequest, Message};
use companion_vault::MessageRecord;
use std::collections::HashSet;

/// The most messages one server search brings (Graph's own limit is 1,000).
pub const SERVER_SEARCH_MOST: usize = 50;

/// What a server search found.
#[derive(Debug, Clone, Default)]
pub struct ServerSearch {
    /// The messages found, newest sent first, as kept in the vault.
    pub messages: Vec<MessageRecord>,
    /// Whether the server has more than these.
    pub more: bool,
}

/// The member's words as one KQL phrase: quotes and backslashes would end or escape it, so
/// they go; Graph wants the phrase in double quotes.
fn kql_phrase(query: &str) -> Option<String> {
    let words: Vec<&str> =
        query.split(|c: char| c == '"' || c == '\\' || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    (!words.is_empty()).then(|| format!("\"{}\"", words.join(" ")))
}

impl SyncEngine {
    /// Searches every folder on the server for `query` (the member is waiting, so a throttled
    /// or slow answer fails fast), and keeps the messages found in the vault.
    pub async fn search_server(&self, query: &str) -> Result<ServerSearch, SyncError> {
        let Some(phrase) = kql_phrase(query) else {
            return Ok(ServerSearch::default());
        };
        let download = Download {
            purpose: Purpose::Opened,
            feature: Feature::MailHeaders,
            network: self.network().current(),
            expected_bytes: None,
            subject: "search".to_owned(),
        };
        if let Decision::Defer(_) = self.policy().decide(&download) {
            return Err(GraphError::HeldByPolicy.into());
        }
        let encoded: String = url::form_urlencoded::byte_serialize(phrase.as_bytes()).collect();
        let request = GraphRequest::get(
            format!("/me/messages?$search={encoded}&$select={MESSAGE_SELECT}&$top={SERVER_SEARCH_MOST}"),
            Feature::MailHeaders,
        )
        .member_waiting(true)
        .prefer(IMMUTABLE_IDS);
        let found: Collection<Message> = self.graph().json(&request).await?;
        // Only mail in folders the app knows (not hidden ones it never syncs).
        let folders: HashSet<String> = self.vault().folders()?.into_iter().map(|f| f.id).collect();
        let messages: Vec<MessageRecord> = found
            .value
            .iter()
            .filter(|m| m.parent_folder_id.as_ref().is_some_and(|f| folders.contains(f)))
            .map(|m| convert::message(m, ""))
            .collect();
        // Written without touching any delta checkpoint: the next round for the folder
        // neither needs nor repeats them.
        self.vault().write(|w| w.upsert_messages(&messages))?;
        Ok(ServerSearch { messages, more: found.next_link.is_some() })
    }
}

#[cfg(test)]
mod tests {
    use super::kql_phrase;

    #[test]
    fn the_member_s_words_become_one_quoted_phrase_that_nothing_can_break_out_of() {
        assert_eq!(kql_phrase("  mill   lane "), Some("\"mill lane\"".to_owned()));
        assert_eq!(kql_phrase("say \"hi\" \\ there"), Some("\"say hi there\"".to_owned()));
        assert_eq!(kql_phrase(" \" \\ "), None);
    }
}
