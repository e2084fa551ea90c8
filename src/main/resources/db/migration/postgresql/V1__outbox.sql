-- Work accepted from Segment and not yet acknowledged by Drip. A row leaves only after Drip
-- answered 2xx or after it was moved to dead_letter. Times are epoch milliseconds (UTC).
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    campaign_id     TEXT,
    payload         TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    last_error      TEXT
);
-- Claiming takes the oldest due rows; one person's rows stay in order.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
CREATE INDEX outbox_email ON outbox (email, id);

CREATE TABLE dead_letter (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT    NOT NULL,
    email          TEXT,
    payload        TEXT,
    event          TEXT    NOT NULL,
    request        TEXT,
    status         INTEGER,
    response       TEXT,
    reason         TEXT    NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL,
    replayed       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dead_letter_reason ON dead_letter (reason, id);
