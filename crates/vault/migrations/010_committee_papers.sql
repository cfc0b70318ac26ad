-- 010: committee papers from the council's modern.gov, kept on the device for the meetings
-- the member sits on: each meeting, its agenda items and its papers, with when each paper was
-- first seen (a paper first seen after the member last opened the agenda is new: a
-- supplement) and, once fetched, its content. A paper's content arrives in parts, as an
-- attachment's does, and is put together when the last is in. Inside the encrypted database
-- like everything else.

CREATE TABLE committee_meeting (
    id               INTEGER PRIMARY KEY,
    committee_id     INTEGER NOT NULL,
    committee_title  TEXT NOT NULL,
    day              TEXT NOT NULL,
    time_text        TEXT,
    starts_at        INTEGER,
    location         TEXT,
    status           TEXT NOT NULL,
    agenda_published INTEGER NOT NULL,
    looked_at        INTEGER
) STRICT;

CREATE INDEX committee_meeting_by_day ON committee_meeting (day);

CREATE TABLE agenda_item (
    meeting_id INTEGER NOT NULL REFERENCES committee_meeting(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    id         INTEGER NOT NULL,
    number     TEXT,
    title      TEXT NOT NULL,
    restricted INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, seq)
) STRICT;

CREATE TABLE committee_paper (
    meeting_id    INTEGER NOT NULL REFERENCES committee_meeting(id) ON DELETE CASCADE,
    id            INTEGER NOT NULL,
    item_seq      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    url           TEXT NOT NULL,
    restricted    INTEGER NOT NULL,
    published     TEXT,
    size          INTEGER,
    first_seen_at INTEGER NOT NULL,
    content       BLOB,
    fetched_at    INTEGER,
    PRIMARY KEY (meeting_id, id)
) STRICT;

CREATE TABLE committee_paper_part (
    meeting_id INTEGER NOT NULL,
    paper_id   INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (meeting_id, paper_id, seq),
    FOREIGN KEY (meeting_id, paper_id) REFERENCES committee_paper(meeting_id, id) ON DELETE CASCADE
) STRICT;
