//! The offline grace period. The app must reach the council's tenant (a token renewed, a
//! sign-in) every so often; past the policy's lock period it locks the cache until it can,
//! and past the wipe period it wipes.
//!
//! Time offline is measured from the last contact to the latest time the app has ever seen,
//! whichever is later of that and now. Setting the clock back therefore never gives back
//! time: the latest time seen stays where it was.

use crate::ProtectionPolicy;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// When the app last reached the tenant, and the latest time it has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactRecord {
    /// The last successful contact (token renewal or sign-in).
    pub last_contact: DateTime<Utc>,
    /// The latest clock reading ever observed.
    pub latest_seen: DateTime<Utc>,
}

/// Where the grace period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineStanding {
    /// Within the lock period.
    Fine,
    /// Past the lock period: the cache stays locked until the app reaches the tenant.
    Blocked,
    /// Past the wipe period: the app must wipe.
    Wipe,
}

impl ContactRecord {
    /// A contact now (the first sign-in).
    pub fn new(now: DateTime<Utc>) -> Self {
        Self { last_contact: now, latest_seen: now }
    }

    /// The app reached the tenant at `now`. With the clock set back, the contact counts as
    /// at the latest time seen (never earlier than an earlier contact).
    pub fn contact(&mut self, now: DateTime<Utc>) {
        self.observe(now);
        self.last_contact = self.latest_seen;
    }

    /// The clock read `now`.
    pub fn observe(&mut self, now: DateTime<Utc>) {
        self.latest_seen = self.latest_seen.max(now);
    }

    /// How long since the last contact.
    pub fn offline_for(&self, now: DateTime<Utc>) -> chrono::Duration {
        self.latest_seen.max(now) - self.last_contact
    }

    /// Where the grace period stands at `now` under `policy`.
    pub fn standing(&self, now: DateTime<Utc>, policy: &ProtectionPolicy) -> OfflineStanding {
        let offline = self.offline_for(now);
        if offline >= policy.offline_wipe() {
            OfflineStanding::Wipe
        } else if offline >= policy.offline_lock() {
            OfflineStanding::Blocked
        } else {
            OfflineStanding::Fine
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn start() -> DateTime<Utc> {
        "2027-01-10T09:00:00Z".parse().expect("time")
    }

    #[test]
    fn past_the_lock_period_blocks_and_past_the_wipe_period_wipes() {
        let policy = ProtectionPolicy::default();
        let r = ContactRecord::new(start());
        assert_eq!(r.standing(start() + Duration::hours(11), &policy), OfflineStanding::Fine);
        assert_eq!(r.standing(start() + Duration::hours(12), &policy), OfflineStanding::Blocked);
        assert_eq!(r.standing(start() + Duration::days(90), &policy), OfflineStanding::Wipe);
    }

    #[test]
    fn a_clock_set_back_does_not_give_back_time() {
        let policy = ProtectionPolicy::default();
        let mut r = ContactRecord::new(start());
        r.observe(start() + Duration::hours(13));
        // The member (or a thief) sets the clock back to just after the last contact.
        let back = start() + Duration::hours(1);
        r.observe(back);
        assert_eq!(r.standing(back, &policy), OfflineStanding::Blocked);
        assert_eq!(r.offline_for(back), Duration::hours(13));
    }

    #[test]
    fn a_contact_with_the_clock_set_back_never_moves_the_contact_earlier() {
        let mut r = ContactRecord::new(start());
        r.observe(start() + Duration::hours(5));
        r.contact(start() - Duration::days(3));
        assert_eq!(r.last_contact, start() + Duration::hours(5));
        assert_eq!(r.offline_for(start() + Duration::hours(5)), Duration::zero());
    }
}
