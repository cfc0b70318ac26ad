//! The governor: the [`DataPolicy`] the sync engine obeys, in three levels that follow the
//! projection by themselves, which a member can override, and every one of whose decisions
//! can be explained.

use crate::policy::Allowance;
use crate::projection::Projection;
use crate::usage::describe_bytes;
use companion_graph::{Feature, Network};
use companion_sync::{DataPolicy, Decision, Download, PrefetchPlan, Purpose};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;

/// How sparingly the app uses mobile data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// Everything downloads as usual.
    Normal,
    /// Bodies only when opened; attachments and pictures on mobile data ask first; syncs less often.
    Saver,
    /// Headers only in the background; nothing large on mobile data.
    Critical,
}

impl Level {
    /// How often to sync in the background on `network`.
    pub fn sync_interval(self, network: Network) -> Duration {
        match (self, network) {
            (_, Network::Wifi) | (Self::Normal, _) => Duration::from_secs(15 * 60),
            (Self::Saver, _) => Duration::from_secs(30 * 60),
            (Self::Critical, _) => Duration::from_secs(60 * 60),
        }
    }

    /// What the level does, for the data screen.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Normal => "Everything downloads as usual.",
            Self::Saver => "Messages download when you open them; attachments and pictures on mobile data ask first; updates every 30 minutes.",
            Self::Critical => "Only message headers download on mobile data, and nothing large; updates every hour.",
        }
    }
}

/// Files larger than this are "large": never on mobile data at the critical level.
pub const LARGE: u64 = 1024 * 1024;
/// What a body is assumed to cost when its size is unknown (for "spend anyway").
const BODY_ESTIMATE: u64 = 48 * 1024;

/// What one update fetches ahead, and what to tell the member about it while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePlan {
    /// For the sync engine.
    pub prefetch: PrefetchPlan,
    /// Shown while the plan holds something back for Wi-Fi.
    pub note: Option<String>,
}

/// Why the governor is at its level.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The level in force.
    pub level: Level,
    /// The level the projection alone would choose.
    pub automatic: Level,
    /// Why, in plain words.
    pub reason: String,
}

#[derive(Debug)]
struct State {
    automatic: Level,
    reason: String,
    forced: Option<Level>,
    extra_left: u64,
}

/// The data governor. Cheap to share: decisions take a lock for a moment.
#[derive(Debug)]
pub struct Governor {
    state: Mutex<State>,
}

impl Default for Governor {
    fn default() -> Self {
        Self::new()
    }
}

impl Governor {
    /// A governor at the normal level, until its first assessment.
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State {
                automatic: Level::Normal,
                reason: "You are well within your allowance.".into(),
                forced: None,
                extra_left: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Chooses the automatic level from the projection. It steps up as soon as the month looks
    /// heading over, and steps down only with room to spare, so it does not flap.
    pub fn assess(&self, allowance: &Allowance, projection: &Projection) -> Assessment {
        let cap = allowance.cap_bytes as f64;
        let used = projection.used as f64 / cap;
        let heading = projection.expected as f64 / cap;
        let mut s = self.lock();
        let was = s.automatic;
        let level = if used >= 0.9 || heading >= 1.0 || (was == Level::Critical && heading >= 0.9) {
            Level::Critical
        } else if used >= 0.75 || heading >= 0.85 || (was >= Level::Saver && heading >= 0.7) {
            Level::Saver
        } else {
            Level::Normal
        };
        let used_text = describe_bytes(projection.used);
        let expected_text = describe_bytes(projection.expected);
        let cap_text = describe_bytes(allowance.cap_bytes);
        s.reason = match level {
            Level::Normal => format!("You have used {used_text} of {cap_text}, and at this rate you will use about {expected_text} this month: well within your allowance."),
            Level::Saver if used >= 0.75 => format!("You have used {used_text} of {cap_text}, so Member Companion is saving data for the rest of the month."),
            Level::Saver => format!("At this rate you would use about {expected_text} of {cap_text} this month, so Member Companion is saving data."),
            Level::Critical if used >= 0.9 => format!("You have used {used_text} of {cap_text}, so only essentials download on mobile data."),
            Level::Critical => format!("At this rate you would go over your {cap_text} (about {expected_text}), so only essentials download on mobile data."),
        };
        s.automatic = level;
        Assessment { level: s.forced.unwrap_or(level), automatic: level, reason: self.reason_of(&s) }
    }

    fn reason_of(&self, s: &State) -> String {
        match s.forced {
            Some(f) if f != s.automatic => format!("You chose the {} level. {}", name(f), s.reason),
            _ => s.reason.clone(),
        }
    }

    /// The level in force.
    pub fn level(&self) -> Level {
        let s = self.lock();
        s.forced.unwrap_or(s.automatic)
    }

    /// The current assessment.
    pub fn assessment(&self) -> Assessment {
        let s = self.lock();
        Assessment { level: s.forced.unwrap_or(s.automatic), automatic: s.automatic, reason: self.reason_of(&s) }
    }

    /// The member chooses a level, or `None` to follow the projection again.
    pub fn force(&self, level: Option<Level>) {
        self.lock().forced = level;
    }

    /// The member's choice, if any.
    pub fn forced(&self) -> Option<Level> {
        self.lock().forced
    }

    /// "Spend 20 MB anyway": what the member asks for passes until this much more is spent.
    pub fn spend_anyway(&self, bytes: u64) {
        self.lock().extra_left += bytes;
    }

    /// What an update fetches ahead on `network`, for a cache that has (`filled`) or has not
    /// yet had a whole update on Wi-Fi. A first sign-in on mobile data brings the headers of
    /// the mail window and two days of bodies (the inbox's newest first), but leaves those
    /// days' attachments for Wi-Fi: on the demo councillor's mailbox they are most of what a
    /// first update costs (agenda packs of 2 to 40 MB). Later updates on mobile data follow the
    /// level, as every download does.
    pub fn update_plan(&self, network: Network, filled: bool) -> UpdatePlan {
        if network == Network::Wifi || filled {
            UpdatePlan { prefetch: PrefetchPlan::FULL, note: None }
        } else {
            UpdatePlan {
                prefetch: PrefetchPlan { attachments: false, ..PrefetchPlan::FULL },
                note: Some(
                    "First download on mobile data: your newest messages come first; attachments wait for Wi-Fi."
                        .to_owned(),
                ),
            }
        }
    }

    /// What is left of the "spend anyway" allowance.
    pub fn extra_left(&self) -> u64 {
        self.lock().extra_left
    }
}

fn name(level: Level) -> &'static str {
    match level {
        Level::Normal => "normal",
        Level::Saver => "saver",
        Level::Critical => "critical",
    }
}

