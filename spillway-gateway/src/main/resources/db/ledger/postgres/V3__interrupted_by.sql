-- Who broke a stream after its head reached the client: 'backend' (booked 502), 'client' (499: it left or stopped
-- reading) or 'shutdown' (503: the gateway stopped). NULL for requests that ended normally and rows written before.
ALTER TABLE usage ADD COLUMN interrupted_by text;
