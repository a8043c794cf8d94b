-- app_secrets: per-installation secrets shared by every host (e.g. the key
-- that signs pagination cursors). Rows are created on first use by confabd.
CREATE TABLE IF NOT EXISTS app_secrets (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value VARCHAR(255) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