impl DataPolicy for Governor {
    fn decide(&self, d: &Download) -> Decision {
        if d.network == Network::Wifi {
            return Decision::Allow;
        }
        // The directory is fetched and kept fresh on Wi-Fi only, at every level: a first
        // fetch of a large council's is megabytes, and the copy already held serves offline.
        if d.feature == Feature::Directory && d.purpose != Purpose::Confirmed {
            return Decision::Defer("The council directory is refreshed on Wi-Fi.".to_owned());
        }
        // Agenda packs are the heaviest thing a member carries (2 to 40 MB): fetched ahead on
        // Wi-Fi only, at every level; on mobile data a paper comes when the member asks.
        if d.feature == Feature::CommitteePapers && d.purpose == Purpose::Prefetch {
            return Decision::Defer(
                "Committee papers are fetched ahead on Wi-Fi; on mobile data, open one to get it.".to_owned(),
            );
        }
        let mut s = self.lock();
        let level = s.forced.unwrap_or(s.automatic);
        let size = d.expected_bytes;
        let size_text = size.map(describe_bytes);
        let refusal = match (level, d.purpose, d.feature) {
            (Level::Normal, _, _) | (_, Purpose::Background, _) => None,
            // Every message the member opens gets its body: bodies are small, and the point of the app.
            (_, Purpose::Opened | Purpose::Confirmed, Feature::MailBodies) => None,
            (_, Purpose::Prefetch, _) => {
                Some(format!("The data saver is on: messages and files download when you open them ({}).", name(level)))
            }
            (Level::Saver, Purpose::Confirmed, _) => None,
            (Level::Saver, Purpose::Opened, _) => Some(format!(
                "On mobile data this needs your go-ahead first{}.",
                size_text.map(|t| format!(": it is {t}")).unwrap_or_default()
            )),
            (Level::Critical, Purpose::Opened | Purpose::Confirmed, _)
                if size.is_some_and(|n| n <= LARGE) && d.purpose == Purpose::Confirmed =>
            {
                None
            }
            (Level::Critical, _, _) => Some(format!(
                "You are close to your data limit, so large downloads wait for Wi-Fi{}.",
                size_text.map(|t| format!(" (this one is {t})")).unwrap_or_default()
            )),
        };
        match refusal {
            None => Decision::Allow,
            // A member who chose to spend more may have what they ask for, while it lasts.
            Some(why) if matches!(d.purpose, Purpose::Opened | Purpose::Confirmed) => {
                let cost = size.unwrap_or(BODY_ESTIMATE);
                if s.extra_left >= cost {
                    s.extra_left -= cost;
                    Decision::Allow
                } else {
                    Decision::Defer(why)
                }
            }
            Some(why) => Decision::Defer(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn download(purpose: Purpose, feature: Feature, size: Option<u64>) -> Download {
        Download { purpose, feature, network: Network::Mobile, expected_bytes: size, subject: "x".into() }
    }

    #[test]
    fn each_level_allows_what_it_promises() {
        let g = Governor::new();
        let pack = download(Purpose::Confirmed, Feature::Attachments, Some(8 * LARGE));
        let photo = download(Purpose::Confirmed, Feature::Attachments, Some(LARGE / 2));
        let prefetch = download(Purpose::Prefetch, Feature::MailBodies, None);
        let opened = download(Purpose::Opened, Feature::MailBodies, None);
        let unasked = download(Purpose::Opened, Feature::Attachments, Some(LARGE / 2));
        let page = download(Purpose::Background, Feature::MailHeaders, None);
        let table = [
            (Level::Normal, [true, true, true, true, true, true]),
            (Level::Saver, [true, true, false, true, false, true]),
            (Level::Critical, [false, true, false, true, false, true]),
        ];
        for (level, expect) in table {
            g.force(Some(level));
            let got: Vec<bool> = [&pack, &photo, &prefetch, &opened, &unasked, &page]
                .iter()
                .map(|d| g.decide(d) == Decision::Allow)
                .collect();
            assert_eq!(got, expect, "{level:?}");
        }
        g.force(Some(Level::Critical));
        let wifi = Download { network: Network::Wifi, ..pack.clone() };
        assert_eq!(g.decide(&wifi), Decision::Allow, "Wi-Fi never counts");
    }

    #[test]
    fn committee_papers_are_fetched_ahead_on_wifi_only_and_asked_for_ones_as_attachments_are() {
        let g = Governor::new();
        let ahead = download(Purpose::Prefetch, Feature::CommitteePapers, Some(20 * LARGE));
        assert!(
            matches!(g.decide(&ahead), Decision::Defer(why) if why.contains("Wi-Fi")),
            "not even at the normal level"
        );
        assert_eq!(g.decide(&Download { network: Network::Wifi, ..ahead.clone() }), Decision::Allow);
        let asked = download(Purpose::Confirmed, Feature::CommitteePapers, Some(20 * LARGE));
        assert_eq!(g.decide(&asked), Decision::Allow);
        g.force(Some(Level::Critical));
        assert!(
            matches!(g.decide(&asked), Decision::Defer(_)),
            "close to the limit a large pack waits, as a large file does"
        );
    }

    #[test]
    fn spending_anyway_lets_asked_for_downloads_through_until_it_is_used_up() {
        let g = Governor::new();
        g.force(Some(Level::Critical));
        let pack = download(Purpose::Confirmed, Feature::Attachments, Some(8 * LARGE));
        assert!(matches!(g.decide(&pack), Decision::Defer(why) if why.contains("8 MB")));
        g.spend_anyway(20 * LARGE);
        assert_eq!(g.decide(&pack), Decision::Allow);
        assert_eq!(g.decide(&pack), Decision::Allow);
        assert!(matches!(g.decide(&pack), Decision::Defer(_)), "only 4 MB left");
        assert_eq!(g.extra_left(), 4 * LARGE);
        assert!(
            matches!(g.decide(&download(Purpose::Prefetch, Feature::Attachments, Some(1))), Decision::Defer(_)),
            "never spent on prefetching"
        );
    }

    #[test]
    fn a_first_update_on_mobile_data_leaves_attachments_for_wifi_and_says_so() {
        let g = Governor::new();
        let first = g.update_plan(Network::Mobile, false);
        assert!(!first.prefetch.attachments && first.prefetch.body_days == PrefetchPlan::FULL.body_days);
        assert!(first.note.as_deref().is_some_and(|n| n.contains("wait for Wi-Fi")));
        assert_eq!(g.update_plan(Network::Wifi, false), UpdatePlan { prefetch: PrefetchPlan::FULL, note: None });
        assert_eq!(g.update_plan(Network::Mobile, true).prefetch, PrefetchPlan::FULL);
    }

    #[test]
    fn the_directory_waits_for_wifi_at_every_level_unless_the_member_asks() {
        let g = Governor::new();
        let refresh = download(Purpose::Background, Feature::Directory, None);
        assert!(matches!(g.decide(&refresh), Decision::Defer(why) if why.contains("Wi-Fi")));
        assert_eq!(g.decide(&Download { network: Network::Wifi, ..refresh.clone() }), Decision::Allow);
        assert_eq!(g.decide(&download(Purpose::Confirmed, Feature::Directory, None)), Decision::Allow);
    }
}
