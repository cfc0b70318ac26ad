//! Survey definitions (format 1, TOML; `survey.schema.json` describes it for editors), their
//! validation, and answering one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The one definition format this build reads.
pub const FORMAT: u32 = 1;

/// A survey, as the council writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SurveyDefinition {
    /// The definition format (1).
    pub format: u32,
    /// A stable id, e.g. `monthly-pulse`.
    pub id: String,
    /// Bumped when the questions change, so answers say which wording they answered.
    pub version: u32,
    /// The title the member sees.
    pub title: String,
    /// A sentence before the first question.
    #[serde(default)]
    pub intro: Option<String>,
    /// The questions, in order.
    #[serde(rename = "question", default)]
    pub questions: Vec<Question>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawQuestion")]
pub struct Question {
    /// Unique within the survey; the list column's key.
    pub id: String,
    /// What is asked.
    pub text: String,
    /// The kind of answer.
    pub kind: QuestionKind,
    /// Whether the survey cannot be sent without it.
    pub required: bool,
    /// Asked only when an earlier answer is one of these (simple branching).
    pub show_if: Option<Condition>,
}

/// The kinds of question.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    /// An agreement scale, its labels from one end to the other (`scale`, 5 or 7).
    Likert {
        /// The labels.
        scale: Vec<String>,
    },
    /// "How likely are you to recommend…", 0 to 10.
    Nps,
    /// One of the `options`.
    Single {
        /// The choices.
        options: Vec<String>,
    },
    /// Any of the `options`.
    Multiple {
        /// The choices.
        options: Vec<String>,
    },
    /// Free text, up to `max-length` characters (2,000 when not given).
    Text {
        /// The limit.
        max_length: usize,
    },
}

/// A question as written: every key, so that a key that does not belong to the question's
/// kind is named, rather than silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawQuestion {
    id: String,
    text: String,
    kind: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    show_if: Option<Condition>,
    scale: Option<Vec<String>>,
    options: Option<Vec<String>>,
    max_length: Option<usize>,
}

impl TryFrom<RawQuestion> for Question {
    type Error = String;

    fn try_from(raw: RawQuestion) -> Result<Self, String> {
        let id = raw.id.clone();
        let stray = |key: &str, present: bool| {
            if present {
                Err(format!("question “{id}”: `{key}` does not belong to a {} question", raw.kind))
            } else {
                Ok(())
            }
        };
        let needs = |key: &str| format!("question “{id}”: a {} question needs `{key}`", raw.kind);
        let kind = match raw.kind.as_str() {
            "likert" => {
                stray("options", raw.options.is_some())?;
                stray("max-length", raw.max_length.is_some())?;
                QuestionKind::Likert { scale: raw.scale.clone().ok_or_else(|| needs("scale"))? }
            }
            "nps" => {
                stray("scale", raw.scale.is_some())?;
                stray("options", raw.options.is_some())?;
                stray("max-length", raw.max_length.is_some())?;
                QuestionKind::Nps
            }
            "single" | "multiple" => {
                stray("scale", raw.scale.is_some())?;
                stray("max-length", raw.max_length.is_some())?;
                let options = raw.options.clone().ok_or_else(|| needs("options"))?;
                if raw.kind == "single" {
                    QuestionKind::Single { options }
                } else {
                    QuestionKind::Multiple { options }
                }
            }
            "text" => {
                stray("scale", raw.scale.is_some())?;
                stray("options", raw.options.is_some())?;
                QuestionKind::Text { max_length: raw.max_length.unwrap_or_else(default_text_length) }
            }
            other => {
                return Err(format!(
                    "question “{id}”: the kind “{other}” is not one of likert, nps, single, multiple, text"
                ))
            }
        };
        Ok(Question { id: raw.id, text: raw.text, kind, required: raw.required, show_if: raw.show_if })
    }
}

fn default_text_length() -> usize {
    2_000
}

