//! Builds the demo council tenant from a seed: a councillor's last few months.

use super::*;
use crate::config::SimConfig;
use crate::content::{self, pick, BodyKind, Person};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Europe::London;
use rand::{Rng, SeedableRng};

/// The people the member deals with.
pub(crate) struct Cast {
    pub officers: Vec<(Person, &'static str, &'static str)>, // person, job title, department
    pub members: Vec<Person>,
    pub residents: Vec<Person>,
    pub ward: &'static str,
}

/// A local Europe/London wall-clock time as UTC (the earlier instant in the autumn overlap).
pub(crate) fn london(date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
    London
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        // 01:00–02:00 on the spring-forward day does not exist; step past it.
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

fn attachment(
    rng: &mut StdRng,
    name: String,
    content_type: &str,
    min: usize,
    max: usize,
    at: DateTime<Utc>,
) -> Attachment {
    // Log-uniform sizes: many small files, a few very large ones, as agenda packs are.
    let (lo, hi) = ((min as f64).ln(), (max as f64).ln());
    let size = rng.random_range(lo..hi).exp() as usize;
    Attachment {
        id: ids::attachment_id(&ids::core(rng)),
        name,
        content_type: content_type.to_owned(),
        size,
        is_inline: false,
        content_id: None,
        modified: at,
        content: AttachmentContent::Generated(rng.random()),
    }
}

impl Tenant {
    pub(crate) fn generate(config: &SimConfig) -> (Self, Cast, SharePoint) {
        let mut rng = StdRng::seed_from_u64(config.seed);
        let given = *pick(&mut rng, content::GIVEN);
        let surname = *pick(&mut rng, content::SURNAMES);
        let ward = *pick(&mut rng, content::WARDS);
        let user = User {
            id: uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string(),
            display_name: format!("Cllr {given} {surname}"),
            given_name: given.to_owned(),
            surname: surname.to_owned(),
            mail: format!(
                "cllr.{}.{}@{}",
                given.to_lowercase(),
                surname.to_lowercase().replace('\'', ""),
                content::DOMAIN
            ),
            job_title: format!("Councillor, {ward} ward"),
            mobile_phone: format!("07700 900{:03}", rng.random_range(0..1000)),
            office_location: "Members' Room, Town Hall".to_owned(),
        };
        let tenant_rng = StdRng::seed_from_u64(config.seed ^ 0x5eed_71e1);
        let mut t = Tenant::empty(user, tenant_rng);
        if config.has_photo {
            t.photo = Some(crate::png::noisy_png(240, 240, config.seed, 24));
        }

        let cast = Cast {
            officers: (0..30)
                .map(|i| {
                    let d = i % content::DEPARTMENTS.len();
                    (Person::officer(&mut rng), content::JOB_TITLES[d], content::DEPARTMENTS[d])
                })
                .collect(),
            members: (0..40).map(|_| Person::member(&mut rng)).collect(),
            residents: (0..config.contacts.max(120)).map(|_| Person::resident(&mut rng)).collect(),
            ward,
        };

        t.generate_folders(&mut rng);
        t.generate_contacts(&mut rng, config, &cast);
        t.generate_events(&mut rng, config, &cast);
        t.generate_messages(&mut rng, config, &cast);
        let sharepoint = generate_sharepoint(&mut rng, config);
        t.directory_rng = StdRng::seed_from_u64(config.seed ^ 0x000d_15ec_70e7);
        t.generate_directory(config, &cast);
        (t, cast, sharepoint)
    }

    /// The council's directory: the officers and members who write to the member, the member
    /// themself, then other staff up to `config.directory`, from its own generator so that
    /// the rest of the tenant is the same whatever the directory's size.
    fn generate_directory(&mut self, config: &SimConfig, cast: &Cast) {
        let me = DirectoryPerson {
            id: self.user.id.clone(),
            display_name: self.user.display_name.clone(),
            given_name: self.user.given_name.clone(),
            surname: self.user.surname.clone(),
            job_title: Some(self.user.job_title.clone()),
            department: Some("Members".into()),
            office_location: Some(self.user.office_location.clone()),
            business_phones: vec![],
            mobile_phone: Some(self.user.mobile_phone.clone()),
            mail: self.user.mail.clone(),
            version: 0,
        };
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut people = vec![me];
        for (p, job, dept) in &cast.officers {
            people.push(self.staff_person(p, Some(job), Some(dept)));
        }
        for p in &cast.members {
            people.push(self.staff_person(p, Some("Councillor"), Some("Members")));
        }
        for person in people.into_iter().take(config.directory) {
            if seen.insert(person.mail.to_lowercase()) {
                self.insert_person(person);
            }
        }
        while self.directory.len() < config.directory {
            let person = self.new_staff_member(&seen);
            seen.insert(person.mail.to_lowercase());
            self.insert_person(person);
        }
    }

    fn staff_person(&mut self, p: &Person, job: Option<&str>, dept: Option<&str>) -> DirectoryPerson {
        let rng = &mut self.directory_rng;
        let (given, surname) = p.name.trim_start_matches("Cllr ").split_once(' ').unwrap_or((&p.name, ""));
        DirectoryPerson {
            id: uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string(),
            display_name: p.name.clone(),
            given_name: given.to_owned(),
            surname: surname.to_owned(),
            job_title: job.map(str::to_owned),
            department: dept.map(str::to_owned),
            office_location: Some(pick(rng, content::OFFICES).to_string()),
            business_phones: vec![format!("01632 960{:03}", rng.random_range(0..1000))],
            mobile_phone: rng.random_bool(0.3).then(|| format!("07700 900{:03}", rng.random_range(0..1000))),
            mail: p.address.clone(),
            version: 0,
        }
    }

    /// Someone new on the staff, with an address no one else has (a second Sam Patel is
    /// `sam.patel2@…`, as directories do it).
    pub(crate) fn new_staff_member(&mut self, taken: &std::collections::HashSet<String>) -> DirectoryPerson {
        let rng = &mut self.directory_rng;
        let given = *pick(rng, content::GIVEN);
        let surname = *pick(rng, content::SURNAMES);
        let d = rng.random_range(0..content::DEPARTMENTS.len());
        let stem = format!("{}.{}", given.to_lowercase(), surname.to_lowercase().replace('\'', ""));
        let mail =
            (1..)
                .map(|n| {
                    if n == 1 {
                        format!("{stem}@{}", content::DOMAIN)
                    } else {
                        format!("{stem}{n}@{}", content::DOMAIN)
                    }
                })
                .find(|m| !taken.contains(m))
                .unwrap_or_default();
        let person = Person { name: format!("{given} {surname}"), address: mail };
        self.staff_person(&person, Some(content::JOB_TITLES[d]), Some(content::DEPARTMENTS[d]))
    }

    fn generate_folders(&mut self, rng: &mut StdRng) {
        let root = ids::folder_id(&ids::core(rng));
        let mut add = |t: &mut Tenant, name: &str, well_known: Option<&str>, parent: &str| {
            let id = ids::folder_id(&ids::core(rng));
            t.add_folder(MailFolder {
                id: id.clone(),
                display_name: name.to_owned(),
                parent_id: parent.to_owned(),
                well_known: well_known.map(str::to_owned),
                child_count: 0,
            });
            id
        };
        for (name, wk) in [
            ("Inbox", Some("inbox")),
            ("Drafts", Some("drafts")),
            ("Sent Items", Some("sentitems")),
            ("Deleted Items", Some("deleteditems")),
            ("Archive", Some("archive")),
            ("Junk Email", Some("junkemail")),
            ("Ward casework", None),
        ] {
            add(self, name, wk, &root);
        }
        let committees = add(self, "Committees", None, &root);
        add(self, "Planning", None, &committees);
        if let Some(f) = self.folders.iter_mut().find(|f| f.id == committees) {
            f.child_count = 1;
        }
    }

    fn generate_contacts(&mut self, rng: &mut StdRng, config: &SimConfig, cast: &Cast) {
        let root = ids::contact_folder_id(&ids::core(rng));
        let default = ids::contact_folder_id(&ids::core(rng));
        let residents = ids::contact_folder_id(&ids::core(rng));
        self.add_contact_folder(ContactFolder {
            id: default.clone(),
            display_name: "Contacts".into(),
            parent_id: root.clone(),
        });
        self.add_contact_folder(ContactFolder {
            id: residents.clone(),
            display_name: "Ward residents".into(),
            parent_id: root,
        });
        let at = config.start - Duration::days(200);
        let mut made = 0;
        let push = |t: &mut Tenant,
                    person: &Person,
                    folder: &str,
                    job: Option<&str>,
                    dept: Option<&str>,
                    company: &str,
                    rng: &mut StdRng| {
            let (g, s) = person.name.trim_start_matches("Cllr ").split_once(' ').unwrap_or((&person.name, ""));
            t.insert_contact(Contact {
                id: ids::contact_id(&ids::core(rng)),
                folder: folder.to_owned(),
                given_name: g.to_owned(),
                surname: s.to_owned(),
                display_name: person.name.clone(),
                job_title: job.map(str::to_owned),
                company: Some(company.to_owned()),
                department: dept.map(str::to_owned),
                emails: vec![person.clone()],
                business_phones: if job.is_some() { vec![format!("01632 960{:03}", rng.random_range(0..1000))] } else { vec![] },
                mobile_phone: rng.random_bool(0.6).then(|| format!("07700 900{:03}", rng.random_range(0..1000))),
                business_address: job.is_some().then(|| serde_json::json!({"street":"Town Hall, Market Square","city":"Demo Borough","state":"","countryOrRegion":"United Kingdom","postalCode":"DB1 1AA"})),
                categories: vec![],
                notes: String::new(),
                created: at,
                modified: at,
                version: 0,
            });
        };
        for (p, job, dept) in &cast.officers {
            if made == config.contacts {
                return;
            }
            push(self, p, &default, Some(job), Some(dept), content::COUNCIL, rng);
            made += 1;
        }
        for p in &cast.members {
            if made == config.contacts {
                return;
            }
            push(self, p, &default, Some("Councillor"), None, content::COUNCIL, rng);
            made += 1;
        }
        for p in &cast.residents {
            if made == config.contacts {
                return;
            }
            push(self, p, &residents, None, None, "", rng);
            made += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new_event(
        &self,
        rng: &mut StdRng,
        subject: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        location: &str,
        organizer: &Person,
        attendees: &[Person],
        response: &str,
        online: bool,
        now: DateTime<Utc>,
    ) -> Event {
        let id = ids::event_id(&ids::core(rng));
        let preview = format!(
            "{subject}. Papers are published on the council website five clear working days before the meeting."
        );
        Event {
            ical_uid: format!("040000008200E00074C5B7101A82E008{}", &id[6..22]),
            id,
            kind: EventType::SingleInstance,
            series_master_id: None,
            body_html: format!("<html><body><p>{}</p></body></html>", preview),
            preview,
            subject,
            start,
            end,
            original_start: None,
            all_day: false,
            cancelled: false,
            location: location.to_owned(),
            organizer: organizer.clone(),
            // Others' answers vary by place in the list (not by the seeded generator, so the rest of
            // the tenant stays as it was): a meeting shows who accepted, declined or has not answered.
            attendees: attendees
                .iter()
                .enumerate()
                .map(|(i, p)| Attendee {
                    person: p.clone(),
                    kind: if i == 3 { "optional" } else { "required" },
                    response: ["accepted", "tentativelyAccepted", "declined", "none"][i % 4].into(),
                })
                .collect(),
            response: response.to_owned(),
            response_time: None,
            response_requested: response != "organizer",
            allow_new_time_proposals: true,
            is_organizer: response == "organizer",
            online_join_url: online.then(|| {
                format!("https://teams.microsoft.com/l/meetup-join/19%3ameeting_{}%40thread.v2/0", &ids::core(rng))
            }),
            show_as: "busy",
            categories: vec![],
            recurrence: None,
            reminder_minutes: 15,
            created: now - Duration::days(60),
            modified: now - Duration::days(30),
            version: 0,
        }
    }

    fn generate_events(&mut self, rng: &mut StdRng, config: &SimConfig, cast: &Cast) {
        let now = config.start;
        let today = now.with_timezone(&London).date_naive();
        let me = self.member_person();
        let dem_services = cast.officers[0].0.clone();
        let mut budget = config.events;

        // Weekly ward surgery on Saturdays 10:00–12:00 London time: the series crosses the
        // clocks changing, so its UTC times shift by an hour while the wall clock stays put.
        let weeks = (budget / 3).min(34) as i64;
        if weeks >= 4 {
            // The Saturday on or before the anchor (Saturday is day 5 counting from Monday).
            let anchor = today - Duration::weeks(weeks / 2);
            let back = (i64::from(anchor.weekday().num_days_from_monday()) + 7 - 5) % 7;
            let first = anchor - Duration::days(back);
            let mut master = self.new_event(
                rng,
                format!("{} ward surgery", cast.ward),
                london(first, 10, 0),
                london(first, 12, 0),
                &format!("{} Community Centre", cast.ward),
                &me,
                &[],
                "organizer",
                false,
                now,
            );
            master.kind = EventType::SeriesMaster;
            let last = first + Duration::weeks(weeks - 1);
            master.recurrence = Some(serde_json::json!({
                "pattern": {"type":"weekly","interval":1,"month":0,"dayOfMonth":0,"daysOfWeek":["saturday"],"firstDayOfWeek":"sunday","index":"first"},
                "range": {"type":"endDate","startDate":first.to_string(),"endDate":last.to_string(),"recurrenceTimeZone":"GMT Standard Time","numberOfOccurrences":0}
            }));
            let master_id = master.id.clone();
            let cancelled_week = weeks / 2 + 2;
            let moved_week = weeks / 2 - 3;
            self.insert_event(master);
            for w in 0..weeks {
                if w == cancelled_week {
                    continue; // a cancelled occurrence disappears from the expansion
                }
                let date = first + Duration::weeks(w);
                let (h, m) = if w == moved_week { (11, 0) } else { (10, 0) };
                let mut occ = self.new_event(
                    rng,
                    format!("{} ward surgery", cast.ward),
                    london(date, h, m),
                    london(date, h + 2, m),
                    &format!("{} Community Centre", cast.ward),
                    &me,
                    &[],
                    "organizer",
                    false,
                    now,
                );
                occ.kind = if w == moved_week { EventType::Exception } else { EventType::Occurrence };
                occ.series_master_id = Some(master_id.clone());
                occ.original_start = Some(london(date, 10, 0));
                self.insert_event(occ);
                budget = budget.saturating_sub(1);
            }
        }

        // Committee meetings and everything else, spread over −120 to +120 days.
        let mut i = 0usize;
        while budget > 0 {
            let day = today + Duration::days(rng.random_range(-120..120));
            let day = match day.weekday() {
                Weekday::Sat => day - Duration::days(1),
                Weekday::Sun => day + Duration::days(1),
                _ => day,
            };
            let kind = rng.random_range(0..10);
            let (subject, h, dur, location, online) = match kind {
                0..=4 => {
                    let c = pick(rng, content::COMMITTEES);
                    (c.to_string(), 18, 150, "Council Chamber, Town Hall", rng.random_bool(0.3))
                }
                5..=6 => (
                    format!("Member briefing: {}", pick(rng, content::BRIEFINGS).split(':').next().unwrap_or("update")),
                    17,
                    60,
                    "Committee Room 2, Town Hall",
                    true,
                ),
                7 => ("Planning site visit".to_string(), 9, 120, "Town Hall car park", false),
                8 => ("Group meeting".to_string(), 19, 90, "Members' Room, Town Hall", rng.random_bool(0.5)),
                _ => {
                    let street = *pick(rng, content::STREETS);
                    (format!("Casework visit, {street}"), 14, 60, street, false)
                }
            };
            let start = london(day, h, if kind == 0 { 30 } else { 0 });
            let others: Vec<Person> = (0..rng.random_range(2..8)).map(|_| pick(rng, &cast.members).clone()).collect();
            let response = if day < today {
                *pick(rng, &["accepted", "accepted", "tentativelyAccepted", "declined"])
            } else {
                *pick(rng, &["notResponded", "accepted", "notResponded", "tentativelyAccepted"])
            };
            let mut ev = self.new_event(
                rng,
                subject,
                start,
                start + Duration::minutes(dur),
                location,
                &dem_services,
                &others,
                response,
                online,
                now,
            );
            ev.attendees.push(Attendee { person: me.clone(), kind: "required", response: response.to_owned() });
            if i == 3 {
                // One meeting called off: Outlook keeps it, marked cancelled, for attendees.
                ev.cancelled = true;
                ev.subject = format!("Canceled: {}", ev.subject);
            }
            self.insert_event(ev);
            budget -= 1;
            i += 1;
        }
    }

    fn generate_messages(&mut self, rng: &mut StdRng, config: &SimConfig, cast: &Cast) {
        let now = config.start;
        let me = self.member_person();
        let history_days = (config.messages as i64 / 30).clamp(30, 1500);
        let inbox = self.folder("inbox").map(|f| f.id.clone()).unwrap_or_default();
        let sent = self.folder("sentitems").map(|f| f.id.clone()).unwrap_or_default();
        let junk = self.folder("junkemail").map(|f| f.id.clone()).unwrap_or_default();
        let deleted = self.folder("deleteditems").map(|f| f.id.clone()).unwrap_or_default();
        let casework =
            self.folders.iter().find(|f| f.display_name == "Ward casework").map(|f| f.id.clone()).unwrap_or_default();
        let committees =
            self.folders.iter().find(|f| f.display_name == "Committees").map(|f| f.id.clone()).unwrap_or_default();
        let planning =
            self.folders.iter().find(|f| f.display_name == "Planning").map(|f| f.id.clone()).unwrap_or_default();
        // Sorted: the map's order differs between runs and the tenant must not.
        let mut invitable: Vec<String> = self
            .events
            .values()
            .filter(|e| e.kind == EventType::SingleInstance && e.response_requested)
            .map(|e| e.id.clone())
            .collect();
        invitable.sort();

        // Arrival times, oldest first, so that replies come after what they answer.
        let mut times: Vec<DateTime<Utc>> = (0..config.messages)
            .map(|_| {
                let day_back = (rng.random::<f64>().powf(1.6) * history_days as f64) as i64;
                let minute = rng.random_range(7 * 60..22 * 60);
                let t = now - Duration::days(day_back) - Duration::hours(24) + Duration::minutes(minute);
                if t > now {
                    now - Duration::minutes(rng.random_range(1..600))
                } else {
                    t
                }
            })
            .collect();
        times.sort();

        let mut recent_casework: Vec<String> = Vec::new();
        for received in times {
            let age = now - received;
            let roll = rng.random_range(0..100);
            let mut kind = match roll {
                0..=24 => BodyKind::Casework,
                25..=38 => BodyKind::Briefing,
                39..=43 => BodyKind::AgendaPack,
                44..=58 => BodyKind::Newsletter,
                59..=62 => BodyKind::Invitation,
                63..=77 => BodyKind::MemberGroup,
                _ => BodyKind::Reply,
            };
            if kind == BodyKind::Reply && recent_casework.is_empty() {
                kind = BodyKind::Casework;
            }
            if kind == BodyKind::Invitation && invitable.is_empty() {
                kind = BodyKind::Briefing;
            }
            let core = ids::core(rng);
            let mut attachments = Vec::new();
            let mut in_reply_to = None;
            let mut event_id = None;
            let mut to = vec![me.clone()];
            let (from, subject, folder) = match kind {
                BodyKind::Casework => {
                    let from = pick(rng, &cast.residents).clone();
                    let (lead, _) = pick(rng, content::CASEWORK);
                    let subject = format!("{lead} {}", pick(rng, content::STREETS));
                    if rng.random_bool(0.2) {
                        let name = format!("IMG_{}.jpg", rng.random_range(1000..9999));
                        attachments.push(attachment(rng, name, "image/jpeg", 400_000, 3_500_000, received));
                    }
                    let folder =
                        if age > Duration::days(45) && rng.random_bool(0.5) { casework.clone() } else { inbox.clone() };
                    (from, subject, folder)
                }
                BodyKind::Briefing => {
                    let (officer, _, dept) = pick(rng, &cast.officers).clone();
                    let subject = pick(rng, content::BRIEFINGS).to_string();
                    if rng.random_bool(0.3) {
                        attachments.push(attachment(
                            rng,
                            format!("{dept} briefing note.pdf"),
                            "application/pdf",
                            100_000,
                            2_000_000,
                            received,
                        ));
                    }
                    let folder = if age > Duration::days(30) && rng.random_bool(0.4) {
                        committees.clone()
                    } else {
                        inbox.clone()
                    };
                    (officer, subject, folder)
                }
                BodyKind::AgendaPack => {
                    let committee = pick(rng, content::COMMITTEES);
                    let date = (received + Duration::days(8)).with_timezone(&London).format("%-d %B %Y");
                    attachments.push(attachment(
                        rng,
                        format!("Agenda pack - {committee} - {date}.pdf"),
                        "application/pdf",
                        100_000,
                        10_000_000,
                        received,
                    ));
                    for n in 0..rng.random_range(0..3) {
                        attachments.push(attachment(
                            rng,
                            format!("Appendix {} - report.docx", n + 1),
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            50_000,
                            600_000,
                            received,
                        ));
                    }
                    let folder = if *committee == "Planning Committee" && age > Duration::days(20) {
                        planning.clone()
                    } else if age > Duration::days(30) {
                        committees.clone()
                    } else {
                        inbox.clone()
                    };
                    (cast.officers[0].0.clone(), format!("Agenda pack: {committee}, {date}"), folder)
                }
                BodyKind::Newsletter => {
                    let (org, title) = pick(rng, content::NEWSLETTERS);
                    let from = Person {
                        name: org.to_string(),
                        address: format!(
                            "news@{}.example",
                            title.split_whitespace().next().unwrap_or("news").to_lowercase()
                        ),
                    };
                    let folder = if rng.random_bool(0.1) {
                        junk.clone()
                    } else if age > Duration::days(20) && rng.random_bool(0.3) {
                        deleted.clone()
                    } else {
                        inbox.clone()
                    };
                    (from, format!("{title}: {}", received.with_timezone(&London).format("%-d %B %Y")), folder)
                }
                BodyKind::Invitation => {
                    let ev = pick(rng, &invitable).clone();
                    let subject = self.events.get(&ev).map(|e| e.subject.clone()).unwrap_or_default();
                    event_id = Some(ev);
                    (cast.officers[0].0.clone(), subject, inbox.clone())
                }
                BodyKind::MemberGroup => {
                    let from = pick(rng, &cast.members).clone();
                    to = (0..rng.random_range(2..6))
                        .map(|_| pick(rng, &cast.members).clone())
                        .chain([me.clone()])
                        .collect();
                    (
                        from,
                        format!(
                            "Group: {}",
                            pick(
                                rng,
                                &[
                                    "bus services review",
                                    "budget amendment",
                                    "ward newsletter",
                                    "rota for street surgery",
                                    "motion for Full Council"
                                ]
                            )
                        ),
                        inbox.clone(),
                    )
                }
                BodyKind::Reply => {
                    let idx = rng.random_range(0..recent_casework.len());
                    let prev_key = recent_casework.swap_remove(idx);
                    let prev = &self.messages[&prev_key];
                    to = vec![prev.from.clone()];
                    let subject = format!("RE: {}", prev.subject.trim_start_matches("RE: "));
                    in_reply_to = Some(prev_key);
                    (me.clone(), subject, sent.clone())
                }
            };
            let (conversation_id, conversation_index) = match in_reply_to.as_ref().and_then(|k| self.messages.get(k)) {
                Some(prev) => (prev.conversation_id.clone(), format!("{}AAAB", prev.conversation_index)),
                None => (ids::conversation_id(&ids::core(rng)), format!("Ad{}", &ids::core(rng))),
            };
            let read =
                kind == BodyKind::Reply || age > Duration::days(7) && rng.random_bool(0.95) || rng.random_bool(0.5);
            let mut msg = Message {
                core: core.clone(),
                moves: 0,
                folder,
                created: received,
                modified: received,
                received,
                sent: received - Duration::seconds(rng.random_range(2..90)),
                subject,
                from,
                to,
                cc: vec![],
                conversation_id,
                conversation_index,
                internet_message_id: format!("<{}@{}>", &core[..16], content::DOMAIN),
                is_read: read,
                is_draft: false,
                importance: if rng.random_bool(0.05) { "high" } else { "normal" },
                inference: if kind == BodyKind::Newsletter { "other" } else { "focused" },
                flag_status: if rng.random_bool(0.05) { "flagged".into() } else { "notFlagged".into() },
                flag_extra: Default::default(),
                categories: if rng.random_bool(0.15) {
                    vec![pick(rng, content::CATEGORIES).to_string()]
                } else {
                    vec![]
                },
                body: BodySource::Generated { kind, seed: rng.random() },
                preview: String::new(),
                attachments,
                event_id,
                in_reply_to,
                version: 0,
            };
            msg.preview = content::preview(&self.render_body(&msg, "").unique_text);
            let key = self.insert_message(msg);
            if kind == BodyKind::Casework {
                recent_casework.push(key);
                if recent_casework.len() > 50 {
                    recent_casework.remove(0);
                }
            }
        }
    }
}

/// The council's two sites: the trial's, empty until the council provisions it (as a new
/// council site is), and the intranet, which already has a list of its own. Drawn from the
/// tenant's generator, so a seeded tenant's timeline stays as it was.
fn generate_sharepoint(rng: &mut StdRng, config: &SimConfig) -> SharePoint {
    let guid = |rng: &mut StdRng| uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string();
    let site = Site {
        id: format!("demoborough.sharepoint.com,{},{}", guid(rng), guid(rng)),
        path: "MemberTrial".into(),
        display_name: "Member device trial".into(),
        ..Site::default()
    };
    let mut intranet = Site {
        id: format!("demoborough.sharepoint.com,{},{}", guid(rng), guid(rng)),
        path: "Intranet".into(),
        display_name: "Council intranet".into(),
        ..Site::default()
    };
    // Two more draws, as the four trial lists made here once took.
    let news = guid(rng);
    let _ = guid(rng);
    intranet.lists.push(SpList {
        id: news,
        name: "News".into(),
        display_name: "News".into(),
        columns: crate::graph::lists::built_in_columns(),
        read_security: ReadSecurity::All,
        write_security: 1,
        views: Vec::new(),
        items: Vec::new(),
        next_id: 1,
        created: config.start,
    });
    SharePoint { site, intranet, rng: StdRng::seed_from_u64(config.seed ^ 0x05e1_ec7e), people: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(messages: usize, events: usize, contacts: usize) -> Tenant {
        let config = SimConfig::default().with_messages(messages).with_events(events).with_contacts(contacts);
        Tenant::generate(&config).0
    }

    #[test]
    fn the_tenant_has_exactly_the_sizes_asked_for() {
        let t = tenant(1000, 300, 120);
        assert_eq!(t.messages.len(), 1000);
        assert_eq!(t.events.values().filter(|e| e.kind != EventType::SeriesMaster).count(), 300);
        assert_eq!(t.contacts.len(), 120);
    }

    #[test]
    fn the_same_seed_gives_the_same_tenant() {
        let a = tenant(300, 50, 40).snapshot();
        let b = tenant(300, 50, 40).snapshot();
        assert!(a.messages == b.messages, "messages differ between two runs");
        assert!(a.events == b.events, "events differ between two runs");
    }

    #[test]
    fn folder_counts_match_the_messages() {
        let t = tenant(800, 50, 40);
        for f in &t.folders {
            let total = t.messages.values().filter(|m| m.folder == f.id).count() as u32;
            let unread = t.messages.values().filter(|m| m.folder == f.id && !m.is_read).count() as u32;
            assert_eq!(t.folder_counts(&f.id), (total, unread), "{}", f.display_name);
        }
    }

    #[test]
    fn the_ward_surgery_keeps_its_wall_clock_time_across_the_clocks_changing() {
        let t = tenant(50, 200, 20);
        let surgeries: Vec<&Event> = t.events.values().filter(|e| e.kind == EventType::Occurrence).collect();
        assert!(surgeries.len() > 10);
        let utc_hours: std::collections::BTreeSet<u32> =
            surgeries.iter().map(|e| chrono::Timelike::hour(&e.start)).collect();
        assert_eq!(utc_hours.into_iter().collect::<Vec<_>>(), vec![9, 10], "BST (09:00Z) and GMT (10:00Z)");
        for e in surgeries {
            assert_eq!(chrono::Timelike::hour(&e.start.with_timezone(&London)), 10);
        }
        assert_eq!(t.events.values().filter(|e| e.kind == EventType::Exception).count(), 1);
    }

    #[test]
    fn agenda_packs_range_from_100_kb_to_10_mb() {
        let t = tenant(3000, 20, 20);
        let sizes: Vec<usize> = t
            .messages
            .values()
            .flat_map(|m| &m.attachments)
            .filter(|a| a.name.starts_with("Agenda pack"))
            .map(|a| a.size)
            .collect();
        assert!(!sizes.is_empty());
        assert!(sizes.iter().all(|s| (100_000..=10_000_000).contains(s)));
        assert!(sizes.iter().any(|s| *s > 2_000_000), "some packs are large");
    }
}
