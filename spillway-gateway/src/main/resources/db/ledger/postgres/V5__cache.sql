-- What a hit of the gateway's response cache saved: the prompt and completion tokens the stored answer cost when the
-- backend made it (the hit spent none). 0 for every other row and for rows written before.
ALTER TABLE usage ADD COLUMN saved_prompt_tokens bigint NOT NULL DEFAULT 0;
ALTER TABLE usage ADD COLUMN saved_completion_tokens bigint NOT NULL DEFAULT 0;
-- A keyed 64-bit hash of the first 1,024 tokens of a prompt at least that long (the shortest a provider's prompt cache
-- serves), for prefix stability: whether a consumer's consecutive prompts begin alike. NULL for shorter prompts,
-- operations without a prompt and rows written before. No prompt text is stored.
ALTER TABLE usage ADD COLUMN prompt_prefix_hash bigint;
-- The ledger's random salt for those hashes, one row, made by the first gateway that finds none.
CREATE TABLE ledger_key (
  id   smallint PRIMARY KEY CHECK (id = 1),
  salt bytea    NOT NULL
);
