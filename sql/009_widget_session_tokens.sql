-- Widget session tokens (docs/API.md §2.8): a channel's policy for the
-- signed X-Session-Token that chat start hands out. session_token_ttl_days
-- is the token's absolute lifetime from the session's creation (NULL: the
-- default, 7 days); session_token_required makes the token mandatory on
-- the session routes (0: a caller without one keeps the older checks).
ALTER TABLE experiment_channels
  ADD COLUMN session_token_ttl_days INT UNSIGNED NULL DEFAULT NULL,
  ADD COLUMN session_token_required TINYINT(1) NOT NULL DEFAULT 0;
