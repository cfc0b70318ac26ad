//! How a simulator run is set up: tenant size, sign-in behaviour, faults and timeline.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::time::Duration as StdDuration;

/// How the token endpoint treats a refresh token that has already been used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshMode {
    /// Like Microsoft Entra ID: every refresh returns a new refresh token, and old ones stay
    /// valid until they expire. The client must keep the newest.
    #[default]
    EntraLike,
    /// Strict rotation with reuse detection (as `oidc-provider` does): presenting a refresh
    /// token that was already exchanged revokes the whole grant.
    StrictRotation,
}

/// A failure the token endpoint can be told to return, with Entra's own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFailure {
    /// `AADSTS50076`: multi-factor authentication required.
    MfaRequired,
    /// `AADSTS50079`: the user must register for multi-factor authentication.
    MfaRegistrationRequired,
    /// `AADSTS53000`: the device is not compliant.
    DeviceNotCompliant,
    /// `AADSTS53003`: blocked by Conditional Access.
    BlockedByConditionalAccess,
    /// `AADSTS65001`: consent missing.
    ConsentRequired,
    /// `AADSTS70008`: the grant expired or was revoked.
    ExpiredGrant,
    /// `AADSTS700082`: the refresh token expired through inactivity.
    InactiveGrant,
}

impl TokenFailure {
    /// Every failure the simulator can force, for tests that walk through them all.
    pub const ALL: [TokenFailure; 7] = [
        Self::MfaRequired,
        Self::MfaRegistrationRequired,
        Self::DeviceNotCompliant,
        Self::BlockedByConditionalAccess,
        Self::ConsentRequired,
        Self::ExpiredGrant,
        Self::InactiveGrant,
    ];

    /// The OAuth2 `error` and the AADSTS number Entra sends for this failure.
    pub fn error_and_code(self) -> (&'static str, u32, &'static str) {
        match self {
            Self::MfaRequired => ("interaction_required", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource."),
            Self::MfaRegistrationRequired => ("interaction_required", 50079, "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access the resource."),
            Self::DeviceNotCompliant => ("interaction_required", 53000, "Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant."),
            Self::BlockedByConditionalAccess => ("invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."),
            Self::ConsentRequired => ("invalid_grant", 65001, "The user or administrator has not consented to use the application."),
            Self::ExpiredGrant => ("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."),
            Self::InactiveGrant => ("invalid_grant", 700082, "The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90.00:00:00."),
        }
    }
}

/// One kind of failure the simulator can inject into Graph requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// `429 Too Many Requests` with a decimal `Retry-After`; the mailbox stays throttled until it ends.
    Throttle,
    /// `503 Service Unavailable`, sometimes with `Retry-After`.
    Unavailable,
    /// The connection is dropped without an answer (before or after the request took effect).
    ConnectionReset,
    /// The answer's body stops half-way.
    TruncatedBody,
    /// The answer comes only after a delay.
    Slow,
    /// A delta request with a token answers `410 Gone` / `syncStateNotFound`.
    DeltaReset,
    /// A `200` whose gzip body decompresses to far more than any answer (128 MiB of spaces
    /// from about 128 KB on the wire).
    GzipBomb,
    /// A `200` whose body is not the JSON it claims: cut off mid-value with an honest
    /// length, or a proxy's HTML page.
    MalformedJson,
    /// Numbers and links no honest Graph sends: a `503` whose `Retry-After` is NaN, infinite,
    /// negative or huge; or a delta page whose next link points at another host.
    AbsurdValues,
    /// The headers at once, then the body a few bytes at a time over `slow_by`.
    SlowLoris,
}

impl FaultKind {
    /// Every kind an honest but failing service shows, for a fault storm.
    pub const ALL: [FaultKind; 6] =
        [Self::Throttle, Self::Unavailable, Self::ConnectionReset, Self::TruncatedBody, Self::Slow, Self::DeltaReset];
    /// What a hostile network or a broken proxy adds: answers the client must refuse or cut
    /// off, never trust.
    pub const HOSTILE: [FaultKind; 4] = [Self::GzipBomb, Self::MalformedJson, Self::AbsurdValues, Self::SlowLoris];
}

/// Which faults to inject, how often, reproducibly from a seed.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    /// Seeds the per-request draw; the same seed gives the same sequence of faults.
    pub seed: u64,
    /// The share of Graph requests (0.0 to 1.0) that get a fault.
    pub rate: f64,
    /// The kinds to choose from, evenly.
    pub kinds: Vec<FaultKind>,
    /// The longest `Retry-After` a throttled answer asks for, in seconds.
    pub max_retry_after: f64,
    /// How long a slow answer is held back.
    pub slow_by: StdDuration,
    /// The number of requests a mailbox may have in flight before `429 MailboxConcurrency`.
    pub mailbox_concurrency: usize,
    /// The share of delta pages that repeat a few already-sent changes (Graph replays).
    pub replay_rate: f64,
    /// The HTTP methods faults fall on (`"POST"`, …); empty for every method.
    pub methods: Vec<String>,
}

