//! The outbox: a member's changes are applied to the cache at once, queued, and delivered to
//! Graph when online, each exactly once, with a state the UI can show (queued, sending,
//! failed with a reason, done).
//!
//! Exactly once, because a connection can break after Graph acted but before we heard: every
//! retry first checks whether the change already landed (the event already has the answer;
//! the reply's draft, whose id is stored before it is sent, is no longer a draft).

use crate::error::SyncError;
use base64::Engine as _;
use chrono::Utc;
use companion_graph::{Feature, GraphClient, GraphError, GraphRequest, GraphResponse, Method, StatusCode};
use companion_vault::{FlagStatus, Mailbox, OutboxItem, OutboxState, Vault};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

/// An answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Response {
    /// Accept.
    Accept,
    /// Tentatively accept.
    Tentative,
    /// Decline.
    Decline,
}

impl Response {
    fn action(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Tentative => "tentativelyAccept",
            Self::Decline => "decline",
        }
    }
    fn state(self) -> &'static str {
        match self {
            Self::Accept => "accepted",
            Self::Tentative => "tentativelyAccepted",
            Self::Decline => "declined",
        }
    }
}

/// A change the member made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum LocalChange {
    /// Mark a message read or unread.
    MarkRead {
        /// The message.
        message_id: String,
        /// Read?
        read: bool,
    },
    /// Flag or unflag a message.
    Flag {
        /// The message.
        message_id: String,
        /// The flag.
        flag: FlagStatus,
    },
    /// Move a message to another folder.
    Move {
        /// The message.
        message_id: String,
        /// The folder.
        destination_id: String,
    },
    /// Delete a message.
    Delete {
        /// The message.
        message_id: String,
    },
    /// Answer an invitation, with an optional comment to the organiser.
    Respond {
        /// The event.
        event_id: String,
        /// The answer.
        response: Response,
        /// A note for the organiser.
        comment: Option<String>,
    },
    /// Reply to a message.
    Reply {
        /// The message.
        message_id: String,
        /// The reply's text.
        comment: String,
        /// To everyone on the original, not only its sender (older queued items lack it).
        #[serde(default)]
        reply_all: bool,
    },
    /// Send a new message.
    Send {
        /// Recipients.
        to: Vec<Mailbox>,
        /// Copied to.
        #[serde(default)]
        cc: Vec<Mailbox>,
        /// Subject.
        subject: String,
        /// Plain-text body.
        body: String,
        /// Files the member attached (staged in the vault; ids in the order attached).
        #[serde(default)]
        attachments: Vec<String>,
    },
    /// Forward a message, with its files, adding the member's comment and any files of theirs.
    Forward {
        /// The message.
        message_id: String,
        /// Recipients.
        to: Vec<Mailbox>,
        /// Copied to.
        #[serde(default)]
        cc: Vec<Mailbox>,
        /// The member's words above the original.
        comment: String,
        /// Files the member added (staged in the vault).
        #[serde(default)]
        attachments: Vec<String>,
    },
}

impl LocalChange {
    /// The staged files this change sends.
    fn files(&self) -> &[String] {
        match self {
            Self::Send { attachments, .. } | Self::Forward { attachments, .. } => attachments,
            _ => &[],
        }
    }
}

/// The largest file attached in one request: Graph takes larger ones only through an upload
/// session.
pub const DIRECT_ATTACHMENT_LIMIT: u64 = 3 * 1024 * 1024;
/// One piece of an upload: a multiple of 320 KiB, as Graph asks, under its 4 MB per request.
const UPLOAD_PIECE: usize = 10 * 320 * 1024;
/// Pieces in a row that may fail before a delivery pass gives up on a file (the next pass
/// resumes it from where the session says).
const PIECE_FAILURES: u32 = 3;

/// What one delivery pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Changes delivered.
    pub delivered: u32,
    /// Changes that failed this time (they stay queued with their reason).
    pub failed: u32,
}

/// Queues and delivers the member's changes.
pub struct Outbox {
    graph: Arc<GraphClient>,
    vault: Arc<Vault>,
    /// One delivery pass at a time: two passes reading the same queue would both send it.
    passing: tokio::sync::Mutex<()>,
}

