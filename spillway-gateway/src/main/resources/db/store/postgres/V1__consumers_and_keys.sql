-- Consumers added through the admin API and gateway keys, shared by every replica (store.postgres).
-- Keys are salted, keyed hashes (HMAC-SHA256 with the pepper from the config); no key and no pepper is ever stored.
-- Every committed write increases its kind's row in versions, which also serialises writers (row lock).

CREATE TABLE versions (
  name    text   PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO versions (name, version) VALUES ('keys', 0), ('consumers', 0);

CREATE TABLE gateway_keys (
  seq         bigserial   NOT NULL UNIQUE, -- creation order: rotation keeps the newest previous key by this
  key_id      text        PRIMARY KEY,
  consumer_id text        NOT NULL,
  salt        bytea       NOT NULL,
  hash        bytea       NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX gateway_keys_consumer ON gateway_keys (consumer_id);

CREATE TABLE consumers (
  seq  bigserial NOT NULL UNIQUE,        -- the order consumers were first added
  id   text      PRIMARY KEY,
  body jsonb     NOT NULL                -- {"id","team","models","priorityClass","jwtSubjects"}
);
