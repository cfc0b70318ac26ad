//! Bodies made safe to show, with bounded work. Any sender can write a body that is huge or
//! nested a hundred thousand deep, and sanitising grows with the square of the depth: a body
//! over the bounds is shown as its text at once, and the full form is made only when the
//! member asks, off the async runtime and with a time limit.

use crate::error::{AppCoreError, Result};
use companion_mail_html::{
    inline_images, remote_images, sanitise_for_storage, sanitise_with, text_body, within_bounds, Images, Pictures,
    SafeHtml, TooComplex, POLICY_VERSION,
};
use companion_vault::{SafeBody, Vault};
use std::sync::Arc;
use std::time::Duration;

/// How long the full form of a body may take before the member is told it cannot be shown.
const FULL_FORM_LIMIT: Duration = Duration::from_secs(10);

/// Which form of a body to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyForm {
    /// HTML when within the bounds, its text otherwise.
    Bounded,
    /// HTML whatever its size, within [`FULL_FORM_LIMIT`].
    Full,
}

/// A body ready for the frame.
pub(crate) struct ShownBody {
    pub safe: SafeHtml,
    /// Why the text is shown instead of the HTML.
    pub text_form: Option<String>,
}

/// Makes a body safe to show. `text` is the body's text (for an HTML body, the text the sync
/// engine took from it); `pictures` are those the app has fetched for it (inline attachments,
/// and remote pictures the member asked for), as data URLs.
pub(crate) async fn prepare(
    html: Option<String>,
    text: Option<String>,
    images: Images,
    pictures: Pictures,
    form: BodyForm,
) -> Result<ShownBody> {
    let Some(html) = html else {
        return Ok(ShownBody { safe: text_body(text.as_deref().unwrap_or("")), text_form: None });
    };
    if form == BodyForm::Bounded {
        if let Err(why) = within_bounds(&html) {
            let text = text.unwrap_or_else(|| companion_sync::text_of(&html));
            return Ok(ShownBody { safe: text_body(&text), text_form: Some(reason(why)) });
        }
    }
    let work = tokio::task::spawn_blocking(move || sanitise_with(&html, images, &pictures));
    match tokio::time::timeout(FULL_FORM_LIMIT, work).await {
        Ok(Ok(safe)) => Ok(ShownBody { safe, text_form: None }),
        Ok(Err(_)) => Err(AppCoreError::Invalid("This message could not be shown in full.".into())),
        // The sanitiser cannot be interrupted; it finishes on its blocking thread and is dropped.
        Err(_) => Err(AppCoreError::Invalid(
            "This message is built in too complex a way to show in full. Its text is shown instead.".into(),
        )),
    }
}

/// The pictures a body names, for the app to fetch before it is made safe.
#[derive(Debug, Default)]
pub(crate) struct PictureReferences {
    /// Remote addresses (only when asked for).
    pub remote: Vec<String>,
    /// Inline attachments' content ids.
    pub inline: Vec<String>,
}

/// The pictures `html` names: none when it will be shown as text, and found off the async
/// runtime within the same time limit as the full form (finding them is a parse).
pub(crate) async fn picture_references(html: &str, form: BodyForm, remote: bool) -> PictureReferences {
    if form == BodyForm::Bounded && within_bounds(html).is_err() {
        return PictureReferences::default();
    }
    let html = html.to_owned();
    let work = tokio::task::spawn_blocking(move || PictureReferences {
        remote: if remote { remote_images(&html) } else { Vec::new() },
        inline: inline_images(&html),
    });
    match tokio::time::timeout(FULL_FORM_LIMIT, work).await {
        Ok(Ok(found)) => found,
        // Too complex to read in time: the body is then shown without its pictures.
        _ => PictureReferences::default(),
    }
}

/// How many bodies one update makes safe at most; the rest wait for the next update or for
/// the member to open them.
const SAFE_FORMS_PER_UPDATE: usize = 1_000;
/// Bodies made safe in one go off the async runtime, then stored in one transaction.
const SAFE_FORMS_AT_ONCE: usize = 25;

fn stored_form(html: &str) -> SafeBody {
    match sanitise_for_storage(html) {
        Ok(form) => SafeBody {
            html: Some(form.html),
            blocked_images: form.blocked_images,
            blocked_bytes: form.blocked_bytes,
            inline: form.inline,
        },
        // Over the bounds: the form says "show the text" (html `None`).
        Err(_) => SafeBody::default(),
    }
}

/// The safe form of message `id`'s body `html`, as stored when it was synced, or made now
/// (off the async runtime, within the time limit) and stored for next time.
pub(crate) async fn safe_form(vault: &Vault, id: &str, html: &str) -> Result<SafeBody> {
    if let Some(stored) = vault.safe_body(id, POLICY_VERSION)? {
        return Ok(stored);
    }
    let html = html.to_owned();
    let form =
        match tokio::time::timeout(FULL_FORM_LIMIT, tokio::task::spawn_blocking(move || stored_form(&html))).await {
            Ok(Ok(form)) => form,
            _ => return Err(AppCoreError::Invalid("This message could not be shown.".into())),
        };
    vault.write(|w| w.set_safe_body(id, POLICY_VERSION, &form))?;
    Ok(form)
}

