//! Member feedback: how likely members were to recommend the phone, what changed between the
//! baseline and the exit survey on the measures both ask, and how each question was answered.
//! Free text appears only from responses that agreed to be quoted, and never with a member's
//! name or code.

use crate::tables::{members_cell, Cell, ReportInputs, Table, SMALLEST_GROUP};
use crate::AnswerRow;
use companion_evidence::{trial_surveys, QuestionKind};
use std::collections::{BTreeMap, BTreeSet};

/// Each member's latest answer to `question` of `survey` (by the response's sending day).
fn latest<'a>(inputs: &'a ReportInputs, survey: &str, question: &str) -> BTreeMap<&'a str, &'a AnswerRow> {
    let sent: BTreeMap<&str, _> = inputs.responses.iter().map(|r| (r.response_id.as_str(), r.submitted)).collect();
    let mut out: BTreeMap<&str, (&AnswerRow, Option<chrono::NaiveDate>)> = BTreeMap::new();
    for a in inputs.answers.iter().filter(|a| a.survey == survey && a.question == question) {
        let when = sent.get(a.response_id.as_str()).copied().flatten();
        match out.get(a.member.as_str()) {
            Some((_, before)) if *before >= when => {}
            _ => {
                out.insert(a.member.as_str(), (a, when));
            }
        }
    }
    out.into_iter().map(|(m, (a, _))| (m, a)).collect()
}

