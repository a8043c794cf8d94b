-- 003: fixed-window request counters (rate limits, docs/API.md §14) and
-- idempotency keys. Counters live in the database so that every worker on
-- every host counts against one window.
CREATE TABLE IF NOT EXISTS rate_limit_windows (
  scope CHAR(1) NOT NULL,              -- 't' team, 's' chat session
  rl_key VARCHAR(64) NOT NULL,         -- team id or chat session uuid
  window_start BIGINT NOT NULL,        -- unix seconds, a multiple of the window
  window_seconds INT NOT NULL,
  count INT NOT NULL,
  PRIMARY KEY (scope, rl_key, window_start),
  KEY rate_limit_windows_end (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- Idempotency keys: the first response to a key is stored for 24 h and
-- replayed to retries with the same request. scope is 't:<team id>',
-- 's:<chat session>' or 'a:' (anonymous chat start).
CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope VARCHAR(80) NOT NULL,
  idem_key VARCHAR(255) NOT NULL,
  request_hash CHAR(64) NOT NULL,      -- SHA-256 of method, path and body
  done TINYINT(1) NOT NULL DEFAULT 0,  -- 0 while the first request runs
  http_status INT NOT NULL DEFAULT 0,
  content_type VARCHAR(128) NULL,
  location VARCHAR(2048) NULL,
  body MEDIUMBLOB NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (scope, idem_key),
  KEY idempotency_keys_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
