-- 002: full-text search over mail, events and contacts (FTS5, external content, so text is
-- stored once). Diacritics are folded; prefixes of 2 and 3 characters are indexed so that
-- search-as-you-type stays fast. Triggers keep the indexes in step with the tables; the last
-- statements index whatever version 1 already held.

CREATE VIEW message_search AS
    SELECT rid, subject,
           coalesce(from_name, '') || ' ' || coalesce(from_address, '') AS sender,
           preview,
           coalesce(body_text, '') AS body
    FROM message;

CREATE VIRTUAL TABLE message_fts USING fts5(
    subject, sender, preview, body,
    content = 'message_search', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
    INSERT INTO message_fts (rowid, subject, sender, preview, body)
    VALUES (new.rid, new.subject, coalesce(new.from_name, '') || ' ' || coalesce(new.from_address, ''), new.preview, coalesce(new.body_text, ''));
END;

CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, subject, sender, preview, body)
    VALUES ('delete', old.rid, old.subject, coalesce(old.from_name, '') || ' ' || coalesce(old.from_address, ''), old.preview, coalesce(old.body_text, ''));
END;

-- Only the searched columns: marking read or flagging must not rewrite the index.
CREATE TRIGGER message_fts_update AFTER UPDATE OF subject, from_name, from_address, preview, body_text ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, subject, sender, preview, body)
    VALUES ('delete', old.rid, old.subject, coalesce(old.from_name, '') || ' ' || coalesce(old.from_address, ''), old.preview, coalesce(old.body_text, ''));
    INSERT INTO message_fts (rowid, subject, sender, preview, body)
    VALUES (new.rid, new.subject, coalesce(new.from_name, '') || ' ' || coalesce(new.from_address, ''), new.preview, coalesce(new.body_text, ''));
END;

CREATE VIEW event_search AS
    SELECT rid, subject, location,
           coalesce(organizer_name, '') || ' ' || coalesce(organizer_address, '') AS organizer,
           preview
    FROM event;

CREATE VIRTUAL TABLE event_fts USING fts5(
    subject, location, organizer, preview,
    content = 'event_search', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
    INSERT INTO event_fts (rowid, subject, location, organizer, preview)
    VALUES (new.rid, new.subject, new.location, coalesce(new.organizer_name, '') || ' ' || coalesce(new.organizer_address, ''), new.preview);
END;

CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
    INSERT INTO event_fts (event_fts, rowid, subject, location, organizer, preview)
    VALUES ('delete', old.rid, old.subject, old.location, coalesce(old.organizer_name, '') || ' ' || coalesce(old.organizer_address, ''), old.preview);
END;

CREATE TRIGGER event_fts_update AFTER UPDATE OF subject, location, organizer_name, organizer_address, preview ON event BEGIN
    INSERT INTO event_fts (event_fts, rowid, subject, location, organizer, preview)
    VALUES ('delete', old.rid, old.subject, old.location, coalesce(old.organizer_name, '') || ' ' || coalesce(old.organizer_address, ''), old.preview);
    INSERT INTO event_fts (rowid, subject, location, organizer, preview)
    VALUES (new.rid, new.subject, new.location, coalesce(new.organizer_name, '') || ' ' || coalesce(new.organizer_address, ''), new.preview);
END;

CREATE VIEW contact_search AS
    SELECT rid, display_name AS name,
           emails_text AS emails,
           coalesce(company, '') || ' ' || coalesce(department, '') || ' ' || coalesce(job_title, '') AS work
    FROM contact;

CREATE VIRTUAL TABLE contact_fts USING fts5(
    name, emails, work,
    content = 'contact_search', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact BEGIN
    INSERT INTO contact_fts (rowid, name, emails, work)
    SELECT rid, name, emails, work FROM contact_search WHERE rid = new.rid;
END;

CREATE TRIGGER contact_fts_delete BEFORE DELETE ON contact BEGIN
    INSERT INTO contact_fts (contact_fts, rowid, name, emails, work)
    SELECT 'delete', rid, name, emails, work FROM contact_search WHERE rid = old.rid;
END;

CREATE TRIGGER contact_fts_update_before BEFORE UPDATE ON contact BEGIN
    INSERT INTO contact_fts (contact_fts, rowid, name, emails, work)
    SELECT 'delete', rid, name, emails, work FROM contact_search WHERE rid = old.rid;
END;

CREATE TRIGGER contact_fts_update_after AFTER UPDATE ON contact BEGIN
    INSERT INTO contact_fts (rowid, name, emails, work)
    SELECT rid, name, emails, work FROM contact_search WHERE rid = new.rid;
END;

INSERT INTO message_fts (message_fts) VALUES ('rebuild');
INSERT INTO event_fts (event_fts) VALUES ('rebuild');
INSERT INTO contact_fts (contact_fts) VALUES ('rebuild');

-- Rank matches by bm25 with the subject weighing most, then the sender.
INSERT INTO message_fts (message_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 2.0, 1.0)');
INSERT INTO event_fts (event_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 3.0, 1.0)');
INSERT INTO contact_fts (contact_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 2.0)');
