-- 007: when to remind the member of a meeting (Graph's reminderMinutesBeforeStart while
-- isReminderOn), for the meeting-reminder notifications. NULL: no reminder (and every meeting
-- synced before this version until its next change or resync).

ALTER TABLE event ADD COLUMN reminder_minutes INTEGER;
