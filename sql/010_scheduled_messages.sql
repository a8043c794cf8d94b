-- scheduled_messages: one-off messages a participant is sent at a given
-- time (docs/API.md §13, POST /api/participants "schedules"). The send is
-- a "scheduled_message" job due at next_trigger_date; its payload carries
-- the row's version, and a create or update bumps the version and queues a
-- new job, so only the job of the latest version sends. sent_at is set in
-- the transaction that queues the message's generation (a trigger_bot
-- job), so a message is sent once however often its job runs.
CREATE TABLE scheduled_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  team_id BIGINT UNSIGNED NOT NULL,
  experiment_id BIGINT UNSIGNED NOT NULL,
  participant_id BIGINT UNSIGNED NOT NULL,
  external_id VARCHAR(32) COLLATE utf8mb4_bin NOT NULL,
  name VARCHAR(255) NOT NULL,
  prompt_text TEXT NOT NULL,
  next_trigger_date DATETIME(6) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  cancelled_at DATETIME(6) NULL,
  cancelled_by BIGINT UNSIGNED NULL,
  sent_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  UNIQUE KEY scheduled_messages_external (participant_id, experiment_id, external_id),
  KEY scheduled_messages_team (team_id),
  CONSTRAINT fk_smsg_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT fk_smsg_experiment FOREIGN KEY (experiment_id) REFERENCES experiments (id) ON DELETE CASCADE,
  CONSTRAINT fk_smsg_participant FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE,
  CONSTRAINT fk_smsg_cancelled_by FOREIGN KEY (cancelled_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