fn gone(e: &GraphError) -> bool {
    matches!(e, GraphError::Refused { status: 404, .. })
}

/// Plain words for why a delivery failed, for the outbox's visible state.
fn reason(e: &GraphError) -> String {
    match e {
        GraphError::Network(_) | GraphError::GaveUp { .. } => "Waiting for a connection.".into(),
        GraphError::SignInRequired => "Waiting for you to sign in again.".into(),
        GraphError::Refused { status, code } => format!("The council's server refused this change ({status} {code})."),
        other => other.to_string(),
    }
}

impl Outbox {
    /// An outbox delivering through `graph` what is queued in `vault`.
    pub fn new(graph: Arc<GraphClient>, vault: Arc<Vault>) -> Self {
        Self { graph, vault, passing: tokio::sync::Mutex::new(()) }
    }

    /// Applies `change` to the cache and queues it, in one transaction. Returns its op id.
    pub fn queue(&self, change: &LocalChange) -> Result<String, SyncError> {
        let op_id = uuid::Uuid::new_v4().to_string();
        let payload = serde_json::to_value(change)
            .map_err(|e| SyncError::Vault(companion_vault::VaultError::Decode(e.to_string())))?;
        let kind = payload["kind"].as_str().unwrap_or("change").to_owned();
        self.vault.write(|w| {
            let target = match change {
                LocalChange::MarkRead { message_id, read } => {
                    w.set_message_read(message_id, *read)?;
                    Some(message_id.as_str())
                }
                LocalChange::Flag { message_id, flag } => {
                    w.set_message_flag(message_id, *flag)?;
                    Some(message_id.as_str())
                }
                LocalChange::Move { message_id, destination_id } => {
                    w.move_message(message_id, destination_id)?;
                    Some(message_id.as_str())
                }
                LocalChange::Delete { message_id } => {
                    w.remove_message(message_id)?;
                    Some(message_id.as_str())
                }
                LocalChange::Respond { event_id, response, .. } => {
                    w.set_event_response(event_id, response.state())?;
                    Some(event_id.as_str())
                }
                LocalChange::Reply { message_id, .. } | LocalChange::Forward { message_id, .. } => {
                    Some(message_id.as_str())
                }
                LocalChange::Send { .. } => None,
            };
            // The files go with this change, or the whole queueing is undone.
            w.claim_attachments(&op_id, change.files())?;
            w.enqueue(&op_id, &kind, target, &payload, Utc::now())
        })?;
        Ok(op_id)
    }

    /// Delivers what is queued, oldest first. Stops at the first change that cannot get
    /// through (offline, signed out), so later changes never overtake earlier ones.
    pub async fn deliver(&self) -> Result<DeliveryReport, SyncError> {
        let _pass = self.passing.lock().await;
        let mut report = DeliveryReport::default();
        for item in self.vault.pending_outbox()? {
            self.vault.write(|w| w.set_outbox_state(&item.op_id, OutboxState::Sending, None, None, Utc::now()))?;
            match self.deliver_one(&item).await {
                Ok(()) => {
                    self.vault.write(|w| {
                        w.set_outbox_state(&item.op_id, OutboxState::Done, None, None, Utc::now())?;
                        w.remove_outgoing_attachments(&item.op_id).map(drop)
                    })?;
                    report.delivered += 1;
                }
                Err(e) => {
                    let why = reason(&e);
                    self.vault.write(|w| {
                        w.set_outbox_state(&item.op_id, OutboxState::Failed, Some(&why), None, Utc::now())
                    })?;
                    report.failed += 1;
                    if !matches!(e, GraphError::Refused { .. }) {
                        break;
                    }
                }
            }
        }
        Ok(report)
    }

