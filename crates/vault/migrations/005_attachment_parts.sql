-- 005: an attachment's content as it arrives, in parts, each written in its own short
-- transaction so a large download never sits whole in memory nor holds the vault for
-- minutes. When the last part is in, they are put together as `attachment.content` (through
-- SQLite's incremental blob I/O) and removed; parts of a download that never finished are
-- removed by the next try. Inside the encrypted database like everything else.

CREATE TABLE attachment_part (
    message_id    TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (message_id, attachment_id, seq),
    FOREIGN KEY (message_id, attachment_id) REFERENCES attachment(message_id, id) ON DELETE CASCADE
) STRICT;
