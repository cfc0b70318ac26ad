-- 007: when to remind the member of a meeting (Graph's reminderMinutesBeforeStart while
-- isReminderOn), for the meeting-reminder notifications. NULL: no reminder. A delta round only
-- brings meetings that change, so the calendar's checkpoint goes: the next update takes the
-- calendar window again (a few hundred small items) and every meeting gains its reminder.

ALTER TABLE event ADD COLUMN reminder_minutes INTEGER;
DELETE FROM delta_checkpoint WHERE collection = 'calendar';
