-- Version counters for the per-worker read caches (README "Reads and
-- caches"). A worker keeps the rendered messages and tags of a chat, and
-- the Experiment JSON of a chatbot, and serves them again only while the
-- counter read in the same statement as the session row is unchanged.
-- The counters are moved by triggers, so every write through any path, on
-- any host, invalidates in the transaction that changes the data.
--
-- Inserts and deletes bump the chat in a BEFORE trigger: the exclusive lock
-- on the chats row is then taken before the insert's foreign-key check
-- takes a shared one, so two writers of one chat queue instead of
-- deadlocking on a lock upgrade.
--
-- Cascaded deletes do not fire triggers in MariaDB: the rows whose deletion
-- cascades into a cached chat (files, tags, messages) bump it themselves.

ALTER TABLE chats
  ADD COLUMN version BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN content_bytes BIGINT UNSIGNED NOT NULL DEFAULT 0;

-- content_bytes: LENGTH(content) + LENGTH(metadata) of the chat's messages,
-- so a reader knows a chat's size before loading it.
UPDATE chats c JOIN (SELECT chat_id, SUM(LENGTH(content) + LENGTH(metadata)) AS bytes
                     FROM chat_messages GROUP BY chat_id) m ON m.chat_id = c.id
  SET c.content_bytes = m.bytes;

-- catalog_versions: one counter per team, moved by every change of its
-- chatbots (experiments, their versions) and LLM providers.
CREATE TABLE IF NOT EXISTS catalog_versions (
  team_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  version BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER chat_messages_bi BEFORE INSERT ON chat_messages FOR EACH ROW
  UPDATE chats SET version = version + 1,
    content_bytes = content_bytes + LENGTH(NEW.content) + LENGTH(NEW.metadata)
  WHERE id = NEW.chat_id;

CREATE TRIGGER chat_messages_bu BEFORE UPDATE ON chat_messages FOR EACH ROW
  UPDATE chats SET version = version + 1,
    content_bytes = content_bytes + LENGTH(NEW.content) + LENGTH(NEW.metadata)
                    - LEAST(content_bytes, LENGTH(OLD.content) + LENGTH(OLD.metadata))
  WHERE id = NEW.chat_id;

CREATE TRIGGER chat_messages_bd BEFORE DELETE ON chat_messages FOR EACH ROW
  UPDATE chats SET version = version + 1,
    content_bytes = content_bytes - LEAST(content_bytes, LENGTH(OLD.content) + LENGTH(OLD.metadata))
  WHERE id = OLD.chat_id;

CREATE TRIGGER chat_message_tags_bi BEFORE INSERT ON chat_message_tags FOR EACH ROW
  UPDATE chats c JOIN chat_messages m ON m.chat_id = c.id SET c.version = c.version + 1
  WHERE m.id = NEW.message_id;

CREATE TRIGGER chat_message_tags_bd BEFORE DELETE ON chat_message_tags FOR EACH ROW
  UPDATE chats c JOIN chat_messages m ON m.chat_id = c.id SET c.version = c.version + 1
  WHERE m.id = OLD.message_id;

CREATE TRIGGER chat_tags_bi BEFORE INSERT ON chat_tags FOR EACH ROW
  UPDATE chats SET version = version + 1 WHERE id = NEW.chat_id;

CREATE TRIGGER chat_tags_bd BEFORE DELETE ON chat_tags FOR EACH ROW
  UPDATE chats SET version = version + 1 WHERE id = OLD.chat_id;

CREATE TRIGGER chat_attachments_bi BEFORE INSERT ON chat_attachments FOR EACH ROW
  UPDATE chats SET version = version + 1 WHERE id = NEW.chat_id;

CREATE TRIGGER chat_attachments_bd BEFORE DELETE ON chat_attachments FOR EACH ROW
  UPDATE chats SET version = version + 1 WHERE id = OLD.chat_id;

CREATE TRIGGER chat_attachment_files_bi BEFORE INSERT ON chat_attachment_files FOR EACH ROW
  UPDATE chats c JOIN chat_attachments a ON a.chat_id = c.id SET c.version = c.version + 1
  WHERE a.id = NEW.chat_attachment_id;

CREATE TRIGGER chat_attachment_files_bd BEFORE DELETE ON chat_attachment_files FOR EACH ROW
  UPDATE chats c JOIN chat_attachments a ON a.chat_id = c.id SET c.version = c.version + 1
  WHERE a.id = OLD.chat_attachment_id;

-- A file's name, type, size or external id is shown in attachments; its
-- deletion cascades into chat_attachment_files.
CREATE TRIGGER files_bu BEFORE UPDATE ON files FOR EACH ROW
  UPDATE chats c JOIN chat_attachments a ON a.chat_id = c.id
    JOIN chat_attachment_files af ON af.chat_attachment_id = a.id
  SET c.version = c.version + 1
  WHERE af.file_id = OLD.id AND NOT (OLD.name <=> NEW.name AND OLD.content_type <=> NEW.content_type
    AND OLD.content_size <=> NEW.content_size AND OLD.external_id <=> NEW.external_id);

CREATE TRIGGER files_bd BEFORE DELETE ON files FOR EACH ROW
  UPDATE chats c JOIN chat_attachments a ON a.chat_id = c.id
    JOIN chat_attachment_files af ON af.chat_attachment_id = a.id
  SET c.version = c.version + 1
  WHERE af.file_id = OLD.id;

-- A tag's name is shown on chats and messages; its deletion cascades. Tag
-- names are never changed in place (a rename is a new tag), and there is
-- deliberately no BEFORE UPDATE trigger on tags: its upsert
-- (ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)) would lose the id it
-- hands back when a trigger runs inside it.
CREATE TRIGGER tags_bd BEFORE DELETE ON tags FOR EACH ROW
BEGIN
  UPDATE chats c JOIN chat_tags ct ON ct.chat_id = c.id SET c.version = c.version + 1 WHERE ct.tag_id = OLD.id;
  UPDATE chats c JOIN chat_messages m ON m.chat_id = c.id JOIN chat_message_tags mt ON mt.message_id = m.id
    SET c.version = c.version + 1 WHERE mt.tag_id = OLD.id;
END;

CREATE TRIGGER experiments_ai AFTER INSERT ON experiments FOR EACH ROW
  INSERT INTO catalog_versions (team_id, version) VALUES (NEW.team_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;

CREATE TRIGGER experiments_au AFTER UPDATE ON experiments FOR EACH ROW
  INSERT INTO catalog_versions (team_id, version) VALUES (NEW.team_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;

CREATE TRIGGER experiments_ad AFTER DELETE ON experiments FOR EACH ROW
  INSERT INTO catalog_versions (team_id, version) VALUES (OLD.team_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;

CREATE TRIGGER llm_providers_ai AFTER INSERT ON llm_providers FOR EACH ROW
  INSERT INTO catalog_versions (team_id, version) VALUES (NEW.team_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;

CREATE TRIGGER llm_providers_au AFTER UPDATE ON llm_providers FOR EACH ROW
  INSERT INTO catalog_versions (team_id, version) VALUES (NEW.team_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;

CREATE TRIGGER llm_providers_ad AFTER DELETE ON llm_providers FOR EACH ROW
  INSERT INTO catalog_versions (team_id, version) VALUES (OLD.team_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;
