-- E-commerce carts (mapping.md "Carts"): Drip wants the whole cart in every cart record, while
-- Product Added / Removed carry one product, so each cart's items are kept here. Written in the
-- intake's transaction; version guards against two requests changing one cart at once.
CREATE TABLE cart (
    cart_key   TEXT    NOT NULL PRIMARY KEY,
    items      TEXT    NOT NULL,
    sent       INTEGER NOT NULL DEFAULT 0,
    version    BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
-- Abandoned carts expire (drip.shopper-activity.cart-expiry): oldest first.
CREATE INDEX cart_updated_at ON cart (updated_at);