    async fn deliver_one(&self, item: &OutboxItem) -> Result<(), GraphError> {
        let change: LocalChange =
            serde_json::from_value(item.payload.clone()).map_err(|e| GraphError::Malformed(e.to_string()))?;
        let retry = item.attempts > 0;
        let result = match &change {
            LocalChange::MarkRead { message_id, read } => self.patch(message_id, json!({"isRead": read})).await,
            LocalChange::Flag { message_id, flag } => {
                let status = match flag {
                    FlagStatus::NotFlagged => "notFlagged",
                    FlagStatus::Flagged => "flagged",
                    FlagStatus::Complete => "complete",
                };
                self.patch(message_id, json!({"flag": {"flagStatus": status}})).await
            }
            LocalChange::Move { message_id, destination_id } => {
                let req = GraphRequest::with_json(
                    Method::POST,
                    format!("/me/messages/{message_id}/move"),
                    json!({"destinationId": destination_id}),
                    Feature::MailHeaders,
                )
                .prefer("IdType=\"ImmutableId\"");
                // Moving again to the same folder changes nothing, so a retry is safe.
                self.graph.send(&req).await.and_then(|a| acted(&a, Answer::Json))
            }
            LocalChange::Delete { message_id } => {
                let req = GraphRequest::new(Method::DELETE, format!("/me/messages/{message_id}"), Feature::MailHeaders);
                self.graph.send(&req).await.and_then(|a| acted(&a, Answer::Empty))
            }
            LocalChange::Respond { event_id, response, comment } => {
                if retry && self.event_response(event_id).await?.as_deref() == Some(response.state()) {
                    return Ok(()); // it landed last time; answering again would mail the organiser twice
                }
                let body = json!({"comment": comment.clone().unwrap_or_default(), "sendResponse": true});
                let req = GraphRequest::with_json(
                    Method::POST,
                    format!("/me/events/{event_id}/{}", response.action()),
                    body,
                    Feature::Calendar,
                );
                self.graph.send(&req).await.and_then(|a| acted(&a, Answer::Empty))
            }
            LocalChange::Reply { message_id, comment, reply_all } => {
                let action = if *reply_all { "createReplyAll" } else { "createReply" };
                let create = GraphRequest::with_json(
                    Method::POST,
                    format!("/me/messages/{message_id}/{action}"),
                    json!({"comment": comment}),
                    Feature::MailHeaders,
                );
                self.send_through_draft(item, create).await
            }
            LocalChange::Send { to, cc, subject, body, .. } => {
                let draft = json!({"subject": subject, "body": {"contentType": "Text", "content": body}, "toRecipients": recipients(to), "ccRecipients": recipients(cc)});
                let create = GraphRequest::with_json(Method::POST, "/me/messages", draft, Feature::MailHeaders);
                self.send_through_draft(item, create).await
            }
            LocalChange::Forward { message_id, to, cc, comment, .. } => {
                let body = json!({"comment": comment, "toRecipients": recipients(to), "message": {"ccRecipients": recipients(cc)}});
                let create = GraphRequest::with_json(
                    Method::POST,
                    format!("/me/messages/{message_id}/createForward"),
                    body,
                    Feature::MailHeaders,
                );
                self.send_through_draft(item, create).await
            }
        };
        match result {
            // The item is gone on the server (deleted elsewhere): nothing left to do.
            Err(e) if gone(&e) => Ok(()),
            other => other,
        }
    }

    async fn patch(&self, message_id: &str, body: serde_json::Value) -> Result<(), GraphError> {
        let req =
            GraphRequest::with_json(Method::PATCH, format!("/me/messages/{message_id}"), body, Feature::MailHeaders);
        self.graph.send(&req).await.and_then(|a| acted(&a, Answer::Json))
    }

    async fn event_response(&self, event_id: &str) -> Result<Option<String>, GraphError> {
        let v: serde_json::Value = self
            .graph
            .json(&GraphRequest::get(format!("/me/events/{event_id}?$select=responseStatus"), Feature::Calendar))
            .await?;
        Ok(v["responseStatus"]["response"].as_str().map(str::to_owned))
    }

