-- Drip's request budgets, shared by every instance using this database: one row per request sent
-- within the current window, and a row per endpoint class that serialises the check and holds a pause.
CREATE TABLE rate_budget (
    endpoint_class TEXT   NOT NULL PRIMARY KEY,
    paused_until   BIGINT NOT NULL DEFAULT 0
);
INSERT INTO rate_budget (endpoint_class) VALUES ('single');
INSERT INTO rate_budget (endpoint_class) VALUES ('batch');

CREATE TABLE rate_budget_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_class TEXT   NOT NULL,
    sent_at        BIGINT NOT NULL
);
CREATE INDEX rate_budget_log_window ON rate_budget_log (endpoint_class, sent_at);

-- Campaign subscriptions this service made: each call costs budget, so none is made twice.
CREATE TABLE campaign_subscription (
    email         TEXT   NOT NULL,
    campaign_id   TEXT   NOT NULL,
    subscribed_at BIGINT NOT NULL,
    PRIMARY KEY (email, campaign_id)
);