/// Makes the safe form of stored bodies that have none (newest first), so opening a message
/// sanitises nothing: run after each update's sync. Returns how many were made.
pub(crate) async fn make_safe_forms(vault: Arc<Vault>) -> Result<usize> {
    let mut made = 0;
    while made < SAFE_FORMS_PER_UPDATE {
        let bodies = vault.bodies_without_safe_form(POLICY_VERSION, SAFE_FORMS_AT_ONCE)?;
        if bodies.is_empty() {
            break;
        }
        let forms = tokio::task::spawn_blocking(move || {
            bodies.into_iter().map(|(id, html)| (id, stored_form(&html))).collect::<Vec<_>>()
        })
        .await
        .map_err(|_| AppCoreError::Invalid("A message could not be made safe to show.".into()))?;
        vault.write(|w| {
            for (id, form) in &forms {
                w.set_safe_body(id, POLICY_VERSION, form)?;
            }
            Ok(())
        })?;
        made += forms.len();
    }
    // Meeting descriptions likewise (their inline pictures are left as their alt text).
    while made < SAFE_FORMS_PER_UPDATE {
        let bodies = vault.event_bodies_without_safe_form(POLICY_VERSION, SAFE_FORMS_AT_ONCE)?;
        if bodies.is_empty() {
            break;
        }
        let forms = tokio::task::spawn_blocking(move || {
            bodies.into_iter().map(|(id, html)| (id, stored_form(&html).html)).collect::<Vec<_>>()
        })
        .await
        .map_err(|_| AppCoreError::Invalid("A meeting could not be made safe to show.".into()))?;
        vault.write(|w| {
            for (id, html) in &forms {
                w.set_event_safe_body(id, POLICY_VERSION, html.as_deref())?;
            }
            Ok(())
        })?;
        made += forms.len();
    }
    Ok(made)
}

/// A meeting description ready for the frame: its safe form as made after the update that
/// brought it (or made now and kept), its text when it is over the bounds.
pub(crate) async fn event_body(vault: &Vault, id: &str, html: &str) -> Result<String> {
    let stored = match vault.event_safe_body(id, POLICY_VERSION)? {
        Some(stored) => stored,
        None => {
            let owned = html.to_owned();
            let work = tokio::task::spawn_blocking(move || stored_form(&owned).html);
            let made = match tokio::time::timeout(FULL_FORM_LIMIT, work).await {
                Ok(Ok(made)) => made,
                _ => return Err(AppCoreError::Invalid("This meeting's description could not be shown.".into())),
            };
            vault.write(|w| w.set_event_safe_body(id, POLICY_VERSION, made.as_deref()))?;
            made
        }
    };
    match stored {
        // Placeholders of inline pictures go, leaving their alt text.
        Some(safe) => Ok(companion_mail_html::put_in_pictures(&safe, &[], &std::collections::HashMap::new())),
        None => Ok(prepare(Some(html.to_owned()), None, Images::Blocked, Pictures::default(), BodyForm::Bounded)
            .await?
            .safe
            .html),
    }
}