    /// Sends through a draft whose id is stored before it is sent, so a retry can tell whether
    /// the send already happened (the draft is no longer a draft) and never sends twice.
    async fn send_through_draft(&self, item: &OutboxItem, create: GraphRequest) -> Result<(), GraphError> {
        let draft_id = match &item.remote_id {
            Some(id) => {
                let state = self
                    .graph
                    .json::<serde_json::Value>(&GraphRequest::get(
                        format!("/me/messages/{id}?$select=isDraft"),
                        Feature::MailHeaders,
                    ))
                    .await;
                match state {
                    Ok(v) if v["isDraft"] == false => return Ok(()),
                    Err(e) if gone(&e) => return Ok(()),
                    Ok(_) => id.clone(),
                    Err(e) => return Err(e),
                }
            }
            None => {
                let draft: serde_json::Value = self.graph.json(&create.prefer("IdType=\"ImmutableId\"")).await?;
                let id = draft["id"]
                    .as_str()
                    .ok_or_else(|| GraphError::Malformed("a draft without an id".into()))?
                    .to_owned();
                self.vault
                    .write(|w| w.set_outbox_state(&item.op_id, OutboxState::Sending, None, Some(&id), Utc::now()))
                    .map_err(|e| GraphError::Malformed(e.to_string()))?;
                id
            }
        };
        self.attach_files(item, &draft_id).await?;
        let send = GraphRequest::with_json(
            Method::POST,
            format!("/me/messages/{draft_id}/send"),
            json!({}),
            Feature::MailHeaders,
        );
        match self.graph.send(&send).await.and_then(|a| acted(&a, Answer::Empty)) {
            Ok(()) => Ok(()),
            // A send that broke mid-way, or one Graph refuses because the draft was already
            // sent: look before deciding.
            Err(e) => {
                let state = self
                    .graph
                    .json::<serde_json::Value>(&GraphRequest::get(
                        format!("/me/messages/{draft_id}?$select=isDraft"),
                        Feature::MailHeaders,
                    ))
                    .await;
                match state {
                    Ok(v) if v["isDraft"] == false => Ok(()),
                    Err(e2) if gone(&e2) => Ok(()),
                    _ => Err(e),
                }
            }
        }
    }
}

impl Outbox {
    /// Puts the change's files on its draft, each exactly once: a file the draft already has
    /// (a pass that broke after it landed) is not attached again, and a large file's upload
    /// session resumes from what it still expects.
    async fn attach_files(&self, item: &OutboxItem, draft_id: &str) -> Result<(), GraphError> {
        let stored = |e: companion_vault::VaultError| GraphError::Malformed(e.to_string());
        let files = self.vault.outgoing_attachments(&item.op_id).map_err(stored)?;
        if files.iter().all(|f| f.attached) {
            return Ok(());
        }
        // A draft made in an earlier pass may already hold some of them.
        let mut present: Vec<(String, u64)> = Vec::new();
        if item.remote_id.is_some() {
            #[derive(serde::Deserialize)]
            struct Held {
                #[serde(default)]
                name: String,
                #[serde(default)]
                size: u64,
            }
            let held: companion_graph::Collection<Held> = self
                .graph
                .json(&GraphRequest::get(
                    format!("/me/messages/{draft_id}/attachments?$select=name,size"),
                    Feature::Attachments,
                ))
                .await?;
            present = held.value.into_iter().map(|h| (h.name, h.size)).collect();
        }
        for file in files.iter().filter(|f| !f.attached) {
            if let Some(at) = present.iter().position(|(n, s)| *n == file.name && *s == file.size) {
                present.swap_remove(at);
            } else if file.size <= DIRECT_ATTACHMENT_LIMIT && file.upload_url.is_none() {
                let bytes = self.vault.outgoing_attachment_bytes(&file.id, 0, file.size as usize).map_err(stored)?;
                let body = json!({
                    "@odata.type": "#microsoft.graph.fileAttachment",
                    "name": file.name,
                    "contentType": file.content_type,
                    "contentBytes": base64::engine::general_purpose::STANDARD.encode(bytes),
                });
                let req = GraphRequest::with_json(
                    Method::POST,
                    format!("/me/messages/{draft_id}/attachments"),
                    body,
                    Feature::Attachments,
                );
                self.graph.send(&req).await.and_then(|a| acted(&a, Answer::Json))?;
            } else {
                self.upload(draft_id, file).await?;
            }
            self.vault.write(|w| w.set_attachment_attached(&file.id)).map_err(stored)?;
        }
        Ok(())
    }