impl FaultPlan {
    /// No injected faults; only the mailbox concurrency limit applies.
    pub fn none() -> Self {
        Self {
            seed: 0,
            rate: 0.0,
            kinds: Vec::new(),
            max_retry_after: 2.0,
            slow_by: StdDuration::from_millis(400),
            mailbox_concurrency: 4,
            replay_rate: 0.0,
            methods: Vec::new(),
        }
    }

    /// A storm: `rate` of requests fail, in every injected way.
    pub fn storm(seed: u64, rate: f64) -> Self {
        Self { seed, rate, kinds: FaultKind::ALL.to_vec(), replay_rate: 0.1, ..Self::none() }
    }

    /// A hostile storm: every honest failure and every hostile answer, at `rate`.
    pub fn hostile_storm(seed: u64, rate: f64) -> Self {
        let kinds = FaultKind::ALL.iter().chain(&FaultKind::HOSTILE).copied().collect();
        Self { seed, rate, kinds, replay_rate: 0.1, ..Self::none() }
    }

    /// The same plan, its faults falling only on requests of `method` (e.g. the POSTs that
    /// create things, so the reads that check them get through).
    pub fn on_method(mut self, method: &str) -> Self {
        self.methods.push(method.to_ascii_uppercase());
        self
    }

    /// Only the given kinds, at `rate`.
    pub fn only(seed: u64, rate: f64, kinds: &[FaultKind]) -> Self {
        Self { seed, rate, kinds: kinds.to_vec(), ..Self::none() }
    }
}

impl Default for FaultPlan {
    fn default() -> Self {
        Self::none()
    }
}

/// How busy the member's mailbox and diary are as simulated time passes.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineProfile {
    /// New messages a weekday (weekends get a third of it).
    pub messages_per_day: f64,
    /// Agenda packs (large PDF attachments) a week.
    pub agenda_packs_per_week: f64,
    /// The smallest and largest agenda pack, in bytes (sizes are log-uniform between them).
    pub agenda_pack_bytes: (usize, usize),
    /// Of existing unread inbox messages, the share the member reads elsewhere each day.
    pub read_elsewhere_per_day: f64,
    /// Messages deleted or archived elsewhere each day.
    pub tidied_per_day: f64,
    /// New meeting invitations a week.
    pub invitations_per_week: f64,
    /// Existing events changed (moved or cancelled) a week.
    pub event_changes_per_week: f64,
    /// Contacts changed a week.
    pub contact_changes_per_week: f64,
    /// The share of the directory that changes a week (joiners, leavers, new titles and
    /// numbers): a council's staff turnover of about 12% a year, plus moves within it.
    pub directory_turnover_per_week: f64,
}

impl TimelineProfile {
    /// A typical councillor's mailbox.
    pub fn typical() -> Self {
        Self {
            messages_per_day: 40.0,
            agenda_packs_per_week: 2.0,
            agenda_pack_bytes: (100_000, 10_000_000),
            read_elsewhere_per_day: 0.1,
            tidied_per_day: 3.0,
            invitations_per_week: 3.0,
            event_changes_per_week: 2.0,
            contact_changes_per_week: 1.0,
            directory_turnover_per_week: 0.004,
        }
    }

    /// A heavy month: a cabinet member or committee chair.
    pub fn heavy() -> Self {
        Self {
            messages_per_day: 80.0,
            agenda_packs_per_week: 4.0,
            // A chair's packs are the big ones: full council and planning, with appendices and plans.
            agenda_pack_bytes: (2_000_000, 40_000_000),
            invitations_per_week: 6.0,
            ..Self::typical()
        }
    }
}

impl Default for TimelineProfile {
    fn default() -> Self {
        Self::typical()
    }
}

/// Everything that shapes a simulator run.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seeds the tenant; the same seed and sizes give the same tenant.
    pub seed: u64,
    /// Messages in the mailbox at the start (tens to 100,000).
    pub messages: usize,
    /// Calendar entries at the start, counting each occurrence of a series.
    pub events: usize,
    /// Contacts at the start.
    pub contacts: usize,
    /// People in the organisation's directory (staff and members) at the start.
    pub directory: usize,
    /// The simulated "now" at the start.
    pub start: DateTime<Utc>,
    /// Whether the clock follows real time (demo) or moves only when advanced (tests).
    pub clock_running: bool,
    /// The address to listen on; port 0 picks a free one.
    pub listen: String,
    /// Refresh-token behaviour.
    pub refresh_mode: RefreshMode,
    /// How long an access token lives.
    pub access_token_lifetime: Duration,
    /// How long a refresh token lives.
    pub refresh_token_lifetime: Duration,
    /// Injected faults.
    pub faults: FaultPlan,
    /// How the mailbox changes as time passes.
    pub timeline: TimelineProfile,
    /// The tenant id used in the authority URL.
    pub tenant_id: String,
    /// The public client's id.
    pub client_id: String,
    /// Custom URI schemes accepted as redirects, besides loopback `http` on any port.
    pub redirect_schemes: Vec<String>,
    /// Whether the member has a profile photo.
    pub has_photo: bool,
    /// How many committees the member sits on besides full council (the committee site's
    /// own nine at most): two for most members, all of them for a heavy month.
    pub committee_seats: usize,
    /// The council's SharePoint to join, when this simulator is one more member of a council
    /// another simulator already serves ([`GraphSim::council_sharepoint`]); its own otherwise.
    ///
    /// [`GraphSim::council_sharepoint`]: crate::GraphSim::council_sharepoint
    pub council: Option<CouncilSharePoint>,
}

