-- 008: the council's directory (Graph's users, the fields the app shows), kept offline for
-- address autocomplete and the directory screen, and refreshed by delta on Wi-Fi. Its own
-- full-text index (prefixes from one character: an address field suggests from the first
-- letter typed), ranked by name first.

CREATE TABLE directory_person (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    job_title TEXT,
    department TEXT,
    office_location TEXT,
    office_phone TEXT,
    mail TEXT
);

CREATE INDEX directory_by_name ON directory_person (display_name COLLATE NOCASE);

CREATE VIEW directory_search AS
    SELECT rid, display_name, coalesce(mail, '') AS mail,
           coalesce(job_title, '') || ' ' || coalesce(department, '') AS work
    FROM directory_person;

CREATE VIRTUAL TABLE directory_fts USING fts5(
    display_name, mail, work,
    content = 'directory_search', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);

CREATE TRIGGER directory_fts_insert AFTER INSERT ON directory_person BEGIN
    INSERT INTO directory_fts (rowid, display_name, mail, work)
    SELECT rid, display_name, mail, work FROM directory_search WHERE rid = new.rid;
END;

CREATE TRIGGER directory_fts_delete BEFORE DELETE ON directory_person BEGIN
    INSERT INTO directory_fts (directory_fts, rowid, display_name, mail, work)
    SELECT 'delete', rid, display_name, mail, work FROM directory_search WHERE rid = old.rid;
END;

CREATE TRIGGER directory_fts_update_before BEFORE UPDATE ON directory_person BEGIN
    INSERT INTO directory_fts (directory_fts, rowid, display_name, mail, work)
    SELECT 'delete', rid, display_name, mail, work FROM directory_search WHERE rid = old.rid;
END;

CREATE TRIGGER directory_fts_update_after AFTER UPDATE ON directory_person BEGIN
    INSERT INTO directory_fts (rowid, display_name, mail, work)
    SELECT rid, display_name, mail, work FROM directory_search WHERE rid = new.rid;
END;

INSERT INTO directory_fts (directory_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)');
