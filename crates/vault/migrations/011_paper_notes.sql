-- 011: the member's notes on committee papers. Each paper with notes has a note set: what
-- the notes are on (committee, meeting day and paper title, copied, so the notes outlive the
-- meeting, which is forgotten a month after it is held) and a revision, raised by every
-- change, against which the copy saved to the member's OneDrive is compared.

CREATE TABLE paper_note_set (
    meeting_id      INTEGER NOT NULL,
    paper_id        INTEGER NOT NULL,
    committee_title TEXT NOT NULL,
    meeting_day     TEXT NOT NULL,
    paper_title     TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    changed_at      INTEGER NOT NULL,
    saved_revision  INTEGER,
    saved_at        INTEGER,
    saved_file      TEXT,
    save_failure    TEXT,
    PRIMARY KEY (meeting_id, paper_id)
) STRICT;

CREATE TABLE paper_note (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL,
    paper_id   INTEGER NOT NULL,
    page       INTEGER,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (meeting_id, paper_id) REFERENCES paper_note_set(meeting_id, paper_id) ON DELETE CASCADE
) STRICT;

CREATE INDEX paper_note_by_paper ON paper_note (meeting_id, paper_id);