/// "Ask this only if question `question`'s answer is one of `is-any-of`."
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Condition {
    /// An earlier question's id.
    pub question: String,
    /// Answers that show this question (an NPS score is written as its number).
    pub is_any_of: Vec<String>,
}

/// What is wrong with a definition. Every message names the survey, and the question where
/// there is one.
#[allow(missing_docs)] // the fields are what the messages name
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SurveyError {
    /// Not TOML, or a field of the wrong kind, missing or unknown.
    #[error("the survey definition could not be read: {0}")]
    Unreadable(String),
    /// A format this build does not know.
    #[error("survey “{survey}” uses format {found}; this version of the app reads format {FORMAT}")]
    UnknownFormat { survey: String, found: u32 },
    /// No questions.
    #[error("survey “{0}” has no questions")]
    NoQuestions(String),
    /// An empty id, title or question text.
    #[error("survey “{survey}”: {what} is empty")]
    Empty { survey: String, what: String },
    /// Two questions with one id.
    #[error("survey “{survey}”: two questions have the id “{question}”")]
    DuplicateQuestion { survey: String, question: String },
    /// A choice question without enough options, or with one twice.
    #[error("survey “{survey}”, question “{question}”: {problem}")]
    Options { survey: String, question: String, problem: String },
    /// A Likert scale that is not 5 or 7 points.
    #[error("survey “{survey}”, question “{question}”: a scale needs 5 or 7 labels, not {points}")]
    Scale { survey: String, question: String, points: usize },
    /// A free-text limit of 0 or over 10,000 characters.
    #[error("survey “{survey}”, question “{question}”: the text limit must be between 1 and 10,000 characters")]
    TextLimit { survey: String, question: String },
    /// A branch on a question that does not come before it.
    #[error("survey “{survey}”, question “{question}”: it depends on “{on}”, which is not an earlier question")]
    BranchTarget { survey: String, question: String, on: String },
    /// A branch on an answer the earlier question cannot have.
    #[error("survey “{survey}”, question “{question}”: “{on}” cannot be answered “{value}”")]
    BranchValue { survey: String, question: String, on: String, value: String },
    /// A branch on a free-text answer.
    #[error("survey “{survey}”, question “{question}”: it cannot depend on “{on}”, whose answer is free text")]
    BranchOnText { survey: String, question: String, on: String },
}

impl SurveyDefinition {
    /// Reads and validates a definition.
    pub fn from_toml(text: &str) -> Result<Self, SurveyError> {
        let def: Self =
            toml::from_str(text).map_err(|e| SurveyError::Unreadable(e.to_string().trim().replace('\n', " ")))?;
        def.validate()?;
        Ok(def)
    }

