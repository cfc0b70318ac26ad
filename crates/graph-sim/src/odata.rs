//! OData plumbing shared by every Graph handler: query options, `Prefer` headers, JSON
//! answers with Graph's headers, and Graph's error shape.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

tokio::task_local! {
    /// The id of the request being served, echoed in `request-id` and in error bodies.
    pub(crate) static REQUEST_ID: String;
}

pub(crate) fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Graph's content type for JSON answers.
pub(crate) const JSON_CONTENT_TYPE: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// A Graph error answer: `{"error":{"code","message","innerError":{…}}}`.
#[derive(Debug)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub headers: Vec<(header::HeaderName, String)>,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, code: code.to_owned(), message: message.into(), headers: Vec::new() }
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ErrorItemNotFound",
            format!("The specified object was not found in the store. ({what})"),
        )
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }
    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn body(&self) -> Value {
        json!({"error": {
            "code": self.code,
            "message": self.message,
            "innerError": {
                "date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                "request-id": request_id(),
                "client-request-id": request_id(),
            }
        }})
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut resp =
            (self.status, [(header::CONTENT_TYPE, JSON_CONTENT_TYPE)], self.body().to_string()).into_response();
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                resp.headers_mut().insert(name.clone(), v);
            }
        }
        resp
    }
}

pub(crate) type GraphResult<T = Response> = Result<T, GraphError>;

/// A JSON answer with Graph's content type.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, JSON_CONTENT_TYPE)], body.to_string()).into_response()
}

/// `202 Accepted` with an empty body, as `sendMail`, `reply` and `accept` answer.
pub(crate) fn accepted() -> Response {
    (StatusCode::ACCEPTED, [(header::CONTENT_LENGTH, "0")]).into_response()
}

/// The query options Graph understands, parsed once. Names are case-insensitive, as in Graph.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query {
    pub select: Option<Vec<String>>,
    pub top: Option<usize>,
    pub filter: Option<String>,
    pub expand: Option<String>,
    pub skip_token: Option<String>,
    pub delta_token: Option<String>,
    pub change_type: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> GraphResult<Self> {
        let mut q = Query::default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|_| GraphError::bad_request("The query string could not be parsed."))?;
        for (k, v) in pairs {
            match k.to_ascii_lowercase().as_str() {
                "$select" => {
                    q.select = Some(v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                }
                "$top" => {
                    q.top = Some(v.parse().map_err(|_| GraphError::bad_request(format!("Invalid $top value '{v}'.")))?)
                }
                "$filter" => q.filter = Some(v),
                "$expand" => q.expand = Some(v),
                "$skiptoken" => q.skip_token = Some(v),
                "$deltatoken" => q.delta_token = Some(v),
                "changetype" => q.change_type = Some(v),
                "startdatetime" => q.start = Some(v),
                "enddatetime" => q.end = Some(v),
                _ => {}
            }
        }
        Ok(q)
    }
}

/// Parses a Graph date-time query value; offsets are honoured, a bare value is UTC.
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc()))
        .or_else(|| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok().map(|n| n.and_utc()))
}

/// What the client asked for in its `Prefer` headers (repeated or comma-separated).
#[derive(Debug, Default, Clone)]
pub(crate) struct Prefer {
    pub max_page_size: Option<usize>,
    pub body_text: bool,
    pub immutable_ids: bool,
    pub time_zone: Option<String>,
}

