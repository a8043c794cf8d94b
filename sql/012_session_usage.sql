-- Session usage and channel switches (docs/API.md §7.4, §9.1): the model
-- that wrote an AI message, beside the provider's token counts already
-- stored, so a session's usage is told by model; and a channel an admin
-- has switched off (trigger_bot refuses it).
ALTER TABLE chat_messages
  ADD COLUMN IF NOT EXISTS model_name VARCHAR(255) NULL AFTER completion_tokens;
ALTER TABLE experiment_channels
  ADD COLUMN IF NOT EXISTS enabled TINYINT(1) NOT NULL DEFAULT 1 AFTER deleted;
