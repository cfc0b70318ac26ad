//! The trial's lists as CSV (from `fetch`, or SharePoint's own export, whose headers are the
//! columns' titles): each row read into a typed record, each bad row named.

use crate::csvfile::{read_rows, Row, Wanted};
use crate::parse;
use crate::Checked;
use chrono::NaiveDate;
use companion_evidence::{list_spec, TrialList};

/// One usage report: a member's billing cycle as the app counted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    /// The member's code.
    pub member: String,
    /// The cycle's first day.
    pub cycle_start: NaiveDate,
    /// The cycle's last day.
    pub cycle_end: Option<NaiveDate>,
    /// Sent before the cycle ended.
    pub partial: bool,
    /// The app's bytes on mobile data.
    pub app_mobile_bytes: u64,
    /// The phone's own figure, where the member read it.
    pub phone_mobile_bytes: Option<u64>,
    /// The contract's cap.
    pub cap_bytes: u64,
    /// Whether the app judged the cycle over the cap.
    pub over_cap: bool,
    /// Calls started from the app.
    pub calls_started: u64,
    /// Days the app was used.
    pub active_days: u64,
    /// Times the app locked (0 where an older app did not count them).
    pub locks: u64,
    /// The display settings the app saw in the cycle (`None` where it reported none).
    pub display: Option<companion_evidence::DisplaySeen>,
}

/// One of the council's requests to wipe a device (a phone lost or handed back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WipeRow {
    /// When ICT asked (the item's creation).
    pub requested: chrono::DateTime<chrono::Utc>,
    /// When the device carried it out, if it has.
    pub done: Option<chrono::DateTime<chrono::Utc>>,
}

/// One request for help made in the app, with the desk's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRow {
    /// The member's code.
    pub member: String,
    /// What it was about (the app's category).
    pub category: String,
    /// When it was asked.
    pub created: NaiveDate,
    /// When the desk resolved it.
    pub resolved_on: Option<NaiveDate>,
    /// The desk's minutes.
    pub minutes: Option<u64>,
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    /// The response it belongs to.
    pub response_id: String,
    /// Whose.
    pub member: String,
    /// Which survey.
    pub survey: String,
    /// Which question.
    pub question: String,
    /// The choice (a label), where one was made.
    pub choice: Option<String>,
    /// The choices, where several were.
    pub choices: Vec<String>,
    /// The score (NPS, or a label's place on its scale).
    pub score: Option<u64>,
    /// Free text, as the member wrote it (the report shows it only where the same response
    /// agreed to be quoted, and never with a name or code).
    pub text: Option<String>,
}

/// One survey response: when it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRow {
    /// Its id.
    pub response_id: String,
    /// Whose.
    pub member: String,
    /// Which survey.
    pub survey: String,
    /// When it was sent.
    pub submitted: Option<NaiveDate>,
}

/// A date as SharePoint writes it (`2026-10-15`, `2026-10-15T00:00:00Z`) or an officer would.
fn day(text: &str) -> Result<NaiveDate, String> {
    parse::date(text.get(..10).filter(|d| d.len() == 10 && text.len() > 10).unwrap_or(text))
}

fn yes(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" | "" => Ok(false),
        _ => Err(format!("“{text}” is not yes or no")),
    }
}

/// The display settings a usage report carries: none where its text size is blank.
fn display(r: &Row<'_>) -> Result<Option<companion_evidence::DisplaySeen>, String> {
    let Some(text_percent) = optional_whole(r.get("TextSizePercent")).map_err(|e| format!("TextSizePercent: {e}"))?
    else {
        return Ok(None);
    };
    let text_percent = u16::try_from(text_percent)
        .ok()
        .filter(|p| (25..=500).contains(p))
        .ok_or_else(|| format!("TextSizePercent: {text_percent}% is not a text size a phone offers"))?;
    let flag = |name: &str| yes(r.get(name)).map_err(|e| format!("{name}: {e}"));
    Ok(Some(companion_evidence::DisplaySeen {
        text_percent,
        reduced_motion: flag("ReducedMotion")?,
        more_contrast: flag("MoreContrast")?,
        forced_colours: flag("ForcedColours")?,
    }))
}

