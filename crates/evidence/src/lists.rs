//! The trial's SharePoint lists as data: each list's columns with their types and indexes,
//! who may read which items, and the views an officer opens. `member-companion-admin
//! provision` makes the lists from this; [`crate::ListDelivery`] writes items that fit it.
//! One schema, so what the app writes and what the site holds cannot drift apart.

use companion_graph::Feature;

/// A column's type, as the officer filters and charts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// One line of text (up to 255 characters).
    Text,
    /// Several lines of text.
    Note,
    /// A number.
    Number,
    /// Yes or no.
    YesNo,
    /// A date and time (UTC).
    DateTime,
    /// One of the given values.
    Choice(&'static [&'static str]),
}

/// One column of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The internal name (what Graph's `fields` use); letters and digits.
    pub name: String,
    /// What the officer sees as the column's heading.
    pub title: String,
    /// Its type.
    pub kind: ColumnKind,
    /// Indexed: the app and the report filter on it, which SharePoint allows on a large list
    /// only for an indexed column.
    pub indexed: bool,
}

impl ColumnSpec {
    fn new(name: impl Into<String>, title: impl Into<String>, kind: ColumnKind) -> Self {
        Self { name: name.into(), title: title.into(), kind, indexed: false }
    }

    fn indexed(mut self) -> Self {
        self.indexed = true;
        self
    }
}

/// A public view of a list: the columns an officer sees, and its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSpec {
    /// Its name in the list's view menu.
    pub title: &'static str,
    /// The columns, in order (internal names).
    pub fields: Vec<String>,
    /// SharePoint's CAML query (ordering, grouping), without the `<Query>` element.
    pub query: &'static str,
}

/// Which of the trial's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialList {
    /// One item per survey response.
    Surveys,
    /// One item per answer, to filter and chart by question.
    SurveyAnswers,
    /// Requests for help, with the service desk's fields.
    Support,
    /// One item per member per billing cycle.
    Usage,
    /// The council's requests to wipe a device.
    DeviceWipes,
    /// Surveys the officers publish on the site (TOML, checked by the app before use).
    SurveyDefinitions,
    /// What the app found wrong with a published survey, for the officers.
    SurveyProblems,
}

/// What members may do with a list's items (SharePoint's item-level permissions; the site's
/// owners, the officers and ICT, may do everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAccess {
    /// Read and edit only the items they added: each member's evidence is theirs and the officers'.
    OwnItems,
    /// Read and edit every item (the wipe list: ICT adds, the device marks done).
    AllItems,
    /// Read every item, edit only their own (survey problems: one report serves every device).
    ReadAllEditOwn,
    /// Read every item, add or edit none (the officers' published surveys).
    ReadOnly,
}

impl MemberAccess {
    /// SharePoint's `ReadSecurity` and `WriteSecurity` for it.
    pub fn security(self) -> (u8, u8) {
        match self {
            MemberAccess::OwnItems => (2, 2),
            MemberAccess::AllItems => (1, 1),
            MemberAccess::ReadAllEditOwn => (1, 2),
            MemberAccess::ReadOnly => (1, 4),
        }
    }
}

/// One of the trial's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSpec {
    /// Which list.
    pub role: TrialList,
    /// Its address on the site (`/Lists/{name}`) and the name the app's configuration uses by default.
    pub name: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Its own columns (SharePoint adds `Title` and the rest).
    pub columns: Vec<ColumnSpec>,
    /// What members may do with its items.
    pub access: MemberAccess,
    /// Its views.
    pub views: Vec<ViewSpec>,
}

