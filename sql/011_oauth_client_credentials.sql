-- OAuth client_credentials (machine tokens, docs/API.md §2.3): an
-- application says which grant it uses; a client-credentials application is
-- pinned to one team, may be granted at most its own scopes (NULL: every
-- scope a machine token may hold) and reaches only the chatbots of its
-- allow-list (the working rows of their families; empty means none). Its
-- access tokens have no user.
ALTER TABLE oauth_applications
  ADD COLUMN IF NOT EXISTS grant_type VARCHAR(32) NOT NULL DEFAULT 'authorization-code',
  ADD COLUMN IF NOT EXISTS team_id BIGINT UNSIGNED NULL,
  ADD COLUMN IF NOT EXISTS scopes VARCHAR(255) NULL,
  ADD KEY IF NOT EXISTS oauth_applications_team (team_id),
  ADD CONSTRAINT fk_oauth_app_team FOREIGN KEY IF NOT EXISTS (team_id) REFERENCES teams (id) ON DELETE CASCADE;

CREATE TABLE IF NOT EXISTS oauth_application_chatbots (
  application_id BIGINT UNSIGNED NOT NULL,
  experiment_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (application_id, experiment_id),
  KEY oauth_application_chatbots_experiment (experiment_id),
  CONSTRAINT fk_oauth_app_chatbots_app FOREIGN KEY (application_id) REFERENCES oauth_applications (id)
    ON DELETE CASCADE,
  CONSTRAINT fk_oauth_app_chatbots_experiment FOREIGN KEY (experiment_id) REFERENCES experiments (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A machine token has no resource owner.
ALTER TABLE oauth_access_tokens MODIFY user_id BIGINT UNSIGNED NULL;