/// One council's SharePoint sites, shared by every simulator that joins them: each member's
/// mailbox is their own, the trial's lists are the council's.
#[derive(Clone)]
pub struct CouncilSharePoint(pub(crate) std::sync::Arc<std::sync::RwLock<crate::tenant::SharePoint>>);

impl std::fmt::Debug for CouncilSharePoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CouncilSharePoint")
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            messages: 500,
            events: 200,
            contacts: 150,
            directory: 600,
            start: Utc.with_ymd_and_hms(2026, 10, 20, 8, 0, 0).single().unwrap_or_else(Utc::now),
            clock_running: false,
            listen: "127.0.0.1:0".to_owned(),
            refresh_mode: RefreshMode::EntraLike,
            access_token_lifetime: Duration::seconds(3599),
            refresh_token_lifetime: Duration::days(90),
            faults: FaultPlan::none(),
            timeline: TimelineProfile::typical(),
            tenant_id: "5d2f8c1e-demo-4b7a-9c3d-c0unc11demo0".to_owned(),
            client_id: "member-companion-demo".to_owned(),
            redirect_schemes: vec!["uk.gov.membercompanion".to_owned()],
            has_photo: true,
            committee_seats: 2,
            council: None,
        }
    }
}

impl SimConfig {
    /// Serves the council's SharePoint that `council` holds instead of a new one.
    pub fn joining(mut self, council: CouncilSharePoint) -> Self {
        self.council = Some(council);
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the number of messages.
    pub fn with_messages(mut self, messages: usize) -> Self {
        self.messages = messages;
        self
    }
    /// Sets the number of calendar entries.
    pub fn with_events(mut self, events: usize) -> Self {
        self.events = events;
        self
    }
    /// Sets the number of people in the directory.
    pub fn with_directory(mut self, people: usize) -> Self {
        self.directory = people;
        self
    }
    /// Sets the number of contacts.
    pub fn with_contacts(mut self, contacts: usize) -> Self {
        self.contacts = contacts;
        self
    }
    /// Sets the refresh-token mode.
    pub fn with_refresh_mode(mut self, mode: RefreshMode) -> Self {
        self.refresh_mode = mode;
        self
    }
    /// Sets the fault plan.
    pub fn with_faults(mut self, faults: FaultPlan) -> Self {
        self.faults = faults;
        self
    }
    /// Sets the simulated start time.
    pub fn with_start(mut self, start: DateTime<Utc>) -> Self {
        self.start = start;
        self
    }
    /// Sets the timeline profile.
    pub fn with_timeline(mut self, timeline: TimelineProfile) -> Self {
        self.timeline = timeline;
        self
    }
    /// Sets how many committees the member sits on besides full council.
    pub fn with_committee_seats(mut self, seats: usize) -> Self {
        self.committee_seats = seats;
        self
    }
    /// Sets the listen address (e.g. `127.0.0.1:8080`).
    pub fn with_listen(mut self, listen: impl Into<String>) -> Self {
        self.listen = listen.into();
        self
    }
    /// Lets the clock follow real time.
    pub fn with_running_clock(mut self) -> Self {
        self.clock_running = true;
        self
    }

    pub(crate) fn validate(&self) -> Result<(), crate::SimError> {
        if self.messages > 200_000 {
            return Err(crate::SimError::Config("at most 200,000 messages".into()));
        }
        if !(0.0..=1.0).contains(&self.faults.rate) || !(0.0..=1.0).contains(&self.faults.replay_rate) {
            return Err(crate::SimError::Config("the fault rate must be between 0 and 1".into()));
        }
        if self.faults.rate > 0.0 && self.faults.kinds.is_empty() {
            return Err(crate::SimError::Config("a fault rate needs at least one fault kind".into()));
        }
        if self.faults.mailbox_concurrency == 0 {
            return Err(crate::SimError::Config("mailbox concurrency must be at least 1".into()));
        }
        Ok(())
    }
}