    /// Checks everything serde cannot.
    pub fn validate(&self) -> Result<(), SurveyError> {
        let survey = || self.id.clone();
        if self.format != FORMAT {
            return Err(SurveyError::UnknownFormat { survey: survey(), found: self.format });
        }
        for (what, value) in [("the id", &self.id), ("the title", &self.title)] {
            if value.trim().is_empty() {
                return Err(SurveyError::Empty { survey: survey(), what: what.into() });
            }
        }
        if self.questions.is_empty() {
            return Err(SurveyError::NoQuestions(survey()));
        }
        for (i, q) in self.questions.iter().enumerate() {
            let question = || q.id.clone();
            if q.id.trim().is_empty() {
                return Err(SurveyError::Empty { survey: survey(), what: format!("question {}'s id", i + 1) });
            }
            if q.text.trim().is_empty() {
                return Err(SurveyError::Empty {
                    survey: survey(), what: format!("the text of question “{}”", q.id)
                });
            }
            if self.questions[..i].iter().any(|earlier| earlier.id == q.id) {
                return Err(SurveyError::DuplicateQuestion { survey: survey(), question: question() });
            }
            match &q.kind {
                QuestionKind::Likert { scale } if scale.len() != 5 && scale.len() != 7 => {
                    return Err(SurveyError::Scale { survey: survey(), question: question(), points: scale.len() })
                }
                QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                    if options.len() < 2 {
                        return Err(SurveyError::Options {
                            survey: survey(),
                            question: question(),
                            problem: "a choice needs at least two options".into(),
                        });
                    }
                    if let Some(twice) =
                        options.iter().enumerate().find(|(j, o)| options[..*j].contains(o)).map(|(_, o)| o)
                    {
                        return Err(SurveyError::Options {
                            survey: survey(),
                            question: question(),
                            problem: format!("the option “{twice}” is listed twice"),
                        });
                    }
                }
                QuestionKind::Text { max_length } if *max_length == 0 || *max_length > 10_000 => {
                    return Err(SurveyError::TextLimit { survey: survey(), question: question() })
                }
                _ => {}
            }
            if let Some(cond) = &q.show_if {
                let Some(target) = self.questions[..i].iter().find(|e| e.id == cond.question) else {
                    return Err(SurveyError::BranchTarget {
                        survey: survey(),
                        question: question(),
                        on: cond.question.clone(),
                    });
                };
                let possible: Vec<String> = match &target.kind {
                    QuestionKind::Likert { scale } => scale.clone(),
                    QuestionKind::Nps => (0..=10).map(|n| n.to_string()).collect(),
                    QuestionKind::Single { options } | QuestionKind::Multiple { options } => options.clone(),
                    QuestionKind::Text { .. } => {
                        return Err(SurveyError::BranchOnText {
                            survey: survey(),
                            question: question(),
                            on: target.id.clone(),
                        })
                    }
                };
                if let Some(value) = cond.is_any_of.iter().find(|v| !possible.contains(v)) {
                    return Err(SurveyError::BranchValue {
                        survey: survey(),
                        question: question(),
                        on: target.id.clone(),
                        value: value.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// An NPS score.
    Score(u8),
    /// A Likert label or a single choice.
    Choice(String),
    /// Several choices.
    Choices(Vec<String>),
}

/// Why an answer does not fit its question.
#[allow(missing_docs)] // the fields are what the messages name
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// No such question in this survey.
    #[error("this survey has no question “{0}”")]
    NoSuchQuestion(String),
    /// The answer is not one the question allows.
    #[error("that is not an answer to “{question}”: {problem}")]
    DoesNotFit { question: String, problem: String },
    /// Required questions still unanswered.
    #[error("please answer: {0}")]
    Unanswered(String),
    /// Already sent.
    #[error("this survey has already been sent")]
    AlreadySent,
}

/// A member's answers to one survey, kept in the vault until delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveyResponse {
    /// Made on the device: the list item's key, so a retry never inserts twice.
    pub response_id: String,
    /// Which survey.
    pub survey_id: String,
    /// Which wording.
    pub survey_version: u32,
    /// When the member started.
    pub started_at: DateTime<Utc>,
    /// The answers so far, by question id.
    pub answers: BTreeMap<String, Answer>,
    /// When the member sent it (it then waits for delivery).
    pub submitted_at: Option<DateTime<Utc>>,
}

impl SurveyResponse {
    /// A new, empty response to `survey`.
    pub fn start(survey: &SurveyDefinition, now: DateTime<Utc>) -> Self {
        Self {
            response_id: uuid::Uuid::new_v4().to_string(),
            survey_id: survey.id.clone(),
            survey_version: survey.version,
            started_at: now,
            answers: BTreeMap::new(),
            submitted_at: None,
        }
    }

    /// Whether `q` is asked, given the answers so far.
    pub fn asks(&self, q: &Question) -> bool {
        let Some(cond) = &q.show_if else { return true };
        match self.answers.get(&cond.question) {
            Some(Answer::Score(n)) => cond.is_any_of.contains(&n.to_string()),
            Some(Answer::Choice(c)) => cond.is_any_of.contains(c),
            Some(Answer::Choices(cs)) => cs.iter().any(|c| cond.is_any_of.contains(c)),
            None => false,
        }
    }

    /// The questions asked, given the answers so far, in order.
    pub fn questions<'a>(&'a self, survey: &'a SurveyDefinition) -> impl Iterator<Item = &'a Question> + 'a {
        survey.questions.iter().filter(move |q| self.asks(q))
    }

    /// The first question asked that has no answer yet (where a resumed survey carries on).
    pub fn next<'a>(&self, survey: &'a SurveyDefinition) -> Option<&'a Question> {
        survey.questions.iter().find(|q| self.asks(q) && !self.answers.contains_key(&q.id))
    }