impl ListSpec {
    /// A column by its internal name.
    pub fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Something the member did in the app, counted (never what it was about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Use {
    /// Opened a message.
    MailOpened,
    /// Sent a reply.
    Reply,
    /// Sent a new message.
    Send,
    /// Forwarded a message.
    Forward,
    /// Attached a file.
    AttachmentAdded,
    /// Opened an attachment.
    AttachmentOpened,
    /// Searched the cache.
    Search,
    /// Searched older mail on the server.
    SearchServer,
    /// Opened a meeting.
    EventOpened,
    /// Answered an invitation.
    InvitationAnswered,
    /// Opened a contact.
    ContactOpened,
    /// Searched the council's directory.
    DirectorySearched,
    /// Opened a person in the directory.
    DirectoryPersonOpened,
    /// Started a call from the app (`tel:`).
    CallStarted,
    /// Started a text message from the app (`sms:`).
    TextStarted,
    /// Asked for help.
    Help,
    /// The app locked (after the council's idle time, or the member locked it).
    Locked,
}

impl Use {
    /// Every use, in the order the list's columns have them.
    pub const ALL: [Use; 17] = [
        Use::MailOpened,
        Use::Reply,
        Use::Send,
        Use::Forward,
        Use::AttachmentAdded,
        Use::AttachmentOpened,
        Use::Search,
        Use::SearchServer,
        Use::EventOpened,
        Use::InvitationAnswered,
        Use::ContactOpened,
        Use::DirectorySearched,
        Use::DirectoryPersonOpened,
        Use::CallStarted,
        Use::TextStarted,
        Use::Help,
        Use::Locked,
    ];

    /// The key the vault counts it under (kept stable: counts already on devices use it).
    pub fn key(self) -> &'static str {
        match self {
            Use::MailOpened => "mail-opened",
            Use::Reply => "reply",
            Use::Send => "send",
            Use::Forward => "forward",
            Use::AttachmentAdded => "attachment-added",
            Use::AttachmentOpened => "attachment-opened",
            Use::Search => "search",
            Use::SearchServer => "search-server",
            Use::EventOpened => "event-opened",
            Use::InvitationAnswered => "invitation-answered",
            Use::ContactOpened => "contact-opened",
            Use::DirectorySearched => "directory-searched",
            Use::DirectoryPersonOpened => "directory-person-opened",
            Use::CallStarted => "call-started",
            Use::TextStarted => "text-started",
            Use::Help => "help",
            Use::Locked => "locked",
        }
    }

    /// The use a vault key names.
    pub fn from_key(key: &str) -> Option<Use> {
        Use::ALL.into_iter().find(|u| u.key() == key)
    }

    /// Its column in the usage reports list, e.g. `UsesMailOpened`.
    pub fn column(self) -> String {
        format!("Uses{}", pascal(self.key()))
    }
}

/// `mail-bodies` → `MailBodies`.
fn pascal(key: &str) -> String {
    key.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The metered features whose bytes a usage report carries, each on mobile data and Wi-Fi.
pub const METERED_FEATURES: [Feature; 10] = [
    Feature::SignIn,
    Feature::MailHeaders,
    Feature::MailBodies,
    Feature::Attachments,
    Feature::Calendar,
    Feature::Contacts,
    Feature::Directory,
    Feature::Evidence,
    Feature::Protection,
    Feature::CommitteePapers,
];

/// The usage list's columns for a feature's bytes: `MailBodiesMobileBytes`, `MailBodiesWifiBytes`.
pub fn byte_columns(feature: &str) -> (String, String) {
    let f = pascal(feature);
    (format!("{f}MobileBytes"), format!("{f}WifiBytes"))
}

/// The service desk's statuses.
pub const SUPPORT_STATUSES: &[&str] = &["New", "In progress", "Waiting for member", "Resolved"];
/// How hard a request was, as the desk judges it.
pub const SUPPORT_COMPLEXITIES: &[&str] = &["Simple", "Moderate", "Complex"];
/// What a request is about (the app's categories, as the member saw them).
pub const SUPPORT_CATEGORIES: &[&str] =
    &["Signing in", "Mail, calendar or contacts", "Data allowance", "The phone", "How do I…", "Something else"];
/// Which figure decided whether a cycle went over the cap.
pub const CAP_BASES: &[&str] = &["Phone", "App only"];
/// Where a wipe request stands.
pub const WIPE_STATUSES: &[&str] = &["Requested", "Done"];

/// The trial's lists, as `provision` makes them and the app writes them.
pub fn trial_lists() -> Vec<ListSpec> {
    use ColumnKind::*;
    let c = ColumnSpec::new;
    let member = || c("MemberCode", "Member code", Text).indexed();
    let mut usage = vec![
        c("ReportId", "Report id", Text).indexed(),
        member(),
        c("CycleStart", "Cycle start", DateTime).indexed(),
        c("CycleEnd", "Cycle end", DateTime),
        c("Partial", "Cycle not yet ended", YesNo),
        c("AppMobileBytes", "App bytes on mobile data", Number),
        c("AppWifiBytes", "App bytes on Wi-Fi", Number),
        c("PhoneMobileBytes", "Phone's mobile data (member's reading)", Number),
        c("CapBytes", "Monthly cap (bytes)", Number),
        c("OverCap", "Over the cap", YesNo),
        c("CapBasis", "Over the cap judged on", Choice(CAP_BASES)),
        c("OverageChargePence", "Overage charge (pence)", Number),
        c("CallsStarted", "Calls started from the app", Number),
        c("TextsStarted", "Texts started from the app", Number),
        c("ActiveDays", "Days used", Number),
        c("SyncErrors", "Failed updates", Number),
        c("MedianOpenMessageMs", "Median time to open a message (ms)", Number),
        c("MedianSearchMs", "Median time to search (ms)", Number),
        c("MedianUpdateMs", "Median time for an update (ms)", Number),
        c("TextSizePercent", "Largest text size seen (% of standard)", Number),
        c("ReducedMotion", "Reduce motion on", YesNo),
        c("MoreContrast", "More contrast on", YesNo),
        c("ForcedColours", "High contrast colours on", YesNo),
        c("AppVersion", "App version", Text),
    ];
    for f in METERED_FEATURES {
        let (mobile, wifi) = byte_columns(f.as_str());
        usage.push(ColumnSpec::new(mobile, format!("{} bytes on mobile data", f.as_str()), Number));
        usage.push(ColumnSpec::new(wifi, format!("{} bytes on Wi-Fi", f.as_str()), Number));
    }
    for u in Use::ALL {
        usage.push(ColumnSpec::new(u.column(), format!("Times: {}", u.key().replace('-', " ")), Number));
    }
    let fields = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    vec![
        ListSpec {
            role: TrialList::Surveys,
            name: "MemberSurveys",
            title: "Member surveys",
            columns: vec![
                c("ResponseId", "Response id", Text).indexed(),
                member(),
                c("SurveyId", "Survey", Text).indexed(),
                c("SurveyVersion", "Survey version", Number),
                c("StartedAt", "Started", DateTime),
                c("SubmittedAt", "Sent", DateTime).indexed(),
                c("QuestionsAnswered", "Questions answered", Number),
            ],
            access: MemberAccess::OwnItems,
            views: vec![ViewSpec {
                title: "By survey",
                fields: fields(&["SurveyId", "SurveyVersion", "MemberCode", "SubmittedAt", "QuestionsAnswered"]),
                query: r#"<GroupBy Collapse="TRUE"><FieldRef Name="SurveyId"/></GroupBy><OrderBy><FieldRef Name="SubmittedAt" Ascending="FALSE"/></OrderBy>"#,
            }],
        },
        ListSpec {
            role: TrialList::SurveyAnswers,
            name: "SurveyAnswers",
            title: "Survey answers",
            columns: vec![
                c("AnswerKey", "Answer key", Text).indexed(),
                c("ResponseId", "Response id", Text).indexed(),
                member(),
                c("SurveyId", "Survey", Text).indexed(),
                c("SurveyVersion", "Survey version", Number),
                c("QuestionId", "Question", Text).indexed(),
                c("Choice", "Answer", Text),
                c("Choices", "Answers (several)", Note),
                c("Score", "Score", Number),
                c("AnswerText", "Answer in words", Note),
            ],
            access: MemberAccess::OwnItems,
            views: vec![ViewSpec {
                title: "By question",
                fields: fields(&["SurveyId", "QuestionId", "Choice", "Score", "MemberCode"]),
                query: r#"<GroupBy Collapse="TRUE"><FieldRef Name="SurveyId"/><FieldRef Name="QuestionId"/></GroupBy>"#,
            }],
        },
        ListSpec {
            role: TrialList::Support,
            name: "SupportRequests",
            title: "Support requests",
            columns: vec![
                c("RequestId", "Request id", Text).indexed(),
                member(),
                c("Category", "About", Choice(SUPPORT_CATEGORIES)),
                c("Description", "In the member's words", Note),
                c("CreatedAt", "Asked", DateTime).indexed(),
                c("AppVersion", "App version", Text),
                c("Platform", "Platform", Text),
                c("LastSyncedAt", "Last update", DateTime),
                c("Online", "Reached the council", YesNo),
                c("RecentErrors", "Recent problems", Text),
                c("DataLevel", "Data saving level", Text),
                c("OutboxWaiting", "Waiting to send", Number),
                c("CachedMessages", "Messages on the device", Number),
                c("Status", "Status", Choice(SUPPORT_STATUSES)).indexed(),
                c("ResolvedOn", "Resolved on", DateTime),
                c("MinutesSpent", "Minutes spent", Number),
                c("Complexity", "Complexity", Choice(SUPPORT_COMPLEXITIES)),
                c("Answer", "Answer to the member", Note),
            ],
            access: MemberAccess::OwnItems,
            views: vec![
                ViewSpec {
                    title: "Open requests",
                    fields: fields(&["CreatedAt", "MemberCode", "Category", "Description", "Status"]),
                    query: r#"<Where><Neq><FieldRef Name="Status"/><Value Type="Choice">Resolved</Value></Neq></Where><OrderBy><FieldRef Name="CreatedAt"/></OrderBy>"#,
                },
                ViewSpec {
                    title: "Effort by category",
                    fields: fields(&["Category", "MemberCode", "MinutesSpent", "Complexity", "ResolvedOn"]),
                    query: r#"<GroupBy Collapse="TRUE"><FieldRef Name="Category"/></GroupBy>"#,
                },
            ],
        },
        ListSpec {
            role: TrialList::Usage,
            name: "UsageReports",
            title: "Usage reports",
            columns: usage,
            access: MemberAccess::OwnItems,
            views: vec![
                ViewSpec {
                    title: "By billing cycle",
                    fields: fields(&[
                        "CycleStart",
                        "MemberCode",
                        "AppMobileBytes",
                        "PhoneMobileBytes",
                        "OverCap",
                        "OverageChargePence",
                        "CallsStarted",
                        "ActiveDays",
                    ]),
                    query: r#"<GroupBy Collapse="TRUE"><FieldRef Name="CycleStart"/></GroupBy>"#,
                },
                ViewSpec {
                    title: "Cycles over the cap",
                    fields: fields(&[
                        "CycleStart",
                        "MemberCode",
                        "PhoneMobileBytes",
                        "AppMobileBytes",
                        "CapBasis",
                        "OverageChargePence",
                    ]),
                    query: r#"<Where><Eq><FieldRef Name="OverCap"/><Value Type="Boolean">1</Value></Eq></Where>"#,
                },
            ],
        },
        ListSpec {
            role: TrialList::DeviceWipes,
            name: "DeviceWipeRequests",
            title: "Device wipe requests",
            columns: vec![
                c("DeviceCode", "Device code", Text).indexed(),
                c("Status", "Status", Choice(WIPE_STATUSES)),
                c("RequestedBy", "Requested by", Text),
                c("DoneAt", "Wiped at", DateTime),
            ],
            access: MemberAccess::AllItems,
            views: vec![ViewSpec {
                title: "Waiting",
                fields: fields(&["DeviceCode", "RequestedBy", "Status"]),
                query: r#"<Where><Eq><FieldRef Name="Status"/><Value Type="Choice">Requested</Value></Eq></Where>"#,
            }],
        },
        ListSpec {
            role: TrialList::SurveyDefinitions,
            name: "TrialSurveys",
            title: "Trial surveys",
            columns: vec![
                c("SurveyId", "Survey", Text).indexed(),
                c("SurveyVersion", "Version", Number),
                c("Published", "Published", YesNo),
                c("Definition", "Definition (TOML)", Note),
            ],
            access: MemberAccess::ReadOnly,
            views: vec![ViewSpec {
                title: "Published",
                fields: fields(&["SurveyId", "SurveyVersion", "Published"]),
                query: r#"<Where><Eq><FieldRef Name="Published"/><Value Type="Boolean">1</Value></Eq></Where>"#,
            }],
        },
        ListSpec {
            role: TrialList::SurveyProblems,
            name: "SurveyProblems",
            title: "Survey problems",
            columns: vec![
                c("ProblemKey", "Problem key", Text).indexed(),
                c("SurveyId", "Survey", Text),
                c("SurveyVersion", "Version", Number),
                c("Problem", "What is wrong", Note),
            ],
            access: MemberAccess::ReadAllEditOwn,
            views: vec![ViewSpec {
                title: "By survey",
                fields: fields(&["SurveyId", "SurveyVersion", "Problem"]),
                query: r#"<OrderBy><FieldRef Name="Created" Ascending="FALSE"/></OrderBy>"#,
            }],
        },
    ]
}

/// The schema of one list.
pub fn list_spec(role: TrialList) -> ListSpec {
    trial_lists().into_iter().find(|l| l.role == role).unwrap_or_else(|| unreachable!("every list is in the schema"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_column_name_is_unique_in_its_list_and_a_valid_sharepoint_name() {
        for list in trial_lists() {
            let mut seen = HashSet::new();
            for c in &list.columns {
                assert!(seen.insert(&c.name), "{} twice in {}", c.name, list.name);
                assert!(c.name.len() <= 32 && c.name.chars().all(|ch| ch.is_ascii_alphanumeric()), "{}", c.name);
            }
            for v in &list.views {
                assert!(v.fields.iter().all(|f| list.column(f).is_some()), "view {} of {}", v.title, list.name);
            }
        }
    }

    #[test]
    fn the_key_each_delivery_filters_on_is_indexed() {
        let indexed = |role, name| list_spec(role).column(name).is_some_and(|c| c.indexed);
        assert!(indexed(TrialList::Surveys, "ResponseId"));
        assert!(indexed(TrialList::SurveyAnswers, "AnswerKey"));
        assert!(indexed(TrialList::Support, "RequestId"));
        assert!(indexed(TrialList::Support, "MemberCode"));
        assert!(indexed(TrialList::Usage, "ReportId"));
        assert!(indexed(TrialList::DeviceWipes, "DeviceCode"));
        assert!(indexed(TrialList::SurveyProblems, "ProblemKey"));
    }

    #[test]
    fn a_use_round_trips_through_its_vault_key_and_has_a_usage_column() {
        let usage = list_spec(TrialList::Usage);
        for u in Use::ALL {
            assert_eq!(Use::from_key(u.key()), Some(u));
            assert!(usage.column(&u.column()).is_some(), "{}", u.column());
        }
        assert_eq!(Use::MailOpened.column(), "UsesMailOpened");
        assert_eq!(byte_columns("mail-bodies"), ("MailBodiesMobileBytes".into(), "MailBodiesWifiBytes".into()));
    }

    #[test]
    fn the_support_categories_are_the_labels_the_app_shows() {
        use crate::SupportCategory::*;
        let labels: Vec<&str> = [SignIn, Sync, Data, Device, HowTo, Other].iter().map(|c| c.label()).collect();
        assert_eq!(labels, SUPPORT_CATEGORIES);
    }
}
