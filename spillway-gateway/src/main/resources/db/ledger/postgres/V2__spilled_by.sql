-- Who spilled a request: 'gateway' (the router chose PAYG) or 'azure' (a PTU deployment's own spillover served it from
-- a standard deployment; such a row has tier 'payg' and the PTU's backend id). Rows written before say NULL.
ALTER TABLE usage ADD COLUMN spilled_by text;