    /// Records (or replaces, or with `None` clears) the answer to `question`. Answers to
    /// questions a change of answer has hidden are dropped, so nothing hidden is sent.
    pub fn answer(
        &mut self,
        survey: &SurveyDefinition,
        question: &str,
        answer: Option<Answer>,
    ) -> Result<(), AnswerError> {
        if self.submitted_at.is_some() {
            return Err(AnswerError::AlreadySent);
        }
        let q = survey
            .questions
            .iter()
            .find(|q| q.id == question)
            .ok_or_else(|| AnswerError::NoSuchQuestion(question.into()))?;
        let misfit = |problem: &str| AnswerError::DoesNotFit { question: q.text.clone(), problem: problem.into() };
        match (&q.kind, &answer) {
            (_, None) => {}
            (QuestionKind::Nps, Some(Answer::Score(n))) if *n <= 10 => {}
            (QuestionKind::Likert { scale: options }, Some(Answer::Choice(c)))
            | (QuestionKind::Single { options }, Some(Answer::Choice(c)))
                if options.contains(c) => {}
            (QuestionKind::Multiple { options }, Some(Answer::Choices(cs)))
                if cs.iter().all(|c| options.contains(c)) => {}
            (QuestionKind::Text { max_length }, Some(Answer::Choice(t))) if t.chars().count() <= *max_length => {}
            (QuestionKind::Text { max_length }, Some(Answer::Choice(_))) => {
                return Err(misfit(&format!("at most {max_length} characters, please")))
            }
            _ => return Err(misfit("choose one of the answers offered")),
        }
        match answer {
            Some(a) => self.answers.insert(question.to_owned(), a),
            None => self.answers.remove(question),
        };
        let hidden: Vec<String> = survey.questions.iter().filter(|q| !self.asks(q)).map(|q| q.id.clone()).collect();
        for id in hidden {
            self.answers.remove(&id);
        }
        Ok(())
    }

    /// Marks it sent, if every required question asked has an answer.
    pub fn submit(&mut self, survey: &SurveyDefinition, now: DateTime<Utc>) -> Result<(), AnswerError> {
        if self.submitted_at.is_some() {
            return Err(AnswerError::AlreadySent);
        }
        let missing: Vec<String> = self
            .questions(survey)
            .filter(|q| q.required && !self.answers.contains_key(&q.id))
            .map(|q| format!("“{}”", q.text))
            .collect();
        if !missing.is_empty() {
            return Err(AnswerError::Unanswered(missing.join(", ")));
        }
        self.submitted_at = Some(now);
        Ok(())
    }
}

