-- What a request is billed in besides tokens: 'images', 'audio_seconds' or 'characters' in unit, how many in units
-- (seconds may be fractional), and whether the gateway estimated them (the length of an uploaded WAV file, when the
-- backend's answer did not say). unit and units are NULL for a row billed in tokens only and for rows written before.
ALTER TABLE usage ADD COLUMN unit text;
ALTER TABLE usage ADD COLUMN units double precision;
ALTER TABLE usage ADD COLUMN units_estimated boolean NOT NULL DEFAULT false;
