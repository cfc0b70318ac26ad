-- 009: files the member attaches to a message or a forward. A file is staged when chosen (so
-- its size can be shown before sending), claimed by the outbox item that sends it, and
-- forgotten once that item is delivered. `upload_url` keeps an upload session under way, so a
-- dropped connection resumes it rather than starting over; `attached` records that the file
-- is on the draft, so a retry never attaches it twice.

CREATE TABLE outgoing_attachment (
    id TEXT PRIMARY KEY,
    op_id TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    staged_at INTEGER NOT NULL,
    upload_url TEXT,
    attached INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX outgoing_attachment_by_op ON outgoing_attachment (op_id, position);
