//! Bodies made safe to show, with bounded work. Any sender can write a body that is huge or
//! nested a hundred thousand deep, and sanitising grows with the square of the depth: a body
//! over the bounds is shown as its text at once, and the full form is made only when the
//! member asks, off the async runtime and with a time limit.

use crate::error::{AppCoreError, Result};
use companion_mail_html::{
    inline_images, remote_images, sanitise_with, text_body, within_bounds, Images, Pictures, SafeHtml, TooComplex,
};
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

    #[tokio::test]
    async fn a_text_body_is_escaped_not_parsed() {
        let shown =
            prepare(None, Some("<b>not bold</b>".into()), Images::Blocked, Pictures::default(), BodyForm::Bounded)
                .await
                .expect("text");
        assert_eq!(shown.safe.html, "<pre>&lt;b&gt;not bold&lt;/b&gt;</pre>");
    }
}
