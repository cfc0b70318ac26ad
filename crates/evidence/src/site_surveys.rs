//! Surveys the officers publish on the trial site, so a question can change without a new
//! build. Each published item's TOML is checked as the shipped surveys are, and more: its
//! columns must agree with it, it must replace a survey the app offers (the schedule knows
//! those by id), and it must be newer than the app's own. One that fails is never shown; the
//! officers' problem list is told what is wrong. The shipped set stays the fallback, and the
//! last good set from the site is kept in the vault for when the app is offline.

use crate::survey::SurveyDefinition;
use serde_json::Value;

/// A published survey the app will offer, with its text (kept in the vault as it came).
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedSurvey {
    /// The survey, checked.
    pub definition: SurveyDefinition,
    /// Its TOML.
    pub text: String,
}

/// A published survey the app refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedSurvey {
    /// Names this version of the item (its id and when it was last changed): an officer's fix
    /// is a new version, reported afresh if it is still wrong.
    pub key: String,
    /// The survey id its column gives.
    pub survey_id: String,
    /// The version its column gives.
    pub version: Option<u32>,
    /// What is wrong, for the officer.
    pub problem: String,
}

/// What the trial site publishes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteSurveys {
    /// Usable.
    pub accepted: Vec<AcceptedSurvey>,
    /// Refused, with why.
    pub refused: Vec<RefusedSurvey>,
}

impl SiteSurveys {
    /// Sorts the published items (a list item's JSON with its `fields`) of the surveys list
    /// into accepted and refused, against the `shipped` set. Items not published are skipped.
    pub fn from_items(items: &[Value], shipped: &[SurveyDefinition]) -> Self {
        let mut out = SiteSurveys::default();
        for item in items {
            let fields = &item["fields"];
            if fields["Published"] != true {
                continue;
            }
            let survey_id = fields["SurveyId"].as_str().unwrap_or("").trim().to_owned();
            let version = fields["SurveyVersion"].as_f64().filter(|v| v.fract() == 0.0 && *v >= 0.0).map(|v| v as u32);
            let text = fields["Definition"].as_str().unwrap_or("");
            match check(&survey_id, version, text, shipped) {
                Ok(definition) => {
                    // Two published versions of one survey: the newest wins.
                    out.accepted
                        .retain(|a| a.definition.id != definition.id || a.definition.version > definition.version);
                    if !out.accepted.iter().any(|a| a.definition.id == definition.id) {
                        out.accepted.push(AcceptedSurvey { definition, text: text.to_owned() });
                    }
                }
                Err(problem) => out.refused.push(RefusedSurvey {
                    key: format!(
                        "{}@{}",
                        item["id"].as_str().unwrap_or("?"),
                        item["lastModifiedDateTime"].as_str().unwrap_or("?")
                    ),
                    survey_id,
                    version,
                    problem,
                }),
            }
        }
        out
    }
}

/// Checks one published survey; the error is a sentence for the officer.
fn check(
    survey_id: &str,
    version: Option<u32>,
    text: &str,
    shipped: &[SurveyDefinition],
) -> Result<SurveyDefinition, String> {
    let Some(own) = shipped.iter().find(|s| s.id == survey_id) else {
        let known: Vec<&str> = shipped.iter().map(|s| s.id.as_str()).collect();
        return Err(format!(
            "The survey id “{survey_id}” is not one the app offers; use one of: {}.",
            known.join(", ")
        ));
    };
    let Some(version) = version else {
        return Err("The Version column must be a whole number.".to_owned());
    };
    let definition = SurveyDefinition::from_toml(text).map_err(|e| format!("The definition is not valid: {e}."))?;
    if definition.id != survey_id || definition.version != version {
        return Err(format!(
            "The columns say {survey_id} version {version} but the definition says {} version {}.",
            definition.id, definition.version
        ));
    }
    if version <= own.version {
        return Err(format!(
            "Version {version} is not newer than the app's own {} (version {}): raise the version.",
            own.id, own.version
        ));
    }
    Ok(definition)
}

/// The surveys to offer: the shipped set, each replaced by a newer one from the site.
pub fn effective_surveys(shipped: &[SurveyDefinition], site: &[SurveyDefinition]) -> Vec<SurveyDefinition> {
    shipped
        .iter()
        .map(|own| {
            site.iter()
                .filter(|s| s.id == own.id && s.version > own.version)
                .max_by_key(|s| s.version)
                .unwrap_or(own)
                .clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::trial_surveys;
    use serde_json::json;

    fn pulse(version: u32, question: &str) -> String {
        format!(
            "format = 1\nid = \"monthly-pulse\"\nversion = {version}\ntitle = \"This month\"\n\n[[question]]\nid = \"easy\"\ntext = \"{question}\"\nkind = \"nps\"\nrequired = true\n"
        )
    }

    fn item(id: &str, survey: &str, version: Value, text: &str, published: bool) -> Value {
        json!({"id": id, "lastModifiedDateTime": "2026-12-01T10:00:00Z", "fields": {
            "SurveyId": survey, "SurveyVersion": version, "Definition": text, "Published": published}})
    }

    #[test]
    fn a_newer_valid_survey_replaces_the_shipped_one_and_nothing_else_changes() {
        let shipped = trial_surveys();
        let site =
            SiteSurveys::from_items(&[item("1", "monthly-pulse", json!(7), &pulse(7, "How was it?"), true)], &shipped);
        assert!(site.refused.is_empty(), "{:?}", site.refused);
        let defs: Vec<_> = site.accepted.iter().map(|a| a.definition.clone()).collect();
        let offered = effective_surveys(&shipped, &defs);
        assert_eq!(offered.len(), shipped.len());
        let p = offered.iter().find(|s| s.id == "monthly-pulse").expect("pulse");
        assert_eq!((p.version, p.questions[0].text.as_str()), (7, "How was it?"));
        assert_eq!(offered.iter().find(|s| s.id == "exit"), shipped.iter().find(|s| s.id == "exit"));
    }

    #[test]
    fn each_kind_of_bad_survey_is_refused_with_a_sentence_an_officer_can_act_on() {
        let shipped = trial_surveys();
        let cases = [
            (item("1", "weekly", json!(9), &pulse(9, "x"), true), "not one the app offers"),
            (item("2", "monthly-pulse", json!(2.5), &pulse(9, "x"), true), "whole number"),
            (item("3", "monthly-pulse", json!(9), "format = 1\nid = ", true), "not valid"),
            (item("4", "monthly-pulse", json!(9), &pulse(8, "x"), true), "the definition says monthly-pulse version 8"),
            (item("5", "monthly-pulse", json!(1), &pulse(1, "x"), true), "not newer"),
            (
                item(
                    "6",
                    "monthly-pulse",
                    json!(9),
                    &pulse(9, "x").replace("kind = \"nps\"", "kind = \"stars\""),
                    true,
                ),
                "not valid",
            ),
        ];
        for (it, says) in &cases {
            let site = SiteSurveys::from_items(std::slice::from_ref(it), &shipped);
            assert!(site.accepted.is_empty(), "{it}");
            assert!(site.refused[0].problem.contains(says), "{}: {}", says, site.refused[0].problem);
            assert!(site.refused[0].key.ends_with("@2026-12-01T10:00:00Z"));
        }
    }

    #[test]
    fn an_unpublished_survey_is_neither_offered_nor_reported() {
        let site = SiteSurveys::from_items(&[item("1", "weekly", json!(1), "", false)], &trial_surveys());
        assert_eq!(site, SiteSurveys::default());
    }
}
