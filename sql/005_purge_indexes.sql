-- 005: indexes for the runners' purges (issue 15): each purge statement
-- deletes expired rows in batches, found by these instead of a table scan.
CREATE INDEX IF NOT EXISTS oauth_grants_expires ON oauth_grants (expires);
CREATE INDEX IF NOT EXISTS oauth_access_tokens_expires ON oauth_access_tokens (expires);
CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_revoked ON oauth_refresh_tokens (revoked, created_at);