/// The trial's surveys, shipped with the app: baseline, monthly pulse, exit, and the two asked
/// after an event.
pub fn trial_surveys() -> Vec<SurveyDefinition> {
    [
        include_str!("../surveys/baseline.toml"),
        include_str!("../surveys/monthly-pulse.toml"),
        include_str!("../surveys/exit.toml"),
        include_str!("../surveys/after-data-warning.toml"),
        include_str!("../surveys/after-support.toml"),
    ]
    .iter()
    .filter_map(|text| SurveyDefinition::from_toml(text).ok())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "format = 1\nid = \"t\"\nversion = 1\ntitle = \"Test\"\n";

    fn err(questions: &str) -> String {
        SurveyDefinition::from_toml(&format!("{BASE}{questions}")).expect_err("invalid").to_string()
    }

    #[test]
    fn the_monthly_pulse_asks_calls_made_and_received_in_ranges_and_may_be_sent_without_them() {
        let pulse = trial_surveys().into_iter().find(|s| s.id == "monthly-pulse").expect("the pulse ships");
        assert_eq!(pulse.version, 3, "its questions changed");
        for id in ["calls-made", "calls-received"] {
            let q = pulse.questions.iter().find(|q| q.id == id).expect(id);
            assert!(!q.required, "{id} is optional");
            match &q.kind {
                QuestionKind::Single { options } => assert_eq!(options.first().map(String::as_str), Some("None")),
                other => panic!("{id} is a choice of ranges, not {other:?}"),
            }
        }
        let mut r = SurveyResponse::start(&pulse, Utc::now());
        r.answer(&pulse, "recommend", Some(Answer::Score(9))).expect("answer");
        r.answer(&pulse, "used-for", Some(Answer::Choices(vec!["Calls".into()]))).expect("answer");
        r.answer(&pulse, "easy", Some(Answer::Choice("Agree".into()))).expect("answer");
        assert_eq!(r.next(&pulse).map(|q| q.id.as_str()), Some("calls-made"));
        r.answer(&pulse, "calls-made", Some(Answer::Choice("6 to 20".into()))).expect("a range");
        assert!(r.answer(&pulse, "calls-received", Some(Answer::Choice("17".into()))).is_err(), "only a range");
        r.submit(&pulse, Utc::now()).expect("sent without the calls received");
    }

    #[test]
    fn the_schema_for_editors_names_the_same_keys_and_kinds_as_the_reader() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../survey.schema.json")).expect("the schema is JSON");
        let keys =
            |v: &serde_json::Value| -> Vec<String> { v.as_object().expect("properties").keys().cloned().collect() };
        let mut top = keys(&schema["properties"]);
        top.sort();
        assert_eq!(top, ["format", "id", "intro", "question", "title", "version"]);
        let mut question = keys(&schema["$defs"]["question"]["properties"]);
        question.sort();
        assert_eq!(question, ["id", "kind", "max-length", "options", "required", "scale", "show-if", "text"]);
        let kinds: Vec<&str> = schema["$defs"]["question"]["properties"]["kind"]["enum"]
            .as_array()
            .expect("kinds")
            .iter()
            .filter_map(|k| k.as_str())
            .collect();
        for kind in &kinds {
            let extra = match *kind {
                "likert" => "scale = [\"1\", \"2\", \"3\", \"4\", \"5\"]\n",
                "single" | "multiple" => "options = [\"a\", \"b\"]\n",
                _ => "",
            };
            SurveyDefinition::from_toml(&format!(
                "{BASE}[[question]]\nid = \"q\"\ntext = \"Q\"\nkind = \"{kind}\"\n{extra}"
            ))
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
        assert_eq!(kinds.len(), 5);
    }

    fn shipped(id: &str) -> SurveyDefinition {
        trial_surveys().into_iter().find(|s| s.id == id).unwrap_or_else(|| panic!("{id} ships"))
    }

    #[test]
    fn the_exit_survey_repeats_the_baselines_measures_word_for_word() {
        let (baseline, exit) = (shipped("baseline"), shipped("exit"));
        for id in ["checks-per-day", "confidence", "missed-info", "sign-in-ease"] {
            let find = |s: &SurveyDefinition| s.questions.iter().find(|q| q.id == id).cloned();
            let (before, after) = (find(&baseline).expect(id), find(&exit).expect(id));
            assert_eq!((&before.text, &before.kind), (&after.text, &after.kind), "{id} is asked alike");
        }
    }

    #[test]
    fn the_surveys_ask_what_the_trial_decision_needs() {
        let asks = |survey: &str, id: &str| shipped(survey).questions.iter().any(|q| q.id == id);
        // A range of roles (paragraph 25), required so every response can be split by it.
        assert!(shipped("baseline").questions.iter().any(|q| q.id == "role" && q.required));
        for id in ["accessibility", "sign-in-ease"] {
            assert!(asks("baseline", id), "baseline: {id}");
        }
        for id in
            ["compared-with-laptop", "sign-in-ease", "lost-worry", "help-outside", "offer-all", "accessibility-fit"]
        {
            assert!(asks("exit", id), "exit: {id}");
        }
        for id in ["calls-made", "calls-received", "sign-in-trouble"] {
            assert!(asks("monthly-pulse", id), "pulse: {id}");
        }
    }

    /// A member's time on a survey answered straight through: reading the question and its
    /// choices at 200 words a minute (a slow silent reading pace), and three seconds a tap;
    /// optional free text is left blank, as most members leave it.
    fn seconds_to_answer(survey: &SurveyDefinition) -> f64 {
        let words = |s: &str| s.split_whitespace().count() as f64;
        survey
            .questions
            .iter()
            .filter(|q| q.show_if.is_none())
            .filter(|q| q.required || !matches!(q.kind, QuestionKind::Text { .. }))
            .map(|q| {
                let choices = match &q.kind {
                    QuestionKind::Likert { scale } => scale.iter().map(|c| words(c)).sum(),
                    QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                        options.iter().map(|c| words(c)).sum()
                    }
                    QuestionKind::Nps => 11.0,
                    QuestionKind::Text { .. } => 0.0,
                };
                (words(&q.text) + choices) / (200.0 / 60.0) + 3.0
            })
            .sum()
    }

    #[test]
    fn the_monthly_pulse_takes_under_a_minute() {
        let pulse = seconds_to_answer(&shipped("monthly-pulse"));
        assert!(pulse < 60.0, "the pulse takes {pulse:.0} s");
        assert!(seconds_to_answer(&shipped("exit")) > pulse, "the measure can tell surveys apart");
    }

    #[test]
    fn the_shipped_surveys_are_all_valid() {
        assert_eq!(trial_surveys().len(), 5, "a shipped survey failed to validate");
        for text in [
            include_str!("../surveys/baseline.toml"),
            include_str!("../surveys/monthly-pulse.toml"),
            include_str!("../surveys/exit.toml"),
            include_str!("../surveys/after-data-warning.toml"),
            include_str!("../surveys/after-support.toml"),
        ] {
            SurveyDefinition::from_toml(text).expect("valid");
        }
    }

    #[test]
    fn each_kind_of_mistake_gets_a_message_naming_the_question_and_the_problem() {
        let cases = [
            ("format = 2\nid = \"t\"\nversion = 1\ntitle = \"T\"\n[[question]]\nid = \"a\"\ntext = \"A\"\nkind = \"nps\"\n", "format 2"),
            ("[[question]]\nid = \"a\"\ntext = \"A\"\nkind = \"stars\"\n", "question “a”: the kind “stars” is not one of"),
            ("[[question]]\nid = \"a\"\ntext = \"A\"\nkind = \"nps\"\noptions = [\"x\", \"y\"]\n", "question “a”: `options` does not belong to a nps question"),
            ("[[question]]\nid = \"a\"\ntext = \"A\"\nkind = \"single\"\n", "question “a”: a single question needs `options`"),
            ("[[question]]\nid = \"a\"\ntext = \"A\"\nkind = \"nps\"\ncolour = \"red\"\n", "colour"),
            ("", "no questions"),
            ("[[question]]\nid = \"a\"\ntext = \" \"\nkind = \"nps\"\n", "the text of question “a” is empty"),
            ("[[question]]\nid = \"a\"\ntext = \"A\"\nkind = \"nps\"\n[[question]]\nid = \"a\"\ntext = \"B\"\nkind = \"nps\"\n", "two questions have the id “a”"),
            ("[[question]]\nid = \"pick\"\ntext = \"A\"\nkind = \"single\"\noptions = [\"Yes\"]\n", "question “pick”: a choice needs at least two options"),
            ("[[question]]\nid = \"pick\"\ntext = \"A\"\nkind = \"multiple\"\noptions = [\"Yes\", \"Yes\"]\n", "the option “Yes” is listed twice"),
            ("[[question]]\nid = \"agree\"\ntext = \"A\"\nkind = \"likert\"\nscale = [\"No\", \"Yes\"]\n", "question “agree”: a scale needs 5 or 7 labels, not 2"),
            ("[[question]]\nid = \"say\"\ntext = \"A\"\nkind = \"text\"\nmax-length = 0\n", "question “say”: the text limit"),
            ("[[question]]\nid = \"why\"\ntext = \"Why?\"\nkind = \"text\"\nshow-if = { question = \"later\", is-any-of = [\"1\"] }\n[[question]]\nid = \"later\"\ntext = \"B\"\nkind = \"nps\"\n", "question “why”: it depends on “later”, which is not an earlier question"),
            ("[[question]]\nid = \"score\"\ntext = \"A\"\nkind = \"nps\"\n[[question]]\nid = \"why\"\ntext = \"Why?\"\nkind = \"text\"\nshow-if = { question = \"score\", is-any-of = [\"11\"] }\n", "question “why”: “score” cannot be answered “11”"),
            ("[[question]]\nid = \"say\"\ntext = \"A\"\nkind = \"text\"\n[[question]]\nid = \"why\"\ntext = \"Why?\"\nkind = \"nps\"\nshow-if = { question = \"say\", is-any-of = [\"x\"] }\n", "whose answer is free text"),
        ];
        for (questions, expected) in cases {
            let text = if questions.starts_with("format") {
                SurveyDefinition::from_toml(questions).expect_err("invalid").to_string()
            } else {
                err(questions)
            };
            assert!(text.contains(expected), "expected “{expected}” in: {text}");
        }
    }

    #[test]
    fn a_branch_asks_the_follow_up_only_after_a_low_score_and_drops_it_when_the_score_changes() {
        let def = SurveyDefinition::from_toml(&format!(
            "{BASE}[[question]]\nid = \"nps\"\ntext = \"Recommend?\"\nkind = \"nps\"\nrequired = true\n[[question]]\nid = \"why\"\ntext = \"What would make it better?\"\nkind = \"text\"\nrequired = true\nshow-if = {{ question = \"nps\", is-any-of = [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\"] }}\n"
        ))
        .expect("valid");
        let now = Utc::now();
        let mut r = SurveyResponse::start(&def, now);
        assert_eq!(r.next(&def).map(|q| q.id.as_str()), Some("nps"));
        r.answer(&def, "nps", Some(Answer::Score(3))).expect("answer");
        assert_eq!(r.next(&def).map(|q| q.id.as_str()), Some("why"), "a low score asks why");
        assert!(matches!(r.submit(&def, now), Err(AnswerError::Unanswered(q)) if q.contains("better")));
        r.answer(&def, "why", Some(Answer::Choice("Battery life".into()))).expect("answer");
        r.answer(&def, "nps", Some(Answer::Score(9))).expect("change of mind");
        assert!(!r.answers.contains_key("why"), "the hidden follow-up's answer is not kept");
        assert!(r.answer(&def, "nps", Some(Answer::Score(11))).is_err());
        assert!(r.answer(&def, "nps", Some(Answer::Choice("9".into()))).is_err());
        r.submit(&def, now).expect("complete");
        assert_eq!(r.answer(&def, "nps", Some(Answer::Score(1))), Err(AnswerError::AlreadySent));
    }
}
