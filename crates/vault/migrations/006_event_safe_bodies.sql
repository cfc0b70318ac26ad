-- 006: a meeting's description made safe once, as mail bodies are (004). `safe_version`
-- names the sanitiser policy that made it (NULL: not made yet); a made form with no HTML
-- means the description is over the bounds and is shown as its text. A changed description
-- forgets its safe form (see `upsert_event`).

ALTER TABLE event ADD COLUMN safe_version INTEGER;
ALTER TABLE event ADD COLUMN safe_html TEXT;
