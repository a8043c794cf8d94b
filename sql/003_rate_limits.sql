-- 003: fixed-window request counters (rate limits, API.md §14) and
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
