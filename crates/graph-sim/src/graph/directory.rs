//! The organisation's directory: `/users/delta`, as a member's app reads it with
//! `User.ReadBasic.All`. Without `$select`, Graph answers a user's default properties (which
//! leave out the department); with it, only what was asked for.

use super::{delta_answer, DeltaSpec};
use crate::delta::DeltaState;
use crate::odata::{apply_select, GraphResult, Prefer, Query};
use crate::server::AppState;
use crate::tenant::{Change, CollectionKey, DirectoryPerson, Tenant};
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Value};

/// A user's default properties, and the department for `$select` to find.
fn user_json(p: &DirectoryPerson, selecting: bool) -> Value {
    let mut v = json!({
        "@odata.type": "#microsoft.graph.user",
        "id": p.id,
        "businessPhones": p.business_phones,
        "displayName": p.display_name,
        "givenName": p.given_name,
        "jobTitle": p.job_title,
        "mail": p.mail,
        "mobilePhone": p.mobile_phone,
        "officeLocation": p.office_location,
        "preferredLanguage": "en-GB",
        "surname": p.surname,
        "userPrincipalName": p.mail,
    });
    if selecting {
        v["department"] = json!(p.department);
    }
    v
}

pub(crate) async fn users_delta(
    State(app): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> GraphResult {
    let q = Query::parse(raw.as_deref())?;
    let prefer = Prefer::from_headers(&headers);
    delta_answer(
        &app,
        &q,
        &prefer,
        DeltaSpec {
            key: CollectionKey::Users,
            path: "/v1.0/users/delta".into(),
            odata_type: "#microsoft.graph.user",
            default_page: 100,
            keep: &|_, _, _| true,
            render: &|t: &Tenant, c: &Change, s: &DeltaState| {
                t.directory.get(&c.key).map(|p| {
                    let selecting = s.s.is_some();
                    apply_select(user_json(p, selecting), s.s.as_deref())
                })
            },
        },
    )
}
