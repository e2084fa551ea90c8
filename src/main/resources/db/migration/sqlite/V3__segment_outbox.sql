-- The reverse path's outbox: Segment track calls made from Drip webhooks, not yet accepted by
-- Segment. A row leaves only after Segment answered 2xx or after it was moved to dead_letter
-- (kind 'SEGMENT'). Times are epoch milliseconds (UTC).
CREATE TABLE segment_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT    NOT NULL,
    email           TEXT,
    payload         TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    send_alone      INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    last_error      TEXT
);
-- payload: the Segment track call sent; event: the Drip webhook as received.
-- Drip re-sends a webhook it is unsure about: one pending row per deterministic messageId.
CREATE UNIQUE INDEX segment_outbox_message_id ON segment_outbox (message_id);
CREATE INDEX segment_outbox_due ON segment_outbox (next_attempt_at, id);
