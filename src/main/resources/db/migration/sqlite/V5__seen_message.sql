-- Segment's deduplication (mapping.md "Each message once"): the messageIds accepted within
-- segment.dedupe-window. Written in the same transaction as the outbox rows the message became,
-- so a message is either stored and remembered, or neither. Expired ids are purged in chunks.
CREATE TABLE seen_message (
    message_id TEXT   NOT NULL PRIMARY KEY,
    seen_at    BIGINT NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_message_seen_at ON seen_message (seen_at);
