-- 001: the cache of the member's account, mail, calendar and contacts, and the app's own
-- bookkeeping (delta checkpoints, the outbox, the data ledger, settings).
-- Times are Unix milliseconds, UTC. JSON columns hold small lists (recipients, categories).

CREATE TABLE account (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    display_name  TEXT NOT NULL,
    mail          TEXT NOT NULL,
    tenant_id     TEXT,
    signed_in_at  INTEGER
) STRICT;

CREATE TABLE mail_folder (
    id            TEXT PRIMARY KEY,
    parent_id     TEXT,
    display_name  TEXT NOT NULL,
    well_known    TEXT,
    unread_count  INTEGER NOT NULL DEFAULT 0,
    total_count   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE message (
    rid              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    folder_id        TEXT NOT NULL REFERENCES mail_folder(id) ON DELETE CASCADE,
    conversation_id  TEXT,
    subject          TEXT NOT NULL DEFAULT '',
    from_name        TEXT,
    from_address     TEXT,
    to_json          TEXT NOT NULL DEFAULT '[]',
    cc_json          TEXT NOT NULL DEFAULT '[]',
    preview          TEXT NOT NULL DEFAULT '',
    received_at      INTEGER NOT NULL,
    sent_at          INTEGER,
    is_read          INTEGER NOT NULL DEFAULT 0,
    is_draft         INTEGER NOT NULL DEFAULT 0,
    flag_status      TEXT NOT NULL DEFAULT 'notFlagged',
    categories_json  TEXT NOT NULL DEFAULT '[]',
    importance       TEXT NOT NULL DEFAULT 'normal',
    has_attachments  INTEGER NOT NULL DEFAULT 0,
    change_key       TEXT,
    event_id         TEXT,
    -- The body only once fetched: text for search and plain display, HTML to sanitise.
    body_text        TEXT,
    body_html        TEXT,
    body_fetched_at  INTEGER
) STRICT;

-- A folder a page at a time, newest first (keyset pagination on (received_at, id)).
CREATE INDEX message_by_folder ON message (folder_id, received_at DESC, id DESC);
CREATE INDEX message_by_conversation ON message (conversation_id, received_at);
CREATE INDEX message_unread ON message (folder_id) WHERE is_read = 0;

CREATE TABLE attachment (
    message_id    TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    is_inline     INTEGER NOT NULL DEFAULT 0,
    -- The content only once fetched, inside the encrypted database (no loose files).
    content       BLOB,
    fetched_at    INTEGER,
    PRIMARY KEY (message_id, id)
) STRICT;

CREATE TABLE event (
    rid                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    series_master_id    TEXT,
    kind                TEXT NOT NULL DEFAULT 'singleInstance',
    subject             TEXT NOT NULL DEFAULT '',
    preview             TEXT NOT NULL DEFAULT '',
    body_html           TEXT,
    start_at            INTEGER NOT NULL,
    end_at              INTEGER NOT NULL,
    is_all_day          INTEGER NOT NULL DEFAULT 0,
    is_cancelled        INTEGER NOT NULL DEFAULT 0,
    location            TEXT NOT NULL DEFAULT '',
    organizer_name      TEXT,
    organizer_address   TEXT,
    response            TEXT NOT NULL DEFAULT 'none',
    response_requested  INTEGER NOT NULL DEFAULT 0,
    online_join_url     TEXT,
    attendees_json      TEXT NOT NULL DEFAULT '[]',
    change_key          TEXT
) STRICT;

CREATE INDEX event_by_start ON event (start_at, end_at);

CREATE TABLE contact (
    rid           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    folder_id     TEXT,
    display_name  TEXT NOT NULL DEFAULT '',
    given_name    TEXT,
    surname       TEXT,
    job_title     TEXT,
    company       TEXT,
    department    TEXT,
    emails_json   TEXT NOT NULL DEFAULT '[]',
    -- The addresses again, lower case and space-separated, for lookup and search.
    emails_text   TEXT NOT NULL DEFAULT '',
    phones_json   TEXT NOT NULL DEFAULT '[]',
    mobile_phone  TEXT,
    change_key    TEXT
) STRICT;

CREATE INDEX contact_by_name ON contact (display_name COLLATE NOCASE);

-- Where each collection's delta round stands: the whole nextLink or deltaLink, kept in the
-- same transaction as the page it belongs to.
CREATE TABLE delta_checkpoint (
    collection  TEXT PRIMARY KEY,
    link        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('next', 'delta')),
    updated_at  INTEGER NOT NULL
) STRICT;

-- Local changes waiting for the server, each delivered exactly once.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    op_id       TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    target_id   TEXT,
    payload     TEXT NOT NULL DEFAULT '{}',
    state       TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'failed', 'done')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    remote_id   TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX outbox_pending ON outbox (state, id) WHERE state IN ('queued', 'sending', 'failed');

-- Bytes moved, by day (Europe/London), feature and network.
CREATE TABLE data_ledger (
    day         TEXT NOT NULL,
    feature     TEXT NOT NULL,
    network     TEXT NOT NULL,
    bytes_up    INTEGER NOT NULL DEFAULT 0,
    bytes_down  INTEGER NOT NULL DEFAULT 0,
    requests    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, feature, network)
) STRICT;

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