fn optional_whole(text: &str) -> Result<Option<u64>, String> {
    match text {
        "" => Ok(None),
        t => parse::decimal(t).map(|v| Some(v.round() as u64)),
    }
}

/// Reads the CSV of one of the trial's lists: its columns found by internal name or title
/// (SharePoint's own export heads them with titles), `needed` ones required.
fn rows<T>(
    file: &str,
    csv: &[u8],
    role: TrialList,
    needed: &[&str],
    read: impl FnMut(&Row<'_>) -> Result<T, String>,
) -> Checked<T> {
    let spec = list_spec(role);
    let wanted: Vec<Wanted> = spec
        .columns
        .iter()
        .map(|c| Wanted {
            key: c.name.clone(),
            headers: vec![c.name.clone(), c.title.clone()],
            required: needed.contains(&c.name.as_str()),
        })
        .collect();
    let missing = |name: &str| format!("there is no column “{name}” (or its title) of the list “{}”", spec.title);
    read_rows(file, csv, &wanted, missing, read)
}

/// Reads `UsageReports.csv`.
pub fn read_usage(file: &str, csv: &[u8]) -> Checked<UsageRow> {
    let needed = ["MemberCode", "CycleStart", "AppMobileBytes", "CapBytes", "OverCap"];
    rows(file, csv, TrialList::Usage, &needed, |r| {
        let member = r.get("MemberCode").to_owned();
        if member.is_empty() {
            return Err("the member code is empty".into());
        }
        let whole =
            |name: &str| parse::decimal(r.get(name)).map(|v| v.round() as u64).map_err(|e| format!("{name}: {e}"));
        Ok(UsageRow {
            member,
            cycle_start: day(r.get("CycleStart")).map_err(|e| format!("CycleStart: {e}"))?,
            cycle_end: match r.get("CycleEnd") {
                "" => None,
                t => Some(day(t).map_err(|e| format!("CycleEnd: {e}"))?),
            },
            partial: yes(r.get("Partial")).map_err(|e| format!("Partial: {e}"))?,
            app_mobile_bytes: whole("AppMobileBytes")?,
            phone_mobile_bytes: optional_whole(r.get("PhoneMobileBytes"))
                .map_err(|e| format!("PhoneMobileBytes: {e}"))?,
            cap_bytes: whole("CapBytes")?,
            over_cap: yes(r.get("OverCap")).map_err(|e| format!("OverCap: {e}"))?,
            calls_started: optional_whole(r.get("CallsStarted"))
                .map_err(|e| format!("CallsStarted: {e}"))?
                .unwrap_or(0),
            active_days: optional_whole(r.get("ActiveDays")).map_err(|e| format!("ActiveDays: {e}"))?.unwrap_or(0),
            locks: optional_whole(r.get("UsesLocked")).map_err(|e| format!("UsesLocked: {e}"))?.unwrap_or(0),
            display: display(r)?,
        })
    })
}

/// Reads `SupportRequests.csv`.
pub fn read_support(file: &str, csv: &[u8]) -> Checked<SupportRow> {
    let needed = ["MemberCode", "Category", "CreatedAt"];
    rows(file, csv, TrialList::Support, &needed, |r| {
        let member = r.get("MemberCode").to_owned();
        if member.is_empty() {
            return Err("the member code is empty".into());
        }
        let created = day(r.get("CreatedAt")).map_err(|e| format!("CreatedAt: {e}"))?;
        let resolved_on = match r.get("ResolvedOn") {
            "" => None,
            t => Some(day(t).map_err(|e| format!("ResolvedOn: {e}"))?),
        };
        if resolved_on.is_some_and(|d| d < created) {
            return Err("it was resolved before it was asked".into());
        }
        Ok(SupportRow {
            member,
            category: r.get("Category").to_owned(),
            created,
            resolved_on,
            minutes: optional_whole(r.get("MinutesSpent")).map_err(|e| format!("MinutesSpent: {e}"))?,
        })
    })
}

/// Reads `SurveyAnswers.csv`.
pub fn read_answers(file: &str, csv: &[u8]) -> Checked<AnswerRow> {
    let needed = ["ResponseId", "MemberCode", "SurveyId", "QuestionId"];
    rows(file, csv, TrialList::SurveyAnswers, &needed, |r| {
        let text = |name: &str| r.get(name).to_owned();
        let (member, survey, question) = (text("MemberCode"), text("SurveyId"), text("QuestionId"));
        if member.is_empty() || survey.is_empty() || question.is_empty() {
            return Err("the member code, survey or question is empty".into());
        }
        Ok(AnswerRow {
            response_id: text("ResponseId"),
            member,
            survey,
            question,
            choice: Some(text("Choice")).filter(|c| !c.is_empty()),
            choices: r.get("Choices").lines().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect(),
            score: optional_whole(r.get("Score")).map_err(|e| format!("Score: {e}"))?,
            text: Some(text("AnswerText")).filter(|t| !t.is_empty()),
        })
    })
}

fn instant(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| format!("“{}” is not a date and time", text.trim()))
}

