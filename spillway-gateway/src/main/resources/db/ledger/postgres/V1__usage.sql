-- The usage ledger: one row per finished request, keyed by request id (a repeated id keeps the first row).
-- Same columns as the SQLite ledger's usage table, with PostgreSQL types.
CREATE TABLE usage (
  request_id        text        PRIMARY KEY,
  time              timestamptz NOT NULL,
  consumer          text,
  team              text,
  client_ip         text,
  route             text,
  model             text,
  backend           text,
  tier              text,
  region            text,
  status            integer     NOT NULL,
  prompt_tokens     bigint      NOT NULL,
  completion_tokens bigint      NOT NULL,
  cached_tokens     bigint      NOT NULL,
  reasoning_tokens  bigint      NOT NULL,
  usage_estimated   boolean     NOT NULL,
  latency_ms        bigint      NOT NULL,
  ttft_ms           bigint,
  cache_status      text        NOT NULL,
  attempts          integer     NOT NULL,
  spilled           boolean     NOT NULL
);

-- Reports read a period: by time, and by time per team and per consumer.
CREATE INDEX usage_time ON usage (time);
CREATE INDEX usage_team_time ON usage (team, time);
CREATE INDEX usage_consumer_time ON usage (consumer, time);
