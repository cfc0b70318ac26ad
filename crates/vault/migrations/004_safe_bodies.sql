-- 004: a message body's safe form, made once when it is stored rather than at every open
-- (sanitising is the costly step of showing a message). `safe_version` names the sanitiser
-- policy that made it, so a later policy makes it again; NULL means not made yet. A made
-- form with no HTML means the body is over the bounds and is shown as its text. Inline
-- pictures are kept as numbered `cid:` placeholders, named in `safe_inline_json`, and put
-- in when the message is shown.

ALTER TABLE message ADD COLUMN safe_version INTEGER;
ALTER TABLE message ADD COLUMN safe_html TEXT;
ALTER TABLE message ADD COLUMN safe_blocked_images INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN safe_blocked_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN safe_inline_json TEXT;
