-- auth_epoch: one row whose counter every API-key revocation bumps; each
-- worker re-reads it at most once a second and empties its cache of
-- verified keys when it changed (README, "auth_cache_seconds").
CREATE TABLE IF NOT EXISTS auth_epoch (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  epoch BIGINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
INSERT IGNORE INTO auth_epoch (id, epoch) VALUES (1, 0);

-- OAuth (RFC 6749 sections 4.1.3, 10.4; OAuth 2.0 Security BCP): whether the
-- authorization request carried redirect_uri (then the token request must
-- repeat it exactly); the grant every token descends from (a replayed code
-- or a reused rotated refresh token revokes that whole family); refresh
-- token lifetime, and whether a refresh token was rotated (used) rather
-- than revoked.
ALTER TABLE oauth_grants
  ADD COLUMN IF NOT EXISTS redirect_uri_sent TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE oauth_access_tokens
  ADD COLUMN IF NOT EXISTS grant_id BIGINT UNSIGNED NULL,
  ADD KEY IF NOT EXISTS oauth_access_tokens_grant (grant_id);
ALTER TABLE oauth_refresh_tokens
  ADD COLUMN IF NOT EXISTS grant_id BIGINT UNSIGNED NULL,
  ADD COLUMN IF NOT EXISTS expires DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS rotated TINYINT(1) NOT NULL DEFAULT 0,
  ADD KEY IF NOT EXISTS oauth_refresh_tokens_grant (grant_id);
UPDATE oauth_refresh_tokens SET expires = created_at + INTERVAL 30 DAY WHERE expires IS NULL;