/// Reads `DeviceWipeRequests.csv` (the `Created` column is the item's, as `fetch` writes it).
pub fn read_wipes(file: &str, csv: &[u8]) -> Checked<WipeRow> {
    let wanted = [
        Wanted::named("Created"),
        Wanted { key: "DoneAt".into(), headers: vec!["DoneAt".into(), "Wiped at".into()], required: false },
    ];
    read_rows(
        file,
        csv,
        &wanted,
        |name| format!("there is no column “{name}”"),
        |r| {
            let requested = instant(r.get("Created")).map_err(|e| format!("Created: {e}"))?;
            let done = match r.get("DoneAt") {
                "" => None,
                t => Some(instant(t).map_err(|e| format!("DoneAt: {e}"))?),
            };
            Ok(WipeRow { requested, done })
        },
    )
}

/// Reads `MemberSurveys.csv`.
pub fn read_responses(file: &str, csv: &[u8]) -> Checked<ResponseRow> {
    let needed = ["ResponseId", "MemberCode", "SurveyId"];
    rows(file, csv, TrialList::Surveys, &needed, |r| {
        Ok(ResponseRow {
            response_id: r.get("ResponseId").to_owned(),
            member: r.get("MemberCode").to_owned(),
            survey: r.get("SurveyId").to_owned(),
            submitted: match r.get("SubmittedAt") {
                "" => None,
                t => Some(day(t).map_err(|e| format!("SubmittedAt: {e}"))?),
            },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_read_by_internal_names_or_by_the_titles_sharepoints_export_uses() {
        let fetched = "ID,Title,Created,ReportId,MemberCode,CycleStart,CycleEnd,Partial,AppMobileBytes,PhoneMobileBytes,CapBytes,OverCap\n\
                       1,Usage,2026-11-15T09:00:00Z,M-A-1,M-AAAA,2026-10-15,2026-11-14,false,1000,,1073741824,false\n";
        let exported = "Member code,Cycle start,App bytes on mobile data,Monthly cap (bytes),Over the cap,Phone's mobile data (member's reading)\n\
                        M-AAAA,15/10/2026,1000,1073741824,No,\n";
        let a = read_usage("UsageReports.csv", fetched.as_bytes());
        let b = read_usage("export.csv", exported.as_bytes());
        assert_eq!((a.problems.len(), b.problems.len()), (0, 0), "{:?} {:?}", a.problems, b.problems);
        assert_eq!(a.rows[0].cycle_start, b.rows[0].cycle_start);
        assert_eq!((a.rows[0].app_mobile_bytes, a.rows[0].over_cap, a.rows[0].phone_mobile_bytes), (1000, false, None));
    }

    #[test]
    fn a_bad_usage_row_is_named_and_a_missing_column_stops_the_file() {
        let csv = "MemberCode,CycleStart,AppMobileBytes,CapBytes,OverCap\nM-AAAA,someday,1,2,false\nM-AAAA,2026-10-15,1,2,maybe\n";
        let read = read_usage("u.csv", csv.as_bytes());
        let said: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 2);
        assert!(said[0].starts_with("u.csv, line 2: CycleStart:"), "{said:?}");
        assert!(said[1].starts_with("u.csv, line 3: OverCap: “maybe”"), "{said:?}");
        let missing = read_usage("u.csv", b"MemberCode\nM-AAAA\n");
        assert!(missing.problems[0].to_string().contains("there is no column “CycleStart”"));
    }
}