/// What the member is told about a body shown as text.
fn reason(why: TooComplex) -> String {
    match why {
        TooComplex::TooLarge { bytes } => format!(
            "This message is very large ({}), so only its text is shown.",
            companion_allowance::describe_bytes(bytes as u64)
        ),
        TooComplex::TooDeep => "This message is built in an unusually complex way, so only its text is shown.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_deeply_nested_body_is_shown_as_its_text_at_once() {
        let html = format!("<p>Dear councillor</p>{}deep{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let shown =
            prepare(Some(html), None, Images::Blocked, Pictures::default(), BodyForm::Bounded).await.expect("shown");
        assert_eq!(shown.safe.html, "<pre>Dear councillor\ndeep</pre>");
        assert!(shown.text_form.is_some_and(|why| why.contains("complex")));
    }

    #[tokio::test]
    async fn a_large_body_says_its_size_and_the_full_form_is_still_there_when_asked() {
        let html = "<p>Minutes of the meeting</p>".repeat(100_000);
        let text = Some("Minutes of the meeting".to_owned());
        let shown = prepare(Some(html.clone()), text.clone(), Images::Blocked, Pictures::default(), BodyForm::Bounded)
            .await
            .expect("text");
        assert!(shown.text_form.is_some_and(|why| why.contains("(3 MB)")), "the size is said");
        let full = prepare(Some(html), text, Images::Blocked, Pictures::default(), BodyForm::Full).await.expect("full");
        assert!(full.text_form.is_none() && full.safe.html.starts_with("<p>Minutes"));
    }

    fn vault_with_bodies(bodies: &[(&str, &str)]) -> (tempfile::TempDir, Arc<Vault>) {
        use companion_vault::fixtures::{folder, message};
        use companion_vault::MessageBody;
        let dir = tempfile::tempdir().expect("temp dir");
        let (vault, _) = Vault::open(dir.path(), &companion_vault::VaultKey::generate()).expect("vault");
        let now = chrono::Utc::now();
        vault
            .write(|w| {
                w.upsert_folder(&folder("inbox", "Inbox", Some("inbox")))?;
                for (i, (id, html)) in bodies.iter().enumerate() {
                    let received = now - chrono::Duration::minutes(i as i64);
                    w.upsert_message(&message(id, "inbox", &format!("Message {i}"), received))?;
                    w.set_body(id, &MessageBody { text: None, html: Some((*html).into()) }, now)?;
                }
                Ok(())
            })
            .expect("messages");
        (dir, Arc::new(vault))
    }

    #[tokio::test]
    async fn bodies_are_made_safe_once_after_an_update_and_opening_reads_what_was_stored() {
        let deep = format!("{}x", "<div>".repeat(100_000));
        let (_dir, vault) = vault_with_bodies(&[
            ("m1", r#"<p onclick="x()">Agenda<img src="cid:crest@council" alt="Crest"></p><script>x()</script>"#),
            ("m2", &deep),
        ]);
        assert_eq!(make_safe_forms(vault.clone()).await.expect("made"), 2);
        assert_eq!(make_safe_forms(vault.clone()).await.expect("none left"), 0, "each body is made safe once");
        let stored = vault.safe_body("m1", POLICY_VERSION).expect("read").expect("stored");
        assert_eq!(stored.html.as_deref(), Some(r#"<p>Agenda<img src="cid:0" alt="Crest"></p>"#));
        assert_eq!(stored.inline, vec!["crest@council".to_owned()]);
        assert_eq!(vault.safe_body("m2", POLICY_VERSION).expect("read").map(|s| s.html), Some(None), "shown as text");

        // Opening reads the stored form rather than sanitising again (a marked form proves it).
        let marked = SafeBody { html: Some("<p>stored</p>".into()), ..SafeBody::default() };
        vault.write(|w| w.set_safe_body("m1", POLICY_VERSION, &marked)).expect("mark");
        assert_eq!(safe_form(&vault, "m1", "<p>raw</p>").await.expect("form"), marked);
    }

    #[tokio::test]
    async fn a_body_never_made_safe_is_made_safe_when_opened_and_kept() {
        let (_dir, vault) = vault_with_bodies(&[("m1", "<p>Minutes<script>x()</script></p>")]);
        let form = safe_form(&vault, "m1", "<p>Minutes<script>x()</script></p>").await.expect("form");
        assert_eq!(form.html.as_deref(), Some("<p>Minutes</p>"));
        assert_eq!(vault.safe_body("m1", POLICY_VERSION).expect("read"), Some(form), "kept for next time");
    }

    #[tokio::test]
    async fn a_meeting_description_is_made_safe_once_and_shown_from_what_was_kept() {
        let (_dir, vault) = vault_with_bodies(&[]);
        let deep = format!("<p>Agenda</p>{}x", "<div>".repeat(100_000));
        let event = |id: &str, html: &str| companion_vault::EventRecord {
            body_html: Some(html.into()),
            ..companion_vault::fixtures::event(id, "Planning Committee", chrono::Utc::now(), 60)
        };
        let html = r#"<p onclick="x()">Agenda <img src="cid:crest@council" alt="Crest"></p>"#;
        vault
            .write(|w| Ok((w.upsert_event(&event("e1", html))?, w.upsert_event(&event("e2", &deep))?)))
            .expect("events");
        assert_eq!(make_safe_forms(vault.clone()).await.expect("made"), 2);
        assert_eq!(event_body(&vault, "e1", html).await.expect("shown"), r#"<p>Agenda <img alt="Crest"></p>"#);
        assert_eq!(
            event_body(&vault, "e2", &deep).await.expect("shown"),
            "<pre>Agenda\nx</pre>",
            "over the bounds: text"
        );
        vault.write(|w| w.set_event_safe_body("e1", POLICY_VERSION, Some("<p>kept</p>"))).expect("mark");
        assert_eq!(event_body(&vault, "e1", html).await.expect("shown"), "<p>kept</p>", "read, not made again");
    }

    #[tokio::test]
    async fn a_text_body_is_escaped_not_parsed() {
        let shown =
            prepare(None, Some("<b>not bold</b>".into()), Images::Blocked, Pictures::default(), BodyForm::Bounded)
                .await
                .expect("text");
        assert_eq!(shown.safe.html, "<pre>&lt;b&gt;not bold&lt;/b&gt;</pre>");
    }
}