impl Prefer {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut p = Prefer::default();
        for value in headers.get_all("prefer") {
            let Ok(value) = value.to_str() else { continue };
            for part in value.split(',') {
                let part = part.trim();
                let (k, v) =
                    part.split_once('=').map(|(k, v)| (k.trim(), v.trim().trim_matches('"'))).unwrap_or((part, ""));
                match k.to_ascii_lowercase().as_str() {
                    "odata.maxpagesize" => p.max_page_size = v.parse().ok(),
                    "outlook.body-content-type" => p.body_text = v.eq_ignore_ascii_case("text"),
                    "idtype" => p.immutable_ids = v.eq_ignore_ascii_case("ImmutableId"),
                    "outlook.timezone" => p.time_zone = Some(v.to_owned()),
                    _ => {}
                }
            }
        }
        p
    }

    /// The `Preference-Applied` value for what this simulator honoured.
    pub fn applied(&self, body: bool) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(n) = self.max_page_size {
            parts.push(format!("odata.maxpagesize={n}"));
        }
        if body && self.body_text {
            parts.push("outlook.body-content-type=\"text\"".to_owned());
        }
        if self.immutable_ids {
            parts.push("IdType=\"ImmutableId\"".to_owned());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Keeps only the selected properties (plus `id` and OData annotations), as `$select` does.
pub(crate) fn apply_select(value: Value, select: Option<&[String]>) -> Value {
    let (Some(select), Value::Object(map)) = (select, &value) else { return value };
    let keep: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| k.starts_with('@') || *k == "id" || select.iter().any(|s| s.eq_ignore_ascii_case(k)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(keep)
}

/// Whether `$select` (if any) asks for a property: used to skip costly rendering.
pub(crate) fn selects(select: Option<&[String]>, name: &str) -> bool {
    select.is_none_or(|s| s.iter().any(|x| x.eq_ignore_ascii_case(name)))
}

/// Graph's `dateTimeTimeZone` in the requested time zone (UTC unless `Prefer: outlook.timezone`).
pub(crate) fn date_time_time_zone(t: DateTime<Utc>, tz: Option<&str>) -> Value {
    let london =
        matches!(tz, Some(z) if z.eq_ignore_ascii_case("Europe/London") || z.eq_ignore_ascii_case("GMT Standard Time"));
    if london {
        let local = t.with_timezone(&chrono_tz::Europe::London);
        json!({"dateTime": seven_digit_fraction(local.naive_local()), "timeZone": tz.unwrap_or("Europe/London")})
    } else {
        json!({"dateTime": seven_digit_fraction(t.naive_utc()), "timeZone": "UTC"})
    }
}

/// Graph writes `dateTimeTimeZone` values with seven fractional digits (100 ns ticks).
fn seven_digit_fraction(t: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{}.{:07}", t.format("%Y-%m-%dT%H:%M:%S"), t.nanosecond() / 100)
}

/// Graph's date-time format for plain timestamps.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_option_names_are_case_insensitive() {
        let q = Query::parse(Some("startdatetime=2026-01-01T00:00:00Z&$SELECT=subject,isRead")).expect("parses");
        assert_eq!(q.start.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(q.select, Some(vec!["subject".to_owned(), "isRead".to_owned()]));
    }

    #[test]
    fn prefer_values_are_read_from_repeated_and_comma_separated_headers() {
        let mut h = HeaderMap::new();
        h.append("prefer", HeaderValue::from_static("odata.maxpagesize=50, IdType=\"ImmutableId\""));
        h.append("prefer", HeaderValue::from_static("outlook.body-content-type=\"text\""));
        let p = Prefer::from_headers(&h);
        assert_eq!(p.max_page_size, Some(50));
        assert!(p.immutable_ids && p.body_text);
    }

    #[test]
    fn select_keeps_id_and_annotations() {
        let v = json!({"@odata.etag":"W/\"1\"","id":"x","subject":"s","body":{}});
        let s = apply_select(v, Some(&["Subject".to_owned()]));
        assert_eq!(s, json!({"@odata.etag":"W/\"1\"","id":"x","subject":"s"}));
    }

    #[test]
    fn a_bare_date_time_is_taken_as_utc_and_offsets_are_honoured() {
        assert_eq!(parse_datetime("2026-10-25T01:30:00").map(ts).as_deref(), Some("2026-10-25T01:30:00Z"));
        assert_eq!(parse_datetime("2026-10-25T01:30:00+01:00").map(ts).as_deref(), Some("2026-10-25T00:30:00Z"));
    }
}
