-- webhook_endpoints: where a team's lifecycle events are POSTed (README,
-- "Webhooks"). events is a JSON array of event types, or NULL for all. The
-- secret signs each delivery (HMAC-SHA256), so it is kept as given, like a
-- provider's api_key; it is never echoed after creation. Deliveries are
-- jobs of kind "webhook" in the jobs table.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  url VARCHAR(2048) NOT NULL,
  secret VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  events JSON NULL CHECK (events IS NULL OR JSON_VALID(events)),
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY webhook_endpoints_team (team_id, active),
  CONSTRAINT fk_webhook_endpoints_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
