-- 003: inline pictures (those a message's HTML shows as `cid:…`). The attachment's content
-- id, so the app can put the picture in from the vault rather than the frame asking anyone
-- for it; and whether a stored body names any, so fetching ahead gets the pictures of mail
-- whose only attachments are inline (Graph does not count those in `hasAttachments`).
-- Attachment lists stored before this step have no content ids until fetched again.

ALTER TABLE attachment ADD COLUMN content_id TEXT;
ALTER TABLE message ADD COLUMN names_inline_pictures INTEGER NOT NULL DEFAULT 0;
UPDATE message SET names_inline_pictures = 1 WHERE body_html LIKE '%cid:%';
