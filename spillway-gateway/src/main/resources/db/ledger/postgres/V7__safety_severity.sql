-- The severity of the finding behind the content guard's verdict, 0 (safe) to 7 on Azure AI Content Safety's scale as
-- the guard reports it; 0 for 'none', for findings that carry none, and for rows written before.
ALTER TABLE usage ADD COLUMN safety_severity smallint NOT NULL DEFAULT 0
  CONSTRAINT usage_safety_severity_range CHECK (safety_severity BETWEEN 0 AND 7);
