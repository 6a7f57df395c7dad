-- The end user a request was made for, as the calling application named it: the body's "user" (else its
-- "safety_identifier") or the configured ledger.endUserHeader, bounded by the gateway (at most 128 characters, no
-- control characters). It may be personal data. '' when the request named none and for rows written before.
ALTER TABLE usage ADD COLUMN end_user text NOT NULL DEFAULT '';
-- What the content guard did about the request: 'none', 'logged', 'masked' or 'blocked', and the category of the
-- finding that called for it ('pii.email', 'hate', ...; '' for none). Never the text that matched. 'none' and '' for
-- rows written before.
ALTER TABLE usage ADD COLUMN safety_verdict text NOT NULL DEFAULT 'none';
ALTER TABLE usage ADD COLUMN safety_category text NOT NULL DEFAULT '';