    /// Sends a large file through an upload session, a piece at a time, from where the
    /// session (new, or kept from an earlier pass) says it is.
    async fn upload(&self, draft_id: &str, file: &companion_vault::OutgoingAttachment) -> Result<(), GraphError> {
        let stored = |e: companion_vault::VaultError| GraphError::Malformed(e.to_string());
        let mut session = match &file.upload_url {
            Some(url) => match self.expected_from(url).await {
                Ok(Some(offset)) => Some((url.clone(), offset)),
                // Done, or gone (expired): a file that is not on the draft starts again.
                Ok(None) | Err(GraphError::Refused { status: 404, .. }) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        if session.is_none() {
            let body = json!({"AttachmentItem": {"attachmentType": "file", "name": file.name, "size": file.size, "contentType": file.content_type}});
            let req = GraphRequest::with_json(
                Method::POST,
                format!("/me/messages/{draft_id}/attachments/createUploadSession"),
                body,
                Feature::Attachments,
            );
            let answer: serde_json::Value = self.graph.json(&req).await?;
            let url = answer["uploadUrl"]
                .as_str()
                .ok_or_else(|| GraphError::Malformed("an upload session without an address".into()))?
                .to_owned();
            self.vault.write(|w| w.set_attachment_upload(&file.id, Some(&url))).map_err(stored)?;
            session = Some((url, 0));
        }
        let Some((url, mut offset)) = session else { return Ok(()) };
        let mut failures = 0;
        while offset < file.size {
            let len = UPLOAD_PIECE.min((file.size - offset) as usize);
            let bytes = self.vault.outgoing_attachment_bytes(&file.id, offset, len).map_err(stored)?;
            let req = GraphRequest::upload_piece(&url, bytes.into(), offset, file.size, Feature::Attachments);
            match self.graph.send(&req).await {
                Ok(answer) if answer.status == StatusCode::CREATED => return Ok(()),
                Ok(answer) => {
                    offset = next_expected(&answer.body)
                        .ok_or_else(|| GraphError::Malformed("an upload answer without what comes next".into()))?;
                    failures = 0;
                }
                // The piece may or may not have arrived: the session says where it stands.
                Err(e) if failures < PIECE_FAILURES && !matches!(e, GraphError::Refused { status: 404, .. }) => {
                    failures += 1;
                    match self.expected_from(&url).await {
                        Ok(Some(at)) => offset = at,
                        Ok(None) => return Ok(()),
                        Err(_) => return Err(e),
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Where an upload session expects the next piece to begin; `None` once it has the whole
    /// file (it then answers as not found: the file is on the draft).
    async fn expected_from(&self, url: &str) -> Result<Option<u64>, GraphError> {
        let status = GraphRequest::session_status(url, Feature::Attachments);
        let answer = self.graph.send(&status).await?;
        Ok(next_expected(&answer.body))
    }
}

fn recipients(list: &[Mailbox]) -> Vec<serde_json::Value> {
    list.iter().map(|m| json!({"emailAddress": {"name": m.name, "address": m.address}})).collect()
}

/// The first of an upload session's `nextExpectedRanges` (`"{from}-"` or `"{from}-{to}"`).
fn next_expected(body: &[u8]) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v["nextExpectedRanges"].as_array()?.first()?.as_str()?.split('-').next()?.parse().ok()
}

/// What Graph answers an action with when it has acted on it.
#[derive(Clone, Copy)]
enum Answer {
    /// `202 Accepted` or `204 No Content`, with no body (send, respond, delete).
    Empty,
    /// The changed item as a JSON object (update, move).
    Json,
}

/// Whether a success answer is Graph's own. A captive portal or a broken proxy can answer
/// `200` with a page of its own and pass nothing on: counting that as delivered would lose
/// the change, so it fails like a broken connection and is checked and tried again.
fn acted(answer: &GraphResponse, expected: Answer) -> Result<(), GraphError> {
    let ok = match expected {
        Answer::Empty => {
            matches!(answer.status, StatusCode::ACCEPTED | StatusCode::NO_CONTENT)
                && answer.body.iter().all(u8::is_ascii_whitespace)
        }
        Answer::Json => serde_json::from_slice::<serde_json::Value>(&answer.body).is_ok_and(|v| v.is_object()),
    };
    if ok {
        Ok(())
    } else {
        Err(GraphError::Malformed("the answer did not come from Microsoft Graph".into()))
    }
}