/// The Net Promoter Score, per survey that asks it: members' latest answers.
pub(crate) fn recommend(inputs: &ReportInputs) -> Table {
    let rows = ["monthly-pulse", "exit"]
        .iter()
        .map(|survey| {
            let scores: Vec<u64> = latest(inputs, survey, "recommend").values().filter_map(|a| a.score).collect();
            let mut row = vec![Cell::Text(survey_title(survey))];
            if scores.len() < SMALLEST_GROUP {
                row.extend([Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
            } else {
                let n = scores.len() as i64;
                let promoters = scores.iter().filter(|s| **s >= 9).count() as i64;
                let detractors = scores.iter().filter(|s| **s <= 6).count() as i64;
                // Rounded half away from zero, as NPS is usually quoted.
                let nps = ((promoters - detractors) * 200 + n * sign(promoters - detractors)) / (2 * n);
                row.extend([
                    Cell::Count(n as u64),
                    members_cell(promoters as usize),
                    members_cell((n - promoters - detractors) as usize),
                    members_cell(detractors as usize),
                    Cell::Text(format!("{nps:+}")),
                ]);
            }
            row
        })
        .collect();
    Table {
        id: "recommend",
        title: "Would members recommend the phone?".into(),
        caption: "Net Promoter Score from each member's latest answer: promoters scored 9 or 10, detractors 0 to 6; the score is the percentage of promoters less the percentage of detractors (−100 to +100).".into(),
        headers: ["Survey", "Members", "Promoters", "Passives", "Detractors", "Net Promoter Score"].map(String::from).to_vec(),
        rows,
    }
}

fn sign(n: i64) -> i64 {
    n.signum()
}

fn survey_title(id: &str) -> String {
    trial_surveys().into_iter().find(|s| s.id == id).map_or_else(|| id.to_owned(), |s| s.title)
}

/// The options of a question in the app's order (the shipped survey's), for a scale.
fn scale(survey: &str, question: &str) -> Vec<String> {
    trial_surveys()
        .into_iter()
        .find(|s| s.id == survey)
        .and_then(|s| s.questions.into_iter().find(|q| q.id == question))
        .map(|q| match q.kind {
            QuestionKind::Likert { scale } => scale,
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => options,
            _ => Vec::new(),
        })
        .unwrap_or_default()
}

/// The measures the exit survey repeats from the baseline, and what moving up its scale means.
const REPEATED: [(&str, &str, &str); 4] = [
    ("confidence", "Confident using a smartphone for council work", "more confident"),
    ("checks-per-day", "How often they check council email", "check more often"),
    ("missed-info", "Missed council information away from the laptop", "missed information less"),
    ("sign-in-ease", "Signing in away from the offices", "found signing in easier"),
];

/// Each member's baseline answer set beside their exit answer, for the repeated measures.
pub(crate) fn baseline_to_exit(inputs: &ReportInputs) -> Table {
    let rows = REPEATED
        .iter()
        .map(|(question, what, up)| {
            let options = scale("exit", question);
            // "I don't try" and "Not sure" are not on the scale.
            let place = |a: &AnswerRow| -> Option<i64> {
                let label = a.choice.as_deref()?;
                if matches!(label, "I don't try" | "Not sure") {
                    return None;
                }
                let i = options.iter().position(|o| o == label)? as i64;
                // For these two, the first option is the better one.
                Some(if matches!(*question, "missed-info" | "sign-in-ease") { -i } else { i })
            };
            let before = latest(inputs, "baseline", question);
            let after = latest(inputs, "exit", question);
            let moves: Vec<i64> = before.iter().filter_map(|(m, b)| Some(place(after.get(m)?)? - place(b)?)).collect();
            let mut row = vec![Cell::Text((*what).into()), Cell::Text((*up).into())];
            if moves.len() < SMALLEST_GROUP {
                row.extend([Cell::Suppressed, Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
            } else {
                row.extend([
                    Cell::Count(moves.len() as u64),
                    members_cell(moves.iter().filter(|d| **d > 0).count()),
                    members_cell(moves.iter().filter(|d| **d == 0).count()),
                    members_cell(moves.iter().filter(|d| **d < 0).count()),
                ]);
            }
            row
        })
        .collect();
    Table {
        id: "baseline-to-exit",
        title: "What changed between the baseline and the exit survey".into(),
        caption: "For each measure both surveys ask in the same words: the members who answered both, and how many moved towards the better end, stayed, or moved away from it.".into(),
        headers: ["Measure", "Better means", "Members who answered both", "Better", "The same", "Worse"].map(String::from).to_vec(),
        rows,
    }
}

/// The accessibility settings members use (baseline) and whether the phone worked with them
/// (exit), as answered.
pub(crate) fn accessibility(inputs: &ReportInputs) -> Table {
    let mut rows = Vec::new();
    for (survey, question) in [("baseline", "accessibility"), ("exit", "accessibility-fit")] {
        question_rows(inputs, survey, question, &mut rows);
    }
    Table {
        id: "accessibility",
        title: "Accessibility settings and whether the phone worked with them".into(),
        caption: "What members said at the start (the settings they use on a phone or computer) and at the end (whether the phone worked with the settings they need), each member's latest answer.".into(),
        headers: ["Question", "Answer", "Members", "Out of"].map(String::from).to_vec(),
        rows,
    }
}

/// How each choice question was answered: members choosing each option (latest answers).
pub(crate) fn answers(inputs: &ReportInputs) -> Table {
    let mut rows = Vec::new();
    let asked: BTreeSet<(&str, &str)> =
        inputs.answers.iter().map(|a| (a.survey.as_str(), a.question.as_str())).collect();
    for (survey, question) in asked {
        question_rows(inputs, survey, question, &mut rows);
    }
    Table {
        id: "answers",
        title: "How members answered".into(),
        caption: "Each choice question by survey: how many members chose each answer (their latest), out of those who answered it.".into(),
        headers: ["Question", "Answer", "Members", "Out of"].map(String::from).to_vec(),
        rows,
    }
}

/// A choice question's rows: each option and the members who chose it (none for a score or
/// free-text question).
fn question_rows(inputs: &ReportInputs, survey: &str, question: &str, rows: &mut Vec<Vec<Cell>>) {
    let latest = latest(inputs, survey, question);
    let chosen: Vec<&AnswerRow> =
        latest.values().copied().filter(|a| a.choice.is_some() || !a.choices.is_empty()).collect();
    if chosen.is_empty() {
        return;
    }
    let name = format!("{} · {question}", survey_title(survey));
    if chosen.len() < SMALLEST_GROUP {
        rows.push(vec![Cell::Text(name), Cell::Suppressed, Cell::Suppressed, Cell::Suppressed]);
        return;
    }
    let mut options = scale(survey, question);
    for a in &chosen {
        for label in a.choice.iter().chain(&a.choices) {
            if !options.contains(label) {
                options.push(label.clone());
            }
        }
    }
    for option in options {
        let n = chosen.iter().filter(|a| a.choice.as_ref() == Some(&option) || a.choices.contains(&option)).count();
        rows.push(vec![
            Cell::Text(name.clone()),
            Cell::Text(option),
            members_cell(n),
            Cell::Count(chosen.len() as u64),
        ]);
    }
}

/// What members wrote, from responses whose "may we quote you" answer was yes; no name or
/// code beside it.
pub(crate) fn comments(inputs: &ReportInputs) -> Table {
    let agreed: BTreeSet<&str> = inputs
        .answers
        .iter()
        .filter(|a| a.question == "quote-consent" && a.choice.as_deref() == Some("Yes"))
        .map(|a| a.response_id.as_str())
        .collect();
    let questions = trial_surveys();
    let mut rows: Vec<Vec<Cell>> = inputs
        .answers
        .iter()
        .filter(|a| agreed.contains(a.response_id.as_str()))
        .filter_map(|a| {
            let text = a.text.as_deref()?.trim();
            let asked = questions
                .iter()
                .find(|s| s.id == a.survey)
                .and_then(|s| s.questions.iter().find(|q| q.id == a.question))
                .map_or_else(|| a.question.clone(), |q| q.text.clone());
            (!text.is_empty()).then(|| vec![Cell::Text(asked), Cell::Text(text.to_owned())])
        })
        .collect();
    rows.sort_by_key(|r| r.iter().map(Cell::text).collect::<Vec<_>>());
    Table {
        id: "comments",
        title: "What members wrote".into(),
        caption:
            "Free-text answers from members who agreed that what they wrote may be quoted, without their name or code."
                .into(),
        headers: ["Question", "What they wrote"].map(String::from).to_vec(),
        rows,
    }
}
