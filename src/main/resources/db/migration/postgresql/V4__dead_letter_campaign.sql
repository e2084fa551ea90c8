-- A dead letter keeps the campaign its upsert was to be followed by, so a replay restores both.
ALTER TABLE dead_letter ADD COLUMN campaign_id TEXT;
