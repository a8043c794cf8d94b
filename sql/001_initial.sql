-- 001_initial: the whole data model of the Confab API (docs/API.md §3).
-- All times are UTC DATETIME(6); every team-owned row carries team_id.

-- teams: tenants; every API credential is bound to exactly one.
CREATE TABLE teams (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  slug VARCHAR(50) COLLATE utf8mb4_bin NOT NULL,
  name VARCHAR(100) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY teams_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- users: people who own API keys, log in, and authorize OAuth apps.
CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(254) NOT NULL,
  password_hash VARCHAR(255) NULL,
  is_active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- team_memberships: a user's role in a team (§2.4).
CREATE TABLE team_memberships (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  role VARCHAR(32) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY team_memberships_team_user (team_id, user_id),
  KEY team_memberships_user (user_id),
  CONSTRAINT fk_memberships_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_memberships_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- api_keys: user API keys "prefix.secret"; only "sha512$$<hex>" is stored (§2.2).
CREATE TABLE api_keys (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  prefix CHAR(8) COLLATE utf8mb4_bin NOT NULL,
  hashed_key VARCHAR(160) COLLATE utf8mb4_bin NOT NULL,
  name VARCHAR(50) NOT NULL DEFAULT '',
  team_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  read_only TINYINT(1) NOT NULL DEFAULT 1,
  revoked TINYINT(1) NOT NULL DEFAULT 0,
  expiry_date DATETIME(6) NULL,
  last_used_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY api_keys_prefix (prefix),
  KEY api_keys_team (team_id),
  CONSTRAINT fk_api_keys_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_api_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- llm_providers: a team's LLM credentials (§12); api_key is a secret, never echoed.
CREATE TABLE llm_providers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  type VARCHAR(32) NOT NULL,
  name VARCHAR(128) NOT NULL,
  base_url VARCHAR(512) NOT NULL DEFAULT '',
  api_key TEXT NULL,
  config JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(config)),
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY llm_providers_team_name (team_id, name),
  CONSTRAINT fk_llm_providers_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- experiments: chatbots. A family is one working row (working_version_id NULL)
-- plus frozen versions pointing at it (§4). Version numbers are unique per
-- family; default_marker (generated, NULL unless default) lets a unique key
-- allow at most one default version per family.
CREATE TABLE experiments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id CHAR(36) COLLATE utf8mb4_bin NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(128) NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  working_version_id BIGINT UNSIGNED NULL,
  version_number INT UNSIGNED NOT NULL DEFAULT 1,
  is_default_version TINYINT(1) NOT NULL DEFAULT 0,
  version_description TEXT NOT NULL DEFAULT '',
  is_archived TINYINT(1) NOT NULL DEFAULT 0,
  participant_allowlist JSON NOT NULL DEFAULT '[]' CHECK (JSON_VALID(participant_allowlist)),
  llm_provider_id BIGINT UNSIGNED NULL,
  llm_model VARCHAR(255) NOT NULL DEFAULT '',
  temperature DOUBLE NOT NULL DEFAULT 0.7,
  prompt_text TEXT NOT NULL DEFAULT '',
  source_material MEDIUMTEXT NOT NULL DEFAULT '',
  history_mode VARCHAR(16) NOT NULL DEFAULT 'global',
  history_max_messages INT NOT NULL DEFAULT 10,
  seed_message TEXT NOT NULL DEFAULT '',
  conversational_consent_enabled TINYINT(1) NOT NULL DEFAULT 0,
  consent_text TEXT NOT NULL DEFAULT '',
  file_uploads_enabled TINYINT(1) NOT NULL DEFAULT 0,
  default_marker TINYINT(1) AS (IF(is_default_version = 1 AND working_version_id IS NOT NULL, 1, NULL)) STORED,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY experiments_public_id (public_id),
  UNIQUE KEY experiments_family_version (working_version_id, version_number),
  UNIQUE KEY experiments_family_default (working_version_id, default_marker),
  KEY experiments_team (team_id, working_version_id),
  CONSTRAINT fk_experiments_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_experiments_working FOREIGN KEY (working_version_id) REFERENCES experiments (id) ON DELETE CASCADE,
  CONSTRAINT fk_experiments_provider FOREIGN KEY (llm_provider_id) REFERENCES llm_providers (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- experiment_channels: how a chatbot is reached (§3, §2.6, §9). Team-global
-- api/web/evaluations channels have experiment_id NULL. widget_token is the
-- embed key of an embedded_widget channel; secret holds e.g. a Telegram token.
CREATE TABLE experiment_channels (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  experiment_id BIGINT UNSIGNED NULL,
  platform VARCHAR(32) NOT NULL,
  name VARCHAR(255) NOT NULL DEFAULT '',
  extra_data JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(extra_data)),
  widget_token VARCHAR(64) COLLATE utf8mb4_bin NULL,
  allowed_domains JSON NOT NULL DEFAULT '[]' CHECK (JSON_VALID(allowed_domains)),
  secret TEXT NULL,
  deleted TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY experiment_channels_team_platform (team_id, platform, deleted),
  KEY experiment_channels_experiment (experiment_id, platform, deleted),
  KEY experiment_channels_widget_token (widget_token),
  CONSTRAINT fk_channels_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_channels_experiment FOREIGN KEY (experiment_id) REFERENCES experiments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- participants: who talks to a chatbot, per team and platform (§3, §11).
CREATE TABLE participants (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id CHAR(36) COLLATE utf8mb4_bin NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  identifier VARCHAR(320) COLLATE utf8mb4_bin NOT NULL,
  platform VARCHAR(32) NOT NULL,
  name VARCHAR(320) NOT NULL DEFAULT '',
  remote_id VARCHAR(255) NOT NULL DEFAULT '',
  user_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY participants_public_id (public_id),
  UNIQUE KEY participants_team_platform_identifier (team_id, platform, identifier),
  CONSTRAINT fk_participants_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_participants_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- participant_data: per-chatbot participant memory (experiment = working row).
CREATE TABLE participant_data (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  participant_id BIGINT UNSIGNED NOT NULL,
  experiment_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  data JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(data)),
  system_metadata JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(system_metadata)),
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY participant_data_participant_experiment (participant_id, experiment_id),
  CONSTRAINT fk_pdata_participant FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE,
  CONSTRAINT fk_pdata_experiment FOREIGN KEY (experiment_id) REFERENCES experiments (id) ON DELETE CASCADE,
  CONSTRAINT fk_pdata_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- chats: the conversation behind a session; session tags are chat tags.
CREATE TABLE chats (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(128) NOT NULL DEFAULT '',
  metadata JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(metadata)),
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY chats_team (team_id),
  CONSTRAINT fk_chats_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- chat_messages: ordered by (created_at, id); token counts from the provider.
CREATE TABLE chat_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  chat_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  message_type VARCHAR(16) NOT NULL,
  content MEDIUMTEXT NOT NULL,
  summary MEDIUMTEXT NULL,
  metadata JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(metadata)),
  prompt_tokens INT NULL,
  completion_tokens INT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY chat_messages_chat_created (chat_id, created_at, id),
  CONSTRAINT fk_messages_chat FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE,
  CONSTRAINT chat_messages_type CHECK (message_type IN ('human', 'ai', 'system'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- experiment_sessions: one conversation of a participant with a chatbot
-- (experiment = the working row). The two list indexes serve keyset
-- pagination (§7.3); they carry chat_id so that tag/version filters are
-- probed from the index alone. Another index serves "latest open session
-- of a participant" (§9).
CREATE TABLE experiment_sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  external_id VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  experiment_id BIGINT UNSIGNED NOT NULL,
  participant_id BIGINT UNSIGNED NULL,
  experiment_channel_id BIGINT UNSIGNED NULL,
  chat_id BIGINT UNSIGNED NOT NULL,
  status VARCHAR(32) NOT NULL DEFAULT 'setup',
  state JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(state)),
  platform VARCHAR(32) NULL,
  ended_at DATETIME(6) NULL,
  consent_date DATETIME(6) NULL,
  experiment_versions JSON NOT NULL DEFAULT '[]' CHECK (JSON_VALID(experiment_versions)),
  last_activity_at DATETIME(6) NULL,
  seed_task_id CHAR(36) NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY experiment_sessions_external_id (external_id),
  UNIQUE KEY experiment_sessions_chat (chat_id),
  KEY experiment_sessions_team_created (team_id, created_at, id, chat_id),
  KEY experiment_sessions_team_experiment_created (team_id, experiment_id, created_at, id, chat_id),
  KEY experiment_sessions_participant (participant_id, experiment_id, status, created_at),
  CONSTRAINT fk_sessions_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_sessions_experiment FOREIGN KEY (experiment_id) REFERENCES experiments (id) ON DELETE CASCADE,
  CONSTRAINT fk_sessions_participant FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE SET NULL,
  CONSTRAINT fk_sessions_channel FOREIGN KEY (experiment_channel_id) REFERENCES experiment_channels (id) ON DELETE SET NULL,
  CONSTRAINT fk_sessions_chat FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- tags: user tags (category '') and system tags such as version tags
-- (category 'experiment_version'); names compare and sort by code point.
CREATE TABLE tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
  slug VARCHAR(100) NOT NULL DEFAULT '',
  is_system_tag TINYINT(1) NOT NULL DEFAULT 0,
  category VARCHAR(32) NOT NULL DEFAULT '',
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY tags_unique (team_id, name, is_system_tag, category),
  KEY tags_name (team_id, name),
  CONSTRAINT fk_tags_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_tags_user FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- chat_tags: tags on a chat (= session tags).
CREATE TABLE chat_tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  chat_id BIGINT UNSIGNED NOT NULL,
  tag_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY chat_tags_chat_tag (chat_id, tag_id),
  KEY chat_tags_tag_chat (tag_id, chat_id),
  CONSTRAINT fk_chat_tags_chat FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE,
  CONSTRAINT fk_chat_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- chat_message_tags: tags on a message (e.g. the version tag "v2").
CREATE TABLE chat_message_tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  message_id BIGINT UNSIGNED NOT NULL,
  tag_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY chat_message_tags_message_tag (message_id, tag_id),
  KEY chat_message_tags_tag (tag_id, message_id),
  CONSTRAINT fk_message_tags_message FOREIGN KEY (message_id) REFERENCES chat_messages (id) ON DELETE CASCADE,
  CONSTRAINT fk_message_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- files: uploads and generated files; storage_path is chosen by the server.
-- Rows with an expiry_date in the past are purged by the task runners.
CREATE TABLE files (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  session_id BIGINT UNSIGNED NULL,
  name VARCHAR(255) NOT NULL,
  storage_path VARCHAR(512) NOT NULL,
  content_type VARCHAR(255) NOT NULL DEFAULT 'application/octet-stream',
  content_size BIGINT UNSIGNED NOT NULL DEFAULT 0,
  expiry_date DATETIME(6) NULL,
  purpose VARCHAR(64) NOT NULL DEFAULT '',
  external_id VARCHAR(255) NULL,
  metadata JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(metadata)),
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY files_team (team_id),
  KEY files_expiry (expiry_date),
  KEY files_session (session_id),
  CONSTRAINT fk_files_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_files_session FOREIGN KEY (session_id) REFERENCES experiment_sessions (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- chat_attachments: a chat's attachment groups by tool (e.g. ocs_attachments).
CREATE TABLE chat_attachments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  chat_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  tool_type VARCHAR(64) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY chat_attachments_chat_tool (chat_id, tool_type),
  CONSTRAINT fk_chat_attachments_chat FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- chat_attachment_files: which files belong to an attachment group.
CREATE TABLE chat_attachment_files (
  chat_attachment_id BIGINT UNSIGNED NOT NULL,
  file_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (chat_attachment_id, file_id),
  KEY chat_attachment_files_file (file_id),
  CONSTRAINT fk_caf_attachment FOREIGN KEY (chat_attachment_id) REFERENCES chat_attachments (id) ON DELETE CASCADE,
  CONSTRAINT fk_caf_file FOREIGN KEY (file_id) REFERENCES files (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- jobs: the durable job table; runners claim with SELECT ... FOR UPDATE SKIP LOCKED.
-- task_id is the public id the chat API polls.
CREATE TABLE jobs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id CHAR(36) COLLATE utf8mb4_bin NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  session_id BIGINT UNSIGNED NULL,
  kind VARCHAR(32) NOT NULL,
  payload JSON NOT NULL DEFAULT '{}' CHECK (JSON_VALID(payload)),
  status VARCHAR(16) NOT NULL DEFAULT 'queued',
  attempts INT NOT NULL DEFAULT 0,
  max_attempts INT NOT NULL DEFAULT 5,
  run_after DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  locked_by VARCHAR(128) NULL,
  locked_at DATETIME(6) NULL,
  last_error TEXT NULL,
  result JSON NULL CHECK (result IS NULL OR JSON_VALID(result)),
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY jobs_task_id (task_id),
  KEY jobs_claim (status, run_after, id),
  KEY jobs_session (session_id),
  CONSTRAINT fk_jobs_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT jobs_status CHECK (status IN ('queued', 'running', 'done', 'failed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- oauth_applications: registered OAuth2 clients (§2.3); the secret is hashed.
CREATE TABLE oauth_applications (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
  client_secret_hash VARCHAR(255) NULL,
  name VARCHAR(255) NOT NULL,
  redirect_uris TEXT NOT NULL,
  client_type VARCHAR(16) NOT NULL DEFAULT 'confidential',
  skip_authorization TINYINT(1) NOT NULL DEFAULT 0,
  owner_user_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY oauth_applications_client_id (client_id),
  CONSTRAINT fk_oauth_app_owner FOREIGN KEY (owner_user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- oauth_grants: authorization codes (hashed), bound to a team, with PKCE.
CREATE TABLE oauth_grants (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL,
  application_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  scope VARCHAR(255) NOT NULL,
  redirect_uri VARCHAR(1024) NOT NULL,
  code_challenge VARCHAR(128) NOT NULL DEFAULT '',
  code_challenge_method VARCHAR(10) NOT NULL DEFAULT '',
  expires DATETIME(6) NOT NULL,
  used TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oauth_grants_code (code_hash),
  CONSTRAINT fk_grants_app FOREIGN KEY (application_id) REFERENCES oauth_applications (id) ON DELETE CASCADE,
  CONSTRAINT fk_grants_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_grants_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- oauth_access_tokens: bearer tokens (hashed) with team, scopes and expiry.
CREATE TABLE oauth_access_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL,
  application_id BIGINT UNSIGNED NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  scope VARCHAR(255) NOT NULL,
  expires DATETIME(6) NOT NULL,
  revoked TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oauth_access_tokens_token (token_hash),
  CONSTRAINT fk_tokens_app FOREIGN KEY (application_id) REFERENCES oauth_applications (id) ON DELETE CASCADE,
  CONSTRAINT fk_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_tokens_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- oauth_refresh_tokens: hashed; rotated on use (the old one is revoked).
CREATE TABLE oauth_refresh_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL,
  access_token_id BIGINT UNSIGNED NULL,
  application_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  team_id BIGINT UNSIGNED NOT NULL,
  scope VARCHAR(255) NOT NULL,
  revoked TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY oauth_refresh_tokens_token (token_hash),
  CONSTRAINT fk_refresh_access FOREIGN KEY (access_token_id) REFERENCES oauth_access_tokens (id) ON DELETE SET NULL,
  CONSTRAINT fk_refresh_app FOREIGN KEY (application_id) REFERENCES oauth_applications (id) ON DELETE CASCADE,
  CONSTRAINT fk_refresh_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_refresh_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- web_sessions: cookie logins (sessionid hashed) with their CSRF secret.
CREATE TABLE web_sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  session_hash CHAR(64) COLLATE utf8mb4_bin NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  csrf_secret VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
  expires DATETIME(6) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY web_sessions_hash (session_hash),
  KEY web_sessions_expires (expires),
  CONSTRAINT fk_web_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
